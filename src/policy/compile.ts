// A user's folder of Rego → one Wasm module, compiled by the pinned opa (`opa build -t wasm`) with
// the capabilities file the built-ins use, so a builtin the Wasm SDK cannot run fails here, at
// build time. Only the folder's `.rego` files are compiled (not its `_test.rego`, and never its
// YAML/JSON, which opa would otherwise load as data: fixtures live there), each named relative to
// the folder, so the bytes do not depend on where the folder is. A compile error becomes a
// diagnostic at the .rego file's line and column, as `opa check` locates it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { compareStrings, type Diagnostic } from "../types.js";
import { readBundle } from "./bundle.js";
import { cacheDirectory, cacheEntryPath, cacheKey, readCacheEntry, writeCacheEntry } from "./cache.js";
import { capabilitiesFile, CONTRACT_ENTRYPOINTS } from "./build-builtin.js";
import { findPinnedOpa, pinnedOpaVersion, type OpaBinary } from "./opa-binary.js";

export interface RegoSources {
  /** Absolute folder opa runs in; every file below is relative to it. */
  dir: string;
  /** The folder as diagnostics name it (repository-relative), joined with a file's path to locate it. */
  displayDir: string;
  /** What the user named: the folder, or a single `.rego` file. */
  name: string;
  /** Policy files, sorted, `/`-separated. */
  files: string[];
  /** `_test.rego` files, sorted: `opa test` runs them, the build leaves them out. */
  tests: string[];
}

