// parseYamlDocuments: text → documents with a source map (JSON pointer → line:column), within the
// limits. Failures are pinned as "message (line:column)", the way a user reads them.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type InputLimits } from "../../src/load/limits.js";
import { escapePointerToken, parseYamlDocuments, type ParsedDocument } from "../../src/load/yaml.js";

function documents(text: string, limits: Partial<InputLimits> = {}): ParsedDocument[] {
  const result = parseYamlDocuments(text, { ...DEFAULT_LIMITS, ...limits });
  if ("failure" in result) {
    const { message, line, column } = result.failure;
    throw new Error(`expected documents, got ${message} (${line}:${column})`);
  }
  return result.documents;
}

function only(text: string, limits: Partial<InputLimits> = {}): ParsedDocument {
  const docs = documents(text, limits);
  expect(docs).toHaveLength(1);
  return docs[0]!;
}

/** The source map as `pointer → "line:column"`, in insertion order. */
function positions(doc: ParsedDocument): Record<string, string> {
  return Object.fromEntries([...doc.sourceMap].map(([pointer, p]) => [pointer, `${p.line}:${p.column}`]));
}

/** The failure as "message (line:column)". */
function failure(text: string, limits: Partial<InputLimits> = {}): string {
  const result = parseYamlDocuments(text, { ...DEFAULT_LIMITS, ...limits });
  if (!("failure" in result)) throw new Error(`expected a failure, got ${JSON.stringify(result.documents.map((d) => d.value))}`);
  return `${result.failure.message} (${result.failure.line}:${result.failure.column})`;
}

function fail(text: string, expected: string, limits: Partial<InputLimits> = {}): void {
  expect(failure(text, limits)).toBe(expected);
}

describe("source map", () => {
  it("records key positions for mapping members, item positions for list items, and the root", () => {
    const doc = only("a: 1\nb:\n  - x\n  - y: 2\n");
    expect(doc.value).toEqual({ a: 1, b: ["x", { y: 2 }] });
    expect(positions(doc)).toEqual({
      "": "1:1",
      "/a": "1:1",
      "/b": "2:1",
      "/b/0": "3:5",
      "/b/1": "4:5",
      "/b/1/y": "4:5",
    });
  });

  it("records flow collections by their items and keys", () => {
    const doc = only('key: [a, b]\n"k2": {x: 1}\n');
    expect(positions(doc)).toEqual({
      "": "1:1",
      "/key": "1:1",
      "/key/0": "1:7",
      "/key/1": "1:10",
      "/k2": "2:1",
      "/k2/x": "2:8",
    });
  });

  it("records a list at the root by its items", () => {
    const doc = only("- a\n- [b, c]\n- {d: e}\n");
    expect(doc.value).toEqual(["a", ["b", "c"], { d: "e" }]);
    expect(positions(doc)).toEqual({
      "": "1:1",
      "/0": "1:3",
      "/1": "2:3",
      "/1/0": "2:4",
      "/1/1": "2:7",
      "/2": "3:3",
      "/2/d": "3:4",
    });
  });

  it("records a block scalar's key and moves on to the next key's line", () => {
    const doc = only("a: |\n  x\n  y\nb: 1\n");
    expect(doc.value).toEqual({ a: "x\ny\n", b: 1 });
    expect(positions(doc)).toEqual({ "": "1:1", "/a": "1:1", "/b": "4:1" });
  });

  it("starts the root where the content starts, after comments and indentation", () => {
    expect(positions(only("# c\na: 1\n"))).toEqual({ "": "2:1", "/a": "2:1" });
    expect(positions(only("\n\n---\n  x: 1\n"))).toEqual({ "": "4:3", "/x": "4:3" });
  });

  it("escapes `~` as ~0 and `/` as ~1 in pointer tokens", () => {
    const doc = only("a~b: 1\nc/d: 2\n~/: 3\n");
    expect(doc.value).toEqual({ "a~b": 1, "c/d": 2, "~/": 3 });
    expect(positions(doc)).toEqual({ "": "1:1", "/a~0b": "1:1", "/c~1d": "2:1", "/~0~1": "3:1" });
  });

  it("escapePointerToken escapes ~ before / so ~1 in a key stays distinct", () => {
    expect(escapePointerToken("a/b")).toBe("a~1b");
    expect(escapePointerToken("a~b")).toBe("a~0b");
    expect(escapePointerToken("~1")).toBe("~01");
    expect(escapePointerToken("/~")).toBe("~1~0");
    expect(escapePointerToken("")).toBe("");
  });

  it("turns non-string keys into their string form", () => {
    const doc = only("1: a\ntrue: b\nnull: c\n");
    expect(doc.value).toEqual({ "1": "a", true: "b", null: "c" });
    expect(positions(doc)).toEqual({ "": "1:1", "/1": "1:1", "/true": "2:1", "/null": "3:1" });
  });
});

