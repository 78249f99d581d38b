// Shared by the attest tests: the fixture keys, a checked-in repository root, and the facts of a
// small but complete run (two models, a shared backend config, a waived, an open and an info
// finding, an applied and an expired waiver, a multibyte owner name).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packageRoot } from "../../src/package-root.js";
import {
  builtinPolicySubject,
  loadPrivateKey,
  loadPublicKeys,
  type AttestationFacts,
  type FindingFacts,
  type FindingWaiverFacts,
  type PrivateKey,
  type PublicKey,
  type WaiverFacts,
} from "../../src/attest/index.js";

export const FIXTURES = join(packageRoot(), "test", "fixtures", "attest");
export const KEYS = join(FIXTURES, "keys");
export const ROOT = join(FIXTURES, "root");
export const CASES = join(FIXTURES, "cases");

export const NOW = new Date("2026-05-01T12:00:00Z");
export const COMMIT = "3f2a9c1e5b7d4a6f8e0c2b1a9d8e7f6a5b4c3d2e";
export const BUILTIN_POLICY_SHA256 = sha256("obsgate built-in policy bundle (test)");

export function keyText(name: string): string {
  return readFileSync(join(KEYS, name), "utf8");
}

export async function privateKey(name: "es256" | "ed25519" | "untrusted-es256" | "p384"): Promise<PrivateKey> {
  return loadPrivateKey(keyText(`${name}.private.pem`), `${name}.private.pem`);
}

/** The pinned keys: the ES256 and the Ed25519 test keys, as a JWKS. */
export async function pinnedKeys(): Promise<PublicKey[]> {
  return loadPublicKeys(keyText("trusted.jwks.json"), "trusted.jwks.json");
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Repository-relative path → sha256 of every file under `dir`. */
export function hashTree(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hashes.set(relative(dir, path).split(sep).join("/"), sha256(readFileSync(path)));
    }
  };
  walk(dir);
  return hashes;
}

// The waivers file entry that covers the ALR-006 finding, as the run records it …
const ALR_006_WAIVER: WaiverFacts = {
  source: "file", file: "waivers.yaml", line: 2, column: 5, rule: "ALR-006",
  selector: { model: "fraud-detector", file: "alerts/fraud-detector.rules.yaml", pointer: "/groups/0/rules/0/for", line: null },
  owner: "team-risk", reason: "Pages on a hard outage that a 5-minute wait would hide; reviewed with SRE.",
  ticket: "RISK-1234", expires: "2026-06-30", findings: 1,
};

// … and as the finding carries it.
const ALR_006_APPLIED: FindingWaiverFacts = {
  source: "file", file: "waivers.yaml", line: 2, column: 5, owner: "team-risk",
  reason: ALR_006_WAIVER.reason!, ticket: "RISK-1234", expires: "2026-06-30",
};

const FINDINGS: FindingFacts[] = [
  {
    rule: "RET-005", severity: "info", status: "open", model: null, models: ["churn-scorer", "fraud-detector"],
    message: "Logs are kept 31 days ≥ the 30 days the tier asks: consider a margin",
    file: "backends/loki.yaml", line: 2, column: 3, pointer: "/limits_config/retention_period", fingerprint: "f-ret-005",
  },
  {
    rule: "ALR-006", severity: "warning", status: "waived", model: "fraud-detector", models: ["fraud-detector"],
    message: "Alert FraudDetectorLatencyHigh fires at once (`for: 0m`)",
    file: "alerts/fraud-detector.rules.yaml", line: 6, column: 9, pointer: "/groups/0/rules/0/for", fingerprint: "f-alr-006",
    waiver: ALR_006_APPLIED,
  },
];

/** The facts of a passing run over the fixture root; `overrides` replace top-level members. */
export function sampleFacts(overrides: Partial<AttestationFacts> = {}): AttestationFacts {
  const files = hashTree(ROOT);
  return {
    timeEvaluated: NOW,
    failOn: "error",
    evaluator: { version: "0.1.0", sha256: sha256("obsgate 0.1.0 (test)") },
    inputs: [...files].map(([path, digest]) => ({ path, sha256: digest })),
    policySets: [{ name: "builtin", sha256: BUILTIN_POLICY_SHA256, opaVersion: "1.4.2", subject: builtinPolicySubject("0.1.0") }],
    policyData: [],
    parameters: { critical: { maxScrapeIntervalSeconds: 30, minLogRetentionSeconds: 2_592_000 }, standard: { minLogRetentionSeconds: 604_800 } },
    repository: "https://github.com/acme/models",
    source: { commit: COMMIT, ref: "refs/heads/main", dirty: false },
    invocation: { ciRunUrl: "https://github.com/acme/models/actions/runs/42" },
    rules: [
      { id: "RET-005", title: "Retention meets the tier's minimum", severity: "error", family: "RET", waivable: true, docs: "docs/rules/RET-005.md" },
      { id: "ALR-006", title: "Alerts wait before firing", severity: "warning", family: "ALR", waivable: true, docs: "docs/rules/ALR-006.md" },
      { id: "CAR-002", title: "Label values are bounded", severity: "error", family: "CAR", waivable: true, docs: "docs/rules/CAR-002.md" },
    ],
    files: [
      ...[...files.keys()].map((path) => ({
        path,
        kind: path.startsWith("models/") ? "model-manifest" : path.startsWith("alerts/") ? "prometheus-rules" : "loki-config",
        status: "evaluated" as const,
      })),
      { path: "docs/notes.yaml", kind: "unknown", status: "skipped" as const, reason: "not a known kind of file" },
    ],
    models: [
      { name: "fraud-detector", version: "2.3.1", owner: "team-risk", tier: "critical", riskClass: "high-risk", file: "models/fraud-detector.obsgate.yaml" },
      { name: "churn-scorer", version: null, owner: "équipe-croissance", tier: "standard", riskClass: null, file: "models/churn-scorer.obsgate.yaml", notApplicable: ["ALR-006"] },
    ],
    findings: FINDINGS,
    waivers: {
      applied: [ALR_006_WAIVER],
      // With `status`, as src/types.ts's WaiverRecord has it: the builder keeps only the predicate's fields.
      expired: [{
        source: "file", file: "waivers.yaml", line: 11, column: 5, rule: "CAR-002",
        selector: { model: "churn-scorer", file: null, pointer: null, line: null },
        owner: "growth", reason: "Migration in progress.", ticket: null, expires: "2026-04-01", findings: 0,
        status: "expired",
      } as WaiverFacts],
    },
    ...overrides,
  };
}

/** An open finding of `severity` for `model`, to turn a passing run into a warned or failed one. */
export function openFinding(severity: "error" | "warning", model: string): FindingFacts {
  return {
    rule: "CAR-002", severity, status: "open", model, models: [model],
    message: "Label `user_id` has unbounded values", file: `models/${model}.obsgate.yaml`, line: 9, column: 7,
    pointer: "/spec/metrics/0/labels/0",
  };
}
