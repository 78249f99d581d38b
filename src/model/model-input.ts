// The contract between obsgate and every policy, built-in or a user's: one ModelInput per model,
// normalised so that Rego stays simple (durations in seconds, label counts resolved, one shape for
// every way a manifest may write a field). Its JSON Schema is schemas/model-input.v1.schema.json;
// a change here is a change of that schema's version.

export const MODEL_INPUT_API_VERSION = "obsgate.dev/model-input/v1";

export type MetricType = "counter" | "gauge" | "histogram" | "summary";

export interface ModelInputLabel {
  name: string;
  /** How many distinct values the label can take, as the manifest declares; null when undeclared. */
  values: number | null;
}

export interface ModelInputMetric {
  name: string;
  type: MetricType;
  /** What the metric is for, when the manifest says so (`requests`, `errors`, `latency`, …). */
  role: string | null;
  labels: ModelInputLabel[];
  /** Finite upper bounds of a classic histogram, as declared; null for other types. */
  buckets: number[] | null;
  /** A native histogram has no fixed buckets: any threshold is exact enough. */
  native: boolean;
  /** Quantiles of a summary; null for other types. */
  quantiles: number[] | null;
}

export interface ModelInputSlo {
  name: string;
  objective: number;
  windowSeconds: number;
  sli: {
    metric: string;
    /** Latency threshold in seconds, for latency SLIs. */
    thresholdSeconds: number | null;
    /** Selector that marks a request as failed, for availability SLIs. */
    errorSelector: string | null;
  };
}

export interface ModelInputLogs {
  format: string | null;
  fields: string[];
  tenant: string | null;
  stream: Record<string, string>;
}

export interface ModelInputTraces {
  propagators: string[];
  spans: string[];
  attributes: string[];
  sampling: Record<string, unknown> | null;
}

export interface DeclaredRetention {
  metricsSeconds: number | null;
  logsSeconds: number | null;
  tracesSeconds: number | null;
}

export interface ModelInput {
  apiVersion: typeof MODEL_INPUT_API_VERSION;
  model: {
    name: string;
    version: string | null;
    owner: string;
    tier: "critical" | "high" | "standard";
    riskClass: string | null;
    type: "predictive" | "generative" | null;
    framework: string | null;
    trainingData: { dataset: string | null; version: string | null } | null;
    timeoutSeconds: number | null;
    /** Repository-relative path of the manifest. */
    file: string;
  };
  metrics: ModelInputMetric[];
  slos: ModelInputSlo[];
  logs: ModelInputLogs | null;
  traces: ModelInputTraces | null;
  resource: Record<string, string>;
  alerts: { files: string[] };
  retention: { declared: DeclaredRetention };
  /** Parameters resolved for the model's tier. */
  params: Record<string, unknown>;
  /** What the whole fleet declares, for checks that look across models. */
  fleet: { models: string[]; metrics: string[] };
  /** The manifest exactly as written, for policies that need a field the normalised view lacks. */
  manifest: unknown;
}

/** Where a node of a ModelInput came from: a file and a JSON pointer into the document as written. */
export interface Origin {
  file: string;
  /** Index of the document within its file. */
  document: number;
  pointer: string;
}
