// Every fixture under test/fixtures/attest/cases/ goes through what `obsgate verify --root` and
// `obsgate gate` will run — pinned key, envelope, Statement, subjects on disk, gate policy — and
// must be refused at the expected stage with the expected code and one-line reason.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  gate,
  KeyError,
  loadPublicKeys,
  MAX_ENVELOPE_BYTES,
  rehashSubjects,
  subjectRefusal,
  verifyAttestation,
  type PublicKey,
} from "../../src/attest/index.js";
import { CASE_SPECS, writeCaseFixtures, type Expected, type Stage } from "./cases.js";
import { CASES, hashTree, keyText, NOW, pinnedKeys, ROOT } from "./helpers.js";

interface Outcome {
  stage: Stage | "none";
  code: string;
  reason: string;
}

async function run(envelope: Uint8Array, expected: Expected): Promise<Outcome> {
  let keys: PublicKey[];
  try {
    const pin = expected.pin ?? "trusted.jwks.json";
    keys = await loadPublicKeys(keyText(pin), pin);
  } catch (error) {
    if (error instanceof KeyError) return { stage: "pin", code: error.code, reason: error.message };
    throw error;
  }
  const verified = verifyAttestation(envelope, keys);
  if (!verified.ok) return { stage: "verify", code: verified.code, reason: verified.reason };
  if (expected.root) {
    const refusal = subjectRefusal(rehashSubjects(verified.statement.subject, ROOT));
    if (refusal) return { stage: "rehash", code: refusal.code, reason: refusal.reason };
  }
  if (expected.gate) {
    const options = expected.gate;
    const decision = gate(verified.statement, {
      allowWarnings: options.allowWarnings ?? false,
      maxAgeSeconds: options.maxAgeSeconds ?? null,
      now: options.now ? new Date(options.now) : NOW,
      commit: options.commit ?? null,
      models: options.models ?? [],
      policyDigests: options.policyDigests ?? [],
      deployedFiles: hashTree(ROOT),
    });
    return decision.ok ? { stage: "none", code: "ok", reason: decision.summary } : { stage: "gate", code: decision.code, reason: decision.reason };
  }
  return { stage: "none", code: "ok", reason: "" };
}

describe("attestation fixtures", () => {
  beforeAll(async () => {
    if (process.env.OBSGATE_UPDATE_ATTEST_FIXTURES) await writeCaseFixtures();
  });

  it("has one folder per case, no more, no less", () => {
    expect(readdirSync(CASES).sort()).toEqual(CASE_SPECS.map((c) => c.name).sort());
  });

  for (const spec of CASE_SPECS) {
    it(`${spec.name}: ${spec.code === "ok" ? "accepted" : spec.code}`, async () => {
      const dir = join(CASES, spec.name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
      // The folder must still say what the spec says: a stale fixture would test something else.
      const { name: _name, envelope: _envelope, ...fromSpec } = spec;
      expect(expected).toEqual(JSON.parse(JSON.stringify(fromSpec)));
      const outcome = await run(readFileSync(join(dir, "envelope.json")), expected);
      expect(outcome).toEqual({ stage: expected.stage, code: expected.code, reason: expected.reason });
      expect(outcome.reason).not.toMatch(/[\r\n]/);
    });
  }

  it("refuses a 50 MB envelope by its size, before parsing it", async () => {
    // Generated rather than checked in. Valid JSON start, so a parser would have said something else.
    const huge = Buffer.alloc(50 * 1000 * 1000, 0x20);
    huge.write('{"payloadType":"application/vnd.in-toto+json","payload":"');
    const refusal = verifyAttestation(huge, await pinnedKeys());
    expect(refusal).toEqual({ ok: false, code: "envelope_too_large", reason: "the envelope is 50000000 bytes, over the limit of 16 MiB (16777216 bytes)" });
    expect(huge.length).toBeGreaterThan(MAX_ENVELOPE_BYTES);
  });

  it("keeps the fixture root as the statements' subjects describe it", () => {
    expect(existsSync(join(ROOT, "backends", "loki.yaml"))).toBe(true);
    expect(hashTree(ROOT).size).toBe(4);
  });
});
