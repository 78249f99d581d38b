// Signed provenance through the real CLI process (issue 7): `check --attestation` writes a DSSE
// envelope that `verify` and `gate` accept (ES256 and Ed25519, keys from a file, a JWKS or
// OBSGATE_SIGNING_KEY), and refuse once anything changes; `keygen`; a failed run writes no
// envelope; no command ever prints a private key. The fleet's payload is pinned by a golden file:
//   OBSGATE_UPDATE_GOLDEN=1 npx vitest run test/cli/attestation.test.ts
import { execFileSync, execSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { canonicalJson, type Statement } from "../../src/attest/index.js";
import { PACKAGE_ROOT, removeTree, stackTraceLines, tempRepo, type CliResult, type TempRepo } from "../helpers/cli.js";

const KEYS = join(PACKAGE_ROOT, "test", "fixtures", "attest", "keys");
const FLEET = join(PACKAGE_ROOT, "examples", "fleet");
const GOLDEN = join(PACKAGE_ROOT, "test", "golden", "check-fleet-attestation-payload.golden.json");
const NOW = "2026-05-01T12:00:00Z";
const NOW_ISO = "2026-05-01T12:00:00.000Z";
/** Variables a CI runner sets that would change the statement (its invocation, its ref). */
const NO_CI = { GITHUB_SERVER_URL: "", GITHUB_REPOSITORY: "", GITHUB_RUN_ID: "", GITHUB_REF: "", GITHUB_SHA: "", CI_JOB_URL: "", OBSGATE_SIGNING_KEY: "" };

const ALGORITHMS = [
  { alg: "ES256", privateKey: join(KEYS, "es256.private.pem"), publicKey: join(KEYS, "es256.public.pem") },
  { alg: "Ed25519", privateKey: join(KEYS, "ed25519.private.pem"), publicKey: join(KEYS, "ed25519.public.pem") },
] as const;
const [, ED25519] = ALGORITHMS;
const TRUSTED_JWKS = join(KEYS, "trusted.jwks.json");

/** Every output of every command these tests ran, to search for key material at the end. */
const outputs: CliResult[] = [];

async function run(repo: TempRepo, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await repo.run(args, { env: { ...NO_CI, ...env } });
  outputs.push(result);
  expect(stackTraceLines(result.stderr), result.stderr).toEqual([]);
  return result;
}

/** A folder outside the repository for keys and envelopes, so that writing them leaves the work tree clean. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-attest-"));
  onTestFinished(() => removeTree(dir));
  return dir;
}

/**
 * A repository holding the fleet's fraud-detector (which passes) and the platform's backend configs,
 * at their places under examples/fleet; with `fleet`, the whole example fleet (which fails).
 */
function fleetRepo(which: "fraud-detector" | "fleet" = "fraud-detector"): TempRepo {
  const repo = tempRepo();
  const dirs = which === "fleet" ? [""] : ["fraud-detector", "platform"];
  for (const dir of dirs) cpSync(join(FLEET, dir), repo.path(join("examples", "fleet", dir)), { recursive: true });
  // The platform's own host alerts break a rule of their own; without the rest of the fleet, drop them.
  if (which === "fraud-detector") rmSync(repo.path("examples/fleet/platform/node-alerts.yaml"));
  return repo;
}

/** Turns the repository into a real git work tree with one commit; returns the commit id. */
function commitAll(repo: TempRepo): string {
  rmSync(repo.path(".git"), { recursive: true, force: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=obsgate test", "-c", "user.email=test@obsgate.invalid", "-c", "commit.gpgsign=false", ...args], {
      cwd: repo.dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "fleet");
  return git("rev-parse", "HEAD");
}

function payloadOf(envelopeFile: string): { bytes: Buffer; statement: Statement } {
  const envelope = JSON.parse(readFileSync(envelopeFile, "utf8")) as { payload: string };
  const bytes = Buffer.from(envelope.payload, "base64");
  return { bytes, statement: JSON.parse(bytes.toString("utf8")) as Statement };
}

/** The one line a refused verify or gate prints: `refused: <code>: <reason>`. */
function expectRefusal(result: CliResult, code: string, reason?: RegExp): void {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stdout).toBe("");
  const lines = result.stderr.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^refused: ${code}: `));
  if (reason) expect(lines[0]).toMatch(reason);
}

/** Checks the repository and writes an attestation signed with `key`; returns the envelope's path. */
async function attest(repo: TempRepo, key: string, args: readonly string[] = ["."], out = scratch()): Promise<string> {
  const envelope = join(out, "attestation.dsse.json");
  const result = await run(repo, ["check", ...args, "--now", NOW, "--attestation", envelope, "--sign-key", key]);
  expect(result.status, result.stderr).toBe(0);
  expect(existsSync(envelope)).toBe(true);
  return envelope;
}

describe("check --attestation → verify → gate", () => {
  for (const { alg, privateKey, publicKey } of ALGORITHMS) {
    it(`round-trips with ${alg}: the envelope verifies (also re-hashed under --root) and passes the gate`, async () => {
      const repo = fleetRepo();
      const envelope = await attest(repo, privateKey);
      const { statement } = payloadOf(envelope);
      expect(statement.predicate.result).toBe("PASSED");
      expect(statement.predicate.timeEvaluated).toBe(NOW_ISO);
      const files = statement.subject.filter((s) => !s.name.startsWith("obsgate:"));

      const verified = await run(repo, ["verify", envelope, "--key", publicKey, "--root", "."]);
      expect(verified.status, verified.stderr).toBe(0);
      expect(verified.stderr).toBe("");
      expect(verified.stdout).toMatch(
        new RegExp(`^valid: keyid [\\w-]{43}, result PASSED, ${statement.subject.length} subjects \\(${files.length} files re-hashed under \\.\\), evaluated ${NOW_ISO.replace(/\./g, "\\.")}\\n$`),
      );
      const byJwks = await run(repo, ["verify", envelope, "--jwks", TRUSTED_JWKS]);
      expect(byJwks.status, byJwks.stderr).toBe(0);

      const gated = await run(repo, ["gate", envelope, "--key", publicKey, "--root", ".", "--now", "2026-05-02T12:00:00Z", "--max-age", "7d", "--model", "fraud-detector"]);
      expect(gated.status, gated.stderr).toBe(0);
      expect(gated.stdout).toMatch(/^passed: model fraud-detector: PASSED, evaluated 2026-05-01T12:00:00\.000Z; \d+ deployed files covered; keyid [\w-]{43}\n$/);
      // Without --model: every model under the root, with the same files.
      const whole = await run(repo, ["gate", envelope, "--key", publicKey, "--root", ".", "--now", "2026-05-02T12:00:00Z"]);
      expect(whole.status, whole.stderr).toBe(0);
      expect(whole.stdout).toMatch(/^passed: the whole run: PASSED/);
    });
  }

  it("records every input file the run read with the digest of its bytes, and the built-in bundle", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey, ["examples/fleet/fraud-detector"]);
    const { statement } = payloadOf(envelope);
    const evaluated = statement.predicate.files.filter((f) => f.status !== "skipped").map((f) => f.path);
    const fileSubjects = statement.subject.filter((s) => !s.name.startsWith("obsgate:"));
    expect(fileSubjects.map((s) => s.name)).toEqual(evaluated);
    for (const subject of fileSubjects) {
      const digest = execFileSync("sha256sum", [repo.path(subject.name)], { encoding: "utf8" }).split(" ")[0];
      expect(subject.digest.sha256, subject.name).toBe(digest);
    }
    // The skipped Sloth file took no part in the run.
    expect(statement.subject.map((s) => s.name)).not.toContain("examples/fleet/fraud-detector/slo/fraud-detector.sloth.yaml");
    const builtin = statement.subject.find((s) => s.name.startsWith("obsgate:builtin/"));
    expect(builtin?.name).toMatch(/^obsgate:builtin\/\d+\.\d+\.\d+[^/]*\/policy\.wasm$/);
    expect(builtin?.digest.sha256).toBe(statement.predicate.policySets[0]!.sha256);
    expect(statement.predicate.policySets[0]!.sha256).toBe(execFileSync("sha256sum", [join(PACKAGE_ROOT, "dist", "policies", "policy.wasm")], { encoding: "utf8" }).split(" ")[0]);
  });

  it("records each --data file, in the predicate and as a subject that verify --root re-hashes", async () => {
    const repo = fleetRepo();
    repo.write("org/teams.yaml", "teams:\n  team-risk: {}\n");
    repo.write("org/owners.json", '{"owners": ["team-risk"]}\n');
    const envelope = await attest(repo, ED25519.privateKey, [".", "--data", "org/teams.yaml", "--data", "org/owners.json"]);
    const { statement } = payloadOf(envelope);
    const sha256 = (file: string) => execFileSync("sha256sum", [repo.path(file)], { encoding: "utf8" }).split(" ")[0];
    expect(statement.predicate.policyData).toEqual([
      { path: "org/teams.yaml", sha256: sha256("org/teams.yaml") },
      { path: "org/owners.json", sha256: sha256("org/owners.json") },
    ]);
    for (const file of ["org/teams.yaml", "org/owners.json"]) {
      expect(statement.subject.find((s) => s.name === file)?.digest.sha256, file).toBe(sha256(file));
    }
    expect((await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--root", "."])).status).toBe(0);
    repo.write("org/teams.yaml", "teams:\n  team-risk: {}\n  team-lending: {}\n");
    expectRefusal(await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--root", "."]), "subject_mismatch", /subject org\/teams\.yaml has sha256 [0-9a-f]{64} on disk/);
  });

  it("writes the same payload for the same fleet and --now: the golden payload of examples/fleet (Ed25519)", async () => {
    const repo = fleetRepo("fleet");
    const out = scratch();
    const first = join(out, "first.dsse.json");
    const second = join(out, "second.dsse.json");
    for (const file of [first, second]) {
      const result = await run(repo, ["check", "examples/fleet", "--now", NOW, "--attestation", file, "--sign-key", ED25519.privateKey, "--format", "json", "--output", join(out, "report.json")]);
      // Open errors fail the run, and the attestation still records it.
      expect(result.status, result.stderr).toBe(1);
    }
    const a = payloadOf(first);
    const b = payloadOf(second);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    // Ed25519 signatures are deterministic too: the same envelope, byte for byte.
    expect(readFileSync(second, "utf8")).toBe(readFileSync(first, "utf8"));
    // The payload is RFC 8785 canonical JSON.
    expect(a.bytes.toString("utf8")).toBe(canonicalJson(a.statement));

    // The evaluator's digest is that of the running code, as docs/provenance.md says to recompute it.
    const code = execSync("find lib -type f -name '*.js' | LC_ALL=C sort | xargs sha256sum | sha256sum", { cwd: PACKAGE_ROOT, encoding: "utf8", shell: "/bin/sh" }).split(" ")[0];
    expect(a.statement.predicate.evaluator.digest.sha256).toBe(code);

    // Pinned without what changes with every build of obsgate (the code's digest).
    const pinned = { ...a.statement, predicate: { ...a.statement.predicate, evaluator: { ...a.statement.predicate.evaluator, digest: { sha256: "0".repeat(64) } } } };
    const text = `${JSON.stringify(pinned, null, 2)}\n`;
    if (process.env.OBSGATE_UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, text);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with OBSGATE_UPDATE_GOLDEN=1`).toBe(true);
    expect(pinned).toEqual(JSON.parse(readFileSync(GOLDEN, "utf8")));

    // Outside git and CI, the statement says so rather than guess.
    expect(a.statement.predicate.repository).toBeNull();
    expect(a.statement.predicate.source).toEqual({ commit: null, ref: null, dirty: null });
    expect(a.statement.predicate.invocation).toEqual({ ciRunUrl: null });

    // A FAILED run never passes the gate, whatever else is allowed.
    const gated = await run(repo, ["gate", first, "--key", ED25519.publicKey, "--allow-warnings", "--now", "2026-05-01T13:00:00Z"]);
    expectRefusal(gated, "result_failed", /the result for the whole run is FAILED/);
  });

  it("records git's commit, ref and clean tree, and the CI run's URL, and gates on --commit", async () => {
    const repo = fleetRepo();
    const commit = commitAll(repo);
    const out = scratch();
    const envelope = join(out, "attestation.dsse.json");
    const checked = await run(repo, ["check", ".", "--now", NOW, "--attestation", envelope, "--sign-key", ED25519.privateKey], {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/models",
      GITHUB_RUN_ID: "4242",
    });
    expect(checked.status, checked.stderr).toBe(0);
    const { statement } = payloadOf(envelope);
    expect(statement.predicate.source).toEqual({ commit, ref: "refs/heads/main", dirty: false });
    expect(statement.predicate.invocation).toEqual({ ciRunUrl: "https://github.com/acme/models/actions/runs/4242" });

    const gateArgs = ["gate", envelope, "--key", ED25519.publicKey, "--root", ".", "--now", "2026-05-01T12:30:00Z"];
    const passed = await run(repo, [...gateArgs, "--commit", commit.toUpperCase()]);
    expect(passed.status, passed.stderr).toBe(0);
    // A replay of this passing attestation for another commit is refused.
    const other = "0123456789abcdef0123456789abcdef01234567";
    expectRefusal(await run(repo, [...gateArgs, "--commit", other]), "commit_mismatch", new RegExp(`is for commit ${commit}, not ${other}`));
    // An abbreviated commit is a usage error, not a mismatch.
    const short = await run(repo, [...gateArgs, "--commit", commit.slice(0, 7)]);
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/usage_error: .*full commit id/);
  });

  it("records a remote without its credentials, and a dirty tree, which --commit refuses", async () => {
    const repo = fleetRepo();
    const commit = commitAll(repo);
    execFileSync("git", ["remote", "add", "origin", "https://x-access-token:ghs_secret@github.com/acme/models.git"], { cwd: repo.dir });
    repo.write("examples/fleet/fraud-detector/NOTES.md", "uncommitted\n");
    const envelope = await attest(repo, ED25519.privateKey);
    const { statement, bytes } = payloadOf(envelope);
    expect(statement.predicate.repository).toBe("https://github.com/acme/models.git");
    expect(bytes.toString("utf8")).not.toContain("ghs_secret");
    expect(statement.predicate.source).toEqual({ commit, ref: "refs/heads/main", dirty: true });
    expectRefusal(await run(repo, ["gate", envelope, "--key", ED25519.publicKey, "--commit", commit, "--now", NOW]), "commit_dirty");
  });
});

