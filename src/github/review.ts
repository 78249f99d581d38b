// The document a reviewer reads, in the sticky pull-request comment and in the job summary: the
// markdown report (src/report/markdown.ts) with links to the exact lines at the head commit, then
// the waivers about to expire and how to reproduce the run locally. The comment starts with a
// hidden marker by which the next run finds it again. Pure.
import { formatUtcDate, parseUtcDate, utcDay } from "../clock.js";
import type { FailOn } from "../config/index.js";
import { formatMarkdown } from "../report/markdown.js";
import { plural, type Report } from "../report/index.js";
import { compareStrings, type WaiverRecord } from "../types.js";

/** GitHub refuses an issue comment longer than this many characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** GitHub refuses a step's job summary larger than 1 MiB. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;
/** A waiver that ends within this many days is listed as about to expire. */
export const EXPIRING_WITHIN_DAYS = 14;
const EXPIRING_SHOWN = 20;

/** The hidden first line of obsgate's comment; `key` (the SARIF category) lets several obsgate steps keep one comment each. */
export function commentMarker(key: string | undefined): string {
  return key === undefined ? "<!-- obsgate:pr-comment -->" : `<!-- obsgate:pr-comment:${key.replace(/-->|[\r\n]/g, "_")} -->`;
}

export interface ReviewOptions {
  /** `https://github.com/o/r/blob/<head sha>/` plus the checked root's folder within the repository. */
  linkBase: string;
  now: Date;
  /** The command that reproduces the run locally. */
  reproduce: string;
  /** The workflow run's page, when known. */
  runUrl: string | null;
}

/** The sticky comment's body: the marker, then the review document, within GitHub's 65,536 characters. */
export function commentBody(report: Report, options: ReviewOptions & { marker: string }): string {
  return fitted(report, options, `${options.marker}\n`, (text) => text.length <= MAX_COMMENT_CHARS);
}

/** The job summary: the same document, within 1 MiB of UTF-8. */
export function summaryDocument(report: Report, options: ReviewOptions): string {
  return fitted(report, options, "", (text) => Buffer.byteLength(text, "utf8") <= MAX_SUMMARY_BYTES);
}

/** The markdown report given what room the head and tail leave, shrunk until the whole fits (UTF-8 can take 3 bytes a character). */
function fitted(report: Report, options: ReviewOptions, head: string, fits: (text: string) => boolean): string {
  const tail = `\n${[...expiringSection(report.waivers, options.now), ...reproduceSection(options)].join("\n")}\n`;
  let room = MAX_COMMENT_CHARS - 536;
  if (head === "") room = MAX_SUMMARY_BYTES - 1024;
  room -= head.length + tail.length;
  for (;;) {
    const text = head + formatMarkdown(report, { linkBase: options.linkBase, maxLength: room }) + tail;
    if (fits(text) || room < 1024) return text;
    room = Math.floor(room * 0.7);
  }
}

/** Applied waivers whose last day is within EXPIRING_WITHIN_DAYS of the run's clock, soonest first. */
export function expiringWaivers(waivers: readonly WaiverRecord[], now: Date): Array<WaiverRecord & { daysLeft: number }> {
  const today = utcDay(now);
  return waivers
    .filter((w) => w.status === "applied" && w.expires !== null)
    .map((w) => ({ ...w, daysLeft: parseUtcDate(w.expires!)! - today }))
    .filter((w) => w.daysLeft >= 0 && w.daysLeft <= EXPIRING_WITHIN_DAYS)
    .sort((a, b) => a.daysLeft - b.daysLeft || compareStrings(a.file, b.file) || a.line - b.line);
}

function expiringSection(waivers: readonly WaiverRecord[], now: Date): string[] {
  const expiring = expiringWaivers(waivers, now);
  if (expiring.length === 0) return [];
  const lines = [`### Waivers about to expire (within ${EXPIRING_WITHIN_DAYS} days of ${formatUtcDate(utcDay(now))})`, ""];
  for (const w of expiring.slice(0, EXPIRING_SHOWN)) {
    const what = [w.rule ?? "every rule", w.selector.model ? `model ${w.selector.model}` : null, w.selector.file ? `file ${w.selector.file}` : null].filter((p) => p !== null).join(", ");
    const who = [w.owner, w.ticket].filter((p) => p !== null).join(", ");
    const when = w.daysLeft === 0 ? "today" : `in ${plural(w.daysLeft, "day")}`;
    lines.push(`- \`${w.file.replaceAll("`", "'")}:${w.line}\`: ${what}${who ? ` (${who})` : ""}; last day ${w.expires}, ${when}; ${plural(w.findings, "finding")} open again after it`);
  }
  if (expiring.length > EXPIRING_SHOWN) lines.push(`- and ${expiring.length - EXPIRING_SHOWN} more`);
  return [...lines, ""];
}

function reproduceSection(options: ReviewOptions): string[] {
  return [
    "<details><summary>Reproduce locally</summary>",
    "",
    "```sh",
    options.reproduce,
    "```",
    "",
    "</details>",
    ...(options.runUrl ? ["", `[Workflow run](${options.runUrl})`] : []),
  ];
}

export interface ReproduceOptions {
  workingDirectory: string;
  paths: readonly string[];
  config: string | undefined;
  policies: readonly string[];
  failOn: FailOn;
  /** The base branch of a pull request with only-changed, else null. */
  changedSince: string | null;
}

/** The `obsgate check` command line a developer runs from the repository's root to see the same result. */
export function reproduceCommand(o: ReproduceOptions): string {
  const args = ["obsgate", "check", ...o.paths];
  if (o.config !== undefined) args.push("--config", o.config);
  for (const policy of o.policies) args.push("--policy", policy);
  args.push("--fail-on", o.failOn);
  if (o.changedSince !== null) args.push("--changed-since", o.changedSince);
  const command = args.map(shellWord).join(" ");
  return o.workingDirectory === "." ? command : `cd ${shellWord(o.workingDirectory)} && ${command}`;
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
