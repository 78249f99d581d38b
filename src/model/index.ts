// Stage 3, model: documents → one ModelInput per model (its manifest, the alert and recording rules
// that belong to it, the retention its backends enforce, its parameters and the fleet index), plus
// one ModelInput without a model for the rule files no model owns. Every node remembers its origin
// (file and pointer). Schema problems (INP-002) and unresolved references (INP-003) are reported
// here; a manifest that breaks its schema is not evaluated: the run fails closed on it.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { documentPointer, escapePointerToken, toRepoPath, type LoadedDocument } from "../load/index.js";
import { locate, validateDocument } from "../schema/index.js";
import { compareStrings, type DocumentKind, type FileRecord, type InputProblem } from "../types.js";
import { buildModelInput, type Manifest } from "./manifest.js";
import { MODEL_INPUT_API_VERSION, type FleetIndex, type ModelInput, type Origin } from "./model-input.js";
import { defaultParams, DEFAULT_TIER, MODEL_LABEL, type Params, type Tier } from "./params.js";
import { collectorSettings } from "./collector.js";
import { effectiveRetention, type BackendDocuments } from "./retention.js";
import { scrapeSettings } from "./scrape.js";
import { indexRules, type IndexedRule, type IndexedRuleProblem } from "./rule-index.js";

export type { FleetIndex, ModelInput, Origin } from "./model-input.js";
export { MODEL_INPUT_API_VERSION, fleetData } from "./model-input.js";
export { durationSeconds } from "./duration.js";

export interface AssembledModel {
  input: ModelInput;
  /** ModelInput pointer → where that node came from. */
  origins: Map<string, Origin>;
  /** The manifest, or null for the input of rule files no model owns. */
  manifest: LoadedDocument | null;
  /**
   * Repository-relative paths of every file the model reads or names (its manifest, rule files,
   * backend configs, and references that do not resolve), sorted: a change to any of them is a
   * change to the model (`--changed-since`).
   */
  files: string[];
}

export interface AssemblyOptions {
  repoRoot: string;
  /** Every file read, to tell a reference to a file of the wrong kind from one that is missing. */
  files?: readonly FileRecord[];
  /** Whether a referenced file exists; injected so tests can stand in for the disk. */
  exists?: (absolute: string) => boolean;
  /** `input.params` for a model of the tier (`.obsgate.yaml`); default: the defaults of POLICIES.md. */
  params?: (tier: Tier) => Params;
}

export interface Assembly {
  models: AssembledModel[];
  /** The rule files no model owns, still checked by the rules that need no manifest; null if none. */
  unowned: AssembledModel | null;
  problems: InputProblem[];
  /** Repository-relative paths of the files some ModelInput reads. */
  usedFiles: Set<string>;
  /** Every rule read, with the models it belongs to (none for a rule no model owns). */
  rules: Array<{ rule: IndexedRule; models: string[] }>;
  /** What the whole fleet declares, for the checks that look across models (`data.fleet`). */
  fleet: FleetIndex;
}

type BackendSlot = keyof BackendDocuments;
const BACKEND_SLOTS: readonly BackendSlot[] = ["prometheus", "loki", "tempo", "collector", "scrape", "mimir", "thanos"];
const RULE_KINDS: ReadonlySet<DocumentKind> = new Set(["prometheus-rules", "prometheus-rule-resource"]);
/** The document kinds each backend slot of a manifest accepts. */
const SLOT_KINDS: Record<BackendSlot, ReadonlySet<DocumentKind>> = {
  prometheus: new Set(["prometheus-config", "prometheus-workload", "prometheus-operator"]),
  loki: new Set(["loki-config", "loki-overrides"]),
  tempo: new Set(["tempo-config", "tempo-overrides"]),
  collector: new Set(["otel-collector-config"]),
  scrape: new Set(["prometheus-config", "prometheus-servicemonitor", "prometheus-podmonitor"]),
  mimir: new Set(["mimir-config", "mimir-overrides"]),
  thanos: new Set(["thanos-compact"]),
};
const SLOT_NAMES: Record<BackendSlot, string> = {
  prometheus: "a Prometheus config, Operator Prometheus resource or Prometheus Deployment/StatefulSet",
  loki: "a Loki config or Loki runtime overrides file",
  tempo: "a Tempo config or Tempo overrides file",
  collector: "an OpenTelemetry Collector config or OpenTelemetryCollector resource",
  scrape: "a Prometheus config with scrape_configs, a ServiceMonitor or a PodMonitor",
  mimir: "a Mimir config or Mimir runtime overrides file",
  thanos: "a Thanos compactor Deployment/StatefulSet (thanos compact)",
};

