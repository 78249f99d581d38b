// The negative (and two positive) attestation fixtures of issue 7, as code that writes them:
// test/fixtures/attest/cases/<name>/envelope.json and expected.json. The expected code and reason
// are written here by hand, never taken from a run, and fixtures.test.ts checks each against what
// obsgate says. `OBSGATE_UPDATE_ATTEST_FIXTURES=1 npx vitest run test/attest/fixtures.test.ts`
// rewrites them; the Ed25519 ones come out byte-identical (Ed25519 is deterministic), the ES256
// ones do not (ECDSA signatures are randomised by design).
import { createHmac, createPrivateKey, sign as cryptoSign } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildStatement,
  canonicalJson,
  COMPLIANCE_PREDICATE_TYPE,
  encodeBase64,
  IN_TOTO_PAYLOAD_TYPE,
  pae,
  serializeEnvelope,
  signEnvelope,
  statementPayload,
  type AttestationFacts,
  type Envelope,
  type RefusalCode,
  type Statement,
} from "../../src/attest/index.js";
import { BUILTIN_POLICY_SHA256, CASES, COMMIT, keyText, NOW, openFinding, privateKey, sampleFacts, sha256 } from "./helpers.js";

// The pinned test keys' thumbprints (RFC 7638), as reasons name them.
export const ES256_KEYID = "MwJ7eYbFsJF1OR4_aXI25DcZoqhNy666IeyUV3L1zuc";
export const ED25519_KEYID = "yllL5rlEeWKFuGbD2TZDSag8xrJOZtOcUROR9HJLT0A";
const PINNED = `${ES256_KEYID}, ${ED25519_KEYID}`;
const CHANGED = "does not verify with that key: the payload or its type changed after signing, or another key or encoding made it";

/** Where the first refusal is expected: loading the pinned key, the envelope and Statement, the files on disk, or the gate. */
export type Stage = "pin" | "verify" | "rehash" | "gate";

export interface GateCaseOptions {
  now?: string;
  allowWarnings?: boolean;
  maxAgeSeconds?: number | null;
  commit?: string | null;
  models?: string[];
  policyDigests?: string[];
}

export interface Expected {
  description: string;
  /** The pinned key file under keys/ (default trusted.jwks.json). */
  pin?: string;
  /** Re-hash the subjects under the fixture root (`verify --root`). */
  root?: boolean;
  /** Run the gate with these options, every file under the fixture root as deployed. */
  gate?: GateCaseOptions;
  stage: Stage | "none";
  code: RefusalCode | "key_error" | "ok";
  reason: string;
}

interface CaseSpec extends Expected {
  name: string;
  envelope: () => Promise<Uint8Array>;
}

const text = (envelope: Envelope | Record<string, unknown>) => new TextEncoder().encode(serializeEnvelope(envelope as Envelope));

function statement(overrides: Partial<AttestationFacts> = {}, change?: (s: Statement) => void): Statement {
  const built = buildStatement(sampleFacts(overrides));
  change?.(built);
  return built;
}

async function signed(payload: Uint8Array, key: "ed25519" | "es256" | "untrusted-es256" = "ed25519"): Promise<Envelope> {
  return signEnvelope(payload, await privateKey(key));
}

/** An envelope whose signature is made over `message` instead of the PAE, by the ES256 or Ed25519 key. */
async function signedOver(message: Uint8Array, payload: Uint8Array, key: "ed25519" | "es256"): Promise<Envelope> {
  const k = await privateKey(key);
  const sig = key === "es256" ? cryptoSign("sha256", message, { key: k.keyObject, dsaEncoding: "der" }) : cryptoSign(null, message, k.keyObject);
  return { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeBase64(payload), signatures: [{ keyid: k.keyid, sig: encodeBase64(sig) }] };
}

const passing = () => statementPayload(statement());

