// The sentences both formats of the audit document say the same way.
import { RESULTS, SEVERITIES, type AuditDocument, type Verification } from "./document.js";

export const UNVERIFIED_WARNING =
  "UNVERIFIED: this report was made with --unverified. The attestation's signature was NOT checked, so nothing in it is vouched for by a trusted key.";

export const ABOUT_EXPIRY =
  "Days to expiry count from the UTC day the attestation was evaluated (its timeEvaluated), not from the day this document is read; a waiver applies through its expiry date.";

export function ABOUT_EVIDENCE(withRoot: boolean): string {
  const how =
    "Every fact in this document comes from the signed attestation. Evidence lines are quoted only from a file under --root whose sha256 equals the digest the attestation vouches for";
  return withRoot ? `${how}; a finding in any other file shows its location alone, with the reason.` : `${how}; this report was made without --root, so findings show their location alone.`;
}

export function signerText(v: Verification): string {
  if (v.verified) return `key ${v.keyid}`;
  return v.claimedKeyid === null ? "not named (and not checked)" : `claims key ${v.claimedKeyid} (not checked)`;
}

export function verificationText(v: Verification): string {
  return v.verified ? "signature verified against a pinned key, payload checked against the predicate schema" : "signature NOT checked (--unverified)";
}

/** The cover's facts as term, value and whether the value is a digest or an id (shown monospaced). */
export function coverFacts(doc: AuditDocument): Array<[string, string, boolean]> {
  const c = doc.cover;
  const dirty = c.dirty === null ? "" : c.dirty ? " (with uncommitted changes)" : " (clean tree)";
  return [
    ["Repository", c.repository ?? "not recorded", false],
    ["Commit", c.commit === null ? "not recorded" : `${c.commit}${dirty}`, c.commit !== null],
    ["Ref", c.ref ?? "not recorded", false],
    ["Evaluated", c.timeEvaluated, false],
    ["CI run", c.ciRunUrl ?? "not recorded", false],
    ["obsgate", c.obsgateVersion, false],
    ["obsgate code sha256", c.evaluatorSha256, true],
  ];
}

/** The executive summary in one paragraph: models by result, open findings, controls, files. */
export function summaryText(doc: AuditDocument): string {
  const s = doc.summary;
  const total = RESULTS.reduce((n, r) => n + s.modelsByResult[r], 0);
  return (
    `${total} model${total === 1 ? "" : "s"}: ${RESULTS.map((r) => `${s.modelsByResult[r]} ${r}`).join(", ")}. ` +
    `Open findings: ${SEVERITIES.map((sev) => `${s.open[sev]} ${sev}`).join(", ")}; ${s.waived} waived. ` +
    `Controls: ${s.controls.passed} passed, ${s.controls.failed} failed, ${s.controls.waived} waived, ${s.controls.notApplicable} not applicable. ` +
    `Files: ${s.files.evaluated} evaluated, ${s.files.invalid} invalid, ${s.files.skipped} skipped.`
  );
}
