// Stage 5, report: findings, file records and models → the Report value, and one pure function per
// output format, `(report, options) => string`, behind one registry.
import type { FailOn } from "../config/index.js";
import { compareStrings, SEVERITY_RANK, type FileRecord, type Finding, type RuleMetadata, type Severity } from "../types.js";

export const REPORT_API_VERSION = "obsgate.dev/report/v1";

/** Per signal: what the manifest declares and what its backends enforce (null where unknown). */
export interface ReportRetention {
  declaredSeconds: number | null;
  /** Null when no backend config is named for the signal. */
  enforced: {
    /** Null: the backend never deletes this signal. */
    seconds: number | null;
    backend: string;
    setting: string;
    /** The config does not set it: this is the backend's documented default. */
    isDefault: boolean;
    file: string;
  } | null;
}

export interface ReportModel {
  name: string;
  version: string | null;
  owner: string | null;
  tier: string | null;
  riskClass: string | null;
  file: string;
  line: number;
  /** `invalid` when its manifest broke the schema: nothing else about it was checked. */
  status: "evaluated" | "invalid";
  /** Retention per signal; null for an invalid manifest. */
  retention: { metrics: ReportRetention; logs: ReportRetention; traces: ReportRetention } | null;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface Report {
  apiVersion: typeof REPORT_API_VERSION;
  tool: { name: "obsgate"; version: string; policies: Array<{ name: string; sha256: string; opaVersion: string | null }> };
  failOn: FailOn;
  /** `failed` when an open finding is at or above `failOn`. */
  result: "passed" | "failed";
  summary: {
    models: number;
    files: Record<FileRecord["status"], number>;
    open: SeverityCounts;
    waived: number;
  };
  files: FileRecord[];
  models: ReportModel[];
  findings: Finding[];
  /** Metadata of every rule that ran, sorted by id. */
  rules: RuleMetadata[];
}

export interface ReportInput {
  version: string;
  policies: Report["tool"]["policies"];
  failOn: FailOn;
  files: FileRecord[];
  models: ReportModel[];
  findings: Finding[];
  rules: Iterable<RuleMetadata>;
}

export function blocks(finding: Finding, failOn: FailOn): boolean {
  return finding.status === "open" && failOn !== "never" && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
}

export function buildReport(input: ReportInput): Report {
  const files = [...input.files]
    .sort((a, b) => compareStrings(a.path, b.path));
  const open = { error: 0, warning: 0, info: 0 };
  let waived = 0;
  for (const finding of input.findings) {
    if (finding.status === "waived") waived++;
    else open[finding.severity]++;
  }
  const count = (status: FileRecord["status"]) => files.filter((f) => f.status === status).length;
  return {
    apiVersion: REPORT_API_VERSION,
    tool: { name: "obsgate", version: input.version, policies: input.policies },
    failOn: input.failOn,
    result: input.findings.some((f) => blocks(f, input.failOn)) ? "failed" : "passed",
    summary: {
      models: input.models.length,
      files: { evaluated: count("evaluated"), skipped: count("skipped"), invalid: count("invalid") },
      open,
      waived,
    },
    files,
    models: [...input.models].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file)),
    findings: input.findings,
    rules: [...input.rules].sort((a, b) => compareStrings(a.id, b.id)),
  };
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.status === "open") counts[f.severity]++;
  return counts;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export type { Severity };
