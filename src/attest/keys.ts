// Signing and verification keys: text in (a PEM file, a JWK, a JWKS, or OBSGATE_SIGNING_KEY's
// value — the caller reads files and the environment), keys out. Only two kinds are accepted,
// ES256 (ECDSA on P-256 with SHA-256) and Ed25519; a key of any other type or curve is refused
// here, so verification never has to decide an algorithm: it follows from the pinned key.
//
// `jose` parses PEM PKCS#8/SPKI and JWK, computes the RFC 7638 thumbprint that serves as `keyid`
// and generates key pairs; signing itself uses node:crypto, which writes ECDSA signatures in DER as
// cosign and sigstore-js do (WebCrypto, and so jose, only writes raw r‖s).
//
// No error message may carry key material: every message is built here from fixed text, the
// caller's `source` label and the key's type, and the parser's own errors are dropped, not wrapped.
import { createPublicKey, KeyObject } from "node:crypto";
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair as joseGenerateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
} from "jose";
import { parseJsonStrict } from "./strict-json.js";

/** `EdDSA` is JOSE's name for Ed25519 signatures (RFC 8037); `keygen --alg` takes the same names. */
export type SigningAlgorithm = "ES256" | "EdDSA";
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ["ES256", "EdDSA"];

/** A public JWK of one of the two accepted kinds, with only the members that define the key. */
export type PublicJwk =
  | { kty: "EC"; crv: "P-256"; x: string; y: string }
  | { kty: "OKP"; crv: "Ed25519"; x: string };

export interface PublicKey {
  algorithm: SigningAlgorithm;
  /** RFC 7638 thumbprint (SHA-256, base64url) of the public JWK. */
  keyid: string;
  jwk: PublicJwk;
  keyObject: KeyObject;
}

export interface PrivateKey {
  algorithm: SigningAlgorithm;
  /** The keyid of its public half, which is what verifiers pin. */
  keyid: string;
  /** Only this module and the signer touch it; never serialised. */
  keyObject: KeyObject;
  publicKey: PublicKey;
}

/** What `keygen` writes: PEM for openssl and cosign, the JWK for a JWKS. */
export interface GeneratedKeyPair {
  algorithm: SigningAlgorithm;
  keyid: string;
  /** PKCS#8 PEM; write it with mode 0600. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  /** The public JWK with `kid`, `alg` and `use`, ready to go into a JWKS. */
  publicJwk: PublicJwk & { kid: string; alg: SigningAlgorithm; use: "sig" };
}

/** A key text that cannot be used; the message names the source and the problem, never the key. */
export class KeyError extends Error {
  readonly code = "key_error";
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = "KeyError";
  }
}

const SUPPORTED = "obsgate signs with ES256 (EC P-256) or Ed25519 keys";
// The JWK `alg` values that name each kind; `Ed25519` is the fully specified name of RFC 9864.
const JWK_ALG_NAMES: Record<SigningAlgorithm, readonly string[]> = { ES256: ["ES256"], EdDSA: ["EdDSA", "Ed25519"] };
// jose's algorithm names for importing each kind.
const JOSE_ALG: Record<SigningAlgorithm, string> = { ES256: "ES256", EdDSA: "Ed25519" };

/**
 * The signing key in `text`: a PEM `PRIVATE KEY` (PKCS#8), a private JWK, or a JWKS holding exactly
 * one private key. `source` names where the text came from (a path, `OBSGATE_SIGNING_KEY`).
 */
export async function loadPrivateKey(text: string, source: string): Promise<PrivateKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) return privateFromPem(trimmed, source);
  const jwks = parseKeyJson(trimmed, source);
  if (jwks.length !== 1) {
    throw new KeyError(source, `holds ${jwks.length} keys; a signing key must be exactly one private key`);
  }
  return privateFromJwk(jwks[0]!, source, jwks.isSet ? "the JWKS's key" : "the JWK");
}

/**
 * The verification keys in `text`: a PEM `PUBLIC KEY` (SPKI), a public JWK, or a JWKS of public
 * keys. A private key is refused: pinning one would put it on every machine that verifies.
 * Every key in a JWKS must be usable: one that is not is refused, not skipped, so a trust set
 * never silently holds fewer keys than its file.
 */