export const CASE_SPECS: CaseSpec[] = [
  {
    name: "valid-ed25519",
    description: "A passing run signed with the pinned Ed25519 key: verifies, its subjects match the files, the gate lets it through.",
    root: true, gate: {}, stage: "none", code: "ok", reason: "the whole run: PASSED, evaluated 2026-05-01T12:00:00.000Z",
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "valid-es256",
    description: "The same run signed with the pinned ES256 key (DER signature, as cosign writes).",
    root: true, gate: { models: ["fraud-detector"], commit: COMMIT, maxAgeSeconds: 86_400, policyDigests: [BUILTIN_POLICY_SHA256] },
    stage: "none", code: "ok", reason: "model fraud-detector: PASSED, evaluated 2026-05-01T12:00:00.000Z",
    envelope: async () => text(await signed(passing(), "es256")),
  },
  {
    name: "no-signatures",
    description: "An envelope with an empty signature list.",
    stage: "verify", code: "no_signatures", reason: "the envelope has no signatures",
    envelope: async () => text({ ...(await signed(passing())), signatures: [] }),
  },
  {
    name: "untrusted-key",
    description: "A valid signature by a key nobody pinned.",
    stage: "verify", code: "untrusted_key",
    reason: `the signature (keyid "38jNJleQ0EDG6wq4Mhk5_4cDErOhS7jtRFutszNL0bk") was not made by any pinned key (${PINNED})`,
    envelope: async () => text(await signed(passing(), "untrusted-es256")),
  },
  {
    name: "keyid-names-trusted-key",
    description: "A signature by an unpinned key whose keyid names the pinned ES256 key.",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ES256_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => {
      const envelope = await signed(passing(), "untrusted-es256");
      envelope.signatures[0]!.keyid = ES256_KEYID;
      return text(envelope);
    },
  },
  {
    name: "flipped-payload-byte",
    description: "One bit of one payload byte flipped after signing (`PASSED` becomes `PASSEE`).",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ED25519_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => {
      const payload = passing();
      const envelope = await signed(payload);
      const tampered = Buffer.from(payload);
      const at = tampered.indexOf("PASSED");
      tampered[at + 5] = tampered[at + 5]! ^ 0x01;
      return text({ ...envelope, payload: encodeBase64(tampered) });
    },
  },
  {
    name: "changed-payload-type",
    description: "payloadType changed after signing; the PAE binds it, so the signature no longer verifies.",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ED25519_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => text({ ...(await signed(passing())), payloadType: "application/json" }),
  },
  {
    name: "signed-other-payload-type",
    description: "A pinned key validly signed a payload of another type: the signature verifies, the type does not.",
    stage: "verify", code: "payload_type", reason: `the payload type is "application/json", expected "application/vnd.in-toto+json"`,
    envelope: async () => text(signEnvelope(passing(), await privateKey("ed25519"), "application/json")),
  },
  {
    name: "pae-character-length",
    description: "Signed over a PAE whose body length counts UTF-16 characters, not bytes (the payload holds `é` and `≥`).",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ED25519_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => {
      const payload = passing();
      const chars = new TextDecoder().decode(payload).length;
      if (chars === payload.length) throw new Error("the fixture payload must hold multibyte characters");
      const wrong = Buffer.concat([Buffer.from(`DSSEv1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} ${chars} `), payload]);
      return text(await signedOver(wrong, payload, "ed25519"));
    },
  },
  {
    name: "payload-invalid-base64",
    description: "The payload field is not base64 (a `!` in it).",
    stage: "verify", code: "payload_not_base64", reason: "the envelope's `payload` is not valid base64",
    envelope: async () => {
      const envelope = await signed(passing());
      return text({ ...envelope, payload: `${envelope.payload.slice(0, 10)}!${envelope.payload.slice(11)}` });
    },
  },
  {
    name: "payload-noncanonical-base64",
    description: "The payload's base64 with non-zero padding bits: lenient decoders read the same bytes, so it could change without the signature changing.",
    stage: "verify", code: "payload_not_base64", reason: "the envelope's `payload` is not valid base64",
    envelope: async () => {
      // Trailing spaces (still the same JSON) make the payload 1 mod 3 bytes long, so its base64
      // ends in `x==` whose last character carries 4 padding bits; set one.
      let payload = new TextDecoder().decode(passing());
      while (new TextEncoder().encode(payload).length % 3 !== 1) payload += " ";
      const envelope = await signed(new TextEncoder().encode(payload));
      const b64 = envelope.payload;
      if (!b64.endsWith("==")) throw new Error("expected a payload ending in ==");
      const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(b64.at(-3)!);
      const bumped = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[last | 1]!;
      return text({ ...envelope, payload: `${b64.slice(0, -3)}${bumped}==` });
    },
  },
  {
    name: "signature-invalid-base64",
    description: "The signature field is not base64.",
    stage: "verify", code: "signature_not_base64", reason: "the signature is not valid base64",
    envelope: async () => {
      const envelope = await signed(passing());
      envelope.signatures[0]!.sig = `${envelope.signatures[0]!.sig.slice(0, -2)}*=`;
      return text(envelope);
    },
  },
  {
    name: "ecdsa-raw-signature",
    description: "A valid ES256 signature by the pinned key, in the raw r‖s (IEEE P1363, JWS) encoding instead of DER.",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ES256_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => {
      const payload = passing();
      const key = await privateKey("es256");
      const raw = cryptoSign("sha256", pae(IN_TOTO_PAYLOAD_TYPE, payload), { key: key.keyObject, dsaEncoding: "ieee-p1363" });
      return text({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeBase64(payload), signatures: [{ keyid: key.keyid, sig: encodeBase64(raw) }] });
    },
  },
  {
    name: "hmac-public-key-secret",
    description: "An HMAC-SHA256 \"signature\" over the PAE keyed with the pinned public key's PEM (algorithm confusion).",
    stage: "verify", code: "bad_signature", reason: `the signature, by pinned key ${ES256_KEYID} according to its keyid, ${CHANGED}`,
    envelope: async () => {
      const payload = passing();
      const mac = createHmac("sha256", keyText("es256.public.pem")).update(pae(IN_TOTO_PAYLOAD_TYPE, payload)).digest();
      return text({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeBase64(payload), signatures: [{ keyid: ES256_KEYID, sig: encodeBase64(mac) }] });
    },
  },
  {
    name: "wrong-curve-signature",
    description: "A valid ECDSA signature made with a P-384 key (SHA-384): no pinned key made it.",
    stage: "verify", code: "untrusted_key", reason: `the signature (no keyid) was not made by any pinned key (${PINNED})`,
    envelope: async () => {
      const payload = passing();
      const key = createPrivateKey(keyText("p384.private.pem"));
      const sig = cryptoSign("sha384", pae(IN_TOTO_PAYLOAD_TYPE, payload), { key, dsaEncoding: "der" });
      return text({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeBase64(payload), signatures: [{ keyid: "", sig: encodeBase64(sig) }] });
    },
  },
  {
    name: "wrong-curve-pinned-key",
    description: "The key pinned for verification is a P-384 key: refused before any envelope is read.",
    pin: "p384.public.pem",
    stage: "pin", code: "key_error", reason: "p384.public.pem: is an EC key on curve P-384; obsgate signs with ES256 (EC P-256) or Ed25519 keys",
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "wrong-type-pinned-key",
    description: "The key pinned for verification is an RSA key.",
    pin: "rsa.public.pem",
    stage: "pin", code: "key_error", reason: "rsa.public.pem: is an RSA key; obsgate signs with ES256 (EC P-256) or Ed25519 keys",
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "statement-wrong-type",
    description: "A validly signed payload whose _type is in-toto Statement v0.1.",
    stage: "verify", code: "statement_type",
    reason: `the payload is not an in-toto Statement v1: its _type is "https://in-toto.io/Statement/v0.1", expected "https://in-toto.io/Statement/v1"`,
    envelope: async () => text(await signed(new TextEncoder().encode(canonicalJson({ ...statement(), _type: "https://in-toto.io/Statement/v0.1" })))),
  },
  {
    name: "other-predicate-type",
    description: "A validly signed in-toto Statement of another kind (SLSA provenance) from a key that also signs builds.",
    stage: "verify", code: "predicate_type",
    reason: `the Statement's predicateType is "https://slsa.dev/provenance/v1", expected "${COMPLIANCE_PREDICATE_TYPE}"`,
    envelope: async () => text(await signed(new TextEncoder().encode(canonicalJson({ ...statement(), predicateType: "https://slsa.dev/provenance/v1" })))),
  },
  {
    name: "empty-subject",
    description: "A validly signed Statement with no subjects: it vouches for no file.",
    stage: "verify", code: "subject_empty", reason: "the Statement has no subjects: it vouches for no file",
    envelope: async () => text(await signed(new TextEncoder().encode(canonicalJson({ ...statement(), subject: [] })))),
  },
  {
    name: "predicate-schema-violation",
    description: "A validly signed Statement whose predicate says `result: OK`.",
    stage: "verify", code: "predicate_schema",
    reason: "the predicate does not match its schema: /result: must be equal to one of the allowed values (PASSED, WARNED, FAILED)",
    envelope: async () => text(await signed(new TextEncoder().encode(canonicalJson(statement({}, (s) => ((s.predicate as { result: string }).result = "OK")))))),
  },
  {
    name: "payload-duplicate-member",
    description: "A validly signed payload naming `result` twice (FAILED, then PASSED): JSON.parse would keep PASSED, a first-wins parser FAILED.",
    stage: "verify", code: "payload_duplicate_member", reason: `the signed payload names the member "result" twice in one object`,
    envelope: async () => {
      const json = canonicalJson(statement());
      const duplicated = json.replace('"predicate":{', '"predicate":{"result":"FAILED",');
      return text(await signed(new TextEncoder().encode(duplicated)));
    },
  },
  {
    name: "payload-invalid-utf8",
    description: "A validly signed payload with an invalid UTF-8 sequence in a model owner's name (0xC3 0x28).",
    stage: "verify", code: "payload_not_utf8", reason: "the signed payload is not valid UTF-8",
    envelope: async () => {
      const payload = Buffer.from(passing());
      const at = payload.indexOf(Buffer.from("é", "utf8"));
      payload[at + 1] = 0x28;
      return text(await signed(payload));
    },
  },
  {
    name: "truncated-envelope",
    description: "A valid envelope file cut short (an interrupted copy).",
    stage: "verify", code: "envelope_not_json",
    reason: "the envelope is not valid JSON; is the file complete?",
    envelope: async () => text(await signed(passing())).slice(0, 1024),
  },
  {
    name: "envelope-duplicate-payload",
    description: "An envelope naming `payload` twice: which one a verifier reads must not be an accident.",
    stage: "verify", code: "envelope_duplicate_member", reason: `the envelope names the member "payload" twice in one object`,
    envelope: async () => {
      const good = serializeEnvelope(await signed(passing()));
      return new TextEncoder().encode(good.replace('{"payload":', `{"payload":"${encodeBase64(new TextEncoder().encode("{}"))}","payload":`));
    },
  },
  {
    name: "subject-digest-mismatch",
    description: "A valid statement whose digest for backends/loki.yaml is not the file's: `verify --root` refuses.",
    root: true,
    stage: "rehash", code: "subject_mismatch",
    reason: `subject backends/loki.yaml has sha256 a076ec6179c9c94d2cddbed51f11fdf38ed8f58ddbbe4b56ca410b9082825ed3 on disk, the attestation says ${sha256("an older loki.yaml")}`,
    envelope: async () => {
      const facts = sampleFacts();
      const inputs = facts.inputs.map((i) => (i.path === "backends/loki.yaml" ? { ...i, sha256: sha256("an older loki.yaml") } : i));
      return text(await signed(statementPayload(buildStatement({ ...facts, inputs }))));
    },
  },
  {
    name: "subject-path-traversal",
    description: "A valid statement with a subject that climbs out of the root (`../../etc/passwd`).",
    root: true,
    stage: "rehash", code: "subject_path", reason: `subject "../../etc/passwd" has an empty, \`.\` or \`..\` path segment`,
    envelope: async () => text(await signed(statementPayload(statement({}, (s) => s.subject.unshift({ name: "../../etc/passwd", digest: { sha256: sha256("root:x:0:0") } }))))),
  },
  {
    name: "deployed-file-not-covered",
    description: "The statement does not cover alerts/fraud-detector.rules.yaml, which is being deployed (a rule file added after the check).",
    root: true, gate: {},
    stage: "gate", code: "file_not_covered",
    reason: "deployed file alerts/fraud-detector.rules.yaml is not a subject of the statement (added or renamed since it was made?)",
    envelope: async () => {
      const facts = sampleFacts();
      const inputs = facts.inputs.filter((i) => i.path !== "alerts/fraud-detector.rules.yaml");
      return text(await signed(statementPayload(buildStatement({ ...facts, inputs }))));
    },
  },
  {
    name: "result-failed",
    description: "A valid statement of a failed run.",
    root: true, gate: { allowWarnings: true },
    stage: "gate", code: "result_failed", reason: "the result for the whole run is FAILED",
    envelope: async () => text(await signed(statementPayload(statement({ findings: [...sampleFacts().findings, openFinding("error", "churn-scorer")] })))),
  },
  {
    name: "result-warned",
    description: "A valid statement of a run with an open warning, gated without --allow-warnings.",
    root: true, gate: { models: ["fraud-detector"] },
    stage: "gate", code: "result_warned",
    reason: "the result for model fraud-detector is WARNED (open findings below the failure threshold); pass --allow-warnings to accept it",
    envelope: async () => text(await signed(statementPayload(statement({ findings: [...sampleFacts().findings, openFinding("warning", "fraud-detector")] })))),
  },
  {
    name: "commit-mismatch",
    description: "Replay of an old passing statement (commit 1111…) for a deploy of another commit.",
    root: true, gate: { commit: COMMIT },
    stage: "gate", code: "commit_mismatch", reason: `the statement is for commit ${"1".repeat(40)}, not ${COMMIT}`,
    envelope: async () => text(await signed(statementPayload(statement({ source: { commit: "1".repeat(40), ref: "refs/heads/main", dirty: false } })))),
  },
  {
    name: "disallowed-policy-digest",
    description: "A statement evaluated with a policy bundle whose digest is not allowed.",
    root: true, gate: { policyDigests: [sha256("the approved policy bundle")] },
    stage: "gate", code: "policy_digest", reason: `policy set "builtin" has sha256 ${BUILTIN_POLICY_SHA256}, which is not among the allowed digests`,
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "time-in-future",
    description: "A statement stamped an hour after the gate's clock.",
    root: true, gate: { now: "2026-05-01T11:00:00.000Z" },
    stage: "gate", code: "time_future", reason: "the statement was evaluated at 2026-05-01T12:00:00.000Z, 1h after the gate's clock (2026-05-01T11:00:00.000Z)",
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "older-than-max-age",
    description: "A statement eight days old, gated with --max-age 7d.",
    root: true, gate: { now: "2026-05-09T12:00:00.000Z", maxAgeSeconds: 7 * 86_400 },
    stage: "gate", code: "time_too_old", reason: "the statement was evaluated at 2026-05-01T12:00:00.000Z, 8d ago, older than the maximum age of 7d",
    envelope: async () => text(await signed(passing())),
  },
  {
    name: "gated-model-absent",
    description: "The gate is asked about a model the statement does not cover.",
    root: true, gate: { models: ["fraud-detector", "ranker"] },
    stage: "gate", code: "model_absent", reason: `model "ranker" is not in the statement`,
    envelope: async () => text(await signed(passing())),
  },
];

/** Rewrites every case folder from CASE_SPECS. */
export async function writeCaseFixtures(): Promise<void> {
  rmSync(CASES, { recursive: true, force: true });
  for (const { name, envelope, ...expected } of CASE_SPECS) {
    const dir = join(CASES, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "envelope.json"), await envelope());
    writeFileSync(join(dir, "expected.json"), `${JSON.stringify(expected, null, 2)}\n`);
  }
}

export { NOW };
