// `obsgate rules`, `obsgate explain` and `obsgate init` through the real CLI, and the pre-commit hook
// definition teams point at.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readConfig } from "../../src/config/index.js";
import { parseYamlDocuments } from "../../src/load/index.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { RULE_PARAMETERS } from "../../src/model/params.js";
import { validateDocument } from "../../src/schema/index.js";
import { checkJson, PACKAGE_ROOT, runCli, stackTraceLines, stderrLines, tempRepo } from "../helpers/cli.js";

interface ListedRule {
  id: string;
  title: string;
  severity: string;
  family: string;
  waivable: boolean;
  docs: string;
  params?: Record<string, unknown>;
  source: string;
}

async function listedRules(): Promise<ListedRule[]> {
  const result = await runCli(["rules", "--format", "json"]);
  expect(result.status).toBe(0);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as ListedRule[];
}

describe("obsgate rules", () => {
  it("lists every rule (obsgate's own INP and WVR, and every built-in check) sorted, with its metadata", async () => {
    const rules = await listedRules();
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    const pages = readdirSync(join(PACKAGE_ROOT, "docs", "rules")).filter((f) => /^[A-Z]+-\d{3}\.md$/.test(f)).map((f) => f.slice(0, -3));
    // Every rule that has a page is listed (WVR pages may come with the waivers work).
    expect(ids).toEqual(expect.arrayContaining(pages.filter((p) => !p.startsWith("WVR"))));
    expect(ids).toEqual(expect.arrayContaining(["INP-001", "INP-002", "INP-003", "INS-001", "ALR-014", "RET-009", "COR-009"]));
    for (const rule of rules) {
      expect(Object.keys(rule).slice(0, 5), rule.id).toEqual(["id", "title", "severity", "family", "waivable"]);
      expect(rule.title.length, rule.id).toBeGreaterThan(5);
      expect(["error", "warning", "info"]).toContain(rule.severity);
      expect(rule.family).toBe(rule.id.slice(0, 3));
      expect(rule.source).toBe("builtin");
    }
    expect(rules.find((r) => r.id === "INP-001")).toMatchObject({ severity: "error", waivable: false, family: "INP" });
  });

  it("gives each rule's parameters with their defaults as .obsgate.yaml writes them", async () => {
    const rules = await listedRules();
    const withParams = Object.fromEntries(rules.filter((r) => r.params).map((r) => [r.id, r.params]));
    expect(Object.keys(withParams).sort()).toEqual(Object.keys(RULE_PARAMETERS).sort());
    expect(withParams["ALR-006"]).toEqual({ min_for: "5m" });
    expect(withParams["RET-003"]).toEqual({ min: "15d", max: "400d" });
    expect(withParams["RET-005"]).toEqual({ min_log_retention_high_risk: "184d" });
    expect(withParams["CAR-002"]).toEqual({ warn: 1000, max: 10_000, model_budget: 50_000 });
    expect(withParams["ALR-002"]).toEqual({ allowed: ["critical", "warning", "info"] });
  });

  it("prints a table by default: id, severity, family, waivable, title", async () => {
    const result = await runCli(["rules"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +SEVERITY +FAMILY +WAIVABLE +TITLE$/);
    expect(lines).toContain("ALR-006  warning   ALR     yes       Threshold alerts wait before firing");
    expect(lines.find((l) => l.startsWith("INP-002"))).toMatch(/^INP-002  error +INP +no +/);
    expect(lines).toHaveLength((await listedRules()).length + 1);
  });

  it("is deterministic: two runs print the same bytes", async () => {
    const [a, b] = await Promise.all([runCli(["rules", "--format", "json"]), runCli(["rules", "--format", "json"])]);
    expect(a.stdout).toBe(b.stdout);
  });

  it("refuses an unknown format with a usage_error", async () => {
    const result = await runCli(["rules", "--format", "yaml"]);
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([expect.stringMatching(/^<command-line>:1:\d+: usage_error: .*yaml/)]);
  });
});

describe("obsgate explain", () => {
  it("prints the rule's page, docs/rules/<ID>.md, as it is", async () => {
    const result = await runCli(["explain", "ALR-006"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(readFileSync(join(PACKAGE_ROOT, "docs", "rules", "ALR-006.md"), "utf8"));
  });

  it("reads the id in any case, and with _ for -", async () => {
    const page = readFileSync(join(PACKAGE_ROOT, "docs", "rules", "INP-002.md"), "utf8");
    expect((await runCli(["explain", "inp-002"])).stdout).toBe(page);
    expect((await runCli(["explain", "inp_002"])).stdout).toBe(page);
  });

  it("an unknown id is a usage_error at the argument, naming the closest rules", async () => {
    const result = await runCli(["explain", "ALR-0066"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(stderrLines(result.stderr)).toEqual(['<command-line>:1:2: usage_error: unknown rule "ALR-0066"; did you mean ALR-006?']);
    const far = await runCli(["explain", "NOPE"]);
    expect(far.status).toBe(2);
    expect(stderrLines(far.stderr)).toEqual(['<command-line>:1:2: usage_error: unknown rule "NOPE"; `obsgate rules` lists every rule']);
  });

  it("a missing id is a usage_error", async () => {
    const result = await runCli(["explain"]);
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([expect.stringMatching(/^<command-line>:1:1: usage_error: missing required argument 'id'/)]);
  });
});

describe("obsgate init", () => {
  it("writes a commented .obsgate.yaml at the repository root that the config schema and reader accept, at the defaults", async () => {
    const repo = tempRepo();
    repo.write("models/README.md", "# models\n");
    const result = await repo.run(["init"], {});
    expect(result.status).toBe(0);
    expect(stderrLines(result.stderr)).toEqual(["wrote .obsgate.yaml"]);
    const text = readFileSync(repo.path(".obsgate.yaml"), "utf8");
    expect(text.split("\n").filter((l) => l.trimStart().startsWith("#")).length).toBeGreaterThan(15);
    const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
    if ("failure" in parsed) throw new Error(parsed.failure.message);
    expect(validateDocument("config", parsed.documents[0]!.value, parsed.documents[0]!.sourceMap)).toEqual([]);
    const config = readConfig(repo.path(".obsgate.yaml"), repo.dir);
    expect(config).toMatchObject({ file: ".obsgate.yaml", include: [], exclude: [], failOn: "error" });
    for (const tier of ["critical", "high", "standard"] as const) {
      expect(config.tiers.tiers[tier].rules).toEqual({});
      expect(config.tiers.tiers[tier].configuredParams).toEqual([]);
    }
    // Commented examples name real parameters: uncommented, they are valid too.
    const uncommented = text.replace(/^(\s*)# ((?:[A-Z]{3}-\d{3}): .*?)(\s+#.*)?$/gm, "$1$2");
    const reparsed = parse(uncommented.replace(/: \{\}\n(\s+[A-Z]{3}-\d{3}:)/g, ":\n$1")) as Record<string, unknown>;
    const again = parseYamlDocuments(JSON.stringify(reparsed), DEFAULT_LIMITS);
    if ("failure" in again) throw new Error(again.failure.message);
    expect(validateDocument("config", again.documents[0]!.value, again.documents[0]!.sourceMap)).toEqual([]);
  });

  it("writes the config at the git root even from a sub-folder", async () => {
    const repo = tempRepo();
    repo.write("team/a/.keep", "");
    const result = await runCli(["init"], { cwd: repo.path("team/a") });
    expect(result.status).toBe(0);
    expect(existsSync(repo.path(".obsgate.yaml"))).toBe(true);
    expect(existsSync(repo.path("team/a/.obsgate.yaml"))).toBe(false);
  });

  it("with a folder, writes <folder>/<name>.obsgate.yaml: a manifest the manifest schema accepts, and obsgate checks", async () => {
    const repo = tempRepo();
    const result = await repo.run(["init", "models/Fraud_Detector", "--owner", "team-risk", "--tier", "critical"]);
    expect(result.status).toBe(0);
    expect(stderrLines(result.stderr)).toEqual(["wrote .obsgate.yaml", "wrote models/Fraud_Detector/fraud-detector.obsgate.yaml"]);
    const text = readFileSync(repo.path("models/Fraud_Detector/fraud-detector.obsgate.yaml"), "utf8");
    const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
    if ("failure" in parsed) throw new Error(parsed.failure.message);
    const doc = parsed.documents[0]!;
    expect(validateDocument("manifest", doc.value, doc.sourceMap)).toEqual([]);
    expect(doc.value).toMatchObject({ apiVersion: "obsgate.dev/v1", kind: "ModelObservability", metadata: { name: "fraud-detector", owner: "team-risk", tier: "critical" } });
    // obsgate reads it as a model (findings are expected: it has no alert rules yet), not as invalid input.
    const { report } = await checkJson(repo, ["."]);
    expect(report.models).toEqual([expect.objectContaining({ name: "fraud-detector", tier: "critical", status: "evaluated" })]);
    expect(report.findings.filter((f) => f.rule.startsWith("INP"))).toEqual([]);
  });

  it("with a .yaml path and --no-config, writes only that manifest, named after the file", async () => {
    const repo = tempRepo();
    const result = await repo.run(["init", "svc/churn-scorer.obsgate.yaml", "--no-config"]);
    expect(result.status).toBe(0);
    expect(existsSync(repo.path(".obsgate.yaml"))).toBe(false);
    const value = parse(readFileSync(repo.path("svc/churn-scorer.obsgate.yaml"), "utf8")) as { metadata: { name: string; tier: string } };
    expect(value.metadata).toMatchObject({ name: "churn-scorer", tier: "standard", owner: "my-team" });
  });

  it("never overwrites: an existing file is an output_error (exit 2) at that file, and nothing is written", async () => {
    const repo = tempRepo();
    repo.write(".obsgate.yaml", "fail-on: warning\n");
    const before = statSync(repo.path(".obsgate.yaml")).mtimeMs;
    const result = await repo.run(["init", "models/ranker"]);
    expect(result.status).toBe(2);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(stderrLines(result.stderr)).toEqual([
      ".obsgate.yaml:1:1: output_error: already exists; obsgate init never overwrites a file: edit it, or move it away and run again (--no-config writes only the manifest)",
    ]);
    expect(readFileSync(repo.path(".obsgate.yaml"), "utf8")).toBe("fail-on: warning\n");
    expect(statSync(repo.path(".obsgate.yaml")).mtimeMs).toBe(before);
    // Nothing half-written: the manifest that did not exist is not written either, and no temporary file is left.
    expect(existsSync(repo.path("models/ranker"))).toBe(false);
    expect(readdirSync(repo.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const manifest = await repo.run(["init", "models/ranker", "--no-config"]);
    expect(manifest.status).toBe(0);
    const again = await repo.run(["init", "models/ranker", "--no-config"]);
    expect(again.status).toBe(2);
    expect(stderrLines(again.stderr)).toEqual([
      "models/ranker/ranker.obsgate.yaml:1:1: output_error: already exists; obsgate init never overwrites a file: edit it, or move it away and run again",
    ]);
  });

  it("a path that gives no valid model name asks for --name; --name must be a valid name", async () => {
    const repo = tempRepo();
    const result = await repo.run(["init", "___"]);
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      '<command-line>:1:1: usage_error: cannot make a model name from "___" (got ""); pass --name with lowercase letters, digits and hyphens, e.g. --name fraud-detector',
    ]);
    expect(existsSync(repo.path(".obsgate.yaml"))).toBe(false);
    const bad = await repo.run(["init", "models/x", "--name", "Bad Name"]);
    expect(bad.status).toBe(2);
    expect(stderrLines(bad.stderr)).toEqual([expect.stringMatching(/^<command-line>:1:1: usage_error: cannot make a model name from "models\/x"; pass --name/)]);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  it("defines the obsgate hook: node, `obsgate check`, no filenames passed, run when YAML or JSON changes", () => {
    const hooks = parse(readFileSync(join(PACKAGE_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Array<Record<string, unknown>>;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: "obsgate", name: expect.any(String), language: "node", entry: "obsgate check", pass_filenames: false });
    const files = new RegExp(hooks[0]!.files as string);
    for (const name of ["models/a.obsgate.yaml", "alerts/x.yml", "rules.json", ".obsgate.yaml", "waivers.yaml"]) expect(files.test(name), name).toBe(true);
    for (const name of ["README.md", "main.py", "yaml.txt"]) expect(files.test(name), name).toBe(false);
    // `obsgate` is the package's executable, which pre-commit's node language installs.
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain("obsgate");
  });
});
