// The whole run, stage after stage: discover → load → validate and assemble → evaluate → report.
// The CLI and the tests call these functions; nothing here prints or exits.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveConfig, type Config, type FailOn } from "./config/index.js";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { discoverFiles, loadFiles, repositoryRoot, toRepoPath, type LoadedDocument } from "./load/index.js";
import { assembleModels, referencedFiles, type AssembledModel, type Assembly } from "./model/index.js";
import { packageRoot } from "./package-root.js";
import { evaluateModels, loadBuiltinPolicySet, loadPolicySet, type PolicySet } from "./policy/index.js";
import { buildReport, type Report, type ReportModel } from "./report/index.js";
import { locate } from "./schema/index.js";
import type { FileRecord, InputProblem } from "./types.js";

export interface RunOptions {
  paths: string[];
  cwd: string;
  /** `--config`; otherwise the nearest `.obsgate.yaml`. */
  config?: string;
}

export interface CheckOptions extends RunOptions {
  failOn?: FailOn;
  /** Compiled `.wasm` policy sets evaluated beside the built-in one. */
  policies?: string[];
}

export interface Inputs {
  repoRoot: string;
  config: Config;
  files: FileRecord[];
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
  const discovery = discoverFiles(paths, { cwd: options.cwd, repoRoot, include: config.include, exclude: config.exclude });
  if (discovery.diagnostics.length > 0) throw new DiagnosticError(discovery.diagnostics);
  if (discovery.files.length === 0 && discovery.unlistable.length === 0) {
    throw new DiagnosticError(
      diagnostic("no_input", `nothing to check: no YAML or JSON file under ${paths.join(", ")} (after .gitignore and excludes)`),
    );
  }
  const discovered = await loadFiles(discovery.files, config.limits);
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
  const referenced = await loadFiles(extra, config.limits);
  const loaded = {
    files: [...discovered.files, ...referenced.files],
    documents: [...discovered.documents, ...referenced.documents],
    problems: [...discovered.problems, ...referenced.problems],
  };
  const assembly = assembleModels(loaded.documents, { repoRoot, files: loaded.files });
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
    files: loaded.files.map((file) => markInvalid(markUnused(file, assembly.usedFiles), problems)),
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

export async function loadPolicySets(paths: readonly string[], cwd: string, repoRoot: string): Promise<PolicySet[]> {
  const sets = [await loadBuiltinPolicySet()];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    sets.push(await loadPolicySet(toRepoPath(repoRoot, absolute), absolute, null,
      "pass a .wasm built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`"));
  }
  return sets;
}

export interface CheckRun {
  report: Report;
  inputs: Inputs;
}

export async function runCheck(options: CheckOptions): Promise<CheckRun> {
  const inputs = await readInputs(options);
  const sets = await loadPolicySets(options.policies ?? [], options.cwd, inputs.repoRoot);
  const evaluation = evaluateModels(sets, inputs.models, inputs.documents, inputs.problems, inputs.fleet);
  const report = buildReport({
    version: obsgateVersion(),
    policies: sets.map((s) => ({ name: s.name, sha256: s.sha256, opaVersion: s.opaVersion })),
    failOn: options.failOn ?? inputs.config.failOn,
    files: inputs.files,
    models: inputs.reportModels,
    findings: evaluation.findings,
    rules: evaluation.rules.values(),
  });
  return { report, inputs };
}
