// Parameters of the built-in checks, with the defaults of POLICIES.md. Each model receives them in
// `input.params`, keyed by rule (`car_002`).

export type Params = Record<string, Record<string, unknown>>;

export const DEFAULT_PARAMS: Params = {
  car_002: { warn: 1000, max: 10_000, model_budget: 50_000 },
};

export function defaultParams(): Params {
  return structuredClone(DEFAULT_PARAMS);
}
