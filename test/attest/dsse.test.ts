// DSSE: the PAE of the spec, round trips with both algorithms, and how signatures, keyids and
// pinned keys combine.
import { sign as cryptoSign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkEnvelopeSize,
  encodeBase64,
  IN_TOTO_PAYLOAD_TYPE,
  MAX_ENVELOPE_BYTES,
  MAX_SIGNATURES,
  pae,
  serializeEnvelope,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
} from "../../src/attest/index.js";
import { ED25519_KEYID, ES256_KEYID } from "./cases.js";
import { pinnedKeys, privateKey } from "./helpers.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const file = (envelope: Envelope | Record<string, unknown>) => bytes(JSON.stringify(envelope));

describe("pae", () => {
  it("matches the DSSE spec's example", () => {
    expect(pae("http://example.com/HelloWorld", bytes("hello world")).toString()).toBe("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  });

  it("counts bytes, not characters", () => {
    // "é≥😀" is 4 UTF-16 units, 3 code points, 9 UTF-8 bytes.
    expect(pae("tÿpe", bytes("é≥😀")).toString()).toBe("DSSEv1 5 tÿpe 9 é≥😀");
    expect(pae(IN_TOTO_PAYLOAD_TYPE, new Uint8Array()).toString()).toBe("DSSEv1 28 application/vnd.in-toto+json 0 ");
  });
});

describe("signEnvelope and verifyEnvelope", () => {
  for (const key of ["es256", "ed25519"] as const) {
    it(`round-trips with ${key}`, async () => {
      const payload = bytes('{"hello":"wörld"}');
      const signer = await privateKey(key);
      const envelope = signEnvelope(payload, signer);
      expect(envelope).toMatchObject({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: "eyJoZWxsbyI6InfDtnJsZCJ9", signatures: [{ keyid: signer.keyid }] });
      const verified = verifyEnvelope(bytes(serializeEnvelope(envelope)), await pinnedKeys());
      expect(verified).toEqual({ ok: true, payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(payload), keyid: signer.keyid });
    });
  }

  it("writes ES256 signatures in DER and Ed25519 signatures as 64 bytes", async () => {
    const der = Buffer.from(signEnvelope(bytes("{}"), await privateKey("es256")).signatures[0]!.sig, "base64");
    expect(der[0]).toBe(0x30); // DER SEQUENCE
    expect(der.length).toBeGreaterThanOrEqual(8);
    expect(der.length).toBeLessThanOrEqual(72);
    expect(Buffer.from(signEnvelope(bytes("{}"), await privateKey("ed25519")).signatures[0]!.sig, "base64")).toHaveLength(64);
  });

  it("refuses a DER signature with a byte appended, and one re-encoded with a longer length form", async () => {
    const envelope = signEnvelope(bytes("{}"), await privateKey("es256"));
    const der = Buffer.from(envelope.signatures[0]!.sig, "base64");
    const trailing = Buffer.concat([der, Buffer.from([0])]);
    // 0x30 len → 0x30 0x81 len: the same SEQUENCE in BER's long form, which DER forbids.
    const longForm = Buffer.concat([Buffer.from([0x30, 0x81, der[1]!]), der.subarray(2)]);
    for (const sig of [trailing, longForm]) {
      const changed = { ...envelope, signatures: [{ keyid: envelope.signatures[0]!.keyid, sig: sig.toString("base64") }] };
      expect(verifyEnvelope(file(changed), await pinnedKeys())).toMatchObject({ ok: false, code: "bad_signature" });
    }
  });

  it("writes Ed25519 envelopes deterministically, as canonical JSON", async () => {
    const a = serializeEnvelope(signEnvelope(bytes("{}"), await privateKey("ed25519")));
    const b = serializeEnvelope(signEnvelope(bytes("{}"), await privateKey("ed25519")));
    expect(a).toBe(b);
    expect(a).toMatch(/^\{"payload":"e30=","payloadType":"application\/vnd\.in-toto\+json","signatures":\[\{"keyid":"[^"]+","sig":"[^"]+"\}\]\}\n$/);
  });

  it("accepts a trusted signature beside untrusted ones", async () => {
    const payload = bytes("{}");
    const untrusted = signEnvelope(payload, await privateKey("untrusted-es256"));
    const trusted = signEnvelope(payload, await privateKey("ed25519"));
    const both = { ...trusted, signatures: [...untrusted.signatures, ...trusted.signatures] };
    expect(verifyEnvelope(file(both), await pinnedKeys())).toMatchObject({ ok: true, keyid: ED25519_KEYID });
  });

  it("tries every pinned key when the keyid is empty or names no pinned key, as cosign's empty keyid needs", async () => {
    for (const keyid of ["", "cosign-key", undefined]) {
      const envelope = signEnvelope(bytes("{}"), await privateKey("es256"));
      const signature: Record<string, unknown> = { sig: envelope.signatures[0]!.sig };
      if (keyid !== undefined) signature.keyid = keyid;
      expect(verifyEnvelope(file({ ...envelope, signatures: [signature] }), await pinnedKeys())).toMatchObject({ ok: true, keyid: ES256_KEYID });
    }
  });

  it("binds a signature to the pinned key its keyid names, even when another pinned key made it", async () => {
    const envelope = signEnvelope(bytes("{}"), await privateKey("ed25519"));
    envelope.signatures[0]!.keyid = ES256_KEYID;
    expect(verifyEnvelope(file(envelope), await pinnedKeys())).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("takes the algorithm from the pinned key: an Ed25519 signature is no ES256 one", async () => {
    const envelope = signEnvelope(bytes("{}"), await privateKey("ed25519"));
    const [es256] = await pinnedKeys();
    envelope.signatures[0]!.keyid = "";
    expect(verifyEnvelope(file(envelope), [es256!])).toMatchObject({ ok: false, code: "untrusted_key" });
  });

  it("names the most telling failure when several signatures fail", async () => {
    const payload = bytes("{}");
    const untrusted = signEnvelope(payload, await privateKey("untrusted-es256")).signatures[0]!;
    const spoofed = { keyid: ES256_KEYID, sig: untrusted.sig };
    const result = verifyEnvelope(file({ ...signEnvelope(payload, await privateKey("es256")), signatures: [untrusted, spoofed] }), await pinnedKeys());
    expect(result).toMatchObject({ ok: false, code: "bad_signature" });
    expect(!result.ok && result.reason).toMatch(/^none of the 2 signatures verifies: signature 2, by pinned key /);
  });

  it("refuses envelopes of the wrong shape, each with its reason", async () => {
    const keys = await pinnedKeys();
    const good = signEnvelope(bytes("{}"), await privateKey("ed25519"));
    const cases: Array<[unknown, string, string]> = [
      [[], "envelope_malformed", "the envelope is not a JSON object"],
      [{ ...good, payloadType: 7 }, "envelope_malformed", "the envelope has no `payloadType` string"],
      [{ payloadType: good.payloadType, signatures: good.signatures }, "envelope_malformed", "the envelope has no `payload` string"],
      [{ payloadType: good.payloadType, payload: good.payload }, "no_signatures", "the envelope has no signatures"],
      [{ ...good, signatures: {} }, "envelope_malformed", "the envelope's `signatures` is not a list"],
      [{ ...good, signatures: ["x"] }, "envelope_malformed", "the signature has no `sig` string"],
      [{ ...good, signatures: [{ sig: good.signatures[0]!.sig, keyid: 1 }] }, "envelope_malformed", "the signature's `keyid` is not a string"],
      [{ ...good, signatures: [{ sig: "" }] }, "signature_not_base64", "the signature is not valid base64"],
      [{ ...good, signatures: Array(MAX_SIGNATURES + 1).fill(good.signatures[0]) }, "envelope_malformed", "the envelope has 33 signatures, over the limit of 32"],
    ];
    for (const [envelope, code, reason] of cases) {
      expect(verifyEnvelope(file(envelope as Envelope), keys)).toEqual({ ok: false, code, reason });
    }
  });

  it("refuses an envelope that is not UTF-8 before reading it as JSON", async () => {
    expect(verifyEnvelope(new Uint8Array([0x7b, 0xff, 0x7d]), await pinnedKeys())).toEqual({ ok: false, code: "envelope_not_utf8", reason: "the envelope is not valid UTF-8" });
  });

  it("checks the size before anything else, with a configurable limit", async () => {
    const keys = await pinnedKeys();
    expect(checkEnvelopeSize(MAX_ENVELOPE_BYTES)).toBeNull();
    expect(checkEnvelopeSize(MAX_ENVELOPE_BYTES + 1)).toEqual({ ok: false, code: "envelope_too_large", reason: "the envelope is 16777217 bytes, over the limit of 16 MiB (16777216 bytes)" });
    const envelope = file(signEnvelope(bytes("{}"), await privateKey("ed25519")));
    expect(verifyEnvelope(envelope, keys, { maxBytes: 100 })).toEqual({ ok: false, code: "envelope_too_large", reason: `the envelope is ${envelope.length} bytes, over the limit of 100 bytes` });
    expect(verifyEnvelope(envelope, keys, { maxBytes: envelope.length }).ok).toBe(true);
  });

  it("accepts another payload type only when asked to", async () => {
    const envelope = file(signEnvelope(bytes("{}"), await privateKey("ed25519"), "application/json"));
    expect(verifyEnvelope(envelope, await pinnedKeys(), { payloadType: "application/json" }).ok).toBe(true);
  });

  it("accepts the URL-safe base64 alphabet the DSSE spec allows", async () => {
    const payload = bytes('{"a":"??>"}');
    const signer = await privateKey("ed25519");
    const sig = cryptoSign(null, pae(IN_TOTO_PAYLOAD_TYPE, payload), signer.keyObject);
    const envelope = { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(payload).toString("base64url"), signatures: [{ keyid: signer.keyid, sig: sig.toString("base64url") }] };
    expect(encodeBase64(payload)).not.toBe(envelope.payload);
    expect(verifyEnvelope(file(envelope), await pinnedKeys()).ok).toBe(true);
  });

  it("needs at least one pinned key: an empty trust set is a caller's bug, not a refusal", async () => {
    const envelope = file(signEnvelope(bytes("{}"), await privateKey("ed25519")));
    expect(() => verifyEnvelope(envelope, [])).toThrow("at least one pinned key");
  });
});
