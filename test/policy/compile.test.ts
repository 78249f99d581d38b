// The pure parts of compiling users' Rego: where the cache lives, what its key depends on, how
// opa's errors become located diagnostics, and how a policy path's form is told. No opa needed.
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { cacheDirectory, cacheKey, type CacheKeyParts } from "../../src/policy/cache.js";
import { parseBuildErrors, parseCheckErrors } from "../../src/policy/compile.js";
import { policyForm } from "../../src/policy/user-policy.js";

describe("the cache folder", () => {
  it("is $OBSGATE_CACHE_DIR, else $XDG_CACHE_HOME/obsgate, else ~/.cache/obsgate", () => {
    expect(cacheDirectory({ OBSGATE_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x" })).toBe("/c");
    expect(cacheDirectory({ XDG_CACHE_HOME: "/x" })).toBe("/x/obsgate");
    expect(cacheDirectory({})).toBe(join(homedir(), ".cache", "obsgate"));
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
    expect(cacheDirectory({ XDG_CACHE_HOME: "relative" })).toBe(join(homedir(), ".cache", "obsgate"));
  });
});

describe("the cache key", () => {
  const base: CacheKeyParts = {
    opaVersion: "v1.22.2",
    capabilities: Buffer.from("{}"),
    entrypoints: ["obsgate/findings", "obsgate/metadata"],
    files: [{ path: "a.rego", bytes: Buffer.from("package a\n") }, { path: "b/c.rego", bytes: Buffer.from("package c\n") }],
  };

  it("is a SHA-256, stable for the same parts", () => {
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base, files: base.files.map((f) => ({ ...f, bytes: Buffer.from(f.bytes) })) })).toBe(cacheKey(base));
  });

  it.each<[string, Partial<CacheKeyParts>]>([
    ["a file's bytes", { files: [{ path: "a.rego", bytes: Buffer.from("package a\n\nx := 1\n") }, base.files[1]!] }],
    ["a file's path", { files: [{ path: "z.rego", bytes: Buffer.from("package a\n") }, base.files[1]!] }],
    ["a file more", { files: [...base.files, { path: "d.rego", bytes: Buffer.from("package d\n") }] }],
    ["the opa version", { opaVersion: "v1.23.0" }],
    ["the capabilities", { capabilities: Buffer.from('{"builtins": []}') }],
    ["the entry points", { entrypoints: ["obsgate/findings"] }],
  ])("changes with %s", (_, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });

  it("does not let one part's bytes pass for another's (lengths delimit them)", () => {
    const joined = { ...base, files: [{ path: "a.rego", bytes: Buffer.from("package a\npath 6\nb.rego") }] };
    const split = { ...base, files: [{ path: "a.rego", bytes: Buffer.from("package a\n") }, { path: "b.rego", bytes: Buffer.from("") }] };
    expect(cacheKey(joined)).not.toBe(cacheKey(split));
  });
});

describe("opa's errors as diagnostics", () => {
  const sources = { displayDir: "policies/org", name: "policies/org" };

  it("`opa check --format json` errors are located at the file, row and column (column 0 → 1)", () => {
    const output = JSON.stringify({
      errors: [
        { message: "undefined function http.send", code: "rego_type_error", location: { file: "sub/a.rego", row: 3, col: 31 } },
        { message: "unexpected eof token", code: "rego_parse_error", location: { file: "a.rego", row: 6, col: 0 } },
      ],
    });
    expect(parseCheckErrors(output, sources).map(formatDiagnostic)).toEqual([
      "policies/org/sub/a.rego:3:31: policy_error: rego_type_error: undefined function http.send; obsgate compiles for the Wasm target, which has only the builtins @open-policy-agent/opa-wasm runs (tools/opa-capabilities.json)",
      "policies/org/a.rego:6:1: policy_error: rego_parse_error: unexpected eof token; fix the Rego, then run again (`opa check --strict` on the folder shows the same)",
    ]);
    expect(parseCheckErrors("not json", sources)).toEqual([]);
  });

  it("`opa build`'s entry point error names the rule to define", () => {
    expect(parseBuildErrors('error: entrypoint "obsgate/findings" does not refer to a rule or policy decision\n', sources).map(formatDiagnostic)).toEqual([
      "policies/org:1:1: policy_error: the policy has no `obsgate/findings` entry point: define rule `findings` in package `obsgate` (see docs/writing-policies.md, the contract)",
    ]);
  });

  it("`opa build`'s own located lines keep their file and line; anything else is one diagnostic at the folder", () => {
    expect(parseBuildErrors("error: 1 error occurred: a.rego:3: rego_type_error: undefined function http.send\n", sources).map(formatDiagnostic)).toEqual([
      "policies/org/a.rego:3:1: policy_error: rego_type_error: undefined function http.send; obsgate compiles for the Wasm target, which has only the builtins @open-policy-agent/opa-wasm runs (tools/opa-capabilities.json)",
    ]);
    expect(parseBuildErrors("error: something else\n", sources).map(formatDiagnostic)).toEqual([
      "policies/org:1:1: policy_error: opa build failed on policies/org: something else",
    ]);
  });
});

describe("a policy path's form", () => {
  const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d]);
  const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00]);
  it.each([
    { path: "policies/org", isDirectory: true, head: new Uint8Array(), form: "rego" },
    { path: "org.rego", isDirectory: false, head: new Uint8Array(), form: "rego" },
    { path: "p.wasm", isDirectory: false, head: gzip, form: "wasm" },
    { path: "bundle.tar.gz", isDirectory: false, head: wasm, form: "bundle" },
    { path: "bundle.tgz", isDirectory: false, head: wasm, form: "bundle" },
    { path: "policy", isDirectory: false, head: wasm, form: "wasm" },
    { path: "bundle", isDirectory: false, head: gzip, form: "bundle" },
    { path: "notes.txt", isDirectory: false, head: new Uint8Array([0x68, 0x69]), form: "unknown" },
  ])("$path is $form", ({ path, isDirectory, head, form }) => {
    expect(policyForm(path, isDirectory, head)).toBe(form);
  });
});
