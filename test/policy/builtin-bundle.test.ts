// The committed built-in bundle is exactly what the pinned OPA makes of policies/, and the Rego
// itself passes OPA's strict check, formatter and unit tests. The rebuild goes to a temporary
// folder: rebuilding in place first would make the comparison pass by construction.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { buildBuiltinPolicies, builtinOutDir, capabilitiesFile } from "../../src/policy/build-builtin.js";
import { pinnedOpaVersion } from "../../src/policy/opa-binary.js";
import { describeWith, opa } from "../helpers/require.js";

const policies = join(packageRoot(), "policies");

function runOpa(args: string[]) {
  return spawnSync(opa().path, args, { encoding: "utf8", timeout: 300_000 });
}

describeWith(["opa"], "the built-in policy bundle", () => {
  const scratch = mkdtempSync(join(tmpdir(), "obsgate-rebuild-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is built with the pinned OPA", () => {
    expect(opa().version).toBe(pinnedOpaVersion());
    const meta = JSON.parse(readFileSync(join(builtinOutDir(), "policy.json"), "utf8"));
    expect(meta.opaVersion).toBe(pinnedOpaVersion());
  });

  it("matches a fresh build byte for byte", async () => {
    await buildBuiltinPolicies(scratch);
    for (const file of ["policy.wasm", "policy.json"]) {
      const fresh = readFileSync(join(scratch, file));
      const committed = readFileSync(join(builtinOutDir(), file));
      expect(fresh.equals(committed), `${file} differs from a fresh build: run \`npm run build:policies\` and commit`).toBe(true);
    }
  });

  it("passes opa check --strict with the SDK's capabilities", () => {
    const result = runOpa(["check", "--strict", "--capabilities", capabilitiesFile(), policies]);
    expect(result.stderr + result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("is formatted (opa fmt)", () => {
    const result = runOpa(["fmt", "--list", "--fail", policies]);
    expect(result.stdout, "files opa fmt would change").toBe("");
    expect(result.status).toBe(0);
  });

  it("passes its Rego unit tests (opa test)", () => {
    const result = runOpa(["test", policies]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PASS: \d+\/\d+$/m);
  });
});
