// The signed-provenance commands at the edge: `check --attestation`, `keygen`, `verify` and `gate`.
// This module reads keys (a file, or OBSGATE_SIGNING_KEY), envelopes (their size first), the running
// code, git and the CI environment, and writes key pairs and envelopes; every decision is one of
// src/attest's pure functions. A refusal is one line on stderr (`refused: <code>: <reason>`, exit 1);
// a problem with how the command was run is a diagnostic (exit 2). No message carries key material.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildStatement,
  checkEnvelopeSize,
  checkRunFacts,
  generateKeyPair,
  KeyError,
  loadPrivateKey,
  loadPublicKeys,
  rehashSubjects,
  serializeEnvelope,
  sha256Hex,
  signEnvelope,
  statementPayload,
  subjectRefusal,
  validatePredicate,
  verifyAttestation,
  gate,
  type PrivateKey,
  type PublicKey,
  type Refusal,
  type SigningAlgorithm,
  type VerifiedAttestation,
} from "../attest/index.js";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { gitSource } from "../load/git-source.js";
import { toRepoPath } from "../load/index.js";
import { referencedFiles } from "../model/index.js";
import { packageRoot, runningFromBundle } from "../package-root.js";
import { readInputs, type CheckRun } from "../pipeline.js";
import { compareStrings } from "../types.js";
import { writeNewFileAtomic } from "./output.js";

/** Where CI keeps the signing key's text when no `--sign-key` file is given. */
export const SIGNING_KEY_ENV = "OBSGATE_SIGNING_KEY";

/** A key file, PEM or JSON, is a few kilobytes; a larger "key" is a wrong path (a log, a device). */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

/** The names `keygen` writes in `--out`, as docs/provenance.md gives them. */
export const KEYGEN_FILES = { privateKey: "obsgate.key", publicKey: "obsgate.pub", jwks: "obsgate.jwks.json" } as const;

export interface AttestationIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

// ---- check --attestation ---------------------------------------------------------------------

/**
 * The signing key of `check --attestation`, loaded before the run starts so that a bad key stops it
 * at once (exit 2) and nothing is written. From `--sign-key FILE`, else OBSGATE_SIGNING_KEY's value.
 */
export async function readSigningKey(signKey: string | undefined, io: Pick<AttestationIo, "cwd" | "env">): Promise<PrivateKey> {
  if (signKey !== undefined) {
    const text = readKeyFile(resolve(io.cwd, signKey), signKey, "--sign-key");
    return loadingKey(signKey, () => loadPrivateKey(text, signKey));
  }
  const value = io.env[SIGNING_KEY_ENV];
  if (value !== undefined && value.trim() !== "") return loadingKey(SIGNING_KEY_ENV, () => loadPrivateKey(value, SIGNING_KEY_ENV));
  throw new DiagnosticError(
    diagnostic("usage_error", `--attestation needs a signing key: --sign-key FILE, or the key itself in ${SIGNING_KEY_ENV} (obsgate keygen makes one)`),
  );
}

/**
 * The envelope of a finished run, as the bytes to write: the Statement built from the report and the
 * digests of the files as they were read, stamped with the run's clock, signed with `key`. Git is
 * asked before any output is written, so the run's own outputs do not make the tree look dirty.
 */
export function signedAttestation(run: CheckRun, key: PrivateKey, env: NodeJS.ProcessEnv): string {
  const git = gitSource(run.inputs.repoRoot, env);
  const statement = buildStatement(
    checkRunFacts(run.report, {
      now: run.inputs.now,
      digests: run.inputs.digests,
      evaluatorSha256: evaluatorDigest(),
      repository: git.repository,
      source: { commit: git.commit, ref: git.ref, dirty: git.dirty },
      invocation: { ciRunUrl: ciRunUrl(env) },
    }),
  );
  // Never sign what `verify` would refuse: a statement that breaks its own schema is a bug here.
  const problems = validatePredicate(statement.predicate);
  if (problems.length > 0) throw new Error(`the statement does not fit its schema: ${problems[0]}`);
  return serializeEnvelope(signEnvelope(statementPayload(statement), key));
}

