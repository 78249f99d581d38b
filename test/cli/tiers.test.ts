// Tiers through the real CLI: a model's parameters are resolved for its metadata.tier from
// .obsgate.yaml, rules are switched off or re-graded per tier, the report records how each tier ran,
// and a config that names a rule no policy defines stops the run (exit 2) at the rule's line.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { checkJson, PACKAGE_ROOT, stackTraceLines, stderrLines, tempRepo, type TempRepo } from "../helpers/cli.js";

/** A threshold alert of churn-scorer (by its `model` label) that waits 6m: enough for the default min_for (5m), not for 10m. */
const WAITING_ALERT = `groups:
  - name: churn-scorer-errors
    rules:
      - alert: ChurnErrorsHigh
        expr: sum(rate(churn_requests_total{status_code=~"5.."}[5m])) / sum(rate(churn_requests_total[5m])) > 0.05
        for: 6m
        labels: { severity: warning, model: churn-scorer }
        annotations:
          summary: Churn scorer answers with errors
          description: "{{ $value | humanizePercentage }} of requests failed over 5 minutes."
`;

/** The clean churn-scorer (every check passes) with the waiting alert, at the given tier. */
function cleanModel(tier: "critical" | "high" | "standard"): TempRepo {
  const repo = tempRepo("exit-codes/clean");
  repo.write("alerts/churn-scorer-errors.rules.yaml", WAITING_ALERT);
  setTier(repo, "churn-scorer.obsgate.yaml", tier);
  return repo;
}

function setTier(repo: TempRepo, manifest: string, tier: string): void {
  const path = repo.path(manifest);
  writeFileSync(path, readFileSync(path, "utf8").replace(/^  tier: \w+$/m, `  tier: ${tier}`));
}

