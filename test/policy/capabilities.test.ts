// tools/opa-capabilities.json (scripts/gen-capabilities.mjs writes it) promises that every builtin it
// lists runs in Node through @open-policy-agent/opa-wasm. These tests hold it to that: OPA accepts
// the file, rejects what it drops, and every kept builtin is called through the SDK.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilitiesFile } from "../../src/policy/build-builtin.js";
import { readBundle } from "../../src/policy/bundle.js";
import { describeWith, opa } from "../helpers/require.js";

interface Capabilities {
  builtins: { name: string }[];
  features: string[];
}

function readCapabilities(): Capabilities {
  return JSON.parse(readFileSync(capabilitiesFile(), "utf8")) as Capabilities;
}

interface Call {
  /** A Rego expression that calls the builtin (infix operators in their infix form). */
  rego: string;
  /** The exact result, for the builtins obsgate's policies rely on. Sets come back as arrays. */
  value?: unknown;
}

// One call per kept builtin. A builtin kept in the capabilities without an entry here fails the
// coverage test below, so whoever widens the capabilities also has to show that the builtin runs.
const CALLS: Record<string, Call> = {
  abs: { rego: "abs(-2.5)", value: 2.5 },
  and: { rego: "{1, 2} & {2, 3}" },
  "array.concat": { rego: `array.concat([1], ["a"])`, value: [1, "a"] },
  "array.flatten": { rego: "array.flatten([1, [2, [3]]])" },
  "array.reverse": { rego: "array.reverse([1, 2])" },
  "array.slice": { rego: "array.slice([1, 2, 3], 1, 2)" },
  assign: { rego: "[x | x := 1]", value: [1] },
  "base64.decode": { rego: `base64.decode("aGk=")` },
  "base64.encode": { rego: `base64.encode("hi")` },
  "base64.is_valid": { rego: `base64.is_valid("aGk=")` },
  "base64url.decode": { rego: `base64url.decode("aGk=")` },
  "base64url.encode": { rego: `base64url.encode("hi")` },
  "bits.and": { rego: "bits.and(6, 3)" },
  "bits.lsh": { rego: "bits.lsh(1, 3)" },
  "bits.negate": { rego: "bits.negate(1)" },
  "bits.or": { rego: "bits.or(6, 3)" },
  "bits.rsh": { rego: "bits.rsh(8, 2)" },
  "bits.xor": { rego: "bits.xor(6, 3)" },
  ceil: { rego: "ceil(1.2)" },
  concat: { rego: `concat(", ", ["a", "b"])`, value: "a, b" },
  contains: { rego: `contains("model-card", "card")`, value: true },
  count: { rego: `[count([1, 2, 3]), count({"a": 1}), count("héllo")]`, value: [3, 1, 5] },
  div: { rego: "6 / 4" },
  endswith: { rego: `endswith("metrics.json", ".json")`, value: true },
  eq: { rego: "[x | x = 1]", value: [1] },
  equal: { rego: "1 == 1" },
  floor: { rego: "floor(1.8)" },
  format_int: { rego: "[format_int(255, 16), format_int(-7.9, 10)]", value: ["ff", "-7"] },
  "glob.match": { rego: `glob.match("*.json", [], "a.json")` },
  "graph.reachable": { rego: `graph.reachable({"a": ["b"], "b": []}, ["a"])` },
  gt: { rego: "2 > 1" },
  gte: { rego: "2 >= 2" },
  indexof: { rego: `indexof("abc", "c")` },
  "internal.member_2": { rego: "1 in [1, 2]" },
  "internal.member_3": { rego: `(0, "a" in ["a"])` },
  "internal.template_string": { rego: `$"n={1 + 1}"` },
  intersection: { rego: "intersection({{1, 2}, {2, 3}})" },
  is_array: { rego: "is_array([])" },
  is_boolean: { rego: "is_boolean(false)" },
  is_null: { rego: "is_null(null)" },
  is_number: { rego: "is_number(1)" },
  is_object: { rego: "is_object({})" },
  is_set: { rego: "is_set(set())" },
  is_string: { rego: `is_string("")` },
  "json.filter": { rego: `json.filter({"a": 1, "b": 2}, ["a"])` },
  "json.is_valid": { rego: `json.is_valid("{}")` },
  "json.marshal": { rego: `json.marshal({"a": [1]})` },
  "json.remove": { rego: `json.remove({"a": 1, "b": 2}, ["a"])` },
  "json.unmarshal": { rego: `json.unmarshal("{\\"a\\": 1}")` },
  lower: { rego: `lower("ÀB")`, value: "àb" },
  lt: { rego: "1 < 2" },
  lte: { rego: "2 <= 2" },
  max: { rego: "max([1, 3, 2])", value: 3 },
  min: { rego: "min([2, 1.5, 3])", value: 1.5 },
  minus: { rego: "3 - 1" },
  mul: { rego: "2 * 3" },
  neq: { rego: "1 != 2" },
  "net.cidr_contains": { rego: `net.cidr_contains("10.0.0.0/8", "10.1.2.3")` },
  "net.cidr_intersects": { rego: `net.cidr_intersects("10.0.0.0/8", "10.1.0.0/16")` },
  "numbers.range": { rego: "[numbers.range(1, 3), numbers.range(2, 0)]", value: [[1, 2, 3], [2, 1, 0]] },
  "object.filter": { rego: `object.filter({"a": 1, "b": 2}, ["a"])` },
  "object.get": {
    rego: `[object.get({"a": {"b": 1}}, ["a", "b"], 0), object.get({"a": 1}, "x", "d")]`,
    value: [1, "d"],
  },
  "object.keys": { rego: `object.keys({"a": 1})` },
  "object.remove": { rego: `object.remove({"a": 1, "b": 2}, ["a"])` },
  "object.union": { rego: `object.union({"a": 1}, {"b": 2})` },
  "object.union_n": { rego: `object.union_n([{"a": 1}, {"b": 2}])` },
  or: { rego: "{1} | {2}" },
  plus: { rego: "1 + 2" },
  product: { rego: "[product([2, 3, 4]), product([])]", value: [24, 1] },
  "regex.find_all_string_submatch_n": { rego: `regex.find_all_string_submatch_n("a(\\\\d)", "a1 a2", -1)` },
  "regex.is_valid": { rego: `regex.is_valid("a+")` },
  "regex.match": { rego: `[regex.match("^v[0-9]+$", "v12"), regex.match("^v[0-9]+$", "v1.2")]`, value: [true, false] },
  "regex.split": { rego: `regex.split(",\\\\s*", "a, b,c")` },
  "rego.metadata.chain": { rego: "rego.metadata.chain()" },
  "rego.metadata.rule": { rego: "rego.metadata.rule()" },
  rem: { rego: "7 % 3" },
  replace: { rego: `replace("a-b-c", "-", "_")`, value: "a_b_c" },
  round: { rego: "[round(2.5), round(-2.5), round(2.4)]", value: [3, -3, 2] },
  sort: { rego: `[sort([3, 1, 2]), sort({"b", "a"})]`, value: [[1, 2, 3], ["a", "b"]] },
  split: { rego: `split("a,b,", ",")`, value: ["a", "b", ""] },
  // The SDK implements sprintf with sprintf-js, not Go's fmt, so `opa eval` prints otherwise: %v of
  // an array gives "1,a" (Go: [1, "a"]), of an object "[object Object]" (Go: {"a": 1}); %d of 2.7
  // gives 2 (Go: %!d(float64=2.7)); %.2f is Number.toFixed. Format values with %v only when they
  // are strings, numbers or booleans (json.marshal the rest), and never null: see the last test.
  sprintf: {
    rego: `[
      sprintf("%s has %d rules", ["card", 3]),
      sprintf("%v|%v|%v|%v", [[1, "a"], 2.5, {"a": 1}, true]),
      sprintf("%.2f|%d", [3.14159, 2.7]),
    ]`,
    value: ["card has 3 rules", "1,a|2.5|[object Object]|true", "3.14|2"],
  },
  startswith: { rego: `startswith("model-card", "model")`, value: true },
  "strings.replace_n": { rego: `strings.replace_n({"a": "b"}, "aa")` },
  "strings.reverse": { rego: `strings.reverse("abc")` },
  substring: { rego: `substring("abcdef", 1, 3)` },
  sum: { rego: "[sum([1, 2.5]), sum([])]", value: [3.5, 0] },
  to_number: { rego: `[to_number("1.5"), to_number("-2"), to_number(true)]`, value: [1.5, -2, 1] },
  trim: { rego: `trim("xax", "x")` },
  trim_left: { rego: `trim_left("xax", "x")` },
  trim_prefix: { rego: `trim_prefix("xax", "x")` },
  trim_right: { rego: `trim_right("xax", "x")` },
  trim_space: { rego: `trim_space(" a ")` },
  trim_suffix: { rego: `trim_suffix("metrics.json", ".json")`, value: "metrics" },
  type_name: { rego: "type_name(1)" },
  union: { rego: "union({{1}, {2}})" },
  upper: { rego: `upper("àb")`, value: "ÀB" },
  walk: { rego: `[path | walk({"a": 1}, [path, _])]` },
  "yaml.is_valid": { rego: `yaml.is_valid("a: 1")` },
  "yaml.marshal": { rego: `yaml.marshal({"a": 1})` },
  "yaml.unmarshal": { rego: `yaml.unmarshal("a: 1")` },
};

