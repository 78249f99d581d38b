// Waivers applied to findings: entries of the waivers file and `# obsgate:ignore` comments, judged by
// the run's one clock. A waiver in force turns the findings it selects from `open` to `waived` and
// travels with each of them; one past its day (WVR-001), one that matched nothing (WVR-002) and one
// that can never apply (WVR-003) become findings at the waiver's own line. Pure: the waivers were
// read and the findings made before this runs.
//
// Fails closed: a waiver that is invalid in any way waives nothing, so the finding stays open beside
// the WVR-003 that says why.
import { formatUtcDate, parseUtcDate, utcDay } from "../clock.js";
import type { WaiverEntry } from "../config/waivers.js";
import type { InlineIgnore } from "../load/index.js";
import { compareFindings, compareStrings, type AppliedWaiver, type Finding, type RuleMetadata, type WaiverRecord } from "../types.js";
import { fingerprint } from "./index.js";

export interface WaiverContext {
  /** The run's clock: a waiver holds through the end (UTC) of its `expires` day. */
  now: Date;
  /** How many days after the run's day a waiver may expire, at most. */
  maxWaiverDays: number;
  /** Every rule of the run (obsgate's own and every policy set's). */
  rules: ReadonlyMap<string, RuleMetadata>;
  /** The models and files this run checked: a waiver of others is out of scope, not unused. */
  models: ReadonlySet<string>;
  files: ReadonlySet<string>;
}

export interface WaiverOutcome {
  /** Every finding, the waived ones marked, the WVR findings added, sorted. */
  findings: Finding[];
  /** Every waiver read, sorted by where it is written. */
  waivers: WaiverRecord[];
}

/** One waiver, from the file or inline, in one shape. */
interface Candidate {
  record: Omit<WaiverRecord, "status" | "findings">;
  /** Where its WVR findings point: the entry, its `rule` and its `expires` (all one place inline). */
  at: Place;
  ruleAt: Place;
  expiresAt: Place;
  /** The inline comment's text and its occurrence among identical ones: its identity for fingerprints. */
  key: string | null;
  /** Why it can never apply, with the fix, before the clock or the findings are consulted (inline syntax). */
  syntaxProblem: { message: string; remediation: string } | null;
}

interface Place {
  line: number;
  column: number;
  pointer: string;
}

const RULE_ID = /^[A-Z]+-[0-9]{3}$/;

export function applyWaivers(
  findings: readonly Finding[],
  entries: readonly WaiverEntry[],
  ignores: readonly InlineIgnore[],
  context: WaiverContext,
): WaiverOutcome {
  // Inline ignores first: written beside the finding, they are the most specific.
  const candidates = [...ignores.map(inlineCandidate(ignores)), ...entries.map(fileCandidate)];
  const today = utcDay(context.now);
  const judged = candidates.map((c) => ({ candidate: c, verdict: judge(c, today, context) }));

  const matched = judged.map(() => 0);
  const out = findings.map((finding) => {
    let waiver: AppliedWaiver | null = null;
    judged.forEach(({ candidate, verdict }, i) => {
      if ((verdict.kind !== "active" && verdict.kind !== "expired") || !selects(candidate.record, finding)) return;
      matched[i]!++;
      if (verdict.kind === "active" && waiver === null) waiver = appliedWaiver(candidate.record);
    });
    return waiver === null ? finding : { ...finding, status: "waived" as const, waiver };
  });

  const records: WaiverRecord[] = [];
  judged.forEach(({ candidate, verdict }, i) => {
    const n = matched[i]!;
    const { record } = candidate;
    let status: WaiverRecord["status"];
    if (verdict.kind === "invalid") {
      status = "invalid";
      out.push(wvrFinding("WVR-003", candidate, verdict.at, verdict.message, verdict.remediation, context.rules));
    } else if (verdict.kind === "expired") {
      status = "expired";
      const open = n === 0 ? "it matches no finding now" : `${n} finding${n === 1 ? " it covered is" : "s it covered are"} open again`;
      out.push(wvrFinding("WVR-001", candidate, candidate.expiresAt,
        `${describe(record)} expired on ${record.expires} (its last day, UTC): ${open}`,
        n === 0
          ? "remove the waiver"
          : `fix the finding${n === 1 ? "" : "s"} and remove the waiver, or, after a new review, set a later \`${record.source === "inline" ? "until" : "expires"}\` (at most ${context.maxWaiverDays} days ahead)`,
        context.rules));
    } else if (n > 0) {
      status = "applied";
    } else if (inScope(record, context)) {
      status = "unused";
      out.push(wvrFinding("WVR-002", candidate, candidate.at,
        `${describe(record)} matched no finding${record.source === "inline" ? ` on line ${record.selector.line}` : ""}`,
        record.source === "inline"
          ? "remove the comment, or move it onto the line the finding points at (or the line just above it)"
          : "remove the waiver if the finding was fixed; otherwise correct its rule, model, file or pointer to those the report gives the finding",
        context.rules));
    } else {
      status = "out-of-scope";
    }
    records.push({ ...record, status, findings: n });
  });

  out.sort(compareFindings);
  records.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column);
  return { findings: out, waivers: records };
}

