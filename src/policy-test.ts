// `obsgate policy test DIR`: a user's policy folder tested two ways. Its Rego unit tests run in
// `opa test`; its example cases (`DIR/examples/<case>/`, inputs plus `expected.yaml`) run through
// the real pipeline — `runCheck` with the folder compiled to Wasm — because the Wasm SDK is what
// evaluates policies in a real run, and it differs from opa's Go evaluator (its `sprintf` is
// JavaScript's). Like pipeline.ts, nothing here prints or exits: the CLI does.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { DiagnosticError, diagnostic, formatDiagnostic, sortDiagnostics } from "./diagnostics.js";
import { DEFAULT_LIMITS, parseYamlDocuments, repositoryRoot, toRepoPath } from "./load/index.js";
import { decodeUtf8 } from "./load/text.js";
import { runCheck } from "./pipeline.js";
import { compileRego, parseCheckErrors, regoSources, type RegoSources } from "./policy/compile.js";
import { mergeData, readDataFile } from "./policy/data.js";
import { loadPolicyModule } from "./policy/engine.js";
import { findPinnedOpa, type OpaBinary } from "./policy/opa-binary.js";
import { validateDocument } from "./schema/index.js";
import { compareStrings, type Diagnostic, type Finding, type Severity } from "./types.js";

