// A user's policy set, whatever form it comes in: a folder of Rego (or one `.rego` file), compiled
// through the cache; a `.wasm` from `opa build -t wasm`, loaded as it is; or an OPA bundle
// (`bundle.tar.gz`), whose module and own data are loaded as they are. Each is held to the same
// contract as the built-ins, and every failure is a diagnostic naming the policy.
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";
import { readBundle } from "./bundle.js";
import { compileRego, regoSources } from "./compile.js";
import { mergeData, parseDataText, type DataDocument } from "./data.js";
import { loadPolicyModule, loadPolicySet, type PolicySet } from "./engine.js";
import { OWN_RULES } from "./own-rules.js";

export interface UserPolicyOptions {
  /** The policy as diagnostics and the report name it (repository-relative). */
  name: string;
  /** Where a folder's files are named from in diagnostics (repository-relative). */
  displayDir: string;
  /** The `--data` documents, merged after a bundle's own data. */
  data: readonly DataDocument[];
  env?: NodeJS.ProcessEnv;
}

const WASM_FIX = "pass a .wasm built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`";
const BUNDLE_FIX = "pass a bundle built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`";
const ANY_FIX = "pass a folder of .rego files, a .wasm, or a bundle.tar.gz from `opa build -t wasm`";

export type PolicyForm = "rego" | "wasm" | "bundle" | "unknown";

/** What a path holds, by its name and then its first bytes. */
export function policyForm(path: string, isDirectory: boolean, head: Uint8Array): PolicyForm {
  if (isDirectory || path.endsWith(".rego")) return "rego";
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".tar.gz") || path.endsWith(".tgz")) return "bundle";
  if (head[0] === 0x00 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d) return "wasm";
  if (head[0] === 0x1f && head[1] === 0x8b) return "bundle";
  return "unknown";
}

export async function loadUserPolicySet(absolute: string, options: UserPolicyOptions): Promise<PolicySet> {
  const { name } = options;
  const fail = (message: string, fix: string): never => {
    throw new DiagnosticError(diagnostic("policy_error", `${message}; ${fix}`, name));
  };
  let isDirectory = false;
  let head: Uint8Array = new Uint8Array(0);
  try {
    isDirectory = statSync(absolute).isDirectory();
    if (!isDirectory) head = readHead(absolute);
  } catch (error) {
    // A missing `.wasm` keeps the message its loader gives; anything else says what a policy may be.
    if (absolute.endsWith(".wasm")) return loadPolicySet(name, absolute, null, WASM_FIX);
    return fail(`cannot read the policy (${systemReason(error)})`, ANY_FIX);
  }
  switch (policyForm(absolute, isDirectory, head)) {
    case "rego": {
      let sources;
      try {
        sources = regoSources(absolute, name, options.displayDir);
      } catch (error) {
        return fail(`cannot read the policy folder (${systemReason(error)})`, ANY_FIX);
      }
      const compiled = await compileRego(sources, { env: options.env });
      return loadPolicyModule(name, compiled.wasm, compiled.opaVersion,
        "a folder's policy must define the contract's `obsgate/findings` and `obsgate/metadata` (docs/writing-policies.md)",
        name, mergeData(options.data));
    }
    case "wasm": {
      const set = await loadPolicySet(name, absolute, null, WASM_FIX);
      return { ...set, data: mergeData(options.data) };
    }
    case "bundle":
      return loadBundle(absolute, options);
    case "unknown":
      return fail("not a policy (neither a folder of .rego, a WebAssembly module nor a gzipped bundle)", ANY_FIX);
  }
}

async function loadBundle(absolute: string, options: UserPolicyOptions): Promise<PolicySet> {
  const { name } = options;
  const fail = (message: string): never => {
    throw new DiagnosticError(diagnostic("policy_error", `${message}; ${BUNDLE_FIX}`, name));
  };
  let files: Map<string, Buffer>;
  try {
    files = await readBundle(readFileSync(absolute));
  } catch (error) {
    return fail(`cannot read the bundle (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
  const module = bundleModule(files);
  if ("problem" in module) return fail(module.problem);
  // A bundle's data files sit where their folder says: `a/b/data.json` is `data.a.b`.
  const own: DataDocument[] = [...files.keys()]
    .filter((member) => /(^|\/)data\.(json|ya?ml)$/.test(member))
    .sort()
    .map((member) => parseDataText(files.get(member)!, `${name}!/${member}`, member.split("/").slice(0, -1)));
  const data = mergeData([...own, ...options.data]);
  return loadPolicyModule(name, module.wasm, null, BUNDLE_FIX, name, data);
}

/** The bundle's Wasm module: the one its manifest names for `obsgate/findings`, else `policy.wasm`. */
function bundleModule(files: ReadonlyMap<string, Buffer>): { wasm: Buffer } | { problem: string } {
  let path = "policy.wasm";
  const manifest = files.get(".manifest");
  if (manifest) {
    let wasm: Array<{ entrypoint?: string; module?: string }> = [];
    try {
      wasm = (JSON.parse(manifest.toString("utf8")) as { wasm?: typeof wasm }).wasm ?? [];
    } catch {
      return { problem: "the bundle's .manifest is not JSON" };
    }
    const findings = wasm.find((w) => w.entrypoint === "obsgate/findings");
    if (wasm.length > 0 && !findings) {
      const has = wasm.map((w) => w.entrypoint).filter(Boolean).join(", ");
      return { problem: `the bundle has no \`obsgate/findings\` entry point (its manifest lists: ${has || "none"})` };
    }
    if (findings?.module) path = findings.module.replace(/^\/+/, "");
  }
  const wasm = files.get(path);
  if (!wasm) {
    const rego = [...files.keys()].some((f) => f.endsWith(".rego"));
    return { problem: `the bundle holds no ${path}${rego ? " (it holds Rego: build it with `-t wasm`)" : ""}` };
  }
  return { wasm };
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    const read = readSync(fd, head, 0, 4, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES") return "permission denied";
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * A rule id two sets describe (or one of obsgate's own families), which would make a finding's
 * metadata ambiguous: a diagnostic naming the later policy, which must choose another id.
 */
export function ruleIdClashes(sets: readonly PolicySet[]): Diagnostic[] {
  const owner = new Map<string, string>(OWN_RULES.map((rule) => [rule.id, "obsgate itself"]));
  const clashes: Diagnostic[] = [];
  for (const set of sets) {
    for (const id of [...set.metadata.keys()].sort()) {
      const earlier = owner.get(id);
      if (earlier === undefined) owner.set(id, set.name === "builtin" ? "the built-in policies" : set.name);
      else {
        clashes.push(diagnostic("policy_error",
          `policy ${set.name} describes rule ${id}, which ${earlier} already defines; give the policy's rule an id of its own (e.g. ORG-001)`,
          set.name === "builtin" ? undefined : set.name));
      }
    }
  }
  return clashes;
}
