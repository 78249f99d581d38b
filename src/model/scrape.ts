// Scrape settings: how often the model's metrics are scraped and which limits guard the scrape, from
// the Prometheus configs and Operator resources a manifest names, each value traced to its line.
// Input: the `spec.backends.prometheus` and `.scrape` documents, and the names a job of the model may
// carry (the model's and its service's). Output: ModelInput.scrape, origins relative to `/scrape`, and
// an INP-002 problem for each value Prometheus or the Operator would refuse (it then counts as unset).
// Pure: no I/O.
//
// How Prometheus and the Operator decide (prometheus.io/docs/prometheus/latest/configuration/configuration/):
// - A job's `scrape_interval` defaults to `global.scrape_interval`, which defaults to 1m; both are
//   Prometheus durations. `sample_limit`, `label_limit` and `label_value_length_limit` default to the
//   global ones, which default to 0: no limit. A file of `scrape_config_files` holds only jobs; the
//   main config's `global` applies to them.
// - The Operator turns each endpoint of a ServiceMonitor (`spec.endpoints[]`) or PodMonitor
//   (`spec.podMetricsEndpoints[]`) into a job `serviceMonitor/<namespace>/<name>/<i>`. An endpoint
//   without `interval` is scraped at the Prometheus resource's `spec.scrapeInterval` (default 30s).
//   A monitor's `spec.sampleLimit` (and label limits) default to the Prometheus resource's
//   `spec.sampleLimit`; its `enforcedSampleLimit` caps them all, and applies to monitors that set none.
// Which jobs are the model's: a Prometheus config's job named after the model or its service
// (`spec.serving.service`); in the `scrape` slot, also the only job of a file, and every endpoint of a
// ServiceMonitor or PodMonitor (a monitor is written for one service).
import { backendKind } from "../load/backend-kind.js";
import type { LoadedDocument } from "../load/index.js";
import { isObject } from "../load/values.js";
import type { InputProblem } from "../types.js";
import { ptr, Reader, show, valueAt, type Located, type SectionOrigin } from "./backend-reader.js";
import type { ModelInputScrape, ModelInputScrapeJob } from "./model-input.js";

export interface ScrapeResult {
  scrape: ModelInputScrape | null;
  /** Relative to `/scrape`. */
  origins: SectionOrigin[];
  problems: InputProblem[];
}

const PROMETHEUS_DEFAULT_INTERVAL = 60;
const OPERATOR_DEFAULT_INTERVAL = 30;

type LimitKey = "sampleLimit" | "labelLimit" | "labelValueLengthLimit";
const LIMITS: ReadonlyArray<{ key: LimitKey; config: string; operator: string; enforced: string }> = [
  { key: "sampleLimit", config: "sample_limit", operator: "sampleLimit", enforced: "enforcedSampleLimit" },
  { key: "labelLimit", config: "label_limit", operator: "labelLimit", enforced: "enforcedLabelLimit" },
  { key: "labelValueLengthLimit", config: "label_value_length_limit", operator: "labelValueLengthLimit", enforced: "enforcedLabelValueLengthLimit" },
];

/** A setting read from a config: its value and where, or where it would be written when unset. */
interface Decided<T> {
  value: T;
  doc: LoadedDocument;
  pointer: string;
  /** The setting in the backend's words, for ModelInput.scrape.intervalSetting. */
  setting: string;
  isDefault: boolean;
}

/** `global` of a Prometheus config, or the scrape defaults of an Operator `Prometheus`. */
interface Defaults {
  interval: Decided<number> | null;
  limits: Partial<Record<LimitKey, Located<number>>>;
  /** The Operator's enforced limits, which cap every monitor's. */
  enforced: Partial<Record<LimitKey, Located<number>>>;
}

interface Job {
  job: ModelInputScrapeJob;
  doc: LoadedDocument;
  pointer: string;
  namePointer: string;
  interval: Decided<number> | null;
  limits: Record<LimitKey, { value: number | null; doc: LoadedDocument; pointer: string }>;
}

