// Stage 3, model: documents → one ModelInput per model (its manifest, the alert and recording rules
// that belong to it, the retention its backends enforce, its parameters and the fleet index), plus
// one ModelInput without a model for the rule files no model owns. Every node remembers its origin
// (file and pointer). Schema problems (INP-002) and unresolved references (INP-003) are reported
// here; a manifest that breaks its schema is not evaluated: the run fails closed on it.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { documentPointer, escapePointerToken, toRepoPath, type LoadedDocument } from "../load/index.js";
import { locate, validateDocument } from "../schema/index.js";
import { compareStrings, type DocumentKind, type FileRecord, type InputProblem, type Position } from "../types.js";
import { buildModelInput, type Manifest } from "./manifest.js";
import { MODEL_INPUT_API_VERSION, type FleetIndex, type ModelInput, type Origin } from "./model-input.js";
import { defaultParams, DEFAULT_TIER, MODEL_LABEL, type Params, type Tier } from "./params.js";
import { collectorSettings } from "./collector.js";
import { effectiveRetention, type BackendDocuments } from "./retention.js";
import { scrapeSettings } from "./scrape.js";
import { indexRules, RecordingIndex, type IndexedRule, type IndexedRuleProblem, type RuleIndex } from "./rule-index.js";
import { readRuleFile } from "./rules.js";
import { analyzePromQL } from "./promql.js";

export type { FleetIndex, ModelInput, Origin } from "./model-input.js";
export { MODEL_INPUT_API_VERSION, fleetData } from "./model-input.js";
export { durationSeconds } from "./duration.js";
export { RecordingIndex } from "./rule-index.js";

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

/** A document as the fleet plan keeps it: where it is and what it holds, without its tree. */
export type DocumentStub = Omit<LoadedDocument, "value" | "sourceMap">;

/** What planning the fleet needs of one document, taken while its tree is at hand (`summariseDocument`). */
export interface DocumentSummary {
  stub: DocumentStub;
  manifest: ManifestSummary | null;
  /** A rule document: each rule's `model` label, in the order the rules are written. */
  ruleLabels: Array<string | undefined> | null;
}

export interface ManifestSummary {
  /** `metadata.name` when it is a string, valid manifest or not. */
  name: string | null;
  /** What `metadata` states where it is a string, for the report of a manifest that assembles no model. */
  stated: StatedMetadata;
  /** Where `metadata.name` is (or the nearest node to it). */
  nameAt: Position;
  /** The INP-002 problems of a manifest that breaks its schema; empty for a valid one. */
  violations: InputProblem[];
  /** Only for a valid manifest: */
  tier: Tier;
  metrics: Array<{ name: string; type: string }>;
  references: ManifestReference[];
}

/** A file a manifest names, in the order references are checked: alert files, then each backend slot. */
interface ManifestReference {
  pointer: string;
  reference: string;
  slot: BackendSlot | "alerts";
}

function acceptsKind(slot: ManifestReference["slot"], kind: DocumentKind): boolean {
  return slot === "alerts" ? RULE_KINDS.has(kind) : SLOT_KINDS[slot].has(kind);
}

function manifestReferences(manifest: Manifest): ManifestReference[] {
  const references: ManifestReference[] = (manifest.spec.alerts?.files ?? []).map((reference, i) => ({
    pointer: `/spec/alerts/files/${i}`, reference, slot: "alerts",
  }));
  for (const slot of BACKEND_SLOTS) {
    const listed = manifest.spec.backends?.[slot];
    const list = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
    list.forEach((reference, i) => references.push({ pointer: `/spec/backends/${slot}${Array.isArray(listed) ? `/${i}` : ""}`, reference, slot }));
  }
  return references;
}

/** An INP problem about a manifest, at a pointer into it. */
function manifestProblem(doc: LoadedDocument, rule: InputProblem["rule"], pointer: string, message: string, remediation: string): InputProblem {
  return {
    rule,
    file: doc.file,
    ...locate(doc.sourceMap, pointer),
    pointer: documentPointer(doc.multiDocument, doc.index, pointer),
    message,
    remediation,
    model: modelName(doc.value),
  };
}

