// A valid manifest → the manifest's part of its ModelInput (identity, metrics, SLOs, logs, traces,
// declared retention), recording for every node the manifest node it came from.
import type { LoadedDocument } from "../load/index.js";
import { escapePointerToken } from "../load/index.js";
import { durationSeconds } from "./duration.js";
import {
  MODEL_INPUT_API_VERSION,
  type ModelIdentity,
  type ModelInput,
  type ModelInputDrift,
  type ModelInputMetric,
  type ModelInputPayloadLogging,
  type Origin,
} from "./model-input.js";
import { defaultParams } from "./params.js";

/* The manifest as the schema guarantees it (schemas/model-manifest.v1.schema.json). */
export interface Manifest {
  metadata: { name: string; owner: string; tier: ModelIdentity["tier"]; riskClass?: string };
  spec: {
    model?: { version?: string; type?: "predictive" | "generative"; framework?: string; trainingData?: { dataset?: string; version?: string } };
    serving?: { service?: string; timeoutSeconds?: number };
    metrics?: Array<{
      name: string;
      type: ModelInputMetric["type"];
      role?: string;
      labels?: Record<string, number | null> | string[];
      buckets?: number[];
      native?: boolean;
      quantiles?: number[];
    }>;
    slos?: Array<{ name: string; objective: number; window: string; sli: { metric: string; threshold?: number; errorSelector?: string } }>;
    logs?: { format?: string; fields?: string[]; tenant?: string; stream?: Record<string, string> };
    traces?: {
      tenant?: string;
      propagators?: string[];
      spans?: string[];
      attributes?: string[];
      metricDimensions?: string[];
      sampling?: Record<string, unknown>;
    };
    drift?: { metric?: string; method?: NonNullable<ModelInputDrift["method"]>; threshold?: number };
    payloadLogging?: { inputs?: boolean; outputs?: boolean; redaction?: NonNullable<ModelInputPayloadLogging["redaction"]>; retention?: string };
    resource?: Record<string, string | number | boolean>;
    alerts?: { files?: string[] };
    retention?: { metrics?: string; logs?: string; traces?: string };
    backends?: Record<string, string | string[]>;
  };
}