type Verdict =
  | { kind: "active" }
  | { kind: "expired" }
  | { kind: "invalid"; at: Place; message: string; remediation: string };

/** Whether a waiver can apply at all, and if so whether the run's day is past its last one. */
function judge(c: Candidate, today: number, context: WaiverContext): Verdict {
  const { record } = c;
  if (c.syntaxProblem) return { kind: "invalid", at: c.at, ...c.syntaxProblem };
  const rule = context.rules.get(record.rule!);
  if (!rule) {
    // The waivers file's unknown rules stopped the run earlier; only an inline comment gets here.
    return {
      kind: "invalid", at: c.ruleAt,
      message: `${describe(record)} names a rule no policy of this run defines: it waives nothing`,
      remediation: "correct the rule id (`obsgate rules` lists them)",
    };
  }
  const why = unwaivable(rule);
  if (why !== null) {
    return {
      kind: "invalid", at: c.ruleAt,
      message: `${describe(record)}: ${rule.id} cannot be waived (${why}), so it waives nothing`,
      remediation: `fix what ${rule.id} reports and remove the waiver`,
    };
  }
  if (record.expires === null) return { kind: "active" };
  const last = parseUtcDate(record.expires)!;
  if (last < today) return { kind: "expired" };
  if (last - today > context.maxWaiverDays) {
    return {
      kind: "invalid", at: c.expiresAt,
      message: `${describe(record)} expires on ${record.expires}, ${last - today} days after the run's day (${formatUtcDate(today)}), beyond the ${context.maxWaiverDays} days a waiver may run: it waives nothing`,
      remediation: `set \`${record.source === "inline" ? "until" : "expires"}\` no later than ${formatUtcDate(today + context.maxWaiverDays)}, or raise max-waiver-days in .obsgate.yaml`,
    };
  }
  return { kind: "active" };
}

/** Why a rule's findings can never be waived, or null when they can. */
function unwaivable(rule: RuleMetadata): string | null {
  if (rule.family === "INP" || rule.id.startsWith("INP-")) return "a file obsgate could not read or validate has unknown compliance";
  if (rule.family === "WVR" || rule.id.startsWith("WVR-")) return "a waiver problem is fixed in the waiver";
  return rule.waivable ? null : "its metadata says waivable: false";
}

/** Every selector field given must match; a pointer covers its node and everything under it. */
function selects(waiver: Candidate["record"], finding: Finding): boolean {
  const { selector } = waiver;
  if (finding.rule !== waiver.rule) return false;
  if (selector.model !== null && finding.model !== selector.model) return false;
  if (selector.file !== null && finding.file !== selector.file) return false;
  if (selector.pointer !== null && finding.pointer !== selector.pointer && !finding.pointer.startsWith(`${selector.pointer}/`)) return false;
  if (selector.line !== null && finding.line !== selector.line) return false;
  return true;
}

function inScope(waiver: Candidate["record"], context: WaiverContext): boolean {
  const { model, file } = waiver.selector;
  return (model === null || context.models.has(model)) && (file === null || context.files.has(file));
}

function appliedWaiver(record: Candidate["record"]): AppliedWaiver {
  const { source, file, line, column, owner, reason, ticket, expires } = record;
  return { source, file, line, column, owner, reason: reason!, ticket, expires };
}