/** Files a manifest names, read leniently (before validation) so they can be loaded when not under the PATHs. */
export function referencedFiles(doc: LoadedDocument): string[] {
  const spec = (doc.value as { spec?: { alerts?: { files?: unknown }; backends?: Record<string, unknown> } }).spec;
  const names = [spec?.alerts?.files, ...Object.values(spec?.backends ?? {})].flat();
  return names.filter((n): n is string => typeof n === "string").map((n) => resolve(dirname(doc.absolute), n));
}

export function assembleModels(documents: readonly LoadedDocument[], options: AssemblyOptions): Assembly {
  const exists = options.exists ?? existsSync;
  const problems: InputProblem[] = [];
  const models: AssembledModel[] = [];
  const usedFiles = new Set<string>();
  const firstDeclared = new Map<string, LoadedDocument>();
  const byAbsolute = groupBy(documents, (d) => d.absolute);
  const records = new Map((options.files ?? []).map((f) => [f.path, f]));
  const index = indexRules(documents);
  const ruleFilesOwned = new Set<string>();
  const owners = new Map<IndexedRule, string[]>(index.rules.map((r) => [r, []]));
  // Rules by file and by model label, so that finding a model's rules costs what it owns, not the fleet.
  const position = new Map(index.rules.map((r, i) => [r, i]));
  const rulesByFile = groupBy(index.rules, (r) => r.doc.absolute);
  const rulesByLabel = groupBy(index.rules.filter((r) => r.rule.labels[MODEL_LABEL] !== undefined), (r) => r.rule.labels[MODEL_LABEL]!);
  const problemsByFile = groupBy(index.problems, (p) => p.doc.absolute);
  const ownedRules = (files: ReadonlySet<string>, model: string): IndexedRule[] => {
    const found = new Set([...[...files].flatMap((f) => rulesByFile.get(f) ?? []), ...(rulesByLabel.get(model) ?? [])]);
    return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
  };

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
    usedFiles.add(doc.file);

    // References: each must exist and hold the kind of document its field expects.
    const base = dirname(doc.absolute);
    const files = new Set<string>([doc.file]);
    const resolveReference = (pointer: string, reference: string, accepts: (kind: DocumentKind) => boolean, what: string) => {
      const target = resolve(base, reference);
      const repoPath = toRepoPath(options.repoRoot, target);
      files.add(repoPath);
      const record = records.get(repoPath);
      // A file that was read exists; only the others cost a look at the disk.
      if (record === undefined && !byAbsolute.has(target) && !exists(target)) {
        problems.push(problem("INP-003", pointer,
          `\`${reference}\` does not exist (resolved to ${repoPath})`,
          "correct the path, relative to the manifest's folder, or add the file"));
        return [];
      }
      const found = (byAbsolute.get(target) ?? []).filter((d) => accepts(d.kind));
      if (found.length === 0 && record?.status !== "invalid") {
        const holds = record?.reason ? ` (${record.reason})` : "";
        problems.push(problem("INP-003", pointer, `\`${reference}\` is not ${what}${holds}`,
          `point it at ${what}, or remove the reference`));
      }
      for (const d of found) usedFiles.add(d.file);
      return found;
    };

    const ruleFiles = new Set<string>();
    (manifest.spec.alerts?.files ?? []).forEach((reference, i) => {
      for (const d of resolveReference(`/spec/alerts/files/${i}`, reference, (k) => RULE_KINDS.has(k), "a Prometheus rule file")) {
        ruleFiles.add(d.absolute);
        ruleFilesOwned.add(d.absolute);
      }
    });
    const backends: Required<BackendDocuments> = { prometheus: [], loki: [], tempo: [], collector: [], scrape: [], mimir: [], thanos: [] };
    for (const slot of BACKEND_SLOTS) {
      const listed = manifest.spec.backends?.[slot];
      const references = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
      references.forEach((reference, i) => {
        const pointer = `/spec/backends/${slot}${Array.isArray(listed) ? `/${i}` : ""}`;
        backends[slot].push(...resolveReference(pointer, reference, (k) => SLOT_KINDS[slot].has(k), SLOT_NAMES[slot]));
      });
    }

    const { input, origins } = buildModelInput(doc, manifest);
    if (options.params) input.params = options.params(manifest.metadata.tier);
    const name = manifest.metadata.name;
    const owned = ownedRules(ruleFiles, name);
    for (const rule of owned) {
      owners.get(rule)!.push(name);
      usedFiles.add(rule.doc.file);
      files.add(rule.doc.file);
    }
    attachRules(input, origins, owned, [...ruleFiles].flatMap((file) => problemsByFile.get(file) ?? []), (r) => [
      ...(ruleFiles.has(r.doc.absolute) ? ["file" as const] : []),
      ...(r.rule.labels[MODEL_LABEL] === name ? ["label" as const] : []),
    ], (r) => owners.get(r)!);

    const retention = effectiveRetention(
      backends,
      { tenant: input.logs?.tenant ?? null, stream: input.logs?.stream ?? {} },
      { tenant: input.traces?.tenant ?? null },
    );
    input.retention.effective = retention.effective;
    input.retention.loki = retention.loki;
    input.retention.longTerm = retention.longTerm;
    const scrape = scrapeSettings(backends, [name, ...(manifest.spec.serving?.service ? [manifest.spec.serving.service] : [])]);
    input.scrape = scrape.scrape;
    const collector = collectorSettings(backends.collector);
    input.collector = collector.collector;
    for (const [section, found] of [["/retention", retention.origins], ["/scrape", scrape.origins], ["/collector", collector.origins]] as const) {
      for (const origin of found) origins.set(`${section}${origin.inputPointer}`, { file: origin.file, document: origin.document, pointer: origin.pointer });
    }
    problems.push(...retention.problems, ...scrape.problems, ...collector.problems);
    models.push({ input, origins, manifest: doc, files: [...files].sort(compareStrings) });
  }

  // Each input holds its rules' owner lists by reference: complete once every manifest is read.
  for (const list of owners.values()) list.sort(compareStrings);
  // Rules no model owns (by file or by label) are still checked by the rules that need no manifest.
  const unownedRules = index.rules.filter((r) => owners.get(r)!.length === 0);
  const unownedProblems = index.problems.filter((p) => !ruleFilesOwned.has(p.doc.absolute));
  let unowned: AssembledModel | null = null;
  if (unownedRules.length > 0 || unownedProblems.length > 0) {
    const origins = new Map<string, Origin>();
    const input = emptyInput();
    if (options.params) input.params = options.params(DEFAULT_TIER);
    attachRules(input, origins, unownedRules, unownedProblems, () => [], () => []);
    const files = new Set([...unownedRules.map((r) => r.doc.file), ...unownedProblems.map((p) => p.doc.file)]);
    unowned = { input, origins, manifest: null, files: [...files].sort(compareStrings) };
  }
  // Every rule file is checked (by the rules that need no manifest, at least), even one without rules.
  for (const doc of documents) if (RULE_KINDS.has(doc.kind)) usedFiles.add(doc.file);

  const fleet: FleetIndex = {
    models: models.map((m) => m.input.model!.name).sort(),
    metrics: [...new Set(models.flatMap((m) => m.input.metrics.map((metric) => metric.name)))].sort(),
    series: [...new Set(models.flatMap((m) => m.input.metrics.flatMap(seriesOf)))].sort(),
    recorded: index.recorded,
  };
  const rules = index.rules.map((rule) => ({ rule, models: owners.get(rule)!.sort() }));
  return { models, unowned, problems: dedupe(problems), usedFiles, rules, fleet };
}

