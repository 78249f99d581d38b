// The `sarif` format: SARIF 2.1.0 with the rules' metadata, one result per finding, stable
// fingerprints and waived findings as suppressions; valid against the OASIS schema and within GitHub
// code scanning's limits (test/helpers/sarif.ts checks both for every SARIF this file writes).
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { buildReport, type Report } from "../../src/report/index.js";
import {
  DEFAULT_HELP_URI_BASE,
  formatSarif,
  GITHUB_LIMITS,
  INFORMATION_URI,
  ruleName,
  SARIF_SCHEMA_URI,
} from "../../src/report/sarif.js";
import type { Finding, RuleMetadata } from "../../src/types.js";
import { describeWith } from "../helpers/require.js";
import { validateSarif } from "../helpers/sarif.js";

const RULES: RuleMetadata[] = [
  // Out of order on purpose: the driver's rules are sorted by id whatever the report holds.
  {
    id: "INS-003", title: "Counters end in _total, other types don't", severity: "warning",
    description: "A counter's name ends in _total.", remediation: "Rename the counter to end in `_total`.",
    docs: "docs/rules/INS-003.md", waivable: true, family: "INS",
  },
  {
    id: "ALR-002", title: "Alerts carry an allowed severity label", severity: "error",
    description: "Every alerting rule must set `labels.severity`.", remediation: "Add `severity: critical` under `labels:`.",
    docs: "docs/rules/ALR-002.md", waivable: true, family: "ALR",
  },
  {
    id: "COR-009", title: "The model version and its training data version are named", severity: "info",
    description: "The manifest must name the model's version.", remediation: "Set `spec.model.version`.",
    docs: "docs/rules/COR-009.md", waivable: true, family: "COR",
  },
];

function finding(rule: RuleMetadata, overrides: Partial<Finding>): Finding {
  return {
    rule: rule.id, severity: rule.severity, status: "open", model: "churn", models: ["churn"],
    message: `${rule.id} message`, file: "models/churn.obsgate.yaml", line: 1, column: 1, pointer: "",
    remediation: rule.remediation, docs: rule.docs, fingerprint: `fp-${rule.id}`, ...overrides,
  };
}

const [INS3, ALR2, COR9] = RULES as [RuleMetadata, RuleMetadata, RuleMetadata];

function report(findings: Finding[], rules: RuleMetadata[] = RULES, version = "1.2.3"): Report {
  return buildReport({ version, policies: [], failOn: "error", files: [], models: [], findings, rules });
}

const FINDINGS: Finding[] = [
  finding(ALR2, {
    message: "alert ChurnDown has no severity label", file: "models/churn/alerts.yaml", line: 14, column: 9,
    pointer: "/groups/0/rules/0/labels", fingerprint: "96d0ca74ae8673589e0f189b058ba774",
  }),
  finding(INS3, { message: "counter churn_requests does not end in _total", line: 20, column: 7, pointer: "/spec/metrics/0/name", fingerprint: "fp-warning" }),
  finding(COR9, { message: "spec.model.trainingData.version is not set", line: 5, column: 3, pointer: "/spec/model", fingerprint: "fp-info" }),
  finding(INS3, { status: "waived", message: "counter churn_errors does not end in _total", line: 24, column: 7, pointer: "/spec/metrics/1/name", fingerprint: "fp-waived" }),
  finding(ALR2, {
    model: null, models: ["churn", "ranker"], message: "shared alert PlatformDown has no severity label",
    file: "platform/alerts.yaml", line: 3, column: 5, pointer: "/groups/0/rules/0/labels", fingerprint: "fp-shared",
  }),
];

interface Sarif {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: Record<string, unknown> & { rules: Array<Record<string, unknown> & { id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri?: string }> } };
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string }; descriptor: { id: string } }> }>;
    originalUriBaseIds: Record<string, unknown>;
    results: Array<Record<string, unknown> & {
      ruleId: string; ruleIndex: number; level: string; message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
      partialFingerprints: Record<string, string>; suppressions?: unknown[]; properties: Record<string, unknown>;
    }>;
    columnKind: string;
    properties?: { truncated: Record<string, unknown> };
  }>;
}

const sarifOf = (r: Report, helpUriBase?: string) => formatSarif(r, { color: false, ...(helpUriBase === undefined ? {} : { helpUriBase }) });
const parse = (text: string) => JSON.parse(text) as Sarif;

