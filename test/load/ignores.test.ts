// `# obsgate:ignore` comments: found by YAML's own lexer (never inside a string or a block scalar),
// each with the line it waives and its rule, reason and `until` as written.
import { describe, expect, it } from "vitest";
import { parseIgnore, scanIgnoreComments } from "../../src/load/ignores.js";

const scan = (text: string) =>
  scanIgnoreComments(text, "a.yaml").map(({ line, column, appliesTo, rule, reason, until }) => ({ line, column, appliesTo, rule, reason, until }));

describe("scanIgnoreComments", () => {
  it("a comment at the end of a line waives that line", () => {
    expect(scan("a: 1\nfor: 1m  # obsgate:ignore ALR-006 -- pages on a hard outage\n")).toEqual([
      { line: 2, column: 10, appliesTo: 2, rule: "ALR-006", reason: "pages on a hard outage", until: null },
    ]);
  });

  it("a comment alone on its line waives the next line, skipping other comment lines", () => {
    const text = [
      "groups:",
      "  - rules:",
      "      # obsgate:ignore ALR-006 -- reviewed with SRE",
      "      # obsgate:ignore ALR-014 -- shared alert, no model label",
      "      - alert: Down",
      "",
      "      # obsgate:ignore ALR-002 -- over a blank line",
      "",
      "      - alert: Up",
    ].join("\n");
    expect(scan(text).map((c) => [c.rule, c.line, c.appliesTo])).toEqual([
      ["ALR-006", 3, 5],
      ["ALR-014", 4, 5],
      ["ALR-002", 7, 8],
    ]);
  });

  it("is not fooled by the marker inside a quoted string or a block scalar", () => {
    const text = [
      "a: 'x # obsgate:ignore ALR-006 -- in a string'",
      "b: \"# obsgate:ignore ALR-006 -- in a string\"",
      "expr: |",
      "  up == 0 # obsgate:ignore ALR-006 -- PromQL's own comment",
      "c: 1 # obsgate:ignore ALR-007 -- the real one",
    ].join("\n");
    expect(scan(text).map((c) => [c.rule, c.line])).toEqual([["ALR-007", 5]]);
  });

  it("counts lines across multi-line scalars and documents, and CRLF", () => {
    const text = "a: |\n  one\n  two\n---\nb: 1 # obsgate:ignore INS-003 -- x\r\nc: 2\r\n# obsgate:ignore INS-004 -- y\r\nd: 3\r\n";
    expect(scan(text).map((c) => [c.rule, c.line, c.column, c.appliesTo])).toEqual([
      ["INS-003", 5, 6, 5],
      ["INS-004", 7, 1, 8],
    ]);
  });

  it("reads nothing from a file without the marker, and ignores other comments", () => {
    expect(scan("a: 1 # just a comment\n")).toEqual([]);
    expect(scan("a: 1 # obsgate: ignore this is not the marker\n")).toEqual([]);
  });

  it("keeps the comment's text as its identity", () => {
    expect(scanIgnoreComments("a: 1 #   obsgate:ignore INS-003 -- why  \n", "f.yaml")[0]).toMatchObject({
      file: "f.yaml",
      text: "obsgate:ignore INS-003 -- why",
    });
  });
});

describe("parseIgnore", () => {
  it.each([
    [" ALR-006 -- reason", { rule: "ALR-006", reason: "reason", until: null }],
    [" ALR-006 until 2026-06-30 -- reason", { rule: "ALR-006", reason: "reason", until: "2026-06-30" }],
    [" ALR-006 -- reason until 2026-06-30", { rule: "ALR-006", reason: "reason", until: "2026-06-30" }],
    [" ALR-006 -- keep -- both dashes", { rule: "ALR-006", reason: "keep -- both dashes", until: null }],
    [" ALR-006", { rule: "ALR-006", reason: null, until: null }],
    [" ALR-006 --", { rule: "ALR-006", reason: null, until: null }],
    [" ALR-006 --   ", { rule: "ALR-006", reason: null, until: null }],
    [" ALR-006 -- until 2026-06-30", { rule: "ALR-006", reason: null, until: "2026-06-30" }],
    [" ALR-006 until tomorrow -- why", { rule: "ALR-006", reason: "why", until: "tomorrow" }],
    ["", { rule: null, reason: null, until: null }],
    [" -- a reason but no rule", { rule: null, reason: "a reason but no rule", until: null }],
  ])("%j", (rest, expected) => {
    expect(parseIgnore(rest)).toEqual(expected);
  });
});
