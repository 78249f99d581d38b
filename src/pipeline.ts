// The whole run, stage after stage: discover → load → validate and assemble → evaluate → report.
// The CLI and the tests call these functions; nothing here prints or exits.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { resolveConfig, ruleReferenceDiagnostics, type Config, type FailOn } from "./config/index.js";
import { findWaiversFile, readWaiversFile, unknownRuleDiagnostics, type WaiversFile } from "./config/waivers.js";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { discoverFiles, loadEachFile, reloadDocuments, repositoryRoot, toRepoPath, type DiscoveredFile, type InlineIgnore, type LoadedDocument } from "./load/index.js";
import {
  assembleBatch, assembleModels, assembleUnowned, batchFiles, fleetProblems, planFleet, RecordingIndex, referencedFiles, statedMetadata, summariseDocument,
  type AssembledModel, type Assembly, type AssemblyOptions, type DocumentSummary, type StatedMetadata,
} from "./model/index.js";
import { indexRules } from "./model/rule-index.js";
import { packageRoot } from "./package-root.js";
import {
  documentLookup, encodeModel, evaluateEncoded, evaluateModel, EvaluationPool, FindingMerger, loadBuiltinPolicySet, loadUserPolicySet, mergeData, prepareSets, readDataFile, ruleIdClashes, ruleCatalogue,
  type DataDocument, type EncodedInput, type PolicySet,
} from "./policy/index.js";
import type { RawFinding } from "./policy/engine.js";
import { applyWaivers } from "./policy/waivers.js";
import { buildReport, type Report, type ReportModel } from "./report/index.js";
import { reportTiers } from "./report/tiers.js";
import { changedFiles, type ChangeSet } from "./load/changes.js";
import { DEFAULT_TIER, type Tier } from "./model/params.js";
import { markPreExisting } from "./policy/changed.js";
import { OWN_RULES } from "./policy/own-rules.js";
import { locate } from "./schema/index.js";
import type { FileRecord, InputProblem } from "./types.js";

export interface RunOptions {
  paths: string[];
  cwd: string;
  /** `--config`; otherwise the nearest `.obsgate.yaml`. */
  config?: string;
  /** `--waivers`; otherwise the config's `waivers`, else `waivers.yaml` at the repository root. */
  waivers?: string;
  /** `--now`: the run's one clock (default: the real time), read once and passed on as `Inputs.now`. */
  now?: Date;
  /** Hash every file as it is read, into `Inputs.digests` (for a signed attestation, or the deploy gate). */
  digests?: boolean;
}

export interface CheckOptions extends RunOptions {
  failOn?: FailOn;
  /** Users' policy sets evaluated beside the built-in one (folders of Rego, `.wasm`, bundles), after the config's. */
  policies?: string[];
  /** `--data` files (JSON/YAML) for users' policies, after the config's. */
  data?: string[];
  /** Where opa and the policy cache are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** `--changed-since`: a git ref; only findings in models or files changed since it decide the result. */
  changedSince?: string;
  /** The changes when the caller already knows them (a pull request's files, from GitHub's API): as `changedSince`, without asking git. */
  changes?: ChangeSet;
  /**
   * Evaluation workers for a fleet of more than one batch (default: one per core besides the main
   * thread's); 0 evaluates in the main thread. The findings are the same either way.
   */
  workers?: number;
}

/** What a check keeps of its inputs once every model is evaluated: no documents, no assembled models. */
export interface CheckInputs {
  repoRoot: string;
  config: Config;
  /** The one clock of the run: every expiry, age and timestamp is judged by it. */
  now: Date;
  /** The waivers file, read and validated, or null when there is none. */
  waivers: WaiversFile | null;
  /** `# obsgate:ignore` comments of the checked files. */
  ignores: InlineIgnore[];
  files: FileRecord[];
  /** Repository-relative path → SHA-256 of the bytes read, for every file read whole; empty unless `digests` was asked for. */
  digests: ReadonlyMap<string, string>;
  /** Each evaluated input (the rule files no model owns last): its model, tier and files. */
  models: CheckedModel[];
  reportModels: ReportModel[];
  problems: InputProblem[];
  fleet: Assembly["fleet"];
}

