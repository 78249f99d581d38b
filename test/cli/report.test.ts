// `obsgate report` through the real CLI process (issue 9): the HTML and Markdown audit documents of
// a signed attestation of the example fleet, pinned by golden files (regenerate with
//   OBSGATE_UPDATE_GOLDEN=1 npx vitest run test/cli/report.test.ts
// and review the diff); evidence only from files whose digest is the attested one; --previous; and
// every refusal: one line, exit 1, nothing written, an existing output left as it was.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT, stderrLines, DIAGNOSTIC_LINE, type CliResult, type TempRepo } from "../helpers/cli.js";
import { attest, commitAll, ED25519, fleetRepo, obsgate, scratch, signedFleet, statementOf, TRUSTED_JWKS, UNTRUSTED_KEY, withoutCodeDigest } from "../audit/fleet.js";

const GOLDEN = { html: join(PACKAGE_ROOT, "test", "golden", "report-fleet.html"), markdown: join(PACKAGE_ROOT, "test", "golden", "report-fleet.md") } as const;
const CASES = join(PACKAGE_ROOT, "test", "fixtures", "attest", "cases");
const update = process.env.OBSGATE_UPDATE_GOLDEN === "1";

let repo: TempRepo;
let out: string;
let envelope: string;

beforeAll(async () => {
  const fleet = await signedFleet();
  ({ repo, out, envelope } = fleet);
  return fleet.remove;
});

async function report(args: readonly string[]): Promise<CliResult> {
  return obsgate(repo, ["report", ...args]);
}

