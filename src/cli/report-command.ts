// `obsgate report ENVELOPE --key|--jwks --format html|markdown -o FILE [--root DIR] [--previous ENVELOPE] [--unverified]`
// at the edge: verify the envelope (and the previous one) exactly as `obsgate verify` does, read the
// finding files under --root whose sha256 is the attested one, hand it all to src/audit, write the
// document atomically. A refusal is one line on stderr (`refused: <code>: <reason>`, exit 1) and
// writes nothing; a problem with how the command was run is a diagnostic (exit 2).
import { resolve } from "node:path";
import {
  decodeBase64Strict,
  envelopeFields,
  IN_TOTO_PAYLOAD_TYPE,
  parseStatement,
  quote,
  readSubjectFile,
  refuse,
  rehashSubjects,
  type Refusal,
  type Statement,
  type SubjectProblem,
} from "../attest/index.js";
import { renderAudit, type AuditFormat, type EvidenceFile, type Verification } from "../audit/index.js";
import { existingFolder, readEnvelope, verifiedAttestation, type AttestationIo, type VerifyFlags } from "./attestation.js";
import { writeFileAtomic } from "./output.js";

export interface ReportFlags extends VerifyFlags {
  format: AuditFormat;
  output: string;
  previous?: string;
  unverified?: boolean;
}

/** Refusals of `report` beyond `verify`'s: the previous attestation is not an earlier one of the same repository. */
export type ReportRefusalCode = Refusal["code"] | "previous_repository" | "previous_newer";

interface Attestation {
  statement: Statement;
  verification: Verification;
}

/** `report`: 0 written (one line on stdout), 1 refused (one line on stderr, nothing written). */
export async function reportCommand(envelope: string, flags: ReportFlags, io: AttestationIo): Promise<number> {
  const root = flags.root === undefined ? null : existingFolder(resolve(io.cwd, flags.root), flags.root);
  const current = await attestation(envelope, flags, io);
  if (!current.ok) return refused(current.code, current.reason, io);
  let previous: Attestation | null = null;
  if (flags.previous !== undefined) {
    const earlier = await attestation(flags.previous, flags, io);
    if (!earlier.ok) return refused(earlier.code, `--previous ${flags.previous}: ${earlier.reason}`, io);
    const [before, after] = [earlier.statement.predicate, current.statement.predicate];
    if (before.repository !== after.repository) {
      return refused("previous_repository", `--previous ${flags.previous} is of repository ${quote(before.repository ?? "(not recorded)")}, not ${quote(after.repository ?? "(not recorded)")}`, io);
    }
    if (Date.parse(before.timeEvaluated) > Date.parse(after.timeEvaluated)) {
      return refused("previous_newer", `--previous ${flags.previous} was evaluated at ${before.timeEvaluated}, after this attestation (${after.timeEvaluated})`, io);
    }
    previous = earlier;
  }

  const evidence = root === null ? null : evidenceFiles(current.statement, root);
  const text = renderAudit(current.statement, { verification: current.verification, evidence, previous }, flags.format);
  writeFileAtomic(resolve(io.cwd, flags.output), text);
  const predicate = current.statement.predicate;
  const how = current.verification.verified ? `signature verified, keyid ${current.verification.keyid}` : "signature NOT checked (--unverified)";
  io.writeOut(`wrote ${flags.output}: ${flags.format} audit report, result ${predicate.result}, ${predicate.models.length} model${predicate.models.length === 1 ? "" : "s"}; ${how}\n`);
  return 0;
}

/** The Statement in the envelope: verified as `verify` does, or (`--unverified`) only parsed. */
async function attestation(envelope: string, flags: ReportFlags, io: AttestationIo): Promise<({ ok: true } & Attestation) | Refusal> {
  if (flags.unverified === true) {
    const bytes = readEnvelope(resolve(io.cwd, envelope), envelope);
    if (!(bytes instanceof Uint8Array)) return bytes;
    return unverifiedStatement(bytes);
  }
  // Without --root: here --root is where evidence comes from, and a changed file only loses its evidence.
  const checked = await verifiedAttestation(envelope, { key: flags.key, jwks: flags.jwks }, io);
  if (!checked.ok) return checked;
  return { ok: true, statement: checked.verified.statement, verification: { verified: true, keyid: checked.verified.keyid } };
}

/**
 * The Statement of an envelope whose signature is not checked (`--unverified`): the envelope must
 * still be DSSE around an in-toto Statement of obsgate's predicate that fits its schema, so the
 * document can be rendered at all; the keyid it names is only its claim.
 */
function unverifiedStatement(bytes: Uint8Array): ({ ok: true } & Attestation) | Refusal {
  const envelope = envelopeFields(bytes);
  if (!envelope.ok) return envelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return refuse("payload_type", `the payload type is ${quote(envelope.payloadType)}, expected ${quote(IN_TOTO_PAYLOAD_TYPE)}`);
  const payload = decodeBase64Strict(envelope.payload);
  if (payload === null) return refuse("payload_not_base64", "the envelope's `payload` is not valid base64");
  const checked = parseStatement(payload);
  if (!checked.ok) return checked;
  const first = Array.isArray(envelope.signatures) ? (envelope.signatures[0] as { keyid?: unknown } | undefined) : undefined;
  const claimedKeyid = typeof first?.keyid === "string" && first.keyid !== "" ? first.keyid : null;
  return { ok: true, statement: checked.statement, verification: { verified: false, claimedKeyid } };
}

const GAP_OF: Record<SubjectProblem["code"], Exclude<EvidenceFile, { text: string }>["gap"]> = {
  subject_path: "unsafe-path",
  subject_missing: "missing",
  subject_mismatch: "mismatch",
};

/**
 * Each finding file's text under `root`, when the file is a subject and its bytes have the attested
 * digest (re-hashed the way `verify --root` does; the bytes quoted are the very bytes hashed); else why not.
 */
function evidenceFiles(statement: Statement, root: string): Map<string, EvidenceFile> {
  const predicate = statement.predicate;
  const files = new Set([...predicate.models.flatMap((m) => m.findings), ...predicate.unownedFindings].map((f) => f.file));
  const subjects = statement.subject.filter((s) => files.has(s.name));
  const read = new Map<string, Uint8Array>();
  const check = rehashSubjects(subjects, root, (under, name) => {
    const bytes = readSubjectFile(under, name);
    if (bytes !== null) read.set(name, bytes);
    return bytes;
  });
  const evidence = new Map<string, EvidenceFile>();
  for (const file of files) evidence.set(file, { gap: "not-a-subject" });
  for (const problem of check.problems) evidence.set(problem.name, { gap: GAP_OF[problem.code] });
  for (const name of check.matched) evidence.set(name, { text: Buffer.from(read.get(name)!).toString("utf8") });
  return evidence;
}

function refused(code: ReportRefusalCode, reason: string, io: AttestationIo): number {
  io.writeErr(`refused: ${code}: ${reason.replace(/[\r\n]+/g, " ")}\n`);
  return 1;
}
