// Keys: PEM PKCS#8/SPKI, JWK and JWKS in; only ES256 (P-256) and Ed25519 accepted; keyid is the
// RFC 7638 thumbprint; keygen's output loads back; no error message carries key material.
import { createHash, createPublicKey } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { generateKeyPair, KeyError, loadPrivateKey, loadPublicKeys, thumbprint } from "../../src/attest/index.js";
import { ED25519_KEYID, ES256_KEYID } from "./cases.js";
import { keyText } from "./helpers.js";

const base64url = (b: Buffer) => b.toString("base64url");

describe("thumbprint (RFC 7638)", () => {
  it("matches RFC 8037 §A.3's Ed25519 example", async () => {
    expect(await thumbprint({ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" })).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  });

  it("is the SHA-256 of the required members in lexicographic order, for P-256", async () => {
    const jwk = createPublicKey(keyText("es256.public.pem")).export({ format: "jwk" }) as { x: string; y: string };
    const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
    const expected = base64url(createHash("sha256").update(canonical).digest());
    expect(await thumbprint({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y })).toBe(expected);
    expect(expected).toBe(ES256_KEYID);
  });
});

describe("loadPrivateKey", () => {
  it("reads PKCS#8 PEM keys of both kinds, with their public half's keyid", async () => {
    const es = await loadPrivateKey(keyText("es256.private.pem"), "es256.private.pem");
    expect({ algorithm: es.algorithm, keyid: es.keyid, pub: es.publicKey.keyid }).toEqual({ algorithm: "ES256", keyid: ES256_KEYID, pub: ES256_KEYID });
    const ed = await loadPrivateKey(`\n\n${keyText("ed25519.private.pem")}\n`, "ed25519.private.pem");
    expect({ algorithm: ed.algorithm, keyid: ed.keyid }).toEqual({ algorithm: "EdDSA", keyid: ED25519_KEYID });
  });

  it("reads a private JWK, and a JWKS holding one (RFC 8037 §A.1 key)", async () => {
    const jwk = { kty: "OKP", crv: "Ed25519", d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
    expect((await loadPrivateKey(JSON.stringify(jwk), "env")).keyid).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    expect((await loadPrivateKey(JSON.stringify({ keys: [{ ...jwk, alg: "EdDSA", use: "sig" }] }), "env")).keyid).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  });

  it.each([
    ["es256.public.pem", "is a public key; signing needs the private key (PEM `PRIVATE KEY`, PKCS#8)"],
    ["es256.sec1.pem", "is a PEM `EC PRIVATE KEY`; obsgate reads PKCS#8 `PRIVATE KEY` (convert with `openssl pkcs8 -topk8 -nocrypt`)"],
    ["p384.private.pem", "is an EC key on curve P-384; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["secp256k1.private.pem", "is an EC key on curve secp256k1; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["rsa.private.pem", "is an RSA key; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
  ])("refuses %s", async (file, problem) => {
    await expect(loadPrivateKey(keyText(file), file)).rejects.toThrow(new KeyError(file, problem));
  });
});

describe("PEM text as CI secrets hold it", () => {
  it("reads CRLF line endings", async () => {
    expect((await loadPrivateKey(keyText("es256.private.pem").replace(/\n/g, "\r\n"), "k")).keyid).toBe(ES256_KEYID);
  });

  it("says so when the PEM is on one line with literal \\n escapes", async () => {
    await expect(loadPrivateKey(keyText("es256.private.pem").trim().replace(/\n/g, "\\n"), "OBSGATE_SIGNING_KEY")).rejects.toThrow(
      "OBSGATE_SIGNING_KEY: is a PEM key written on one line with `\\n` escapes; store it with real line breaks",
    );
  });
});

describe("loadPublicKeys", () => {
  it("reads SPKI PEM, a JWK and a JWKS", async () => {
    expect((await loadPublicKeys(keyText("es256.public.pem"), "k")).map((k) => [k.algorithm, k.keyid])).toEqual([["ES256", ES256_KEYID]]);
    expect((await loadPublicKeys(keyText("ed25519.public.pem"), "k")).map((k) => [k.algorithm, k.keyid])).toEqual([["EdDSA", ED25519_KEYID]]);
    const jwks = await loadPublicKeys(keyText("trusted.jwks.json"), "trusted.jwks.json");
    expect(jwks.map((k) => k.keyid)).toEqual([ES256_KEYID, ED25519_KEYID]);
    const single = JSON.stringify(jwks[1]!.jwk);
    expect((await loadPublicKeys(single, "k")).map((k) => k.keyid)).toEqual([ED25519_KEYID]);
  });

  it.each([
    ["es256.private.pem", "is a private key; pin the public key instead (keygen writes it beside the private key)"],
    ["p384.public.pem", "is an EC key on curve P-384; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["secp256k1.public.pem", "is an EC key on curve secp256k1; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["rsa.public.pem", "is an RSA key; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
  ])("refuses %s", async (file, problem) => {
    await expect(loadPublicKeys(keyText(file), file)).rejects.toThrow(new KeyError(file, problem));
  });

  const es = () => createPublicKey(keyText("es256.public.pem")).export({ format: "jwk" }) as Record<string, string>;
  it.each<[string, () => unknown, string]>([
    ["a symmetric key", () => ({ kty: "oct", k: "c2VjcmV0" }), "the JWK is a symmetric (oct) key; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["a P-384 JWK", () => ({ ...es(), crv: "P-384" }), 'the JWK is an EC key on curve "P-384"; obsgate signs with ES256 (EC P-256) or Ed25519 keys'],
    ["an X25519 JWK", () => ({ kty: "OKP", crv: "X25519", x: "AAAA" }), 'the JWK is an OKP key on curve "X25519"; obsgate signs with ES256 (EC P-256) or Ed25519 keys'],
    ["an RSA JWK", () => ({ kty: "RSA", n: "AQAB", e: "AQAB" }), 'the JWK has key type "RSA"; obsgate signs with ES256 (EC P-256) or Ed25519 keys'],
    ["a mismatched alg", () => ({ ...es(), alg: "HS256" }), 'the JWK is a P-256 key but says `alg: "HS256"`'],
    ["an encryption key", () => ({ ...es(), use: "enc" }), 'the JWK is for `use: "enc"`, not signatures'],
    ["key_ops without verify", () => ({ ...es(), key_ops: ["encrypt"] }), "the JWK does not allow `verify` in its `key_ops`"],
    ["a point off the curve", () => ({ ...es(), y: es().x }), "the JWK is not a valid P-256 public key"],
    ["an empty JWKS", () => ({ keys: [] }), "the JWKS holds no keys"],
    ["a JWKS with one bad key", () => ({ keys: [es(), { kty: "oct", k: "eA" }] }), "key 2 of the JWKS is a symmetric (oct) key; obsgate signs with ES256 (EC P-256) or Ed25519 keys"],
    ["a JWKS whose keys is no list", () => ({ keys: {} }), "is a JWKS whose `keys` is not a list of JWK objects"],
  ])("refuses %s", async (_, make, problem) => {
    await expect(loadPublicKeys(JSON.stringify(make()), "pin.json")).rejects.toThrow(new KeyError("pin.json", problem));
  });

  it("refuses text that is no key at all", async () => {
    await expect(loadPublicKeys("hello", "k")).rejects.toThrow("k: is neither a PEM key nor a JWK or JWKS (JSON)");
    await expect(loadPublicKeys('{"kty":"EC","kty":"OKP"}', "k")).rejects.toThrow("k: starts like a JWK but names a member twice");
    await expect(loadPublicKeys(`${keyText("es256.public.pem")}\n${keyText("ed25519.public.pem")}`, "k")).rejects.toThrow(
      "k: holds 2 PEM blocks; give one key per file, or several public keys as a JWKS",
    );
  });
});

describe("generateKeyPair", () => {
  for (const algorithm of ["ES256", "EdDSA"] as const) {
    it(`${algorithm}: the PEMs and the JWK load back with the same keyid`, async () => {
      const pair = await generateKeyPair(algorithm);
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(pair.publicJwk).toMatchObject({ kid: pair.keyid, alg: algorithm, use: "sig" });
      expect(pair.publicJwk).not.toHaveProperty("d");
      const privateKey = await loadPrivateKey(pair.privateKeyPem, "new");
      expect(privateKey).toMatchObject({ algorithm, keyid: pair.keyid });
      expect((await loadPublicKeys(pair.publicKeyPem, "new"))[0]!.keyid).toBe(pair.keyid);
      expect((await loadPublicKeys(JSON.stringify({ keys: [pair.publicJwk] }), "new"))[0]!.keyid).toBe(pair.keyid);
    });
  }
});

describe("no key material in errors", () => {
  /** Every 12-character window of the secret, to find even a partial leak. */
  function windows(secret: string): string[] {
    const out: string[] = [];
    for (let i = 0; i + 12 <= secret.length; i += 3) out.push(secret.slice(i, i + 12));
    return out;
  }

  it("never shows a private key's text, body or scalar in a message, a stack or an inspected error", async () => {
    const pem = keyText("es256.private.pem");
    const body = pem.replace(/-----[A-Z ]+-----|\s/g, "");
    const jwk = createPublicKey(pem).export({ format: "jwk" }) as Record<string, string>;
    const privateJwk = (await import("node:crypto")).createPrivateKey(pem).export({ format: "jwk" }) as Record<string, string>;
    const secrets = [...windows(body), ...windows(privateJwk.d!)];

    const lines = pem.trim().split("\n");
    const attempts: Array<() => Promise<unknown>> = [
      () => loadPrivateKey(lines.slice(0, 3).join("\n"), "truncated.pem"),
      () => loadPrivateKey([...lines.slice(0, 2), "!!!!", ...lines.slice(2)].join("\n"), "garbled.pem"),
      () => loadPrivateKey(pem.replace(/[A-Za-z0-9]{8}\n/, "AAAAAAAA\n"), "damaged.pem"),
      () => loadPrivateKey(`${pem}\ntrailing ${body}`, "trailing.pem"),
      () => loadPrivateKey(pem.replaceAll("PRIVATE KEY", "PUBLIC KEY"), "relabelled.pem"),
      () => loadPublicKeys(pem, "pinned-a-private.pem"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, d: privateJwk.d!.slice(0, 20) }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, crv: "P-384" }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, x: jwk.y }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, alg: privateJwk.d }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, use: privateJwk.d }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ ...privateJwk, kty: privateJwk.d }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(JSON.stringify({ keys: [privateJwk, privateJwk] }), "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(`${JSON.stringify(privateJwk).slice(0, -1)},`, "OBSGATE_SIGNING_KEY"),
      () => loadPrivateKey(`{"d":"${privateJwk.d}","d":"${privateJwk.d}"}`, "OBSGATE_SIGNING_KEY"),
      () => loadPublicKeys(JSON.stringify(privateJwk), "pin.json"),
      () => loadPublicKeys(JSON.stringify({ keys: [privateJwk] }), "pin.jwks"),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `attempt ${i + 1} should fail`).toBeInstanceOf(KeyError);
      const shown = [String(error), (error as Error).stack ?? "", inspect(error, { depth: 5 }), JSON.stringify(error)].join("\n");
      for (const secret of secrets) expect(shown, `attempt ${i + 1}`).not.toContain(secret);
      expect((error as Error).cause, `attempt ${i + 1} must not wrap the parser's error`).toBeUndefined();
      expect((error as Error).message).not.toMatch(/\n/);
    }
  });

  it("keeps the private key out of what a loaded key serialises to", async () => {
    const key = await loadPrivateKey(keyText("ed25519.private.pem"), "k");
    const d = ((await import("node:crypto")).createPrivateKey(keyText("ed25519.private.pem")).export({ format: "jwk" }) as { d: string }).d;
    expect(JSON.stringify(key)).not.toContain(d);
    expect(inspect(key, { depth: 10 })).not.toContain(d);
  });
});
