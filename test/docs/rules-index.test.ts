// docs/rules/README.md indexes every rule by family, with its title, severity and whether it can be
// waived. It is written by hand, so this test holds it to the rules' metadata (the built-in bundle's
// `obsgate/metadata` and obsgate's own families) and to the pages it links: a rule added, renamed,
// re-levelled or made unwaivable without updating the index fails here, with the rows to use.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { loadBuiltinPolicySet, ruleCatalogue } from "../../src/policy/index.js";
import type { RuleMetadata } from "../../src/types.js";

const RULES_DIR = join(packageRoot(), "docs", "rules");
const INDEX = join(RULES_DIR, "README.md");
const SEVERITIES = ["error", "warning", "info"];

/** Reported by the waiver stage: the index also describes them in prose. */
const WAIVER_RULES: Record<string, string> = { "WVR-001": "warning", "WVR-002": "info", "WVR-003": "error" };

interface Row {
  family: string;
  id: string;
  link: string;
  title: string;
  severity: string;
  waivable: string;
  line: number;
}

/** The index's table rows, each with the family of the `## FAM — …` section it sits in. */
function parseIndex(text: string): { rows: Row[]; sections: Map<string, string> } {
  const rows: Row[] = [];
  const sections = new Map<string, string>();
  let family = "";
  text.split("\n").forEach((line, i) => {
    const heading = /^## ([A-Z]{3}) — /.exec(line);
    if (heading) {
      family = heading[1]!;
      sections.set(family, "");
      return;
    }
    if (family) sections.set(family, `${sections.get(family)}${line}\n`);
    const row = /^\| \[([A-Z]{3}-\d{3})\]\(([^)]+)\) \| (.+?) \| (.+?) \| (.+?) \|$/.exec(line);
    if (row) rows.push({ family, id: row[1]!, link: row[2]!, title: row[3]!, severity: row[4]!, waivable: row[5]!, line: i + 1 });
  });
  return { rows, sections };
}

/** A rule page's own statement of its severity: `**Severity:** error / warning · …`. */
function pageSeverity(id: string): string | null {
  const line = readFileSync(join(RULES_DIR, `${id}.md`), "utf8").split("\n").find((l) => l.startsWith("**Severity:** "));
  return line ? line.slice("**Severity:** ".length).split(" · ")[0]! : null;
}

function expectedRow(rule: RuleMetadata): string {
  return `| [${rule.id}](${rule.id}.md) | ${rule.title} | ${pageSeverity(rule.id) ?? rule.severity} | ${rule.waivable ? "yes" : "no"} |`;
}

describe("docs/rules/README.md", () => {
  let catalogue: RuleMetadata[];
  let rows: Row[];
  let sections: Map<string, string>;

  beforeAll(async () => {
    catalogue = [...ruleCatalogue([await loadBuiltinPolicySet()]).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    ({ rows, sections } = parseIndex(readFileSync(INDEX, "utf8")));
  });

  it("has one row per rule with a page, agreeing with the rule's metadata", () => {
    const paged = catalogue;
    expect(paged.length).toBeGreaterThanOrEqual(49);
    const problems: string[] = [];
    for (const rule of paged) {
      const found = rows.filter((r) => r.id === rule.id);
      const want = expectedRow(rule);
      if (found.length !== 1) {
        problems.push(`${rule.id}: ${found.length} rows; add under "## ${rule.family} — …": ${want}`);
        continue;
      }
      const row = found[0]!;
      const line = `README.md:${row.line}: ${rule.id}`;
      if (row.family !== rule.family) problems.push(`${line} is under ${row.family}, not its family ${rule.family}`);
      if (row.link !== basename(rule.docs) || !existsSync(join(RULES_DIR, row.link))) problems.push(`${line} links ${row.link}, not its page ${rule.docs}`);
      if (row.title !== rule.title) problems.push(`${line} title "${row.title}" is not "${rule.title}"; use: ${want}`);
      const levels = row.severity.split(" / ");
      if (levels[0] !== rule.severity || !levels.every((l) => SEVERITIES.includes(l)) || new Set(levels).size !== levels.length) {
        problems.push(`${line} severity "${row.severity}" does not start with its default severity ${rule.severity}; use: ${want}`);
      }
      if (row.severity !== pageSeverity(rule.id)) problems.push(`${line} severity "${row.severity}" differs from its page's "${pageSeverity(rule.id)}"`);
      if (row.waivable !== (rule.waivable ? "yes" : "no")) problems.push(`${line} waivable "${row.waivable}" is not ${rule.waivable ? "yes" : "no"}; use: ${want}`);
    }
    const known = new Set(paged.map((r) => r.id));
    for (const row of rows) if (!known.has(row.id)) problems.push(`README.md:${row.line}: ${row.id} is not a rule the metadata lists; remove the row`);
    expect(problems).toEqual([]);
  });

  it("lists each family's rules in id order", () => {
    for (const family of new Set(rows.map((r) => r.family))) {
      const ids = rows.filter((r) => r.family === family).map((r) => r.id);
      expect(ids, family).toEqual([...ids].sort());
    }
  });

  it("indexes every page in docs/rules, and every page opens with its rule's id and title", () => {
    const pages = readdirSync(RULES_DIR).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => f.slice(0, -3)).sort();
    expect(pages.filter((id) => !rows.some((r) => r.id === id)), "pages missing from the index").toEqual([]);
    const titles = new Map(catalogue.map((r) => [r.id, r.title]));
    const headings = pages
      .map((id) => [id, readFileSync(join(RULES_DIR, `${id}.md`), "utf8").split("\n")[0]!.replaceAll("`", "")] as const)
      .filter(([id, heading]) => heading !== `# ${id} — ${titles.get(id)}`)
      .map(([id, heading]) => `${id}.md opens with "${heading}", not "# ${id} — ${titles.get(id)}"`);
    expect(headings).toEqual([]);
  });

  it("describes the waiver rules, with their severities, in its WVR section", () => {
    const section = sections.get("WVR") ?? "";
    expect(section, "a `## WVR — waivers` section").not.toBe("");
    const waiverRules = { ...WAIVER_RULES, ...Object.fromEntries(catalogue.filter((r) => r.family === "WVR").map((r) => [r.id, r.severity])) };
    for (const [id, severity] of Object.entries(waiverRules)) {
      const entry = section.split(/\n(?=- )/).find((item) => item.includes(`**${id}**`));
      expect(entry, `${id} in the WVR section`).toBeDefined();
      expect(entry!.replace(/\s+/g, " "), id).toContain(`Severity ${severity}.`);
    }
  });
});
