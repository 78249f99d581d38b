// `check --changed-since <ref>` in a real git repository: every model is evaluated, but only the
// findings in models or files changed since the ref (committed on the branch, staged, unstaged or
// new) decide the exit code; the rest are reported as pre-existing. A change to what every model
// depends on (the config, the waivers file) or to a backend config models share touches every model
// that reads it. An unknown ref is a usage_error (exit 2).
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { checkJson, PACKAGE_ROOT, stackTraceLines, stderrLines, tempRepo, type TempRepo } from "../helpers/cli.js";

function git(repo: TempRepo, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: repo.dir,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", GIT_CONFIG_NOSYSTEM: "1", HOME: repo.dir },
  });
}

/** A manifest with one INS-003 warning (a gauge ending in _total) and one INS-001 error (no latency histogram). */
function manifest(name: string, extra = ""): string {
  return `apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: ${name}
  owner: team-${name}
  tier: standard
spec:
  model:
    version: v1.0.0
    type: predictive
    trainingData: { dataset: events, version: "2026-01-01" }
  metrics:
    - name: ${name.replaceAll("-", "_")}_requests_total
      type: counter
      role: requests
      labels: { model: 1, status_code: 6 }
  logs:
    format: json
    fields: [timestamp, level, model_name, model_version, request_id, trace_id, span_id, trace_flags]
  traces: { propagators: [tracecontext], attributes: [model_name, model_version] }
  resource: { service.name: ${name}, service.version: 1.0.0, deployment.environment.name: prod }
  retention: { metrics: 30d, logs: 30d, traces: 7d }
${extra}`;
}

const LOKI = `# A Loki both models name: retention is never enforced (RET-004 for each).
auth_enabled: false
limits_config:
  retention_period: 720h
compactor:
  working_directory: /loki/compactor
`;

/**
 * A git repository on branch main with two models, alpha and beta, each with an INS-001 error, both
 * naming platform/loki.yaml; then a branch `work` checked out. The first commit is the baseline.
 */
function repository(): TempRepo {
  const repo = tempRepo();
  rmSync(repo.path(".git"), { recursive: true, force: true });
  git(repo, "init", "-q", "-b", "main");
  repo.write("alpha/alpha.obsgate.yaml", manifest("alpha", "  backends: { loki: ../platform/loki.yaml }\n"));
  repo.write("beta/beta.obsgate.yaml", manifest("beta", "  backends: { loki: ../platform/loki.yaml }\n"));
  repo.write("platform/loki.yaml", LOKI);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "baseline");
  git(repo, "checkout", "-q", "-b", "work");
  return repo;
}

/** rule model file → preExisting, for the findings of one run. */
function marks(findings: Array<{ rule: string; model: string | null; file: string; preExisting?: boolean }>): string[] {
  return findings.map((f) => `${f.rule} ${f.model ?? "-"} ${f.file} ${f.preExisting === true ? "pre-existing" : f.preExisting === false ? "new" : "unmarked"}`);
}

const reportSchema = JSON.parse(readFileSync(join(PACKAGE_ROOT, "schemas", "report.v1.schema.json"), "utf8")) as object;
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);