describe("formatSarif", () => {
  const text = sarifOf(report(FINDINGS));
  const log = parse(text);
  const run = log.runs[0]!;

  it("writes one SARIF 2.1.0 run by obsgate, with its version", () => {
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const { rules, ...driver } = run.tool.driver;
    expect(driver).toEqual({ name: "obsgate", version: "1.2.3", semanticVersion: "1.2.3", informationUri: INFORMATION_URI });
    expect(rules.map((r) => r.id)).toEqual(["ALR-002", "COR-009", "INS-003"]);
    expect(run.columnKind).toBe("utf16CodeUnits");
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
    expect(Object.keys(run.originalUriBaseIds)).toEqual(["%SRCROOT%"]);
    expect(run.properties).toBeUndefined();
  });

  it("describes each rule from its metadata: name, descriptions, help, help URI, level, tags", () => {
    expect(run.tool.driver.rules[2]).toEqual({
      id: "INS-003",
      name: "CountersEndInTotalOtherTypesDont",
      shortDescription: { text: "Counters end in _total, other types don't" },
      fullDescription: { text: "A counter's name ends in _total." },
      help: {
        text: "Rename the counter to end in `_total`.",
        markdown: [
          "**Counters end in _total, other types don't**",
          "A counter's name ends in _total.",
          "**How to fix:** Rename the counter to end in `_total`.",
          "[INS-003 documentation](https://github.com/obsgate/obsgate/blob/main/docs/rules/INS-003.md)",
        ].join("\n\n"),
      },
      helpUri: "https://github.com/obsgate/obsgate/blob/main/docs/rules/INS-003.md",
      defaultConfiguration: { level: "warning" },
      properties: { tags: ["INS", "observability"] },
    });
    expect(run.tool.driver.rules.map((r) => [r.name, (r.defaultConfiguration as { level: string }).level])).toEqual([
      ["AlertsCarryAnAllowedSeverityLabel", "error"],
      ["TheModelVersionAndItsTrainingDataVersionAreNamed", "note"],
      ["CountersEndInTotalOtherTypesDont", "warning"],
    ]);
    expect(DEFAULT_HELP_URI_BASE).toBe(`${INFORMATION_URI}/blob/main/`);
  });

  it("writes one result per finding, in report order, pointing at its rule by id and index", () => {
    expect(run.results).toHaveLength(FINDINGS.length);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ["ALR-002", 0, "error"],
      ["INS-003", 2, "warning"],
      ["COR-009", 1, "note"],
      ["INS-003", 2, "warning"],
      ["ALR-002", 0, "error"],
    ]);
  });

  it("gives a result its message, region, fingerprint and model", () => {
    expect(run.results[0]).toEqual({
      ruleId: "ALR-002",
      ruleIndex: 0,
      level: "error",
      message: { text: "alert ChurnDown has no severity label" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "models/churn/alerts.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 14, startColumn: 9 },
          },
        },
      ],
      partialFingerprints: { "obsgate/v1": "96d0ca74ae8673589e0f189b058ba774" },
      properties: { model: "churn", models: ["churn"], pointer: "/groups/0/rules/0/labels" },
    });
  });

  it("names the models that share a finding, and invents no primaryLocationLineHash", () => {
    const shared = run.results[4]!;
    expect(shared.message.text).toBe("shared alert PlatformDown has no severity label (models: churn, ranker)");
    expect(shared.properties).toEqual({ model: null, models: ["churn", "ranker"], pointer: "/groups/0/rules/0/labels" });
    for (const result of run.results) expect(Object.keys(result.partialFingerprints)).toEqual(["obsgate/v1"]);
  });

  it("reports a waived finding as an accepted external suppression, and only that one", () => {
    expect(run.results.map((r) => r.suppressions ?? null)).toEqual([
      null, null, null, [{ kind: "external", status: "accepted", justification: "waived" }], null,
    ]);
  });

  it("carries the waiver: external for the waivers file, inSource for an inline ignore, its reason as justification and its place as location", () => {
    const fromFile = { source: "file" as const, file: "waivers.yaml", line: 4, column: 5, owner: "team-churn", reason: "legacy name", ticket: "CH-1", expires: "2026-06-30" };
    const inline = { source: "inline" as const, file: "models/churn.obsgate.yaml", line: 23, column: 30, owner: null, reason: "exporter name", ticket: null, expires: null };
    const waived = parse(sarifOf(report([
      finding(INS3, { status: "waived", line: 24, column: 7, pointer: "/spec/metrics/1/name", fingerprint: "fp-a", waiver: inline }),
      finding(ALR2, { status: "waived", file: "models/churn/alerts.yaml", line: 14, column: 9, fingerprint: "fp-b", waiver: fromFile }),
    ]))).runs[0]!.results;
    const at = (uri: string, startLine: number, startColumn: number) => ({ physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region: { startLine, startColumn } } });
    expect(waived.map((r) => r.suppressions)).toEqual([
      [{ kind: "inSource", status: "accepted", justification: "exporter name", location: at("models/churn.obsgate.yaml", 23, 30), properties: { owner: null, ticket: null, expires: null } }],
      [{ kind: "external", status: "accepted", justification: "legacy name", location: at("waivers.yaml", 4, 5), properties: { owner: "team-churn", ticket: "CH-1", expires: "2026-06-30" } }],
    ]);
  });

  it("writes the same bytes for the same report: 2-space JSON ending in a newline", () => {
    expect(sarifOf(report(FINDINGS))).toBe(text);
    expect(sarifOf(report([...FINDINGS]), undefined)).toBe(text);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + "\n");
    expect(formatSarif(report(FINDINGS), { color: true })).toBe(text);
  });

  it("joins helpUriBase and the rule's docs path, with or without a trailing slash", () => {
    for (const base of ["https://docs.example.com/obsgate/", "https://docs.example.com/obsgate"]) {
      const rules = parse(sarifOf(report(FINDINGS), base)).runs[0]!.tool.driver.rules;
      expect(rules[0]!.helpUri).toBe("https://docs.example.com/obsgate/docs/rules/ALR-002.md");
    }
  });

  it("encodes artifact paths as URI references", () => {
    const r = report([finding(ALR2, { file: "dir with space/a#b%.yaml" })]);
    const uri = parse(sarifOf(r)).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri).toBe("dir%20with%20space/a%23b%25.yaml");
  });

  it("derives PascalCase rule names from titles", () => {
    expect(ruleName({ id: "COR-001", title: "Traces propagate W3C Trace Context" })).toBe("TracesPropagateW3CTraceContext");
    expect(ruleName({ id: "ALR-011", title: "SLOs have multi-window, multi-burn-rate alerts" })).toBe("SLOsHaveMultiWindowMultiBurnRateAlerts");
    expect(ruleName({ id: "ALR-004", title: "Critical alerts link an https runbook" })).toBe("CriticalAlertsLinkAnHttpsRunbook");
    expect(ruleName({ id: "X-001", title: "— …" })).toBe("X001");
  });

  it("keeps rule names and descriptions within GitHub's lengths, and no required text empty", () => {
    const long: RuleMetadata = { ...ALR2, title: "word ".repeat(400), description: "é".repeat(2000), remediation: "" };
    const rule = parse(sarifOf(report([finding(long, { message: " " })], [long]))).runs[0]!.tool.driver.rules[0]!;
    expect(rule.name.length).toBe(GITHUB_LIMITS.ruleNameLength);
    expect(rule.shortDescription.text.length).toBe(GITHUB_LIMITS.descriptionLength);
    expect(rule.shortDescription.text.endsWith("…")).toBe(true);
    expect(rule.fullDescription.text.length).toBe(GITHUB_LIMITS.descriptionLength);
    expect((rule.help as { text: string }).text).toBe("See https://github.com/obsgate/obsgate/blob/main/docs/rules/ALR-002.md.");
  });

  it("leaves semanticVersion out when the version is not SemVer", () => {
    const driver = parse(sarifOf(report(FINDINGS, RULES, "dev"))).runs[0]!.tool.driver;
    expect(driver.version).toBe("dev");
    expect(driver).not.toHaveProperty("semanticVersion");
  });
});

