// Builds the built-in policy library with the pinned OPA into `policy.wasm` + `policy.json`.
// Only the build script and the rebuild test call this; users run the committed output.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { packageRoot } from "../package-root.js";
import { readBundle } from "./bundle.js";
import { findOpa, OPA_INSTALL_HINT, pinnedOpaVersion } from "./opa-binary.js";

export const CONTRACT_ENTRYPOINTS = ["obsgate/findings", "obsgate/metadata"] as const;

export function builtinOutDir(): string {
  return join(packageRoot(), "dist", "policies");
}

export function capabilitiesFile(): string {
  return join(packageRoot(), "tools", "opa-capabilities.json");
}

/** Compiles `policies/` and writes policy.wasm and policy.json into outDir; returns the paths. */
export async function buildBuiltinPolicies(outDir = builtinOutDir()): Promise<string[]> {
  const opa = findOpa();
  if (!opa) throw new Error(`opa not found: ${OPA_INSTALL_HINT}`);
  const pinned = pinnedOpaVersion();
  if (opa.version !== pinned) {
    throw new Error(`${opa.path} is OPA ${opa.version}, but obsgate pins ${pinned} (tools/opa.version)`);
  }
  const work = mkdtempSync(join(tmpdir(), "obsgate-build-"));
  try {
    const bundlePath = join(work, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", "--capabilities", relative(packageRoot(), capabilitiesFile()), "--ignore", "*_test.rego"];
    for (const entrypoint of CONTRACT_ENTRYPOINTS) args.push("-e", entrypoint);
    // A relative path, from the package root: the module embeds source locations, so an absolute one
    // would make the bytes depend on where the project is checked out.
    args.push("-o", bundlePath, "policies");
    const result = spawnSync(opa.path, args, { cwd: packageRoot(), encoding: "utf8", timeout: 300_000 });
    if (result.status !== 0) throw new Error(`opa build failed:\n${result.stderr || result.stdout}`);
    const files = await readBundle(readFileSync(bundlePath));
    const wasm = files.get("policy.wasm");
    if (!wasm) throw new Error("opa build wrote no policy.wasm");
    mkdirSync(outDir, { recursive: true });
    const wasmPath = join(outDir, "policy.wasm");
    const metaPath = join(outDir, "policy.json");
    writeFileSync(wasmPath, wasm);
    const meta = {
      opaVersion: opa.version,
      entrypoints: CONTRACT_ENTRYPOINTS,
      sha256: createHash("sha256").update(wasm).digest("hex"),
    };
    writeFileSync(metaPath, JSON.stringify(meta, null, 2) + "\n");
    return [wasmPath, metaPath];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
