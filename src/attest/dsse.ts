// DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse, protocol v1): a payload,
// its type, and signatures over the pre-authentication encoding (PAE) of both, so neither can be
// swapped without breaking the signature.
//
// Verification trusts only the pinned keys. The algorithm is the pinned key's (the envelope has
// no say); a `keyid` is an unsigned hint, so it can only narrow which pinned key is tried, never
// widen trust. Sizes are checked before anything is decoded, and every field is decoded strictly
// (see base64.ts, strict-json.ts).
import { sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import { decodeBase64Strict, encodeBase64 } from "./base64.js";
import { canonicalJson } from "./canonical-json.js";
import type { PrivateKey, PublicKey } from "./keys.js";
import { quote, refuse, type Refusal } from "./refusal.js";
import { parseJsonBytesStrict } from "./strict-json.js";

/** The in-toto payload type, the only one `verifyEnvelope` accepts unless told otherwise. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** An envelope this large is refused before it is decoded: an attestation is kilobytes, at most megabytes. */
export const MAX_ENVELOPE_BYTES = 16 * 1024 * 1024;

/** More signatures than this is no real envelope, only work for the verifier. */
export const MAX_SIGNATURES = 32;

export interface EnvelopeSignature {
  keyid: string;
  /** Base64 of the signature: DER ECDSA for ES256, 64 bytes for Ed25519. */
  sig: string;
}

export interface Envelope {
  payloadType: string;
  /** Base64 (standard alphabet, padded) of the payload bytes. */
  payload: string;
  signatures: EnvelopeSignature[];
}

export interface VerifiedEnvelope {
  ok: true;
  payloadType: string;
  /** The signed bytes, exactly. */
  payload: Uint8Array;
  /** The pinned key whose signature verified. */
  keyid: string;
}

/** `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`, lengths in bytes, as ASCII decimal. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "ascii"),
    type,
    Buffer.from(` ${payload.length} `, "ascii"),
    payload,
  ]);
}

/** Signs `payload` with `key`; one signature whose keyid is the key's RFC 7638 thumbprint. */
export function signEnvelope(payload: Uint8Array, key: PrivateKey, payloadType = IN_TOTO_PAYLOAD_TYPE): Envelope {
  return {
    payloadType,
    payload: encodeBase64(payload),
    signatures: [{ keyid: key.keyid, sig: encodeBase64(signBytes(pae(payloadType, payload), key)) }],
  };
}

/** The bytes of a signature over `message`, in the encoding the key's algorithm prescribes. */
export function signBytes(message: Uint8Array, key: PrivateKey): Buffer {
  return key.algorithm === "ES256"
    ? cryptoSign("sha256", message, { key: key.keyObject, dsaEncoding: "der" })
    : cryptoSign(null, message, key.keyObject);
}

/** The envelope as a file: canonical JSON and a final newline. */
export function serializeEnvelope(envelope: Envelope): string {
  return `${canonicalJson(envelope)}\n`;
}

/** A refusal when a file of `byteLength` bytes is too large to be an envelope; call it on the file's size before reading it. */
export function checkEnvelopeSize(byteLength: number, maxBytes = MAX_ENVELOPE_BYTES): Refusal | null {
  if (byteLength <= maxBytes) return null;
  return refuse("envelope_too_large", `the envelope is ${byteLength} bytes, over the limit of ${formatBytes(maxBytes)}`);
}

export interface VerifyEnvelopeOptions {
  /** Default MAX_ENVELOPE_BYTES. */
  maxBytes?: number;
  /** Default IN_TOTO_PAYLOAD_TYPE. */
  payloadType?: string;
}

/**
 * Checks the envelope in `bytes` (the file as read) against the pinned `keys`. Accepts when one
 * signature verifies with a pinned key over the PAE of the payload and its type, and the type is
 * the expected one. Answers with the payload bytes and the keyid that vouched for them, or why not.
 */
export function verifyEnvelope(bytes: Uint8Array, keys: readonly PublicKey[], options: VerifyEnvelopeOptions = {}): VerifiedEnvelope | Refusal {
  const tooLarge = checkEnvelopeSize(bytes.length, options.maxBytes);
  if (tooLarge) return tooLarge;
  if (keys.length === 0) throw new Error("verifyEnvelope needs at least one pinned key");

  const fields = envelopeFields(bytes);
  if (!fields.ok) return fields;
  const { payloadType, payload, signatures } = fields;
  if (signatures === undefined || (Array.isArray(signatures) && signatures.length === 0)) {
    return refuse("no_signatures", "the envelope has no signatures");
  }
  if (!Array.isArray(signatures)) return refuse("envelope_malformed", "the envelope's `signatures` is not a list");
  if (signatures.length > MAX_SIGNATURES) return refuse("envelope_malformed", `the envelope has ${signatures.length} signatures, over the limit of ${MAX_SIGNATURES}`);

  const payloadBytes = decodeBase64Strict(payload);
  if (payloadBytes === null) return refuse("payload_not_base64", "the envelope's `payload` is not valid base64");
  const message = pae(payloadType, payloadBytes);

  const failures: Refusal[] = [];
  for (const [i, entry] of signatures.entries()) {
    const which = signatures.length === 1 ? "the signature" : `signature ${i + 1}`;
    const outcome = verifyOne(entry, which, message, keys);
    if (outcome.ok) {
      // Checked only after a pinned key vouches for the type: before that it is the attacker's word.
      const expected = options.payloadType ?? IN_TOTO_PAYLOAD_TYPE;
      if (payloadType !== expected) return refuse("payload_type", `the payload type is ${quote(payloadType)}, expected ${quote(expected)}`);
      return { ok: true, payloadType, payload: payloadBytes, keyid: outcome.keyid };
    }
    failures.push(outcome);
  }
  if (failures.length === 1) return failures[0]!;
  // Several signatures and none verifies: the most telling refusal, a pinned key's failed check, first.
  const first = failures.find((f) => f.code === "bad_signature") ?? failures[0]!;
  return refuse(first.code, `none of the ${failures.length} signatures verifies: ${first.reason}`);
}

/** An envelope's members as written, none checked beyond its JSON and the types of `payloadType` and `payload`. */
export interface EnvelopeFields {
  ok: true;
  payloadType: string;
  /** Base64, not yet decoded. */
  payload: string;
  signatures: unknown;
}

/** Reads the DSSE members of an envelope's bytes (strict JSON: UTF-8, no duplicate member), or why it cannot. */
export function envelopeFields(bytes: Uint8Array): EnvelopeFields | Refusal {
  const parsed = parseJsonBytesStrict(bytes);
  if (!parsed.ok) {
    const code = parsed.problem === "not_utf8" ? "envelope_not_utf8" : parsed.problem === "duplicate_member" ? "envelope_duplicate_member" : "envelope_not_json";
    return refuse(code, `the envelope ${parsed.detail}${parsed.problem === "not_json" ? "; is the file complete?" : ""}`);
  }
  const envelope = parsed.value;
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) {
    return refuse("envelope_malformed", "the envelope is not a JSON object");
  }
  const { payloadType, payload, signatures } = envelope as Record<string, unknown>;
  if (typeof payloadType !== "string") return refuse("envelope_malformed", "the envelope has no `payloadType` string");
  if (typeof payload !== "string") return refuse("envelope_malformed", "the envelope has no `payload` string");
  return { ok: true, payloadType, payload, signatures };
}