describe("tools/opa-capabilities.json", () => {
  it("exists, lists sprintf, regex.match and count, and not http.send", () => {
    expect(existsSync(capabilitiesFile())).toBe(true);
    const names = readCapabilities().builtins.map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(["sprintf", "regex.match", "count"]));
    expect(names).not.toContain("http.send");
  });
});

describeWith(["opa"], "tools/opa-capabilities.json with opa and the Wasm SDK", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "obsgate-capabilities-test-"));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** `opa build -t wasm` under the capabilities; the module, or the compiler's message. */
  async function build(name: string, rego: string, entrypoints: string[]): Promise<Buffer | string> {
    const source = join(work, `${name}.rego`);
    const bundle = join(work, `${name}.tar.gz`);
    writeFileSync(source, rego);
    const args = ["build", "-t", "wasm", "--capabilities", capabilitiesFile(), "-o", bundle];
    for (const entrypoint of entrypoints) args.push("-e", entrypoint);
    const result = spawnSync(opa().path, [...args, source], { encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) return result.stderr || result.stdout;
    const wasm = (await readBundle(readFileSync(bundle))).get("policy.wasm");
    if (!wasm) throw new Error("opa build wrote no policy.wasm");
    return wasm;
  }

  async function load(name: string, rego: string, entrypoints: string[]): Promise<LoadedPolicy> {
    const wasm = await build(name, rego, entrypoints);
    if (typeof wasm === "string") throw new Error(`opa build failed:\n${wasm}`);
    return loadPolicy(wasm);
  }

  it("enables Rego v1, and OPA builds a Rego v1 policy with it", async () => {
    expect(readCapabilities().features).toContain("rego_v1");
    const rego = `package ok\n\ndeny contains msg if {\n\tsome x in input.xs\n\tx > 1\n\tmsg := sprintf("%d", [x])\n}\n`;
    expect(await build("ok", rego, ["ok/deny"])).toBeInstanceOf(Buffer);
  });

  // One per reason the generator drops a builtin: network, nondeterminism, no JS implementation.
  it.each([
    ["http.send", `http.send({"method": "get", "url": "http://localhost"})`],
    ["time.now_ns", "time.now_ns()"],
    ["crypto.sha256", `crypto.sha256("a")`],
  ])("makes OPA reject %s", async (builtin, call) => {
    const result = await build("dropped", `package dropped\n\nx := ${call}\n`, ["dropped/x"]);
    expect(typeof result === "string" ? result : "opa build succeeded").toContain(`undefined function ${builtin}`);
  });

  describe("every kept builtin runs through the SDK", () => {
    const kept = readCapabilities().builtins.map((b) => b.name);
    const callable = kept.filter((name) => Object.hasOwn(CALLS, name));
    const rule = (name: string) => `b_${name.replace(/\./g, "_")}`;
    let policy: LoadedPolicy;

    beforeAll(async () => {
      const rules = callable.map((name) => `${rule(name)} := ${CALLS[name]?.rego}\n`);
      policy = await load("calls", `package calls\n\n${rules.join("")}`, callable.map((n) => `calls/${rule(n)}`));
    });

    it("has a call for every kept builtin, and none for a dropped one", () => {
      expect(kept.filter((name) => !callable.includes(name))).toEqual([]);
      expect(Object.keys(CALLS).filter((name) => !kept.includes(name))).toEqual([]);
    });

    it.each(callable)("%s", (name) => {
      // The SDK throws {message: "not implemented: built-in function …"} for a host builtin it lacks.
      const result = policy.evaluate({}, `calls/${rule(name)}`) as { result: unknown }[];
      expect(result, "undefined result").toHaveLength(1);
      const expected = CALLS[name]?.value;
      if (expected !== undefined) expect(result[0]?.result).toEqual(expected);
    });
  });

  it("pins that the SDK's sprintf throws a TypeError on %v of null, failing the whole evaluation", async () => {
    const policy = await load("null", `package nullv\n\nx := sprintf("%v", [null])\n`, ["nullv/x"]);
    expect(() => policy.evaluate({}, "nullv/x")).toThrow(TypeError);
  });
});