describe("multi-document files", () => {
  it("gives each document its index in the file and its start", () => {
    const docs = documents("a: 1\n---\nb: 2\n---\n# c\nc: [3]\n");
    expect(docs.map((d) => ({ index: d.index, value: d.value, start: d.start }))).toEqual([
      { index: 0, value: { a: 1 }, start: { line: 1, column: 1 } },
      { index: 1, value: { b: 2 }, start: { line: 3, column: 1 } },
      { index: 2, value: { c: [3] }, start: { line: 6, column: 1 } },
    ]);
    expect(positions(docs[2]!)).toEqual({ "": "6:1", "/c": "6:1", "/c/0": "6:5" });
  });

  it("reads a file of comments only as no documents", () => {
    expect(documents("# only a comment\n")).toEqual([]);
    expect(documents("")).toEqual([]);
  });

  it("ends a document at `...` without starting another", () => {
    expect(documents("a: 1\n...\n").map((d) => d.value)).toEqual([{ a: 1 }]);
  });

  it("keeps an explicit null document (it has content)", () => {
    const docs = documents("---\n~\n---\nb: 1\n");
    expect(docs.map((d) => [d.index, d.value, d.start])).toEqual([
      [0, null, { line: 2, column: 1 }],
      [1, { b: 1 }, { line: 4, column: 1 }],
    ]);
  });

  // An empty document (`---` followed by nothing or by another `---`) is dropped, and the others
  // keep their indexes: a trailing `---`, common in Kubernetes files, must not make a file
  // multi-document and shift its pointers to /0/….
  it("skips empty documents, keeping the others' indexes", () => {
    const docs = documents("a: 1\n---\n---\nb: 2\n");
    expect(docs.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [2, { b: 2 }],
    ]);
  });

  it("skips an empty document after a trailing `---`", () => {
    expect(documents("a: 1\n---\n").map((d) => [d.index, d.value])).toEqual([[0, { a: 1 }]]);
  });

  it("skips an empty document that holds only a comment", () => {
    expect(documents("---\n# nothing yet\n---\nb: 1\n").map((d) => [d.index, d.value])).toEqual([[1, { b: 1 }]]);
  });
});

