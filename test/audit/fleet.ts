// Signed attestations of the example fleet for the audit-report tests: a temporary git repository
// holding examples/fleet (committed with fixed names and dates, so its commit id is the same on every
// machine), checked with a fixed --now and signed with the Ed25519 test key (deterministic
// signatures), so a report of it is the same bytes every time but for the running code's digest.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, onTestFinished } from "vitest";
import type { Statement } from "../../src/attest/index.js";
import { PACKAGE_ROOT, removeTree, stackTraceLines, tempRepo, type CliResult, type TempRepo } from "../helpers/cli.js";

export const KEYS = join(PACKAGE_ROOT, "test", "fixtures", "attest", "keys");
export const ED25519 = { privateKey: join(KEYS, "ed25519.private.pem"), publicKey: join(KEYS, "ed25519.public.pem") };
export const UNTRUSTED_KEY = join(KEYS, "untrusted-es256.private.pem");
export const TRUSTED_JWKS = join(KEYS, "trusted.jwks.json");
export const NOW = "2026-05-01T12:00:00Z";
export const REMOTE = "https://github.com/acme/models.git";
/** Variables a CI runner sets that would change the statement (its invocation, its ref). */
export const NO_CI = { GITHUB_SERVER_URL: "", GITHUB_REPOSITORY: "", GITHUB_RUN_ID: "", GITHUB_REF: "", GITHUB_SHA: "", CI_JOB_URL: "", OBSGATE_SIGNING_KEY: "" };
const FLEET = join(PACKAGE_ROOT, "examples", "fleet");
const FIXED_DATE = "2026-05-01T09:00:00Z";

/** Runs the CLI in the repository without CI variables, and fails the test on a stack trace. */
export async function obsgate(repo: TempRepo, args: readonly string[]): Promise<CliResult> {
  const result = await repo.run(args, { env: NO_CI, timeoutMs: 90_000 });
  expect(stackTraceLines(result.stderr), result.stderr).toEqual([]);
  return result;
}

/** A folder outside the repository for envelopes and reports, so writing them leaves the work tree clean. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-report-"));
  try {
    onTestFinished(() => removeTree(dir));
  } catch {
    // Outside a test (beforeAll): the caller removes it.
  }
  return dir;
}

/** A repository holding the example fleet at examples/fleet. */
export function fleetRepo(): TempRepo {
  const repo = tempRepo();
  cpSync(FLEET, repo.path(join("examples", "fleet")), { recursive: true });
  return repo;
}

/** Commits everything (the first call makes the repository, with `remote` as origin); returns the commit id. */
export function commitAll(repo: TempRepo, remote: string | null = REMOTE): string {
  const env = { ...process.env, GIT_AUTHOR_DATE: FIXED_DATE, GIT_COMMITTER_DATE: FIXED_DATE };
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=obsgate test", "-c", "user.email=test@obsgate.invalid", "-c", "commit.gpgsign=false", ...args], {
      cwd: repo.dir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  let fresh = false;
  try {
    git("rev-parse", "--git-dir");
    fresh = git("rev-list", "--all").length === 0;
  } catch {
    fresh = true;
  }
  if (fresh) {
    rmSync(repo.path(".git"), { recursive: true, force: true });
    git("init", "-q", "-b", "main");
    if (remote !== null) git("remote", "add", "origin", remote);
  }
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", "fleet");
  return git("rev-parse", "HEAD");
}

export interface SignedFleet {
  repo: TempRepo;
  /** A scratch folder outside the repository holding the envelope. */
  out: string;
  envelope: string;
  /** Removes both folders (for an afterAll, or as beforeAll's teardown). */
  remove(): void;
}

/** The example fleet committed in a fresh repository and attested at NOW with the Ed25519 key. */
export async function signedFleet(): Promise<SignedFleet> {
  const repo = fleetRepo();
  commitAll(repo);
  const out = scratch();
  const envelope = await attest(repo, out);
  return { repo, out, envelope, remove: () => [repo.dir, out].forEach(removeTree) };
}

/** `check examples/fleet --attestation` signed with `key` at `now`; returns the envelope's path. */
export async function attest(repo: TempRepo, out: string, options: { key?: string; now?: string; name?: string } = {}): Promise<string> {
  const envelope = join(out, options.name ?? "attestation.dsse.json");
  const result = await obsgate(repo, ["check", "examples/fleet", "--now", options.now ?? NOW, "--attestation", envelope, "--sign-key", options.key ?? ED25519.privateKey, "--format", "json", "--output", join(out, "check.json")]);
  // The fleet has open errors: the run fails, and the attestation records it.
  expect([0, 1], result.stderr).toContain(result.status);
  return envelope;
}

export function statementOf(envelopeFile: string): Statement {
  const envelope = JSON.parse(readFileSync(envelopeFile, "utf8")) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as Statement;
}

/**
 * The document with the running code's digest (which changes with every build of obsgate) replaced
 * by zeros, as the attestation payload golden pins it.
 */
export function withoutCodeDigest(document: string, envelopeFile: string): string {
  const digest = statementOf(envelopeFile).predicate.evaluator.digest.sha256;
  return document.split(digest).join("0".repeat(64));
}
