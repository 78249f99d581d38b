// Broken alert rule files and backend configs (issue 3's bad-input list), through the real CLI:
// each problem is a finding on its exact line, and the rest of the file is still checked.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

interface Report {
  findings: Array<{ rule: string; file: string; line: number; column: number; severity: string; message: string; model: string | null }>;
  files: Array<{ path: string; status: string; reason?: string }>;
}

const DIR = "test/fixtures/bad-rules";

describe("broken rule files and backend configs", async () => {
  const run = await runCli(["check", DIR, "--format", "json"]);
  const report = JSON.parse(run.stdout) as Report;
  const at = (rule: string, file: string) =>
    report.findings
      .filter((f) => f.rule === rule && f.file === `${DIR}/${file}`)
      .map((f) => `${f.line}:${f.column} ${f.severity} ${f.message}`);

  it("fails the run with exit 1 and no diagnostic", () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
  });

  it("reports a rule with both `alert` and `record`, one without `expr`, and a PromQL syntax error as ALR-001 on their lines", () => {
    expect(at("ALR-001", "rules/broken.rules.yaml")).toEqual([
      '4:9 error rule has both `alert` ("ScorerBothNames") and `record` ("scorer:requests:rate5m"): keep `alert` for an alerting rule or `record` for a recording rule',
      '7:9 error alert "ScorerNoExpr" has no `expr`: add the PromQL expression it evaluates under `expr:`',
      "10:9 error alert ScorerBrokenQuery: expr is not valid PromQL: unexpected end of expression (at character 60 of the expression)",
    ]);
  });

  it("still checks the rest of that file", () => {
    expect(at("ALR-003", "rules/broken.rules.yaml")).toContain(
      "18:9 error alert ScorerSlow has no summary annotation; add one line saying what is wrong, for the page's title",
    );
  });

  it("reports a PrometheusRule without spec as ALR-001 at its start, though no model owns it", () => {
    expect(report.findings.filter((f) => f.file.endsWith("prometheusrule-without-spec.yaml")).map((f) => [f.rule, f.line, f.column, f.model])).toEqual([
      ["ALR-001", 1, 1, null],
    ]);
  });

  it("reports a listed rule file that is not a rule file as INP-003 at the list item", () => {
    expect(at("INP-003", "scorer.obsgate.yaml")).toEqual([
      "28:38 error `rules/not-a-rule-file.yaml` is not a Prometheus rule file (not a kind obsgate reads (apps/v1 Deployment))",
    ]);
  });

  it("reports a Loki duration that does not parse as INP-002 at the setting, and marks the config invalid", () => {
    expect(at("INP-002", "config/loki.yaml")).toHaveLength(1);
    expect(at("INP-002", "config/loki.yaml")[0]).toMatch(/^6:3 error `limits_config\.retention_period` is `30days`, which Loki does not read as a duration/);
    expect(report.files.find((f) => f.path === `${DIR}/config/loki.yaml`)?.status).toBe("invalid");
  });

  it("keeps the manifest itself evaluated: naming a wrong file does not make it unreadable", () => {
    expect(report.files.find((f) => f.path === `${DIR}/scorer.obsgate.yaml`)?.status).toBe("evaluated");
  });
});
