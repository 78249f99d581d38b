// The audit document as data: every fact a reviewer reads, taken from a verified Statement (and,
// with --previous, the changes since an earlier one), in the order the document shows them. The
// HTML and Markdown renderers only lay this out, so the two formats cannot disagree on a fact.
// Pure: evidence lines arrive already read (and their digests checked) by the CLI.
import { parseUtcDate, utcDay } from "../clock.js";
import type { AttestedFinding, AttestedFindingWaiver, AttestedModel, AttestedResult, AttestedWaiver, ControlStatus, Statement } from "../attest/index.js";
import { NON_FILE_SUBJECT_PREFIX } from "../attest/index.js";
import { compareStrings, type Severity } from "../types.js";
import { attestationChanges, type AttestationChanges } from "./changes.js";

/** Whose word the document is: a pinned key's, or nobody's (`--unverified`). */
export type Verification = { verified: true; keyid: string } | { verified: false; claimedKeyid: string | null };

/** Why a finding's file cannot be quoted. */
export type EvidenceGap = "no-root" | "missing" | "mismatch" | "unsafe-path" | "not-a-subject";

/** A finding file's text, read under --root and found to have its subject's digest; or why not. */
export type EvidenceFile = { text: string } | { gap: Exclude<EvidenceGap, "no-root"> };

export interface AuditOptions {
  verification: Verification;
  /** Null without --root; else each finding file's evidence, by repository-relative path. */
  evidence: ReadonlyMap<string, EvidenceFile> | null;
  /** The earlier attestation of the same repository (`--previous`), verified the same way. */
  previous?: { statement: Statement; verification: Verification } | null;
}

/** Lines shown either side of the line a finding points at. */
export const EVIDENCE_CONTEXT_LINES = 2;

export const EVIDENCE_GAP_TEXT: Record<EvidenceGap, string> = {
  "no-root": "not shown: the report was made without --root, so no file was read",
  missing: "not shown: the file is not under --root",
  mismatch: "not shown: the file under --root is not the one attested (its sha256 differs), so its lines are not what was checked",
  "unsafe-path": "not shown: the path does not stay under --root",
  "not-a-subject": "not shown: the attestation vouches for no digest of this file",
};

export const CONTROL_STATUS_TEXT: Record<ControlStatus, string> = {
  passed: "passed",
  failed: "failed",
  waived: "waived",
  "not-applicable": "not applicable",
};

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
export const RESULTS: readonly AttestedResult[] = ["FAILED", "WARNED", "PASSED"];

export interface EvidenceLine {
  number: number;
  text: string;
  /** The line the finding points at. */
  target: boolean;
}

export type Evidence = { lines: EvidenceLine[] } | { gap: EvidenceGap };

export interface AuditWaiver {
  source: "file" | "inline";
  /** Where the waiver is written, `file:line`. */
  location: string;
  rule: string | null;
  owner: string | null;
  reason: string | null;
  ticket: string | null;
  expires: string | null;
  /** Days from the evaluation's UTC day to the last day it applies; negative once past; null without an expiry. */
  daysToExpiry: number | null;
  status: "applied" | "expired";
  /** Findings it covers (applied) or that are open again (expired). */
  findings: number;
}

export interface AuditFinding {
  rule: string;
  title: string;
  severity: Severity;
  status: "open" | "waived";
  location: string;
  pointer: string;
  message: string;
  models: string[];
  waiver: AuditWaiver | null;
  evidence: Evidence;
}

export interface AuditControl {
  rule: string;
  title: string;
  family: string;
  severity: Severity;
  status: ControlStatus;
}

export interface AuditModel {
  /** A stable anchor: the model's place in the list, never its (untrusted) name. */
  anchor: string;
  name: string;
  version: string | null;
  owner: string | null;
  tier: string | null;
  riskClass: string | null;
  manifest: string;
  result: AttestedResult;
  controls: AuditControl[];
  controlCounts: Record<ControlStatus, number>;
  findings: AuditFinding[];
  waivers: AuditWaiver[];
}

export interface FamilyCounts {
  family: string;
  open: Record<Severity, number>;
  waived: number;
}

export interface AuditFile {
  path: string;
  kind: string;
  status: "evaluated" | "skipped" | "invalid";
  reason: string | null;
  /** The attested digest; null for a file that took no part in the run (skipped). */
  sha256: string | null;
}