/**
 * Takes what the fleet plan needs of a document (validating a manifest against its schema), and
 * adds a rule document's recording rules to `recordings`. The document can then be let go.
 */
export function summariseDocument(doc: LoadedDocument, recordings: RecordingIndex): DocumentSummary {
  // A copy: strings read from a file's text can keep the whole text alive, and the summary outlives it.
  return recordings.strings.copy(summary(doc, recordings));
}

function summary(doc: LoadedDocument, recordings: RecordingIndex): DocumentSummary {
  const { value: _value, sourceMap: _sourceMap, ...stub } = doc;
  if (doc.kind === "model-manifest") {
    const violations = validateDocument("manifest", doc.value, doc.sourceMap)
      .map((v) => manifestProblem(doc, "INP-002", v.pointer, v.message, v.remediation));
    const manifest = doc.value as Manifest;
    const valid = violations.length === 0;
    return {
      stub,
      manifest: {
        name: modelName(doc.value),
        stated: statedMetadata(doc.value),
        nameAt: locate(doc.sourceMap, "/metadata/name"),
        violations,
        tier: valid ? manifest.metadata.tier : DEFAULT_TIER,
        metrics: valid ? (manifest.spec.metrics ?? []).map((m) => ({ name: m.name, type: m.type })) : [],
        references: valid ? manifestReferences(manifest) : [],
      },
      ruleLabels: null,
    };
  }
  if (RULE_KINDS.has(doc.kind)) {
    const file = readRuleFile(doc);
    // Only recording rules are analysed here: their analyses resolve recorded names in any file.
    recordings.add(file.rules.map(({ rule }) => ({ rule, query: rule.record !== null && rule.expr !== null ? analyzePromQL(rule.expr) : null })));
    return { stub, manifest: null, ruleLabels: file.rules.map(({ rule }) => rule.labels[MODEL_LABEL]) };
  }
  return { stub, manifest: null, ruleLabels: null };
}

/** A file a model names, resolved against what was read (and, for what was not, the disk). */
interface ResolvedReference extends ManifestReference {
  target: string;
  repoPath: string;
  missing: boolean;
  /** The documents of the file that the field accepts. */
  found: DocumentStub[];
}

export interface PlannedModel {
  /** Its manifest's place among the fleet's manifests. */
  manifest: number;
  stub: DocumentStub;
  name: string;
  tier: Tier;
  references: ResolvedReference[];
}

export interface PlannedManifest {
  stub: DocumentStub;
  summary: ManifestSummary;
  /** Problems found while planning (schema, a second declaration of a name). */
  problems: InputProblem[];
}

/**
 * What the whole fleet decides before any model is assembled: which manifests are models, what each
 * names, which models own each rule, the recording rules of every file and the fleet index. Small
 * beside the documents, so models can then be assembled a batch at a time (`assembleBatch`).
 */
export interface FleetPlan {
  options: AssemblyOptions;
  manifests: PlannedManifest[];
  models: PlannedModel[];
  byAbsolute: Map<string, DocumentStub[]>;
  records: Map<string, FileRecord>;
  recordings: RecordingIndex;
  /** Per rule document (`documentKey`), per rule: the models that own it, sorted. */
  owners: Map<string, string[][]>;
  /** Absolute paths of rule files some manifest lists in `spec.alerts.files`. */
  ruleFilesOwned: Set<string>;
  /** Model name → absolute paths of files with rules labelled with it. */
  labelled: Map<string, Set<string>>;
  /** Absolute paths of rule files with rules or problems no model owns, in the order read. */
  unownedFiles: string[];
  usedFiles: Set<string>;
  fleet: FleetIndex;
}

function documentKey(doc: { absolute: string; index: number }): string {
  return `${doc.absolute}\0${doc.index}`;
}