/** Adds rules and rule-file problems to an input, recording where each came from. */
function attachRules(
  input: ModelInput,
  origins: Map<string, Origin>,
  rules: readonly IndexedRule[],
  ruleProblems: readonly IndexedRuleProblem[],
  ownedBy: (rule: IndexedRule) => ModelInput["rules"][number]["ownedBy"],
  owners: (rule: IndexedRule) => string[],
): void {
  const from = (inputPointer: string, doc: LoadedDocument, pointer: string) =>
    origins.set(inputPointer, { file: doc.file, document: doc.index, pointer });
  // Without a manifest, the input as a whole is located at its first rule file.
  const first = rules[0]?.doc ?? ruleProblems[0]?.doc;
  if (!origins.has("") && first) from("", first, "");
  rules.forEach((indexed, k) => {
    const at = `/rules/${k}`;
    from(at, indexed.doc, indexed.pointer);
    from(`${at}/query`, indexed.doc, `${indexed.pointer}/expr`);
    from(`${at}/forSeconds`, indexed.doc, `${indexed.pointer}/for`);
    from(`${at}/group`, indexed.doc, `${indexed.pointer.replace(/\/rules\/\d+$/, "")}/name`);
    from(`${at}/type`, indexed.doc, indexed.pointer);
    from(`${at}/ownedBy`, indexed.doc, indexed.pointer);
    for (const [label, pointer] of Object.entries(indexed.labelPointers)) from(`${at}/labels/${escapePointerToken(label)}`, indexed.doc, pointer);
    input.rules.push({ ...indexed.rule, ownedBy: ownedBy(indexed), owners: owners(indexed) });
  });
  ruleProblems.forEach((indexed, k) => {
    from(`/ruleProblems/${k}`, indexed.doc, indexed.pointer);
    input.ruleProblems.push(indexed.problem);
  });
}

