// Parameters of the built-in checks, with the defaults of POLICIES.md. Each model receives them in
// `input.params`, keyed by rule (`car_002`). Durations are in seconds, as policies compare numbers.
//
// Users write them in `.obsgate.yaml` by rule id and under the names POLICIES.md uses
// (`ALR-006: { min_for: 10m }`, durations as Prometheus durations); `RULE_PARAMETERS` is the one
// table that maps each written name to the key a policy reads (`alr_006.min_for_seconds`), and
// from which the defaults are derived. schemas/config.v1.schema.json describes the same names for
// users; a test holds the two together.

export type Params = Record<string, Record<string, unknown>>;

/** The tiers of metadata.tier; parameters and rule switches are resolved per tier. */
export const TIERS = ["critical", "high", "standard"] as const;
export type Tier = (typeof TIERS)[number];
/** The tier of an input without a manifest (rule files no model owns). */
export const DEFAULT_TIER: Tier = "standard";

export type ParameterType = "integer" | "duration" | "string" | "strings";

export interface ParameterSpec {
  /** As written in `.obsgate.yaml`: `min_for`. */
  name: string;
  /** As a policy reads it under `input.params.<rule key>`: `min_for_seconds`. */
  key: string;
  type: ParameterType;
  /** In the policy's unit (seconds for a duration); null: absent from `input.params` unless set. */
  default: number | string | string[] | null;
}

const p = (name: string, type: ParameterType, defaultValue: ParameterSpec["default"], key = type === "duration" ? `${name}_seconds` : name): ParameterSpec => ({
  name,
  key,
  type,
  default: defaultValue,
});

const DAY = 86_400;

/** Every built-in rule that takes parameters, by rule id. */
export const RULE_PARAMETERS: Readonly<Record<string, readonly ParameterSpec[]>> = {
  "CAR-002": [p("warn", "integer", 1000), p("max", "integer", 10_000), p("model_budget", "integer", 50_000)],
  "CAR-003": [p("max_stream_labels", "integer", 15)],
  "ALR-002": [p("allowed", "strings", ["critical", "warning", "info"])],
  "ALR-004": [p("runbook_required_for", "strings", ["critical"])],
  "ALR-006": [p("min_for", "duration", 300)],
  // The scrape interval when no Prometheus config the manifest names says (input.scrape.intervalSeconds).
  "ALR-007": [p("default_scrape_interval", "duration", 60)],
  "ALR-010": [p("default_scrape_interval", "duration", 60)],
  "ALR-014": [p("model_label", "string", "model")],
  "RET-003": [p("min", "duration", 15 * DAY), p("max", "duration", 400 * DAY)],
  // Lowering it needs a documented legal basis (`legal_basis`), which the report records.
  "RET-005": [p("min_log_retention_high_risk", "duration", 184 * DAY), p("legal_basis", "string", null)],
  "RET-006": [p("max_log_retention", "duration", 30 * DAY)],
  "COR-004": [p("model_keys", "strings", ["model_name", "model_version"])],
  "COR-005": [p("model_label", "string", "model")],
  "COR-006": [p("request_id_field", "string", "request_id")],
};

/** `ALR-006` → `alr_006`: the key of a rule's parameters in `input.params`. */
export function paramsKey(ruleId: string): string {
  return ruleId.toLowerCase().replaceAll("-", "_");
}

export const DEFAULT_PARAMS: Params = Object.fromEntries(
  Object.entries(RULE_PARAMETERS).map(([id, specs]) => [
    paramsKey(id),
    Object.fromEntries(specs.filter((s) => s.default !== null).map((s) => [s.key, s.default])),
  ]),
);

/** The label that assigns an alert or recording rule to a model (`model: fraud-detector`). */
export const MODEL_LABEL = "model";

export function defaultParams(): Params {
  return structuredClone(DEFAULT_PARAMS);
}