/** The one line a refused report prints, its exit code, and that no file was written. */
function expectRefusal(result: CliResult, code: string, reason?: RegExp): void {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stdout).toBe("");
  const lines = stderrLines(result.stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^refused: ${code}: `));
  if (reason) expect(lines[0]).toMatch(reason);
}

describe("obsgate report of the example fleet", () => {
  for (const format of ["html", "markdown"] as const) {
    it(`writes the golden ${format} document, the same bytes every time`, async () => {
      const file = join(out, `report.${format}`);
      const result = await report([envelope, "--key", ED25519.publicKey, "--format", format, "-o", file, "--root", "."]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(new RegExp(`^wrote .*report\\.${format}: ${format} audit report, result FAILED, 9 models; signature verified, keyid yllL5rlEeWKFuGbD2TZDSag8xrJOZtOcUROR9HJLT0A\\n$`));
      const document = readFileSync(file, "utf8");
      const again = join(out, `again.${format}`);
      expect((await report([envelope, "--jwks", TRUSTED_JWKS, "--format", format, "-o", again, "--root", "."])).status).toBe(0);
      expect(readFileSync(again, "utf8")).toBe(document);

      const pinned = withoutCodeDigest(document, envelope);
      if (update) writeFileSync(GOLDEN[format], pinned);
      expect(existsSync(GOLDEN[format]), `${GOLDEN[format]} is missing: run with OBSGATE_UPDATE_GOLDEN=1`).toBe(true);
      expect(pinned).toBe(readFileSync(GOLDEN[format], "utf8"));
    });
  }

  it("puts the attestation's facts on the cover: repository, commit, time, result, signer, policy digests, versions", async () => {
    const statement = statementOf(envelope);
    const file = join(out, "cover.md");
    expect((await report([envelope, "--key", ED25519.publicKey, "--format", "markdown", "-o", file])).status).toBe(0);
    const md = readFileSync(file, "utf8");
    const p = statement.predicate;
    expect(p.repository).toBe("https://github.com/acme/models.git");
    expect(md).toContain(`| Repository | https://github.com/acme/models.git |`);
    expect(md).toContain(`| Commit | \`${p.source.commit} (clean tree)\` |`);
    expect(md).toContain(`| Evaluated | 2026-05-01T12:00:00.000Z |`);
    expect(md).toContain("**Result: FAILED**");
    expect(md).toContain("| Signer | key yllL5rlEeWKFuGbD2TZDSag8xrJOZtOcUROR9HJLT0A |");
    expect(md).toContain(`| builtin | \`${p.policySets[0]!.sha256}\` | ${p.policySets[0]!.opaVersion} |`);
    expect(md).toContain(`| obsgate | ${p.evaluator.version} |`);
    // One section per model, and every model's result as the attestation says.
    for (const model of p.models) expect(md).toContain(`## Model ${model.name}: ${model.result}`);
    // Every file the run found, with the digest the attestation vouches for.
    for (const subject of statement.subject.filter((s) => !s.name.startsWith("obsgate:"))) {
      expect(md).toContain(`| \`${subject.name}\` | `);
      expect(md).toContain(`\`${subject.digest.sha256}\``);
    }
    // Without --root no evidence is quoted, and each finding says why.
    expect(md).not.toContain("```text");
    expect(md.match(/\*Evidence not shown: the report was made without --root, so no file was read\.\*/g)?.length).toBeGreaterThan(50);
  });

  it("quotes evidence only from files whose sha256 is the attested one, and says why not for the others", async () => {
    const changed = "examples/fleet/churn-predictor/alerts/churn-predictor.rules.yaml";
    const missing = "examples/fleet/credit-scorer/alerts/credit-scorer.rules.yaml";
    const root = scratch();
    // A copy of the repository in which one finding file changed and one is gone.
    for (const f of statementOf(envelope).subject.filter((s) => !s.name.startsWith("obsgate:"))) {
      const target = join(root, f.name);
      const text = readFileSync(repo.path(f.name));
      mkdirSync(join(target, ".."), { recursive: true });
      writeFileSync(target, f.name === changed ? Buffer.concat([text, Buffer.from("# edited after the run\n")]) : text);
    }
    rmSync(join(root, missing));
    const file = join(out, "evidence.md");
    expect((await report([envelope, "--key", ED25519.publicKey, "--format", "markdown", "-o", file, "--root", root])).status).toBe(0);
    const md = readFileSync(file, "utf8");
    const section = (model: string) => md.slice(md.indexOf(`## Model ${model}:`), md.indexOf("## Model", md.indexOf(`## Model ${model}:`) + 5));
    const churn = section("churn-predictor");
    // The changed rules file loses its evidence; the manifest, unchanged, keeps it.
    expect(churn).toMatch(/At `examples\/fleet\/churn-predictor\/alerts\/churn-predictor\.rules\.yaml:14:9`[^\n]*\n\s+\*Evidence not shown: the file under --root is not the one attested \(its sha256 differs\)/);
    expect(churn).toMatch(/At `examples\/fleet\/churn-predictor\/churn-predictor\.obsgate\.yaml:29:7`[^\n]*\n\n\s+```text\n\s+ {4}27 \| [^\n]*\n\s+ {4}28 \| [^\n]*\n\s+>\s+29 \| {5}- name: churn_predictions\n/);
    expect(section("credit-scorer")).toMatch(/credit-scorer\.rules\.yaml:\d+:\d+`[^\n]*\n\s+\*Evidence not shown: the file is not under --root\.\*/);
  });

  it("renders with --unverified, saying so at the top and the end (and on every printed page), and names the claimed key", async () => {
    const untrusted = await attest(repo, scratch(), { key: UNTRUSTED_KEY });
    const refusedResult = await report([untrusted, "--key", ED25519.publicKey, "--format", "html", "-o", join(out, "untrusted.html")]);
    expectRefusal(refusedResult, "untrusted_key");
    expect(existsSync(join(out, "untrusted.html"))).toBe(false);

    const html = join(out, "unverified.html");
    const md = join(out, "unverified.md");
    const first = await report([untrusted, "--unverified", "--format", "html", "-o", html]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/signature NOT checked \(--unverified\)\n$/);
    expect((await report([untrusted, "--unverified", "--format", "markdown", "-o", md])).status).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page).toContain('<div class="unverified" role="alert">UNVERIFIED: this report was made with --unverified.');
    // In print, the bottom margin of every page carries it.
    expect(page).toMatch(/@page \{[^]*?@bottom-left \{ content: "UNVERIFIED: this report was made with --unverified\. The attestation\\27 s signature was NOT checked/);
    expect(page).toContain("claims key 38jNJleQ0EDG6wq4Mhk5_4cDErOhS7jtRFutszNL0bk (not checked)");
    const text = readFileSync(md, "utf8");
    expect(text.startsWith("> **UNVERIFIED: this report was made with --unverified.")).toBe(true);
    expect(text.trimEnd().endsWith("nothing in it is vouched for by a trusted key.**")).toBe(true);
    // A verified report carries no such banner.
    expect(readFileSync(GOLDEN.html, "utf8")).not.toContain("UNVERIFIED");
  });

  it("is a usage error (exit 2) without a pinned key, or with a key and --unverified", async () => {
    const noKey = await report([envelope, "--format", "html", "-o", join(out, "x.html")]);
    expect(noKey.status).toBe(2);
    expect(stderrLines(noKey.stderr)[0]).toMatch(DIAGNOSTIC_LINE);
    expect(noKey.stderr).toMatch(/usage_error: pin the key to verify with/);
    const both = await report([envelope, "--unverified", "--key", ED25519.publicKey, "--format", "html", "-o", join(out, "x.html")]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/usage_error: .*--unverified.*cannot be used with/);
    const noFormat = await report([envelope, "--key", ED25519.publicKey, "-o", join(out, "x.html")]);
    expect(noFormat.status).toBe(2);
    expect(existsSync(join(out, "x.html"))).toBe(false);
  });
});

