// Users' own policies through the real CLI (issue 6, "Users' own policies" and "Bad input"): a
// folder of Rego compiled with the pinned opa and cached by content, a `.wasm` or an OPA bundle
// loaded as it is, `--data` for them, and every way such a policy can be wrong as a located
// diagnostic with exit 2, nothing on stdout and nothing half-written. Every run gets a cache
// folder of its own (OBSGATE_CACHE_DIR), so a test never sees another's compiled modules.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { pinnedOpaVersion } from "../../src/policy/opa-binary.js";
import {
  DIAGNOSTIC_LINE,
  PACKAGE_ROOT,
  runCli,
  stackTraceLines,
  stderrLines,
  tempRepo,
  type CliResult,
  type JsonReport,
  type TempRepo,
} from "../helpers/cli.js";
import { describeWith, opa } from "../helpers/require.js";

const FIXTURES = join(PACKAGE_ROOT, "test", "fixtures", "policies");
const CUSTOM = join(PACKAGE_ROOT, "examples", "custom-policy");
const VALID_MANIFEST = join(PACKAGE_ROOT, "test", "fixtures", "bad-input", "empty-file", "churn-scorer.obsgate.yaml");
/** Copies the example policy without its example cases, whose manifests a `check .` would read. */
const withoutExamples = (source: string) => !source.startsWith(join(CUSTOM, "examples"));

/** A path where no opa is: with it as OBSGATE_OPA, only a cached module can be loaded. */
const NO_OPA = "/nonexistent/opa";