describe("verify refuses", () => {
  it("a tampered envelope: one changed byte in the payload (exit 1, one line)", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ALGORITHMS[0].privateKey);
    const parsed = JSON.parse(readFileSync(envelope, "utf8")) as { payload: string };
    const payload = Buffer.from(parsed.payload, "base64");
    const text = payload.toString("utf8").replace('"result":"PASSED"', '"result":"PASSES"');
    expect(text).not.toBe(payload.toString("utf8"));
    writeFileSync(envelope, JSON.stringify({ ...parsed, payload: Buffer.from(text).toString("base64") }));
    expectRefusal(await run(repo, ["verify", envelope, "--key", ALGORITHMS[0].publicKey]), "bad_signature", /does not verify with that key/);
  });

  it("a file changed since the check, with --root (and accepts the envelope without --root)", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    const manifest = "examples/fleet/fraud-detector/fraud-detector.obsgate.yaml";
    writeFileSync(repo.path(manifest), `${readFileSync(repo.path(manifest), "utf8")}# changed\n`);
    expectRefusal(await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--root", "."]), "subject_mismatch", new RegExp(`subject ${manifest} has sha256 [0-9a-f]{64} on disk`));
    expect((await run(repo, ["verify", envelope, "--key", ED25519.publicKey])).status).toBe(0);
  });

  it("a signature by a key nobody pinned, and an envelope over 16 MiB before reading it", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, join(KEYS, "untrusted-es256.private.pem"));
    expectRefusal(await run(repo, ["verify", envelope, "--jwks", TRUSTED_JWKS]), "untrusted_key");
    const huge = join(scratch(), "huge.dsse.json");
    writeFileSync(huge, "");
    truncateSync(huge, 50 * 1024 * 1024); // sparse: its size says 50 MB, nothing needs reading
    expectRefusal(await run(repo, ["verify", huge, "--key", ED25519.publicKey]), "envelope_too_large", /52428800 bytes, over the limit of 16 MiB/);
  });

  it("is a usage error (exit 2) without a pinned key, with a private key pinned, or an unreadable envelope", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    const noKey = await run(repo, ["verify", envelope]);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/^<command-line>:1:1: usage_error: pin the key to verify with: --key FILE/);
    const privatePinned = await run(repo, ["verify", envelope, "--key", ED25519.privateKey]);
    expect(privatePinned.status).toBe(2);
    expect(privatePinned.stderr).toBe(`${ED25519.privateKey}:1:1: key_error: is a private key; pin the public key instead (keygen writes it beside the private key)\n`);
    const missing = await run(repo, ["verify", "nowhere.dsse.json", "--key", ED25519.publicKey]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("nowhere.dsse.json:1:1: usage_error: cannot read the envelope (no such file)\n");
    const both = await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--jwks", TRUSTED_JWKS]);
    expect(both.status).toBe(2);
    const badRoot = await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--root", "nowhere"]);
    expect(badRoot.status).toBe(2);
    expect(badRoot.stderr).toMatch(/usage_error: --root nowhere: no such folder/);
  });
});