function verifyOne(entry: unknown, which: string, message: Buffer, keys: readonly PublicKey[]): { ok: true; keyid: string } | Refusal {
  if (typeof entry !== "object" || entry === null || typeof (entry as { sig?: unknown }).sig !== "string") {
    return refuse("envelope_malformed", `${which} has no \`sig\` string`);
  }
  const { sig, keyid } = entry as { sig: string; keyid?: unknown };
  if (keyid !== undefined && typeof keyid !== "string") return refuse("envelope_malformed", `${which}'s \`keyid\` is not a string`);
  const signature = decodeBase64Strict(sig);
  if (signature === null || signature.length === 0) return refuse("signature_not_base64", `${which} is not valid base64`);

  // A keyid naming a pinned key binds the signature to that key alone; otherwise every pinned key is tried.
  const named = keys.filter((key) => keyid !== undefined && keyid !== "" && key.keyid === keyid);
  const candidates = named.length > 0 ? named : keys;
  for (const key of candidates) {
    if (verifyBytes(message, signature, key)) return { ok: true, keyid: key.keyid };
  }
  if (named.length > 0) {
    return refuse(
      "bad_signature",
      `${which}, by pinned key ${named[0]!.keyid} according to its keyid, does not verify with that key: the payload or its type changed after signing, or another key or encoding made it`,
    );
  }
  const hint = typeof keyid === "string" && keyid !== "" ? `keyid ${quote(keyid, 64)}` : "no keyid";
  return refuse("untrusted_key", `${which} (${hint}) was not made by any pinned key (${keys.map((k) => k.keyid).join(", ")})`);
}

/**
 * One signature check, with the pinned key's algorithm: ECDSA P-256/SHA-256 over a DER signature
 * (a raw r‖s signature does not parse as DER and fails), or Ed25519. Never throws.
 */
export function verifyBytes(message: Uint8Array, signature: Uint8Array, key: PublicKey): boolean {
  try {
    return key.algorithm === "ES256"
      ? cryptoVerify("sha256", message, { key: key.keyObject, dsaEncoding: "der" }, signature)
      : cryptoVerify(null, message, key.keyObject, signature);
  } catch {
    return false;
  }
}

// Exact bytes, with the limit also in MiB: "16.0 MiB over a 16 MiB limit" would read as no excess at all.
function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 && n > 0 ? `${n / (1024 * 1024)} MiB (${n} bytes)` : `${n} bytes`;
}
