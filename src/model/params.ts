// Parameters of the built-in checks, with the defaults of POLICIES.md. Each model receives them in
// `input.params`, keyed by rule (`car_002`). Durations are in seconds, as policies compare numbers.

export type Params = Record<string, Record<string, unknown>>;

export const DEFAULT_PARAMS: Params = {
  car_002: { warn: 1000, max: 10_000, model_budget: 50_000 },
  car_003: { max_stream_labels: 15 },
  alr_002: { allowed: ["critical", "warning", "info"] },
  alr_004: { runbook_required_for: ["critical"] },
  alr_006: { min_for_seconds: 300 },
  // The scrape interval when no Prometheus config the manifest names says (input.scrape.intervalSeconds).
  alr_007: { default_scrape_interval_seconds: 60 },
  alr_010: { default_scrape_interval_seconds: 60 },
  alr_014: { model_label: "model" },
  ret_003: { min_seconds: 15 * 86_400, max_seconds: 400 * 86_400 },
  ret_005: { min_log_retention_high_risk_seconds: 184 * 86_400 },
  ret_006: { max_log_retention_seconds: 30 * 86_400 },
  cor_004: { model_keys: ["model_name", "model_version"] },
  cor_005: { model_label: "model" },
  cor_006: { request_id_field: "request_id" },
};

/** The label that assigns an alert or recording rule to a model (`model: fraud-detector`). */
export const MODEL_LABEL = "model";

export function defaultParams(): Params {
  return structuredClone(DEFAULT_PARAMS);
}