/** The CI run's URL: GitHub Actions' (server, repository, run id), else GitLab's job URL, else null. */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (server && repository && runId) return `${server.replace(/\/+$/, "")}/${repository}/actions/runs/${runId}`;
  return env.CI_JOB_URL ? env.CI_JOB_URL : null;
}

let codeDigest: string | undefined;

/**
 * SHA-256 of the code that is running: of the `sha256sum` listing of every `.js` file of obsgate's
 * `lib/` (sorted by path, paths relative to the package), so anyone can recompute it from an
 * installed package: `find lib -type f -name '*.js' | LC_ALL=C sort | xargs sha256sum | sha256sum`.
 * (Under the tests, which run `src/`, it is the same over `src/**\/*.ts`.) Run from a bundle under
 * `dist/` (the GitHub Action's `dist/index.js`, the hook's `dist/cli.js`), the code is that one file:
 * the digest is its own SHA-256 (`sha256sum dist/index.js`).
 */
export function evaluatorDigest(): string {
  if (codeDigest !== undefined) return codeDigest;
  const self = fileURLToPath(import.meta.url);
  if (runningFromBundle()) {
    codeDigest = sha256Hex(readFileSync(self));
    return codeDigest;
  }
  const codeDir = resolve(dirname(self), "..");
  const extension = extname(self);
  const root = packageRoot();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(extension) && !entry.name.endsWith(".d.ts")) files.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(codeDir);
  const listing = files
    .sort(compareStrings)
    .map((path) => `${sha256Hex(readFileSync(join(root, path)))}  ${path}\n`)
    .join("");
  codeDigest = sha256Hex(Buffer.from(listing, "utf8"));
  return codeDigest;
}

// ---- keygen ----------------------------------------------------------------------------------

/** `keygen`: writes a new key pair into `out` (never over an existing file) and prints its keyid. */
export async function keygen(options: { alg: SigningAlgorithm; out: string }, io: AttestationIo): Promise<void> {
  const dir = resolve(io.cwd, options.out);
  const shown = (name: string) => join(options.out, name);
  const taken = Object.values(KEYGEN_FILES).filter((name) => lstatSync(join(dir, name), { throwIfNoEntry: false }) !== undefined);
  if (taken.length > 0) {
    throw new DiagnosticError(
      taken.map((name) => diagnostic("output_error", "already exists; keygen never overwrites a key: move it away, or choose another --out", shown(name))),
    );
  }
  const pair = await generateKeyPair(options.alg);
  // The private key first: a pair is useless without it, and it is the file that must be 0600.
  writeNewFileAtomic(join(dir, KEYGEN_FILES.privateKey), pair.privateKeyPem, shown(KEYGEN_FILES.privateKey), 0o600);
  writeNewFileAtomic(join(dir, KEYGEN_FILES.publicKey), pair.publicKeyPem, shown(KEYGEN_FILES.publicKey));
  writeNewFileAtomic(join(dir, KEYGEN_FILES.jwks), `${JSON.stringify({ keys: [pair.publicJwk] }, null, 2)}\n`, shown(KEYGEN_FILES.jwks));
  io.writeErr(
    `wrote ${shown(KEYGEN_FILES.privateKey)} (${options.alg} private key, mode 0600: keep it secret, e.g. as the CI secret ${SIGNING_KEY_ENV}), ` +
      `${shown(KEYGEN_FILES.publicKey)} and ${shown(KEYGEN_FILES.jwks)} (public: pin them with verify/gate --key or --jwks); keyid:\n`,
  );
  io.writeOut(`${pair.keyid}\n`);
}

// ---- verify and gate -------------------------------------------------------------------------

export interface VerifyFlags {
  key?: string;
  jwks?: string;
  root?: string;
}

export interface GateFlags extends VerifyFlags {
  allowWarnings?: boolean;
  maxAge?: number;
  commit?: string;
  model: string[];
  policyDigest: string[];
  now?: Date;
}

