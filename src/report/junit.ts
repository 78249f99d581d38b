// JUnit XML, as CI test reporters read it (GitLab, Jenkins, the GitHub test-report actions): every
// model is a test suite and every rule that ran is a test case in it, so passing checks show as
// passed tests and a broken one as a failure that names each finding and its fix.
//
// What fails is what fails the run: a test case fails when it has an open finding at or above
// `report.failOn` (`blocks`); its other findings (below fail-on, all of them with `--fail-on never`,
// and waived ones) are listed in its <system-out>, so the XML never disagrees with the exit code.
// A test case whose every finding is waived is <skipped>, its message the waiver.
// A model whose manifest is invalid was not checked: its rules without findings are <skipped>.
// Findings with no model (shared files, files no model owns) form one more suite, which lists only
// the rules that have findings there. No timestamps and time="0": the same report gives the same bytes.
import { compareFindings, compareStrings, type Finding, type RuleMetadata } from "../types.js";
import { blocks, plural, waiverText, type Report, type ReportModel } from "./index.js";

/** The suite of findings whose `model` is null: no valid model name (lowercase letters, digits, `-`) looks like this. */
export const UNOWNED_SUITE = "(files no model owns)";

interface TestCase {
  name: string;
  classname: string;
  failures: Finding[];
  others: Finding[];
  skipped: string | null;
}

interface TestSuite {
  name: string;
  cases: TestCase[];
}

export function formatJunit(report: Report): string {
  const suites = buildSuites(report);
  const count = (cases: TestCase[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.failures.length > 0).length,
    skipped: cases.filter((c) => c.skipped !== null).length,
  });
  const all = count(suites.flatMap((s) => s.cases));
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="obsgate" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="${all.skipped}" time="0">`,
  ];
  for (const suite of suites) {
    const n = count(suite.cases);
    const open = `<testsuite name="${attr(suite.name)}" tests="${n.tests}" failures="${n.failures}" errors="0" skipped="${n.skipped}" time="0"`;
    if (suite.cases.length === 0) {
      lines.push(`  ${open}/>`);
      continue;
    }
    lines.push(`  ${open}>`);
    for (const c of suite.cases) lines.push(...testCase(c));
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`);
  return lines.join("\n") + "\n";
}

function buildSuites(report: Report): TestSuite[] {
  const byModel = new Map<string, Finding[]>();
  const unowned: Finding[] = [];
  for (const finding of report.findings) {
    if (finding.model === null) {
      unowned.push(finding);
      continue;
    }
    if (!byModel.has(finding.model)) byModel.set(finding.model, []);
    byModel.get(finding.model)!.push(finding);
  }
  // Every model in the report, and (defensively) any model a finding names that the report lacks.
  const models = new Map<string, ReportModel | null>();
  for (const model of [...report.models].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file))) {
    if (!models.has(model.name)) models.set(model.name, model);
  }
  for (const name of byModel.keys()) if (!models.has(name)) models.set(name, null);
  const rules = new Map(report.rules.map((r) => [r.id, r]));

  const suites: TestSuite[] = [...models.keys()].sort(compareStrings).map((name) => {
    const findings = byModel.get(name) ?? [];
    const invalid = models.get(name)?.status === "invalid";
    const ids = new Set([...rules.keys(), ...findings.map((f) => f.rule)]);
    return { name, cases: testCases(report, `obsgate.${name}`, [...ids], findings, rules, invalid) };
  });
  if (unowned.length > 0) {
    const ids = new Set(unowned.map((f) => f.rule));
    suites.push({ name: UNOWNED_SUITE, cases: testCases(report, `obsgate.${UNOWNED_SUITE}`, [...ids], unowned, rules, false) });
  }
  return suites;
}

function testCases(
  report: Report,
  classname: string,
  ids: string[],
  findings: Finding[],
  rules: ReadonlyMap<string, RuleMetadata>,
  invalid: boolean,
): TestCase[] {
  return ids.sort(compareStrings).map((id) => {
    const mine = findings.filter((f) => f.rule === id).sort(compareFindings);
    const title = rules.get(id)?.title;
    return {
      name: title ? `${id} ${title}` : id,
      classname,
      failures: mine.filter((f) => blocks(f, report.failOn)),
      others: mine.filter((f) => !blocks(f, report.failOn)),
      skipped: invalid && mine.length === 0 ? "the model's manifest is invalid: nothing else about it was checked" : waivedOnly(mine),
    };
  });
}

function testCase(c: TestCase): string[] {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="0"`;
  if (c.failures.length === 0 && c.others.length === 0 && c.skipped === null) return [`${open}/>`];
  const lines = [`${open}>`];
  if (c.skipped !== null) lines.push(`      <skipped message="${attr(c.skipped)}"/>`);
  if (c.failures.length > 0) {
    const first = c.failures[0]!;
    const message = c.failures.length === 1 ? first.message : `${c.failures.length} findings; the first: ${first.message}`;
    lines.push(`      <failure message="${attr(message)}" type="${attr(first.rule)}">${text(describe(c.failures))}</failure>`);
  }
  if (c.others.length > 0) lines.push(`      <system-out>${text(describe(c.others))}</system-out>`);
  lines.push(`    </testcase>`);
  return lines;
}

/** A case whose every finding is waived is skipped, not passed: the check did not hold, a person accepted it. */
function waivedOnly(findings: Finding[]): string | null {
  if (findings.length === 0 || findings.some((f) => f.status !== "waived")) return null;
  const first = findings[0]!;
  return findings.length === 1 && first.waiver ? waiverText(first.waiver) : `${plural(findings.length, "finding")} waived`;
}

/** One line per finding, `file:line:col severity message`, its waiver if any, then its fix, said once when findings share it. */
function describe(findings: Finding[]): string {
  const lines: string[] = [];
  const explained = new Set<string>();
  for (const f of findings) {
    const severity = f.status === "waived" ? `${f.severity} (waived)` : f.severity;
    const shared = f.models.length > 1 ? ` [models: ${f.models.join(", ")}]` : "";
    lines.push(`${f.file}:${f.line}:${f.column} ${severity} ${f.message}${shared}`);
    if (f.waiver) lines.push(`  ${waiverText(f.waiver)}`);
    if (f.remediation && !explained.has(f.remediation)) lines.push(`  fix: ${f.remediation}`);
    explained.add(f.remediation);
  }
  return lines.join("\n");
}

// XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; anything else
// (C0 controls, lone surrogates, U+FFFE, U+FFFF) cannot appear even as a character reference.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Character data: the five markup characters escaped, CR kept as a reference (parsers normalize a raw one). */
function text(value: string): string {
  return value
    .replace(FORBIDDEN, "")
    .replace(/[&<>"'\r]/g, (c) => ENTITIES[c]!);
}

/** An attribute value: as text, and tab and LF as references too, which attribute normalization would turn into spaces. */
function attr(value: string): string {
  return text(value).replace(/[\t\n]/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;",
};