export interface PolicyTestOptions {
  /** The policy folder, relative to cwd. */
  dir: string;
  cwd: string;
  /** `--data` files, relative to cwd: given to `opa test` and to every example case. */
  data?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface TestOutcome {
  kind: "rego" | "example";
  /** `data.pkg.test_name` for a Rego test, the case folder's name for an example. */
  name: string;
  /** Where the test is: `file:line` of a Rego test, the case folder of an example. */
  where: string;
  passed: boolean;
  /** Why it failed, one line each. */
  details: string[];
}

export interface PolicyTestResult {
  outcomes: TestOutcome[];
  passed: number;
  failed: number;
}

/** One expected finding of an example case (schemas/policy-example.v1.schema.json). */
export interface ExpectedFinding {
  rule: string;
  file?: string;
  line?: number;
  column?: number;
  model?: string;
  severity?: Severity;
}

interface ExampleCase {
  name: string;
  /** Absolute case folder. */
  dir: string;
  /** Repository-relative case folder, for what is printed. */
  displayDir: string;
  expected: ExpectedFinding[];
  /** Absolute data files for this case, `--data` first. */
  data: string[];
}

export const EXPECTED_FILE = "expected.yaml";

export async function runPolicyTests(options: PolicyTestOptions): Promise<PolicyTestResult> {
  const env = options.env ?? process.env;
  const absolute = resolve(options.cwd, options.dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new DiagnosticError(diagnostic("usage_error", `policy test ${options.dir}: not a folder; pass the folder that holds the policy's .rego files`));
  }
  const repoRoot = repositoryRoot([absolute], options.cwd);
  const name = toRepoPath(repoRoot, absolute);
  const dataFiles = (options.data ?? []).map((path) => resolve(options.cwd, path));
  const data = dataFiles.map((path) => readDataFile(path, toRepoPath(repoRoot, path)));
  mergeData(data);

  // Compile first: a policy that does not compile is a diagnostic, not a failed test.
  const sources = regoSources(absolute, name, name);
  const compiled = await compileRego(sources, { env });
  const set = await loadPolicyModule(name, compiled.wasm, compiled.opaVersion,
    "a folder's policy must define the contract's `obsgate/findings` and `obsgate/metadata` (docs/writing-policies.md)", name);
  const cases = readExampleCases(absolute, repoRoot, dataFiles);

  const outcomes: TestOutcome[] = [];
  if (sources.tests.length > 0) {
    const lookup = findPinnedOpa(env);
    if ("problem" in lookup) throw new DiagnosticError(diagnostic("policy_error", `cannot run the Rego tests of ${name}: ${lookup.problem}`, name));
    outcomes.push(...runRegoTests(lookup.opa, sources, dataFiles));
  }
  if (cases.length > 0) {
    const scratch = mkdtempSync(join(tmpdir(), "obsgate-policy-test-"));
    try {
      const wasm = join(scratch, "policy.wasm");
      writeFileSync(wasm, compiled.wasm);
      for (const example of cases) outcomes.push(await runExample(example, wasm, new Set(set.metadata.keys()), scratch, env));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const passed = outcomes.filter((o) => o.passed).length;
  return { outcomes, passed, failed: outcomes.length - passed };
}

/** `opa test` over the folder's Rego (policies and tests), with the --data files as data. */
function runRegoTests(opa: OpaBinary, sources: RegoSources, dataFiles: readonly string[]): TestOutcome[] {
  const rego = [...sources.files, ...sources.tests].sort(compareStrings);
  const result = spawnSync(opa.path, ["test", "--format", "json", "--", ...rego, ...dataFiles], {
    cwd: sources.dir,
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  // opa test exits 0 when every test passes, 2 when some fail, and otherwise could not run them.
  if (result.status !== 0 && result.status !== 2) {
    const check = spawnSync(opa.path, ["check", "--format", "json", "--", ...rego], { cwd: sources.dir, encoding: "utf8", timeout: 300_000 });
    const located = parseCheckErrors(check.stderr || check.stdout, sources);
    const first = (result.stderr || result.stdout || result.error?.message || "no output").split("\n").find((l) => l.trim() !== "") ?? "";
    throw new DiagnosticError(located.length > 0 ? located : [diagnostic("policy_error", `opa test could not run the tests of ${sources.name}: ${first.trim()}`, sources.name)]);
  }
  return parseOpaTestResults(result.stdout, sources.displayDir);
}

interface OpaTestResult {
  location?: { file?: string; row?: number };
  package?: string;
  name?: string;
  fail?: boolean;
  skip?: boolean;
  error?: { message?: string; code?: string } | string;
  output?: string;
}

/** `opa test --format json` → outcomes, sorted by name; skipped (`todo_`) tests are not counted. */
export function parseOpaTestResults(stdout: string, displayDir: string): TestOutcome[] {
  let results: OpaTestResult[];
  try {
    results = JSON.parse(stdout) as OpaTestResult[];
  } catch {
    throw new DiagnosticError(diagnostic("policy_error", "opa test printed no JSON results"));
  }
  if (!Array.isArray(results)) return [];
  return results
    .filter((r) => !r.skip)
    .map((r): TestOutcome => {
      const file = r.location?.file ? (displayDir === "." ? r.location.file : `${displayDir}/${r.location.file}`) : displayDir;
      const error = typeof r.error === "string" ? r.error : r.error?.message;
      const failed = r.fail === true || error !== undefined;
      return {
        kind: "rego",
        name: `${r.package ?? "data"}.${r.name ?? "(unnamed)"}`,
        where: `${file}:${r.location?.row ?? 1}`,
        passed: !failed,
        details: error ? [error] : failed ? ["the test's body was not true"] : [],
      };
    })
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.where, b.where));
}

/** Every `examples/<case>/` with its expected.yaml, read and validated up front: a bad one is a diagnostic. */
function readExampleCases(policyDir: string, repoRoot: string, dataFiles: readonly string[]): ExampleCase[] {
  const examples = join(policyDir, "examples");
  if (!existsSync(examples) || !statSync(examples).isDirectory()) return [];
  const problems: Diagnostic[] = [];
  const cases: ExampleCase[] = [];
  const names = readdirSync(examples, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort(compareStrings);
  for (const name of names) {
    const dir = join(examples, name);
    const expectedPath = join(dir, EXPECTED_FILE);
    const file = toRepoPath(repoRoot, expectedPath);
    if (!existsSync(expectedPath)) {
      problems.push(diagnostic("policy_error", `example ${name} has no ${EXPECTED_FILE}: write one listing the findings the policy must report (\`findings: []\` for none; see docs/writing-policies.md)`, toRepoPath(repoRoot, dir)));
      continue;
    }
    const parsed = parseExpected(readFileSync(expectedPath), file);
    if ("problems" in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const caseData = (parsed.data ?? []).map((path) => resolve(dir, path));
    for (const [i, path] of caseData.entries()) {
      if (!existsSync(path)) problems.push(diagnostic("policy_error", `data: ${parsed.data![i]}: no such file (paths are relative to ${EXPECTED_FILE})`, file, parsed.dataLines[i] ?? 1, 1));
    }
    cases.push({ name, dir, displayDir: toRepoPath(repoRoot, dir), expected: parsed.findings, data: [...new Set([...dataFiles, ...caseData])] });
  }
  if (problems.length > 0) throw new DiagnosticError(problems);
  return cases;
}

type ParsedExpected = { findings: ExpectedFinding[]; data?: string[]; dataLines: number[] } | { problems: Diagnostic[] };

/** Reads an expected.yaml against schemas/policy-example.v1.schema.json; problems are located. */
export function parseExpected(bytes: Uint8Array, file: string): ParsedExpected {
  const problem = (message: string, line = 1, column = 1): ParsedExpected => ({ problems: [diagnostic("policy_error", message, file, line, column)] });
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded)) return problem("not valid UTF-8", decoded.line, decoded.column);
  const parsed = parseYamlDocuments(decoded.text, DEFAULT_LIMITS);
  if ("failure" in parsed) return problem(`${parsed.failure.message}; ${parsed.failure.remediation}`, parsed.failure.line, parsed.failure.column);
  if (parsed.documents.length !== 1) return problem(`${EXPECTED_FILE} holds one YAML document with a \`findings\` list`);
  const doc = parsed.documents[0]!;
  const violations = validateDocument("policyExample", doc.value, doc.sourceMap);
  if (violations.length > 0) {
    return { problems: violations.map((v) => diagnostic("policy_error", `${v.message}; ${v.remediation}`, file, v.line, v.column)) };
  }
  const value = doc.value as { findings: ExpectedFinding[]; data?: string[] };
  const dataLines = (value.data ?? []).map((_, i) => doc.sourceMap.get(`/data/${i}`)?.line ?? 1);
  return { findings: value.findings, data: value.data, dataLines };
}

/** Copies the case into a repository of its own, so paths are relative to the case and no outer config applies. */
async function runExample(example: ExampleCase, wasm: string, policyRules: ReadonlySet<string>, scratch: string, env: NodeJS.ProcessEnv): Promise<TestOutcome> {
  const root = join(scratch, "cases", example.name);
  const outcome = (details: string[]): TestOutcome => ({ kind: "example", name: example.name, where: example.displayDir, passed: details.length === 0, details });
  cpSync(example.dir, root, {
    recursive: true,
    filter: (source) => !(dirname(source) === example.dir && basename(source) === EXPECTED_FILE),
  });
  mkdirSync(join(root, ".git"), { recursive: true });
  let findings: Finding[];
  try {
    const { report } = await runCheck({ paths: ["."], cwd: root, policies: [wasm], data: example.data, failOn: "never", env });
    findings = report.findings;
  } catch (error) {
    if (error instanceof DiagnosticError) return outcome(sortDiagnostics(error.diagnostics).map((d) => `the check stopped: ${formatDiagnostic(d)}`));
    throw error;
  }
  // The policy's own rules, and INP (a broken fixture would otherwise pass silently); never the built-ins.
  const compared = findings.filter((f) => policyRules.has(f.rule) || f.rule.startsWith("INP-"));
  return outcome(compareFindings(example.expected, compared));
}

/** Each expected finding takes one reported finding it matches, most specific first; what is left over differs. */
export function compareFindings(expected: readonly ExpectedFinding[], actual: readonly Finding[]): string[] {
  const specificity = (e: ExpectedFinding) => ["file", "line", "column", "model", "severity"].filter((k) => e[k as keyof ExpectedFinding] !== undefined).length;
  const order = expected.map((e, i) => ({ e, i })).sort((a, b) => specificity(b.e) - specificity(a.e) || a.i - b.i);
  const left = [...actual];
  const missing: ExpectedFinding[] = [];
  for (const { e } of order) {
    const at = left.findIndex((f) => matches(e, f));
    if (at === -1) missing.push(e);
    else left.splice(at, 1);
  }
  const details = [
    ...expected.filter((e) => missing.includes(e)).map((e) => `missing: ${describeExpected(e)}`),
    ...left.map((f) => `unexpected: ${f.rule} at ${f.file}:${f.line}:${f.column}${f.model ? ` (${f.model})` : ""}: ${f.message}`),
  ];
  return details;
}

function matches(e: ExpectedFinding, f: Finding): boolean {
  return e.rule === f.rule &&
    (e.file === undefined || e.file === f.file) &&
    (e.line === undefined || e.line === f.line) &&
    (e.column === undefined || e.column === f.column) &&
    (e.model === undefined || e.model === f.model || f.models.includes(e.model)) &&
    (e.severity === undefined || e.severity === f.severity);
}

function describeExpected(e: ExpectedFinding): string {
  const where = e.file === undefined ? "" : ` at ${e.file}${e.line === undefined ? "" : `:${e.line}${e.column === undefined ? "" : `:${e.column}`}`}`;
  const extra = [e.model && `model ${e.model}`, e.severity && `severity ${e.severity}`].filter(Boolean).join(", ");
  return `${e.rule}${where}${extra ? ` (${extra})` : ""}`;
}

/** What `policy test` prints: each failure with its reasons (each pass too when verbose), then `N passed, M failed`. */
export function formatPolicyTests(result: PolicyTestResult, verbose: boolean): string {
  const lines: string[] = [];
  for (const o of result.outcomes) {
    if (o.passed && !verbose) continue;
    const label = o.kind === "rego" ? o.name : `example ${o.name}`;
    lines.push(`${o.passed ? "PASS" : "FAIL"} ${label} (${o.where})`);
    for (const detail of o.details) lines.push(`  ${detail}`);
  }
  lines.push(`${result.passed} passed, ${result.failed} failed`);
  return lines.join("\n") + "\n";
}
