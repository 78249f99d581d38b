// Finds the `opa` executable that compiles Rego to Wasm. obsgate never evaluates with it: it only
// builds, checks, formats and unit-tests Rego. The pinned version lives in tools/opa.version, the
// one place that .ci/run, the build scripts and the docs read.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { packageRoot } from "../package-root.js";

export interface OpaBinary {
  path: string;
  /** As `opa version` prints it, with a leading `v` (`v1.22.2`). */
  version: string;
}

export function pinnedOpaVersion(): string {
  return readFileSync(join(packageRoot(), "tools", "opa.version"), "utf8").trim();
}

/** `OBSGATE_OPA`, then `opa` on PATH, then `go install`'s default folder; null when none runs. */
export function findOpa(env: NodeJS.ProcessEnv = process.env): OpaBinary | null {
  const candidates: string[] = [];
  if (env.OBSGATE_OPA) candidates.push(env.OBSGATE_OPA);
  for (const dir of (env.PATH ?? "").split(delimiter)) if (dir) candidates.push(join(dir, "opa"));
  const gopath = env.GOPATH ?? join(homedir(), "go");
  candidates.push(join(gopath, "bin", "opa"));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const version = opaVersionOf(path);
    if (version) return { path, version };
  }
  return null;
}

function opaVersionOf(path: string): string | null {
  const result = spawnSync(path, ["version"], { encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0) return null;
  const match = /^Version:\s*(\S+)/m.exec(result.stdout);
  if (!match?.[1]) return null;
  return match[1].startsWith("v") ? match[1] : `v${match[1]}`;
}

/** How to get the pinned OPA, for the diagnostics that need one. */
export function opaInstallHint(version = pinnedOpaVersion()): string {
  return `install OPA ${version}: \`go install github.com/open-policy-agent/opa@${version}\`, or download the release ` +
    `binary from https://github.com/open-policy-agent/opa/releases/tag/${version}; then put it on PATH or set OBSGATE_OPA to its path`;
}

export type OpaLookup = { opa: OpaBinary } | { problem: string };

/**
 * The opa that compiles and tests users' policies: the pinned version only, so that a folder of
 * Rego compiles to the same Wasm bytes (and the same policy digest in a signed report) on every
 * machine. `OBSGATE_OPA`, when set, is the only candidate: an explicit choice must not be
 * silently replaced by another binary.
 */
export function findPinnedOpa(env: NodeJS.ProcessEnv = process.env): OpaLookup {
  const pinned = pinnedOpaVersion();
  const candidates: string[] = [];
  if (env.OBSGATE_OPA) candidates.push(env.OBSGATE_OPA);
  else {
    for (const dir of (env.PATH ?? "").split(delimiter)) if (dir) candidates.push(join(dir, "opa"));
    candidates.push(join(env.GOPATH ?? join(homedir(), "go"), "bin", "opa"));
  }
  const others: OpaBinary[] = [];
  for (const path of [...new Set(candidates)]) {
    if (!existsSync(path)) continue;
    const version = opaVersionOf(path);
    if (version === pinned) return { opa: { path, version } };
    if (version) others.push({ path, version });
  }
  if (env.OBSGATE_OPA && others.length === 0) {
    const why = existsSync(env.OBSGATE_OPA) ? "which does not run as opa" : "which does not exist";
    return { problem: `OBSGATE_OPA is ${env.OBSGATE_OPA}, ${why}; ${opaInstallHint(pinned)}` };
  }
  if (others.length > 0) {
    const found = others.map((o) => `${o.path} is ${o.version}`).join(", ");
    return { problem: `obsgate compiles Rego with OPA ${pinned} only (${found}); ${opaInstallHint(pinned)}` };
  }
  return { problem: `compiling Rego needs opa, and none was found on PATH or in $GOPATH/bin; ${opaInstallHint(pinned)}` };
}

export const OPA_INSTALL_HINT =
  "install it with `go install github.com/open-policy-agent/opa@<version>` " +
  "(the version obsgate pins is in tools/opa.version), or set OBSGATE_OPA to its path";
