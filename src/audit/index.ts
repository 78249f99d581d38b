// Stage 7, audit: a verified attestation → the audit document a governance review reads, as one
// self-contained HTML file or as Markdown for a ticket (`obsgate report`, docs/audit-report.md).
// Pure: the CLI (src/cli/report-command.ts) verifies the envelope(s) exactly as `obsgate verify`
// does, reads evidence files under --root and hands their text over only when their sha256 is the
// attested one; everything here is a function of the Statement(s) and those texts. Sits to the
// right of src/attest; only the CLI imports it.
import { auditDocument, type AuditOptions } from "./document.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import type { Statement } from "../attest/index.js";

export const AUDIT_FORMATS = ["html", "markdown"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The document in `format`: the same statement(s), evidence and options give the same bytes. */
export function renderAudit(statement: Statement, options: AuditOptions, format: AuditFormat): string {
  const document = auditDocument(statement, options);
  return format === "html" ? renderHtml(document) : renderMarkdown(document);
}

export { attestationChanges, findingIdentity, waiverIdentity, type AttestationChanges } from "./changes.js";
export {
  auditDocument,
  daysBetween,
  evidenceLines,
  EVIDENCE_CONTEXT_LINES,
  type AuditDocument,
  type AuditOptions,
  type EvidenceFile,
  type EvidenceGap,
  type Verification,
} from "./document.js";
export { renderHtml } from "./html.js";
export { renderMarkdown } from "./markdown.js";
