// Waivers through the real CLI process (issue 6, "Waivers" and "Bad input"): the waivers file and
// inline `# obsgate:ignore` comments, judged by `--now`; waived findings shown with their waiver in
// every format and never failing the run; WVR-001/002/003 located at the waiver; a broken waivers
// file or a bad `--now` is a diagnostic (exit 2) with nothing written. Each test copies
// test/fixtures/waivers/base (models ranker and tagger, each with an INS-001 error at 14:3 and an
// INS-003 warning at 19:7) and writes the waivers it is about.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  checkJson,
  DIAGNOSTIC_LINE,
  PACKAGE_ROOT,
  stackTraceLines,
  stderrLines,
  tempRepo,
  type CliResult,
  type JsonReport,
  type TempRepo,
} from "../helpers/cli.js";
import { loadSchema } from "../../src/schema/index.js";
import { describeWith } from "../helpers/require.js";
import { validateSarif } from "../helpers/sarif.js";

const WAIVER_FIXTURES = join(PACKAGE_ROOT, "test", "fixtures", "waivers");
const NOW = "2026-05-01T12:00:00Z";

type Finding = JsonReport["findings"][number];

function repo(files: Record<string, string> = {}): TempRepo {
  const r = tempRepo("base", WAIVER_FIXTURES);
  for (const [path, content] of Object.entries(files)) r.write(path, content);
  return r;
}

/** A waivers file from entries written as YAML mappings (indented under `- `). */
function waivers(...entries: string[]): string {
  return `waivers:\n${entries.map((e) => `  - ${e.trim().split("\n").map((l) => l.trim()).join("\n    ")}\n`).join("")}`;
}

const WAIVE_RANKER_INS003 = `
  rule: INS-003
  model: ranker
  owner: team-discovery
  reason: the gauge keeps its legacy name until the dashboards move
  ticket: DISC-42
  expires: 2026-06-30`;