/** A job as the ModelInput shows it, with where each of its values was read. */
function scrapeJob(found: Omit<Job, "job"> & { name: string; source: ModelInputScrapeJob["source"] }): Job {
  const { name, source, ...where } = found;
  return {
    job: {
      name,
      source,
      file: where.doc.file,
      intervalSeconds: where.interval?.value ?? null,
      sampleLimit: where.limits.sampleLimit.value,
      labelLimit: where.limits.labelLimit.value,
      labelValueLengthLimit: where.limits.labelValueLengthLimit.value,
    },
    ...where,
  };
}

export function scrapeSettings(
  slots: { prometheus: readonly LoadedDocument[]; scrape: readonly LoadedDocument[] },
  names: readonly string[],
): ScrapeResult {
  const reader = new Reader();
  const kinds = (docs: readonly LoadedDocument[]) => docs.map((doc) => ({ doc, kind: backendKind(doc.value) }));
  const main = kinds(slots.prometheus).find((d) => d.kind === "prometheus-config")?.doc;
  const operator = kinds(slots.prometheus).find((d) => d.kind === "prometheus-operator")?.doc;
  const mainDefaults = main ? configDefaults(reader, main, null) : null;
  const operatorDefaults = operator ? operatorScrapeDefaults(reader, operator) : null;

  const jobs: Job[] = [];
  const seen = new Set<LoadedDocument>();
  if (main) {
    seen.add(main);
    jobs.push(...configJobs(reader, main, mainDefaults!).filter((j) => names.includes(j.job.name)));
  }
  for (const { doc, kind } of kinds(slots.scrape)) {
    if (seen.has(doc)) continue;
    seen.add(doc);
    if (kind === "prometheus-config") {
      const own = configJobs(reader, doc, configDefaults(reader, doc, mainDefaults));
      jobs.push(...(own.length === 1 ? own : own.filter((j) => names.includes(j.job.name))));
    } else if (kind === "prometheus-servicemonitor" || kind === "prometheus-podmonitor") {
      jobs.push(...monitorJobs(reader, doc, kind, operatorDefaults));
    }
  }
  if (!main && !operator && slots.scrape.length === 0) {
    return { scrape: null, origins: [], problems: reader.sortedProblems() };
  }

  jobs.forEach((j, k) => {
    reader.origin(`/jobs/${k}`, j.doc, j.pointer);
    reader.origin(`/jobs/${k}/name`, j.doc, j.namePointer);
    reader.origin(`/jobs/${k}/file`, j.doc, j.pointer);
    reader.origin(`/jobs/${k}/source`, j.doc, j.pointer);
    if (j.interval) reader.origin(`/jobs/${k}/intervalSeconds`, j.interval.doc, j.interval.pointer);
    for (const { key } of LIMITS) reader.origin(`/jobs/${k}/${key}`, j.limits[key].doc, j.limits[key].pointer);
  });

  // The model's interval: the longest of its jobs' (a rule may read any of them), else the global one.
  const known = jobs.filter((j) => j.interval !== null);
  const longest = known.reduce<Decided<number> | null>((best, j) => (best === null || j.interval!.value > best.value ? j.interval! : best), null);
  const interval = longest ?? mainDefaults?.interval ?? operatorDefaults?.interval ?? null;
  const root = main ?? operator ?? jobs[0]?.doc ?? slots.scrape[0];
  if (root) reader.origin("", root, "");
  if (interval) reader.origin("/intervalSeconds", interval.doc, interval.pointer);
  return {
    scrape: {
      intervalSeconds: interval?.value ?? null,
      intervalSetting: interval?.setting ?? null,
      intervalIsDefault: interval?.isDefault ?? false,
      intervalFile: interval?.doc.file ?? null,
      jobs: jobs.map((j) => j.job),
    },
    origins: reader.origins,
    problems: reader.sortedProblems(),
  };
}

// ---------------------------------------------------------------------------------------------
// Prometheus config files.