export interface AuditDocument {
  title: string;
  verification: Verification;
  cover: {
    repository: string | null;
    commit: string | null;
    ref: string | null;
    dirty: boolean | null;
    timeEvaluated: string;
    result: AttestedResult;
    failOn: string;
    ciRunUrl: string | null;
    obsgateVersion: string;
    evaluatorSha256: string;
    policySets: Array<{ name: string; sha256: string; opaVersion: string | null }>;
  };
  summary: {
    modelsByResult: Record<AttestedResult, number>;
    findingsByFamily: FamilyCounts[];
    open: Record<Severity, number>;
    waived: number;
    controls: { passed: number; failed: number; waived: number; notApplicable: number };
    files: { evaluated: number; skipped: number; invalid: number };
  };
  /** Whether the report was made with --root (evidence could be quoted at all). */
  evidenceRoot: boolean;
  models: AuditModel[];
  /** Findings in files no model owns. */
  unownedFindings: AuditFinding[];
  /** Expired waivers no model's findings name (a waivers-file entry for the whole fleet, say). */
  otherWaivers: AuditWaiver[];
  files: AuditFile[];
  /** `obsgate:` subjects: built-in or compiled policy modules, which are no files. */
  artefacts: Array<{ name: string; sha256: string }>;
  changes: AttestationChanges | null;
}

/** The document for one verified Statement. The same inputs give a deep-equal document. */
export function auditDocument(statement: Statement, options: AuditOptions): AuditDocument {
  const predicate = statement.predicate;
  const evaluatedDay = utcDay(new Date(predicate.timeEvaluated));
  const rules = new Map(predicate.rules.map((r) => [r.id, r]));
  const title = (rule: string) => rules.get(rule)?.title ?? rule;
  const evidenceOf = (finding: AttestedFinding): Evidence => {
    if (options.evidence === null) return { gap: "no-root" };
    const file = options.evidence.get(finding.file) ?? { gap: "not-a-subject" as const };
    return "gap" in file ? file : { lines: evidenceLines(file.text, finding.line) };
  };
  const waiverOf = (waiver: AttestedFindingWaiver | AttestedWaiver, status: AuditWaiver["status"], findings: number, rule: string | null): AuditWaiver => ({
    source: waiver.source,
    location: `${waiver.file}:${waiver.line}`,
    rule,
    owner: waiver.owner,
    reason: waiver.reason,
    ticket: waiver.ticket,
    expires: waiver.expires,
    daysToExpiry: daysBetween(evaluatedDay, waiver.expires),
    status,
    findings,
  });
  // A finding's waiver is the run's record of it (with its rule and count) when there is one.
  const records = new Map(predicate.waivers.applied.map((w) => [`${w.file}:${w.line}:${w.column}`, w]));
  const findingOf = (finding: AttestedFinding): AuditFinding => {
    const record = finding.waiver ? records.get(`${finding.waiver.file}:${finding.waiver.line}:${finding.waiver.column}`) : undefined;
    return {
      rule: finding.rule,
      title: title(finding.rule),
      severity: finding.severity,
      status: finding.status,
      location: `${finding.file}:${finding.line}:${finding.column}`,
      pointer: finding.pointer,
      message: finding.message,
      models: finding.models,
      waiver: finding.waiver ? waiverOf(record ?? finding.waiver, "applied", record?.findings ?? 1, record?.rule ?? finding.rule) : null,
      evidence: evidenceOf(finding),
    };
  };

  const expired = predicate.waivers.expired.map((w) => ({ record: w, waiver: waiverOf(w, "expired", w.findings, w.rule) }));
  const claimed = new Set<AttestedWaiver>();
  const models = predicate.models.map((model, index): AuditModel => {
    const findings = model.findings.map(findingOf);
    const waivers = uniqueWaivers(findings.flatMap((f) => (f.waiver ? [f.waiver] : [])));
    for (const { record, waiver } of expired) {
      if (expiredWaiverConcerns(record, model)) {
        claimed.add(record);
        waivers.push(waiver);
      }
    }
    const controls = model.controls.map((c): AuditControl => {
      const rule = rules.get(c.rule);
      return { rule: c.rule, title: title(c.rule), family: rule?.family ?? "", severity: rule?.severity ?? "info", status: c.status };
    });
    const controlCounts: Record<ControlStatus, number> = { passed: 0, failed: 0, waived: 0, "not-applicable": 0 };
    for (const control of controls) controlCounts[control.status]++;
    return {
      anchor: `model-${index + 1}`,
      name: model.name,
      version: model.version,
      owner: model.owner,
      tier: model.tier,
      riskClass: model.riskClass,
      manifest: model.file,
      result: model.result,
      controls,
      controlCounts,
      findings,
      waivers,
    };
  });

  const modelsByResult: Record<AttestedResult, number> = { FAILED: 0, WARNED: 0, PASSED: 0 };
  for (const model of predicate.models) modelsByResult[model.result]++;
  const subjects = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));

  return {
    title: `Observability compliance audit: ${predicate.repository ?? "repository not recorded"}`,
    verification: options.verification,
    cover: {
      repository: predicate.repository,
      commit: predicate.source.commit,
      ref: predicate.source.ref,
      dirty: predicate.source.dirty,
      timeEvaluated: predicate.timeEvaluated,
      result: predicate.result,
      failOn: predicate.failOn,
      ciRunUrl: predicate.invocation.ciRunUrl,
      obsgateVersion: predicate.evaluator.version,
      evaluatorSha256: predicate.evaluator.digest.sha256,
      policySets: predicate.policySets.map((p) => ({ name: p.name, sha256: p.sha256, opaVersion: p.opaVersion })),
    },
    summary: {
      modelsByResult,
      findingsByFamily: familyCounts(predicate),
      open: predicate.summary.findings.open,
      waived: predicate.summary.findings.waived,
      controls: predicate.summary.controls,
      files: predicate.summary.files,
    },
    evidenceRoot: options.evidence !== null,
    models,
    unownedFindings: predicate.unownedFindings.map(findingOf),
    otherWaivers: expired.filter(({ record }) => !claimed.has(record)).map(({ waiver }) => waiver),
    files: predicate.files.map((f) => ({ path: f.path, kind: f.kind, status: f.status, reason: f.reason, sha256: subjects.get(f.path) ?? null })),
    artefacts: statement.subject.filter((s) => s.name.startsWith(NON_FILE_SUBJECT_PREFIX)).map((s) => ({ name: s.name, sha256: s.digest.sha256 })),
    changes: options.previous ? attestationChanges(options.previous.statement, statement, options.previous.verification) : null,
  };
}

