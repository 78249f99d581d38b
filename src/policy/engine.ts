// Loads compiled policy sets and evaluates ModelInputs through @open-policy-agent/opa-wasm — the
// only evaluation path obsgate has. One loaded instance per set: `setData` once, `evaluate` per model.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { SEVERITIES, type RuleMetadata, type Severity } from "../types.js";
import { builtinOutDir, CONTRACT_ENTRYPOINTS } from "./build-builtin.js";

export interface PolicySet {
  /** `builtin` or the path the user gave. */
  name: string;
  sha256: string;
  opaVersion: string | null;
  metadata: Map<string, RuleMetadata>;
  policy: LoadedPolicy;
  /** The compiled module the policy was loaded from, for loading it again in an evaluation worker. */
  module: Uint8Array;
  /** `data` the set sees besides `data.fleet`: a bundle's own data and the `--data` files. */
  data: Record<string, unknown>;
}

/** A finding as a policy returns it, checked against the contract. */
export interface RawFinding {
  rule: string;
  message: string;
  pointer: string;
  severity: Severity | null;
  /** Tells apart findings of one rule at one pointer (e.g. which field is missing); part of the fingerprint. */
  key: string | null;
}

/** Exports every module `opa build -t wasm` writes has, and the SDK calls. */
const OPA_EXPORTS = ["memory", "opa_eval_ctx_new", "eval", "builtins", "entrypoints", "opa_heap_ptr_get"] as const;

export function builtinPolicyPath(): string {
  return join(builtinOutDir(), "policy.wasm");
}

export async function loadBuiltinPolicySet(): Promise<PolicySet> {
  const path = builtinPolicyPath();
  let meta: { opaVersion?: string } = {};
  try {
    meta = JSON.parse(readFileSync(join(builtinOutDir(), "policy.json"), "utf8"));
  } catch {
    // The version note is informative only; the Wasm module itself is what must load.
  }
  return loadPolicySet("builtin", path, meta.opaVersion ?? null,
    "reinstall obsgate, or rebuild the built-in policies with `npm run build:policies`");
}

/** Loads a compiled `.wasm` with the contract's two entry points; any failure is a diagnostic. */
export async function loadPolicySet(name: string, path: string, opaVersion: string | null, fix: string): Promise<PolicySet> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? "unknown error");
    throw new DiagnosticError(diagnostic("policy_error", `cannot read the policy (${why}); ${fix}`, name === "builtin" ? path : name));
  }
  return loadPolicyModule(name, bytes, opaVersion, fix, name === "builtin" ? path : name);
}

/** Why these bytes are not a module `opa build -t wasm` wrote, or null when they are one. */
export function opaModuleProblem(bytes: Uint8Array): string | null {
  // Checked before the SDK sees the bytes: it prints to the console and fails obscurely on a
  // WebAssembly module that is not an OPA policy.
  const module = new Uint8Array(bytes);
  if (!WebAssembly.validate(module)) return "not a WebAssembly module";
  const exported = new Set(WebAssembly.Module.exports(new WebAssembly.Module(module)).map((e) => e.name));
  const missing = OPA_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length > 0) return `a WebAssembly module, but not one built by \`opa build -t wasm\` (it lacks ${missing.join(", ")})`;
  return null;
}

/** Loads a policy module already in memory; `where` is the file its diagnostics name. */
export async function loadPolicyModule(
  name: string,
  bytes: Uint8Array,
  opaVersion: string | null,
  fix: string,
  where: string = name,
  data: Record<string, unknown> = {},
): Promise<PolicySet> {
  const fail = (message: string): never => {
    throw new DiagnosticError(diagnostic("policy_error", `${message}; ${fix}`, where));
  };
  const problem = opaModuleProblem(bytes);
  if (problem) return fail(problem);
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(bytes);
  } catch (error) {
    return fail(`not a loadable OPA WebAssembly policy (${firstLine(error)})`);
  }
  for (const entrypoint of CONTRACT_ENTRYPOINTS) {
    if (!(entrypoint in policy.entrypoints)) {
      fail(`the policy has no \`${entrypoint}\` entry point (it has: ${Object.keys(policy.entrypoints).join(", ") || "none"})`);
    }
  }
  policy.setData({});
  const metadata = new Map<string, RuleMetadata>();
  let raw: unknown;
  try {
    raw = policy.evaluate({}, "obsgate/metadata")?.[0]?.result;
  } catch (error) {
    return fail(`evaluating obsgate/metadata failed (${firstLine(error)})`);
  }
  if (!isRecord(raw)) return fail("obsgate/metadata must be an object from rule id to metadata");
  for (const [id, value] of Object.entries(raw)) {
    const problem = metadataProblem(id, value);
    if (problem) fail(`obsgate/metadata["${id}"] ${problem}`);
    metadata.set(id, value as RuleMetadata);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { name, sha256, opaVersion, metadata, policy, module: bytes, data };
}

function metadataProblem(id: string, value: unknown): string | null {
  if (!isRecord(value)) return "must be an object";
  for (const key of ["id", "title", "description", "remediation", "docs", "family"]) {
    if (typeof value[key] !== "string") return `needs a string \`${key}\``;
  }
  if (value.id !== id) return `has id "${String(value.id)}", which differs from its key`;
  if (!SEVERITIES.includes(value.severity as Severity)) return `needs \`severity\` error, warning or info`;
  if (typeof value.waivable !== "boolean") return "needs a boolean `waivable`";
  return null;
}

/** Evaluates one ModelInput (or its JSON, encoded); a result that breaks the contract is a diagnostic naming the policy. */
export function evaluateFindings(set: PolicySet, input: unknown, model: string): RawFinding[] {
  const fail = (message: string): never => {
    // A user's policy is named by its path, so the diagnostic points at it.
    const where = set.name === "builtin" ? undefined : set.name;
    throw new DiagnosticError(diagnostic("policy_error", `policy ${set.name}, model ${model}: ${message}`, where));
  };
  let result: unknown;
  try {
    result = set.policy.evaluate(input, "obsgate/findings")?.[0]?.result;
  } catch (error) {
    return fail(`evaluation failed (${firstLine(error)})`);
  }
  if (result === undefined) return [];
  if (!Array.isArray(result)) return fail("obsgate/findings must be a set of finding objects");
  return result.map((item: unknown) => {
    if (!isRecord(item)) return fail(`a finding is not an object: ${JSON.stringify(item)}`);
    const { rule, message, pointer, severity, key } = item;
    if (typeof rule !== "string" || !set.metadata.has(rule)) {
      return fail(`a finding names rule ${JSON.stringify(rule)}, which obsgate/metadata does not describe`);
    }
    if (typeof message !== "string" || message === "") return fail(`a ${rule} finding has no message`);
    if (pointer !== undefined && (typeof pointer !== "string" || !(pointer === "" || pointer.startsWith("/")))) {
      return fail(`a ${rule} finding has pointer ${JSON.stringify(pointer)}, which is not a JSON pointer`);
    }
    if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) {
      return fail(`a ${rule} finding has severity ${JSON.stringify(severity)}; use error, warning or info`);
    }
    if (key !== undefined && typeof key !== "string") return fail(`a ${rule} finding has key ${JSON.stringify(key)}; use a string`);
    return {
      rule,
      message,
      pointer: (pointer as string | undefined) ?? "",
      severity: (severity as Severity | undefined) ?? null,
      key: (key as string | undefined) ?? null,
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
