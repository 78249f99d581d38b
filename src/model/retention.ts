// Effective retention: what the backend configs a manifest names actually enforce for its metrics,
// logs and traces, computed the way each backend computes it, with every value traced back to the
// line that set it (or to where it would be set, when a documented default applies).
//
// Input: the documents of each `spec.backends` slot, and the model's Loki tenant and stream labels.
// Output: ModelInput.retention.effective and .loki, origins for every non-null field, and an INP-002
// problem for each retention setting the backend itself would refuse (a bad value counts as unset,
// so the rest still computes; the problem fails the run anyway). Pure: no I/O.
//
// Which durations each backend reads, and how:
// - Prometheus flags, its config file and the Operator's `spec.retention` are Prometheus durations
//   (`[0-9]+` with y, w, d, h, m, s, ms, largest first, or `0`).
//   https://prometheus.io/docs/prometheus/latest/configuration/configuration/ (`<duration>`)
// - Loki's retention_period, retention_stream[].period and schema index.period are Prometheus
//   durations too ("Prometheus duration fields support ms, s, m, h, d, w, y"; Go-only forms such as
//   `1.5h` are refused). https://grafana.com/docs/loki/latest/configure/ (Generic placeholders)
// - Tempo's compactor/backend_worker `compaction.block_retention` is a Go time.Duration (no d, w, y);
//   its overrides' `block_retention` is a Prometheus model.Duration (grafana/tempo
//   modules/overrides: `BlockRetention model.Duration`), so `30d` is valid there and not in the former.
import { backendKind, podContainers, prometheusContainerIndex, type BackendKind } from "../load/backend-kind.js";
import { isObject } from "../load/values.js";
import type { LoadedDocument } from "../load/index.js";
import type { InputProblem } from "../types.js";
import {
  ACCEPTED,
  containerEnv,
  containerWords,
  DAY,
  findFlags,
  formatSeconds,
  has,
  HOUR,
  ptr,
  Reader,
  show,
  substituteEnv,
  tenantName,
  valueAt,
  type Located,
  type SectionOrigin,
} from "./backend-reader.js";
import { durationSeconds } from "./duration.js";
import { longTermRetention } from "./long-term.js";
import { compileMatcher, labelMatches, type CompiledMatcher } from "./label-match.js";
import type { EffectiveRetention, LokiRetentionSettings } from "./model-input.js";
import { analyzePromQL } from "./promql.js";

/** The documents a manifest's `spec.backends` names, by slot (the slots added later may be left out). */
export interface BackendDocuments {
  prometheus: LoadedDocument[];
  loki: LoadedDocument[];
  tempo: LoadedDocument[];
  /** OpenTelemetry Collector configs (collector.ts). */
  collector?: LoadedDocument[];
  /** Scrape configs: Prometheus config files, ServiceMonitors, PodMonitors (scrape.ts). */
  scrape?: LoadedDocument[];
  /** Mimir config and runtime overrides (long-term.ts). */
  mimir?: LoadedDocument[];
  /** Thanos compactor workloads (long-term.ts). */
  thanos?: LoadedDocument[];
}

/** Where one field of ModelInput.retention came from; `inputPointer` is relative to `/retention`. */
export type RetentionOrigin = SectionOrigin;

export interface RetentionResult {
  effective: {
    metrics: EffectiveRetention | null;
    logs: EffectiveRetention | null;
    traces: EffectiveRetention | null;
  };
  loki: LokiRetentionSettings | null;
  /** What the long-term metrics stores (Mimir, Thanos) keep: one entry per retention setting they read. */
  longTerm: EffectiveRetention[];
  origins: RetentionOrigin[];
  problems: InputProblem[];
}