/** The lines around `line` (1-based), numbered; empty when the file is shorter than that. */
export function evidenceLines(text: string, line: number): EvidenceLine[] {
  const all = text.split(/\r\n|\r|\n/);
  const first = Math.max(1, line - EVIDENCE_CONTEXT_LINES);
  const last = Math.min(all.length, line + EVIDENCE_CONTEXT_LINES);
  const lines: EvidenceLine[] = [];
  for (let n = first; n <= last; n++) lines.push({ number: n, text: all[n - 1]!, target: n === line });
  return lines;
}

/** Whole UTC days from `fromDay` to the last day `expires` applies; null without an expiry. */
export function daysBetween(fromDay: number, expires: string | null): number | null {
  if (expires === null) return null;
  const day = parseUtcDate(expires);
  return day === null ? null : day - fromDay;
}

/** `in 12 days`, `today (last day)`, `3 days ago`: how a waiver's expiry reads next to its date. */
export function expiryText(waiver: Pick<AuditWaiver, "expires" | "daysToExpiry">): string {
  if (waiver.expires === null) return "no expiry";
  const days = waiver.daysToExpiry;
  if (days === null) return waiver.expires;
  if (days === 0) return `${waiver.expires} (its last day at evaluation)`;
  const count = `${Math.abs(days)} day${Math.abs(days) === 1 ? "" : "s"}`;
  return days > 0 ? `${waiver.expires} (${count} left at evaluation)` : `${waiver.expires} (expired ${count} before evaluation)`;
}

/** An expired waiver belongs to a model when it selects the model, or a file the model's findings are in. */
function expiredWaiverConcerns(waiver: AttestedWaiver, model: AttestedModel): boolean {
  if (waiver.selector.model !== null) return waiver.selector.model === model.name;
  const file = waiver.selector.file ?? (waiver.source === "inline" ? waiver.file : null);
  return file !== null && (file === model.file || model.findings.some((f) => f.file === file));
}

function uniqueWaivers(waivers: AuditWaiver[]): AuditWaiver[] {
  const seen = new Map<string, AuditWaiver>();
  for (const waiver of waivers) if (!seen.has(waiver.location)) seen.set(waiver.location, waiver);
  return [...seen.values()];
}

function familyCounts(predicate: Statement["predicate"]): FamilyCounts[] {
  const familyOf = new Map(predicate.rules.map((r) => [r.id, r.family]));
  const byFamily = new Map<string, FamilyCounts>();
  // Each finding once: a shared file's finding is in several models' lists.
  const findings = new Map<string, AttestedFinding>();
  for (const finding of [...predicate.models.flatMap((m) => m.findings), ...predicate.unownedFindings]) {
    findings.set(`${finding.file}\0${finding.line}\0${finding.column}\0${finding.rule}\0${finding.pointer}\0${finding.message}`, finding);
  }
  for (const finding of findings.values()) {
    const family = familyOf.get(finding.rule) ?? finding.rule.replace(/-.*$/, "");
    let counts = byFamily.get(family);
    if (!counts) byFamily.set(family, (counts = { family, open: { error: 0, warning: 0, info: 0 }, waived: 0 }));
    if (finding.status === "waived") counts.waived++;
    else counts.open[finding.severity]++;
  }
  return [...byFamily.values()].sort((a, b) => compareStrings(a.family, b.family));
}
