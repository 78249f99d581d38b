import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { blocks } from "../../src/report/index.js";
import { formatJunit } from "../../src/report/junit.js";
import { FINDINGS, RULES, finding, fixtureReport, model } from "./fixture.js";


interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; "#text": string };
  skipped?: { message: string };
  "system-out"?: string;
}
interface Suite { name: string; tests: string; failures: string; errors: string; skipped: string; testcase?: Case[] }
interface Parsed { testsuites: { name: string; tests: string; failures: string; errors: string; skipped: string; testsuite?: Suite[] } }

/**
 * Well-formed XML 1.0: fast-xml-parser's validator (tags, nesting, attributes), plus what it does not
 * look at: characters XML forbids, `<` in attribute values, entity references other than XML's own.
 */
function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  expect(xml).not.toMatch(/="[^"]*</);
  expect(xml).not.toMatch(/<(?![?/A-Za-z])/);
  expect(xml).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
  expect(xml.match(/^<testsuites[ >]/gm)).toHaveLength(1);
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false, parseTagValue: false,
    trimValues: false, htmlEntities: true, isArray: (name) => name === "testsuite" || name === "testcase",
  });
  return parser.parse(xml) as Parsed;
}

describe("formatJunit", () => {
  it("writes one suite per model and one for files no model owns, a test case per rule, failures at fail-on", () => {
    expect(formatJunit(fixtureReport())).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="obsgate" tests="13" failures="2" errors="0" skipped="1" time="0">
  <testsuite name="alpha" tests="4" failures="1" errors="0" skipped="0" time="0">
    <testcase name="ALR-002 Alerts carry an allowed severity label" classname="obsgate.alpha" time="0">
      <failure message="alert AlphaDown has no severity label" type="ALR-002">models/alpha/alerts.yaml:14:9 error alert AlphaDown has no severity label
  fix: Fix ALR-002.</failure>
    </testcase>
    <testcase name="INS-003 Counters end in _total, other types don&apos;t" classname="obsgate.alpha" time="0">
      <system-out>models/alpha/alpha.obsgate.yaml:27:7 warning counter alpha_predictions does not end in _total
  fix: Fix INS-003.</system-out>
    </testcase>
    <testcase name="INS-009 Metrics have help text" classname="obsgate.alpha" time="0">
      <system-out>models/alpha/alpha.obsgate.yaml:30:7 info metric alpha_score has no help text
  fix: Fix INS-009.</system-out>
    </testcase>
    <testcase name="RET-004 Loki retention is actually enabled" classname="obsgate.alpha" time="0"/>
  </testsuite>
  <testsuite name="beta" tests="4" failures="0" errors="0" skipped="1" time="0">
    <testcase name="ALR-002 Alerts carry an allowed severity label" classname="obsgate.beta" time="0">
      <skipped message="waived by waivers.yaml:2 (team-beta, BETA-7, expires 2026-06-30): paged by the platform alert instead"/>
      <system-out>models/beta/alerts.yaml:8:9 error (waived) alert BetaDown has no severity label
  waived by waivers.yaml:2 (team-beta, BETA-7, expires 2026-06-30): paged by the platform alert instead
  fix: Fix ALR-002.</system-out>
    </testcase>
    <testcase name="INS-003 Counters end in _total, other types don&apos;t" classname="obsgate.beta" time="0"/>
    <testcase name="INS-009 Metrics have help text" classname="obsgate.beta" time="0"/>
    <testcase name="RET-004 Loki retention is actually enabled" classname="obsgate.beta" time="0"/>
  </testsuite>
  <testsuite name="gamma" tests="4" failures="0" errors="0" skipped="0" time="0">
    <testcase name="ALR-002 Alerts carry an allowed severity label" classname="obsgate.gamma" time="0"/>
    <testcase name="INS-003 Counters end in _total, other types don&apos;t" classname="obsgate.gamma" time="0"/>
    <testcase name="INS-009 Metrics have help text" classname="obsgate.gamma" time="0"/>
    <testcase name="RET-004 Loki retention is actually enabled" classname="obsgate.gamma" time="0"/>
  </testsuite>
  <testsuite name="(files no model owns)" tests="1" failures="1" errors="0" skipped="0" time="0">
    <testcase name="RET-004 Loki retention is actually enabled" classname="obsgate.(files no model owns)" time="0">
      <failure message="compactor.retention_enabled is not true, so Loki never deletes logs" type="RET-004">platform/loki.yaml:38:3 error compactor.retention_enabled is not true, so Loki never deletes logs [models: alpha, beta]
  fix: Fix RET-004.</failure>
    </testcase>
  </testsuite>
</testsuites>
`);
  });

  it("is well-formed, and its counts add up", () => {
    const { testsuites } = parse(formatJunit(fixtureReport()));
    const suites = testsuites.testsuite!;
    expect(suites.map((s) => s.name)).toEqual(["alpha", "beta", "gamma", "(files no model owns)"]);
    const cases = suites.flatMap((s) => s.testcase ?? []);
    expect(Number(testsuites.tests)).toBe(cases.length);
    expect(Number(testsuites.failures)).toBe(cases.filter((c) => c.failure).length);
    for (const s of suites) expect(Number(s.tests)).toBe(s.testcase?.length ?? 0);
  });

  it("fails what blocks at the fail-on level, and nothing with --fail-on never", () => {
    const warning = formatJunit(fixtureReport({ failOn: "warning" }));
    expect(warning).toMatch(/^<testsuites name="obsgate" tests="13" failures="3" /m);
    expect(warning).toContain(`<failure message="counter alpha_predictions does not end in _total" type="INS-003">`);
    expect(warning).toContain(`<system-out>models/alpha/alpha.obsgate.yaml:30:7 info metric alpha_score`);

    const info = parse(formatJunit(fixtureReport({ failOn: "info" })));
    expect(info.testsuites.failures).toBe("4");

    const never = formatJunit(fixtureReport({ failOn: "never" }));
    expect(never).toMatch(/^<testsuites name="obsgate" tests="13" failures="0" /m);
    expect(never).not.toContain("<failure");
    expect(never).toContain(`<system-out>platform/loki.yaml:38:3 error compactor.retention_enabled`);
  });

  it("lists blocking findings of one rule in one failure, with each fix said once, and the rest in system-out", () => {
    const findings = [
      finding({ rule: "INS-003", severity: "error", file: "m.yaml", line: 9, message: "second" }),
      finding({ rule: "INS-003", severity: "warning", file: "m.yaml", line: 2, message: "a warning" }),
      finding({ rule: "INS-003", severity: "error", file: "m.yaml", line: 3, message: "first" }),
      finding({ rule: "INS-003", severity: "error", file: "m.yaml", line: 12, message: "third", remediation: "Another fix." }),
    ];
    const xml = formatJunit(fixtureReport({ findings, models: [model("alpha")] }));
    expect(xml).toContain(`    <testcase name="INS-003 Counters end in _total, other types don&apos;t" classname="obsgate.alpha" time="0">
      <failure message="3 findings; the first: first" type="INS-003">m.yaml:3:1 error first
  fix: Fix INS-003.
m.yaml:9:1 error second
m.yaml:12:1 error third
  fix: Another fix.</failure>
      <system-out>m.yaml:2:1 warning a warning
  fix: Fix INS-003.</system-out>
    </testcase>
`);
  });

  it("skips the rules that did not run on a model whose manifest is invalid", () => {
    const findings = [
      finding({ rule: "ALR-002", severity: "error", model: "broken", file: "broken.obsgate.yaml", line: 1, message: "spec.slos must be an array" }),
    ];
    const { testsuites } = parse(formatJunit(fixtureReport({ findings, models: [model("broken", { status: "invalid" })] })));
    expect(testsuites).toMatchObject({ tests: "4", failures: "1", skipped: "3" });
    const cases = testsuites.testsuite![0]!.testcase!;
    expect(cases.map((c) => [c.name.slice(0, 7), Boolean(c.failure), c.skipped?.message ?? null])).toEqual([
      ["ALR-002", true, null],
      ["INS-003", false, "the model's manifest is invalid: nothing else about it was checked"],
      ["INS-009", false, "the model's manifest is invalid: nothing else about it was checked"],
      ["RET-004", false, "the model's manifest is invalid: nothing else about it was checked"],
    ]);
  });

  it("escapes markup and strips characters XML 1.0 forbids", () => {
    const message = `label <team> & "quoted" 'x' > y | z\nsecond line\ttab\r\u0001\u001b[0m\uFFFE\uD800 ok 🚀`;
    const findings = [finding({ rule: "ALR-002", severity: "error", model: "a<b>&c", file: "dir/<x>&'y'.yaml", line: 1, message })];
    const xml = formatJunit(fixtureReport({ findings, models: [model("a<b>&c")] }));
    expect(xml).toContain(
      `  <testsuite name="a&lt;b&gt;&amp;c" tests="4" failures="1" errors="0" skipped="0" time="0">
    <testcase name="ALR-002 Alerts carry an allowed severity label" classname="obsgate.a&lt;b&gt;&amp;c" time="0">
      <failure message="label &lt;team&gt; &amp; &quot;quoted&quot; &apos;x&apos; &gt; y | z&#10;second line&#9;tab&#13;[0m ok 🚀" type="ALR-002">` +
        `dir/&lt;x&gt;&amp;&apos;y&apos;.yaml:1:1 error label &lt;team&gt; &amp; &quot;quoted&quot; &apos;x&apos; &gt; y | z
second line\ttab&#13;[0m ok 🚀
  fix: Fix ALR-002.</failure>
`,
    );
    const parsed = parse(xml);
    const failure = parsed.testsuites.testsuite![0]!.testcase![0]!.failure!;
    const kept = `label <team> & "quoted" 'x' > y | z\nsecond line\ttab\r[0m ok 🚀`;
    expect(failure.message).toBe(kept);
    expect(failure["#text"]).toBe(`dir/<x>&'y'.yaml:1:1 error ${kept}\n  fix: Fix ALR-002.`);
    expect(parsed.testsuites.testsuite![0]!.name).toBe("a<b>&c");
  });

  it("gives the same bytes whatever order findings and models come in", () => {
    const report = fixtureReport();
    const shuffled = { ...report, findings: [...FINDINGS].reverse(), models: [...report.models].reverse(), rules: [...RULES].reverse() };
    expect(formatJunit(shuffled)).toBe(formatJunit(report));
  });

  it("writes an empty testsuites for a report with no model and no finding", () => {
    expect(formatJunit(fixtureReport({ findings: [], models: [] }))).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="obsgate" tests="0" failures="0" errors="0" skipped="0" time="0">
</testsuites>
`);
  });

  it("renders the example fleet as well-formed JUnit that agrees with the report", async () => {
    const { report } = await runCheck({ paths: ["examples/fleet"], cwd: packageRoot() });
    const xml = formatJunit(report);
    expect(xml).not.toMatch(/timestamp=|time="(?!0")/);
    const { testsuites } = parse(xml);
    const suites = testsuites.testsuite!;
    const unowned = new Set(report.findings.filter((f) => f.model === null).map((f) => f.rule));
    const names = [...new Set(report.models.map((m) => m.name))];
    expect(suites.map((s) => s.name)).toEqual([...names, ...(unowned.size > 0 ? ["(files no model owns)"] : [])]);
    expect(Number(testsuites.tests)).toBe(names.length * report.rules.length + unowned.size);
    // A test case fails exactly when its model and rule have a finding that fails the run.
    const failing = new Set(report.findings.filter((f) => blocks(f, report.failOn)).map((f) => `obsgate.${f.model ?? "(files no model owns)"} ${f.rule}`));
    const failed = suites.flatMap((s) => s.testcase ?? []).filter((c) => c.failure).map((c) => `${c.classname} ${c.name.split(" ")[0]}`);
    expect(new Set(failed)).toEqual(failing);
    expect(Number(testsuites.failures)).toBe(failing.size);
    expect(Number(testsuites.failures) > 0).toBe(report.result === "failed");
    // Every finding appears, as a failure or in system-out.
    const bodies = suites.flatMap((s) => s.testcase ?? []).map((c) => `${c.failure?.["#text"] ?? ""}\n${c["system-out"] ?? ""}`).join("\n");
    for (const f of report.findings) {
      expect(bodies).toContain(`${f.file}:${f.line}:${f.column} ${f.severity}${f.status === "waived" ? " (waived)" : ""} ${f.message}`);
    }
  });
});