const summary = (findings: Array<{ rule: string; severity: string; file: string; line: number }>) =>
  findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}`);

const reportSchema = JSON.parse(readFileSync(join(PACKAGE_ROOT, "schemas", "report.v1.schema.json"), "utf8")) as object;
const validateReport = new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);

describe("parameters per tier", () => {
  const config = "tiers:\n  critical:\n    params:\n      ALR-006: { min_for: 10m }\n";

  it("a critical model gets the critical tier's min_for: its 6m alert is ALR-006 there", async () => {
    const repo = cleanModel("critical");
    repo.write(".obsgate.yaml", config);
    const { status, report, stderr } = await checkJson(repo, [".", "--fail-on", "warning"]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(summary(report.findings)).toEqual(["ALR-006 warning alerts/churn-scorer-errors.rules.yaml:6"]);
    expect(report.findings[0]!.message).toContain("wait at least 10m");
  });

  it("a standard model keeps the default (5m): the same alert passes", async () => {
    const repo = cleanModel("standard");
    repo.write(".obsgate.yaml", config);
    const { status, report } = await checkJson(repo, [".", "--fail-on", "warning"]);
    expect(status).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("the top-level params apply to every tier, and a tier's own override them", async () => {
    const repo = cleanModel("high");
    repo.write(".obsgate.yaml", "params:\n  ALR-006: { min_for: 10m }\ntiers:\n  high:\n    params:\n      ALR-006: { min_for: 6m }\n");
    expect((await checkJson(repo, [".", "--fail-on", "warning"])).report.findings).toEqual([]);
    setTier(repo, "churn-scorer.obsgate.yaml", "standard");
    expect(summary((await checkJson(repo, [".", "--fail-on", "warning"])).report.findings)).toEqual([
      "ALR-006 warning alerts/churn-scorer-errors.rules.yaml:6",
    ]);
  });

  it("the report records each tier that ran, its models, and every rule's switch, severity and parameters", async () => {
    const repo = cleanModel("critical");
    repo.write(".obsgate.yaml", `${config}    rules:\n      ALR-005: off\n      INS-003: { severity: error }\n`);
    const { report } = await checkJson(repo, ["."]);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.tiers.map((t) => [t.tier, t.models])).toEqual([["critical", ["churn-scorer"]]]);
    const rules = new Map(report.tiers[0]!.rules.map((r) => [r.id, r]));
    expect(rules.get("ALR-006")).toEqual({ id: "ALR-006", enabled: true, severity: "warning", regraded: false, params: { min_for_seconds: 600 }, configured: true });
    expect(rules.get("ALR-005")).toEqual({ id: "ALR-005", enabled: false, severity: "warning", regraded: false, configured: true });
    expect(rules.get("INS-003")).toEqual({ id: "INS-003", enabled: true, severity: "error", regraded: true, configured: true });
    expect(rules.get("CAR-002")).toMatchObject({ enabled: true, params: { warn: 1000, max: 10_000, model_budget: 50_000 }, configured: false });
    expect(rules.get("INS-001")).toEqual({ id: "INS-001", enabled: true, severity: "error", regraded: false, configured: false });
    // Every rule of the built-in set is recorded, not only those the config names.
    expect(report.tiers[0]!.rules.map((r) => r.id)).toEqual(report.rules.filter((r) => !["INP", "WVR"].includes(r.family)).map((r) => r.id));
  });

  it("the text report says in one line per tier what the config changes, and nothing without a config", async () => {
    const repo = cleanModel("critical");
    const before = await repo.run(["check", "."]);
    expect(before.stdout).not.toMatch(/^tier /m);
    repo.write(".obsgate.yaml", `${config}    rules:\n      ALR-005: off\n`);
    const after = await repo.run(["check", "."]);
    expect(after.stdout).toContain("tier critical (1 model): ALR-005 off; ALR-006 min_for=10m\n");
  });
});

describe("rule switches per tier", () => {
  // warnings-only: churn-scorer (tier standard) has one INS-003 warning.
  it("`off` drops the rule's findings in the tier", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    repo.write(".obsgate.yaml", "tiers:\n  standard:\n    rules:\n      INS-003: off\n");
    const { status, report } = await checkJson(repo, [".", "--fail-on", "warning"]);
    expect(status).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("a switch for another tier changes nothing here", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    repo.write(".obsgate.yaml", "tiers:\n  critical:\n    rules:\n      INS-003: off\n");
    expect(summary((await checkJson(repo, ["."])).report.findings)).toEqual(["INS-003 warning churn-scorer.obsgate.yaml:24"]);
  });

  it("`{ severity: error }` re-grades every finding of the rule, and the exit code follows", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    expect((await checkJson(repo, ["."])).status).toBe(0);
    repo.write(".obsgate.yaml", "rules:\n  INS-003: { severity: error }\n");
    const { status, report } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expect(summary(report.findings)).toEqual(["INS-003 error churn-scorer.obsgate.yaml:24"]);
  });

  it("`on` in a tier undoes an `off` of the top level", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    repo.write(".obsgate.yaml", "rules:\n  INS-003: off\ntiers:\n  standard:\n    rules:\n      INS-003: on\n");
    expect(summary((await checkJson(repo, ["."])).report.findings)).toEqual(["INS-003 warning churn-scorer.obsgate.yaml:24"]);
  });

  it("INP findings stay: switching INP-001 off is a config_error, and the run stops before any check", async () => {
    const repo = tempRepo("invalid-yaml");
    repo.write(".obsgate.yaml", "rules:\n  INP-001: off\n");
    const result = await repo.run(["check", "."]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(stderrLines(result.stderr)).toEqual([
      ".obsgate.yaml:2:3: config_error: INP-001 cannot be switched off or given another severity: a file obsgate cannot read, or that breaks its schema, is a file nobody checked; fix the file or exclude it instead",
    ]);
  });
});

describe("a bad tier config stops the run (exit 2) at its line", () => {
  it("rule ids no policy defines, with the closest ones", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    repo.write(".obsgate.yaml", "params:\n  alr_006: { min_for: 10m }\ntiers:\n  high:\n    rules:\n      INS-03: off\n      XYZ-001: off\n");
    const result = await repo.run(["check", "."]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(stderrLines(result.stderr)).toEqual([
      '.obsgate.yaml:2:3: config_error: unknown rule "alr_006" in params; did you mean ALR-006?',
      '.obsgate.yaml:6:7: config_error: unknown rule "INS-03" in rules; did you mean INS-003?',
      '.obsgate.yaml:7:7: config_error: unknown rule "XYZ-001" in rules; `obsgate rules` lists every rule',
    ]);
  });

  it("an unknown parameter and a bad duration", async () => {
    const repo = tempRepo("exit-codes/warnings-only");
    repo.write(".obsgate.yaml", "tiers:\n  critical:\n    params:\n      ALR-006: { min_for: 10 minutes, minimum: 5m }\n");
    const result = await repo.run(["check", "."]);
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      '.obsgate.yaml:4:18: config_error: `/tiers/critical/params/ALR-006/min_for` is not a duration: "10 minutes"; write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first)',
      ".obsgate.yaml:4:39: config_error: unknown field `minimum` in `/tiers/critical/params/ALR-006`; remove it or correct its spelling; allowed: min_for",
    ]);
  });
});