const scratch = mkdtempSync(join(tmpdir(), "obsgate-user-policies-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Runs that name no cache of their own share this one, never the user's ~/.cache.
process.env.OBSGATE_CACHE_DIR = join(scratch, "cache-shared");
let caches = 0;

/** A fresh, empty cache folder. */
function freshCache(): string {
  return join(scratch, `cache-${++caches}`);
}

function cacheEntries(cache: string): string[] {
  const dir = join(cache, "policies");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A repository holding the valid churn-scorer manifest and, under `policy/`, a copy of the fixture folder. */
function repoWithPolicy(fixture: string | null): TempRepo {
  const repo = tempRepo(null);
  repo.write("churn-scorer.obsgate.yaml", readFileSync(VALID_MANIFEST));
  if (fixture) cpSync(join(FIXTURES, fixture), repo.path("policy"), { recursive: true });
  return repo;
}

/** Exit 2, nothing on stdout, no stack trace: returns the diagnostic lines. */
function expectDiagnostics(result: CliResult): string[] {
  expect(result.status, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(2);
  expect(result.stdout).toBe("");
  expect(stackTraceLines(result.stderr), `stderr:\n${result.stderr}`).toEqual([]);
  const lines = stderrLines(result.stderr);
  for (const line of lines) expect(line).toMatch(DIAGNOSTIC_LINE);
  return lines;
}

function report(result: CliResult): JsonReport {
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as JsonReport;
}

/** The line of `owner:` in a manifest, so the test follows edits to the example fleet. */
function ownerLine(file: string): number {
  return readFileSync(join(PACKAGE_ROOT, file), "utf8").split("\n").findIndex((l) => /^\s+owner:/.test(l)) + 1;
}

function opaBuild(args: string[], cwd: string): void {
  const result = spawnSync(opa().path, ["build", ...args], { cwd, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
}

describeWith(["opa"], "a folder of Rego as --policy", () => {
  // One model keeps the cache tests quick; the first test runs over the whole example fleet.
  const fleetArgs = ["check", "examples/fleet/credit-scorer", "--policy", "examples/custom-policy", "--format", "json", "--fail-on", "never"];

  it("is compiled, and its findings carry locations the way the built-ins' do", async () => {
    const cache = freshCache();
    const result = await runCli(["check", "examples/fleet", "--policy", "examples/custom-policy", "--format", "json", "--fail-on", "never", "--data", "examples/custom-policy/teams.yaml"], { env: { OBSGATE_CACHE_DIR: cache } });
    expect(result.status).toBe(0);
    const { findings, tool } = report(result) as JsonReport & {
      tool: { policies: Array<{ name: string; opaVersion: string | null; sha256: string }>; data: Array<{ path: string; sha256: string }> };
    };
    // teams.yaml registers team-risk (fraud-detector) but not team-lending (credit-scorer).
    const file = "examples/fleet/credit-scorer/credit-scorer.obsgate.yaml";
    expect(findings.filter((f) => f.rule === "ORG-001").map(({ rule, file, line, column, model, severity, message, pointer }) => ({ rule, file, line, column, model, severity, message, pointer }))).toEqual([
      {
        rule: "ORG-001",
        file,
        line: ownerLine(file),
        column: 3,
        model: "credit-scorer",
        severity: "error",
        message: "credit-scorer is a critical model, but its owner team-lending is not a team in the registry",
        pointer: "/metadata/owner",
      },
    ]);
    expect(tool.policies.map((p) => ({ name: p.name, opaVersion: p.opaVersion }))).toEqual([
      { name: "builtin", opaVersion: pinnedOpaVersion() },
      { name: "examples/custom-policy", opaVersion: pinnedOpaVersion() },
    ]);
    expect(tool.policies[1]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The data the policy read is named with the digest of its bytes.
    expect(tool.data).toEqual([{ path: "examples/custom-policy/teams.yaml", sha256: createHash("sha256").update(readFileSync(join(CUSTOM, "teams.yaml"))).digest("hex") }]);
  });

  it("is cached: a second run loads the module without opa, and leaves the entry as it was", async () => {
    const cache = freshCache();
    const first = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache } });
    expect(first.status).toBe(0);
    const entries = cacheEntries(cache);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^[0-9a-f]{64}\.wasm$/);
    const entry = join(cache, "policies", entries[0]!);
    const mtime = statSync(entry).mtimeMs;
    // OBSGATE_OPA is the only candidate when set: a compile now would fail (see the next test).
    const second = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache, OBSGATE_OPA: NO_OPA } });
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(cacheEntries(cache)).toEqual(entries);
    expect(statSync(entry).mtimeMs).toBe(mtime);
  });

  it("is compiled again when a .rego changes, and the cache keeps both versions", async () => {
    const cache = freshCache();
    const repo = tempRepo(null);
    repo.write("churn-scorer.obsgate.yaml", readFileSync(VALID_MANIFEST).toString().replace("tier: standard", "tier: critical"));
    cpSync(CUSTOM, repo.path("org"), { recursive: true });
    const args = ["check", "churn-scorer.obsgate.yaml", "--policy", "org", "--data", "org/teams.yaml", "--format", "json", "--fail-on", "never"];
    const first = await repo.run(args, { env: { OBSGATE_CACHE_DIR: cache } });
    // team-growth is in teams.yaml: no finding yet.
    expect(report(first).findings.filter((f) => f.rule === "ORG-001")).toEqual([]);
    expect(cacheEntries(cache)).toHaveLength(1);

    // A changed rule: team-growth no longer counts as registered, so the finding proves the new code ran.
    const rego = repo.path("org/org_001.rego");
    writeFileSync(rego, readFileSync(rego, "utf8").replace("registered(team) if data.teams[team]", 'registered(team) if {\n\tdata.teams[team]\n\tteam != "team-growth"\n}'));
    const withoutOpa = await repo.run(args, { env: { OBSGATE_CACHE_DIR: cache, OBSGATE_OPA: NO_OPA } });
    expect(expectDiagnostics(withoutOpa)).toEqual([
      `org:1:1: policy_error: cannot compile org: OBSGATE_OPA is ${NO_OPA}, which does not exist; install OPA ${pinnedOpaVersion()}: \`go install github.com/open-policy-agent/opa@${pinnedOpaVersion()}\`, or download the release binary from https://github.com/open-policy-agent/opa/releases/tag/${pinnedOpaVersion()}; then put it on PATH or set OBSGATE_OPA to its path`,
    ]);
    const recompiled = await repo.run(args, { env: { OBSGATE_CACHE_DIR: cache } });
    expect(report(recompiled).findings.filter((f) => f.rule === "ORG-001").map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      "churn-scorer.obsgate.yaml:6:3 churn-scorer is a critical model, but its owner team-growth is not a team in the registry",
    ]);
    expect(cacheEntries(cache)).toHaveLength(2);
  });

  it("does not depend on _test.rego files or on where the folder is", async () => {
    const cache = freshCache();
    const first = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache } });
    expect(first.status).toBe(0);
    const repo = tempRepo(null);
    cpSync(CUSTOM, repo.path("elsewhere/org"), { recursive: true });
    writeFileSync(repo.path("elsewhere/org/org_001_test.rego"), "package org.rules.org_001_test\n\ntest_nothing if true\n");
    const second = await runCli(["check", "examples/fleet", "--policy", repo.path("elsewhere/org"), "--format", "json", "--fail-on", "never"], {
      env: { OBSGATE_CACHE_DIR: cache, OBSGATE_OPA: NO_OPA },
    });
    expect(second.status).toBe(0);
    expect(cacheEntries(cache)).toHaveLength(1);
  });

  it("rebuilds a corrupt cache entry instead of loading it", async () => {
    const cache = freshCache();
    expect((await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache } })).status).toBe(0);
    const entry = join(cache, "policies", cacheEntries(cache)[0]!);
    const good = readFileSync(entry);
    truncateSync(entry, 1000);
    // Without opa, the corrupt entry is not loaded: it must be rebuilt, which needs opa.
    const withoutOpa = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache, OBSGATE_OPA: NO_OPA } });
    expect(expectDiagnostics(withoutOpa)[0]).toMatch(/^examples\/custom-policy:1:1: policy_error: cannot compile examples\/custom-policy: OBSGATE_OPA is /);
    const rebuilt = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: cache } });
    expect(rebuilt.status).toBe(0);
    expect(readFileSync(entry).equals(good)).toBe(true);
    // Written whole: no temporary file is left beside the entry.
    expect(cacheEntries(cache)).toEqual([cacheEntries(cache)[0]]);
  });

  it("lives under $XDG_CACHE_HOME/obsgate when OBSGATE_CACHE_DIR is unset", async () => {
    const xdg = freshCache();
    const result = await runCli(fleetArgs, { env: { OBSGATE_CACHE_DIR: "", XDG_CACHE_HOME: xdg } });
    expect(result.status).toBe(0);
    expect(cacheEntries(join(xdg, "obsgate"))).toHaveLength(1);
  });

  it("may also be named in .obsgate.yaml, with its data, relative to the config's folder", async () => {
    const repo = tempRepo(null);
    repo.write("models/churn-scorer.obsgate.yaml", readFileSync(VALID_MANIFEST).toString().replace("tier: standard", "tier: critical").replace("team-growth", "team-ghost"));
    cpSync(CUSTOM, repo.path("compliance/org"), { recursive: true, filter: withoutExamples });
    repo.write("compliance/.obsgate.yaml", "policies: [org]\ndata: [org/teams.yaml]\n");
    const result = await repo.run(["check", "models", "--config", "compliance/.obsgate.yaml", "--format", "json", "--fail-on", "never"], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(report(result).findings.filter((f) => f.rule === "ORG-001").map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      "models/churn-scorer.obsgate.yaml:6:3 churn-scorer is a critical model, but its owner team-ghost is not a team in the registry",
    ]);
  });

  it("named in .obsgate.yaml but missing is a config_error at its line", async () => {
    const repo = repoWithPolicy(null);
    repo.write(".obsgate.yaml", "fail-on: error\npolicies:\n  - policies/org\n");
    expect(expectDiagnostics(await repo.run(["check", "."]))).toEqual([
      ".obsgate.yaml:3:5: config_error: policies: policies/org: no such file or folder (paths are relative to the config's folder); correct the path",
    ]);
  });
});