describeWith(["shared"], "SARIF validity", () => {
  it("the hand-made report's SARIF is valid and within GitHub's limits", () => {
    expect(validateSarif(sarifOf(report(FINDINGS)))).toEqual([]);
    expect(validateSarif(sarifOf(report([])))).toEqual([]);
    expect(validateSarif(sarifOf(report(FINDINGS, RULES, "dev"), "https://docs.example.com/obsgate"))).toEqual([]);
  });

  it("the validator catches what is wrong", () => {
    const log = JSON.parse(sarifOf(report(FINDINGS))) as Sarif;
    (log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).startLine = 0;
    (log as unknown as { version: string }).version = "2.0.0";
    log.runs[0]!.tool.driver.rules[0]!.shortDescription.text = "";
    log.runs[0]!.tool.driver.rules[1]!.helpUri = "docs/rules/COR-009.md";
    const problems = validateSarif(JSON.stringify(log));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/runs\/0\/tool\/driver\/rules\/1\/helpUri must match format "uri"/),
      expect.stringMatching(/^\/version /),
      expect.stringMatching(/^\/runs\/0\/results\/0\/locations\/0\/physicalLocation\/region\/startLine /),
      "runs[0].tool.driver.rules[0].shortDescription.text is missing or empty",
    ]));
    expect(validateSarif("{")).toEqual([expect.stringMatching(/^not JSON/)]);
  });

  it("the SARIF of the real pipeline over examples/fleet is valid and within GitHub's limits", async () => {
    const { report: fleet } = await runCheck({ paths: ["examples/fleet"], cwd: packageRoot() });
    const text = formatSarif(fleet, { color: false });
    expect(validateSarif(text)).toEqual([]);
    const run = parse(text).runs[0]!;
    expect(run.results).toHaveLength(fleet.findings.length);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(fleet.rules.map((r) => r.id));
    for (const rule of run.tool.driver.rules) expect(rule.helpUri).toBe(`${DEFAULT_HELP_URI_BASE}docs/rules/${rule.id}.md`);
    expect(run.results.map((r) => r.partialFingerprints["obsgate/v1"])).toEqual(fleet.findings.map((f) => f.fingerprint));
    const shared = fleet.findings.findIndex((f) => f.models.length > 1);
    if (shared >= 0) expect(run.results[shared]!.message.text).toContain(`(models: ${fleet.findings[shared]!.models.join(", ")})`);
  });

  it("over 25,000 findings, keeps the 25,000 most severe in report order and says so", () => {
    const limit = GITHUB_LIMITS.resultsPerRun;
    // An open info first, a waived error second, then open warnings, and an open error last: the
    // waived error goes first (open before waived), then the info, the least severe open finding.
    const many: Finding[] = [
      finding(COR9, { line: 1, fingerprint: "info" }),
      finding(ALR2, { line: 2, status: "waived", fingerprint: "waived-error" }),
      ...Array.from({ length: limit - 2 }, (_, i) => finding(INS3, { line: 3 + i, fingerprint: `w${i}` })),
      finding(ALR2, { line: limit + 5, fingerprint: "last-error" }),
    ];
    expect(many).toHaveLength(limit + 1);
    const text = sarifOf(report(many));
    const run = parse(text).runs[0]!;
    expect(run.results).toHaveLength(limit);
    const kept = run.results.map((r) => r.partialFingerprints["obsgate/v1"]);
    expect(kept[0]).toBe("info");
    expect(kept).not.toContain("waived-error");
    expect(kept[limit - 1]).toBe("last-error");
    expect(run.properties?.truncated).toEqual({
      results: { total: limit + 1, kept: limit, limit, note: expect.stringContaining("GitHub code scanning rejects a run with more than 25,000 results") },
    });
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
    expect(run.invocations[0]!.toolExecutionNotifications).toEqual([
      { level: "warning", message: { text: expect.stringContaining("25,001 findings") }, descriptor: { id: "obsgate/sarif-results-truncated" } },
    ]);
    expect(validateSarif(text)).toEqual([]);

    // One more open finding than fits: the info is the one left out.
    const open = many.filter((f) => f.status === "open");
    const more = [...open, finding(INS3, { line: limit + 9, fingerprint: "w-extra" })];
    const text2 = sarifOf(report(more));
    expect(validateSarif(text2)).toEqual([]);
    const kept2 = parse(text2).runs[0]!.results.map((r) => r.partialFingerprints["obsgate/v1"]);
    expect(kept2).toHaveLength(limit);
    expect(kept2).not.toContain("info");
    expect(kept2.slice(-2)).toEqual(["last-error", "w-extra"]);
  });
});