/** A config's `global`; `inherited` is the main config's, for a file that sets none (scrape_config_files). */
function configDefaults(reader: Reader, doc: LoadedDocument, inherited: Defaults | null): Defaults {
  const global = valueAt(doc.value, "/global");
  if (global !== undefined && global !== null && !isObject(global)) {
    reader.problem(doc, "/global", `\`global\` is ${show(global)}, not a mapping`, "write global: as a mapping of settings, such as scrape_interval: 30s");
  }
  reader.duration(doc, "/global/scrape_timeout", "prometheus", "global.scrape_timeout", "Prometheus");
  const seconds = reader.duration(doc, "/global/scrape_interval", "prometheus", "global.scrape_interval", "Prometheus");
  let interval: Decided<number> | null;
  if (seconds !== undefined) {
    interval = { value: seconds, doc, pointer: "/global/scrape_interval", setting: "global.scrape_interval", isDefault: false };
  } else if (inherited) {
    interval = inherited.interval;
  } else {
    interval = {
      value: PROMETHEUS_DEFAULT_INTERVAL, doc, pointer: "/global/scrape_interval",
      setting: "global.scrape_interval (unset: Prometheus default 1m)", isDefault: true,
    };
  }
  const limits: Defaults["limits"] = { ...(inherited?.limits ?? {}) };
  for (const { key, config } of LIMITS) {
    const pointer = `/global/${config}`;
    const value = reader.count(doc, pointer, `global.${config}`, "Prometheus");
    if (value !== undefined) limits[key] = { value, doc, pointer };
  }
  return { interval, limits, enforced: {} };
}

function configJobs(reader: Reader, doc: LoadedDocument, defaults: Defaults): Job[] {
  const list = valueAt(doc.value, "/scrape_configs");
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    reader.problem(doc, "/scrape_configs", `\`scrape_configs\` is ${show(list)}, not a list of jobs`, "write scrape_configs: as a list of jobs, each with a job_name");
    return [];
  }
  const jobs: Job[] = [];
  list.forEach((entry, i) => {
    const pointer = ptr("scrape_configs", i);
    if (!isObject(entry)) {
      reader.problem(doc, pointer, `\`scrape_configs[${i}]\` is ${show(entry)}, not a job`, "write the job as a mapping with a job_name");
      return;
    }
    const name = entry.job_name;
    const label = typeof name === "string" && name !== "" ? name : `${i}`;
    reader.duration(doc, `${pointer}/scrape_timeout`, "prometheus", `scrape_configs[${label}].scrape_timeout`, "Prometheus");
    const seconds = reader.duration(doc, `${pointer}/scrape_interval`, "prometheus", `scrape_configs[${label}].scrape_interval`, "Prometheus");
    const limits = {} as Job["limits"];
    for (const { key, config } of LIMITS) {
      const at = `${pointer}/${config}`;
      const own = reader.count(doc, at, `scrape_configs[${label}].${config}`, "Prometheus");
      const decided = own !== undefined ? { value: own, doc, pointer: at } : defaults.limits[key];
      // 0 means no limit, wherever it is written; unset, the finding belongs where the job would set it.
      limits[key] = decided ? { value: decided.value > 0 ? decided.value : null, doc: decided.doc, pointer: decided.pointer } : { value: null, doc, pointer: at };
    }
    if (typeof name !== "string" || name === "") {
      reader.problem(doc, typeof name === "string" ? `${pointer}/job_name` : pointer, `\`scrape_configs[${i}]\` has no job_name, so Prometheus refuses the config`,
        "give the job a job_name, such as job_name: fraud-api");
      return;
    }
    const interval: Decided<number> | null =
      seconds !== undefined
        ? { value: seconds, doc, pointer: `${pointer}/scrape_interval`, setting: `scrape_configs[${name}].scrape_interval`, isDefault: false }
        : defaults.interval;
    jobs.push(scrapeJob({ name, source: "prometheus-config", doc, pointer, namePointer: `${pointer}/job_name`, interval, limits }));
  });
  return jobs;
}

// ---------------------------------------------------------------------------------------------
// Prometheus Operator: the Prometheus resource's defaults, ServiceMonitors and PodMonitors.