export async function loadPublicKeys(text: string, source: string): Promise<PublicKey[]> {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) return [await publicFromPem(trimmed, source)];
  const jwks = parseKeyJson(trimmed, source);
  if (jwks.length === 0) throw new KeyError(source, "the JWKS holds no keys");
  const keys: PublicKey[] = [];
  for (const [i, jwk] of jwks.entries()) {
    keys.push(await publicFromJwk(jwk, source, jwks.isSet ? `key ${i + 1} of the JWKS` : "the JWK"));
  }
  return keys;
}

/** A new key pair for `keygen`. */
export async function generateKeyPair(algorithm: SigningAlgorithm): Promise<GeneratedKeyPair> {
  const pair = await joseGenerateKeyPair(JOSE_ALG[algorithm], { extractable: true });
  const jwk = publicJwkOf((await exportJWK(pair.publicKey)) as Record<string, unknown>);
  const keyid = await thumbprint(jwk);
  return {
    algorithm,
    keyid,
    privateKeyPem: await exportPKCS8(pair.privateKey),
    publicKeyPem: await exportSPKI(pair.publicKey),
    publicJwk: { ...jwk, kid: keyid, alg: algorithm, use: "sig" },
  };
}

/** The RFC 7638 thumbprint of a public JWK: base64url SHA-256 of its required members, sorted. */
export async function thumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, "sha256");
}

// ---- PEM -------------------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemLabel(text: string, source: string): string {
  // A common CI-secret mistake: the PEM stored on one line with literal `\n` escapes.
  if (!text.includes("\n") && text.includes("\\n")) throw new KeyError(source, "is a PEM key written on one line with `\\n` escapes; store it with real line breaks");
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new KeyError(source, "is not a complete PEM block (a BEGIN line without its END line, or a truncated file)");
  if (blocks.length > 1) throw new KeyError(source, `holds ${blocks.length} PEM blocks; give one key per file, or several public keys as a JWKS`);
  if (blocks[0]![0].length !== text.length) throw new KeyError(source, "has text around its PEM block");
  return blocks[0]![1]!;
}

async function privateFromPem(text: string, source: string): Promise<PrivateKey> {
  const label = pemLabel(text, source);
  if (label === "PUBLIC KEY") throw new KeyError(source, "is a public key; signing needs the private key (PEM `PRIVATE KEY`, PKCS#8)");
  if (label === "ENCRYPTED PRIVATE KEY") throw new KeyError(source, "is an encrypted private key; obsgate reads unencrypted PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)");
  if (label === "EC PRIVATE KEY" || label === "RSA PRIVATE KEY" || label === "OPENSSH PRIVATE KEY") {
    throw new KeyError(source, `is a PEM \`${label}\`; obsgate reads PKCS#8 \`PRIVATE KEY\` (convert with \`openssl pkcs8 -topk8 -nocrypt\`)`);
  }
  if (label !== "PRIVATE KEY") throw new KeyError(source, `is a PEM \`${label}\`, not a PKCS#8 private key`);
  const algorithm = algorithmOfPem(text, "private", source);
  let keyObject: KeyObject;
  try {
    keyObject = KeyObject.from(await importPKCS8(text, JOSE_ALG[algorithm], { extractable: true }));
  } catch {
    throw new KeyError(source, "is not a valid PKCS#8 private key");
  }
  return withPublicHalf(keyObject, algorithm);
}

async function publicFromPem(text: string, source: string): Promise<PublicKey> {
  const label = pemLabel(text, source);
  if (label.includes("PRIVATE KEY")) throw new KeyError(source, "is a private key; pin the public key instead (keygen writes it beside the private key)");
  if (label === "CERTIFICATE") throw new KeyError(source, "is a certificate; pin its public key (`openssl x509 -pubkey -noout`)");
  if (label !== "PUBLIC KEY") throw new KeyError(source, `is a PEM \`${label}\`, not an SPKI public key (\`PUBLIC KEY\`)`);
  const algorithm = algorithmOfPem(text, "public", source);
  let keyObject: KeyObject;
  try {
    keyObject = KeyObject.from(await importSPKI(text, JOSE_ALG[algorithm], { extractable: true }));
  } catch {
    throw new KeyError(source, "is not a valid SPKI public key");
  }
  return publicKeyOf(keyObject, algorithm);
}