export interface CheckedModel {
  name: string | null;
  tier: Tier;
  /** Every file the input reads or names (`AssembledModel.files`). */
  files: string[];
}

/** Everything before policies run, held at once: what was found, read, validated and assembled. */
export interface Inputs extends Omit<CheckInputs, "models"> {
  documents: LoadedDocument[];
  models: AssembledModel[];
  /** Every alert and recording rule read, with the models it belongs to. */
  rules: Assembly["rules"];
}

export function obsgateVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** What reading the inputs finds before any model is assembled (`surveyInputs`). */
interface Survey {
  repoRoot: string;
  config: Config;
  now: Date;
  waivers: WaiversFile | null;
  files: FileRecord[];
  problems: InputProblem[];
  ignores: InlineIgnore[];
  digests: Map<string, string>;
}

/**
 * Finds and reads the inputs, handing each file's documents to `take` (which keeps what it needs
 * of them): the PATHs' files, then the files their manifests name outside them.
 */
function surveyInputs(options: RunOptions, take: (documents: LoadedDocument[], file: DiscoveredFile, bytes: Buffer | null) => void): Survey {
  const paths = options.paths.length > 0 ? options.paths : ["."];
  const repoRoot = repositoryRoot(paths, options.cwd);
  const config = resolveConfig(options.config, options.cwd, repoRoot);
  const now = options.now ?? new Date();
  // Read before the inputs, so a broken waivers file stops the run before any work.
  const waiversPath = findWaiversFile(options.waivers, config.waivers, options.cwd, repoRoot);
  const waivers = waiversPath === null ? null : readWaiversFile(waiversPath, repoRoot);
  const discovery = discoverFiles(paths, { cwd: options.cwd, repoRoot, include: config.include, exclude: config.exclude });
  // The waivers file is run configuration, like .obsgate.yaml, not an input to check.
  if (waiversPath !== null) discovery.files = discovery.files.filter((f) => f.absolute !== waiversPath);
  if (discovery.diagnostics.length > 0) throw new DiagnosticError(discovery.diagnostics);
  if (discovery.files.length === 0 && discovery.unlistable.length === 0) {
    throw new DiagnosticError(
      diagnostic("no_input", `nothing to check: no YAML or JSON file under ${paths.join(", ")} (after .gitignore and excludes)`),
    );
  }
  const loadOptions = { digests: options.digests === true };
  // Files a manifest names that the PATHs do not cover are read too: they are part of its model.
  const named = new Set<string>();
  const discovered = loadEachFile(discovery.files, config.limits, loadOptions, (documents, file, bytes) => {
    for (const doc of documents) if (doc.kind === "model-manifest") for (const absolute of referencedFiles(doc)) named.add(absolute);
    take(documents, file, bytes);
  });
  for (const folder of discovery.unlistable) {
    discovered.files.push({ path: folder.path, kind: "unknown", status: "invalid", reason: `cannot list the folder (${folder.reason})` });
    discovered.problems.push({
      rule: "INP-001", file: folder.path, line: 1, column: 1, pointer: "",
      message: `cannot list the folder (${folder.reason}): nothing in it was checked`,
      remediation: "make the folder readable, or exclude it in .obsgate.yaml", model: null,
    });
  }
  const known = new Set(discovery.files.map((f) => f.absolute));
  const extra = [...named]
    .filter((absolute) => !known.has(absolute) && existsSync(absolute))
    .sort()
    .map((absolute) => ({ absolute, path: toRepoPath(repoRoot, absolute) }));
  const referenced = loadEachFile(extra, config.limits, loadOptions, take);
  return {
    repoRoot,
    config,
    now,
    waivers,
    files: [...discovered.files, ...referenced.files],
    problems: [...discovered.problems, ...referenced.problems],
    ignores: [...discovered.ignores, ...referenced.ignores],
    digests: new Map([...discovered.digests, ...referenced.digests]),
  };
}

