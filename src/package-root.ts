// The folder that holds package.json, dist/ and schemas/, from src/ (tests), lib/ (built) and the
// bundles of dist/; and whether the running code is such a bundle.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
}

// Defined as true by scripts/build-dist.mjs (esbuild's `define`) in the bundles of dist/; undeclared in src/ and lib/.
declare const OBSGATE_BUNDLE: boolean | undefined;

/** Whether the running code is one of dist/'s single-file bundles (the Action's dist/index.js, the CLI's dist/cli.js). */
export function runningFromBundle(): boolean {
  return typeof OBSGATE_BUNDLE !== "undefined" && OBSGATE_BUNDLE;
}