describe("gate refuses", () => {
  const gateOf = (envelope: string, ...args: string[]) => ["gate", envelope, "--key", ED25519.publicKey, ...args];

  it("an attestation older than --max-age, or from the future", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    expectRefusal(await run(repo, gateOf(envelope, "--max-age", "7d", "--now", "2026-05-09T12:00:00Z")), "time_too_old", /evaluated at 2026-05-01T12:00:00\.000Z, 8d ago, older than the maximum age of 7d$/);
    expect((await run(repo, gateOf(envelope, "--max-age", "7d", "--now", "2026-05-08T12:00:00Z"))).status).toBe(0);
    expectRefusal(await run(repo, gateOf(envelope, "--now", "2026-05-01T11:00:00Z")), "time_future", /evaluated at 2026-05-01T12:00:00\.000Z, 1h after the gate's clock \(2026-05-01T11:00:00\.000Z\)$/);
    const badAge = await run(repo, gateOf(envelope, "--max-age", "a week"));
    expect(badAge.status).toBe(2);
    expect(badAge.stderr).toMatch(/usage_error: .*expected a duration such as 7d/);
  });

  it("a policy digest that is not allowed (and passes the one that ran)", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    const builtin = payloadOf(envelope).statement.predicate.policySets[0]!.sha256;
    expectRefusal(await run(repo, gateOf(envelope, "--now", NOW, "--policy-digest", "ab".repeat(32))), "policy_digest", new RegExp(`policy set "builtin" has sha256 ${builtin}`));
    const allowed = await run(repo, gateOf(envelope, "--now", NOW, "--policy-digest", "ab".repeat(32), "--policy-digest", `sha256:${builtin}`));
    expect(allowed.status, allowed.stderr).toBe(0);
  });

  it("a gated model the attestation does not cover", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    expectRefusal(await run(repo, gateOf(envelope, "--now", NOW, "--model", "churn-predictor")), "model_absent", /model "churn-predictor" is not in the statement/);
  });

  it("a deployed file that is not a subject: a rule file of the model added since the check", async () => {
    const repo = fleetRepo();
    const envelope = await attest(repo, ED25519.privateKey);
    repo.write(
      "examples/fleet/fraud-detector/alerts/extra.rules.yaml",
      ["groups:", "  - name: extra", "    rules:", "      - record: fraud:requests:rate5m", "        expr: sum(rate(fraud_inference_requests_total[5m]))", "        labels:", "          model: fraud-detector", ""].join("\n"),
    );
    // verify --root re-hashes the subjects only: the new file is no subject, so verify still accepts.
    expect((await run(repo, ["verify", envelope, "--key", ED25519.publicKey, "--root", "."])).status).toBe(0);
    expectRefusal(
      await run(repo, gateOf(envelope, "--now", NOW, "--root", ".", "--model", "fraud-detector")),
      "file_not_covered",
      /deployed file examples\/fleet\/fraud-detector\/alerts\/extra\.rules\.yaml is not a subject of the statement/,
    );
  });

  it("a WARNED result unless --allow-warnings", async () => {
    const repo = fleetRepo();
    // An alert without a severity label: an open error, which --fail-on never does not fail on,
    // and which a gate must still not read as clean.
    repo.write(
      "examples/fleet/fraud-detector/alerts/extra.rules.yaml",
      ["groups:", "  - name: extra", "    rules:", "      - alert: FraudDetectorExtra", "        expr: up{job=\"fraud-api\"} == 0", "        for: 5m", "        labels:", "          model: fraud-detector", ""].join("\n"),
    );
    const envelope = await attest(repo, ED25519.privateKey, [".", "--fail-on", "never"]);
    expect(payloadOf(envelope).statement.predicate.result).toBe("WARNED");
    expectRefusal(await run(repo, gateOf(envelope, "--now", NOW)), "result_warned", /the result for the whole run is WARNED/);
    expectRefusal(await run(repo, gateOf(envelope, "--now", NOW, "--model", "fraud-detector")), "result_warned", /the result for model fraud-detector is WARNED/);
    const allowed = await run(repo, gateOf(envelope, "--now", NOW, "--allow-warnings", "--root", "."));
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^passed: the whole run: WARNED \(allowed\)/);
  });
});