function assemblyOptions(survey: Survey): AssemblyOptions {
  return {
    repoRoot: survey.repoRoot,
    files: survey.files,
    // Each model's parameters, resolved for its tier from .obsgate.yaml.
    params: (tier) => structuredClone(survey.config.tiers.tiers[tier].params),
  };
}

function refuseEmpty(survey: Survey, documents: number, problems: readonly InputProblem[]): void {
  if (documents === 0 && problems.length === 0) {
    const reasons = survey.files.map((f) => `${f.path}: ${f.reason ?? f.status}`).slice(0, 5).join("; ");
    throw new DiagnosticError(
      diagnostic("no_input", `nothing to check: none of ${survey.files.length} file(s) is a model manifest or rule file (${reasons})`),
    );
  }
}

/** Every file's record, told whether some input used it and whether a problem made it invalid. */
function fileRecords(survey: Survey, usedFiles: ReadonlySet<string>, problems: readonly InputProblem[]): FileRecord[] {
  return survey.files.map((file) => markInvalid(markUnused(file, usedFiles), problems));
}

/** Everything before policies run, every document and model held at once (`inspect`, `gate --root`, tests). */
export async function readInputs(options: RunOptions): Promise<Inputs> {
  const documents: LoadedDocument[] = [];
  const survey = surveyInputs(options, (docs) => documents.push(...docs));
  const assembly = assembleModels(documents, assemblyOptions(survey));
  const problems = [...survey.problems, ...assembly.problems];
  refuseEmpty(survey, documents.length, problems);
  const assembled = new Map(assembly.models.map((m) => [m.manifest, m.input]));
  return {
    repoRoot: survey.repoRoot,
    config: survey.config,
    now: survey.now,
    waivers: survey.waivers,
    ignores: survey.ignores,
    files: fileRecords(survey, assembly.usedFiles, problems),
    digests: survey.digests,
    documents,
    models: assembly.unowned ? [...assembly.models, assembly.unowned] : assembly.models,
    reportModels: documents
      .filter((d) => d.kind === "model-manifest")
      .map((doc) => reportModel(doc, statedMetadata(doc.value), locate(doc.sourceMap, "/metadata/name").line, assembled.get(doc) ?? null)),
    problems,
    rules: assembly.rules,
    fleet: assembly.fleet,
  };
}

/** A backend config that no manifest names is read but checks nothing: say so rather than claim it evaluated. */
function markUnused(file: FileRecord, used: ReadonlySet<string>): FileRecord {
  if (file.status !== "evaluated" || used.has(file.path) || file.kind === "model-manifest") return file;
  return { ...file, status: "skipped", reason: `a backend config (${file.kind}) that no manifest names in spec.backends` };
}

/**
 * A file that could not be read or breaks its schema (INP-001, INP-002) is invalid. One that names a
 * missing file (INP-003) was still read and evaluated, and its finding says what is wrong.
 */
function markInvalid(file: FileRecord, problems: readonly InputProblem[]): FileRecord {
  const problem = problems.find((p) => p.file === file.path && (p.rule === "INP-001" || p.rule === "INP-002"));
  return problem && file.status !== "invalid" ? { ...file, status: "invalid", reason: problem.message } : file;
}

/** A manifest's model in the report, evaluated or not, so a broken manifest still shows. */
function reportModel(
  doc: { file: string },
  stated: StatedMetadata,
  line: number,
  input: AssembledModel["input"] | null,
): ReportModel {
  return {
    name: input?.model?.name ?? stated.name ?? `(unnamed in ${doc.file})`,
    version: input?.model?.version ?? null,
    owner: input?.model?.owner ?? stated.owner,
    tier: input?.model?.tier ?? stated.tier,
    riskClass: input?.model?.riskClass ?? stated.riskClass,
    file: doc.file,
    line,
    status: input ? "evaluated" : "invalid",
    retention: input ? retentionOf(input) : null,
  };
}