describe("merge keys", () => {
  // A plain `<<` merges the aliased mapping and leaves no `<<` (or "Symbol(<<)") key behind;
  // only a quoted "<<" is an ordinary key (see below).
  it("merges `<<: *base`, explicit keys winning", () => {
    const doc = only("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
    expect(doc.value).toEqual({ base: { x: 1, y: 2 }, m: { x: 1, y: 3 } });
    expect([...doc.sourceMap.keys()].filter((p) => p.includes("<<") || p.includes("Symbol"))).toEqual([]);
    expect(positions(doc)["/m/y"]).toBe("4:3");
  });

  it("lets an explicit key win even when it comes before the merge", () => {
    expect(only("base: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n").value).toEqual({
      base: { x: 1, y: 2 },
      m: { y: 3, x: 1 },
    });
  });

  it("merges a list of mappings, the earlier one winning", () => {
    expect(only("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm:\n  <<: [*a, *b]\n").value).toEqual({
      a: { x: 1 },
      b: { x: 2, z: 3 },
      m: { x: 1, z: 3 },
    });
  });

  it("keeps a quoted \"<<\" as an ordinary key", () => {
    expect(only('"<<": 1\n').value).toEqual({ "<<": 1 });
    expect(only("b: &b {x: 1}\nm:\n  '<<': *b\n").value).toEqual({ b: { x: 1 }, m: { "<<": { x: 1 } } });
  });
});

describe("JSON input", () => {
  it("parses JSON text with positions of keys and items", () => {
    const doc = only('{"a": [1, {"b": 2}],\n "c": null}');
    expect(doc.value).toEqual({ a: [1, { b: 2 }], c: null });
    expect(positions(doc)).toEqual({
      "": "1:1",
      "/a": "1:2",
      "/a/0": "1:8",
      "/a/1": "1:11",
      "/a/1/b": "1:12",
      "/c": "2:2",
    });
  });

  it("locates a JSON duplicate key and a JSON syntax error", () => {
    fail('{"a": 1, "a": 2}', 'duplicate key `"a"`: it appears twice in the same mapping (1:10)');
    fail('{"a" 1}', "YAML syntax error: Missing , or : between flow map items (1:6)");
  });
});

describe("__proto__", () => {
  it("keeps a `__proto__` key as own data, never as the prototype", () => {
    const value = only("__proto__: {polluted: 1}\n").value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
    expect((value as { polluted?: unknown }).polluted).toBe(undefined);
  });

  it("does the same for JSON", () => {
    const doc = only('{"__proto__": {"x": 1}}');
    const value = doc.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ x: 1 });
    expect(positions(doc)).toEqual({ "": "1:1", "/__proto__": "1:2", "/__proto__/x": "1:16" });
  });
});

describe("aliases", () => {
  it("expands an anchor reused within the budget (exactly at the budget passes)", () => {
    // Each `*a` expands to the list and its three items: 4 nodes, 8 in all.
    const doc = only("x: &a [1,2,3]\ny: [*a, *a]\n", { maxAliasNodes: 8 });
    expect(doc.value).toEqual({ x: [1, 2, 3], y: [[1, 2, 3], [1, 2, 3]] });
    expect(positions(doc)).toEqual({
      "": "1:1",
      "/x": "1:1",
      "/x/0": "1:8",
      "/x/1": "1:10",
      "/x/2": "1:12",
      "/y": "2:1",
      "/y/0": "2:5",
      "/y/0/0": "1:8",
      "/y/0/1": "1:10",
      "/y/0/2": "1:12",
      "/y/1": "2:9",
      "/y/1/0": "1:8",
      "/y/1/1": "1:10",
      "/y/1/2": "1:12",
    });
  });

  it("expands a scalar anchor", () => {
    expect(only("a:\n  b: &x 1\nc: *x\n").value).toEqual({ a: { b: 1 }, c: 1 });
  });

  it("rejects an alias that names no anchor", () => {
    fail("a: *nope\n", "alias *nope names no anchor (1:4)");
  });

  it("rejects one node over the budget", () => {
    expect(failure("x: &a [1,2,3]\ny: [*a, *a]\n", { maxAliasNodes: 7 })).toMatch(
      /^alias expansion produces more than 7 nodes \(\d+:\d+\)$/,
    );
  });

  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "",
  ].join("\n");

  it("rejects an alias bomb with the default budget", () => {
    expect(failure(bomb)).toMatch(/^alias expansion produces more than 10000 nodes \(\d+:\d+\)$/);
  });

  // An alias bomb is located at the alias whose expansion crosses the budget (the 8th `*c` on
  // line 4), not at a harmless node inside an anchor's definition.
  it("locates an alias bomb at the alias whose expansion crosses the budget", () => {
    fail(bomb, "alias expansion produces more than 10000 nodes (4:36)");
  });

  it("locates a small overflow at the second alias", () => {
    fail("x: &a [1,2,3]\ny: [*a, *a]\n", "alias expansion produces more than 7 nodes (2:9)", { maxAliasNodes: 7 });
  });
});

