// The shapes every stage shares. Stages import this file and the stages to their left, never
// the ones to their right (docs/architecture.md).

export type Severity = "error" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** A place in a file, 1-based, as editors and `file:line:col` count it. */
export interface Position {
  line: number;
  column: number;
}

/** A problem in how obsgate was run (flags, config, policies): printed as `file:line:col: code: message`. */
export interface Diagnostic {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** JSON pointer (RFC 6901) → position of the node, for one YAML/JSON document. */
export type SourceMap = ReadonlyMap<string, Position>;

/** What a document is, judged by its content rather than its file name. */
export type DocumentKind =
  | "model-manifest"
  | "prometheus-rules"
  | "prometheus-rule-resource"
  | BackendKind;

/** A backend's own configuration, read for the retention, scrape settings or sampling it enforces. */
export type BackendKind =
  | "prometheus-config"
  | "prometheus-workload"
  | "prometheus-operator"
  | "prometheus-servicemonitor"
  | "prometheus-podmonitor"
  | "loki-config"
  | "loki-overrides"
  | "tempo-config"
  | "tempo-overrides"
  | "mimir-config"
  | "mimir-overrides"
  | "thanos-compact"
  | "otel-collector-config";

/** One parsed YAML/JSON document with the position of every node. */
export interface SourceDocument {
  /** Repository-relative path with `/` separators. */
  file: string;
  /** 0-based index of the document in a multi-document file. */
  index: number;
  value: unknown;
  sourceMap: SourceMap;
}

export type FileStatus = "evaluated" | "skipped" | "invalid";

/** Every discovered file ends up as one of these in the report. */
export interface FileRecord {
  path: string;
  kind: DocumentKind | "unknown";
  status: FileStatus;
  reason?: string;
}

export type FindingStatus = "open" | "waived";

/** A problem in the checked files, located on the exact line. */
export interface Finding {
  rule: string;
  severity: Severity;
  status: FindingStatus;
  /** The model the finding is about, or null for a file no model owns. */
  model: string | null;
  /** Every model the finding affects (a shared file affects several). */
  models: string[];
  message: string;
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the file as written (document index prefixed for multi-document files). */
  pointer: string;
  remediation: string;
  docs: string;
  /** Stable across unrelated edits: derived from rule, file, pointer and model only. */
  fingerprint: string;
  /** The waiver that covers it; present exactly when `status` is `waived`. */
  waiver?: AppliedWaiver;
  /**
   * With `--changed-since`: true when neither its file nor any model it affects changed since the
   * ref, so it does not decide the exit code; absent without `--changed-since`.
   */
  preExisting?: boolean;
}

/** A waiver as a waived finding carries it: where it is written, who accepted the risk, why, until when. */
export interface AppliedWaiver {
  /** `file`: an entry of the waivers file; `inline`: an `# obsgate:ignore` comment in the checked file. */
  source: "file" | "inline";
  file: string;
  line: number;
  column: number;
  /** Null for an inline ignore, which names no owner (the file's history does). */
  owner: string | null;
  reason: string;
  ticket: string | null;
  /** The last day it applies (UTC, `YYYY-MM-DD`); null for an inline ignore without `until`. */
  expires: string | null;
}

/** What became of one waiver in a run. */
export type WaiverStatus =
  /** It covers at least one finding. */
  | "applied"
  /** It matched no finding of a model or file the run checked (WVR-002). */
  | "unused"
  /** Its model or file was not checked in this run, so whether it is still needed is unknown. */
  | "out-of-scope"
  /** Past its last day: it covers nothing (WVR-001). */
  | "expired"
  /** It can never apply: an unwaivable rule, beyond the horizon, an inline ignore without a reason (WVR-003). */
  | "invalid";

/** Every waiver a run read, and what became of it: the record an audit of accepted risks needs. */
export interface WaiverRecord {
  source: AppliedWaiver["source"];
  /** Where the waiver is written. */
  file: string;
  line: number;
  column: number;
  /** The rule it waives, or null for an inline ignore that names none. */
  rule: string | null;
  /** What it selects; an inline ignore selects its file and the line it applies to. */
  selector: { model: string | null; file: string | null; pointer: string | null; line: number | null };
  owner: string | null;
  reason: string | null;
  ticket: string | null;
  expires: string | null;
  status: WaiverStatus;
  /** Findings it matched: those it covers when applied, those open again when expired. */
  findings: number;
}

/** Metadata of one rule, as policies expose it under `obsgate/metadata`. */
export interface RuleMetadata {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  docs: string;
  waivable: boolean;
  family: string;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Who a model is, as its manifest says: what every report and attestation names it by. */
export interface ModelIdentity {
  name: string;
  version: string | null;
  owner: string | null;
  tier: string | null;
  riskClass: string | null;
  /** Its manifest, repository-relative. */
  file: string;
}

/** What orders findings: their place, then what they are about. */
export type FindingPlace = Pick<Finding, "file" | "line" | "column" | "rule" | "model" | "pointer" | "message">;

export function compareFindings(a: FindingPlace, b: FindingPlace): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.model ?? "", b.model ?? "") ||
    compareStrings(a.pointer, b.pointer) ||
    compareStrings(a.message, b.message)
  );
}

/** Byte-wise ordering, independent of the machine's locale, so output is the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A problem in an input file found before any policy runs: the INP family of findings. */
export interface InputProblem {
  rule: "INP-001" | "INP-002" | "INP-003";
  file: string;
  line: number;
  column: number;
  pointer: string;
  message: string;
  /** What to change, specific to this problem. */
  remediation: string;
  /** The model whose manifest this is, when known. */
  model: string | null;
}
