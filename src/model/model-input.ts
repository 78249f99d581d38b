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
  /** The Tempo tenant (X-Scope-OrgID) the model's traces are written under, for per-tenant retention. */
  tenant: string | null;
  propagators: string[];
  spans: string[];
  attributes: string[];
  /** Span attributes that span-to-metrics (spanmetrics connector, Tempo metrics-generator) turns into metric labels. */
  metricDimensions: string[];
  sampling: Record<string, unknown> | null;
}

/** How data drift is measured (`spec.drift`); each part null when the manifest leaves it out. */
export interface ModelInputDrift {
  metric: string | null;
  method: "psi" | "ks" | "wasserstein" | "js" | "chi2" | null;
  threshold: number | null;
}

/** Logging of the model's inputs (prompts, features) and outputs (completions, predictions): `spec.payloadLogging`. */
export interface ModelInputPayloadLogging {
  inputs: boolean;
  outputs: boolean;
  /** How personal data is removed before a payload is stored; null when undeclared. */
  redaction: "mask" | "hash" | "drop" | "tokenize" | null;
  /** How long logged payloads are kept, in seconds; null when undeclared. */
  retentionSeconds: number | null;
}

/** A PromQL comparison: `<left> op <threshold>`, with constant arithmetic folded into `threshold`. */
export interface PromComparison {
  op: "==" | "!=" | ">" | "<" | ">=" | "<=";
  bool: boolean;
  /** The constant side's value when one side is constant (`14.4 * (1 - 0.999)` → 0.0144); else null. */
  threshold: number | null;
}

/** One condition of an alert's `and` chain: what it reads, over which window, compared how. */
export interface PromCondition {
  /** Metrics read, with recording rules resolved to the metrics they read (transitively). */
  metrics: string[];
  /** Recording rules this branch reads directly. */
  recorded: string[];
  /** Longest range (or subquery range) in the branch, after resolving recording rules; null if none. */
  windowSeconds: number | null;
  comparison: PromComparison | null;
}

/** What a PromQL expression does, as policies need it. Built by src/model/promql.ts. */
export interface PromQuery {
  /** The parser's first syntax error, or null when the expression parses. */
  error: { message: string; column: number } | null;
  /** Metric names read directly, sorted and unique. */
  metrics: string[];
  /** Function names used, sorted and unique. */
  functions: string[];
  /** Every selector: the metric, its range, and the function that reads it directly. */
  selectors: Array<{
    metric: string | null;
    matchers: Array<{ label: string; op: "=" | "!=" | "=~" | "!~"; value: string }>;
    rangeSeconds: number | null;
    /** The innermost function call whose argument this selector is (`rate`), or null. */
    function: string | null;
    /** Whether an aggregation lies between the selector and that function (`rate(sum(x))`). */
    aggregatedInside: boolean;
  }>;
  /** Every range and subquery range, in seconds. */
  ranges: number[];
  subqueries: Array<{ rangeSeconds: number; stepSeconds: number | null }>;
  comparisons: PromComparison[];
  /** Set operators used anywhere: `and`, `or`, `unless`. */
  joins: Array<"and" | "or" | "unless">;
  aggregations: Array<{ op: string; by: string[]; without: string[] }>;
  /**
   * The top-level `or` branches, each as its `and` chain of conditions (one branch when there is no
   * top-level `or`): a multi-window burn-rate alert is a branch of two conditions, and Sloth writes
   * a severity's two window pairs as `(5m and 1h) or (30m and 6h)`.
   */
  alternatives: PromCondition[][];
}

export interface ModelInputRule {
  /** Repository-relative path of the rule file. */
  file: string;
  group: string | null;
  /** `alert` or `record` as written (null when absent: ALR-001 reports it). */
  alert: string | null;
  record: string | null;
  type: "alert" | "record" | null;
  expr: string | null;
  /** `for:` in seconds (0 when absent). */
  forSeconds: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  query: PromQuery | null;
  /** Why this rule belongs to the model: it is in a listed file, or it carries the model label. */
  ownedBy: Array<"file" | "label">;
  /** Every model the rule belongs to, sorted: several when manifests share a rule file. */
  owners: string[];
}

/** A structural problem in a rule file that keeps a group or rule from being read (ALR-001). */
export interface RuleFileProblem {
  file: string;
  message: string;
}

export interface EffectiveRetention {
  /** Seconds data is kept; null when the backend never deletes it. */
  seconds: number | null;
  backend: "prometheus" | "prometheus-operator" | "loki" | "tempo" | "mimir" | "thanos";
  /** Where the value comes from, in the backend's words (`limits_config.retention_period`, `--storage.tsdb.retention.time`). */
  setting: string;
  /** True when the config does not set it and this is the backend's documented default. */
  isDefault: boolean;
  /** The config file, repository-relative. */
  file: string;
}

/** One scrape job that collects the model's metrics, with what it enforces. */
export interface ModelInputScrapeJob {
  /** `job_name`, or the job the Prometheus Operator generates (`serviceMonitor/<namespace>/<name>/<endpoint>`). */
  name: string;
  source: "prometheus-config" | "service-monitor" | "pod-monitor";
  /** The config file, repository-relative. */
  file: string;
  /** Seconds between scrapes: the job's own interval, else the global one or its default; null when unknown. */
  intervalSeconds: number | null;
  /** Samples accepted per scrape (the job's, else the global or the Operator's enforced one); null when no limit is in force. */
  sampleLimit: number | null;
  /** Labels accepted per sample; null when no limit is in force. */
  labelLimit: number | null;
  /** Length accepted for a label value; null when no limit is in force. */
  labelValueLengthLimit: number | null;
}

