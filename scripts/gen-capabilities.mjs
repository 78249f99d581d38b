// Generates tools/opa-capabilities.json: the builtins a policy may use so that it runs in Node
// through @open-policy-agent/opa-wasm. Run after `npm run build`:
//   node scripts/gen-capabilities.mjs
//
// It starts from `opa capabilities --current` of the pinned OPA, keeps features and keywords, takes
// wasm_abi_versions from the SDK, and keeps a builtin only if it runs. That is decided empirically:
// each builtin is called from a tiny Rego v1 policy built with `opa build -t wasm`, and the module's
// exported `builtins()` map (what it asks the host to implement) is read through the SDK's
// `loadPolicy`. A builtin is kept when the module does not ask for it (OPA's Wasm library implements
// it) or asks for it and the SDK implements it in JS (src/builtins/*.js in the SDK).
//
// Dropped, and why (the run prints every name):
//   - builtins the module imports from the host but the SDK does not implement in JS: calling them
//     throws "not implemented". That is most of them: trace, crypto.* (even the plain hashes),
//     hex.*, io.jwt.*, time.* (parsing and formatting too), net.cidr_* except contains/intersects,
//     graphql.*, semver.*, units.*, uri.*, urlquery.*, regex.replace, regex.find_n, strings.count,
//     object.subset, json.patch, uuid.parse, …;
//   - builtins OPA marks `nondeterministic` (http.send, opa.runtime, time.now_ns, rand.intn,
//     uuid.rfc4122, net.lookup_ip_addr, io.jwt.encode_sign/decode_verify, json.match_schema, …):
//     a finding must not depend on the clock, randomness or the network;
//   - print and internal.print: `opa build` erases print() calls, so they compile but never print;
//   - deprecated builtins (any, all, cast_*, re_match, set_diff, net.cidr_overlap): Rego v1
//     rejects them.
// Infix operators (plus, eq, assign, internal.member_2, …) go through the same probe as function
// calls and are kept because the Wasm compiler implements them natively.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { capabilitiesFile } from "../lib/policy/build-builtin.js";
import { readBundle } from "../lib/policy/bundle.js";
import { findOpa, OPA_INSTALL_HINT, pinnedOpaVersion } from "../lib/policy/opa-binary.js";
import { packageRoot } from "../lib/package-root.js";

const require = createRequire(join(packageRoot(), "package.json"));
const { loadPolicy } = require("@open-policy-agent/opa-wasm");
// The SDK's package.json exports only ".", so its other files are read by path (main is src/index.cjs).
const sdkDir = join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "..");
const sdkCapabilities = require(join(sdkDir, "capabilities.json"));
const sdkBuiltins = require(join(sdkDir, "src", "builtins", "index.js"));

const ERASED_BY_OPA_BUILD = new Set(["print", "internal.print"]);