/** Which of the two kinds a PEM key is, refusing every other type and curve by name. */
function algorithmOfPem(text: string, half: "private" | "public", source: string): SigningAlgorithm {
  let publicObject: KeyObject;
  try {
    // A private key's public half tells its type as well; the private key object is not kept.
    publicObject = createPublicKey({ key: text, format: "pem" });
  } catch {
    throw new KeyError(source, `is not a valid ${half === "private" ? "PKCS#8 private" : "SPKI public"} key (damaged or truncated)`);
  }
  return algorithmOf(publicObject, source);
}

function algorithmOf(keyObject: KeyObject, source: string): SigningAlgorithm {
  const type = keyObject.asymmetricKeyType;
  if (type === "ed25519") return "EdDSA";
  if (type === "ec") {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return "ES256";
    throw new KeyError(source, `is an EC key on curve ${curveName(curve)}; ${SUPPORTED}`);
  }
  throw new KeyError(source, `is ${KEY_TYPE_NAMES[type ?? ""] ?? "a key of another type"}; ${SUPPORTED}`);
}

const KEY_TYPE_NAMES: Record<string, string> = {
  rsa: "an RSA key",
  "rsa-pss": "an RSA-PSS key",
  dsa: "a DSA key",
  dh: "a Diffie-Hellman key",
  ed448: "an Ed448 key",
  x25519: "an X25519 (key agreement) key",
  x448: "an X448 (key agreement) key",
};

function curveName(curve: string | undefined): string {
  const names: Record<string, string> = { secp384r1: "P-384", secp521r1: "P-521", secp256k1: "secp256k1" };
  return curve === undefined ? "unknown" : (names[curve] ?? curve);
}

// ---- JWK and JWKS ----------------------------------------------------------------------------

type JwkList = Array<Record<string, unknown>> & { isSet: boolean };

function parseKeyJson(text: string, source: string): JwkList {
  if (!text.startsWith("{")) throw new KeyError(source, "is neither a PEM key nor a JWK or JWKS (JSON)");
  const parsed = parseJsonStrict(text);
  if (!parsed.ok) {
    // The parser's detail may quote the text around the error, which would be key material.
    const why = parsed.problem === "duplicate_member" ? "names a member twice" : "is not valid JSON";
    throw new KeyError(source, `starts like a JWK but ${why}`);
  }
  const value = parsed.value as Record<string, unknown>;
  if ("keys" in value) {
    if (!Array.isArray(value.keys) || value.keys.some((k) => typeof k !== "object" || k === null || Array.isArray(k))) {
      throw new KeyError(source, "is a JWKS whose `keys` is not a list of JWK objects");
    }
    return Object.assign([...(value.keys as Array<Record<string, unknown>>)], { isSet: true });
  }
  return Object.assign([value], { isSet: false });
}

/** Which kind a JWK is, checking `kty`, `crv`, and `alg`, `use` and `key_ops` when they are set. */
function algorithmOfJwk(jwk: Record<string, unknown>, which: string, source: string, purpose: "sign" | "verify"): SigningAlgorithm {
  let algorithm: SigningAlgorithm;
  if (jwk.kty === "EC" && jwk.crv === "P-256") algorithm = "ES256";
  else if (jwk.kty === "OKP" && jwk.crv === "Ed25519") algorithm = "EdDSA";
  else if (jwk.kty === "EC" || jwk.kty === "OKP") throw new KeyError(source, `${which} is an ${String(jwk.kty)} key on curve ${describeValue(jwk.crv)}; ${SUPPORTED}`);
  else if (jwk.kty === "oct") throw new KeyError(source, `${which} is a symmetric (oct) key; ${SUPPORTED}`);
  else throw new KeyError(source, `${which} has key type ${describeValue(jwk.kty)}; ${SUPPORTED}`);
  if (jwk.alg !== undefined && !JWK_ALG_NAMES[algorithm].includes(jwk.alg as string)) {
    throw new KeyError(source, `${which} is ${algorithm === "ES256" ? "a P-256" : "an Ed25519"} key but says \`alg: ${describeValue(jwk.alg)}\``);
  }
  if (jwk.use !== undefined && jwk.use !== "sig") throw new KeyError(source, `${which} is for \`use: ${describeValue(jwk.use)}\`, not signatures`);
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes(purpose))) {
    throw new KeyError(source, `${which} does not allow \`${purpose}\` in its \`key_ops\``);
  }
  return algorithm;
}

