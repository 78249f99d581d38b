// Stage 3, model: manifest documents → one ModelInput per model, each node remembering its
// origin (file and pointer), with references checked (INP-003) and schema problems (INP-002)
// reported. A manifest that breaks its schema is not evaluated: the run fails closed on it.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { documentPointer, escapePointerToken, toRepoPath, type LoadedDocument } from "../load/index.js";
import { locate, validateDocument } from "../schema/index.js";
import type { InputProblem } from "../types.js";
import { durationSeconds } from "./duration.js";
import { MODEL_INPUT_API_VERSION, type ModelInput, type ModelInputMetric, type Origin } from "./model-input.js";
import { defaultParams } from "./params.js";

export type { ModelInput, Origin } from "./model-input.js";
export { MODEL_INPUT_API_VERSION } from "./model-input.js";
export { durationSeconds } from "./duration.js";

export interface AssembledModel {
  input: ModelInput;
  /** ModelInput pointer → where that node came from. */
  origins: Map<string, Origin>;
  manifest: LoadedDocument;
}

export interface AssemblyOptions {
  repoRoot: string;
  /** Whether a referenced file exists; injected so tests can stand in for the disk. */
  exists?: (absolute: string) => boolean;
}

export interface Assembly {
  models: AssembledModel[];
  problems: InputProblem[];
}

/* The manifest as the schema guarantees it (schemas/model-manifest.v1.schema.json). */
interface Manifest {
  metadata: { name: string; owner: string; tier: ModelInput["model"]["tier"]; riskClass?: string };
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
    traces?: { propagators?: string[]; spans?: string[]; attributes?: string[]; sampling?: Record<string, unknown> };
    resource?: Record<string, string | number | boolean>;
    alerts?: { files?: string[] };
    retention?: { metrics?: string; logs?: string; traces?: string };
    backends?: Record<string, string>;
  };
}

export function assembleModels(documents: readonly LoadedDocument[], options: AssemblyOptions): Assembly {
  const exists = options.exists ?? existsSync;
  const problems: InputProblem[] = [];
  const models: AssembledModel[] = [];
  const firstDeclared = new Map<string, LoadedDocument>();

  for (const doc of documents) {
    if (doc.kind !== "model-manifest") continue;
    const problem = (rule: InputProblem["rule"], pointer: string, message: string, remediation: string): InputProblem => ({
      rule,
      file: doc.file,
      ...locate(doc.sourceMap, pointer),
      pointer: documentPointer(doc.multiDocument, doc.index, pointer),
      message,
      remediation,
      model: modelName(doc.value),
    });
    const violations = validateDocument("manifest", doc.value, doc.sourceMap);
    if (violations.length > 0) {
      for (const v of violations) problems.push(problem("INP-002", v.pointer, v.message, v.remediation));
      continue;
    }
    const manifest = doc.value as Manifest;
    const earlier = firstDeclared.get(manifest.metadata.name);
    if (earlier) {
      const at = locate(earlier.sourceMap, "/metadata/name");
      problems.push(problem("INP-002", "/metadata/name",
        `model \`${manifest.metadata.name}\` is already declared in ${earlier.file}:${at.line}:${at.column}`,
        "give each model one manifest, or rename one of them"));
      continue;
    }
    firstDeclared.set(manifest.metadata.name, doc);

    const base = dirname(doc.absolute);
    const references: Array<[string, string]> = [
      ...(manifest.spec.alerts?.files ?? []).map((f, i): [string, string] => [`/spec/alerts/files/${i}`, f]),
      ...Object.entries(manifest.spec.backends ?? {}).map(([k, f]): [string, string] => [`/spec/backends/${escapePointerToken(k)}`, f]),
    ];
    for (const [pointer, reference] of references) {
      const target = resolve(base, reference);
      if (!exists(target)) {
        problems.push(problem("INP-003", pointer,
          `\`${reference}\` does not exist (resolved to ${toRepoPath(options.repoRoot, target)})`,
          "correct the path, relative to the manifest's folder, or add the file"));
      }
    }
    models.push(buildModelInput(doc, manifest));
  }

  const fleet = {
    models: models.map((m) => m.input.model.name).sort(),
    metrics: [...new Set(models.flatMap((m) => m.input.metrics.map((metric) => metric.name)))].sort(),
  };
  for (const model of models) model.input.fleet = fleet;
  return { models, problems };
}

function modelName(value: unknown): string | null {
  const name = (value as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === "string" ? name : null;
}

/** Normalises one valid manifest, recording for every ModelInput node the manifest node it came from. */
function buildModelInput(doc: LoadedDocument, manifest: Manifest): AssembledModel {
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
  from("/traces", "/spec/traces");
  for (const field of ["propagators", "spans", "attributes", "sampling"]) from(`/traces/${field}`, `/spec/traces/${field}`);
  from("/resource", "/spec/resource");
  from("/alerts", "/spec/alerts");
  from("/alerts/files", "/spec/alerts/files");
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
          propagators: spec.traces.propagators ?? [],
          spans: spec.traces.spans ?? [],
          attributes: spec.traces.attributes ?? [],
          sampling: spec.traces.sampling ?? null,
        }
      : null,
    resource: Object.fromEntries(Object.entries(spec.resource ?? {}).map(([k, v]) => [k, String(v)])),
    alerts: { files: spec.alerts?.files ?? [] },
    retention: {
      declared: {
        metricsSeconds: seconds(spec.retention?.metrics),
        logsSeconds: seconds(spec.retention?.logs),
        tracesSeconds: seconds(spec.retention?.traces),
      },
    },
    params: defaultParams(),
    fleet: { models: [], metrics: [] },
    manifest: doc.value,
  };
  return { input, origins, manifest: doc };
}