function retentionOf(input: AssembledModel["input"]): ReportModel["retention"] {
  const { declared, effective } = input.retention;
  const signal = (declaredSeconds: number | null, enforced: (typeof effective)["metrics"]) => ({ declaredSeconds, enforced });
  return {
    metrics: signal(declared.metricsSeconds, effective.metrics),
    logs: signal(declared.logsSeconds, effective.logs),
    traces: signal(declared.tracesSeconds, effective.traces),
  };
}

export interface PolicySetOptions {
  /** Data files for users' policies, relative to cwd (or absolute). */
  data?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedPolicySets {
  /** The built-in set first, then each user's. */
  sets: PolicySet[];
  /** The `--data` files read (each once), in the order given: the report and the attestation name them with their digests. */
  data: DataDocument[];
}

/** The built-in set, then each user's policy (a path named twice is loaded once); rule ids must not clash. */
export async function loadPolicySets(paths: readonly string[], cwd: string, repoRoot: string, options: PolicySetOptions = {}): Promise<LoadedPolicySets> {
  const sets = [await loadBuiltinPolicySet()];
  // Read (and merge, to report conflicts) the data even when no user policy needs it: a bad file is a bad run.
  // A file named twice (in the config and on the command line) is read once, not merged with itself.
  const data = [...new Set((options.data ?? []).map((path) => resolve(cwd, path)))].map((absolute) => readDataFile(absolute, toRepoPath(repoRoot, absolute)));
  mergeData(data);
  for (const absolute of [...new Set(paths.map((path) => resolve(cwd, path)))]) {
    const name = toRepoPath(repoRoot, absolute);
    const displayDir = existsSync(absolute) && statSync(absolute).isFile() ? toRepoPath(repoRoot, dirname(absolute)) : name;
    sets.push(await loadUserPolicySet(absolute, { name, displayDir, data, env: options.env }));
  }
  const clashes = ruleIdClashes(sets);
  if (clashes.length > 0) throw new DiagnosticError(clashes);
  return { sets, data };
}

export interface CheckRun {
  report: Report;
  inputs: CheckInputs;
}

/**
 * Models assembled, evaluated and located at a time. Their documents, inputs and origins are let
 * go before the next batch: only the findings (file:line:col) stay.
 */
const BATCH_MODELS = 100;

export async function runCheck(options: CheckOptions): Promise<CheckRun> {
  // First pass: every file read and parsed once; of its documents only a summary stays (and the
  // bytes, to parse a file again when its models are assembled), which plans the fleet.
  const recordings = new RecordingIndex();
  const summaries: DocumentSummary[] = [];
  const sources = new Map<string, { file: DiscoveredFile; bytes: Buffer; order: number }>();
  const survey = surveyInputs(options, (documents, file, bytes) => {
    for (const doc of documents) summaries.push(summariseDocument(doc, recordings));
    if (bytes !== null) sources.set(file.absolute, { file, bytes, order: sources.size });
  });
  const plan = planFleet(summaries, recordings, assemblyOptions(survey));
  summaries.length = 0;
  refuseEmpty(survey, plan.byAbsolute.size, [...survey.problems, ...fleetProblems(plan, new Map())]);
  const { config } = survey;
  // Before any policy runs: an unknown ref is a mistake in the command line, found fast.
  const changes = options.changes ?? (options.changedSince === undefined ? null : changedFiles(survey.repoRoot, options.changedSince));
  const { sets, data } = await loadPolicySets([...config.policies, ...(options.policies ?? [])], options.cwd, survey.repoRoot, {
    data: [...config.data, ...(options.data ?? [])],
    env: options.env,
  });
  if (survey.waivers) {
    const catalogue = ruleCatalogue(sets);
    const unknown = unknownRuleDiagnostics(survey.waivers, (id) => catalogue.has(id));
    if (unknown.length > 0) throw new DiagnosticError(unknown);
  }
  // Rule ids in the config's params/rules must name a rule of the loaded policy sets.
  const builtinRules = new Set([...OWN_RULES.map((r) => r.id), ...sets.filter((s) => s.name === "builtin").flatMap((s) => [...s.metadata.keys()])]);
  const unknownRules = ruleReferenceDiagnostics(config.tiers.references, new Set(ruleCatalogue(sets).keys()), builtinRules, config.file ?? ".obsgate.yaml");
  if (unknownRules.length > 0) throw new DiagnosticError(unknownRules);
  const tierOf = (model: AssembledModel) => model.input.model?.tier ?? DEFAULT_TIER;

  // Second pass: a batch of models at a time, from their files parsed again.
  prepareSets(sets, plan.fleet);
  const merger = new FindingMerger(ruleCatalogue(sets), (model) => config.tiers.tiers[tierOf(model)].rules);
  const reload = (absolutes: Iterable<string>) =>
    [...absolutes]
      .map((absolute) => sources.get(absolute)!)
      .sort((a, b) => a.order - b.order)
      .flatMap((source) => reloadDocuments(source.file, source.bytes, config.limits));
  // A file's bytes are let go once the last batch that reads it is done.
  const readers = new Map<string, number>();
  const batches: number[][] = [];
  for (let from = 0; from < plan.models.length; from += BATCH_MODELS) batches.push(plan.models.slice(from, from + BATCH_MODELS).map((_, i) => from + i));
  const batchReads = batches.map((batch) => batchFiles(plan, batch));
  for (const files of [...batchReads, new Set(plan.unownedFiles)]) for (const file of files) readers.set(file, (readers.get(file) ?? 0) + 1);
  const release = (files: Iterable<string>) => {
    for (const file of files) {
      const left = readers.get(file)! - 1;
      readers.set(file, left);
      if (left === 0) sources.delete(file);
    }
  };
  const checked: CheckedModel[] = [];
  const assembledProblems = new Map<number, InputProblem[]>();
  const evaluated = new Map<number, ReportModel>();
  const workers = batches.length <= 1 ? 0 : (options.workers ?? EvaluationPool.defaultSize());
  const pool = workers > 0 ? new EvaluationPool(sets, plan.fleet, workers) : null;
  // A batch's raw findings, from the workers or, for a small fleet, here: the same evaluation.
  const evaluateAll = (inputs: EncodedInput[]) => (pool ? pool.evaluate(inputs) : Promise.resolve(inputs.map((input) => evaluateEncoded(sets, input))));
  // Located and merged in the fleet's order; while the workers evaluate one batch, the next is read and assembled.
  const locate = (models: readonly AssembledModel[], documents: readonly LoadedDocument[], raws: RawFinding[][]) => {
    const documentOf = documentLookup(documents);
    models.forEach((model, i) => {
      merger.add(model, raws[i]!, documentOf);
      checked.push({ name: model.input.model?.name ?? null, tier: tierOf(model), files: model.files });
    });
  };
  let merged: Promise<void> = Promise.resolve();
  try {
    for (const [b, batch] of batches.entries()) {
      const documents = reload(batchReads[b]!);
      const assembled = assembleBatch(plan, documents, batch).models;
      for (const { model, problems, plan: k } of assembled) {
        assembledProblems.set(k, problems);
        // The report keeps the model's identity and retention, not its input.
        const manifest = plan.models[k]!.manifest;
        const { stub, summary } = plan.manifests[manifest]!;
        evaluated.set(manifest, reportModel(stub, summary.stated, summary.nameAt.line, model.input));
      }
      const models = assembled.map((a) => a.model);
      const raws = evaluateAll(models.map(encodeModel));
      const previous = merged;
      merged = (async () => {
        await previous;
        locate(models, documents, await raws);
        release(batchReads[b]!);
      })();
      // A failure surfaces once, where the batches are awaited in order, never as an unhandled rejection.
      raws.catch(() => {});
      merged.catch(() => {});
      // At most two batches in flight: one evaluated, one being assembled.
      await previous;
    }
    await merged;
  } finally {
    await pool?.close();
  }
  const unownedDocuments = reload(plan.unownedFiles);
  release(plan.unownedFiles);
  const unowned = assembleUnowned(plan, indexRules(unownedDocuments, plan.recordings));
  if (unowned) locate([unowned], unownedDocuments, [evaluateModel(sets, unowned)]);

  const problems = [...survey.problems, ...fleetProblems(plan, assembledProblems)];
  const evaluation = merger.finish(problems);
  const files = fileRecords(survey, plan.usedFiles, problems);
  const reportModels = plan.manifests.map((m, i) => evaluated.get(i) ?? reportModel(m.stub, m.summary.stated, m.summary.nameAt.line, null));
  const waived = applyWaivers(evaluation.findings, survey.waivers?.entries ?? [], survey.ignores, {
    now: survey.now,
    maxWaiverDays: config.maxWaiverDays,
    rules: evaluation.rules,
    // A waiver of what was not evaluated (a broken manifest, a file outside the PATHs) is out of scope, not unused.
    models: new Set(reportModels.filter((m) => m.status === "evaluated").map((m) => m.name)),
    files: new Set(files.filter((f) => f.status === "evaluated").map((f) => f.path)),
  });
  const inputs: CheckInputs = {
    repoRoot: survey.repoRoot, config, now: survey.now, waivers: survey.waivers, ignores: survey.ignores,
    files, digests: survey.digests, models: checked, reportModels, problems, fleet: plan.fleet,
  };
  // --changed-since: what every model depends on; a change there makes every finding new.
  const marked = changes === null ? null : markPreExisting(waived.findings, checked, {
    changed: new Set(changes.files),
    global: globalPaths(inputs, [...config.policies, ...(options.policies ?? []).map((p) => resolve(options.cwd, p))],
      [...config.data, ...(options.data ?? []).map((p) => resolve(options.cwd, p))]),
  });
  const report = buildReport({
    version: obsgateVersion(),
    policies: sets.map((s) => ({ name: s.name, sha256: s.sha256, opaVersion: s.opaVersion })),
    data: data.map((d) => ({ path: d.file, sha256: d.sha256! })),
    failOn: options.failOn ?? config.failOn,
    files,
    models: reportModels,
    findings: marked?.findings ?? waived.findings,
    rules: evaluation.rules.values(),
    waivers: waived.waivers,
    tiers: reportTiers({
      inputs: checked.map((m) => ({ name: m.name, tier: m.tier })),
      settings: config.tiers.tiers,
      rules: sets.flatMap((s) => [...s.metadata.values()]),
    }),
    ...(marked && changes ? { changedSince: { ref: changes.ref, base: changes.base, files: marked.relevant, everything: marked.everything } } : {}),
  });
  return { report, inputs };
}

/**
 * Repository-relative paths that every model depends on: the config and the waivers file (where they
 * are, and where they would be by default, so that deleting one counts), the users' policies and
 * data files.
 */
function globalPaths(inputs: CheckInputs, policies: readonly string[], data: readonly string[]): string[] {
  const relative = (absolute: string) => toRepoPath(inputs.repoRoot, absolute);
  return [
    ...new Set([
      inputs.config.file ?? ".obsgate.yaml",
      ".obsgate.yaml",
      "waivers.yaml",
      ...(inputs.waivers ? [inputs.waivers.file] : []),
      ...(inputs.config.waivers ? [relative(inputs.config.waivers)] : []),
      ...policies.map(relative),
      ...data.map(relative),
    ]),
  ].sort();
}