/** The `.rego` files under a folder (or one file), skipping hidden entries and symlinked folders. */
export function regoSources(absolute: string, name: string, displayDir: string): RegoSources {
  if (statSync(absolute).isFile()) {
    const file = basename(absolute);
    return { dir: dirname(absolute), displayDir, name, files: file.endsWith("_test.rego") ? [] : [file], tests: file.endsWith("_test.rego") ? [file] : [] };
  }
  const found: string[] = [];
  const walk = (relative: string) => {
    const entries = readdirSync(join(absolute, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".rego") && (entry.isFile() || (entry.isSymbolicLink() && isFile(join(absolute, path))))) found.push(path);
    }
  };
  walk("");
  found.sort(compareStrings);
  return {
    dir: absolute,
    displayDir,
    name,
    files: found.filter((f) => !f.endsWith("_test.rego")),
    tests: found.filter((f) => f.endsWith("_test.rego")),
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface CompileOptions {
  entrypoints?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Read and write the compiled-policy cache (default true); `policy build` always compiles. */
  cache?: boolean;
}

export interface Compiled {
  wasm: Buffer;
  opaVersion: string;
  /** Whether the module came from the cache (opa was not run). */
  cached: boolean;
}

const FIX = "fix the Rego, then run again (`opa check --strict` on the folder shows the same)";

/** Compiles the sources to Wasm, through the cache; every failure is a located diagnostic. */
export async function compileRego(sources: RegoSources, options: CompileOptions = {}): Promise<Compiled> {
  const entrypoints = options.entrypoints ?? CONTRACT_ENTRYPOINTS;
  const env = options.env ?? process.env;
  if (sources.files.length === 0) {
    throw new DiagnosticError(diagnostic("policy_error",
      `no .rego policy files in ${sources.name}${sources.tests.length > 0 ? " (only _test.rego files)" : ""}; pass a folder of Rego, a .wasm or a bundle.tar.gz`,
      sources.name));
  }
  const opaVersion = pinnedOpaVersion();
  const capabilities = readFileSync(capabilitiesFile());
  const files = sources.files.map((path) => ({ path, bytes: readFileSync(join(sources.dir, path)) }));
  const entry = cacheEntryPath(cacheDirectory(env), cacheKey({ opaVersion, capabilities, entrypoints, files }));
  if (options.cache !== false) {
    const hit = readCacheEntry(entry);
    if (hit) return { wasm: hit, opaVersion, cached: true };
  }
  const lookup = findPinnedOpa(env);
  if ("problem" in lookup) {
    throw new DiagnosticError(diagnostic("policy_error", `cannot compile ${sources.name}: ${lookup.problem}`, sources.name));
  }
  const wasm = await buildWasm(lookup.opa, sources, entrypoints);
  if (options.cache !== false) writeCacheEntry(entry, wasm);
  return { wasm, opaVersion, cached: false };
}

async function buildWasm(opa: OpaBinary, sources: RegoSources, entrypoints: readonly string[]): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), "obsgate-compile-"));
  try {
    const bundle = join(work, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", "--capabilities", capabilitiesFile()];
    for (const entrypoint of entrypoints) args.push("-e", entrypoint);
    // `--` ends the flags: a file named `-x.rego` is still a file.
    args.push("-o", bundle, "--", ...sources.files);
    const result = spawnSync(opa.path, args, { cwd: sources.dir, encoding: "utf8", timeout: 300_000 });
    if (result.error) {
      throw new DiagnosticError(diagnostic("policy_error", `cannot compile ${sources.name}: running ${opa.path} failed (${result.error.message})`, sources.name));
    }
    if (result.status !== 0) throw new DiagnosticError(compileErrors(opa, sources, result.stderr || result.stdout));
    let wasm: Buffer | undefined;
    try {
      wasm = (await readBundle(readFileSync(bundle))).get("policy.wasm");
    } catch {
      wasm = undefined;
    }
    if (!wasm) throw new DiagnosticError(diagnostic("policy_error", `cannot compile ${sources.name}: opa build wrote no policy.wasm`, sources.name));
    return wasm;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** opa's located errors for a failed build: `opa check` gives them as JSON with columns, which `opa build` omits. */
function compileErrors(opa: OpaBinary, sources: RegoSources, buildOutput: string): Diagnostic[] {
  const check = spawnSync(opa.path, ["check", "--format", "json", "--capabilities", capabilitiesFile(), "--", ...sources.files], {
    cwd: sources.dir,
    encoding: "utf8",
    timeout: 300_000,
  });
  const located = parseCheckErrors(check.stderr || check.stdout, sources);
  if (located.length > 0) return located;
  return parseBuildErrors(buildOutput, sources);
}

/** `opa check --format json` → diagnostics at each error's file, row and column. */
export function parseCheckErrors(output: string, sources: Pick<RegoSources, "displayDir">): Diagnostic[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((error: { message?: string; code?: string; location?: { file?: string; row?: number; col?: number } }) => {
    const location = error.location ?? {};
    const file = location.file ? joinDisplay(sources.displayDir, location.file) : sources.displayDir;
    return diagnostic("policy_error", regoMessage(error.code ?? "rego_error", error.message ?? "error"), file, Math.max(1, location.row ?? 1), Math.max(1, location.col ?? 1));
  });
}

/** The errors `opa build` prints when `opa check` finds none (an entry point that names no rule). */
export function parseBuildErrors(output: string, sources: Pick<RegoSources, "displayDir" | "name">): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of output.split("\n")) {
    const entry = /entrypoint "([^"]+)" does not refer to a rule or policy decision/.exec(line);
    if (entry) {
      const path = entry[1]!;
      const rule = path.split("/").at(-1);
      const pkg = path.split("/").slice(0, -1).join(".");
      found.push(diagnostic("policy_error",
        `the policy has no \`${path}\` entry point: define rule \`${rule}\` in package \`${pkg}\`` +
          (CONTRACT_ENTRYPOINTS.includes(path as (typeof CONTRACT_ENTRYPOINTS)[number]) ? " (see docs/writing-policies.md, the contract)" : ""),
        sources.name));
      continue;
    }
    const located = /(?:^|: )([^\s:]+\.rego):(\d+): (rego_\w+): (.+)$/.exec(line);
    if (located) {
      found.push(diagnostic("policy_error", regoMessage(located[3]!, located[4]!), joinDisplay(sources.displayDir, located[1]!), Number(located[2]), 1));
    }
  }
  if (found.length > 0) return found;
  const first = output.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "no output";
  return [diagnostic("policy_error", `opa build failed on ${sources.name}: ${first.replace(/^error: /i, "")}`, sources.name)];
}

function regoMessage(code: string, message: string): string {
  // The Wasm target runs only what the SDK implements; say so where opa just says "undefined".
  const hint = /^undefined function /.test(message)
    ? "; obsgate compiles for the Wasm target, which has only the builtins @open-policy-agent/opa-wasm runs (tools/opa-capabilities.json)"
    : `; ${FIX}`;
  return `${code}: ${message}${hint}`;
}

function joinDisplay(displayDir: string, file: string): string {
  const clean = file.replace(/^\.\//, "");
  return displayDir === "." || displayDir === "" ? clean : `${displayDir}/${clean}`;
}
