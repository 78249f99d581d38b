// Exit codes through the real CLI process (DESIGN.md, "Outputs"): 0 when no open finding is at or
// above --fail-on (default `error`), 1 when one is, 2 for a diagnostic; and `--version`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkJson, PACKAGE_ROOT, runCli, stackTraceLines, tempRepo } from "../helpers/cli.js";

/**
 * Fixtures: `clean` (no finding from any check: an SLO with burn-rate alerts in a listed rule file, and
 * Prometheus, Loki and Tempo configs that enforce the declared retention), `warnings-only` (one INS-003
 * warning), `errors` (INS-001 error + INS-003 warning).
 */
const fixture = (name: "clean" | "warnings-only" | "errors") => tempRepo(`exit-codes/${name}`);

const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("check's exit code", () => {
  it("a clean fixture exits 0 and says it passed", async () => {
    const repo = fixture("clean");
    const result = await repo.run(["check", "."]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/passed: 0 findings/);
    const { status, report } = await checkJson(repo, ["."]);
    expect(status).toBe(0);
    expect(report).toMatchObject({ result: "passed", failOn: "error", findings: [] });
    expect(report.models).toEqual([expect.objectContaining({ name: "churn-scorer", status: "evaluated" })]);
    // The rule file and the backend configs were read and checked, not passed over.
    expect(report.files).toEqual([
      { path: "alerts/churn-scorer.rules.yaml", kind: "prometheus-rules", status: "evaluated" },
      { path: "churn-scorer.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
      { path: "config/loki.yaml", kind: "loki-config", status: "evaluated" },
      { path: "config/prometheus.yaml", kind: "prometheus-config", status: "evaluated" },
      { path: "config/tempo.yaml", kind: "tempo-config", status: "evaluated" },
    ]);
  });

  it("open errors exit 1 by default", async () => {
    const { status, report } = await checkJson(fixture("errors"), ["."]);
    expect(status).toBe(1);
    expect(report.result).toBe("failed");
    expect(report.summary.open.error).toBeGreaterThan(0);
  });

  it("--fail-on never exits 0 although there are open errors and warnings", async () => {
    const repo = fixture("errors");
    const { status, report, stderr } = await checkJson(repo, [".", "--fail-on", "never"]);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    expect(report).toMatchObject({ result: "passed", failOn: "never" });
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}:${f.column}`)).toEqual([
      "INS-001 error ranker.obsgate.yaml:14:3",
      "INS-003 warning ranker.obsgate.yaml:19:7",
    ]);
    // The text report still shows them.
    const text = await repo.run(["check", ".", "--fail-on", "never"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("ranker.obsgate.yaml:14:3");
  });

  it("warnings alone exit 0 by default, 1 with --fail-on warning or info", async () => {
    const repo = fixture("warnings-only");
    const byDefault = await checkJson(repo, ["."]);
    expect(byDefault.status).toBe(0);
    expect(byDefault.report.findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}:${f.column}`)).toEqual([
      "INS-003 warning churn-scorer.obsgate.yaml:24:7",
    ]);
    expect(byDefault.report.findings[0]!.remediation.trim()).not.toBe("");

    const warning = await checkJson(repo, [".", "--fail-on", "warning"]);
    expect(warning.status).toBe(1);
    expect(warning.report).toMatchObject({ result: "failed", failOn: "warning" });
    expect((await repo.run(["check", ".", "--fail-on", "info"])).status).toBe(1);
    expect((await repo.run(["check", ".", "--fail-on", "error"])).status).toBe(0);
  });

  it("`fail-on: warning` in .obsgate.yaml fails on warnings, and --fail-on overrides it", async () => {
    const repo = fixture("warnings-only");
    repo.write(".obsgate.yaml", "fail-on: warning\n");
    const fromConfig = await checkJson(repo, ["."]);
    expect(fromConfig.status).toBe(1);
    expect(fromConfig.report.failOn).toBe("warning");
    expect((await repo.run(["check", ".", "--fail-on", "error"])).status).toBe(0);
  });

  it("a bad --fail-on value is a usage_error (exit 2) located at the value", async () => {
    const result = await fixture("clean").run(["check", "--fail-on", "sometimes", "."]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(result.stderr).toBe(
      "<command-line>:1:3: usage_error: option '--fail-on <severity>' argument 'sometimes' is invalid. Allowed choices are error, warning, info, never. (see obsgate --help)\n",
    );
  });
});

describe("--version", () => {
  for (const flag of ["--version", "-V"]) {
    it(`${flag} prints obsgate's version and the built-in policies line, and exits 0`, async () => {
      const result = await runCli([flag]);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("");
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe(`obsgate ${version}`);
      expect(lines[1]).toMatch(new RegExp(`^policies: builtin ${version.replace(/\./g, "\\.")} sha256:[0-9a-f]{64}$`));
      expect(lines[2]).toMatch(/^opa: v\d+\.\d+\.\d+ \(compiled the built-in policies\)$/);
    });
  }
});