describeWith(["opa"], "a .wasm or an OPA bundle as --policy", () => {
  it("a bundle from `opa build -t wasm` is loaded with its own data", async () => {
    const repo = tempRepo(null);
    cpSync(CUSTOM, repo.path("org"), { recursive: true, filter: withoutExamples });
    // teams.yaml goes into the bundle's data.json, where `opa build` puts data files.
    opaBuild(["-t", "wasm", "-e", "obsgate/findings", "-e", "obsgate/metadata", "-o", "org.tar.gz", "org/obsgate.rego", "org/org_001.rego", "org/teams.yaml"], repo.dir);
    const result = await runCli(["check", "examples/fleet", "--policy", repo.path("org.tar.gz"), "--format", "json", "--fail-on", "never"], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(report(result).findings.filter((f) => f.rule === "ORG-001").map((f) => f.model)).toEqual(["credit-scorer"]);
  });

  it("the bundle's data and --data that set one key twice are a data_error naming the bundle", async () => {
    const repo = tempRepo(null);
    repo.write("churn-scorer.obsgate.yaml", readFileSync(VALID_MANIFEST));
    cpSync(CUSTOM, repo.path("org"), { recursive: true, filter: withoutExamples });
    opaBuild(["-t", "wasm", "-e", "obsgate/findings", "-e", "obsgate/metadata", "-o", "org.tar.gz", "org/obsgate.rego", "org/org_001.rego", "org/teams.yaml"], repo.dir);
    repo.write("more-teams.yaml", "teams:\n  team-risk: { oncall: other }\n");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "org.tar.gz", "--data", "more-teams.yaml"]))).toEqual([
      "more-teams.yaml:2:16: data_error: data.teams.team-risk.oncall is also set by org.tar.gz!/data.json; data documents merge objects key by key, and any other value may be set once",
    ]);
  });

  it("`policy build` writes a .wasm that the SDK loads as it is and `check --policy` evaluates", async () => {
    const repo = tempRepo(null);
    const built = await runCli(["policy", "build", "examples/custom-policy", "-o", repo.path("out/org.wasm")], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toBe("");
    expect(built.stderr).toMatch(new RegExp(`^wrote .*org\\.wasm: \\d+ bytes, compiled by OPA ${pinnedOpaVersion().replace(/\./g, "\\.")}, entry points obsgate/findings, obsgate/metadata\\n$`));
    const policy = await loadPolicy(readFileSync(repo.path("out/org.wasm")));
    expect(Object.keys(policy.entrypoints).sort()).toEqual(["obsgate/findings", "obsgate/metadata"]);
    policy.setData({ teams: {} });
    const result = policy.evaluate({ model: { name: "m", owner: "team-x", tier: "critical" }, params: {} }, "obsgate/findings");
    expect(result[0].result).toEqual([{ rule: "ORG-001", pointer: "/model/owner", message: "m is a critical model, but its owner team-x is not a team in the registry" }]);
    // Through the whole pipeline, beside the built-ins, with --data.
    const checked = await runCli(["check", "examples/fleet", "--policy", repo.path("out/org.wasm"), "--data", "examples/custom-policy/teams.yaml", "--format", "json", "--fail-on", "never"]);
    expect(report(checked).findings.filter((f) => f.rule === "ORG-001").map((f) => f.model)).toEqual(["credit-scorer"]);
  });

  it("`policy build -e` compiles the entry points asked for", async () => {
    const repo = tempRepo(null);
    const built = await runCli(["policy", "build", "examples/custom-policy", "-o", repo.path("rule.wasm"), "-e", "org/rules/org_001/findings", "-e", "org/rules/org_001/metadata"]);
    expect(built.status, built.stderr).toBe(0);
    const policy = await loadPolicy(readFileSync(repo.path("rule.wasm")));
    // opa may add entry points a rule's package implies; the ones asked for are there.
    expect(Object.keys(policy.entrypoints)).toEqual(expect.arrayContaining(["org/rules/org_001/findings", "org/rules/org_001/metadata"]));
  });

  it("`policy build` that fails writes nothing", async () => {
    const repo = repoWithPolicy("syntax-error");
    const result = await repo.run(["policy", "build", "policy", "-o", "out.wasm"]);
    expect(expectDiagnostics(result)[0]).toMatch(/^policy\/policy\.rego:6:\d+: policy_error: rego_parse_error: /);
    expect(existsSync(repo.path("out.wasm"))).toBe(false);
    const unknown = await repo.run(["policy", "build", "policy", "-o", "out.wasm", "-e", "nope/rule"]);
    expect(unknown.status).toBe(2);
    expect(existsSync(repo.path("out.wasm"))).toBe(false);
  });
});