export function planFleet(summaries: readonly DocumentSummary[], recordings: RecordingIndex, options: AssemblyOptions): FleetPlan {
  const exists = options.exists ?? existsSync;
  const byAbsolute = groupBy(summaries.map((s) => s.stub), (d) => d.absolute);
  const records = new Map((options.files ?? []).map((f) => [f.path, f]));
  const usedFiles = new Set<string>();
  const owners = new Map<string, string[][]>();
  const labelledRules = new Map<string, Array<{ owners: string[]; absolute: string }>>();
  for (const { stub, ruleLabels } of summaries) {
    if (ruleLabels === null) continue;
    const lists = ruleLabels.map(() => [] as string[]);
    owners.set(documentKey(stub), lists);
    ruleLabels.forEach((label, i) => {
      if (label === undefined) return;
      const list = labelledRules.get(label) ?? [];
      list.push({ owners: lists[i]!, absolute: stub.absolute });
      labelledRules.set(label, list);
    });
  }
  const manifests: PlannedManifest[] = [];
  const models: PlannedModel[] = [];
  const firstDeclared = new Map<string, PlannedManifest>();
  const ruleFilesOwned = new Set<string>();
  const labelled = new Map<string, Set<string>>();
  for (const { stub, manifest: summary } of summaries) {
    if (summary === null) continue;
    const planned: PlannedManifest = { stub, summary, problems: [...summary.violations] };
    manifests.push(planned);
    if (summary.violations.length > 0) continue;
    const name = summary.name!;
    const earlier = firstDeclared.get(name);
    if (earlier) {
      planned.problems.push({
        rule: "INP-002", file: stub.file, ...summary.nameAt,
        pointer: documentPointer(stub.multiDocument, stub.index, "/metadata/name"),
        message: `model \`${name}\` is already declared in ${earlier.stub.file}:${earlier.summary.nameAt.line}:${earlier.summary.nameAt.column}`,
        remediation: "give each model one manifest, or rename one of them",
        model: name,
      });
      continue;
    }
    firstDeclared.set(name, planned);
    usedFiles.add(stub.file);
    const base = dirname(stub.absolute);
    const references = summary.references.map((ref): ResolvedReference => {
      const target = resolve(base, ref.reference);
      const repoPath = toRepoPath(options.repoRoot, target);
      // A file that was read exists; only the others cost a look at the disk.
      const missing = !records.has(repoPath) && !byAbsolute.has(target) && !exists(target);
      const found = missing ? [] : (byAbsolute.get(target) ?? []).filter((d) => acceptsKind(ref.slot, d.kind));
      for (const d of found) usedFiles.add(d.file);
      return { ...ref, target, repoPath, missing, found };
    });
    // The rules it owns: those of the rule files it lists, and those labelled with its name.
    const owned = new Set<string[]>();
    for (const ref of references) {
      if (ref.slot !== "alerts") continue;
      for (const d of ref.found) {
        ruleFilesOwned.add(d.absolute);
        for (const rd of byAbsolute.get(d.absolute)!) for (const list of owners.get(documentKey(rd)) ?? []) owned.add(list);
      }
    }
    for (const rule of labelledRules.get(name) ?? []) {
      owned.add(rule.owners);
      if (!labelled.has(name)) labelled.set(name, new Set());
      labelled.get(name)!.add(rule.absolute);
    }
    for (const list of owned) list.push(name);
    models.push({ manifest: manifests.length - 1, stub, name, tier: summary.tier, references });
  }
  for (const lists of owners.values()) for (const list of lists) list.sort(compareStrings);
  // Every rule file is checked (by the rules that need no manifest, at least), even one without rules.
  const unownedFiles = new Set<string>();
  for (const { stub } of summaries) {
    if (!RULE_KINDS.has(stub.kind)) continue;
    usedFiles.add(stub.file);
    // Its problems are unowned unless a manifest lists the file; its rules, unless a model owns them.
    if (!ruleFilesOwned.has(stub.absolute) || owners.get(documentKey(stub))!.some((list) => list.length === 0)) unownedFiles.add(stub.absolute);
  }
  const declared = models.map((m) => manifests[m.manifest]!.summary.metrics);
  const fleet: FleetIndex = {
    models: models.map((m) => m.name).sort(),
    metrics: [...new Set(declared.flatMap((metrics) => metrics.map((metric) => metric.name)))].sort(),
    series: [...new Set(declared.flatMap((metrics) => metrics.flatMap(seriesOf)))].sort(),
    recorded: recordings.names(),
  };
  return { options, manifests, models, byAbsolute, records, recordings, owners, ruleFilesOwned, labelled, unownedFiles: [...unownedFiles], usedFiles, fleet };
}