describe("keygen", () => {
  for (const alg of ["ES256", "EdDSA"] as const) {
    it(`writes an ${alg} pair (private key mode 0600), prints its keyid, signs and verifies, never overwrites`, async () => {
      const repo = fleetRepo();
      const out = join(scratch(), "keys");
      const made = await run(repo, ["keygen", "--alg", alg, "--out", out]);
      expect(made.status, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/^[\w-]{43}\n$/);
      const keyid = made.stdout.trim();
      expect(readdirSync(out).sort()).toEqual(["obsgate.jwks.json", "obsgate.key", "obsgate.pub"]);
      expect(statSync(join(out, "obsgate.key")).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(out, "obsgate.key"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(readFileSync(join(out, "obsgate.pub"), "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const jwks = JSON.parse(readFileSync(join(out, "obsgate.jwks.json"), "utf8")) as { keys: Array<Record<string, string>> };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kid: keyid, alg, use: "sig" });
      expect(jwks.keys[0]).not.toHaveProperty("d");

      const envelope = await attest(repo, join(out, "obsgate.key"));
      const parsed = JSON.parse(readFileSync(envelope, "utf8")) as { signatures: Array<{ keyid: string }> };
      expect(parsed.signatures.map((s) => s.keyid)).toEqual([keyid]);
      for (const pin of [["--jwks", join(out, "obsgate.jwks.json")], ["--key", join(out, "obsgate.pub")]]) {
        const verified = await run(repo, ["verify", envelope, ...pin]);
        expect(verified.status, verified.stderr).toBe(0);
        expect(verified.stdout).toContain(`keyid ${keyid},`);
      }

      const before = readFileSync(join(out, "obsgate.key"));
      const again = await run(repo, ["keygen", "--alg", alg, "--out", out]);
      expect(again.status).toBe(2);
      expect(again.stdout).toBe("");
      expect(again.stderr).toContain(`${join(out, "obsgate.key")}:1:1: output_error: already exists; keygen never overwrites a key`);
      expect(readFileSync(join(out, "obsgate.key")).equals(before)).toBe(true);
      expect(readdirSync(out).sort()).toEqual(["obsgate.jwks.json", "obsgate.key", "obsgate.pub"]);
      collectKeyBody(readFileSync(join(out, "obsgate.key"), "utf8"));
    });
  }

  it("refuses an unknown algorithm (exit 2)", async () => {
    const repo = fleetRepo();
    const result = await run(repo, ["keygen", "--alg", "RS256", "--out", scratch()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage_error: .*RS256/);
  });
});

describe("the signing key", () => {
  it("comes from OBSGATE_SIGNING_KEY when --sign-key is not given", async () => {
    const repo = fleetRepo();
    const envelope = join(scratch(), "attestation.dsse.json");
    const checked = await run(repo, ["check", ".", "--now", NOW, "--attestation", envelope], { OBSGATE_SIGNING_KEY: readFileSync(ED25519.privateKey, "utf8") });
    expect(checked.status, checked.stderr).toBe(0);
    const verified = await run(repo, ["verify", envelope, "--key", ED25519.publicKey]);
    expect(verified.status, verified.stderr).toBe(0);
  });

  it("is required: --attestation without a key, or --sign-key without --attestation, is a usage error", async () => {
    const repo = fleetRepo();
    const envelope = join(scratch(), "attestation.dsse.json");
    const noKey = await run(repo, ["check", ".", "--attestation", envelope]);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/usage_error: --attestation needs a signing key: --sign-key FILE, or the key itself in OBSGATE_SIGNING_KEY/);
    const noFile = await run(repo, ["check", ".", "--sign-key", ED25519.privateKey]);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toMatch(/usage_error: --sign-key signs an attestation: give --attestation FILE too/);
    expect(existsSync(envelope)).toBe(false);
  });

  it("a failed run leaves no envelope (nor a temporary file, nor the other outputs): bad keys, nothing to check", async () => {
    const repo = fleetRepo();
    const out = scratch();
    const envelope = join(out, "attestation.dsse.json");
    const report = join(out, "report.json");
    const cases: Array<{ args: string[]; env?: Record<string, string>; stderr: RegExp }> = [
      { args: ["--sign-key", join(KEYS, "rsa.private.pem")], stderr: /rsa\.private\.pem:1:1: key_error: is an RSA key; obsgate signs with ES256 \(EC P-256\) or Ed25519 keys\n$/ },
      { args: ["--sign-key", join(KEYS, "p384.private.pem")], stderr: /key_error: is an EC key on curve P-384/ },
      { args: ["--sign-key", ED25519.publicKey], stderr: /key_error: is a public key; signing needs the private key/ },
      { args: ["--sign-key", join(KEYS, "es256.sec1.pem")], stderr: /key_error: is a PEM `EC PRIVATE KEY`; obsgate reads PKCS#8/ },
      { args: ["--sign-key", join(out, "missing.pem")], stderr: /missing\.pem:1:1: key_error: --sign-key: cannot read the key file \(no such file\)/ },
      { args: [], env: { OBSGATE_SIGNING_KEY: readFileSync(ED25519.privateKey, "utf8").slice(0, 60) }, stderr: /^OBSGATE_SIGNING_KEY:1:1: key_error: is not a complete PEM block/ },
    ];
    for (const c of cases) {
      const result = await run(repo, ["check", ".", "--format", "json", "--output", report, "--attestation", envelope, ...c.args], c.env);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(c.stderr);
      expect(readdirSync(out)).toEqual([]);
    }
    // A good key, but the run itself fails: nothing to check.
    repo.write("empty/readme.txt", "no YAML here\n");
    const nothing = await run(repo, ["check", "empty", "--attestation", envelope, "--sign-key", ED25519.privateKey]);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/no_input: nothing to check/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("the negative fixtures of test/fixtures/attest/cases, through verify and gate", () => {
  const CASES = join(PACKAGE_ROOT, "test", "fixtures", "attest", "cases");
  interface Expected {
    pin?: string;
    root?: boolean;
    gate?: { allowWarnings?: boolean; maxAgeSeconds?: number; now?: string; commit?: string; models?: string[]; policyDigests?: string[] };
    stage: string;
    code: string;
    reason: string;
  }
  for (const name of readdirSync(CASES).sort()) {
    const expected = JSON.parse(readFileSync(join(CASES, name, "expected.json"), "utf8")) as Expected;
    it(`${name}: ${expected.code === "ok" ? "accepted" : expected.code}`, async () => {
      // The statements describe test/fixtures/attest/root, as a repository of its own.
      const repo = tempRepo("root", join(PACKAGE_ROOT, "test", "fixtures", "attest"));
      const pin = expected.pin ?? "trusted.jwks.json";
      const args = [expected.gate ? "gate" : "verify", join(CASES, name, "envelope.json"), pin.endsWith(".jwks.json") ? "--jwks" : "--key", join(KEYS, pin)];
      if (expected.root) args.push("--root", ".");
      const g = expected.gate;
      if (g) {
        args.push("--now", g.now ?? NOW);
        if (g.allowWarnings) args.push("--allow-warnings");
        if (g.maxAgeSeconds !== undefined) args.push("--max-age", `${g.maxAgeSeconds}s`);
        if (g.commit) args.push("--commit", g.commit);
        for (const model of g.models ?? []) args.push("--model", model);
        for (const digest of g.policyDigests ?? []) args.push("--policy-digest", digest);
      }
      const result = await run(repo, args);
      if (expected.code === "ok") {
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toMatch(expected.gate ? /^passed: / : /^valid: /);
      } else if (expected.stage === "pin") {
        expect(result.status).toBe(2);
        expect(result.stderr).toBe(`${join(KEYS, pin)}:1:1: key_error: ${expected.reason.replace(`${pin}: `, "")}\n`);
      } else {
        expectRefusal(result, expected.code);
        expect(result.stderr).toBe(`refused: ${expected.code}: ${expected.reason}\n`);
      }
    });
  }
});

// Runs last in this file: every command above has been recorded in `outputs`.
const keyBodies: string[] = [];
function collectKeyBody(pem: string): void {
  keyBodies.push(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""));
}

describe("no output of any command", () => {
  it("contains a private key or any line of one", async () => {
    for (const name of ["es256.private.pem", "ed25519.private.pem", "untrusted-es256.private.pem", "rsa.private.pem", "p384.private.pem", "es256.sec1.pem"]) {
      collectKeyBody(readFileSync(join(KEYS, name), "utf8"));
    }
    // A few more that feed a private key where it does not belong.
    const repo = fleetRepo();
    await run(repo, ["gate", "x.json", "--jwks", ED25519.privateKey]);
    await run(repo, ["check", ".", "--attestation", join(scratch(), "a.json")], { OBSGATE_SIGNING_KEY: readFileSync(ED25519.privateKey, "utf8").replace(/\n/g, "\\n") });
    await run(repo, ["check", ".", "--attestation", join(scratch(), "a.json")], { OBSGATE_SIGNING_KEY: `{"kty":"OKP","crv":"Ed25519","d":"${"A".repeat(43)}","x":"zz"` });
    expect(keyBodies.length).toBeGreaterThanOrEqual(6);
    for (const body of keyBodies) {
      // The whole base64 body, and each 64-character line of it as PEM writes them.
      const pieces = [body, ...(body.match(/.{1,64}/g) ?? [])].filter((p) => p.length >= 16);
      for (const result of outputs) {
        for (const piece of pieces) {
          expect(result.stdout.includes(piece) || result.stderr.includes(piece), `key material in the output:\n${result.stderr}`).toBe(false);
        }
      }
    }
    expect(outputs.map((o) => o.stdout + o.stderr).join("")).not.toContain("A".repeat(43));
  });
});
