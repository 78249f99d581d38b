// Tail sampling: what the OpenTelemetry Collectors a manifest names do with the model's traces, read
// from their configs with every value traced to its line. Input: the `spec.backends.collector`
// documents (plain configs, or an OpenTelemetryCollector resource's `spec.config`). Output:
// ModelInput.collector, origins relative to `/collector`, and an INP-002 problem for each thing the
// collector would refuse to start with: a pipeline naming a processor type it does not have, or one
// `processors:` does not configure, a `decision_wait` that is not a duration, a status code that is
// not OK, ERROR or UNSET. Pure: no I/O.
//
// From the tail sampling processor's README (opentelemetry-collector-contrib/processor/tailsamplingprocessor):
// it supports traces pipelines only; `decision_wait` (default 30s, a Go duration) is the "wait time
// since the first span of a trace before making a sampling decision", so spans of a request that runs
// longer arrive after the decision and are not kept with their trace; a trace is kept when any policy
// samples it, and a `status_code` policy with `status_codes: [ERROR]` keeps every trace with an error.
import { backendKind, collectorConfigPointer } from "../load/backend-kind.js";
import type { LoadedDocument } from "../load/index.js";
import { isObject } from "../load/values.js";
import type { InputProblem } from "../types.js";
import { ptr, Reader, show, valueAt, type SectionOrigin } from "./backend-reader.js";
import type { ModelInputCollector, ModelInputTailSampling } from "./model-input.js";
import { editDistance } from "../edit-distance.js";

export interface CollectorResult {
  collector: ModelInputCollector | null;
  /** Relative to `/collector`. */
  origins: SectionOrigin[];
  problems: InputProblem[];
}

const DEFAULT_DECISION_WAIT = 30;

/**
 * Processor types of the collector's core and contrib distributions (the ones nearly everyone runs:
 * otelcol, otelcol-contrib, otelcol-k8s), including recently removed ones a pinned version may still
 * have. A pipeline naming another type is refused at start ("unknown type").
 */
export const PROCESSOR_TYPES: readonly string[] = [
  "attributes", "batch", "coralogix", "cumulativetodelta", "datadog", "deltatocumulative", "deltatorate", "dnslookup",
  "experimental_metricsgeneration", "filter", "geoip", "groupbyattrs", "groupbytrace", "interval", "isolationforest",
  "k8sattributes", "logdedup", "logstransform", "lookup", "memory_limiter", "metricsgeneration", "metricstarttime",
  "metricstransform", "probabilistic_sampler", "redaction", "remotetap", "resource", "resourcedetection", "routing",
  "schema", "servicegraph", "span", "spanmetrics", "sumologic", "tail_sampling", "transform", "unroll",
];

const STATUS_CODES = ["OK", "ERROR", "UNSET"];

export function collectorSettings(docs: readonly LoadedDocument[]): CollectorResult {
  const reader = new Reader();
  const configs = docs.filter((doc) => backendKind(doc.value) === "otel-collector-config");
  if (configs.length === 0) return { collector: null, origins: [], problems: [] };
  const pipelines = new Set<string>();
  const tailSampling: ModelInputTailSampling[] = [];
  for (const doc of configs) {
    const base = collectorConfigPointer(doc.value);
    for (const found of readConfig(reader, doc, base, pipelines)) {
      const k = tailSampling.length;
      reader.origin(`/tailSampling/${k}`, doc, found.pointer);
      reader.origin(`/tailSampling/${k}/id`, doc, found.pointer);
      reader.origin(`/tailSampling/${k}/pipelines`, doc, found.pipelinesPointer);
      reader.origin(`/tailSampling/${k}/decisionWaitSeconds`, doc, `${found.pointer}/decision_wait`);
      reader.origin(`/tailSampling/${k}/policies`, doc, `${found.pointer}/policies`);
      reader.origin(`/tailSampling/${k}/keepsErrors`, doc, `${found.pointer}/policies`);
      tailSampling.push(found.processor);
    }
  }
  const first = configs[0]!;
  reader.origin("", first, collectorConfigPointer(first.value));
  reader.origin("/tracesPipelines", first, `${collectorConfigPointer(first.value)}/service/pipelines`);
  return {
    collector: { files: [...new Set(configs.map((d) => d.file))].sort(), tracesPipelines: [...pipelines].sort(), tailSampling },
    origins: reader.origins,
    problems: reader.sortedProblems(),
  };
}

interface Found {
  processor: ModelInputTailSampling;
  /** The processor's configuration in the document. */
  pointer: string;
  /** The first traces pipeline's `processors` list that names it. */
  pipelinesPointer: string;
}