function operatorScrapeDefaults(reader: Reader, doc: LoadedDocument): Defaults {
  const seconds = reader.duration(doc, "/spec/scrapeInterval", "prometheus", "spec.scrapeInterval", "the Prometheus Operator");
  const interval: Decided<number> =
    seconds !== undefined
      ? { value: seconds, doc, pointer: "/spec/scrapeInterval", setting: "spec.scrapeInterval", isDefault: false }
      : { value: OPERATOR_DEFAULT_INTERVAL, doc, pointer: "/spec/scrapeInterval", setting: "spec.scrapeInterval (unset: Prometheus Operator default 30s)", isDefault: true };
  const limits: Defaults["limits"] = {};
  const enforced: Defaults["enforced"] = {};
  for (const { key, operator, enforced: name } of LIMITS) {
    const own = reader.count(doc, `/spec/${operator}`, `spec.${operator}`, "the Prometheus Operator");
    if (own !== undefined) limits[key] = { value: own, doc, pointer: `/spec/${operator}` };
    const cap = reader.count(doc, `/spec/${name}`, `spec.${name}`, "the Prometheus Operator");
    if (cap !== undefined) enforced[key] = { value: cap, doc, pointer: `/spec/${name}` };
  }
  return { interval, limits, enforced };
}

function monitorJobs(
  reader: Reader,
  doc: LoadedDocument,
  kind: "prometheus-servicemonitor" | "prometheus-podmonitor",
  prometheus: Defaults | null,
): Job[] {
  const service = kind === "prometheus-servicemonitor";
  const what = service ? "ServiceMonitor" : "PodMonitor";
  const field = service ? "endpoints" : "podMetricsEndpoints";
  const metadata = valueAt(doc.value, "/metadata");
  const name = isObject(metadata) && typeof metadata.name === "string" ? metadata.name : "(unnamed)";
  const namespace = isObject(metadata) && typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
  const endpoints = valueAt(doc.value, `/spec/${field}`);
  if (endpoints !== undefined && endpoints !== null && !Array.isArray(endpoints)) {
    reader.problem(doc, `/spec/${field}`, `\`spec.${field}\` of ${what} ${name} is ${show(endpoints)}, not a list`, `write spec.${field} as a list of endpoints, such as - port: metrics`);
    return [];
  }

  const limits = {} as Job["limits"];
  for (const { key, operator } of LIMITS) {
    const at = `/spec/${operator}`;
    const own = reader.count(doc, at, `spec.${operator}`, "the Prometheus Operator");
    const inherited = prometheus?.limits[key];
    let decided: { value: number | null; doc: LoadedDocument; pointer: string } =
      own !== undefined && own > 0 ? { value: own, doc, pointer: at }
        : inherited && inherited.value > 0 ? { value: inherited.value, doc: inherited.doc, pointer: inherited.pointer }
          : { value: null, doc, pointer: at };
    // The enforced limit caps a larger or missing one.
    const cap = prometheus?.enforced[key];
    if (cap && cap.value > 0 && (decided.value === null || decided.value > cap.value)) decided = { value: cap.value, doc: cap.doc, pointer: cap.pointer };
    limits[key] = decided;
  }

  const jobs: Job[] = [];
  (Array.isArray(endpoints) ? endpoints : []).forEach((endpoint, i) => {
    const pointer = ptr("spec", field, i);
    if (!isObject(endpoint)) {
      reader.problem(doc, pointer, `\`spec.${field}[${i}]\` of ${what} ${name} is ${show(endpoint)}, not an endpoint`, "write the endpoint as a mapping, such as port: metrics");
      return;
    }
    reader.duration(doc, `${pointer}/scrapeTimeout`, "prometheus", `spec.${field}[${i}].scrapeTimeout`, "the Prometheus Operator");
    const seconds = reader.duration(doc, `${pointer}/interval`, "prometheus", `spec.${field}[${i}].interval`, "the Prometheus Operator");
    const interval: Decided<number> | null =
      seconds !== undefined
        ? { value: seconds, doc, pointer: `${pointer}/interval`, setting: `spec.${field}[${i}].interval`, isDefault: false }
        : prometheus?.interval ?? null;
    jobs.push(scrapeJob({
      name: `${service ? "serviceMonitor" : "podMonitor"}/${namespace}${name}/${i}`,
      source: service ? "service-monitor" : "pod-monitor",
      doc,
      pointer,
      namePointer: "/metadata/name",
      interval,
      limits,
    }));
  });
  return jobs;
}