describe("max-depth", () => {
  it("accepts nesting exactly at the limit", () => {
    expect(only("a:\n  b:\n    c: 1\n", { maxDepth: 3 }).value).toEqual({ a: { b: { c: 1 } } });
    expect(only("[[[1]]]", { maxDepth: 3 }).value).toEqual([[[1]]]);
  });

  it("rejects one level more at the collection that crosses it", () => {
    fail("a:\n  b:\n    c: 1\n", "nesting deeper than 2 levels (3:5)", { maxDepth: 2 });
    fail("a:\n  b:\n    c: {}\n", "nesting deeper than 3 levels (3:8)", { maxDepth: 3 });
    fail("[[[[1]]]]", "nesting deeper than 3 levels (1:4)", { maxDepth: 3 });
  });

  it("does not count scalars as a level", () => {
    expect(only("a: 1\n", { maxDepth: 1 }).value).toEqual({ a: 1 });
    fail("a: []\n", "nesting deeper than 1 levels (1:4)", { maxDepth: 1 });
  });

  it("applies the default of 64", () => {
    expect(only(`${"[".repeat(64)}1${"]".repeat(64)}`).value).toBeInstanceOf(Array);
    fail(`${"[".repeat(65)}1${"]".repeat(65)}`, "nesting deeper than 64 levels (1:65)");
  });

  it("counts the depth of an aliased collection where it is used", () => {
    // The collection that crosses the limit is reported where the anchor defines it.
    fail("a: &a [[1]]\nb: [[*a]]\n", "nesting deeper than 3 levels (1:7)", { maxDepth: 3 });
  });
});

describe("max-documents", () => {
  it("accepts exactly the limit", () => {
    expect(documents("a: 1\n---\nb: 2\n", { maxDocuments: 2 })).toHaveLength(2);
  });

  it("rejects the first document over it, at its start", () => {
    fail("a: 1\n---\nb: 2\n---\nc: 3\n", "more than 2 YAML documents in one file (4:1)", { maxDocuments: 2 });
  });
});

describe("syntax errors", () => {
  it("locates a duplicate key at the duplicate", () => {
    fail("a: 1\nb: 2\na: 3\n", "duplicate key `a`: it appears twice in the same mapping (3:1)");
    fail("m:\n  k: 1\n  k: 2\n", "duplicate key `k`: it appears twice in the same mapping (3:3)");
  });

  // Keys are compared as the text they become, so `1` and "1" (or `true` and "true") are
  // duplicates, rather than the second silently overwriting the first.
  it("refuses two keys that become the same string", () => {
    fail('1: a\n"1": b\n', "duplicate key `1`: it appears twice in the same mapping once keys are read as text (2:1)");
    fail('true: a\n"true": b\n', "duplicate key `true`: it appears twice in the same mapping once keys are read as text (2:1)");
  });

  it("gives the remediation of a duplicate key", () => {
    const result = parseYamlDocuments("a: 1\na: 2\n", DEFAULT_LIMITS);
    expect(result).toEqual({
      failure: {
        line: 2,
        column: 1,
        message: "duplicate key `a`: it appears twice in the same mapping",
        remediation: "keep one of the keys; YAML loaders disagree on which wins",
      },
    });
  });

  it("locates syntax errors", () => {
    fail("a: [1, 2\n", "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (2:1)");
    fail("a: b: c\n", "YAML syntax error: Nested mappings are not allowed in compact mappings (1:4)");
    fail("a:\n  - b\n c: d\n", "YAML syntax error: All mapping items must start at the same column (3:1)");
    fail("a:\n\tb: 1\n", "YAML syntax error: Tabs are not allowed as indentation (2:1)");
    fail('a: "x\n', 'YAML syntax error: Missing closing "quote (2:1)');
  });

  it("reports a syntax error in a later document at its own line", () => {
    fail("a: 1\n---\nb: [\n", "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (4:1)");
  });

  it("gives the remediation of a syntax error", () => {
    const result = parseYamlDocuments("a: b: c\n", DEFAULT_LIMITS);
    expect("failure" in result && result.failure.remediation).toBe("fix the YAML syntax at this position");
  });
});