// Names a JWK member may hold. Anything else is not echoed: a key pasted into the wrong member
// (`"alg": "<d>"`) would otherwise end up in the message.
const KNOWN_JOSE_NAMES = new Set([
  "EC", "OKP", "RSA", "oct", "AKP",
  "P-256", "P-384", "P-521", "secp256k1", "Ed25519", "Ed448", "X25519", "X448",
  "ES256", "ES384", "ES512", "ES256K", "EdDSA", "Ed25519", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
  "HS256", "HS384", "HS512", "none", "ML-DSA-44", "ML-DSA-65", "ML-DSA-87",
  "sig", "enc",
]);

function describeValue(value: unknown): string {
  if (typeof value !== "string") return value === undefined ? "none" : `a ${value === null ? "null" : typeof value}`;
  return KNOWN_JOSE_NAMES.has(value) ? JSON.stringify(value) : "an unrecognised value";
}

async function privateFromJwk(jwk: Record<string, unknown>, source: string, which: string): Promise<PrivateKey> {
  const algorithm = algorithmOfJwk(jwk, which, source, "sign");
  if (typeof jwk.d !== "string") throw new KeyError(source, `${which} is a public key; signing needs the private key (a JWK with \`d\`)`);
  let keyObject: KeyObject;
  try {
    keyObject = KeyObject.from((await importJWK(jwk as JWK, JOSE_ALG[algorithm], { extractable: true })) as CryptoKey);
  } catch {
    throw new KeyError(source, `${which} is not a valid ${algorithm === "ES256" ? "P-256" : "Ed25519"} private key`);
  }
  const key = await withPublicHalf(keyObject, algorithm);
  // A JWK carries its public half beside `d`; if they disagree, verifiers pinning the stated public
  // key would refuse every envelope, so say so now.
  const stated = jwk.kty === "EC" ? [jwk.x, jwk.y] : [jwk.x];
  const actual = key.publicKey.jwk.kty === "EC" ? [key.publicKey.jwk.x, key.publicKey.jwk.y] : [key.publicKey.jwk.x];
  if (stated.some((part, i) => part !== actual[i])) throw new KeyError(source, `${which}'s public members (x, y) do not belong to its private key`);
  return key;
}

async function publicFromJwk(jwk: Record<string, unknown>, source: string, which: string): Promise<PublicKey> {
  const algorithm = algorithmOfJwk(jwk, which, source, "verify");
  if ("d" in jwk) throw new KeyError(source, `${which} is a private key; pin the public key instead (drop \`d\`)`);
  let keyObject: KeyObject;
  try {
    keyObject = KeyObject.from((await importJWK(jwk as JWK, JOSE_ALG[algorithm], { extractable: true })) as CryptoKey);
  } catch {
    throw new KeyError(source, `${which} is not a valid ${algorithm === "ES256" ? "P-256" : "Ed25519"} public key`);
  }
  return publicKeyOf(keyObject, algorithm);
}

// ---- from node:crypto key objects -----------------------------------------------------------

async function withPublicHalf(privateObject: KeyObject, algorithm: SigningAlgorithm): Promise<PrivateKey> {
  const publicKey = await publicKeyOf(createPublicKey(privateObject), algorithm);
  return { algorithm, keyid: publicKey.keyid, keyObject: privateObject, publicKey };
}

async function publicKeyOf(keyObject: KeyObject, algorithm: SigningAlgorithm): Promise<PublicKey> {
  const jwk = publicJwkOf(keyObject.export({ format: "jwk" }) as Record<string, unknown>);
  return { algorithm, keyid: await thumbprint(jwk), jwk, keyObject };
}

function publicJwkOf(jwk: Record<string, unknown>): PublicJwk {
  return jwk.kty === "EC"
    ? { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string }
    : { kty: "OKP", crv: "Ed25519", x: jwk.x as string };
}
