// The committed bundles are what the Action and the pre-commit hook run: rebuilt into a temporary
// folder, they must equal dist/index.js and dist/cli.js byte for byte (never rebuilt in place), hold
// no path of the machine that built them, and run without node_modules.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT, removeTree } from "../helpers/cli.js";
import { INPUT_DEFAULTS } from "../../src/github/inputs.js";
import { actionCheckout, machineNode } from "./helpers/action.js";
// @ts-expect-error: the benchmark's generator is plain JavaScript without declarations.
import { generateFleet } from "../../bench/generate.mjs";

const BUNDLES = ["index.js", "cli.js"];
const temporary: string[] = [];
afterAll(() => temporary.forEach(removeTree));

describe("dist/", () => {
  it("is what scripts/build-dist.mjs builds from the sources now (run `npm run build:dist` and commit dist/ when this fails)", () => {
    const out = mkdtempSync(join(tmpdir(), "obsgate-dist-"));
    temporary.push(out);
    execFileSync(machineNode(), [join(PACKAGE_ROOT, "scripts", "build-dist.mjs"), out], { cwd: PACKAGE_ROOT, stdio: "pipe" });
    for (const bundle of BUNDLES) {
      const rebuilt = readFileSync(join(out, bundle));
      const committed = readFileSync(join(PACKAGE_ROOT, "dist", bundle));
      expect(rebuilt.equals(committed), `dist/${bundle} differs from a fresh build`).toBe(true);
      // Deterministic: nothing of this machine or of this build's folder in the bundle.
      const text = rebuilt.toString("utf8");
      for (const local of [PACKAGE_ROOT, out, homedir(), tmpdir() + "/"]) expect(text.includes(local), `dist/${bundle} holds ${local}`).toBe(false);
    }
  });

  it("has an executable CLI with a #! line, which package.json's bin names, and no pack-time script", () => {
    const cli = join(PACKAGE_ROOT, "dist", "cli.js");
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(cli).mode & 0o111).toBe(0o111);
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ obsgate: "dist/cli.js" });
    expect(pkg.files).toEqual(expect.arrayContaining(["dist/cli.js", "dist/policies", "schemas", "docs/rules"]));
    // pre-commit takes npm pack's whole stdout as the tarball's name: a lifecycle script's banner breaks it.
    for (const script of ["prepare", "prepack", "postpack", "prepublish", "prepublishOnly"]) expect(pkg.scripts[script]).toBeUndefined();
  });

  it("runs the CLI without node_modules and reports what the built CLI reports", () => {
    const checkout = actionCheckout();
    temporary.push(checkout);
    const args = ["check", join(PACKAGE_ROOT, "examples", "fleet"), "--fail-on", "never", "--format", "json", "--now", "2026-11-01"];
    const fromBundle = execFileSync(machineNode(), [join(checkout, "dist", "cli.js"), ...args], { cwd: PACKAGE_ROOT, encoding: "utf8" });
    const fromLib = execFileSync(machineNode(), [join(PACKAGE_ROOT, "lib", "cli", "main.js"), ...args], { cwd: PACKAGE_ROOT, encoding: "utf8" });
    expect(JSON.parse(fromBundle)).toEqual(JSON.parse(fromLib));
    expect(JSON.parse(fromBundle).findings.length).toBeGreaterThan(0);
  });

  it("evaluates a fleet of more than one batch in worker threads whose code is the bundle itself", () => {
    const checkout = actionCheckout();
    temporary.push(checkout);
    const out = mkdtempSync(join(tmpdir(), "obsgate-dist-fleet-"));
    temporary.push(out);
    const fleet = (generateFleet(250, { outDir: out }) as { dir: string }).dir;
    const args = ["check", fleet, "--fail-on", "never", "--format", "json", "--now", "2026-11-01"];
    const fromBundle = execFileSync(machineNode(), [join(checkout, "dist", "cli.js"), ...args], { cwd: fleet, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    const fromLib = execFileSync(machineNode(), [join(PACKAGE_ROOT, "lib", "cli", "main.js"), ...args], { cwd: fleet, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    expect(fromBundle).toBe(fromLib);
    expect(JSON.parse(fromBundle).summary.models).toBe(250);
  }, 240_000);
});

describe("action.yml", () => {
  const action = parse(readFileSync(join(PACKAGE_ROOT, "action.yml"), "utf8"));

  it("runs the committed bundle on node 24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(action.branding).toMatchObject({ icon: expect.any(String), color: expect.any(String) });
  });

  it("documents every input and output the Action reads and writes, with the defaults it applies", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      ["paths", "working-directory", "config", "policy", "fail-on", "token", "comment", "check-run", "annotations", "sarif-file", "sarif-category", "only-changed", "sign-key", "attestation-file"].sort(),
    );
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) expect(action.inputs[name].default, name).toBe(value);
    expect(action.inputs.token.default).toBe("${{ github.token }}");
    for (const input of Object.values(action.inputs) as Array<{ description: string }>) expect(input.description.length).toBeGreaterThan(10);
    expect(Object.keys(action.outputs).sort()).toEqual(["attestation-file", "errors", "report-json", "result", "sarif-file", "warnings"]);
    const main = readFileSync(join(PACKAGE_ROOT, "src", "github", "main.ts"), "utf8");
    for (const output of Object.keys(action.outputs)) expect(main).toContain(`core.setOutput("${output}"`);
  });
});