/** The series names a declared metric exposes, as Prometheus stores them. */
function seriesOf(metric: ModelInput["metrics"][number]): string[] {
  switch (metric.type) {
    case "histogram":
      return [metric.name, `${metric.name}_bucket`, `${metric.name}_count`, `${metric.name}_sum`];
    case "summary":
      return [metric.name, `${metric.name}_count`, `${metric.name}_sum`];
    default:
      return [metric.name];
  }
}

/** The ModelInput of rule files no model owns: no model, no manifest, only rules. */
function emptyInput(): ModelInput {
  return {
    apiVersion: MODEL_INPUT_API_VERSION,
    model: null,
    metrics: [],
    slos: [],
    logs: null,
    traces: null,
    drift: null,
    payloadLogging: null,
    scrape: null,
    collector: null,
    resource: {},
    alerts: { files: [] },
    rules: [],
    ruleProblems: [],
    retention: {
      declared: { metricsSeconds: null, logsSeconds: null, tracesSeconds: null },
      effective: { metrics: null, logs: null, traces: null },
      loki: null,
      longTerm: [],
    },
    params: defaultParams(),
    manifest: null,
  };
}

function modelName(value: unknown): string | null {
  const name = (value as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === "string" ? name : null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A shared backend config with a bad value is named by each model that reads it: report it once. */
function dedupe(problems: readonly InputProblem[]): InputProblem[] {
  const seen = new Map<string, InputProblem>();
  for (const p of problems) {
    const key = [p.rule, p.file, p.pointer, p.message].join("\0");
    if (!seen.has(key)) seen.set(key, p);
  }
  return [...seen.values()];
}

