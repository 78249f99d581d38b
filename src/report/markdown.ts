// The summary a reviewer reads: in a pull-request comment and in a GitHub job summary (the same
// document serves both). The result and fail-on first, then the counts by severity, then one table
// of findings per model with findings, then the shared files and files no model owns, then the
// models without any finding in one line.
//
// Within a table, open findings come most severe first and waived ones last. When the document
// would be longer than `maxLength` (GitHub refuses a comment over 65,536 characters), findings are
// left out from the least severe up, taking one from each model's end in turn so that every model
// keeps its most severe findings; each table says how many of its findings it left out, and the
// last line says how many in all and how to see them.
import { compareFindings, compareStrings, SEVERITY_RANK, type Finding, type Severity } from "../types.js";
import { plural, waiverText, type Report, type ReportModel } from "./index.js";

export interface MarkdownOptions {
  /** Prefix that makes a location a link: `linkBase + file + "#L" + line`, used as given (e.g. `https://github.com/o/r/blob/<sha>/`). */
  linkBase?: string;
  /** The longest document to write, in UTF-16 code units (at least GitHub's count of characters). */
  maxLength?: number;
}

export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;

const SEVERITIES: Severity[] = ["error", "warning", "info"];
const SHARED_HEADING = "Shared files, and files no model owns";

/** 0, 1, 2: open error, warning, info; 3: waived, of any severity. Lower is shown first and kept longest. */
function tierOf(f: Finding): number {
  return f.status === "waived" ? 3 : 3 - SEVERITY_RANK[f.severity];
}

interface Section {
  heading: string;
  notes: string[];
  /** Display order: tier, then location. */
  rows: Array<{ finding: Finding; text: string }>;
}

export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const { sections, passing } = buildSections(report, options.linkBase);
  const total = sections.reduce((n, s) => n + s.rows.length, 0);

  // Which rows stay longest when some must go: by tier, then round-robin over the sections.
  const order: Array<{ section: number; row: number; tier: number; rank: number }> = [];
  sections.forEach((section, s) => {
    const seen = new Map<number, number>();
    section.rows.forEach((row, r) => {
      const tier = tierOf(row.finding);
      const rank = seen.get(tier) ?? 0;
      seen.set(tier, rank + 1);
      order.push({ section: s, row: r, tier, rank });
    });
  });
  order.sort((a, b) => a.tier - b.tier || a.rank - b.rank || a.section - b.section || a.row - b.row);

  const render = (keep: number) => {
    const kept = sections.map(() => new Set<number>());
    for (const { section, row } of order.slice(0, keep)) kept[section]!.add(row);
    const body = renderDocument(report, sections, kept, passing);
    return keep < total ? `${body}\n${leftOutLine(total - keep, total, maxLength)}\n` : body;
  };

  const full = render(total);
  if (full.length <= maxLength) return full;
  if (render(0).length > maxLength) return hardCut(renderDocument(report, sections, sections.map(() => new Set()), passing), total, maxLength);
  // The longest prefix of `order` that fits: render(lo) fits, render(hi) does not.
  let lo = 0;
  let hi = total;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (render(mid).length <= maxLength) lo = mid;
    else hi = mid;
  }
  return render(lo);
}

function buildSections(report: Report, linkBase: string | undefined): { sections: Section[]; passing: string[] } {
  const byModel = new Map<string, Finding[]>();
  const shared: Finding[] = [];
  const affected = new Set<string>();
  for (const f of report.findings) {
    for (const name of f.models) affected.add(name);
    if (f.model === null) {
      shared.push(f);
      continue;
    }
    affected.add(f.model);
    if (!byModel.has(f.model)) byModel.set(f.model, []);
    byModel.get(f.model)!.push(f);
  }
  // Every model in the report, and any model a finding names that the report lacks, by name.
  const models = new Map<string, ReportModel | null>();
  for (const model of [...report.models].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file))) {
    if (!models.has(model.name)) models.set(model.name, model);
  }
  for (const name of byModel.keys()) if (!models.has(name)) models.set(name, null);
  const names = [...models.keys()].sort(compareStrings);

  const rows = (findings: Finding[]) =>
    [...findings]
      .sort((a, b) => tierOf(a) - tierOf(b) || compareFindings(a, b))
      .map((finding) => ({ finding, text: row(finding, linkBase) }));
  const sections: Section[] = [];
  for (const name of names) {
    const model = models.get(name);
    const findings = byModel.get(name);
    if (!findings) continue;
    const about = [model?.tier, model?.owner].filter((v): v is string => typeof v === "string" && v !== "");
    sections.push({
      heading: cell(name) + (about.length > 0 ? ` (${about.map(cell).join(", ")})` : ""),
      notes: model?.status === "invalid" ? ["Its manifest is invalid: nothing else about this model was checked."] : [],
      rows: rows(findings),
    });
  }
  if (shared.length > 0) sections.push({ heading: SHARED_HEADING, notes: [], rows: rows(shared) });
  const passing = names.filter((name) => !affected.has(name));
  return { sections, passing };
}