/** "waiver of ALR-006 (model fraud-detector, file a.yaml)" or "inline ignore of ALR-006". */
function describe(record: Candidate["record"]): string {
  if (record.source === "inline") return record.rule === null ? "inline ignore" : `inline ignore of ${record.rule}`;
  const { model, file, pointer } = record.selector;
  const parts = [model !== null ? `model ${model}` : null, file !== null ? `file ${file}` : null, pointer !== null ? `pointer ${pointer}` : null];
  return `waiver of ${record.rule} (${parts.filter((p) => p !== null).join(", ")}; owner ${record.owner}${record.ticket !== null ? `, ticket ${record.ticket}` : ""})`;
}

function fileCandidate(entry: WaiverEntry): Candidate {
  return {
    record: {
      source: "file",
      file: entry.file,
      line: entry.line,
      column: entry.column,
      rule: entry.rule,
      selector: { model: entry.model, file: entry.target, pointer: entry.targetPointer, line: null },
      owner: entry.owner,
      reason: entry.reason,
      ticket: entry.ticket,
      expires: entry.expires,
    },
    at: { line: entry.line, column: entry.column, pointer: entry.pointer },
    ruleAt: { ...entry.ruleAt, pointer: `${entry.pointer}/rule` },
    expiresAt: { ...entry.expiresAt, pointer: `${entry.pointer}/expires` },
    key: null,
    syntaxProblem: null,
  };
}

function inlineCandidate(all: readonly InlineIgnore[]): (ignore: InlineIgnore, index: number) => Candidate {
  return (ignore, index) => {
    // A comment has no JSON pointer: identical comments in one file are told apart by their order.
    const occurrence = all.slice(0, index).filter((o) => o.file === ignore.file && o.text === ignore.text).length;
    const place: Place = { line: ignore.line, column: ignore.column, pointer: "" };
    return {
      record: {
        source: "inline",
        file: ignore.file,
        line: ignore.line,
        column: ignore.column,
        rule: ignore.rule,
        selector: { model: null, file: ignore.file, pointer: null, line: ignore.appliesTo },
        owner: null,
        reason: ignore.reason,
        ticket: null,
        expires: ignore.until !== null && parseUtcDate(ignore.until) !== null ? ignore.until : null,
      },
      at: place,
      ruleAt: place,
      expiresAt: place,
      key: `${ignore.text}\0${occurrence}`,
      syntaxProblem: inlineSyntaxProblem(ignore),
    };
  };
}

function inlineSyntaxProblem(ignore: InlineIgnore): Candidate["syntaxProblem"] {
  const form = "`# obsgate:ignore <RULE> -- <reason>`, optionally with `until YYYY-MM-DD`";
  if (ignore.rule === null || !RULE_ID.test(ignore.rule)) {
    return {
      message: ignore.rule === null ? "inline ignore names no rule: it waives nothing" : `inline ignore names \`${ignore.rule}\`, which is not a rule id: it waives nothing`,
      remediation: `write ${form}`,
    };
  }
  if (ignore.reason === null) {
    return {
      message: `inline ignore of ${ignore.rule} gives no reason: it waives nothing`,
      remediation: `say why after \`--\`: \`# obsgate:ignore ${ignore.rule} -- <reason>\``,
    };
  }
  if (ignore.until !== null && parseUtcDate(ignore.until) === null) {
    return {
      message: `inline ignore of ${ignore.rule}: \`until ${ignore.until}\` is not a date, so it waives nothing`,
      remediation: "write the last day it applies as a UTC date, `until YYYY-MM-DD`",
    };
  }
  return null;
}

function wvrFinding(
  rule: "WVR-001" | "WVR-002" | "WVR-003",
  candidate: Candidate,
  place: Place,
  message: string,
  remediation: string,
  rules: ReadonlyMap<string, RuleMetadata>,
): Finding {
  const metadata = rules.get(rule)!;
  const { file } = candidate.record;
  return {
    rule,
    severity: metadata.severity,
    status: "open",
    model: null,
    models: [],
    message,
    file,
    line: place.line,
    column: place.column,
    pointer: place.pointer,
    remediation,
    docs: metadata.docs,
    fingerprint: fingerprint(rule, file, place.pointer, null, candidate.key),
  };
}
