// Stage 5, report: findings, file records and models → the Report value, and one pure function per
// output format, `(report, options) => string`, behind one registry.
import type { FailOn } from "../config/index.js";
import { compareStrings, SEVERITY_RANK, type FileRecord, type Finding, type RuleMetadata, type Severity, type WaiverRecord, type AppliedWaiver, type ModelIdentity } from "../types.js";

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

export interface ReportModel extends ModelIdentity {
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
  tool: {
    name: "obsgate";
    version: string;
    policies: Array<{ name: string; sha256: string; opaVersion: string | null }>;
    /** The `--data` files users' policies read (config's, then the command line's), with the SHA-256 of their bytes. */
    data: Array<{ path: string; sha256: string }>;
  };
  failOn: FailOn;
  /** `failed` when an open finding is at or above `failOn`. */
  result: "passed" | "failed";
  summary: {
    models: number;
    files: Record<FileRecord["status"], number>;
    open: SeverityCounts;
    waived: number;
    /** With `--changed-since`: open findings counted in `open` that are pre-existing and decide nothing. */
    preExisting?: number;
  };
  files: FileRecord[];
  models: ReportModel[];
  findings: Finding[];
  /** Metadata of every rule that ran, sorted by id. */
  rules: RuleMetadata[];
  /** Every waiver read (waivers file and inline ignores) and what became of it, sorted by location. */
  waivers: WaiverRecord[];
  /** Per tier that ran (critical, high, standard): its models and each rule's switch, severity and parameters. */
  tiers: ReportTier[];
  /** With `--changed-since`: the ref, the commit compared with, and the changed files the run read. */
  changedSince?: ReportChanges;
}

/** One rule as it ran in a tier. */
export interface ReportTierRule {
  id: string;
  /** False when `.obsgate.yaml` switches it off for the tier: its findings were dropped. */
  enabled: boolean;
  /** The severity its findings take in the tier: the config's, or the rule's default. */
  severity: Severity;
  /** Whether the config re-grades it in the tier (`{ severity: … }`); false: the policy grades each finding. */
  regraded: boolean;
  /** The parameters it received (`input.params.<id as alr_006>`), when it has any. */
  params?: Record<string, unknown>;
  /** Whether `.obsgate.yaml` changes anything about the rule in this tier (switch, severity or a parameter). */
  configured: boolean;
}

export interface ReportTier {
  tier: string;
  /** Models of the tier, sorted; rule files no model owns are checked as `standard`. */
  models: string[];
  rules: ReportTierRule[];
}

export interface ReportChanges {
  /** The ref as given to --changed-since. */
  ref: string;
  /** The merge base of the ref and HEAD: what changes are measured from. */
  base: string;
  /** Changed files (committed since the base, staged, unstaged or untracked) that the run read or that touch every model, sorted. */
  files: string[];
  /** True when a change to the config, the waivers file, a policy or a data file touched every model. */
  everything: boolean;
}

export interface ReportInput {
  version: string;
  policies: Report["tool"]["policies"];
  data?: Report["tool"]["data"];
  failOn: FailOn;
  files: FileRecord[];
  models: ReportModel[];
  findings: Finding[];
  rules: Iterable<RuleMetadata>;
  waivers?: WaiverRecord[];
  tiers?: ReportTier[];
  changedSince?: ReportChanges;
}

/** Whether the finding fails the run: open, at or above failOn, and not pre-existing (`--changed-since`). */
export function blocks(finding: Finding, failOn: FailOn): boolean {
  return finding.status === "open" && finding.preExisting !== true && failOn !== "never" && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn];
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
    tool: { name: "obsgate", version: input.version, policies: input.policies, data: input.data ?? [] },
    failOn: input.failOn,
    result: input.findings.some((f) => blocks(f, input.failOn)) ? "failed" : "passed",
    summary: {
      models: input.models.length,
      files: { evaluated: count("evaluated"), skipped: count("skipped"), invalid: count("invalid") },
      open,
      waived,
      ...(input.changedSince ? { preExisting: input.findings.filter((f) => f.status === "open" && f.preExisting === true).length } : {}),
    },
    files,
    models: [...input.models].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file)),
    findings: input.findings,
    rules: [...input.rules].sort((a, b) => compareStrings(a.id, b.id)),
    waivers: input.waivers ?? [],
    tiers: input.tiers ?? [],
    ...(input.changedSince ? { changedSince: input.changedSince } : {}),
  };
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.status === "open") counts[f.severity]++;
  return counts;
}

/** One line on a finding's waiver, the same in every human-readable format: where, who, until when, why. */
export function waiverText(waiver: AppliedWaiver): string {
  const about = [waiver.owner, waiver.ticket, waiver.expires !== null ? `expires ${waiver.expires}` : null].filter((p) => p !== null);
  const where = `${waiver.source === "inline" ? "inline at" : "by"} ${waiver.file}:${waiver.line}`;
  return `waived ${where}${about.length > 0 ? ` (${about.join(", ")})` : ""}: ${waiver.reason}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export type { Severity };
