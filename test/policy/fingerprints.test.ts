// Every finding has a fingerprint of its own: two findings at one place must never share one, or a
// waiver, a SARIF consumer or `--changed-since` would treat them as one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { readBundle } from "../../src/policy/bundle.js";
import { SHARED_DIR, describeWith, opa } from "../helpers/require.js";

const root = packageRoot();

async function duplicateFingerprints(paths: string[], policies: string[] = []): Promise<string[]> {
  const { report } = await runCheck({ paths, cwd: root, policies });
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const f of report.findings) {
    const where = `${f.rule} ${f.file}:${f.line}:${f.column} ${f.message}`;
    const earlier = seen.get(f.fingerprint);
    if (earlier) duplicates.push(`${where}  ==  ${earlier}`);
    else seen.set(f.fingerprint, where);
  }
  expect(report.findings.length).toBeGreaterThan(0);
  return duplicates;
}

describe("finding fingerprints", () => {
  it.each([["examples/fleet"], ["test/fixtures/rules"], ["test/fixtures/bad-rules"]])("are unique over %s", async (path) => {
    expect(await duplicateFingerprints([path])).toEqual([]);
  });
});

describeWith(["shared"], "finding fingerprints over the corpus", () => {
  it("are unique", async () => {
    expect(await duplicateFingerprints([join(SHARED_DIR, "corpus")])).toEqual([]);
  });
});

describeWith(["opa"], "a user's policy that gives two findings at one pointer no key", () => {
  const scratch = mkdtempSync(join(tmpdir(), "obsgate-colliding-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("still gets two fingerprints, told apart by the messages", async () => {
    const wasm = join(scratch, "policy.wasm");
    const bundle = join(scratch, "bundle.tar.gz");
    const built = spawnSync(opa().path, ["build", "-t", "wasm", "-e", "obsgate/findings", "-e", "obsgate/metadata", "-o", bundle, "test/fixtures/policies/colliding"], { cwd: root, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    writeFileSync(wasm, (await readBundle(readFileSync(bundle))).get("policy.wasm")!);
    const { report } = await runCheck({ paths: ["examples/fleet/fraud-detector"], cwd: root, policies: [wasm] });
    const org = report.findings.filter((f) => f.rule === "ORG-001");
    expect(org.map((f) => f.message).sort()).toEqual(["owner has no on-call rotation", "owner is not in the registry"]);
    expect(new Set(org.map((f) => f.fingerprint)).size).toBe(2);
  });
});
