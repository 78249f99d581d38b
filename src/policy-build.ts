// `obsgate policy build DIR`: a user's folder of Rego compiled, exactly as `check --policy DIR`
// compiles it, to one `.wasm` that @open-policy-agent/opa-wasm loads as it is. The module is
// loaded once before it is handed back, so a file that `check` would refuse is never written.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { repositoryRoot, toRepoPath } from "./load/index.js";
import { CONTRACT_ENTRYPOINTS } from "./policy/build-builtin.js";
import { compileRego, regoSources } from "./policy/compile.js";
import { loadPolicyModule, opaModuleProblem } from "./policy/engine.js";

export interface PolicyBuildOptions {
  /** The policy folder (or one .rego file), relative to cwd. */
  dir: string;
  cwd: string;
  /** `pkg/path/rule` entry points; empty: the contract's. */
  entrypoints?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface BuiltPolicy {
  wasm: Buffer;
  opaVersion: string;
  entrypoints: string[];
}

export async function buildPolicy(options: PolicyBuildOptions): Promise<BuiltPolicy> {
  const absolute = resolve(options.cwd, options.dir);
  if (!existsSync(absolute) || !(statSync(absolute).isDirectory() || absolute.endsWith(".rego"))) {
    throw new DiagnosticError(diagnostic("usage_error", `policy build ${options.dir}: not a folder of .rego files`));
  }
  const name = toRepoPath(repositoryRoot([absolute], options.cwd), absolute);
  const isFile = statSync(absolute).isFile();
  const displayDir = isFile ? toRepoPath(repositoryRoot([absolute], options.cwd), resolve(absolute, "..")) : name;
  const entrypoints = [...new Set(options.entrypoints?.length ? options.entrypoints : CONTRACT_ENTRYPOINTS)];
  // An explicit build always runs opa: it is how a user proves the folder compiles today.
  const compiled = await compileRego(regoSources(absolute, name, displayDir), { entrypoints, env: options.env, cache: false });
  const problem = opaModuleProblem(compiled.wasm);
  if (problem) throw new DiagnosticError(diagnostic("policy_error", `opa build wrote a module the SDK cannot load (${problem})`, name));
  if (CONTRACT_ENTRYPOINTS.every((e) => entrypoints.includes(e))) {
    // A policy for `check`: hold it to the contract now rather than at a user's first run.
    await loadPolicyModule(name, compiled.wasm, compiled.opaVersion,
      "a policy for `obsgate check` defines the contract's `obsgate/findings` and `obsgate/metadata` (docs/writing-policies.md)", name);
  } else {
    try {
      await loadPolicy(compiled.wasm);
    } catch (error) {
      throw new DiagnosticError(diagnostic("policy_error", `the SDK cannot load the compiled module (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`, name));
    }
  }
  return { wasm: compiled.wasm, opaVersion: compiled.opaVersion, entrypoints };
}
