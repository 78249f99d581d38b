// The waivers file: what an entry becomes, and the located waiver_error for each shape it must refuse.
import { describe, expect, it } from "vitest";
import { parseWaivers, unknownRuleDiagnostics, type WaiverEntry } from "../../src/config/waivers.js";
import { formatDiagnostic, sortDiagnostics } from "../../src/diagnostics.js";

function entries(text: string): WaiverEntry[] {
  const parsed = parseWaivers(text, "waivers.yaml");
  if ("diagnostics" in parsed) throw new Error(parsed.diagnostics.map(formatDiagnostic).join("\n"));
  return parsed.entries;
}

function fail(text: string, ...expected: string[]): void {
  const parsed = parseWaivers(text, "waivers.yaml");
  expect("diagnostics" in parsed ? sortDiagnostics(parsed.diagnostics).map(formatDiagnostic) : parsed).toEqual(expected);
}

const ONE = `waivers:
  - rule: ALR-006
    model: fraud-detector
    file: alerts/fraud.rules.yaml
    pointer: /groups/0/rules/2/for
    owner: team-risk
    reason: pages on a hard outage
    ticket: RISK-1
    expires: 2026-06-30
`;

describe("parseWaivers", () => {
  it("reads an entry with every field, and where its parts are", () => {
    expect(entries(ONE)).toEqual([
      {
        file: "waivers.yaml", pointer: "/waivers/0", line: 2, column: 5,
        rule: "ALR-006", ruleAt: { line: 2, column: 5 },
        model: "fraud-detector", target: "alerts/fraud.rules.yaml", targetPointer: "/groups/0/rules/2/for",
        owner: "team-risk", reason: "pages on a hard outage", ticket: "RISK-1",
        expires: "2026-06-30", expiresAt: { line: 9, column: 5 },
      },
    ]);
  });

  it("reads a quoted date the same, and JSON too", () => {
    expect(entries(ONE.replace("2026-06-30", '"2026-06-30"'))[0]!.expires).toBe("2026-06-30");
    const json = JSON.stringify({ waivers: [{ rule: "INS-003", file: "a.yaml", owner: "o", reason: "r", expires: "2026-01-31" }] });
    expect(entries(json)[0]).toMatchObject({ rule: "INS-003", model: null, target: "a.yaml", targetPointer: null, ticket: null });
  });

  it("an empty file or an empty list waives nothing", () => {
    expect(entries("")).toEqual([]);
    expect(entries("# nothing waived\n")).toEqual([]);
    expect(entries("waivers: []\n")).toEqual([]);
  });

  it("a syntax error is located where the parser stops", () => {
    fail("waivers:\n  - rule: INS-003\n    reason: [unclosed\n    expires: 2026-06-30\n",
      expect.stringMatching(/^waivers\.yaml:\d+:\d+: waiver_error: YAML syntax error: .*; fix the YAML syntax at this position$/) as unknown as string);
  });

  it("schema violations are located at the field, one diagnostic each", () => {
    fail(`waivers:
  - rule: ALR-6
    model: m
    reason: r
    expiry: 2026-06-30
`,
      "waivers.yaml:2:5: waiver_error: `/waivers/0/rule` does not match the pattern ^[A-Z]+-[0-9]{3}$; write a value matching ^[A-Z]+-[0-9]{3}$",
      "waivers.yaml:2:5: waiver_error: `/waivers/0` is missing the required field `expires`; add `expires`",
      "waivers.yaml:2:5: waiver_error: `/waivers/0` is missing the required field `owner`; add `owner`",
      "waivers.yaml:5:5: waiver_error: unknown field `expiry` in `/waivers/0`; remove it or correct its spelling; allowed: rule, model, file, pointer, owner, reason, ticket, expires",
    );
  });

  it("a date that is not YYYY-MM-DD, or no such day, is refused at `expires`", () => {
    fail(ONE.replace("2026-06-30", "2026-02-30"),
      "waivers.yaml:9:5: waiver_error: `expires` 2026-02-30 is not a calendar date; write a real UTC date YYYY-MM-DD");
    fail(ONE.replace("2026-06-30", "30/06/2026"),
      "waivers.yaml:9:5: waiver_error: `/waivers/0/expires` does not match the pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}$; write a value matching ^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
  });

  it("an entry must select something, and a pointer needs its file", () => {
    fail(`waivers:
  - rule: INS-003
    owner: o
    reason: r
    expires: 2026-06-30
  - rule: INS-003
    model: m
    pointer: /spec
    owner: o
    reason: r
    expires: 2026-06-30
`,
      "waivers.yaml:2:5: waiver_error: the waiver of INS-003 selects no finding: give a `model`, a `file`, or both",
      "waivers.yaml:8:5: waiver_error: `pointer` points into a file: give the `file` it points into");
  });

  it("a top level other than `waivers:` is refused", () => {
    fail("- rule: INS-003\n", "waivers.yaml:1:1: waiver_error: the document must be object or null; write object or null here");
    fail("waiver: []\n", "waivers.yaml:1:1: waiver_error: unknown field `waiver` in the document; remove it or correct its spelling; allowed: waivers");
  });

  it("several documents are refused at the second", () => {
    fail("waivers: []\n---\nwaivers: []\n", "waivers.yaml:3:1: waiver_error: the waivers file must be a single YAML document");
  });
});

describe("unknownRuleDiagnostics", () => {
  it("names each rule no policy defines, at its `rule`", () => {
    const file = { file: "waivers.yaml", absolute: "/r/waivers.yaml", entries: entries(ONE + ONE.replace("waivers:\n", "").replace("ALR-006", "ALR-099")) };
    expect(unknownRuleDiagnostics(file, (id) => id === "ALR-006").map(formatDiagnostic)).toEqual([
      "waivers.yaml:10:5: waiver_error: unknown rule ALR-099: no policy of this run defines it; correct the id (`obsgate rules` lists them) or remove the waiver",
    ]);
  });
});