export function effectiveRetention(
  backends: BackendDocuments,
  logs: { tenant: string | null; stream: Record<string, string> },
  traces: { tenant: string | null } = { tenant: null },
): RetentionResult {
  const reader = new Reader();
  const metrics = prometheusRetention(reader, classify(backends.prometheus));
  const loki = lokiRetention(reader, classify(backends.loki), logs);
  const traceRetention = tempoRetention(reader, classify(backends.tempo), traces.tenant);
  const longTerm = longTermRetention(reader, { mimir: backends.mimir ?? [], thanos: backends.thanos ?? [], prometheus: backends.prometheus });
  return {
    effective: { metrics, logs: loki.logs, traces: traceRetention },
    loki: loki.settings,
    longTerm,
    origins: reader.origins,
    problems: reader.sortedProblems(),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared reading (durations, problems, origins: backend-reader.ts).

interface Classified {
  doc: LoadedDocument;
  kind: BackendKind | null;
}

function classify(docs: readonly LoadedDocument[]): Classified[] {
  return docs.map((doc) => ({ doc, kind: backendKind(doc.value) }));
}

// ---------------------------------------------------------------------------------------------
// Prometheus (metrics).
//
// Docs: prometheus.io/docs/prometheus/latest/storage/ and command-line/prometheus/:
// "--storage.tsdb.retention.time: How long to retain samples in storage. If neither this flag nor
// storage.tsdb.retention.size is set, the retention time defaults to 15d"; the deprecated
// --storage.tsdb.retention is overridden by .time when both are set; "If both time and size retention
// policies are specified, whichever triggers first will be used". Since 3.x the flags are deprecated
// for the config file's storage.tsdb.retention.{time,size}, which override them when set above zero
// (prometheus cmd/prometheus/main.go). So with only a size, no time limit applies.

const PROMETHEUS_DEFAULT = 15 * DAY;
const OPERATOR_DEFAULT = DAY;

function prometheusRetention(reader: Reader, docs: Classified[]): EffectiveRetention | null {
  const operator = docs.find((d) => d.kind === "prometheus-operator");
  if (operator) return operatorRetention(reader, operator.doc);
  const workload = docs.find((d) => d.kind === "prometheus-workload")?.doc;
  const config = docs.find((d) => d.kind === "prometheus-config")?.doc;
  if (!workload && !config) return null;

  const read = workload ? workloadFlags(reader, workload) : null;
  if (read === "unknown") return null;
  const flags = read?.flags;
  const fromConfig = config ? configRetention(reader, config) : null;

  const use = (seconds: number | null, setting: string, at: Located<unknown>, isDefault = false): EffectiveRetention => {
    reader.origin("/effective/metrics", at.doc, at.pointer);
    return { seconds, backend: "prometheus", setting, isDefault, file: at.doc.file };
  };
  if (fromConfig?.time && fromConfig.time.value > 0) return use(fromConfig.time.value, "storage.tsdb.retention.time", fromConfig.time);
  const flagTime = flags?.get("--storage.tsdb.retention.time");
  if (flagTime && flagTime.value > 0) return use(flagTime.value, "--storage.tsdb.retention.time", flagTime);
  const oldFlag = flags?.get("--storage.tsdb.retention");
  if (oldFlag && oldFlag.value > 0) return use(oldFlag.value, "--storage.tsdb.retention", oldFlag);
  if (fromConfig?.size) return use(null, "storage.tsdb.retention.size (size-based only: no time limit)", fromConfig.size);
  const flagSize = flags?.get("--storage.tsdb.retention.size");
  if (flagSize) return use(null, "--storage.tsdb.retention.size (size-based only: no time limit)", flagSize);
  const at: Located<unknown> = workload
    ? { value: null, doc: workload, pointer: read?.defaultPointer ?? "" }
    : { value: null, doc: config!, pointer: "/storage/tsdb/retention/time" };
  const setting = workload ? "--storage.tsdb.retention.time (unset: Prometheus default 15d)" : "storage.tsdb.retention.time (unset: Prometheus default 15d)";
  return use(PROMETHEUS_DEFAULT, setting, at, true);
}

interface WorkloadFlags {
  /** Flag name → its value in seconds (a size flag: 0), located at the argv item holding the value. */
  flags: Map<string, Located<number>>;
  /** Where a defaulted retention is located: the container's `args`, or the container. */
  defaultPointer: string;
}

const RETENTION_FLAGS = ["--storage.tsdb.retention.time", "--storage.tsdb.retention", "--storage.tsdb.retention.size"];

/**
 * The retention flags of the Prometheus container, in both `--flag=value` and `--flag value` forms,
 * with Kubernetes `$(VAR)` references resolved from the container's literal `env` values. "unknown"
 * when a flag's value comes from elsewhere (`valueFrom`), which no file here says.
 */
function workloadFlags(reader: Reader, doc: LoadedDocument): WorkloadFlags | "unknown" {
  const flags = new Map<string, Located<number>>();
  const containers = podContainers(doc.value as Record<string, unknown>);
  const index = prometheusContainerIndex(containers);
  if (index === null) return { flags, defaultPointer: "" };
  const containerPointer = ptr("spec", "template", "spec", "containers", index);
  const container = containers[index] as Record<string, unknown>;
  const env = containerEnv(container);
  for (const { name, value: raw, pointer: at } of findFlags(containerWords(container, containerPointer), RETENTION_FLAGS)) {
    if (raw === null) continue;
    const value = substituteEnv(raw, env);
    if (value === null) return "unknown";
    if (name === "--storage.tsdb.retention.size") {
      if (!isZeroSize(value)) flags.set(name, { value: 0, doc, pointer: at });
      continue;
    }
    const seconds = durationSeconds(value);
    if (seconds === null) {
      reader.problem(doc, at, `\`${name}\` is \`${value}\`, which Prometheus does not read as a duration; it takes ${ACCEPTED.prometheus}`,
        `write ${name} as ${ACCEPTED.prometheus}`);
      flags.delete(name);
      continue;
    }
    flags.set(name, { value: seconds, doc, pointer: at }); // the last occurrence wins
  }
  const defaultPointer = has(doc.value, `${containerPointer}/args`) ? `${containerPointer}/args` : containerPointer;
  return { flags, defaultPointer };
}

function isZeroSize(text: string): boolean {
  return /^0(?:[KMGTPE]?B)?$/.test(text.trim()) || text.trim() === "";
}

function configRetention(reader: Reader, doc: LoadedDocument): { time?: Located<number>; size?: Located<unknown> } {
  const result: { time?: Located<number>; size?: Located<unknown> } = {};
  const timePointer = "/storage/tsdb/retention/time";
  const time = reader.duration(doc, timePointer, "prometheus", "storage.tsdb.retention.time", "Prometheus");
  if (time !== undefined) result.time = { value: time, doc, pointer: timePointer };
  const sizePointer = "/storage/tsdb/retention/size";
  const size = valueAt(doc.value, sizePointer);
  if ((typeof size === "string" && !isZeroSize(size)) || (typeof size === "number" && size > 0)) {
    result.size = { value: size, doc, pointer: sizePointer };
  }
  return result;
}

/**
 * Operator API: "retention: How long to retain the Prometheus data. Default: "24h" if spec.retention
 * and spec.retentionSize are empty" (prometheus-operator Documentation/api-reference, PrometheusSpec).
 * With only retentionSize, no time limit is passed to Prometheus (prometheus-operator#4590).
 */
function operatorRetention(reader: Reader, doc: LoadedDocument): EffectiveRetention {
  const result = (seconds: number | null, setting: string, pointer: string, isDefault = false): EffectiveRetention => {
    reader.origin("/effective/metrics", doc, pointer);
    return { seconds, backend: "prometheus-operator", setting, isDefault, file: doc.file };
  };
  const retention = reader.duration(doc, "/spec/retention", "prometheus", "spec.retention", "the Prometheus Operator");
  const size = valueAt(doc.value, "/spec/retentionSize");
  const hasSize = typeof size === "string" && !isZeroSize(size);
  if (retention !== undefined && retention > 0) return result(retention, "spec.retention", "/spec/retention");
  if (hasSize) return result(null, "spec.retentionSize (size-based only: no time limit)", "/spec/retentionSize");
  if (retention === 0) {
    // The Operator passes `0` on; Prometheus treats a zero time as unset and applies its own default.
    return result(PROMETHEUS_DEFAULT, "spec.retention (0: Prometheus default 15d)", "/spec/retention", true);
  }
  return result(OPERATOR_DEFAULT, "spec.retention (unset: Prometheus Operator default 24h)", "/spec/retention", true);
}

// ---------------------------------------------------------------------------------------------
// Loki (logs).
//
// Docs: grafana.com/docs/loki/latest/operations/storage/retention/: "By default the
// compactor.retention-enabled flag is not set, so the logs sent to Loki live forever";
// delete_request_store "is required when retention is enabled"; "Retention is only available if the
// index period is 24h". The period for a stream is "the first match in this list: 1. per-tenant
// retention_stream selectors (highest priority); 2. global retention_stream selectors (highest
// priority), not considered if per-tenant retention_stream is set; 3. per-tenant retention_period;
// 4. the global retention_period". Equal priorities: the shortest period wins (pkg/compactor/retention
// expiration.go: "if priority is equal we keep the lowest retention"). A tenant's overrides start from
// limits_config, so a tenant without its own key inherits the global one. The configuration reference
// gives retention_period "default = 0s", and "a zero value of 0 or 0s disables retention" (the
// retention page's "744h" default is older text; the code's default is 0s, which never deletes).
// retention_stream periods under 24h and selectors without a non-empty matcher are refused at start
// (pkg/validation limits.go Validate). With `auth_enabled: false` every stream belongs to tenant
// `fake` (configuration reference, auth_enabled).

interface StreamRule {
  index: number;
  matchers: Matcher[];
  priority: number;
  seconds: number;
  pointer: string;
}

/** One limits block: `limits_config`, or one tenant's `overrides.<tenant>`. */
interface Limits {
  doc: LoadedDocument;
  /** The block's name in Loki's words, for `setting`. */
  name: string;
  pointer: string;
  retentionPeriod: Located<number> | undefined;
  /** Whether the block sets retention_stream itself (replacing the global rules for its tenant). */
  setsStreams: boolean;
  streams: StreamRule[];
}

function lokiRetention(
  reader: Reader,
  docs: Classified[],
  logs: { tenant: string | null; stream: Record<string, string> },
): { logs: EffectiveRetention | null; settings: LokiRetentionSettings | null } {
  // Every tenant's overrides are read (and their problems reported) whatever the model's tenant, so
  // that every model sharing the file sees the same problems.
  const tenants = new Map<string, Limits>();
  for (const { doc } of docs.filter((d) => d.kind === "loki-overrides")) {
    const overrides = (doc.value as Record<string, unknown>).overrides as Record<string, unknown>;
    for (const [tenant, block] of Object.entries(overrides)) {
      if (!isObject(block)) continue;
      // Later runtime files override earlier ones (runtime_config.file is merged left to right).
      tenants.set(tenant, readLimits(reader, doc, ptr("overrides", tenant), `overrides.${tenantName(tenant)}`));
    }
  }
  const config = docs.find((d) => d.kind === "loki-config")?.doc;
  if (!config) return { logs: null, settings: null };

  const global = readLimits(reader, config, "/limits_config", "limits_config");
  const enabledValue = valueAt(config.value, "/compactor/retention_enabled");
  let retentionEnabled = false;
  if (typeof enabledValue === "boolean") retentionEnabled = enabledValue;
  else if (enabledValue !== undefined && enabledValue !== null) {
    reader.problem(config, "/compactor/retention_enabled", `\`compactor.retention_enabled\` is ${show(enabledValue)}, not true or false`,
      "write true to let the compactor delete logs, or false");
  }
  const store = valueAt(config.value, "/compactor/delete_request_store");
  const deleteRequestStore = typeof store === "string" && store.trim() !== "" ? store : null;
  const schemas = valueAt(config.value, "/schema_config/configs");
  const last = Array.isArray(schemas) && schemas.length > 0 ? schemas.length - 1 : null;
  const periodPointer = last === null ? null : ptr("schema_config", "configs", last, "index", "period");
  const indexPeriodSeconds = periodPointer
    ? reader.duration(config, periodPointer, "prometheus", `schema_config.configs[${last}].index.period`, "Loki") ?? null
    : null;

  const settings: LokiRetentionSettings = { file: config.file, retentionEnabled, deleteRequestStore, indexPeriodSeconds };
  reader.origin("/loki", config, "");
  reader.origin("/loki/retentionEnabled", config, "/compactor/retention_enabled");
  // Where each setting is, or would be written when missing: a finding about it lands on the
  // nearest line that exists and keeps a pointer (and fingerprint) of its own.
  reader.origin("/loki/deleteRequestStore", config, "/compactor/delete_request_store");
  reader.origin("/loki/indexPeriodSeconds", config, periodPointer ?? "/schema_config/configs");

  const effective = (seconds: number | null, setting: string, at: Located<unknown>, isDefault = false): EffectiveRetention => {
    reader.origin("/effective/logs", at.doc, at.pointer);
    return { seconds, backend: "loki", setting, isDefault, file: at.doc.file };
  };
  if (!retentionEnabled) {
    return {
      settings,
      logs: effective(null, "compactor.retention_enabled (not true: Loki never deletes logs)",
        { value: null, doc: config, pointer: "/compactor/retention_enabled" }, typeof enabledValue !== "boolean"),
    };
  }

  const tenantId = valueAt(config.value, "/auth_enabled") === false ? "fake" : logs.tenant;
  const tenant = tenantId === null ? undefined : tenants.get(tenantId);
  const rules = tenant?.setsStreams ? tenant : global;
  const rule = bestStreamRule(rules.streams, logs.stream);
  if (rule) {
    return { settings, logs: effective(rule.seconds, `${rules.name}.retention_stream[${rule.index}]`, { value: null, doc: rules.doc, pointer: rule.pointer }) };
  }
  const period = tenant?.retentionPeriod ?? global.retentionPeriod;
  if (period) {
    const name = period === tenant?.retentionPeriod ? tenant.name : global.name;
    const setting = period.value === 0 ? `${name}.retention_period (0: logs are never deleted)` : `${name}.retention_period`;
    return { settings, logs: effective(period.value === 0 ? null : period.value, setting, period) };
  }
  return {
    settings,
    logs: effective(null, "limits_config.retention_period (unset: default 0s, logs are never deleted)",
      { value: null, doc: config, pointer: "/limits_config/retention_period" }, true),
  };
}

function readLimits(reader: Reader, doc: LoadedDocument, pointer: string, name: string): Limits {
  const limits: Limits = { doc, name, pointer, retentionPeriod: undefined, setsStreams: false, streams: [] };
  const periodPointer = `${pointer}/retention_period`;
  const period = reader.duration(doc, periodPointer, "prometheus", `${name}.retention_period`, "Loki");
  if (period !== undefined) limits.retentionPeriod = { value: period, doc, pointer: periodPointer };

  const streamsPointer = `${pointer}/retention_stream`;
  const streams = valueAt(doc.value, streamsPointer);
  if (streams === undefined || streams === null) return limits;
  if (!Array.isArray(streams)) {
    reader.problem(doc, streamsPointer, `\`${name}.retention_stream\` is ${show(streams)}, not a list of rules`,
      "write a list of {selector, priority, period} rules");
    return limits;
  }
  limits.setsStreams = true;
  streams.forEach((entry, index) => {
    const rule = readStreamRule(reader, doc, `${streamsPointer}/${index}`, `${name}.retention_stream[${index}]`, entry, index);
    if (rule) limits.streams.push(rule);
  });
  return limits;
}

function readStreamRule(reader: Reader, doc: LoadedDocument, pointer: string, name: string, entry: unknown, index: number): StreamRule | null {
  if (!isObject(entry)) {
    reader.problem(doc, pointer, `\`${name}\` is ${show(entry)}, not a {selector, priority, period} rule`, "write the rule as a mapping");
    return null;
  }
  let ok = true;
  const selector = entry.selector;
  let matchers: Matcher[] = [];
  if (typeof selector !== "string") {
    reader.problem(doc, has(doc.value, `${pointer}/selector`) ? `${pointer}/selector` : pointer,
      `\`${name}\` has no selector string`, "add a stream selector such as selector: '{namespace=\"prod\"}'");
    ok = false;
  } else {
    const parsed = parseStreamSelector(selector);
    if ("error" in parsed) {
      reader.problem(doc, `${pointer}/selector`, `\`${name}.selector\` \`${selector}\` is not a stream selector Loki accepts: ${parsed.error}`,
        "write label matchers only, such as '{namespace=\"prod\", app=~\"fraud-.*\"}'");
      ok = false;
    } else matchers = parsed.matchers;
  }
  const priorityValue = entry.priority ?? 0;
  if (typeof priorityValue !== "number" || !Number.isInteger(priorityValue)) {
    reader.problem(doc, `${pointer}/priority`, `\`${name}.priority\` is ${show(priorityValue)}, not a whole number`, "write a whole number; the largest wins");
    ok = false;
  }
  const periodValue = valueAt(doc.value, `${pointer}/period`);
  let seconds: number | undefined;
  if (periodValue === undefined || periodValue === null) {
    reader.problem(doc, pointer, `\`${name}\` has no period; Loki refuses stream retention under 24h`, "add a period of at least 24h, such as period: 720h");
  } else {
    seconds = reader.duration(doc, `${pointer}/period`, "prometheus", `${name}.period`, "Loki");
    if (seconds !== undefined && seconds < DAY) {
      reader.problem(doc, `${pointer}/period`, `\`${name}.period\` is ${formatSeconds(seconds)}; Loki refuses stream retention under 24h`,
        "write a period of at least 24h");
      seconds = undefined;
    }
  }
  if (!ok || seconds === undefined) return null;
  return { index, matchers, priority: priorityValue as number, seconds, pointer: `${pointer}/period` };
}

/** Loki's choice among matching rules: the highest priority, then the shortest period, then the first. */
function bestStreamRule(rules: readonly StreamRule[], labels: Record<string, string>): StreamRule | null {
  let best: StreamRule | null = null;
  for (const rule of rules) {
    if (!rule.matchers.every((m) => labelMatches(m, labels[m.label] ?? ""))) continue;
    if (best && (best.priority > rule.priority || (best.priority === rule.priority && best.seconds <= rule.seconds))) continue;
    best = rule;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// LogQL stream selectors: `{k="v", k2=~"re"}`. PromQL's grammar parses the same label-matcher syntax,
// so a selector is read as a PromQL expression that must be one selector and nothing else.
// Matching follows Prometheus's label matchers (label-match.ts).

export interface Matcher extends CompiledMatcher {
  label: string;
}

/** Braces alone, or (refused below, with its own message) a metric name and optional braces. */
const SELECTOR_SHAPE = /^(?:[A-Za-z_:][\w:]*\s*)?\{[\s\S]*\}$|^[A-Za-z_:][\w:]*$/;

export function parseStreamSelector(selector: string): { matchers: Matcher[] } | { error: string } {
  const text = selector.trim();
  const query = analyzePromQL(text);
  if (query.error) return { error: `unexpected input at column ${query.error.column}: ${query.error.message}` };
  const only = query.selectors.length === 1 ? query.selectors[0]! : null;
  const operations = [query.functions, query.ranges, query.subqueries, query.aggregations, query.comparisons, query.joins];
  // Parentheses, offsets, `@` and arithmetic leave no trace in the analysis: the text must be the
  // selector. Its closing brace is the last character, and not one in a trailing `# comment }`:
  // without the selector's own brace, what is left no longer parses.
  const shaped = SELECTOR_SHAPE.test(text) && (!text.endsWith("}") || analyzePromQL(text.slice(0, -1)).error !== null);
  if (!only || operations.some((list) => list.length > 0) || !shaped) {
    return { error: "it must be label matchers in braces, and nothing else" };
  }
  if (!text.startsWith("{")) return { error: "a stream selector has no metric name before the braces" };
  const matchers: Matcher[] = [];
  for (const matcher of only.matchers) {
    const compiled = compileMatcher(matcher);
    if (!compiled) return { error: `the regular expression \`${matcher.value}\` is not valid (or uses RE2 syntax JavaScript lacks)` };
    matchers.push(compiled);
  }
  if (matchers.length === 0) return { error: "it has no label matchers" };
  if (matchers.every((m) => labelMatches(m, ""))) {
    return { error: "it needs at least one matcher that does not match an empty value, such as app=\"x\" or app=~\".+\"" };
  }
  return { matchers };
}

// ---------------------------------------------------------------------------------------------
// Tempo (traces).
//
// Docs: grafana.com/docs/tempo/latest/configuration/: compaction `block_retention` "Duration to keep
// blocks", default 336h; in 2.x under `compactor.compaction`, in 3.x under `backend_worker.compaction`
// (the backend worker runs retention jobs with its own compaction config). Overrides:
// `overrides.defaults.compaction.block_retention` "Per-user block retention. If this value is set to 0
// (default), then block_retention in the compactor configuration is used" (legacy flat format:
// `overrides.block_retention`). A per-tenant override (the overrides file's `overrides.<tenant>`)
// applies when the manifest names the model's trace tenant (`spec.traces.tenant`, the
// X-Scope-OrgID it writes under); the `*` wildcard is not applied. Every tenant's value is
// checked, so a bad one is reported.

const TEMPO_DEFAULT = 336 * HOUR;

function tempoRetention(reader: Reader, docs: Classified[], traceTenant: string | null): EffectiveRetention | null {
  // Every tenant's override is read, so a bad value is reported whichever tenant it belongs to; the
  // model's own tenant (spec.traces.tenant), when set, wins over the defaults (the last file wins).
  let tenantOverride: EffectiveRetention | null = null;
  for (const { doc } of docs.filter((d) => d.kind === "tempo-overrides")) {
    const overrides = (doc.value as Record<string, unknown>).overrides as Record<string, unknown>;
    for (const [tenant, block] of Object.entries(overrides)) {
      if (!isObject(block)) continue;
      const name = `overrides.${tenantName(tenant)}`;
      for (const [pointer, setting] of [
        [ptr("overrides", tenant, "compaction", "block_retention"), `${name}.compaction.block_retention`],
        [ptr("overrides", tenant, "block_retention"), `${name}.block_retention`],
      ] as const) {
        if (!has(doc.value, pointer)) continue;
        const seconds = reader.duration(doc, pointer, "prometheus", setting, "Tempo");
        // 0 means "use the compactor's value", as for the defaults.
        if (tenant === traceTenant && seconds !== undefined && seconds > 0) {
          reader.origin("/effective/traces", doc, pointer);
          tenantOverride = { seconds, backend: "tempo", setting, isDefault: false, file: doc.file };
        }
      }
    }
  }
  const config = docs.find((d) => d.kind === "tempo-config")?.doc;
  if (!config) return tenantOverride;
  const effective = (seconds: number, setting: string, pointer: string, isDefault = false): EffectiveRetention => {
    reader.origin("/effective/traces", config, pointer);
    return { seconds, backend: "tempo", setting, isDefault, file: config.file };
  };

  const defaultsPointer = "/overrides/defaults/compaction/block_retention";
  const legacyPointer = "/overrides/block_retention";
  const defaults = reader.duration(config, defaultsPointer, "prometheus", "overrides.defaults.compaction.block_retention", "Tempo");
  const legacy = reader.duration(config, legacyPointer, "prometheus", "overrides.block_retention", "Tempo");

  // Read both the worker's and the compactor's setting, so a bad value in either is reported.
  const usesWorker = has(config.value, "/backend_worker");
  const section = usesWorker ? "backend_worker" : "compactor";
  const workerSeconds = reader.duration(config, "/backend_worker/compaction/block_retention", "go", "backend_worker.compaction.block_retention", "Tempo");
  const compactorSeconds = reader.duration(config, "/compactor/compaction/block_retention", "go", "compactor.compaction.block_retention", "Tempo");

  if (tenantOverride) return tenantOverride;
  if (defaults !== undefined && defaults > 0) return effective(defaults, "overrides.defaults.compaction.block_retention", defaultsPointer);
  if (legacy !== undefined && legacy > 0) return effective(legacy, "overrides.block_retention", legacyPointer);
  const seconds = usesWorker ? workerSeconds : compactorSeconds;
  const pointer = `/${section}/compaction/block_retention`;
  if (seconds !== undefined) return effective(seconds, `${section}.compaction.block_retention`, pointer);
  return effective(TEMPO_DEFAULT, `${section}.compaction.block_retention (unset: Tempo default 336h)`, pointer, true);
}