describe("--changed-since", () => {
  it("without changes, every finding is pre-existing and the run passes, though all models were evaluated", async () => {
    const repo = repository();
    const { status, report, stderr } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.models.map((m) => m.name)).toEqual(["alpha", "beta"]);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.preExisting === true)).toBe(true);
    expect(report.summary.preExisting).toBe(report.summary.open.error + report.summary.open.warning + report.summary.open.info);
    expect(report.changedSince).toEqual({ ref: "main", base: git(repo, "rev-parse", "main").trim(), files: [], everything: false });
    expect(report.result).toBe("passed");
    // Without --changed-since the same findings fail the run, and carry no mark.
    const plain = await checkJson(repo, ["."]);
    expect(plain.status).toBe(1);
    expect(plain.report.findings.every((f) => f.preExisting === undefined)).toBe(true);
    expect(plain.report.changedSince).toBeUndefined();
    expect(plain.report.summary.preExisting).toBeUndefined();
  });

  it("a committed change to one manifest makes that model's findings new (exit 1); the other model's stay pre-existing", async () => {
    const repo = repository();
    writeFileSync(repo.path("beta/beta.obsgate.yaml"), manifest("beta", "  backends: { loki: ../platform/loki.yaml }\n").replace("owner: team-beta", "owner: team-beta-2"));
    git(repo, "commit", "-q", "-am", "beta: new owner");
    const { status, report } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(status).toBe(1);
    const byModel = (name: string) => report.findings.filter((f) => f.model === name);
    expect(byModel("beta").length).toBeGreaterThan(0);
    expect(byModel("beta").every((f) => f.preExisting === false)).toBe(true);
    expect(byModel("alpha").every((f) => f.preExisting === true)).toBe(true);
    // The shared Loki config's finding affects beta, which changed: it is new.
    const shared = report.findings.filter((f) => f.file === "platform/loki.yaml");
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.every((f) => f.models.includes("beta") && f.preExisting === false)).toBe(true);
    expect(report.changedSince?.files).toEqual(["beta/beta.obsgate.yaml"]);
  });

  it("uncommitted work counts: an unstaged edit and a new, untracked model", async () => {
    const repo = repository();
    writeFileSync(repo.path("alpha/alpha.obsgate.yaml"), `# edited\n${readFileSync(repo.path("alpha/alpha.obsgate.yaml"), "utf8")}`);
    repo.write("gamma/gamma.obsgate.yaml", manifest("gamma"));
    const { status, report } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(status).toBe(1);
    // The models whose own findings are new (the shared Loki finding, which alpha names, is new too).
    const models = (preExisting: boolean) => [...new Set(report.findings.filter((f) => f.preExisting === preExisting).flatMap((f) => (f.model ? [f.model] : [])))].sort();
    expect(models(false)).toEqual(["alpha", "gamma"]);
    expect(report.findings.filter((f) => f.file === "platform/loki.yaml").every((f) => f.preExisting === false)).toBe(true);
    expect(report.findings.filter((f) => f.model === "beta").every((f) => f.preExisting === true)).toBe(true);
    expect(report.changedSince?.files).toEqual(["alpha/alpha.obsgate.yaml", "gamma/gamma.obsgate.yaml"]);
  });

  it("a change to a backend config touches every model that names it", async () => {
    const repo = repository();
    writeFileSync(repo.path("platform/loki.yaml"), LOKI.replace("720h", "744h"));
    git(repo, "commit", "-q", "-am", "loki: 31 days");
    const { status, report } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(status).toBe(1);
    expect(report.findings.every((f) => f.preExisting === false)).toBe(true);
    expect(report.changedSince).toMatchObject({ files: ["platform/loki.yaml"], everything: false });
  });

  it("a change to .obsgate.yaml touches every model, even one that names nothing shared", async () => {
    const repo = repository();
    repo.write("delta/delta.obsgate.yaml", manifest("delta"));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "delta");
    git(repo, "branch", "-f", "main");
    const clean = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(clean.status).toBe(0);
    repo.write(".obsgate.yaml", "fail-on: error\n");
    const { status, report } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(status).toBe(1);
    expect(report.findings.every((f) => f.preExisting === false)).toBe(true);
    expect(report.changedSince).toMatchObject({ files: [".obsgate.yaml"], everything: true });
  });

  it("measures from the merge base: commits on the ref after the branch left it are not this branch's", async () => {
    const repo = repository();
    git(repo, "checkout", "-q", "main");
    writeFileSync(repo.path("alpha/alpha.obsgate.yaml"), `# on main\n${readFileSync(repo.path("alpha/alpha.obsgate.yaml"), "utf8")}`);
    git(repo, "commit", "-q", "-am", "main moves on");
    git(repo, "checkout", "-q", "work");
    const { status, report } = await checkJson(repo, [".", "--changed-since", "main"]);
    expect(status).toBe(0);
    expect(report.changedSince?.base).toBe(git(repo, "merge-base", "main", "work").trim());
    expect(report.findings.every((f) => f.preExisting === true)).toBe(true);
  });

  it("text and markdown mark pre-existing findings and say what the result is measured against", async () => {
    const repo = repository();
    writeFileSync(repo.path("beta/beta.obsgate.yaml"), `# edited\n${readFileSync(repo.path("beta/beta.obsgate.yaml"), "utf8")}`);
    const text = await repo.run(["check", ".", "--changed-since", "main"]);
    expect(text.status).toBe(1);
    const alphaLines = text.stdout.split("\n").filter((l) => l.includes("alpha/alpha.obsgate.yaml:"));
    expect(alphaLines.length).toBeGreaterThan(0);
    expect(alphaLines.every((l) => l.endsWith("[pre-existing]"))).toBe(true);
    expect(text.stdout.split("\n").filter((l) => l.includes("beta/beta.obsgate.yaml:")).some((l) => l.includes("[pre-existing]"))).toBe(false);
    expect(text.stdout).toMatch(/^changed since main \([0-9a-f]{12}\): findings outside the changed models and files are pre-existing$/m);
    expect(text.stdout).toMatch(/, \d+ pre-existing\) in 2 models/);
    const markdown = await repo.run(["check", ".", "--changed-since", "main", "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^Changed since `main` \([0-9a-f]{12}\): \d+ open findings outside the changed models and files are pre-existing and do not fail the run\.$/m);
    expect(markdown.stdout).toMatch(/^\| error \(pre-existing\) \| INS-001 \| `alpha\/alpha\.obsgate\.yaml:\d+` \|/m);
    const sarif = JSON.parse((await repo.run(["check", ".", "--changed-since", "main", "--format", "sarif"])).stdout) as {
      runs: Array<{ results: Array<{ baselineState?: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const states = sarif.runs[0]!.results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.baselineState}`);
    expect(states.filter((s) => s.startsWith("alpha/")).every((s) => s.endsWith(" unchanged"))).toBe(true);
    expect(states.filter((s) => s.startsWith("beta/")).every((s) => s.endsWith(" new"))).toBe(true);
  });

  it("an unknown ref is a usage_error naming it (exit 2), with nothing on stdout", async () => {
    const repo = repository();
    const result = await repo.run(["check", ".", "--changed-since", "no-such-branch"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(stderrLines(result.stderr)).toEqual([
      "<command-line>:1:1: usage_error: --changed-since no-such-branch: no such commit, branch or tag in this repository; in a shallow CI clone, fetch it first (git fetch origin main), or name another ref",
    ]);
    const option = await repo.run(["check", ".", "--changed-since=--output=x"]);
    expect(option.status).toBe(2);
    expect(stderrLines(option.stderr)).toEqual([expect.stringMatching(/usage_error: --changed-since --output=x: not a git ref/)]);
  });

  it("outside a git repository it is a usage_error too", async () => {
    const repo = tempRepo("exit-codes/warnings-only"); // an empty .git folder: not a repository git knows
    const result = await repo.run(["check", ".", "--changed-since", "main"]);
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([expect.stringMatching(/^<command-line>:1:1: usage_error: --changed-since main: .* is not in a git work tree \(.*\); run obsgate inside the repository$/)]);
  });

  it("marks findings deterministically: two runs print the same bytes", async () => {
    const repo = repository();
    writeFileSync(repo.path("beta/beta.obsgate.yaml"), `# edited\n${readFileSync(repo.path("beta/beta.obsgate.yaml"), "utf8")}`);
    const [a, b] = [await repo.run(["check", ".", "--changed-since", "main", "-f", "json"]), await repo.run(["check", ".", "--changed-since", "main", "-f", "json"])];
    expect(a.stdout).toBe(b.stdout);
    expect(marks(JSON.parse(a.stdout).findings).length).toBeGreaterThan(0);
  });
});
