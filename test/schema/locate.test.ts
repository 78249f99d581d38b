// locate: a JSON pointer's position through a document's source map, falling back to its nearest
// located ancestor (a missing field is reported where its parent is).
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import { locate } from "../../src/schema/index.js";
import type { Position, SourceMap } from "../../src/types.js";

const at = (line: number, column: number): Position => ({ line, column });

function sourceMapOf(text: string): SourceMap {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(parsed.failure.message);
  return parsed.documents[0]!.sourceMap;
}

describe("locate", () => {
  const map = sourceMapOf("# head\nspec:\n  metrics:\n    - name: a\n      labels: {x~y: 1, a/b: 2}\n");

  it("finds a pointer that is in the map", () => {
    expect(locate(map, "")).toEqual(at(2, 1));
    expect(locate(map, "/spec")).toEqual(at(2, 1));
    expect(locate(map, "/spec/metrics/0")).toEqual(at(4, 7));
    expect(locate(map, "/spec/metrics/0/name")).toEqual(at(4, 7));
    expect(locate(map, "/spec/metrics/0/labels")).toEqual(at(5, 7));
  });

  it("finds escaped tokens", () => {
    expect(locate(map, "/spec/metrics/0/labels/x~0y")).toEqual(at(5, 16));
    expect(locate(map, "/spec/metrics/0/labels/a~1b")).toEqual(at(5, 24));
  });

  it("falls back to the nearest located ancestor", () => {
    expect(locate(map, "/spec/metrics/0/type")).toEqual(at(4, 7));
    expect(locate(map, "/spec/metrics/0/labels/missing/deeper")).toEqual(at(5, 7));
    expect(locate(map, "/spec/metrics/7/name")).toEqual(at(3, 3));
    expect(locate(map, "/spec/logs")).toEqual(at(2, 1));
    expect(locate(map, "/nothing/here")).toEqual(at(2, 1));
  });

  it("does not take an unescaped `/` inside a key for a step", () => {
    // /spec/metrics/0/labels/a/b is "labels" → "a" → "b": neither exists, so the labels map answers.
    expect(locate(map, "/spec/metrics/0/labels/a/b")).toEqual(at(5, 7));
  });

  it("falls back to 1:1 when nothing on the path is located", () => {
    expect(locate(new Map(), "/a/b")).toEqual(at(1, 1));
    expect(locate(new Map(), "")).toEqual(at(1, 1));
    expect(locate(new Map([["/b", at(3, 3)]]), "/a/b")).toEqual(at(1, 1));
  });

  it("uses the root's position when only the root is known", () => {
    expect(locate(new Map([["", at(4, 2)]]), "/x/y/z")).toEqual(at(4, 2));
  });
});