/** Absolute paths of the files a batch of models reads: their manifests, the files they name, and those with rules labelled with their names. */
export function batchFiles(plan: FleetPlan, models: readonly number[]): Set<string> {
  const files = new Set<string>();
  for (const k of models) {
    const model = plan.models[k]!;
    files.add(model.stub.absolute);
    for (const ref of model.references) if (plan.byAbsolute.has(ref.target)) files.add(ref.target);
    for (const file of plan.labelled.get(model.name) ?? []) files.add(file);
  }
  return files;
}

export interface BatchAssembly {
  /** The models, in the order asked for, each with the problems found assembling it. */
  models: Array<{ model: AssembledModel; problems: InputProblem[]; plan: number }>;
  index: RuleIndex;
}

/**
 * Assembles the planned models `models` (indices into `plan.models`) from `documents`: every
 * document of the files `batchFiles` names for them, in the order they were read.
 */
export function assembleBatch(plan: FleetPlan, documents: readonly LoadedDocument[], models: readonly number[]): BatchAssembly {
  const { options } = plan;
  const byAbsolute = groupBy(documents, (d) => d.absolute);
  const byKey = new Map(documents.map((d) => [documentKey(d), d]));
  const index = indexRules(documents, plan.recordings);
  // Rules by file and by model label, so that finding a model's rules costs what it owns, not the fleet.
  const position = new Map(index.rules.map((r, i) => [r, i]));
  const rulesByFile = groupBy(index.rules, (r) => r.doc.absolute);
  const rulesByLabel = groupBy(index.rules.filter((r) => r.rule.labels[MODEL_LABEL] !== undefined), (r) => r.rule.labels[MODEL_LABEL]!);
  const problemsByFile = groupBy(index.problems, (p) => p.doc.absolute);
  const ownersOf = (r: IndexedRule) => plan.owners.get(documentKey(r.doc))![r.ordinal]!;
  const ownedRules = (files: ReadonlySet<string>, model: string): IndexedRule[] => {
    const found = new Set([...[...files].flatMap((f) => rulesByFile.get(f) ?? []), ...(rulesByLabel.get(model) ?? [])]);
    return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
  };

  const assembled = models.map((k) => {
    const planned = plan.models[k]!;
    const doc = byKey.get(documentKey(planned.stub))!;
    const manifest = doc.value as Manifest;
    const name = planned.name;
    const problems: InputProblem[] = [];
    const problem = (rule: InputProblem["rule"], pointer: string, message: string, remediation: string) =>
      problems.push(manifestProblem(doc, rule, pointer, message, remediation));

    // References: each must exist and hold the kind of document its field expects.
    const files = new Set<string>([doc.file]);
    const ruleFiles = new Set<string>();
    const backends: Required<BackendDocuments> = { prometheus: [], loki: [], tempo: [], collector: [], scrape: [], mimir: [], thanos: [] };
    for (const ref of planned.references) {
      files.add(ref.repoPath);
      if (ref.missing) {
        problem("INP-003", ref.pointer, `\`${ref.reference}\` does not exist (resolved to ${ref.repoPath})`,
          "correct the path, relative to the manifest's folder, or add the file");
        continue;
      }
      const record = plan.records.get(ref.repoPath);
      if (ref.found.length === 0 && record?.status !== "invalid") {
        const what = ref.slot === "alerts" ? "a Prometheus rule file" : SLOT_NAMES[ref.slot];
        const holds = record?.reason ? ` (${record.reason})` : "";
        problem("INP-003", ref.pointer, `\`${ref.reference}\` is not ${what}${holds}`, `point it at ${what}, or remove the reference`);
      }
      const found = (byAbsolute.get(ref.target) ?? []).filter((d) => acceptsKind(ref.slot, d.kind));
      if (ref.slot === "alerts") for (const d of found) ruleFiles.add(d.absolute);
      else backends[ref.slot].push(...found);
    }

    const { input, origins } = buildModelInput(doc, manifest);
    if (options.params) input.params = options.params(manifest.metadata.tier);
    const owned = ownedRules(ruleFiles, name);
    for (const rule of owned) files.add(rule.doc.file);
    attachRules(input, origins, owned, [...ruleFiles].flatMap((file) => problemsByFile.get(file) ?? []), (r) => [
      ...(ruleFiles.has(r.doc.absolute) ? ["file" as const] : []),
      ...(r.rule.labels[MODEL_LABEL] === name ? ["label" as const] : []),
    ], ownersOf);

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
    return { model: { input, origins, manifest: doc, files: [...files].sort(compareStrings) }, problems, plan: k };
  });
  return { models: assembled, index };
}

