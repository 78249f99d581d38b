// Findings as GitHub annotations: on a check run (at most 50 per request, as the Checks API takes
// them), or as workflow commands when there is no check run (GitHub shows at most 10 of each type
// per step, so the most severe come first and the last slot says where the rest are). Pure.
import type { Report } from "../report/index.js";
import { compareFindings, SEVERITY_RANK, type Finding } from "../types.js";

export type CheckConclusion = "success" | "neutral" | "failure";
export type AnnotationLevel = "failure" | "warning" | "notice";

/** The Checks API's annotation object. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number;
  end_column: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
}

/** One `::error|warning|notice file=…::message` line's content. */
export interface WorkflowAnnotation {
  type: "error" | "warning" | "notice";
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

/** The Checks API takes at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub shows at most 10 workflow-command annotations of each type per step. */
export const WORKFLOW_ANNOTATIONS_PER_TYPE = 10;
/** The Checks API's limits on an annotation's title and message. */
const MAX_TITLE = 255;
const MAX_MESSAGE = 64 * 1024 - 1;

/**
 * `failure` when an open finding blocks (at or above fail-on, not pre-existing); `neutral` when open
 * findings remain that do not block (below fail-on, or pre-existing); `success` when nothing is open.
 */
export function checkConclusion(report: Report): CheckConclusion {
  if (report.result === "failed") return "failure";
  return report.findings.some((f) => f.status === "open") ? "neutral" : "success";
}

/** Open findings, most severe first; a pre-existing one is a notice, whatever its severity: it decides nothing. */
function annotated(findings: readonly Finding[]): Array<{ finding: Finding; level: AnnotationLevel }> {
  const rank: Record<AnnotationLevel, number> = { failure: 3, warning: 2, notice: 1 };
  return findings
    .filter((f) => f.status === "open")
    .map((finding) => ({ finding, level: levelOf(finding) }))
    .sort((a, b) => rank[b.level] - rank[a.level] || SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || compareFindings(a.finding, b.finding));
}

function levelOf(f: Finding): AnnotationLevel {
  if (f.preExisting === true) return "notice";
  return f.severity === "error" ? "failure" : f.severity === "warning" ? "warning" : "notice";
}

function titleOf(f: Finding): string {
  const prefix = f.preExisting === true ? `${f.rule} (${f.severity}, pre-existing)` : `${f.rule} (${f.severity})`;
  const about = f.model ?? (f.models.length > 0 ? f.models.join(", ") : null);
  return clip(about === null ? prefix : `${prefix}: ${about}`, MAX_TITLE);
}

function messageOf(f: Finding): string {
  return clip(f.remediation ? `${f.message}\n${f.remediation}` : f.message, MAX_MESSAGE);
}

/** `pathPrefix`: the checked repository's root within the GitHub repository (`""`, or `sub/dir/`). */
export function checkAnnotations(findings: readonly Finding[], pathPrefix: string): CheckAnnotation[] {
  return annotated(findings).map(({ finding: f, level }) => ({
    path: pathPrefix + f.file,
    start_line: f.line,
    end_line: f.line,
    start_column: f.column,
    end_column: f.column,
    annotation_level: level,
    title: titleOf(f),
    message: messageOf(f),
  }));
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * At most 10 of each type (or `limits`). When a type has more, 9 are shown and the 10th, without a location, says
 * how many more there are and where they all are (`elsewhere`: the job summary, the SARIF file).
 */
export function workflowAnnotations(
  findings: readonly Finding[],
  pathPrefix: string,
  elsewhere: string,
  /** Fewer slots for a type the step uses for something else (the notice that the token is read-only). */
  limits: Partial<Record<WorkflowAnnotation["type"], number>> = {},
): WorkflowAnnotation[] {
  const types: Record<AnnotationLevel, WorkflowAnnotation["type"]> = { failure: "error", warning: "warning", notice: "notice" };
  const byType = new Map<WorkflowAnnotation["type"], Finding[]>();
  for (const { finding, level } of annotated(findings)) {
    const type = types[level];
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type)!.push(finding);
  }
  const out: WorkflowAnnotation[] = [];
  for (const type of ["error", "warning", "notice"] as const) {
    const list = byType.get(type) ?? [];
    const limit = Math.max(1, limits[type] ?? WORKFLOW_ANNOTATIONS_PER_TYPE);
    const shown = list.length > limit ? list.slice(0, limit - 1) : list;
    for (const f of shown) out.push({ type, title: titleOf(f), message: messageOf(f), file: pathPrefix + f.file, line: f.line, col: f.column });
    const rest = list.length - shown.length;
    if (rest > 0) out.push({ type, title: "obsgate", message: `${rest} more ${type === "error" ? "error" : type} annotation${rest === 1 ? "" : "s"} not shown (GitHub shows ${WORKFLOW_ANNOTATIONS_PER_TYPE} per type): see ${elsewhere}` });
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
