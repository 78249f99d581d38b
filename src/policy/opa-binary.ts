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

export const OPA_INSTALL_HINT =
  "install it with `go install github.com/open-policy-agent/opa@<version>` " +
  "(the version obsgate pins is in tools/opa.version), or set OBSGATE_OPA to its path";