function renderDocument(
  report: Report,
  sections: Section[],
  kept: Array<Set<number>>,
  passing: string[],
): string {
  const lines = header(report);
  sections.forEach((section, s) => {
    const shown = section.rows.filter((_, r) => kept[s]!.has(r));
    const left = section.rows.filter((_, r) => !kept[s]!.has(r));
    lines.push(`### ${section.heading}`, "");
    for (const note of section.notes) lines.push(note, "");
    if (shown.length > 0) {
      lines.push("| severity | rule | location | message |", "| --- | --- | --- | --- |");
      for (const row of shown) lines.push(row.text);
      lines.push("");
    }
    if (left.length > 0) lines.push(`_${plural(left.length, "more finding")} not shown (${tally(left.map((r) => r.finding))})._`, "");
  });
  if (passing.length > 0) lines.push(`Passing: ${passing.map(cell).join(", ")}`, "");
  return lines.join("\n").replace(/\n+$/, "") + "\n";
}

function header(report: Report): string[] {
  const { summary } = report;
  const mark = report.result === "failed" ? "❌ obsgate failed" : "✅ obsgate passed";
  const waived: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) if (f.status === "waived") waived[f.severity]++;
  return [
    `## ${mark} (fail-on: ${report.failOn})`,
    "",
    `${plural(summary.models, "model")}; files: ${summary.files.evaluated} evaluated, ${summary.files.skipped} skipped, ${summary.files.invalid} invalid.`,
    "",
    "| severity | open | waived |",
    "| --- | ---: | ---: |",
    ...SEVERITIES.map((s) => `| ${s} | ${summary.open[s]} | ${waived[s]} |`),
    "",
    ...(report.changedSince
      ? [
          `Changed since \`${report.changedSince.ref.replaceAll("`", "")}\` (${report.changedSince.base.slice(0, 12)}): ` +
            (report.changedSince.everything
              ? "a change to the config, waivers, a policy or data touches every model."
              : `${plural(summary.preExisting ?? 0, "open finding")} outside the changed models and files ${(summary.preExisting ?? 0) === 1 ? "is" : "are"} pre-existing and ${(summary.preExisting ?? 0) === 1 ? "does" : "do"} not fail the run.`),
          "",
        ]
      : []),
  ];
}

function row(f: Finding, linkBase: string | undefined): string {
  const severity = f.status === "waived" ? `${f.severity} (waived)` : f.preExisting ? `${f.severity} (pre-existing)` : f.severity;
  const rule = /^https?:\/\//.test(f.docs) ? `[${cell(f.rule)}](${url(f.docs)})` : cell(f.rule);
  const where = `${f.file}:${f.line}`;
  const label = where.includes("`") ? cell(where).replace(/[[\]]/g, (c) => `\\${c}`) : "`" + where.replace(/[\r\n]+/g, " ").replaceAll("|", "\\|") + "`";
  const location = linkBase === undefined ? label : `[${label}](${linkBase.replaceAll("|", "%7C")}${path(f.file)}#L${f.line})`;
  const shared = f.models.length > 1 ? ` (models: ${f.models.join(", ")})` : "";
  // A waived finding says by what, on a line of its own in the cell: a reviewer sees who accepted it and until when.
  const waiver = f.waiver ? `\n${waiverText(f.waiver)}` : "";
  return `| ${severity} | ${rule} | ${location} | ${cell(f.message + shared + waiver)} |`;
}

function tally(findings: Finding[]): string {
  const parts: string[] = [];
  for (const severity of SEVERITIES) {
    const n = findings.filter((f) => f.status === "open" && f.severity === severity).length;
    if (n > 0) parts.push(`${n} ${severity}`);
  }
  const waived = findings.filter((f) => f.status === "waived").length;
  if (waived > 0) parts.push(`${waived} waived`);
  return parts.join(", ");
}

function leftOutLine(hidden: number, total: number, maxLength: number): string {
  return (
    `**${hidden} of ${plural(total, "finding")} not shown, to keep this under ${maxLength} characters.** ` +
    "Run `obsgate check --format json` to see them all."
  );
}

/** When even the document without any finding is too long (thousands of models), cut it after a block. */
function hardCut(document: string, total: number, maxLength: number): string {
  const findings = total > 0 ? `, and ${total} of ${plural(total, "finding")} with it` : "";
  const note =
    `**The rest of this summary is not shown${findings}, to keep it under ${maxLength} characters.** ` +
    "Run `obsgate check --format json` to see it all.\n";
  // Whole blocks (a table, a paragraph, a heading with the block under it), a blank line after each, then the note.
  const blocks = document.replace(/\n+$/, "").split("\n\n");
  let out = "";
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!.startsWith("#") && i + 1 < blocks.length ? `${blocks[i]}\n\n${blocks[++i]}` : blocks[i]!;
    if (out.length + block.length + 2 + note.length > maxLength) break;
    out += `${block}\n\n`;
  }
  return out + note;
}

/**
 * Text in a table cell or heading, escaped only as far as needed: `\` and `|` (cell borders),
 * newlines (`<br>`), and `<` and `&` where they would start an HTML tag or an entity.
 */
export function cell(value: string): string {
  return value
    .replace(/[\\|]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
    .replace(/<(?=[A-Za-z/!?])/g, "&lt;")
    .replace(/\r\n|\r|\n/g, "<br>");
}

/** A repository path as a URL path: each segment percent-encoded, and the parentheses that end a markdown link too. */
function path(file: string): string {
  return file.split("/").map((segment) => url(encodeURIComponent(segment))).join("/");
}

function url(value: string): string {
  return value.replace(/[()|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