function fail(message) {
  console.error(`gen-capabilities: ${message}`);
  process.exit(2);
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A Rego literal of the declared type; its value does not matter, only that it type-checks. */
function sample(type) {
  switch (type.type) {
    case "string":
      return `"a"`;
    case "number":
      return "1";
    case "boolean":
      return "true";
    case "null":
      return "null";
    case "array":
      if (type.static) return `[${type.static.map(sample).join(", ")}]`;
      return type.dynamic ? `[${sample(type.dynamic)}]` : "[]";
    case "set":
      return `{${sample(type.of)}}`;
    case "object": {
      const pairs = (type.static ?? []).map((p) => `${JSON.stringify(p.key)}: ${sample(p.value)}`);
      if (type.dynamic) pairs.push(`${sample(type.dynamic.key)}: ${sample(type.dynamic.value)}`);
      return `{${pairs.join(", ")}}`;
    }
    default: // "any", possibly a union: its first member
      return Array.isArray(type.of) && type.of.length > 0 ? sample(type.of[0]) : "1";
  }
}

/** A rule value that calls the builtin once, passing arguments of the declared types. */
function probeCall(builtin) {
  const args = (builtin.decl.args ?? []).map(sample);
  if (builtin.decl.variadic) args.push(sample(builtin.decl.variadic));
  // := and = bind their left operand, which must be a variable.
  if (builtin.name === "assign" || builtin.name === "eq") return `[x | x ${builtin.infix} 1]`;
  if (!builtin.decl.result) return `[true | ${builtin.name}(${args.join(", ")})]`;
  return `[out | ${builtin.name}(${[...args, "out"].join(", ")})]`;
}

/** The builtins the compiled probe imports from the host, or an error when it does not compile. */
async function hostImports(opaPath, builtin, work) {
  const dir = join(work, builtin.name);
  mkdirSync(dir);
  writeFileSync(join(dir, "probe.rego"), `package probe\n\np := ${probeCall(builtin)}\n`);
  const bundle = join(dir, "bundle.tar.gz");
  const build = await run(opaPath, ["build", "-t", "wasm", "-e", "probe/p", "-o", bundle, join(dir, "probe.rego")]);
  if (build.status !== 0) return { error: (build.stderr || build.stdout).trim() };
  const wasm = (await readBundle(readFileSync(bundle))).get("policy.wasm");
  const policy = await loadPolicy(wasm);
  const exports = policy.wasmInstance.exports;
  // What the SDK's _preparePolicy reads: builtins() is a JSON object {name: id} in Wasm memory.
  const addr = exports.opa_json_dump(exports.builtins());
  const bytes = new Uint8Array(policy.mem.buffer);
  const end = bytes.indexOf(0, addr);
  return { imports: Object.keys(JSON.parse(new TextDecoder().decode(bytes.subarray(addr, end)))) };
}

/** Runs fn over items with at most `limit` in flight; results keep the items' order. */
async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const opa = findOpa();
if (!opa) fail(`opa not found: ${OPA_INSTALL_HINT}`);
const pinned = pinnedOpaVersion();
if (opa.version !== pinned) fail(`${opa.path} is OPA ${opa.version}, but obsgate pins ${pinned} (tools/opa.version)`);

const current = await run(opa.path, ["capabilities", "--current"]);
if (current.status !== 0) fail(`opa capabilities --current failed:\n${current.stderr}`);
const capabilities = JSON.parse(current.stdout);

/** Why the builtin cannot be used from the SDK, or null when it runs there. */
function dropReason(builtin, probe) {
  if (builtin.nondeterministic) return "nondeterministic";
  if (ERASED_BY_OPA_BUILD.has(builtin.name)) return "erased by opa build";
  if (probe.error) {
    if (probe.error.includes("deprecated built-in function")) return "deprecated, rejected in Rego v1";
    // Anything else means the probe itself is wrong, so stop rather than drop a working builtin.
    fail(`the probe for ${builtin.name} does not compile:\n${probe.error}`);
  }
  if (probe.imports.some((name) => !Object.hasOwn(sdkBuiltins, name))) return "needs a host builtin the SDK lacks";
  return null;
}

const work = mkdtempSync(join(tmpdir(), "obsgate-capabilities-"));
let probes;
try {
  probes = await mapLimited(capabilities.builtins, availableParallelism(), (b) => hostImports(opa.path, b, work));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const kept = [];
const dropped = new Map(); // reason → names
capabilities.builtins.forEach((builtin, i) => {
  const reason = dropReason(builtin, probes[i]);
  if (reason) dropped.set(reason, [...(dropped.get(reason) ?? []), builtin.name]);
  else kept.push(builtin);
});

capabilities.builtins = kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
capabilities.wasm_abi_versions = sdkCapabilities.wasm_abi_versions;
writeFileSync(capabilitiesFile(), JSON.stringify(capabilities, null, 2) + "\n");

console.error(`wrote ${capabilitiesFile()}: kept ${kept.length} of ${probes.length} builtins`);
for (const [reason, names] of dropped) console.error(`dropped (${reason}): ${names.join(", ")}`);
