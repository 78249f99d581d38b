// Stage 6, attest: the facts of one `check` run → a signed in-toto Statement in a DSSE envelope;
// and back: an envelope + pinned keys → a verified Statement → the deploy gate's decision.
// Pure functions over bytes and plain data; the caller (src/cli) reads files, the environment and
// the clock, and writes files atomically. DESIGN.md calls this stage `src/provenance/`.
//
// How the commands use it
// -----------------------
// keygen --alg ES256|EdDSA --out DIR
//   const pair = await generateKeyPair(alg);
//   write pair.privateKeyPem (mode 0600), pair.publicKeyPem, and { keys: [pair.publicJwk] } as a JWKS;
//   print pair.keyid.
//
// check … --attestation FILE --sign-key KEY   (KEY: a file, else OBSGATE_SIGNING_KEY's value)
//   const key = await loadPrivateKey(text, sourceLabel);          // throws KeyError: exit 2
//   const statement = buildStatement(checkRunFacts(report, ctx));  // facts mapped from the Report (run-facts.ts)
//   const envelope = signEnvelope(statementPayload(statement), key);
//   write serializeEnvelope(envelope) atomically (temp file + rename).
//
// verify ENVELOPE --key FILE|--jwks FILE [--root DIR]
//   refuse early on the file's size: checkEnvelopeSize(stat.size) (before reading it);
//   const keys = await loadPublicKeys(text, path);                 // throws KeyError: exit 2
//   const verified = verifyAttestation(bytes, keys);               // Refusal: print reason, exit 1
//   with --root: subjectRefusal(rehashSubjects(verified.statement.subject, root))
//
// gate ENVELOPE --key … [--root DIR] [--allow-warnings] [--max-age 7d] [--commit SHA]
//      [--model NAME]... [--policy-digest SHA256]... [--now T]
//   as verify, then gate(verified.statement, { allowWarnings, maxAgeSeconds, now, commit, models,
//   policyDigests, deployedFiles }) where deployedFiles maps each manifest, rule file and backend
//   config under --root belonging to the gated models to sha256Hex(its bytes).
//
// Every refusal is `{ ok: false, code, reason }`: `reason` is one printable line, `code` a stable
// RefusalCode. Nothing here ever puts key material in a message.

export { canonicalJson, canonicalJsonBytes, CanonicalJsonError } from "./canonical-json.js";
export { decodeBase64Strict, encodeBase64 } from "./base64.js";
export {
  checkEnvelopeSize,
  envelopeFields,
  IN_TOTO_PAYLOAD_TYPE,
  MAX_ENVELOPE_BYTES,
  MAX_SIGNATURES,
  pae,
  serializeEnvelope,
  signBytes,
  signEnvelope,
  verifyBytes,
  verifyEnvelope,
  type Envelope,
  type EnvelopeFields,
  type EnvelopeSignature,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
} from "./dsse.js";
export { formatDuration, gate, type GateDecision, type GateOptions } from "./gate.js";
export {
  generateKeyPair,
  KeyError,
  loadPrivateKey,
  loadPublicKeys,
  SIGNING_ALGORITHMS,
  thumbprint,
  type GeneratedKeyPair,
  type PrivateKey,
  type PublicJwk,
  type PublicKey,
  type SigningAlgorithm,
} from "./keys.js";
export { quote, refuse, type Refusal, type RefusalCode } from "./refusal.js";
export { checkStatement, loadPredicateSchema, parseStatement, PREDICATE_SCHEMA_FILE, validatePredicate, type StatementCheck } from "./statement-check.js";
export {
  AttestationFactsError,
  buildStatement,
  builtinPolicySubject,
  COMPLIANCE_PREDICATE_TYPE,
  NON_FILE_SUBJECT_PREFIX,
  STATEMENT_TYPE,
  statementPayload,
  type AttestationFacts,
  type AttestedFinding,
  type AttestedFindingWaiver,
  type AttestedModel,
  type AttestedResult,
  type AttestedWaiver,
  type CompliancePredicate,
  type ControlStatus,
  type FileFacts,
  type FindingFacts,
  type FindingWaiverFacts,
  type ModelFacts,
  type PolicySetFacts,
  type RuleFacts,
  type Statement,
  type Subject,
  type WaiverFacts,
} from "./statement.js";
export { decodeUtf8Strict, parseJsonBytesStrict, parseJsonStrict } from "./strict-json.js";
export { readSubjectFile, rehashSubjects, sha256Hex, subjectRefusal, unsafePathReason, type ReadSubjectFile, type SubjectCheck, type SubjectProblem } from "./subjects.js";
export { verifyAttestation, type VerifiedAttestation } from "./verify.js";
export { checkRunFacts, policySubject, type RunContext } from "./run-facts.js";