const summary = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.status}`);

function expectDiagnostics(result: CliResult, code: string): string[] {
  expect(result.status, `stderr:\n${result.stderr}`).toBe(2);
  expect(result.stdout).toBe("");
  expect(stackTraceLines(result.stderr)).toEqual([]);
  const lines = stderrLines(result.stderr);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line.match(DIAGNOSTIC_LINE)?.groups?.code, line).toBe(code);
  return lines;
}

describe("the waivers file", () => {
  it("waivers.yaml at the repository root waives the finding its selector picks, with the waiver attached; the file itself is not checked", async () => {
    const r = repo({ "waivers.yaml": waivers(WAIVE_RANKER_INS003) });
    const { status, report, stderr } = await checkJson(r, [".", "--now", NOW]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(summary(report.findings)).toEqual([
      "INS-001 ranker.obsgate.yaml:14:3 open",
      "INS-003 ranker.obsgate.yaml:19:7 waived",
      "INS-001 tagger.obsgate.yaml:14:3 open",
      "INS-003 tagger.obsgate.yaml:19:7 open",
    ]);
    expect(report.findings[1]!.waiver).toEqual({
      source: "file", file: "waivers.yaml", line: 2, column: 5, owner: "team-discovery",
      reason: "the gauge keeps its legacy name until the dashboards move", ticket: "DISC-42", expires: "2026-06-30",
    });
    expect(report.summary).toMatchObject({ open: { error: 2, warning: 1, info: 0 }, waived: 1 });
    expect(report.waivers).toEqual([expect.objectContaining({ source: "file", rule: "INS-003", status: "applied", findings: 1 })]);
    expect(report.files.map((f) => f.path)).toEqual(["ranker.obsgate.yaml", "tagger.obsgate.yaml"]);
  });

  it("selects by file, and by a pointer into the file (its node and what is under it)", async () => {
    const r = repo({
      "waivers.yaml": waivers(
        `rule: INS-001
         file: tagger.obsgate.yaml
         owner: team-catalog
         reason: the latency histogram ships with the next release
         expires: 2026-05-15`,
        `rule: INS-003
         file: ranker.obsgate.yaml
         pointer: /spec/metrics/1
         owner: team-discovery
         reason: legacy name
         expires: 2026-05-15`,
      ),
    });
    const { report } = await checkJson(r, [".", "--now", NOW]);
    expect(summary(report.findings)).toEqual([
      "INS-001 ranker.obsgate.yaml:14:3 open",
      "INS-003 ranker.obsgate.yaml:19:7 waived",
      "INS-001 tagger.obsgate.yaml:14:3 waived",
      "INS-003 tagger.obsgate.yaml:19:7 open",
    ]);
  });

  it("a waived finding does not count toward --fail-on", async () => {
    const waiveAll = waivers(
      ...["ranker", "tagger"].flatMap((model) => ["INS-001", "INS-003"].map((rule) => `
        rule: ${rule}
        model: ${model}
        owner: team-ml
        reason: accepted for the migration
        expires: 2026-05-31`)),
    );
    const onlyErrors = waivers(
      ...["ranker", "tagger"].map((model) => `rule: INS-001\nmodel: ${model}\nowner: team-ml\nreason: accepted\nexpires: 2026-05-31`),
    );
    const r = repo({ "waivers.yaml": onlyErrors });
    // The errors are waived: the default fail-on (error) passes, fail-on warning still fails on the open INS-003s.
    expect((await checkJson(r, [".", "--now", NOW])).status).toBe(0);
    const warning = await checkJson(r, [".", "--now", NOW, "--fail-on", "warning"]);
    expect(warning.status).toBe(1);
    expect(warning.report.result).toBe("failed");
    r.write("waivers.yaml", waiveAll);
    const info = await checkJson(r, [".", "--now", NOW, "--fail-on", "info"]);
    expect(info.status).toBe(0);
    expect(info.report).toMatchObject({ result: "passed", summary: { open: { error: 0, warning: 0, info: 0 }, waived: 4 } });
    const text = await r.run(["check", ".", "--now", NOW, "--fail-on", "info"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/✔ passed: 0 findings \(0 errors, 0 warnings, 0 info, 4 waived\)/);
  });

  it("the config's `waivers:` names the file (relative to the config), and --waivers overrides both", async () => {
    const r = repo({
      ".obsgate.yaml": "waivers: compliance/accepted.yaml\n",
      "compliance/accepted.yaml": waivers(WAIVE_RANKER_INS003),
      "waivers.yaml": waivers(WAIVE_RANKER_INS003.replace("model: ranker", "model: tagger")),
      "other.yaml": waivers(WAIVE_RANKER_INS003.replace("INS-003", "INS-001")),
    });
    const configured = await checkJson(r, [".", "--now", NOW]);
    expect(configured.report.findings.filter((f) => f.status === "waived").map((f) => `${f.rule} ${f.model} ${f.waiver!.file}`)).toEqual([
      "INS-003 ranker compliance/accepted.yaml",
    ]);
    // Neither the configured waivers file nor other YAML is mistaken for the one in use.
    expect(configured.report.files.map((f) => f.path)).toEqual(["other.yaml", "ranker.obsgate.yaml", "tagger.obsgate.yaml", "waivers.yaml"]);
    const flagged = await checkJson(r, [".", "--now", NOW, "--waivers", "other.yaml"]);
    expect(flagged.report.findings.filter((f) => f.status === "waived").map((f) => `${f.rule} ${f.model} ${f.waiver!.file}`)).toEqual([
      "INS-001 ranker other.yaml",
    ]);
  });
});

describe("expiry, one clock (--now), UTC days", () => {
  const r = () => repo({ "waivers.yaml": waivers(WAIVE_RANKER_INS003) });

  it("a waiver holds through the end of its expires day (UTC) and stops at midnight", async () => {
    const repository = r();
    const last = await checkJson(repository, [".", "--now", "2026-06-30T23:59:59Z"]);
    expect(last.report.findings.find((f) => f.rule === "INS-003" && f.model === "ranker")!.status).toBe("waived");
    expect(last.report.findings.filter((f) => f.rule.startsWith("WVR"))).toEqual([]);

    // 2026-06-30T20:00-05:00 is already July 1st in UTC.
    for (const now of ["2026-07-01T00:00:00Z", "2026-06-30T20:00:00-05:00"]) {
      const { report, status } = await checkJson(repository, [".", "--now", now, "--fail-on", "warning"]);
      expect(status).toBe(1);
      expect(report.findings.find((f) => f.rule === "INS-003" && f.model === "ranker")!.status).toBe("open");
      const expired = report.findings.filter((f) => f.rule === "WVR-001");
      expect(expired).toEqual([expect.objectContaining({
        severity: "warning", status: "open", file: "waivers.yaml", line: 7, column: 5, pointer: "/waivers/0/expires", docs: "docs/rules/WVR-001.md",
      })]);
      expect(expired[0]!.message).toBe(
        "waiver of INS-003 (model ranker; owner team-discovery, ticket DISC-42) expired on 2026-06-30 (its last day, UTC): 1 finding it covered is open again",
      );
      expect(report.waivers[0]).toMatchObject({ status: "expired", findings: 1 });
    }
  });

  it("a waiver more than max-waiver-days ahead is WVR-003 and waives nothing; the config moves the horizon", async () => {
    const repository = repo({ "waivers.yaml": waivers(WAIVE_RANKER_INS003.replace("2026-06-30", "2026-07-31")) });
    const { report, status } = await checkJson(repository, [".", "--now", NOW, "--fail-on", "never"]);
    expect(status).toBe(0);
    expect(summary(report.findings).filter((s) => s.includes("ranker") || s.includes("WVR"))).toEqual([
      "INS-001 ranker.obsgate.yaml:14:3 open",
      "INS-003 ranker.obsgate.yaml:19:7 open",
      "WVR-003 waivers.yaml:7:5 open",
    ]);
    expect(report.findings.find((f) => f.rule === "WVR-003")!.message).toContain(
      "expires on 2026-07-31, 91 days after the run's day (2026-05-01), beyond the 90 days a waiver may run: it waives nothing",
    );
    repository.write(".obsgate.yaml", "max-waiver-days: 120\n");
    const longer = await checkJson(repository, [".", "--now", NOW]);
    expect(longer.report.findings.filter((f) => f.rule.startsWith("WVR"))).toEqual([]);
    expect(longer.report.summary.waived).toBe(1);
  });

  it("the default clock is the real time: a waiver that expired in 2020 has expired", async () => {
    const { report } = await checkJson(repo({ "waivers.yaml": waivers(WAIVE_RANKER_INS003.replace("2026-06-30", "2020-01-31")) }), ["."]);
    expect(report.findings.filter((f) => f.rule.startsWith("WVR")).map((f) => f.rule)).toEqual(["WVR-001"]);
  });
});

describe("waivers that cannot do anything", () => {
  it("a waiver that matched nothing is WVR-002 (info), which does not fail the run; one for a model not checked is left alone", async () => {
    const r = repo({
      "waivers.yaml": waivers(
        WAIVE_RANKER_INS003.replace("INS-003", "INS-004"),
        WAIVE_RANKER_INS003.replace("model: ranker", "model: fraud-detector"),
      ),
    });
    const { report } = await checkJson(r, [".", "--now", NOW, "--fail-on", "warning"]);
    expect(report.findings.filter((f) => f.rule.startsWith("WVR"))).toEqual([expect.objectContaining({
      rule: "WVR-002", severity: "info", file: "waivers.yaml", line: 2, column: 5, pointer: "/waivers/0",
      message: "waiver of INS-004 (model ranker; owner team-discovery, ticket DISC-42) matched no finding",
    })]);
    expect(report.waivers.map((w) => w.status)).toEqual(["unused", "out-of-scope"]);
    expect((await checkJson(r, ["ranker.obsgate.yaml", "--now", NOW])).status).toBe(1);
  });

  it("a waiver of an unwaivable rule (INP) is WVR-003 at its rule, and the INP finding stays open", async () => {
    const r = repo({
      "broken.yaml": "kind: ModelObservability\nmetadata: [unclosed\n",
      "waivers.yaml": waivers(`rule: INP-001
        file: broken.yaml
        owner: team-ml
        reason: we know
        expires: 2026-05-31`),
    });
    const { report, status } = await checkJson(r, [".", "--now", NOW]);
    expect(status).toBe(1);
    expect(report.findings.find((f) => f.rule === "INP-001")!.status).toBe("open");
    const invalid = report.findings.find((f) => f.rule === "WVR-003")!;
    expect(invalid).toMatchObject({ severity: "error", file: "waivers.yaml", line: 2, column: 5, pointer: "/waivers/0/rule" });
    expect(invalid.message).toContain("INP-001 cannot be waived");
  });
});

describe("inline ignores", () => {
  const manifest = (edit: (lines: string[]) => void) => {
    const lines = readFileSync(join(WAIVER_FIXTURES, "base", "ranker.obsgate.yaml"), "utf8").split("\n");
    edit(lines);
    return lines.join("\n");
  };

  it("on the line the finding points at, and on the line just above it, waive that finding", async () => {
    const r = repo({
      "ranker.obsgate.yaml": manifest((lines) => {
        lines[18] += "  # obsgate:ignore INS-003 -- the exporter's name; renamed in DISC-42";
        lines.splice(13, 0, "  # obsgate:ignore INS-001 -- latency comes from the mesh's histogram");
      }),
    });
    const { report } = await checkJson(r, ["ranker.obsgate.yaml", "--now", NOW, "--fail-on", "warning"]);
    expect(summary(report.findings)).toEqual(["INS-001 ranker.obsgate.yaml:15:3 waived", "INS-003 ranker.obsgate.yaml:20:7 waived"]);
    expect(report.findings.map((f) => f.waiver)).toEqual([
      { source: "inline", file: "ranker.obsgate.yaml", line: 14, column: 3, owner: null, reason: "latency comes from the mesh's histogram", ticket: null, expires: null },
      { source: "inline", file: "ranker.obsgate.yaml", line: 20, column: 39, owner: null, reason: "the exporter's name; renamed in DISC-42", ticket: null, expires: null },
    ]);
    expect(report.result).toBe("passed");
  });

  it("with `until`: applies through that day, then WVR-001 at the comment", async () => {
    const r = repo({ "ranker.obsgate.yaml": manifest((lines) => { lines[18] += " # obsgate:ignore INS-003 until 2026-05-01 -- renamed next sprint"; }) });
    const before = await checkJson(r, ["ranker.obsgate.yaml", "--now", "2026-05-01T23:59:59Z"]);
    expect(before.report.findings.find((f) => f.rule === "INS-003")!.waiver).toMatchObject({ expires: "2026-05-01" });
    const after = await checkJson(r, ["ranker.obsgate.yaml", "--now", "2026-05-02"]);
    expect(summary(after.report.findings)).toEqual([
      "INS-001 ranker.obsgate.yaml:14:3 open",
      "INS-003 ranker.obsgate.yaml:19:7 open",
      "WVR-001 ranker.obsgate.yaml:19:38 open",
    ]);
  });

  it("without a reason: WVR-003 at the comment, with the fix, and the finding stays open", async () => {
    const r = repo({ "ranker.obsgate.yaml": manifest((lines) => { lines[18] += " # obsgate:ignore INS-003"; }) });
    const { report } = await checkJson(r, ["ranker.obsgate.yaml", "--now", NOW]);
    expect(summary(report.findings)).toEqual([
      "INS-001 ranker.obsgate.yaml:14:3 open",
      "INS-003 ranker.obsgate.yaml:19:7 open",
      "WVR-003 ranker.obsgate.yaml:19:38 open",
    ]);
    const invalid = report.findings[2]!;
    expect(invalid.message).toBe("inline ignore of INS-003 gives no reason: it waives nothing");
    expect(invalid.remediation).toBe("say why after `--`: `# obsgate:ignore INS-003 -- <reason>`");
    expect(report.waivers).toEqual([expect.objectContaining({ source: "inline", status: "invalid", reason: null })]);
  });

  it("one on a line with no such finding is WVR-002", async () => {
    const r = repo({ "ranker.obsgate.yaml": manifest((lines) => { lines[5] += " # obsgate:ignore INS-003 -- not here"; }) });
    const { report } = await checkJson(r, ["ranker.obsgate.yaml", "--now", NOW]);
    expect(report.findings.filter((f) => f.rule.startsWith("WVR")).map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`)).toEqual([
      "WVR-002 6:16 inline ignore of INS-003 matched no finding on line 6",
    ]);
  });
});

describe("every output format shows a waived finding with its waiver", () => {
  const both = () => {
    const lines = readFileSync(join(WAIVER_FIXTURES, "base", "ranker.obsgate.yaml"), "utf8").split("\n");
    lines.splice(13, 0, "  # obsgate:ignore INS-001 -- latency comes from the mesh's histogram");
    return repo({ "ranker.obsgate.yaml": lines.join("\n"), "waivers.yaml": waivers(WAIVE_RANKER_INS003) });
  };
  const args = ["ranker.obsgate.yaml", "--now", NOW];

  it("text: the waiver under the finding", async () => {
    const { stdout, status } = await both().run(["check", ...args]);
    expect(status).toBe(0);
    expect(stdout).toContain("  waived  INS-001  ranker.obsgate.yaml:15:3  ");
    expect(stdout).toContain("          waived inline at ranker.obsgate.yaml:14: latency comes from the mesh's histogram\n");
    expect(stdout).toContain("          waived by waivers.yaml:2 (team-discovery, DISC-42, expires 2026-06-30): the gauge keeps its legacy name until the dashboards move\n");
    expect(stdout).toMatch(/✔ passed: 0 findings \(0 errors, 0 warnings, 0 info, 2 waived\)/);
  });

  it("markdown: the waiver in the finding's row", async () => {
    const { stdout } = await both().run(["check", ...args, "--format", "markdown"]);
    expect(stdout).toContain("| error (waived) | INS-001 | `ranker.obsgate.yaml:15` | ranker declares no latency histogram");
    expect(stdout).toContain("<br>waived inline at ranker.obsgate.yaml:14: latency comes from the mesh's histogram |");
    expect(stdout).toContain("<br>waived by waivers.yaml:2 (team-discovery, DISC-42, expires 2026-06-30): the gauge keeps its legacy name until the dashboards move |");
    expect(stdout).toMatch(/\| error \| 0 \| 1 \|\n\| warning \| 0 \| 1 \|/);
  });

  it("junit: the rule's test case is skipped, its message the waiver", async () => {
    const { stdout } = await both().run(["check", ...args, "--format", "junit"]);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(stdout) as {
      testsuites: { failures: string; testsuite: { name: string; testcase: Array<{ name: string; skipped?: { message: string }; failure?: unknown }> } };
    };
    expect(xml.testsuites.failures).toBe("0");
    const cases = xml.testsuites.testsuite.testcase;
    expect(cases.find((c) => c.name.startsWith("INS-001 "))!.skipped!.message).toBe("waived inline at ranker.obsgate.yaml:14: latency comes from the mesh's histogram");
    expect(cases.find((c) => c.name.startsWith("INS-003 "))!.skipped!.message).toBe(
      "waived by waivers.yaml:2 (team-discovery, DISC-42, expires 2026-06-30): the gauge keeps its legacy name until the dashboards move",
    );
    expect(cases.filter((c) => c.skipped).map((c) => c.name.slice(0, 7))).toEqual(["INS-001", "INS-003"]);
  });

  it("json: status waived with the waiver, and the waivers the run read; valid against the report schema", async () => {
    const { report } = await checkJson(both(), args);
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(loadSchema("report"));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.findings.map((f) => [f.rule, f.status, f.waiver?.source])).toEqual([["INS-001", "waived", "inline"], ["INS-003", "waived", "file"]]);
    expect(report.waivers.map((w) => [w.file, w.line, w.status])).toEqual([["ranker.obsgate.yaml", 14, "applied"], ["waivers.yaml", 2, "applied"]]);
  });

  describeWith(["shared"], "sarif", () => {
    it("suppressions: external for the waivers file, inSource for an inline ignore, with the reason; valid SARIF", async () => {
      const { stdout, status } = await both().run(["check", ...args, "--format", "sarif"]);
      expect(status).toBe(0);
      expect(validateSarif(stdout)).toEqual([]);
      const results = (JSON.parse(stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> }).runs[0]!.results;
      expect(results.map((r) => [r.ruleId, r.suppressions])).toEqual([
        ["INS-001", [{
          kind: "inSource", status: "accepted", justification: "latency comes from the mesh's histogram",
          location: { physicalLocation: { artifactLocation: { uri: "ranker.obsgate.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 14, startColumn: 3 } } },
          properties: { owner: null, ticket: null, expires: null },
        }]],
        ["INS-003", [{
          kind: "external", status: "accepted", justification: "the gauge keeps its legacy name until the dashboards move",
          location: { physicalLocation: { artifactLocation: { uri: "waivers.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 2, startColumn: 5 } } },
          properties: { owner: "team-discovery", ticket: "DISC-42", expires: "2026-06-30" },
        }]],
      ]);
    });
  });
});

describe("bad input: exit 2, located diagnostics, nothing written", () => {
  const bad = (name: string) => readFileSync(join(WAIVER_FIXTURES, "bad-files", `${name}.yaml`), "utf8");

  async function expectRefused(r: TempRepo, args: string[], code: string): Promise<string[]> {
    const result = await r.run(["check", ".", "--now", NOW, "--format", "json", "--output", "report.json", "--format", "text", ...args]);
    const lines = expectDiagnostics(result, code);
    expect(existsSync(r.path("report.json")), "no output file is written").toBe(false);
    return lines;
  }

  it("a waivers file that does not parse", async () => {
    const lines = await expectRefused(repo({ "waivers.yaml": bad("parse-error") }), [], "waiver_error");
    expect(lines).toEqual([expect.stringMatching(/^waivers\.yaml:6:5: waiver_error: YAML syntax error: .*; fix the YAML syntax at this position$/)]);
  });

  it("a waivers file that breaks its schema: one diagnostic per problem, sorted by place", async () => {
    expect(await expectRefused(repo({ "waivers.yaml": bad("schema-error") }), [], "waiver_error")).toEqual([
      "waivers.yaml:7:5: waiver_error: `/waivers/1` is missing the required field `expires`; add `expires`",
      "waivers.yaml:7:5: waiver_error: `/waivers/1` is missing the required field `owner`; add `owner`",
      "waivers.yaml:10:5: waiver_error: unknown field `expiry` in `/waivers/1`; remove it or correct its spelling; allowed: rule, model, file, pointer, owner, reason, ticket, expires",
    ]);
  });

  it("a bad date: no such day, or not YYYY-MM-DD", async () => {
    expect(await expectRefused(repo({ "waivers.yaml": bad("bad-date") }), [], "waiver_error")).toEqual([
      "waivers.yaml:6:5: waiver_error: `expires` 2026-02-30 is not a calendar date; write a real UTC date YYYY-MM-DD",
      "waivers.yaml:11:5: waiver_error: `/waivers/1/expires` does not match the pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}$; write a value matching ^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    ]);
  });

  it("a waiver of a rule no policy defines, named by --waivers", async () => {
    const r = repo({ "compliance/waivers.yaml": bad("unknown-rule") });
    expect(await expectRefused(r, ["--waivers", "compliance/waivers.yaml"], "waiver_error")).toEqual([
      "compliance/waivers.yaml:7:5: waiver_error: unknown rule INS-099: no policy of this run defines it; correct the id (`obsgate rules` lists them) or remove the waiver",
    ]);
  });

  it("a waiver that selects nothing, and a pointer without its file", async () => {
    expect(await expectRefused(repo({ "waivers.yaml": bad("no-selector") }), [], "waiver_error")).toEqual([
      "waivers.yaml:2:5: waiver_error: the waiver of INS-003 selects no finding: give a `model`, a `file`, or both",
      "waivers.yaml:6:5: waiver_error: the waiver of INS-001 selects no finding: give a `model`, a `file`, or both",
      "waivers.yaml:7:5: waiver_error: `pointer` points into a file: give the `file` it points into",
    ]);
  });

  it("--waivers naming a missing file, and a config naming one", async () => {
    expect(await expectRefused(repo(), ["--waivers", "nope.yaml"], "waiver_error")).toEqual([
      "<command-line>:1:1: waiver_error: --waivers nope.yaml: no such file",
    ]);
    expect(await expectRefused(repo({ ".obsgate.yaml": "fail-on: error\nwaivers: nope.yaml\n" }), [], "config_error")).toEqual([
      ".obsgate.yaml:2:1: config_error: waivers: nope.yaml: no such file (paths are relative to the config's folder); create it or correct the path",
    ]);
  });

  it("a max-waiver-days that is not a positive number of days", async () => {
    expect(await expectRefused(repo({ ".obsgate.yaml": "max-waiver-days: 0\n" }), [], "config_error")).toEqual([
      ".obsgate.yaml:1:1: config_error: `/max-waiver-days` must be >= 1; use a number >= 1",
    ]);
  });

  it.each([
    ["yesterday", "expected an ISO 8601 date or date-time with a zone, such as 2026-05-01 or 2026-05-01T12:00:00Z"],
    ["2026-05-01T12:00:00", "expected an ISO 8601 date or date-time with a zone, such as 2026-05-01 or 2026-05-01T12:00:00Z"],
    ["2026-02-30", "2026-02-30 is not a calendar date"],
  ])("--now %s", async (value, why) => {
    const r = repo();
    const result = await r.run(["check", ".", "--format", "json", "--output", "report.json", "--now", value]);
    expect(expectDiagnostics(result, "usage_error")).toEqual([
      `<command-line>:1:8: usage_error: option '--now <time>' argument '${value}' is invalid. ${why} (see obsgate --help)`,
    ]);
    expect(existsSync(r.path("report.json"))).toBe(false);
  });
});