describe("obsgate report refuses, writing nothing", () => {
  const cases: Array<{ name: string; envelope: () => string; pin: string[]; code: string; reason: RegExp; previous?: () => string }> = [
    {
      name: "an invalid signature",
      envelope: () => {
        const file = join(out, "bad-signature.dsse.json");
        const env = JSON.parse(readFileSync(envelope, "utf8")) as { signatures: Array<{ sig: string }> };
        const sig = Buffer.from(env.signatures[0]!.sig, "base64");
        sig[0] = sig[0]! ^ 0x01;
        env.signatures[0]!.sig = sig.toString("base64");
        writeFileSync(file, JSON.stringify(env));
        return file;
      },
      pin: ["--key", ED25519.publicKey],
      code: "bad_signature",
      reason: /does not verify with that key/,
    },
    {
      name: "a tampered payload",
      envelope: () => join(CASES, "flipped-payload-byte", "envelope.json"),
      pin: ["--jwks", TRUSTED_JWKS],
      code: "bad_signature",
      reason: /the payload or its type changed after signing/,
    },
    {
      name: "an envelope of another predicate type",
      envelope: () => join(CASES, "other-predicate-type", "envelope.json"),
      pin: ["--jwks", TRUSTED_JWKS],
      code: "predicate_type",
      reason: /predicateType is "https:\/\/slsa\.dev\/provenance\/v1", expected "https:\/\/obsgate\.dev\/attestation\/compliance\/v1"/,
    },
    {
      name: "with --unverified, an envelope of another predicate type",
      envelope: () => join(CASES, "other-predicate-type", "envelope.json"),
      pin: ["--unverified"],
      code: "predicate_type",
      reason: /predicateType is "https:\/\/slsa\.dev\/provenance\/v1"/,
    },
    {
      name: "an unverifiable --previous",
      envelope: () => envelope,
      previous: () => join(CASES, "flipped-payload-byte", "envelope.json"),
      pin: ["--key", ED25519.publicKey],
      code: "bad_signature",
      reason: /^refused: bad_signature: --previous .*flipped-payload-byte\/envelope\.json: the signature/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: one line, exit 1, no file, an existing output untouched`, async () => {
      const args = (file: string) => [c.envelope(), ...c.pin, "--format", "html", "-o", file, ...(c.previous ? ["--previous", c.previous()] : [])];
      const fresh = join(out, `${c.code}-fresh.html`);
      expectRefusal(await report(args(fresh)), c.code, c.reason);
      expect(existsSync(fresh)).toBe(false);
      const existing = join(out, `${c.code}-existing.html`);
      writeFileSync(existing, "the previous report\n");
      expectRefusal(await report(args(existing)), c.code, c.reason);
      expect(readFileSync(existing, "utf8")).toBe("the previous report\n");
    });
  }

  it("a --previous from another repository, or from after this one", async () => {
    const other = fleetRepo();
    commitAll(other, "https://github.com/acme/other.git");
    const otherEnvelope = await attest(other, scratch(), { now: "2026-04-01T12:00:00Z" });
    const file = join(out, "other-repo.html");
    writeFileSync(file, "kept\n");
    expectRefusal(
      await report([envelope, "--key", ED25519.publicKey, "--format", "html", "-o", file, "--previous", otherEnvelope]),
      "previous_repository",
      /--previous .* is of repository "https:\/\/github\.com\/acme\/other\.git", not "https:\/\/github\.com\/acme\/models\.git"$/,
    );
    const later = await attest(repo, scratch(), { now: "2026-05-02T12:00:00Z" });
    expectRefusal(await report([envelope, "--key", ED25519.publicKey, "--format", "html", "-o", file, "--previous", later]), "previous_newer", /evaluated at 2026-05-02T12:00:00\.000Z, after this attestation \(2026-05-01T12:00:00\.000Z\)$/);
    expect(readFileSync(file, "utf8")).toBe("kept\n");
  });
});

describe("obsgate report --previous", () => {
  it("lists models added, findings fixed and new, waivers added, expired, renewed and removed", async () => {
    const history = fleetRepo();
    const waiver = (rule: string, expires: string, ticket: string) =>
      `  - rule: ${rule}\n    model: churn-predictor\n    owner: team-growth\n    reason: accepted while the ${rule} fix ships\n    ticket: ${ticket}\n    expires: ${expires}\n`;
    // Before: no product-tagger or recsys-ranker; waivers A (INS-003), B (ALR-006) and D (ALR-005, expires mid-April).
    const aside = scratch();
    for (const model of ["product-tagger", "recsys-ranker"]) {
      cpSync(history.path(`examples/fleet/${model}`), join(aside, model), { recursive: true });
      rmSync(history.path(`examples/fleet/${model}`), { recursive: true });
    }
    history.write("waivers.yaml", `waivers:\n${waiver("INS-003", "2026-06-01", "GROW-1")}${waiver("ALR-006", "2026-05-20", "GROW-2")}${waiver("ALR-005", "2026-04-15", "GROW-4")}`);
    commitAll(history);
    const envelopes = scratch();
    const before = await attest(history, envelopes, { now: "2026-04-01T12:00:00Z", name: "before.dsse.json" });
    // After: both models back, the platform's node alerts gone; A renewed, B removed, C (ALR-013) added; D has expired.
    for (const model of ["product-tagger", "recsys-ranker"]) cpSync(join(aside, model), history.path(`examples/fleet/${model}`), { recursive: true });
    rmSync(history.path("examples/fleet/platform/node-alerts.yaml"));
    history.write("waivers.yaml", `waivers:\n${waiver("INS-003", "2026-07-15", "GROW-1")}${waiver("ALR-013", "2026-06-15", "GROW-3")}${waiver("ALR-005", "2026-04-15", "GROW-4")}`);
    commitAll(history);
    const after = await attest(history, envelopes, { name: "after.dsse.json" });
    expect(statementOf(before).predicate.waivers.applied).toHaveLength(3);

    const file = join(envelopes, "changes.md");
    const result = await obsgate(history, ["report", after, "--key", ED25519.publicKey, "--format", "markdown", "-o", file, "--previous", before]);
    expect(result.status, result.stderr).toBe(0);
    const md = readFileSync(file, "utf8");
    const changes = md.slice(md.indexOf("## Changes since the previous report"), md.indexOf("## Model "));
    expect(changes).toContain("Compared with the attestation evaluated 2026-04-01T12:00:00.000Z (commit `");
    expect(changes).toContain("### Models added\n\n- product-tagger\n- recsys-ranker\n");
    expect(changes).toContain("### Models removed\n\nNone.");
    expect(changes).toMatch(/### Findings fixed \(2\)\n\n\| Rule [^\n]*\n[^\n]*\n\| ALR-003 \| warning open \| — \| `examples\/fleet\/platform\/node-alerts\.yaml:\d+:\d+` \|/);
    expect(changes).toMatch(/### New findings \(\d+\)[^#]*`examples\/fleet\/recsys-ranker\/recsys-ranker\.obsgate\.yaml:\d+:\d+`/);
    // A churn-predictor finding that was waived and is still there is neither new nor fixed.
    expect(changes).not.toMatch(/### New findings[^#]*`examples\/fleet\/churn-predictor\//);
    // A finding of a shared file (its fingerprint names no model once recsys-ranker shares the file) is not new either.
    expect(changes).not.toMatch(/### New findings[^#]*`examples\/fleet\/platform\/loki\/shared\/loki\.yaml/);
    expect(changes).toMatch(/### Waivers added \(1\)\n\n[^\n]*\n[^\n]*\n\| ALR-013 \| model churn-predictor \| team-growth \| GROW-3 \| 2026-06-15 \| `waivers\.yaml:\d+` \|\n/);
    expect(changes).toMatch(/### Waivers expired \(1\)\n\n[^\n]*\n[^\n]*\n\| ALR-005 \| model churn-predictor \| team-growth \| GROW-4 \| 2026-04-15 \|/);
    expect(changes).toMatch(/### Waivers renewed \(1\)\n\n[^\n]*\n[^\n]*\n\| INS-003 \| model churn-predictor \| team-growth \| GROW-1 \| 2026-06-01 → 2026-07-15 \|/);
    expect(changes).toMatch(/### Waivers removed \(1\)\n\n[^\n]*\n[^\n]*\n\| ALR-006 \| model churn-predictor \| team-growth \| GROW-2 \| 2026-05-20 \|/);
    // Days to expiry count from the attestation's own time (2026-05-01), not the clock of the reader.
    const churn = md.slice(md.indexOf("## Model churn-predictor:"), md.indexOf("## Model credit-scorer:"));
    expect(churn).toMatch(/\| INS-003 \| applied \| team-growth \| accepted while the INS-003 fix ships \| GROW-1 \| 2026-07-15 \(75 days left at evaluation\) \| \d+ \| `waivers\.yaml:2` \|/);
    expect(churn).toMatch(/\| ALR-005 \| expired \| team-growth \| [^|]+ \| GROW-4 \| 2026-04-15 \(expired 16 days before evaluation\) \|/);
    expect(churn).toContain("Controls: ");
    expect(churn).toMatch(/\| INS-003 \| [^|]+ \| warning \| waived \|/);
  });
});
