// The hand-built Report the format tests share: models alpha and beta with findings and gamma
// without, a finding in a shared file that affects both (model null, models [alpha, beta]), a
// waived finding, and one of each severity.
import type { FailOn } from "../../src/config/index.js";
import { buildReport, type Report, type ReportModel } from "../../src/report/index.js";
import type { Finding, RuleMetadata, Severity } from "../../src/types.js";

export function rule(id: string, severity: Severity, title: string): RuleMetadata {
  return {
    id, title, severity, description: `${title}.`, remediation: `Fix ${id}.`,
    docs: `docs/rules/${id}.md`, waivable: true, family: id.slice(0, 3),
  };
}

export const RULES: RuleMetadata[] = [
  rule("ALR-002", "error", "Alerts carry an allowed severity label"),
  rule("INS-003", "warning", "Counters end in _total, other types don't"),
  rule("INS-009", "info", "Metrics have help text"),
  rule("RET-004", "error", "Loki retention is actually enabled"),
];

export function model(name: string, extra: Partial<ReportModel> = {}): ReportModel {
  return {
    name, version: "1.0.0", owner: `team-${name}`, tier: "high", riskClass: null,
    file: `models/${name}/${name}.obsgate.yaml`, line: 4, status: "evaluated", retention: null, ...extra,
  };
}

export function finding(partial: Partial<Finding> & Pick<Finding, "rule" | "severity" | "file" | "line" | "message">): Finding {
  const model = partial.model === undefined ? "alpha" : partial.model;
  return {
    status: "open",
    model,
    models: model === null ? [] : [model],
    column: 1,
    pointer: "/spec",
    remediation: `Fix ${partial.rule}.`,
    docs: `docs/rules/${partial.rule}.md`,
    fingerprint: `fp-${partial.rule}-${partial.line}`,
    ...partial,
  };
}

export const FINDINGS: Finding[] = [
  finding({ rule: "INS-009", severity: "info", file: "models/alpha/alpha.obsgate.yaml", line: 30, column: 7,
    message: "metric alpha_score has no help text" }),
  finding({ rule: "ALR-002", severity: "error", file: "models/alpha/alerts.yaml", line: 14, column: 9,
    message: "alert AlphaDown has no severity label" }),
  finding({ rule: "INS-003", severity: "warning", file: "models/alpha/alpha.obsgate.yaml", line: 27, column: 7,
    message: "counter alpha_predictions does not end in _total" }),
  finding({ rule: "ALR-002", severity: "error", status: "waived", model: "beta", file: "models/beta/alerts.yaml", line: 8, column: 9,
    message: "alert BetaDown has no severity label",
    waiver: { source: "file", file: "waivers.yaml", line: 2, column: 5, owner: "team-beta", reason: "paged by the platform alert instead", ticket: "BETA-7", expires: "2026-06-30" } }),
  finding({ rule: "RET-004", severity: "error", model: null, models: ["alpha", "beta"], file: "platform/loki.yaml", line: 38, column: 3,
    message: "compactor.retention_enabled is not true, so Loki never deletes logs" }),
];

export function fixtureReport(options: { failOn?: FailOn; findings?: Finding[]; models?: ReportModel[] } = {}): Report {
  return buildReport({
    version: "0.1.0",
    policies: [{ name: "builtin", sha256: "0".repeat(64), opaVersion: null }],
    failOn: options.failOn ?? "error",
    files: [
      { path: "models/alpha/alerts.yaml", kind: "prometheus-rules", status: "evaluated" },
      { path: "models/alpha/alpha.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
      { path: "models/beta/alerts.yaml", kind: "prometheus-rules", status: "evaluated" },
      { path: "models/beta/beta.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
      { path: "models/gamma/gamma.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
      { path: "platform/loki.yaml", kind: "loki-config", status: "evaluated" },
    ],
    models: options.models ?? [model("alpha"), model("beta", { tier: "standard" }), model("gamma", { tier: null, owner: null })],
    findings: options.findings ?? FINDINGS,
    rules: RULES,
  });
}
