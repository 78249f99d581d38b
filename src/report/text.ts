// The default output: findings grouped by model, then files no model owns, then one summary line.
import { styleText } from "node:util";
import { compareStrings, type Finding, type Severity } from "../types.js";
import { plural, waiverText, type Report } from "./index.js";
import { tierNotes } from "./tiers.js";

export interface TextOptions {
  color: boolean;
}

type Style = Parameters<typeof styleText>[0];
const SEVERITY_STYLE: Record<Severity, Style> = { error: "red", warning: "yellow", info: "cyan" };

export function formatText(report: Report, options: TextOptions): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text);
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = finding.model ?? "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(finding);
  }
  const modelFile = new Map(report.models.map((m) => [m.name, m.file]));
  const names = [...groups.keys()].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : compareStrings(a, b)));
  for (const name of names) {
    const findings = groups.get(name)!;
    const heading = name === "" ? "Shared files, and files no model owns" : `${name} (${modelFile.get(name) ?? findings[0]!.file})`;
    lines.push(paint("bold", heading));
    const width = Math.max(...findings.map((f) => `${f.file}:${f.line}:${f.column}`.length));
    // Most rules give the same fix for each finding: say each fix once per model.
    const explained = new Set<string>();
    for (const f of findings) {
      const where = `${f.file}:${f.line}:${f.column}`.padEnd(width);
      const severity = f.status === "waived" ? paint("dim", "waived ") : paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(7));
      const shared = f.models.length > 1 ? ` [models: ${f.models.join(", ")}]` : "";
      const preExisting = f.preExisting ? paint("dim", ` [pre-existing]`) : "";
      lines.push(`  ${severity} ${paint("bold", f.rule)}  ${where}  ${f.message}${shared}${preExisting}`);
      if (f.waiver) lines.push(`          ${paint("dim", waiverText(f.waiver))}`);
      if (!explained.has(f.remediation)) lines.push(`          ${paint("dim", `fix: ${f.remediation}`)}`);
      explained.add(f.remediation);
    }
    lines.push("");
  }
  // What .obsgate.yaml changes per tier, when it changes anything (the JSON report has it all).
  const notes = tierNotes(report.tiers ?? []);
  if (notes.length > 0) lines.push(...notes.map((note) => paint("dim", note)), "");
  if (report.changedSince) {
    const { ref, base, everything } = report.changedSince;
    const scope = everything ? "a change to the config, waivers, a policy or data touches every model" : `findings outside the changed models and files are pre-existing`;
    lines.push(paint("dim", `changed since ${ref} (${base.slice(0, 12)}): ${scope}`), "");
  }
  lines.push(summaryLine(report, paint));
  return lines.join("\n") + "\n";
}

function summaryLine(report: Report, paint: (style: Style, text: string) => string): string {
  const { open, files, models, waived } = report.summary;
  const total = open.error + open.warning + open.info;
  const mark = report.result === "failed" ? paint("red", "✖ failed") : paint("green", "✔ passed");
  const counts = `${plural(open.error, "error")}, ${plural(open.warning, "warning")}, ${open.info} info`;
  const waivedText = waived > 0 ? `, ${waived} waived` : "";
  const preExisting = report.summary.preExisting;
  const preExistingText = preExisting !== undefined && preExisting > 0 ? `, ${preExisting} pre-existing` : "";
  return (
    `${mark}: ${plural(total, "finding")} (${counts}${waivedText}${preExistingText}) in ${plural(models, "model")}; ` +
    `files: ${files.evaluated} evaluated, ${files.skipped} skipped, ${files.invalid} invalid` +
    (report.failOn === "never" ? " (fail-on: never)" : ` (fail-on: ${report.failOn})`)
  );
}