describeWith(["opa"], "a bad policy is a located diagnostic (exit 2), never a crash", () => {
  const fix = "fix the Rego, then run again (`opa check --strict` on the folder shows the same)";

  it("a Rego syntax error, at the .rego file's line and column", async () => {
    const cache = freshCache();
    const repo = repoWithPolicy("syntax-error");
    const lines = expectDiagnostics(await repo.run(["check", ".", "--policy", "policy", "--format", "json", "--output", "report.json"], { env: { OBSGATE_CACHE_DIR: cache } }));
    expect(lines).toContain(`policy/policy.rego:6:1: policy_error: rego_parse_error: var cannot be used for rule name; ${fix}`);
    // Nothing half-written: no report, no cache entry, no temporary file.
    expect(existsSync(repo.path("report.json"))).toBe(false);
    expect(cacheEntries(cache)).toEqual([]);
  });

  it("a builtin the Wasm SDK cannot run, at the call", async () => {
    const repo = repoWithPolicy("unsupported-builtin");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } }))).toEqual([
      "policy/policy.rego:7:14: policy_error: rego_type_error: undefined function http.send; obsgate compiles for the Wasm target, which has only the builtins @open-policy-agent/opa-wasm runs (tools/opa-capabilities.json)",
    ]);
  });

  it("a folder without the contract's findings rule", async () => {
    const repo = repoWithPolicy("no-findings");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } }))).toEqual([
      "policy:1:1: policy_error: the policy has no `obsgate/findings` entry point: define rule `findings` in package `obsgate` (see docs/writing-policies.md, the contract)",
    ]);
  });

  it("a folder with no .rego", async () => {
    const repo = repoWithPolicy(null);
    mkdirSync(repo.path("policy"));
    repo.write("policy/README.md", "no Rego here\n");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"]))).toEqual([
      "policy:1:1: policy_error: no .rego policy files in policy; pass a folder of Rego, a .wasm or a bundle.tar.gz",
    ]);
  });

  it("findings that break the contract, naming the policy and the model", async () => {
    const repo = repoWithPolicy("bad-findings");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } }))).toEqual([
      'policy:1:1: policy_error: policy policy, model churn-scorer: a finding names rule "ORG-404", which obsgate/metadata does not describe',
    ]);
  });

  it("a rule id the built-ins already define", async () => {
    const repo = repoWithPolicy("clashing-id");
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } }))).toEqual([
      "policy:1:1: policy_error: policy policy describes rule INS-001, which the built-in policies already defines; give the policy's rule an id of its own (e.g. ORG-001)",
    ]);
  });

  it("a missing opa, with how to install the pinned one", async () => {
    const repo = repoWithPolicy(null);
    cpSync(CUSTOM, repo.path("policy"), { recursive: true });
    const pinned = pinnedOpaVersion();
    const hint = `install OPA ${pinned}: \`go install github.com/open-policy-agent/opa@${pinned}\`, or download the release binary from https://github.com/open-policy-agent/opa/releases/tag/${pinned}; then put it on PATH or set OBSGATE_OPA to its path`;
    const noPath = { OBSGATE_CACHE_DIR: freshCache(), OBSGATE_OPA: "", PATH: "/usr/bin:/bin", GOPATH: join(scratch, "no-go") };
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "policy"], { env: noPath }))).toEqual([
      `policy:1:1: policy_error: cannot compile policy: compiling Rego needs opa, and none was found on PATH or in $GOPATH/bin; ${hint}`,
    ]);
  });

  it("an unreadable bundle", async () => {
    const repo = repoWithPolicy(null);
    repo.write("bundle.tar.gz", randomBytes(256));
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "bundle.tar.gz"]))).toEqual([
      "bundle.tar.gz:1:1: policy_error: cannot read the bundle (incorrect header check); pass a bundle built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`",
    ]);
  });

  it("a bundle without the contract's entry points, or without Wasm", async () => {
    const repo = repoWithPolicy(null);
    cpSync(CUSTOM, repo.path("org"), { recursive: true, filter: withoutExamples });
    opaBuild(["-t", "wasm", "-e", "obsgate/metadata", "-o", "metadata-only.tar.gz", "org/obsgate.rego", "org/org_001.rego"], repo.dir);
    opaBuild(["-t", "wasm", "-e", "obsgate/findings", "-o", "findings-only.tar.gz", "org/obsgate.rego", "org/org_001.rego"], repo.dir);
    opaBuild(["-o", "rego-only.tar.gz", "org/obsgate.rego", "org/org_001.rego"], repo.dir);
    const fix = "pass a bundle built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`";
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "metadata-only.tar.gz"]))).toEqual([
      `metadata-only.tar.gz:1:1: policy_error: the bundle has no \`obsgate/findings\` entry point (its manifest lists: obsgate/metadata); ${fix}`,
    ]);
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "findings-only.tar.gz"]))).toEqual([
      `findings-only.tar.gz:1:1: policy_error: the policy has no \`obsgate/metadata\` entry point (it has: obsgate/findings); ${fix}`,
    ]);
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "rego-only.tar.gz"]))).toEqual([
      `rego-only.tar.gz:1:1: policy_error: the bundle holds no policy.wasm (it holds Rego: build it with \`-t wasm\`); ${fix}`,
    ]);
  });

  it("a file that is no kind of policy, and a path that does not exist", async () => {
    const repo = repoWithPolicy(null);
    repo.write("notes.txt", "hello\n");
    const fix = "pass a folder of .rego files, a .wasm, or a bundle.tar.gz from `opa build -t wasm`";
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "notes.txt"]))).toEqual([
      `notes.txt:1:1: policy_error: not a policy (neither a folder of .rego, a WebAssembly module nor a gzipped bundle); ${fix}`,
    ]);
    expect(expectDiagnostics(await repo.run(["check", ".", "--policy", "org"]))).toEqual([
      `org:1:1: policy_error: cannot read the policy (no such file or folder); ${fix}`,
    ]);
  });

  it("a --data file that is missing, does not parse, or sets a reserved key", async () => {
    const repo = repoWithPolicy(null);
    repo.write("broken.yaml", "teams: [a, b\n");
    repo.write("fleet.json", '{"fleet": {"models": {}}}');
    expect(expectDiagnostics(await repo.run(["check", ".", "--data", "teams.yaml"]))).toEqual([
      "teams.yaml:1:1: data_error: cannot read the data file (no such file); pass a JSON or YAML file with --data",
    ]);
    expect(expectDiagnostics(await repo.run(["check", ".", "--data", "broken.yaml"]))[0]).toMatch(/^broken\.yaml:\d+:\d+: data_error: /);
    expect(expectDiagnostics(await repo.run(["check", ".", "--data", "fleet.json"]))).toEqual([
      "fleet.json:1:2: data_error: data.fleet is reserved (obsgate sets data.fleet to the fleet index); put this under another key",
    ]);
  });
});