/** Normalises one valid manifest, recording for every ModelInput node the manifest node it came from. */
export function buildModelInput(doc: LoadedDocument, manifest: Manifest): { input: ModelInput; origins: Map<string, Origin> } {
  const origins = new Map<string, Origin>();
  const from = (inputPointer: string, manifestPointer: string) =>
    origins.set(inputPointer, { file: doc.file, document: doc.index, pointer: manifestPointer });
  const { metadata, spec } = manifest;

  from("", "");
  from("/model", "/metadata");
  from("/model/name", "/metadata/name");
  from("/model/owner", "/metadata/owner");
  from("/model/tier", "/metadata/tier");
  from("/model/riskClass", "/metadata/riskClass");
  from("/model/version", "/spec/model/version");
  from("/model/type", "/spec/model/type");
  from("/model/framework", "/spec/model/framework");
  from("/model/trainingData", "/spec/model/trainingData");
  from("/model/timeoutSeconds", "/spec/serving/timeoutSeconds");
  from("/model/file", "");

  from("/metrics", "/spec/metrics");
  const metrics = (spec.metrics ?? []).map((metric, i): ModelInputMetric => {
    const at = `/spec/metrics/${i}`;
    from(`/metrics/${i}`, at);
    for (const field of ["name", "type", "role", "buckets", "native", "quantiles"]) from(`/metrics/${i}/${field}`, `${at}/${field}`);
    from(`/metrics/${i}/labels`, `${at}/labels`);
    const labels = Array.isArray(metric.labels)
      ? metric.labels.map((name, j) => {
          from(`/metrics/${i}/labels/${j}`, `${at}/labels/${j}`);
          return { name, values: null };
        })
      : Object.entries(metric.labels ?? {}).map(([name, values], j) => {
          from(`/metrics/${i}/labels/${j}`, `${at}/labels/${escapePointerToken(name)}`);
          return { name, values };
        });
    return {
      name: metric.name,
      type: metric.type,
      role: metric.role ?? null,
      labels,
      buckets: metric.type === "histogram" && !metric.native ? (metric.buckets ?? []) : null,
      native: metric.native === true,
      quantiles: metric.type === "summary" ? (metric.quantiles ?? []) : null,
    };
  });

  from("/slos", "/spec/slos");
  const slos = (spec.slos ?? []).map((slo, i) => {
    const at = `/spec/slos/${i}`;
    from(`/slos/${i}`, at);
    from(`/slos/${i}/name`, `${at}/name`);
    from(`/slos/${i}/objective`, `${at}/objective`);
    from(`/slos/${i}/windowSeconds`, `${at}/window`);
    from(`/slos/${i}/sli`, `${at}/sli`);
    from(`/slos/${i}/sli/metric`, `${at}/sli/metric`);
    from(`/slos/${i}/sli/thresholdSeconds`, `${at}/sli/threshold`);
    from(`/slos/${i}/sli/errorSelector`, `${at}/sli/errorSelector`);
    return {
      name: slo.name,
      objective: slo.objective,
      // The schema admits only valid durations, so this is never null here.
      windowSeconds: durationSeconds(slo.window) ?? 0,
      sli: { metric: slo.sli.metric, thresholdSeconds: slo.sli.threshold ?? null, errorSelector: slo.sli.errorSelector ?? null },
    };
  });

  from("/logs", "/spec/logs");
  for (const field of ["format", "fields", "tenant", "stream"]) from(`/logs/${field}`, `/spec/logs/${field}`);
  (spec.logs?.fields ?? []).forEach((_, i) => from(`/logs/fields/${i}`, `/spec/logs/fields/${i}`));
  for (const label of Object.keys(spec.logs?.stream ?? {})) {
    const token = escapePointerToken(label);
    from(`/logs/stream/${token}`, `/spec/logs/stream/${token}`);
  }
  from("/traces", "/spec/traces");
  for (const field of ["tenant", "propagators", "spans", "attributes", "metricDimensions", "sampling"]) from(`/traces/${field}`, `/spec/traces/${field}`);
  for (const list of ["attributes", "metricDimensions"] as const) {
    (spec.traces?.[list] ?? []).forEach((_, i) => from(`/traces/${list}/${i}`, `/spec/traces/${list}/${i}`));
  }
  from("/drift", "/spec/drift");
  for (const field of ["metric", "method", "threshold"]) from(`/drift/${field}`, `/spec/drift/${field}`);
  from("/payloadLogging", "/spec/payloadLogging");
  for (const field of ["inputs", "outputs", "redaction"]) from(`/payloadLogging/${field}`, `/spec/payloadLogging/${field}`);
  from("/payloadLogging/retentionSeconds", "/spec/payloadLogging/retention");
  from("/resource", "/spec/resource");
  from("/alerts", "/spec/alerts");
  from("/alerts/files", "/spec/alerts/files");
  from("/rules", "/spec/alerts");
  from("/ruleProblems", "/spec/alerts");
  from("/retention", "/spec/retention");
  from("/retention/declared", "/spec/retention");
  from("/retention/declared/metricsSeconds", "/spec/retention/metrics");
  from("/retention/declared/logsSeconds", "/spec/retention/logs");
  from("/retention/declared/tracesSeconds", "/spec/retention/traces");
  from("/manifest", "");

  const seconds = (text: string | undefined) => (text === undefined ? null : durationSeconds(text));
  const input: ModelInput = {
    apiVersion: MODEL_INPUT_API_VERSION,
    model: {
      name: metadata.name,
      version: spec.model?.version ?? null,
      owner: metadata.owner,
      tier: metadata.tier,
      riskClass: metadata.riskClass ?? null,
      type: spec.model?.type ?? null,
      framework: spec.model?.framework ?? null,
      trainingData: spec.model?.trainingData
        ? { dataset: spec.model.trainingData.dataset ?? null, version: spec.model.trainingData.version ?? null }
        : null,
      timeoutSeconds: spec.serving?.timeoutSeconds ?? null,
      file: doc.file,
    },
    metrics,
    slos,
    logs: spec.logs
      ? { format: spec.logs.format ?? null, fields: spec.logs.fields ?? [], tenant: spec.logs.tenant ?? null, stream: spec.logs.stream ?? {} }
      : null,
    traces: spec.traces
      ? {
          tenant: spec.traces.tenant ?? null,
          propagators: spec.traces.propagators ?? [],
          spans: spec.traces.spans ?? [],
          attributes: spec.traces.attributes ?? [],
          metricDimensions: spec.traces.metricDimensions ?? [],
          sampling: spec.traces.sampling ?? null,
        }
      : null,
    drift: spec.drift
      ? { metric: spec.drift.metric ?? null, method: spec.drift.method ?? null, threshold: spec.drift.threshold ?? null }
      : null,
    payloadLogging: spec.payloadLogging
      ? {
          inputs: spec.payloadLogging.inputs === true,
          outputs: spec.payloadLogging.outputs === true,
          redaction: spec.payloadLogging.redaction ?? null,
          retentionSeconds: seconds(spec.payloadLogging.retention),
        }
      : null,
    // Scrape settings and the collector come from backend configs: the model stage adds them.
    scrape: null,
    collector: null,
    resource: Object.fromEntries(Object.entries(spec.resource ?? {}).map(([k, v]) => [k, String(v)])),
    alerts: { files: spec.alerts?.files ?? [] },
    // Rules and effective retention come from other files: the model stage adds them.
    rules: [],
    ruleProblems: [],
    retention: {
      declared: {
        metricsSeconds: seconds(spec.retention?.metrics),
        logsSeconds: seconds(spec.retention?.logs),
        tracesSeconds: seconds(spec.retention?.traces),
      },
      effective: { metrics: null, logs: null, traces: null },
      loki: null,
      longTerm: [],
    },
    params: defaultParams(),
    manifest: doc.value,
  };
  return { input, origins };
}
