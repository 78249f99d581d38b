// `--data` documents merge at the root of `data` the way opa merges its data files: objects key by
// key, any other value once. Conflicts and obsgate's reserved keys are diagnostics at the later
// document's key, naming the earlier one.
import { describe, expect, it } from "vitest";
import { DiagnosticError, formatDiagnostic } from "../../src/diagnostics.js";
import { mergeData, parseDataText, type DataDocument } from "../../src/policy/data.js";

const doc = (file: string, text: string, at: string[] = []): DataDocument => parseDataText(Buffer.from(text), file, at);

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DiagnosticError) return error.diagnostics.map(formatDiagnostic);
    throw error;
  }
  throw new Error("expected a DiagnosticError");
}

describe("mergeData", () => {
  it("merges objects key by key across documents, YAML and JSON alike", () => {
    const merged = mergeData([
      doc("teams.yaml", "teams:\n  team-risk: { oncall: risk }\n"),
      doc("more.json", '{"teams": {"team-growth": {"oncall": "growth"}}, "tiers": ["critical"]}'),
    ]);
    expect(merged).toEqual({
      teams: { "team-risk": { oncall: "risk" }, "team-growth": { oncall: "growth" } },
      tiers: ["critical"],
    });
  });

  it("leaves each document's own value untouched", () => {
    const first = doc("a.yaml", "teams:\n  a: 1\n");
    mergeData([first, doc("b.yaml", "teams:\n  b: 2\n")]);
    expect(first.value).toEqual({ teams: { a: 1 } });
  });

  it("places a bundle's nested data.json under its folder's path", () => {
    expect(mergeData([doc("b.tar.gz!/org/data.json", '{"teams": {"x": {}}}', ["org"]), doc("t.yaml", "org:\n  tiers: [critical]\n")])).toEqual({
      org: { teams: { x: {} }, tiers: ["critical"] },
    });
  });

  it("reports a value set twice at the later key, naming the earlier document, even when equal", () => {
    expect(problems(() => mergeData([doc("t1.yaml", "teams: {team-growth: {}}\n"), doc("t2.yaml", "x: 1\nteams:\n  team-growth: 3\n")])))
      .toEqual(["t2.yaml:3:3: data_error: data.teams.team-growth is also set by t1.yaml; data documents merge objects key by key, and any other value may be set once"]);
    expect(problems(() => mergeData([doc("a.json", '{"n": 1}'), doc("b.json", '{"n": 1}')])))
      .toEqual(["b.json:1:2: data_error: data.n is also set by a.json; data documents merge objects key by key, and any other value may be set once"]);
  });

  it("reserves data.fleet and data.obsgate", () => {
    expect(problems(() => mergeData([doc("d.yaml", "fleet: {}\nobsgate:\n  x: 1\n")]))).toEqual([
      "d.yaml:1:1: data_error: data.fleet is reserved (obsgate sets data.fleet to the fleet index); put this under another key",
      "d.yaml:2:1: data_error: data.obsgate is reserved (data.obsgate holds the policies' own rules); put this under another key",
    ]);
  });

  it("keeps a `__proto__` key as data", () => {
    const merged = mergeData([doc("p.json", '{"__proto__": {"polluted": true}}')]);
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a data file", () => {
  it("holds one object", () => {
    expect(problems(() => doc("list.yaml", "- a\n- b\n"))).toEqual([
      "list.yaml:1:1: data_error: a data file holds an object (its keys become `data.<key>`), not a list",
    ]);
    expect(problems(() => doc("empty.yaml", ""))).toEqual([
      "empty.yaml:1:1: data_error: a data file holds an object (its keys become `data.<key>`), not nothing",
    ]);
    expect(problems(() => doc("two.yaml", "a: 1\n---\nb: 2\n"))[0]).toMatch(/^two\.yaml:3:1: data_error: a data file holds one document/);
  });

  it("that does not parse is located", () => {
    expect(problems(() => doc("bad.yaml", "teams:\n  a: [1, 2\n"))[0]).toMatch(/^bad\.yaml:\d+:\d+: data_error: /);
  });
});
