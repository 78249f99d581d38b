// The whole run, stage after stage: discover → load → validate and assemble → evaluate → report.
// The CLI and the tests call these functions; nothing here prints or exits.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { resolveConfig, ruleReferenceDiagnostics, type Config, type FailOn } from "./config/index.js";
import { findWaiversFile, readWaiversFile, unknownRuleDiagnostics, type WaiversFile } from "./config/waivers.js";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { discoverFiles, loadFiles, repositoryRoot, toRepoPath, type InlineIgnore, type LoadedDocument } from "./load/index.js";
import { assembleModels, referencedFiles, type AssembledModel, type Assembly } from "./model/index.js";
import { packageRoot } from "./package-root.js";
import { evaluateModels, loadBuiltinPolicySet, loadUserPolicySet, mergeData, readDataFile, ruleIdClashes, ruleCatalogue, type DataDocument, type PolicySet } from "./policy/index.js";
import { applyWaivers } from "./policy/waivers.js";
import { buildReport, type Report, type ReportModel } from "./report/index.js";
import { reportTiers } from "./report/tiers.js";
import { changedFiles, type ChangeSet } from "./load/changes.js";
import { DEFAULT_TIER } from "./model/params.js";
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
}

export interface Inputs {
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
  documents: LoadedDocument[];
  models: AssembledModel[];
  reportModels: ReportModel[];
  problems: InputProblem[];
  /** Every alert and recording rule read, with the models it belongs to. */
  rules: Assembly["rules"];
  fleet: Assembly["fleet"];
}

