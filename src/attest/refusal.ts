// Why an attestation is not accepted. Every check in this folder answers with the same shape, so a
// command prints `reason` on one line and a script can branch on `code` without parsing English.

/** Stable codes: scripts and tests match on them. */
export type RefusalCode =
  // The envelope as bytes and as DSSE.
  | "envelope_too_large"
  | "envelope_not_utf8"
  | "envelope_not_json"
  | "envelope_duplicate_member"
  | "envelope_malformed"
  | "payload_not_base64"
  | "no_signatures"
  | "signature_not_base64"
  | "untrusted_key"
  | "bad_signature"
  | "payload_type"
  // The payload, once a pinned key vouches for it.
  | "payload_not_utf8"
  | "payload_not_json"
  | "payload_duplicate_member"
  | "statement_type"
  | "predicate_type"
  | "subject_empty"
  | "statement_malformed"
  | "predicate_schema"
  // The subjects against the files on disk (`--root`).
  | "subject_path"
  | "subject_missing"
  | "subject_mismatch"
  // The deploy gate's policy.
  | "result_failed"
  | "result_warned"
  | "model_absent"
  | "commit_mismatch"
  | "commit_dirty"
  | "policy_digest"
  | "time_future"
  | "time_too_old"
  | "file_not_covered"
  | "file_digest_mismatch";

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** One line, no key material, safe to print. */
  reason: string;
}

export function refuse(code: RefusalCode, reason: string): Refusal {
  // One line whatever went into it: a reason may quote (shortened) attacker-controlled text.
  return { ok: false, code, reason: reason.replace(/[\r\n]+/g, " ") };
}

/**
 * Attacker-controlled text (a keyid, a payloadType, a subject name) made safe to put in a reason:
 * quoted, control characters escaped, cut to `max` characters.
 */
export function quote(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
