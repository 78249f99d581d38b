import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { DEFAULT_MARKDOWN_MAX_LENGTH, formatMarkdown } from "../../src/report/markdown.js";
import type { Finding } from "../../src/types.js";
import { FINDINGS, RULES, finding, fixtureReport, model } from "./fixture.js";

/** Every row of a table has as many cell borders (`|` that no backslash escapes) as its header. */
function expectTablesIntact(markdown: string): void {
  let header: number | null = null;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      header = null;
      continue;
    }
    const borders = (line.match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length;
    header ??= borders;
    expect(borders, line).toBe(header);
  }
}

describe("formatMarkdown", () => {
  it("writes the result, the counts, a table per model, the shared files and the passing models", () => {
    const markdown = formatMarkdown(fixtureReport());
    expect(markdown).toBe(`## ❌ obsgate failed (fail-on: error)

3 models; files: 6 evaluated, 0 skipped, 0 invalid.

| severity | open | waived |
| --- | ---: | ---: |
| error | 2 | 1 |
| warning | 1 | 0 |
| info | 1 | 0 |

### alpha (high, team-alpha)

| severity | rule | location | message |
| --- | --- | --- | --- |
| error | ALR-002 | \`models/alpha/alerts.yaml:14\` | alert AlphaDown has no severity label |
| warning | INS-003 | \`models/alpha/alpha.obsgate.yaml:27\` | counter alpha_predictions does not end in _total |
| info | INS-009 | \`models/alpha/alpha.obsgate.yaml:30\` | metric alpha_score has no help text |

### beta (standard, team-beta)

| severity | rule | location | message |
| --- | --- | --- | --- |
| error (waived) | ALR-002 | \`models/beta/alerts.yaml:8\` | alert BetaDown has no severity label<br>waived by waivers.yaml:2 (team-beta, BETA-7, expires 2026-06-30): paged by the platform alert instead |

### Shared files, and files no model owns

| severity | rule | location | message |
| --- | --- | --- | --- |
| error | RET-004 | \`platform/loki.yaml:38\` | compactor.retention_enabled is not true, so Loki never deletes logs (models: alpha, beta) |

Passing: gamma
`);
    expectTablesIntact(markdown);
  });

  it("says passed, with the fail-on level, when nothing blocks", () => {
    const markdown = formatMarkdown(fixtureReport({ failOn: "never" }));
    expect(markdown.split("\n")[0]).toBe("## ✅ obsgate passed (fail-on: never)");
    expect(formatMarkdown(fixtureReport({ findings: [FINDINGS[0]!] })).split("\n")[0]).toBe("## ✅ obsgate passed (fail-on: error)");
    expect(formatMarkdown(fixtureReport({ findings: [] }))).toBe(`## ✅ obsgate passed (fail-on: error)

3 models; files: 6 evaluated, 0 skipped, 0 invalid.

| severity | open | waived |
| --- | ---: | ---: |
| error | 0 | 0 |
| warning | 0 | 0 |
| info | 0 | 0 |

Passing: alpha, beta, gamma
`);
  });

  it("links locations under linkBase, and docs when they are URLs", () => {
    const findings = [
      finding({ rule: "ALR-002", severity: "error", file: "models/my model (v2)/a|b#c.yaml", line: 14, message: "m",
        docs: "https://obsgate.dev/rules/ALR-002" }),
    ];
    const markdown = formatMarkdown(fixtureReport({ findings, models: [model("alpha")] }), { linkBase: "https://github.com/o/r/blob/0123abc/" });
    expect(markdown).toContain(
      "| error | [ALR-002](https://obsgate.dev/rules/ALR-002) | " +
        "[`models/my model (v2)/a\\|b#c.yaml:14`](https://github.com/o/r/blob/0123abc/models/my%20model%20%28v2%29/a%7Cb%23c.yaml#L14) | m |\n",
    );
    expectTablesIntact(markdown);
  });

  it("escapes what would break a table or turn into HTML, and nothing else", () => {
    const message = "expr `a | b` failed\nsecond line\r\nthird <b>bold</b> & &amp; a < b, C:\\dir\\ *kept* _kept_";
    const findings = [finding({ rule: "ALR-002", severity: "error", model: "a|b", file: "x`y.yaml", line: 3, message })];
    const markdown = formatMarkdown(fixtureReport({ findings, models: [model("a|b", { owner: "<team>" })] }));
    expect(markdown).toContain(`### a\\|b (high, &lt;team>)

| severity | rule | location | message |
| --- | --- | --- | --- |
| error | ALR-002 | x\`y.yaml:3 | expr \`a \\| b\` failed<br>second line<br>third &lt;b>bold&lt;/b> & &amp;amp; a < b, C:\\\\dir\\\\ *kept* _kept_ |
`);
    expectTablesIntact(markdown);
  });

  it("leaves findings out from the least severe up, model by model, and says how many and how to see them", () => {
    const markdown = formatMarkdown(fixtureReport(), { maxLength: 900, linkBase: "https://github.com/o/r/blob/abc/" });
    expect(markdown).toBe(`## ❌ obsgate failed (fail-on: error)

3 models; files: 6 evaluated, 0 skipped, 0 invalid.

| severity | open | waived |
| --- | ---: | ---: |
| error | 2 | 1 |
| warning | 1 | 0 |
| info | 1 | 0 |

### alpha (high, team-alpha)

| severity | rule | location | message |
| --- | --- | --- | --- |
| error | ALR-002 | [\`models/alpha/alerts.yaml:14\`](https://github.com/o/r/blob/abc/models/alpha/alerts.yaml#L14) | alert AlphaDown has no severity label |

_2 more findings not shown (1 warning, 1 info)._

### beta (standard, team-beta)

_1 more finding not shown (1 waived)._

### Shared files, and files no model owns

_1 more finding not shown (1 error)._

Passing: gamma

**4 of 5 findings not shown, to keep this under 900 characters.** Run \`obsgate check --format json\` to see them all.
`);
    expect(markdown.length).toBeLessThanOrEqual(900);
  });

  it("keeps every length under maxLength, and the most severe findings longest", () => {
    const many: Finding[] = [];
    for (const name of ["alpha", "beta"]) {
      for (let i = 1; i <= 40; i++) {
        const severity = i % 3 === 0 ? "error" : i % 3 === 1 ? "warning" : "info";
        many.push(finding({ rule: "INS-003", severity, model: name, file: `models/${name}/m.yaml`, line: i, message: `finding ${i} of ${name}` }));
      }
    }
    const report = fixtureReport({ findings: many, failOn: "warning" });
    const full = formatMarkdown(report);
    expect(full).not.toContain("not shown");
    let previous = -1;
    for (let max = 700; max <= full.length + 10; max += 97) {
      const markdown = formatMarkdown(report, { maxLength: max });
      expect(markdown.length).toBeLessThanOrEqual(max);
      expectTablesIntact(markdown);
      const rows = markdown.split("\n").filter((l) => /^\| (error|warning|info) \| INS/.test(l));
      expect(rows.length).toBeGreaterThanOrEqual(previous);
      previous = rows.length;
      // No less severe finding is shown while a more severe one is left out, and both models keep theirs.
      const shown = (severity: string) => rows.filter((r) => r.startsWith(`| ${severity} `)).length;
      if (shown("warning") > 0) expect(shown("error")).toBe(26);
      if (shown("info") > 0) expect(shown("warning")).toBe(28);
      const perModel = ["alpha", "beta"].map((n) => rows.filter((r) => r.includes(` of ${n} |`)).length);
      expect(Math.abs(perModel[0]! - perModel[1]!)).toBeLessThanOrEqual(1);
      if (max < full.length) expect(markdown).toMatch(/\n\*\*\d+ of 80 findings not shown, to keep this under \d+ characters\.\*\* Run `obsgate check --format json` to see them all\.\n$/);
      else expect(markdown).toBe(full);
    }
  });

  it("cuts whole blocks when even the counts and headings do not fit", () => {
    const markdown = formatMarkdown(fixtureReport(), { maxLength: 400 });
    expect(markdown).toBe(`## ❌ obsgate failed (fail-on: error)

3 models; files: 6 evaluated, 0 skipped, 0 invalid.

| severity | open | waived |
| --- | ---: | ---: |
| error | 2 | 1 |
| warning | 1 | 0 |
| info | 1 | 0 |

**The rest of this summary is not shown, and 5 of 5 findings with it, to keep it under 400 characters.** Run \`obsgate check --format json\` to see it all.
`);
    expect(markdown.length).toBeLessThanOrEqual(400);
  });

  it("gives the same bytes whatever order findings and models come in", () => {
    const report = fixtureReport();
    const shuffled = { ...report, findings: [...FINDINGS].reverse(), models: [...report.models].reverse(), rules: [...RULES].reverse() };
    expect(formatMarkdown(shuffled)).toBe(formatMarkdown(report));
    expect(formatMarkdown(shuffled, { maxLength: 900 })).toBe(formatMarkdown(report, { maxLength: 900 }));
  });

  it("renders the example fleet whole, under GitHub's limit, and cut under a small one", async () => {
    const { report } = await runCheck({ paths: ["examples/fleet"], cwd: packageRoot() });
    const markdown = formatMarkdown(report, { linkBase: "https://github.com/example/fleet/blob/main/" });
    expect(markdown.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_LENGTH);
    expect(markdown).not.toContain("not shown");
    expectTablesIntact(markdown);
    expect(markdown.split("\n")[0]).toBe(`## ${report.result === "failed" ? "❌ obsgate failed" : "✅ obsgate passed"} (fail-on: ${report.failOn})`);
    const rows = markdown.split("\n").filter((l) => /^\| (error|warning|info)( \(waived\))? \| [A-Z]{3}-\d{3}/.test(l));
    expect(rows).toHaveLength(report.findings.length);
    for (const m of report.models) {
      const owned = report.findings.some((f) => f.model === m.name || f.models.includes(m.name));
      const about = [m.tier, m.owner].filter((v) => v !== null);
      if (owned) expect(markdown).toContain(`\n### ${m.name}${about.length > 0 ? ` (${about.join(", ")})` : ""}\n`);
      else expect(markdown).toMatch(new RegExp(`\\nPassing: .*\\b${m.name}\\b`));
    }
    expect(markdown).toContain("\n### Shared files, and files no model owns\n");

    const cut = formatMarkdown(report, { maxLength: 5000 });
    expect(cut.length).toBeLessThanOrEqual(5000);
    expectTablesIntact(cut);
    expect(cut).toMatch(new RegExp(`\\*\\*\\d+ of ${report.findings.length} findings not shown, to keep this under 5000 characters\\.\\*\\*`));
  });
});