export function obsgateVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Everything before policies run: what was found, read, validated and assembled. */
export async function readInputs(options: RunOptions): Promise<Inputs> {
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
  const discovered = loadFiles(discovery.files, config.limits, loadOptions);
  for (const folder of discovery.unlistable) {
    discovered.files.push({ path: folder.path, kind: "unknown", status: "invalid", reason: `cannot list the folder (${folder.reason})` });
    discovered.problems.push({
      rule: "INP-001", file: folder.path, line: 1, column: 1, pointer: "",
      message: `cannot list the folder (${folder.reason}): nothing in it was checked`,
      remediation: "make the folder readable, or exclude it in .obsgate.yaml", model: null,
    });
  }
  // Files a manifest names that the PATHs do not cover are read too: they are part of its model.
  const known = new Set(discovery.files.map((f) => f.absolute));
  const extra = [...new Set(discovered.documents.filter((d) => d.kind === "model-manifest").flatMap(referencedFiles))]
    .filter((absolute) => !known.has(absolute) && existsSync(absolute))
    .sort()
    .map((absolute) => ({ absolute, path: toRepoPath(repoRoot, absolute) }));
  const referenced = loadFiles(extra, config.limits, loadOptions);
  const loaded = {
    files: [...discovered.files, ...referenced.files],
    documents: [...discovered.documents, ...referenced.documents],
    problems: [...discovered.problems, ...referenced.problems],
    ignores: [...discovered.ignores, ...referenced.ignores],
    digests: new Map([...discovered.digests, ...referenced.digests]),
  };
  const assembly = assembleModels(loaded.documents, {
    repoRoot,
    files: loaded.files,
    // Each model's parameters, resolved for its tier from .obsgate.yaml.
    params: (tier) => structuredClone(config.tiers.tiers[tier].params),
  });
  const problems = [...loaded.problems, ...assembly.problems];
  if (loaded.documents.length === 0 && problems.length === 0) {
    const reasons = loaded.files.map((f) => `${f.path}: ${f.reason ?? f.status}`).slice(0, 5).join("; ");
    throw new DiagnosticError(
      diagnostic("no_input", `nothing to check: none of ${loaded.files.length} file(s) is a model manifest or rule file (${reasons})`),
    );
  }
  return {
    repoRoot,
    config,
    now,
    waivers,
    ignores: loaded.ignores,
    files: loaded.files.map((file) => markInvalid(markUnused(file, assembly.usedFiles), problems)),
    digests: loaded.digests,
    documents: loaded.documents,
    models: assembly.unowned ? [...assembly.models, assembly.unowned] : assembly.models,
    reportModels: reportModels(loaded.documents, assembly.models),
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

/** Every manifest's model, evaluated or not, so a broken manifest still shows in the report. */
function reportModels(documents: readonly LoadedDocument[], models: readonly AssembledModel[]): ReportModel[] {
  const assembled = new Map(models.map((m) => [m.manifest, m]));
  return documents
    .filter((d) => d.kind === "model-manifest")
    .map((doc): ReportModel => {
      const model = assembled.get(doc);
      const metadata = ((doc.value as { metadata?: Record<string, unknown> }).metadata ?? {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      return {
        name: model?.input.model?.name ?? text(metadata.name) ?? `(unnamed in ${doc.file})`,
        version: model?.input.model?.version ?? null,
        owner: model?.input.model?.owner ?? text(metadata.owner),
        tier: model?.input.model?.tier ?? text(metadata.tier),
        riskClass: model?.input.model?.riskClass ?? text(metadata.riskClass),
        file: doc.file,
        line: locate(doc.sourceMap, "/metadata/name").line,
        status: model ? "evaluated" : "invalid",
        retention: model ? retentionOf(model.input) : null,
      };
    });
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
  inputs: Inputs;
}

export async function runCheck(options: CheckOptions): Promise<CheckRun> {
  const inputs = await readInputs(options);
  // Before any policy runs: an unknown ref is a mistake in the command line, found fast.
  const changes = options.changes ?? (options.changedSince === undefined ? null : changedFiles(inputs.repoRoot, options.changedSince));
  const { sets, data } = await loadPolicySets([...inputs.config.policies, ...(options.policies ?? [])], options.cwd, inputs.repoRoot, {
    data: [...inputs.config.data, ...(options.data ?? [])],
    env: options.env,
  });
  if (inputs.waivers) {
    const catalogue = ruleCatalogue(sets);
    const unknown = unknownRuleDiagnostics(inputs.waivers, (id) => catalogue.has(id));
    if (unknown.length > 0) throw new DiagnosticError(unknown);
  }
  // Rule ids in the config's params/rules must name a rule of the loaded policy sets.
  const builtinRules = new Set([...OWN_RULES.map((r) => r.id), ...sets.filter((s) => s.name === "builtin").flatMap((s) => [...s.metadata.keys()])]);
  const unknownRules = ruleReferenceDiagnostics(inputs.config.tiers.references, new Set(ruleCatalogue(sets).keys()), builtinRules, inputs.config.file ?? ".obsgate.yaml");
  if (unknownRules.length > 0) throw new DiagnosticError(unknownRules);
  const tierOf = (model: AssembledModel) => model.input.model?.tier ?? DEFAULT_TIER;
  const evaluation = evaluateModels(sets, inputs.models, inputs.documents, inputs.problems, inputs.fleet,
    (model) => inputs.config.tiers.tiers[tierOf(model)].rules);
  const waived = applyWaivers(evaluation.findings, inputs.waivers?.entries ?? [], inputs.ignores, {
    now: inputs.now,
    maxWaiverDays: inputs.config.maxWaiverDays,
    rules: evaluation.rules,
    // A waiver of what was not evaluated (a broken manifest, a file outside the PATHs) is out of scope, not unused.
    models: new Set(inputs.reportModels.filter((m) => m.status === "evaluated").map((m) => m.name)),
    files: new Set(inputs.files.filter((f) => f.status === "evaluated").map((f) => f.path)),
  });
  // --changed-since: what every model depends on; a change there makes every finding new.
  const marked = changes === null ? null : markPreExisting(waived.findings, inputs.models, {
    changed: new Set(changes.files),
    global: globalPaths(inputs, [...inputs.config.policies, ...(options.policies ?? []).map((p) => resolve(options.cwd, p))],
      [...inputs.config.data, ...(options.data ?? []).map((p) => resolve(options.cwd, p))]),
  });
  const report = buildReport({
    version: obsgateVersion(),
    policies: sets.map((s) => ({ name: s.name, sha256: s.sha256, opaVersion: s.opaVersion })),
    data: data.map((d) => ({ path: d.file, sha256: d.sha256! })),
    failOn: options.failOn ?? inputs.config.failOn,
    files: inputs.files,
    models: inputs.reportModels,
    findings: marked?.findings ?? waived.findings,
    rules: evaluation.rules.values(),
    waivers: waived.waivers,
    tiers: reportTiers({
      inputs: inputs.models.map((m) => ({ name: m.input.model?.name ?? null, tier: tierOf(m) })),
      settings: inputs.config.tiers.tiers,
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
function globalPaths(inputs: Inputs, policies: readonly string[], data: readonly string[]): string[] {
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
