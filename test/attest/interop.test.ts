// Envelopes obsgate writes verify with tools that share none of its code, and envelopes those tools
// sign verify with obsgate: node:crypto with a PAE built here by hand, and the openssl CLI both
// ways. Also the full round trip with freshly generated keys of both kinds.
import { spawnSync } from "node:child_process";
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildStatement,
  COMPLIANCE_PREDICATE_TYPE,
  generateKeyPair,
  loadPrivateKey,
  loadPublicKeys,
  serializeEnvelope,
  signEnvelope,
  statementPayload,
  verifyAttestation,
} from "../../src/attest/index.js";
import { CASES, FIXTURES, KEYS, keyText, pinnedKeys, sampleFacts } from "./helpers.js";
import { describeWith } from "../helpers/require.js";

interface RawEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** The PAE written out from the DSSE spec, deliberately not with obsgate's `pae`. */
function handMadePae(envelope: RawEnvelope): Buffer {
  const body = Buffer.from(envelope.payload, "base64");
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(envelope.payloadType, "utf8")} ${envelope.payloadType} ${body.length} `, "utf8"), body]);
}

const fixture = (name: string) => JSON.parse(readFileSync(join(CASES, name, "envelope.json"), "utf8")) as RawEnvelope;

describe("node:crypto, independently of obsgate's verifier", () => {
  it("verifies the ES256 fixture as a DER ECDSA P-256 SHA-256 signature", () => {
    const envelope = fixture("valid-es256");
    const key = createPublicKey(keyText("es256.public.pem"));
    expect(cryptoVerify("sha256", handMadePae(envelope), key, Buffer.from(envelope.signatures[0]!.sig, "base64"))).toBe(true);
  });

  it("verifies the Ed25519 fixture", () => {
    const envelope = fixture("valid-ed25519");
    const key = createPublicKey(keyText("ed25519.public.pem"));
    expect(cryptoVerify(null, handMadePae(envelope), key, Buffer.from(envelope.signatures[0]!.sig, "base64"))).toBe(true);
  });

  it("agrees that the character-length PAE fixture was signed over other bytes", () => {
    const envelope = fixture("pae-character-length");
    const key = createPublicKey(keyText("ed25519.public.pem"));
    expect(cryptoVerify(null, handMadePae(envelope), key, Buffer.from(envelope.signatures[0]!.sig, "base64"))).toBe(false);
  });
});

function run(args: string[]): { status: number | null; out: string } {
  const result = spawnSync("openssl", args, { encoding: "utf8" });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
}

describeWith(["openssl"], "openssl CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-interop-"));

  it("verifies obsgate's ES256 envelope (openssl dgst -sha256 -verify)", () => {
    const envelope = fixture("valid-es256");
    writeFileSync(join(dir, "es.pae"), handMadePae(envelope));
    writeFileSync(join(dir, "es.sig"), Buffer.from(envelope.signatures[0]!.sig, "base64"));
    expect(run(["dgst", "-sha256", "-verify", join(KEYS, "es256.public.pem"), "-signature", join(dir, "es.sig"), join(dir, "es.pae")])).toEqual({ status: 0, out: "Verified OK" });
  });

  it("verifies obsgate's Ed25519 envelope (openssl pkeyutl -verify -rawin)", () => {
    const envelope = fixture("valid-ed25519");
    writeFileSync(join(dir, "ed.pae"), handMadePae(envelope));
    writeFileSync(join(dir, "ed.sig"), Buffer.from(envelope.signatures[0]!.sig, "base64"));
    const result = run(["pkeyutl", "-verify", "-pubin", "-inkey", join(KEYS, "ed25519.public.pem"), "-rawin", "-in", join(dir, "ed.pae"), "-sigfile", join(dir, "ed.sig")]);
    expect(result).toEqual({ status: 0, out: "Signature Verified Successfully" });
  });

  it("rejects the flipped-byte fixture too", () => {
    const envelope = fixture("flipped-payload-byte");
    writeFileSync(join(dir, "flip.pae"), handMadePae(envelope));
    writeFileSync(join(dir, "flip.sig"), Buffer.from(envelope.signatures[0]!.sig, "base64"));
    const result = run(["pkeyutl", "-verify", "-pubin", "-inkey", join(KEYS, "ed25519.public.pem"), "-rawin", "-in", join(dir, "flip.pae"), "-sigfile", join(dir, "flip.sig")]);
    expect(result.status).not.toBe(0);
  });

  for (const [name, signArgs] of [
    ["es256", (pae: string, sig: string) => ["dgst", "-sha256", "-sign", join(KEYS, "es256.private.pem"), "-out", sig, pae]],
    ["ed25519", (pae: string, sig: string) => ["pkeyutl", "-sign", "-inkey", join(KEYS, "ed25519.private.pem"), "-rawin", "-in", pae, "-out", sig]],
  ] as const) {
    it(`signs an envelope with ${name} that obsgate verifies`, async () => {
      const statement = buildStatement(sampleFacts());
      const payload = Buffer.from(statementPayload(statement));
      const envelope: RawEnvelope = { payloadType: "application/vnd.in-toto+json", payload: payload.toString("base64"), signatures: [] };
      const pae = join(dir, `${name}-openssl.pae`);
      const sig = join(dir, `${name}-openssl.sig`);
      writeFileSync(pae, handMadePae(envelope));
      expect(run(signArgs(pae, sig)).status).toBe(0);
      envelope.signatures.push({ keyid: "", sig: readFileSync(sig).toString("base64") });
      const verified = verifyAttestation(Buffer.from(JSON.stringify(envelope)), await pinnedKeys());
      expect(verified.ok && verified.statement).toEqual(JSON.parse(JSON.stringify(statement)));
    });
  }
});

describeWith(["cosign"], "cosign verify-blob-attestation", () => {
  /** cosign checks the DSSE signature with the key and that the blob is a subject; the rest is obsgate's. */
  function cosignVerify(name: string, key: string, blob = join(FIXTURES, "root", "backends", "loki.yaml")) {
    const result = spawnSync(
      "cosign",
      ["verify-blob-attestation", "--key", join(KEYS, key), "--signature", join(CASES, name, "envelope.json"),
        "--type", COMPLIANCE_PREDICATE_TYPE, "--insecure-ignore-tlog=true", blob],
      { encoding: "utf8", timeout: 60_000 },
    );
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  }

  it("verifies obsgate's ES256 and Ed25519 envelopes and finds a subject by its digest", () => {
    expect(cosignVerify("valid-es256", "es256.public.pem")).toMatchObject({ status: 0, out: expect.stringContaining("Verified OK") });
    expect(cosignVerify("valid-ed25519", "ed25519.public.pem")).toMatchObject({ status: 0, out: expect.stringContaining("Verified OK") });
  });

  it("rejects a tampered payload and a blob that is no subject", () => {
    expect(cosignVerify("flipped-payload-byte", "ed25519.public.pem").status).not.toBe(0);
    expect(cosignVerify("valid-ed25519", "ed25519.public.pem", join(KEYS, "README.md")).out).toContain("no matching subject digest found");
  });
});

describe("round trip with fresh keys", () => {
  for (const algorithm of ["ES256", "EdDSA"] as const) {
    it(`${algorithm}: keygen → sign → verify gives back the Statement`, async () => {
      const pair = await generateKeyPair(algorithm);
      const statement = buildStatement(sampleFacts());
      const envelope = serializeEnvelope(signEnvelope(statementPayload(statement), await loadPrivateKey(pair.privateKeyPem, "key.pem")));
      for (const pinned of [pair.publicKeyPem, JSON.stringify(pair.publicJwk), JSON.stringify({ keys: [pair.publicJwk] })]) {
        const verified = verifyAttestation(Buffer.from(envelope), await loadPublicKeys(pinned, "pin"));
        expect(verified).toMatchObject({ ok: true, keyid: pair.keyid });
        expect(verified.ok && verified.statement).toEqual(JSON.parse(JSON.stringify(statement)));
      }
      // The other algorithm's fresh key is not trusted for it.
      const other = await generateKeyPair(algorithm === "ES256" ? "EdDSA" : "ES256");
      expect(verifyAttestation(Buffer.from(envelope), await loadPublicKeys(other.publicKeyPem, "pin"))).toMatchObject({ ok: false, code: "untrusted_key" });
    });
  }
});