/** The input of the rules no model owns (from an index of at least `plan.unownedFiles`), or null when there are none. */
export function assembleUnowned(plan: FleetPlan, index: RuleIndex): AssembledModel | null {
  // Rules no model owns (by file or by label) are still checked by the rules that need no manifest.
  const unownedRules = index.rules.filter((r) => plan.owners.get(documentKey(r.doc))![r.ordinal]!.length === 0);
  const unownedProblems = index.problems.filter((p) => !plan.ruleFilesOwned.has(p.doc.absolute));
  if (unownedRules.length === 0 && unownedProblems.length === 0) return null;
  const origins = new Map<string, Origin>();
  const input = emptyInput();
  if (plan.options.params) input.params = plan.options.params(DEFAULT_TIER);
  attachRules(input, origins, unownedRules, unownedProblems, () => [], () => []);
  const files = new Set([...unownedRules.map((r) => r.doc.file), ...unownedProblems.map((p) => p.doc.file)]);
  return { input, origins, manifest: null, files: [...files].sort(compareStrings) };
}

/** The problems of the fleet in the order of its manifests (`assembled`: each planned model's, by its index), each reported once. */
export function fleetProblems(plan: FleetPlan, assembled: ReadonlyMap<number, readonly InputProblem[]>): InputProblem[] {
  const modelOf = new Map(plan.models.map((m, k) => [m.manifest, k]));
  return dedupe(plan.manifests.flatMap((m, i) => {
    const k = modelOf.get(i);
    return k === undefined ? m.problems : [...m.problems, ...(assembled.get(k) ?? [])];
  }));
}

/** The models a rule belongs to, sorted (none for a rule no model owns). */
export function ruleOwners(plan: FleetPlan, rule: IndexedRule): string[] {
  return plan.owners.get(documentKey(rule.doc))![rule.ordinal]!;
}

/** Every document at once: the plan, then every model in one batch. */
export function assembleModels(documents: readonly LoadedDocument[], options: AssemblyOptions): Assembly {
  const recordings = new RecordingIndex();
  const plan = planFleet(documents.map((d) => summariseDocument(d, recordings)), recordings, options);
  const batch = assembleBatch(plan, documents, plan.models.map((_, k) => k));
  return {
    models: batch.models.map((m) => m.model),
    unowned: assembleUnowned(plan, batch.index),
    problems: fleetProblems(plan, new Map(batch.models.map((m) => [m.plan, m.problems]))),
    usedFiles: plan.usedFiles,
    rules: batch.index.rules.map((rule) => ({ rule, models: ruleOwners(plan, rule) })),
    fleet: plan.fleet,
  };
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
function seriesOf(metric: { name: string; type: string }): string[] {
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

export interface StatedMetadata {
  name: string | null;
  owner: string | null;
  tier: string | null;
  riskClass: string | null;
}

/** A manifest's `metadata` as written, each field where it is a string, valid manifest or not. */
export function statedMetadata(value: unknown): StatedMetadata {
  const metadata = ((value as { metadata?: Record<string, unknown> } | null)?.metadata ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return { name: text(metadata.name), owner: text(metadata.owner), tier: text(metadata.tier), riskClass: text(metadata.riskClass) };
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