/** `verify`: 0 valid (one summary line on stdout), 1 refused (one line on stderr). */
export async function verifyCommand(envelope: string, flags: VerifyFlags, io: AttestationIo): Promise<number> {
  const checked = await verifiedAttestation(envelope, flags, io);
  if (!checked.ok) return refused(checked, io);
  const { verified, rehashed } = checked;
  const predicate = verified.statement.predicate;
  const subjects = verified.statement.subject.length;
  const files = rehashed === null ? "" : ` (${rehashed} file${rehashed === 1 ? "" : "s"} re-hashed under ${flags.root})`;
  io.writeOut(`valid: keyid ${verified.keyid}, result ${predicate.result}, ${subjects} subject${subjects === 1 ? "" : "s"}${files}, evaluated ${predicate.timeEvaluated}\n`);
  return 0;
}

/** `gate`: verify as `verify` does, then the deploy policy; 0 passed, 1 refused. */
export async function gateCommand(envelope: string, flags: GateFlags, io: AttestationIo): Promise<number> {
  const checked = await verifiedAttestation(envelope, flags, io);
  if (!checked.ok) return refused(checked, io);
  const { verified } = checked;
  const deployed = flags.root === undefined ? new Map<string, string>() : await deployedFiles(resolve(io.cwd, flags.root), flags.root, flags.model);
  const decision = gate(verified.statement, {
    allowWarnings: flags.allowWarnings === true,
    maxAgeSeconds: flags.maxAge ?? null,
    now: flags.now ?? new Date(),
    commit: flags.commit ?? null,
    models: flags.model,
    policyDigests: flags.policyDigest,
    deployedFiles: deployed,
  });
  if (!decision.ok) return refused(decision, io);
  const covered = flags.root === undefined ? "" : `; ${deployed.size} deployed file${deployed.size === 1 ? "" : "s"} covered`;
  io.writeOut(`passed: ${decision.summary}${covered}; keyid ${verified.keyid}\n`);
  return 0;
}

type Checked = { ok: true; verified: VerifiedAttestation; rehashed: number | null } | Refusal;

/** The pinned keys, the envelope's size, its signature and Statement, then (with --root) its file subjects. */
export async function verifiedAttestation(envelope: string, flags: VerifyFlags, io: AttestationIo): Promise<Checked> {
  const keys = await readPinnedKeys(flags, io.cwd);
  const root = flags.root === undefined ? null : existingFolder(resolve(io.cwd, flags.root), flags.root);
  const bytes = readEnvelope(resolve(io.cwd, envelope), envelope);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const verified = verifyAttestation(bytes, keys);
  if (!verified.ok) return verified;
  if (root === null) return { ok: true, verified, rehashed: null };
  const check = rehashSubjects(verified.statement.subject, root);
  const problem = subjectRefusal(check);
  if (problem) return problem;
  return { ok: true, verified, rehashed: check.matched.length };
}

function refused(refusal: Refusal, io: AttestationIo): number {
  io.writeErr(`refused: ${refusal.code}: ${refusal.reason}\n`);
  return 1;
}

/** `--key FILE` (one public key) or `--jwks FILE` (several); a private key or a bad file is a diagnostic. */
async function readPinnedKeys(flags: VerifyFlags, cwd: string): Promise<PublicKey[]> {
  if (flags.key === undefined && flags.jwks === undefined) {
    throw new DiagnosticError(diagnostic("usage_error", "pin the key to verify with: --key FILE (a public key, PEM or JWK) or --jwks FILE (a JWKS)"));
  }
  const [path, flag] = flags.key !== undefined ? [flags.key, "--key"] : [flags.jwks!, "--jwks"];
  const text = readKeyFile(resolve(cwd, path), path, flag);
  const keys = await loadingKey(path, () => loadPublicKeys(text, path));
  if (flag === "--key" && keys.length > 1) {
    throw new DiagnosticError(diagnostic("key_error", `holds ${keys.length} keys; --key pins one, pin several with --jwks`, path));
  }
  return keys;
}

/** Loads a key, turning any failure into a diagnostic that names where the key came from and never what it holds. */
async function loadingKey<T>(source: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    // KeyError messages are built from fixed text (src/attest/keys.ts); anything else is dropped, not
    // quoted, since a parser's message may echo the text it choked on.
    const problem = error instanceof KeyError ? error.message.replace(`${source}: `, "") : "cannot be read as a key";
    throw new DiagnosticError(diagnostic("key_error", problem, source));
  }
}