/** Checks every pipeline's processors, and reads the tail sampling processors traces pipelines use. */
function readConfig(reader: Reader, doc: LoadedDocument, base: string, tracesPipelines: Set<string>): Found[] {
  const configured = valueAt(doc.value, `${base}/processors`);
  const processors = isObject(configured) ? configured : {};
  const declared = valueAt(doc.value, `${base}/service/pipelines`);
  const pipelines = isObject(declared) ? declared : {};
  const users = new Map<string, { pipelines: string[]; pointer: string }>();
  for (const [pipeline, spec] of Object.entries(pipelines)) {
    const traces = pipeline.split("/")[0] === "traces";
    if (traces) tracesPipelines.add(pipeline);
    const listPointer = `${base}/service/pipelines${ptr(pipeline, "processors")}`;
    const list = isObject(spec) ? spec.processors : undefined;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      reader.problem(doc, listPointer, `\`service.pipelines.${pipeline}.processors\` is ${show(list)}, not a list of processor ids`,
        "write the processors as a list, such as [memory_limiter, tail_sampling, batch]");
      continue;
    }
    list.forEach((id, i) => {
      const at = `${listPointer}/${i}`;
      if (typeof id !== "string" || id === "") {
        reader.problem(doc, at, `\`service.pipelines.${pipeline}.processors[${i}]\` is ${show(id)}, not a processor id`, "write a processor id such as batch or tail_sampling/errors");
        return;
      }
      const type = id.split("/")[0]!;
      if (!PROCESSOR_TYPES.includes(type)) {
        const near = nearest(type);
        reader.problem(doc, at,
          `\`${id}\` in service.pipelines.${pipeline}.processors is not a processor type of the OpenTelemetry Collector (core or contrib), so the collector refuses to start${near ? `; did you mean \`${near}\`?` : ""}`,
          near ? `write ${near}${id.slice(type.length)}` : "name a processor type the collector has, such as batch, memory_limiter or tail_sampling");
        return;
      }
      if (!Object.hasOwn(processors, id)) {
        reader.problem(doc, at, `service.pipelines.${pipeline} uses processor \`${id}\`, which \`processors:\` does not configure, so the collector refuses to start`,
          `add \`${id}:\` under processors:, or remove it from the pipeline`);
        return;
      }
      if (traces && type === "tail_sampling") {
        const user = users.get(id) ?? { pipelines: [], pointer: at };
        if (!user.pipelines.includes(pipeline)) user.pipelines.push(pipeline);
        users.set(id, user);
      }
    });
  }
  return [...users.entries()].map(([id, user]) => {
    const pointer = `${base}/processors${ptr(id)}`;
    return { processor: readTailSampling(reader, doc, pointer, id, user.pipelines.sort()), pointer, pipelinesPointer: user.pointer };
  });
}

function readTailSampling(reader: Reader, doc: LoadedDocument, pointer: string, id: string, pipelines: string[]): ModelInputTailSampling {
  const wait = reader.duration(doc, `${pointer}/decision_wait`, "go", `processors.${id}.decision_wait`, "the collector");
  const waitOk = wait !== undefined && wait > 0;
  if (wait === 0) {
    reader.problem(doc, `${pointer}/decision_wait`, `\`processors.${id}.decision_wait\` is 0; the tail sampling processor needs a wait above zero`,
      "write a wait longer than the model's request timeout, such as decision_wait: 30s");
  }
  const policies: ModelInputTailSampling["policies"] = [];
  const list = valueAt(doc.value, `${pointer}/policies`);
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    reader.problem(doc, `${pointer}/policies`, `\`processors.${id}.policies\` is ${show(list)}, not a list of policies`,
      "write the policies as a list, such as - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }");
  }
  let keepsErrors = false;
  (Array.isArray(list) ? list : []).forEach((policy, i) => {
    const at = `${pointer}/policies/${i}`;
    if (!isObject(policy)) {
      reader.problem(doc, at, `\`processors.${id}.policies[${i}]\` is ${show(policy)}, not a policy`, "write the policy as a mapping with name and type");
      return;
    }
    const type = typeof policy.type === "string" ? policy.type : null;
    const codes = type === "status_code" ? statusCodes(reader, doc, `${at}/status_code/status_codes`, `processors.${id}.policies[${i}].status_code.status_codes`) : [];
    policies.push({ name: typeof policy.name === "string" ? policy.name : null, type, statusCodes: codes });
    // Policies are or-ed: one that samples every error trace keeps them whatever the others drop.
    if (type === "always_sample" || codes.includes("ERROR") || (type === "ottl_condition" && mentionsError(policy.ottl_condition))) keepsErrors = true;
  });
  return {
    id,
    file: doc.file,
    pipelines,
    decisionWaitSeconds: waitOk ? wait : DEFAULT_DECISION_WAIT,
    decisionWaitIsDefault: !waitOk,
    keepsErrors,
    policies,
  };
}

function statusCodes(reader: Reader, doc: LoadedDocument, pointer: string, setting: string): string[] {
  const list = valueAt(doc.value, pointer);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    reader.problem(doc, pointer, `\`${setting}\` is ${show(list)}, not a list of status codes`, "write a list such as [ERROR]");
    return [];
  }
  const codes: string[] = [];
  list.forEach((code, i) => {
    if (typeof code === "string" && STATUS_CODES.includes(code)) codes.push(code);
    else reader.problem(doc, `${pointer}/${i}`, `\`${setting}[${i}]\` is ${show(code)}, not one of OK, ERROR, UNSET`, "write ERROR to keep every trace with an error");
  });
  return codes;
}

/** An `ottl_condition` policy whose span or span event conditions test for an error status. */
function mentionsError(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  const texts = [condition.span, condition.spanevent].flatMap((list) => (Array.isArray(list) ? list : []));
  return texts.some((text) => typeof text === "string" && /STATUS_CODE_ERROR/.test(text));
}

/** The known processor type within edit distance 2 of `type` (a typo), or null. */
function nearest(type: string): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of PROCESSOR_TYPES) {
    const distance = editDistance(type, name);
    if (distance <= 2 && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