/** How the model's metrics are scraped, from the Prometheus configs, ServiceMonitors and PodMonitors the manifest names. */
export interface ModelInputScrape {
  /** Seconds between scrapes of the model's metrics (the longest of its jobs', else the global one); null when unknown. */
  intervalSeconds: number | null;
  /** Where the interval is set, in the backend's words (`scrape_configs[fraud-api].scrape_interval`); null when unknown. */
  intervalSetting: string | null;
  /** True when no config sets the interval and the backend's documented default applies. */
  intervalIsDefault: boolean;
  /** The config file that sets the interval (or whose default applies); null when unknown. */
  intervalFile: string | null;
  /** The jobs that scrape the model: a job named after the model or its service, and every endpoint of its monitors. */
  jobs: ModelInputScrapeJob[];
}

/** One tail sampling processor of an OpenTelemetry Collector that a traces pipeline uses. */
export interface ModelInputTailSampling {
  /** The processor's id: `tail_sampling` or `tail_sampling/<name>`. */
  id: string;
  /** The collector config, repository-relative. */
  file: string;
  /** The traces pipelines that use it (`traces`, `traces/sampled`). */
  pipelines: string[];
  /** How long the processor waits after a trace's first span before deciding, in seconds. */
  decisionWaitSeconds: number;
  /** True when `decision_wait` is unset and the processor's default (30s) applies. */
  decisionWaitIsDefault: boolean;
  /** Whether some policy keeps every trace that has an error (`status_code` with ERROR, `always_sample`, or an `ottl_condition` on STATUS_CODE_ERROR). */
  keepsErrors: boolean;
  policies: Array<{ name: string | null; type: string | null; statusCodes: string[] }>;
}

/** What the OpenTelemetry Collector configs the manifest names do with the model's traces. */
export interface ModelInputCollector {
  /** The collector configs read, repository-relative. */
  files: string[];
  /** Names of their traces pipelines (`traces`, `traces/sampled`), sorted. */
  tracesPipelines: string[];
  /** Tail sampling processors in traces pipelines. */
  tailSampling: ModelInputTailSampling[];
}

export interface LokiRetentionSettings {
  file: string;
  retentionEnabled: boolean;
  deleteRequestStore: string | null;
  /** Index period of the schema in force (the last `schema_config.configs` entry), in seconds. */
  indexPeriodSeconds: number | null;
}

export interface DeclaredRetention {
  metricsSeconds: number | null;
  logsSeconds: number | null;
  tracesSeconds: number | null;
}

export interface ModelIdentity {
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
}

export interface ModelInput {
  apiVersion: typeof MODEL_INPUT_API_VERSION;
  /**
   * The model, or null for the one input that holds the alert rule files no model owns: only the
   * rule checks that need no manifest apply to it.
   */
  model: ModelIdentity | null;
  metrics: ModelInputMetric[];
  slos: ModelInputSlo[];
  logs: ModelInputLogs | null;
  traces: ModelInputTraces | null;
  drift: ModelInputDrift | null;
  payloadLogging: ModelInputPayloadLogging | null;
  /** How the model's metrics are scraped; null when the manifest names no scrape setting obsgate can read. */
  scrape: ModelInputScrape | null;
  /** Tail sampling of the model's traces in the collectors the manifest names; null when it names none. */
  collector: ModelInputCollector | null;
  resource: Record<string, string>;
  alerts: { files: string[] };
  /** Alert and recording rules that belong to the model (from its listed files and by model label). */
  rules: ModelInputRule[];
  ruleProblems: RuleFileProblem[];
  retention: {
    declared: DeclaredRetention;
    /** What the backend configs the manifest names actually enforce for this model; null when unknown. */
    effective: {
      metrics: EffectiveRetention | null;
      logs: EffectiveRetention | null;
      traces: EffectiveRetention | null;
    };
    loki: LokiRetentionSettings | null;
    /** What the long-term metrics stores (Mimir, Thanos compactor) keep, one entry per retention setting; empty when none is named. */
    longTerm: EffectiveRetention[];
  };
  /** Parameters resolved for the model's tier. */
  params: Record<string, unknown>;
  /** The manifest exactly as written, for policies that need a field the normalised view lacks (null without a model). */
  manifest: unknown;
}

/** Where a node of a ModelInput came from: a file and a JSON pointer into the document as written. */
export interface Origin {
  file: string;
  /** Index of the document within its file. */
  document: number;
  pointer: string;
}

/**
 * What the whole fleet declares, for checks that look across models. It reaches policies once per
 * run as `data.fleet`, each list as an object from name to true (`data.fleet.series[name]`), not in
 * every ModelInput: copied into each, it made a fleet's evaluation grow with the square of its size.
 */
export interface FleetIndex {
  models: string[];
  /** Metrics declared by any manifest. */
  metrics: string[];
  /**
   * Every series those metrics expose: a classic or native histogram's `_bucket`, `_count` and
   * `_sum` as well as its name, a summary's `_count` and `_sum`, a counter or gauge as named.
   */
  series: string[];
  /** Metrics any loaded recording rule produces. */
  recorded: string[];
}

/** The fleet index as policies read it: `data.fleet.<list>[name] == true`. */
export function fleetData(fleet: FleetIndex): { fleet: Record<keyof FleetIndex, Record<string, true>> } {
  const asSet = (names: string[]) => Object.fromEntries(names.map((n) => [n, true as const]));
  return { fleet: { models: asSet(fleet.models), metrics: asSet(fleet.metrics), series: asSet(fleet.series), recorded: asSet(fleet.recorded) } };
}