/** A key file's text, read whole within its limit, or a diagnostic naming `shown` (never its content). */
function readKeyFile(absolute: string, shown: string, flag: string): string {
  const read = readRegular(absolute, MAX_KEY_FILE_BYTES);
  if ("problem" in read) throw new DiagnosticError(diagnostic("key_error", `${flag}: cannot read the key file (${read.problem})`, shown));
  if (!("bytes" in read)) {
    const size = "size" in read ? `${read.size} bytes` : "too large";
    throw new DiagnosticError(diagnostic("key_error", `${flag}: the file is ${size}, too large to be a key (at most ${MAX_KEY_FILE_BYTES} bytes)`, shown));
  }
  return read.bytes.toString("utf8");
}

/** The envelope's bytes, refused by its size before it is read; an unreadable path is a diagnostic. */
export function readEnvelope(absolute: string, shown: string): Uint8Array | Refusal {
  const read = readRegular(absolute, Number.MAX_SAFE_INTEGER, checkEnvelopeSize);
  if ("problem" in read) throw new DiagnosticError(diagnostic("usage_error", `cannot read the envelope (${read.problem})`, shown));
  if ("refusal" in read) return read.refusal;
  if (!("bytes" in read)) throw new Error("an envelope has no size limit but its refusal");
  return read.bytes;
}

type Read = { bytes: Buffer } | { size: number } | { problem: string } | { refusal: Refusal };

/** One open, one fstat, then (when the size allows) one read: the size is judged before any byte is read. */
function readRegular(absolute: string, maxBytes: number, judgeSize?: (size: number) => Refusal | null): Read {
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: systemReason(error) };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { problem: info.isDirectory() ? "it is a directory" : "not a regular file" };
    const refusal = judgeSize?.(info.size) ?? null;
    if (refusal) return { refusal };
    if (info.size > maxBytes) return { size: info.size };
    return { bytes: readFileSync(fd) };
  } catch (error) {
    return { problem: systemReason(error) };
  } finally {
    closeSync(fd);
  }
}

export function existingFolder(absolute: string, shown: string): string {
  const info = statSync(absolute, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new DiagnosticError(diagnostic("usage_error", `--root ${shown}: ${info ? "not a folder" : "no such folder"}`));
  return absolute;
}

/**
 * `gate --root`: path (relative to the root) → SHA-256 of every manifest, rule file and backend
 * config under the root that belongs to the gated models (all models when none is named), found by
 * the same discovery and assembly `check` runs. A file a manifest names that does not exist is not
 * deployed; one that exists but cannot be read is a diagnostic: the gate cannot vouch for it.
 */
async function deployedFiles(root: string, shownRoot: string, models: readonly string[]): Promise<Map<string, string>> {
  const inputs = await readInputs({ paths: [root], cwd: root, digests: true });
  const gated = (name: string | null | undefined) => typeof name === "string" && (models.length === 0 || models.includes(name));
  const paths = new Set<string>();
  for (const model of inputs.models) {
    if (model.manifest !== null && gated(model.input.model?.name)) for (const path of model.files) paths.add(path);
  }
  // A manifest that breaks its schema assembles no model, but it is still deployed, with the files it names.
  for (const model of inputs.reportModels) {
    if (model.status !== "invalid" || !gated(model.name)) continue;
    paths.add(model.file);
    for (const doc of inputs.documents) {
      if (doc.kind === "model-manifest" && doc.file === model.file) for (const named of referencedFiles(doc)) paths.add(toRepoPath(inputs.repoRoot, named));
    }
  }
  const deployed = new Map<string, string>();
  for (const path of [...paths].sort(compareStrings)) {
    const absolute = resolve(inputs.repoRoot, path);
    const digest = inputs.digests.get(path);
    if (digest === undefined) {
      if (!existsSync(absolute)) continue;
      const reason = inputs.files.find((f) => f.path === path)?.reason ?? "it was not read";
      throw new DiagnosticError(diagnostic("usage_error", `gate --root ${shownRoot}: cannot hash deployed file ${path} (${reason})`));
    }
    deployed.set(toRepoPath(root, absolute), digest);
  }
  return deployed;
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    EISDIR: "it is a directory",
    ELOOP: "too many symbolic links",
    ENOTDIR: "a part of the path is not a folder",
  };
  return (code && reasons[code]) ?? code ?? (error instanceof Error ? error.message : String(error));
}
