// The deploy gate's policy: what passes, each refusal with its one-line reason, and the order in
// which checks answer when several would fail.
import { describe, expect, it } from "vitest";
import { buildStatement, formatDuration, gate, type GateOptions, type Statement } from "../../src/attest/index.js";
import { BUILTIN_POLICY_SHA256, COMMIT, hashTree, NOW, openFinding, ROOT, sampleFacts } from "./helpers.js";

const passing = () => buildStatement(sampleFacts());
const options = (overrides: Partial<GateOptions> = {}): GateOptions => ({
  allowWarnings: false,
  maxAgeSeconds: null,
  now: NOW,
  commit: null,
  models: [],
  policyDigests: [],
  deployedFiles: hashTree(ROOT),
  ...overrides,
});
const withFinding = (severity: "error" | "warning", model: string): Statement => {
  const facts = sampleFacts();
  return buildStatement({ ...facts, findings: [...facts.findings, openFinding(severity, model)] });
};

describe("gate", () => {
  it("passes a fresh, clean, covering statement", () => {
    expect(gate(passing(), options({ commit: COMMIT.toUpperCase(), maxAgeSeconds: 3600, policyDigests: [BUILTIN_POLICY_SHA256.toUpperCase()], models: ["fraud-detector", "churn-scorer"] }))).toEqual({
      ok: true,
      summary: "models fraud-detector, churn-scorer: PASSED, evaluated 2026-05-01T12:00:00.000Z",
    });
    expect(gate(passing(), options({ deployedFiles: {} }))).toMatchObject({ ok: true, summary: "the whole run: PASSED, evaluated 2026-05-01T12:00:00.000Z" });
  });

  it("lets WARNED through only with allowWarnings, and FAILED never", () => {
    const warned = withFinding("warning", "churn-scorer");
    expect(gate(warned, options())).toMatchObject({ ok: false, code: "result_warned" });
    expect(gate(warned, options({ allowWarnings: true }))).toEqual({ ok: true, summary: "the whole run: WARNED (allowed), evaluated 2026-05-01T12:00:00.000Z" });
    expect(gate(withFinding("error", "churn-scorer"), options({ allowWarnings: true }))).toEqual({ ok: false, code: "result_failed", reason: "the result for the whole run is FAILED" });
  });

  it("judges only the gated models when asked to", () => {
    const failedChurn = withFinding("error", "churn-scorer");
    expect(gate(failedChurn, options({ models: ["fraud-detector"] }))).toMatchObject({ ok: true });
    expect(gate(failedChurn, options({ models: ["fraud-detector", "churn-scorer"] }))).toEqual({ ok: false, code: "result_failed", reason: "the result for model churn-scorer is FAILED" });
  });

  it("refuses a deployed file whose digest differs from its subject", () => {
    const deployed = new Map(hashTree(ROOT));
    deployed.set("backends/loki.yaml", "F".repeat(64));
    expect(gate(passing(), options({ deployedFiles: deployed }))).toEqual({
      ok: false,
      code: "file_digest_mismatch",
      reason: `deployed file backends/loki.yaml has sha256 ${"f".repeat(64)}, the statement vouches for a076ec6179c9c94d2cddbed51f11fdf38ed8f58ddbbe4b56ca410b9082825ed3`,
    });
  });

  it("never counts an obsgate: subject as a deployed file", () => {
    expect(gate(passing(), options({ deployedFiles: { "obsgate:builtin/0.1.0/policy.wasm": BUILTIN_POLICY_SHA256 } }))).toMatchObject({ ok: false, code: "file_not_covered" });
  });

  it("refuses a statement without a commit, or from a dirty tree, when a commit is asked for", () => {
    const noCommit = buildStatement(sampleFacts({ source: { commit: null, ref: null, dirty: null } }));
    expect(gate(noCommit, options({ commit: COMMIT }))).toEqual({ ok: false, code: "commit_mismatch", reason: `the statement records no commit; expected ${COMMIT}` });
    const dirty = buildStatement(sampleFacts({ source: { commit: COMMIT, ref: "refs/heads/main", dirty: true } }));
    expect(gate(dirty, options({ commit: COMMIT }))).toEqual({ ok: false, code: "commit_dirty", reason: `the statement was made from uncommitted changes on top of ${COMMIT}` });
    expect(gate(dirty, options())).toMatchObject({ ok: true });
  });

  it("tolerates the allowed clock skew and no more", () => {
    const early = options({ now: new Date(NOW.getTime() - 30_000) });
    expect(gate(passing(), early)).toMatchObject({ ok: false, code: "time_future", reason: "the statement was evaluated at 2026-05-01T12:00:00.000Z, 30s after the gate's clock (2026-05-01T11:59:30.000Z)" });
    expect(gate(passing(), { ...early, clockSkewSeconds: 60 })).toMatchObject({ ok: true });
  });

  it("accepts a statement exactly max-age old and refuses one a second older", () => {
    const at = (seconds: number) => options({ maxAgeSeconds: 7 * 86_400, now: new Date(NOW.getTime() + seconds * 1000) });
    expect(gate(passing(), at(7 * 86_400))).toMatchObject({ ok: true });
    expect(gate(passing(), at(7 * 86_400 + 1))).toEqual({
      ok: false,
      code: "time_too_old",
      reason: "the statement was evaluated at 2026-05-01T12:00:00.000Z, 7d 1s ago, older than the maximum age of 7d",
    });
  });

  it("answers with the first failing check in its documented order", () => {
    const bad = buildStatement({
      ...sampleFacts({ timeEvaluated: new Date("2026-04-01T00:00:00Z"), source: { commit: "1".repeat(40), ref: null, dirty: false } }),
      findings: [openFinding("error", "fraud-detector")],
    });
    const all = options({ maxAgeSeconds: 86_400, commit: COMMIT, policyDigests: ["0".repeat(64)], models: ["ranker"], deployedFiles: { "new.yaml": "0".repeat(64) } });
    const order: string[] = [];
    let current = all;
    for (;;) {
      const decision = gate(bad, current);
      if (decision.ok) break;
      order.push(decision.code);
      if (decision.code === "time_too_old") current = { ...current, maxAgeSeconds: null };
      else if (decision.code === "commit_mismatch") current = { ...current, commit: null };
      else if (decision.code === "policy_digest") current = { ...current, policyDigests: [] };
      else if (decision.code === "model_absent") current = { ...current, models: [] };
      else if (decision.code === "result_failed") bad.predicate.result = "PASSED"; // leaves only the deployed files to fail
      else if (decision.code === "file_not_covered") current = { ...current, deployedFiles: {} };
      else throw new Error(`unexpected ${decision.code}`);
    }
    expect(order).toEqual(["time_too_old", "commit_mismatch", "policy_digest", "model_absent", "result_failed", "file_not_covered"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"], [42, "42s"], [60, "1m"], [3_661, "1h 1m"], [86_400, "1d"], [90_061, "1d 1h"], [694_800, "8d 1h"],
  ])("%i s is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
