// `obsgate verify` without the I/O: envelope bytes and pinned keys in, the Statement or why not out.
import { verifyEnvelope, type VerifyEnvelopeOptions } from "./dsse.js";
import type { PublicKey } from "./keys.js";
import type { Refusal } from "./refusal.js";
import { parseStatement } from "./statement-check.js";
import type { Statement } from "./statement.js";

export interface VerifiedAttestation {
  ok: true;
  statement: Statement;
  /** The pinned key that vouched for it. */
  keyid: string;
  /** The signed payload bytes, exactly. */
  payload: Uint8Array;
}

/** The envelope's signature against the pinned keys, then the Statement inside it. */
export function verifyAttestation(
  envelopeBytes: Uint8Array,
  keys: readonly PublicKey[],
  options: VerifyEnvelopeOptions = {},
): VerifiedAttestation | Refusal {
  const envelope = verifyEnvelope(envelopeBytes, keys, options);
  if (!envelope.ok) return envelope;
  // Only now is the payload parsed: until a pinned key vouches for it, it is nobody's word.
  const checked = parseStatement(envelope.payload);
  if (!checked.ok) return checked;
  return { ok: true, statement: checked.statement, keyid: envelope.keyid, payload: envelope.payload };
}