describeWith(["opa"], "obsgate policy test", () => {
  it("passes examples/custom-policy: its Rego tests and its example cases", async () => {
    const result = await runCli(["policy", "test", "examples/custom-policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("11 passed, 0 failed\n");
    expect(result.status).toBe(0);
    const verbose = await runCli(["policy", "test", "examples/custom-policy", "--verbose"]);
    expect(verbose.stdout.split("\n").filter((l) => l.startsWith("PASS example "))).toEqual([
      "PASS example high-tier-by-params (examples/custom-policy/examples/high-tier-by-params)",
      "PASS example registered-owner (examples/custom-policy/examples/registered-owner)",
      "PASS example standard-tier (examples/custom-policy/examples/standard-tier)",
      "PASS example unregistered-owner (examples/custom-policy/examples/unregistered-owner)",
    ]);
  });

  it("examples/custom-policy is formatted and passes opa check --strict with the SDK's capabilities", () => {
    const fmt = spawnSync(opa().path, ["fmt", "--list", "--fail", CUSTOM], { encoding: "utf8" });
    expect(fmt.stdout, "files opa fmt would change").toBe("");
    const rego = ["obsgate.rego", "org_001.rego"].map((f) => join(CUSTOM, f));
    const check = spawnSync(opa().path, ["check", "--strict", "--capabilities", join(PACKAGE_ROOT, "tools", "opa-capabilities.json"), ...rego], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("counts failing Rego tests and examples, says why each failed, and exits 1", async () => {
    const result = await runCli(["policy", "test", "test/fixtures/policies/failing-tests"], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe([
      "FAIL data.obsgate_test.test_wrong_expectation (test/fixtures/policies/failing-tests/policy_test.rego:14)",
      "  the test's body was not true",
      "FAIL example fails (test/fixtures/policies/failing-tests/examples/fails)",
      "  missing: ORG-002 at elsewhere.obsgate.yaml",
      "  unexpected: ORG-002 at churn-scorer.obsgate.yaml:5:3 (churn-scorer): owner alice is not a team",
      "3 passed, 2 failed",
      "",
    ].join("\n"));
    expect(result.status).toBe(1);
  });

  it("catches what only the Wasm path shows: an example fails where the policy's data is missing", async () => {
    const repo = tempRepo(null);
    cpSync(CUSTOM, repo.path("org"), { recursive: true });
    // Without the case's data line, the registry is missing and the registered owner is reported.
    const expected = repo.path("org/examples/registered-owner/expected.yaml");
    writeFileSync(expected, readFileSync(expected, "utf8").replace("data: [../../teams.yaml]\n", ""));
    const result = await repo.run(["policy", "test", "org"], { env: { OBSGATE_CACHE_DIR: freshCache() } });
    expect(result.stdout).toBe([
      "FAIL example registered-owner (org/examples/registered-owner)",
      "  unexpected: ORG-001 at fraud-scorer.obsgate.yaml:5:3 (fraud-scorer): fraud-scorer is a critical model, but its owner team-risk is not a team in the registry (no team registry was given: pass teams.yaml with --data)",
      "10 passed, 1 failed",
      "",
    ].join("\n"));
    expect(result.status).toBe(1);
    // --data applies to every case.
    const withData = await repo.run(["policy", "test", "org", "--data", "org/teams.yaml"]);
    expect(withData.stdout).toBe("11 passed, 0 failed\n");
  });

  it("a policy that does not compile is a diagnostic (exit 2), not a failed test", async () => {
    const repo = repoWithPolicy("syntax-error");
    const lines = expectDiagnostics(await repo.run(["policy", "test", "policy"], { env: { OBSGATE_CACHE_DIR: freshCache() } }));
    expect(lines[0]).toMatch(/^policy\/policy\.rego:6:1: policy_error: rego_parse_error: /);
  });

  it("a test file that does not parse is a located diagnostic (exit 2)", async () => {
    const repo = tempRepo(null);
    cpSync(CUSTOM, repo.path("org"), { recursive: true });
    repo.write("org/broken_test.rego", "package org.broken_test\n\ntest_x if {\n");
    const lines = expectDiagnostics(await repo.run(["policy", "test", "org"], { env: { OBSGATE_CACHE_DIR: freshCache() } }));
    expect(lines[0]).toMatch(/^org\/broken_test\.rego:\d+:\d+: policy_error: rego_parse_error: /);
  });

  it("an example without expected.yaml, or with a bad one, is a located diagnostic (exit 2)", async () => {
    const repo = tempRepo(null);
    cpSync(CUSTOM, repo.path("org"), { recursive: true });
    rmSync(repo.path("org/examples/standard-tier/expected.yaml"));
    repo.write("org/examples/registered-owner/expected.yaml", "findings:\n  - rule: ORG-001\n    line: five\n");
    expect(expectDiagnostics(await repo.run(["policy", "test", "org"], { env: { OBSGATE_CACHE_DIR: freshCache() } }))).toEqual([
      "org/examples/registered-owner/expected.yaml:3:5: policy_error: `/findings/0/line` must be integer; write integer here",
      "org/examples/standard-tier:1:1: policy_error: example standard-tier has no expected.yaml: write one listing the findings the policy must report (`findings: []` for none; see docs/writing-policies.md)",
    ]);
  });

  it("a folder that is not there is a usage error", async () => {
    const repo = tempRepo(null);
    expect(expectDiagnostics(await repo.run(["policy", "test", "nope"]))).toEqual([
      "<command-line>:1:1: usage_error: policy test nope: not a folder; pass the folder that holds the policy's .rego files",
    ]);
  });
});

describe("the --policy and --data flags", () => {
  it("are listed in check --help", async () => {
    const result = await runCli(["check", "--help"]);
    expect(result.stdout).toContain("--policy <path>");
    expect(result.stdout).toContain("--data <file>");
  });
});
