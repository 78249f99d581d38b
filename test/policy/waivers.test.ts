// Waivers applied to findings (src/policy/waivers.ts), as a pure function: each selector, the UTC
// day boundary, the horizon, unused, unwaivable and out-of-scope waivers, inline ignores, and the
// WVR findings each problem becomes.
import { describe, expect, it } from "vitest";
import type { WaiverEntry } from "../../src/config/waivers.js";
import type { InlineIgnore } from "../../src/load/ignores.js";
import { OWN_RULES } from "../../src/policy/own-rules.js";
import { applyWaivers, type WaiverContext } from "../../src/policy/waivers.js";
import type { Finding, RuleMetadata } from "../../src/types.js";

const rule = (id: string, extra: Partial<RuleMetadata> = {}): RuleMetadata => ({
  id, title: id, severity: "warning", description: id, remediation: `fix ${id}`, docs: `docs/rules/${id}.md`,
  waivable: true, family: id.slice(0, 3), ...extra,
});

const RULES = new Map<string, RuleMetadata>([
  ...OWN_RULES.map((r) => [r.id, r] as const),
  ["INS-003", rule("INS-003")],
  ["ALR-006", rule("ALR-006")],
  ["COR-001", rule("COR-001", { waivable: false })],
]);

function finding(partial: Partial<Finding>): Finding {
  return {
    rule: "INS-003", severity: "warning", status: "open", model: "ranker", models: ["ranker"], message: "m",
    file: "ranker.obsgate.yaml", line: 19, column: 7, pointer: "/spec/metrics/1/name", remediation: "r",
    docs: "d", fingerprint: "f".repeat(32), ...partial,
  };
}

const RANKER = finding({});
const TAGGER = finding({ model: "tagger", models: ["tagger"], file: "tagger.obsgate.yaml" });
const ALERT = finding({ rule: "ALR-006", model: null, models: ["ranker", "tagger"], file: "alerts/shared.yaml", line: 9, column: 9, pointer: "/groups/0/rules/1/for" });
const INP = finding({ rule: "INP-001", severity: "error", model: null, models: [], file: "broken.yaml", line: 3, column: 1, pointer: "" });

let entryLine = 2;
function entry(partial: Partial<WaiverEntry>): WaiverEntry {
  const line = entryLine;
  entryLine += 10;
  return {
    file: "waivers.yaml", pointer: `/waivers/${(line - 2) / 10}`, line, column: 5,
    rule: "INS-003", ruleAt: { line, column: 5 },
    model: null, target: null, targetPointer: null,
    owner: "team-discovery", reason: "legacy name", ticket: "DISC-1",
    expires: "2026-06-30", expiresAt: { line: line + 5, column: 5 },
    ...partial,
  };
}

function ignore(partial: Partial<InlineIgnore>): InlineIgnore {
  return {
    file: "ranker.obsgate.yaml", line: 19, column: 40, appliesTo: 19, rule: "INS-003", reason: "legacy name", until: null,
    text: `obsgate:ignore ${partial.rule ?? "INS-003"} -- ${partial.reason ?? "legacy name"}`, ...partial,
  };
}

const context = (now = "2026-05-01T12:00:00Z", extra: Partial<WaiverContext> = {}): WaiverContext => ({
  now: new Date(now),
  maxWaiverDays: 90,
  rules: RULES,
  models: new Set(["ranker", "tagger"]),
  files: new Set(["ranker.obsgate.yaml", "tagger.obsgate.yaml", "alerts/shared.yaml", "broken.yaml"]),
  ...extra,
});

const statusOf = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.status}`);
const wvr = (findings: Finding[]) => findings.filter((f) => f.rule.startsWith("WVR-"));

describe("selectors", () => {
  it("model: waives that model's finding and not the other's", () => {
    const out = applyWaivers([RANKER, TAGGER], [entry({ model: "ranker" })], [], context());
    expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 waived", "INS-003 tagger.obsgate.yaml:19 open"]);
    expect(out.findings[0]!.waiver).toEqual({
      source: "file", file: "waivers.yaml", line: 2, column: 5, owner: "team-discovery", reason: "legacy name", ticket: "DISC-1", expires: "2026-06-30",
    });
    expect(out.findings[1]).not.toHaveProperty("waiver");
    expect(out.waivers).toMatchObject([{ status: "applied", findings: 1, rule: "INS-003", selector: { model: "ranker", file: null, pointer: null, line: null } }]);
  });

  it("file: waives the findings in that file, whatever their model", () => {
    const out = applyWaivers([RANKER, TAGGER], [entry({ target: "tagger.obsgate.yaml" })], [], context());
    expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 open", "INS-003 tagger.obsgate.yaml:19 waived"]);
  });

  it("pointer: covers its node and what is under it, not a sibling whose name merely starts the same", () => {
    const under = finding({ pointer: "/spec/metrics/1/labels/model", line: 21 });
    const sibling = finding({ pointer: "/spec/metrics/10", line: 40 });
    const out = applyWaivers([RANKER, under, sibling], [entry({ target: "ranker.obsgate.yaml", targetPointer: "/spec/metrics/1" })], [], context());
    expect(statusOf(out.findings)).toEqual([
      "INS-003 ranker.obsgate.yaml:19 waived", "INS-003 ranker.obsgate.yaml:21 waived", "INS-003 ranker.obsgate.yaml:40 open",
    ]);
    expect(out.waivers[0]!.findings).toBe(2);
  });

  it("every selector field given must match: a model and another model's file select nothing", () => {
    const out = applyWaivers([RANKER, TAGGER], [entry({ model: "ranker", target: "tagger.obsgate.yaml" })], [], context());
    expect(statusOf(out.findings).filter((s) => s.startsWith("INS"))).toEqual(["INS-003 ranker.obsgate.yaml:19 open", "INS-003 tagger.obsgate.yaml:19 open"]);
    expect(wvr(out.findings).map((f) => f.rule)).toEqual(["WVR-002"]);
  });

  it("the rule must match", () => {
    const out = applyWaivers([RANKER], [entry({ rule: "ALR-006", model: "ranker" })], [], context());
    expect(out.findings[0]!.status).toBe("open");
  });

  it("a shared finding is about no one model: it is waived by its file, not by one of its models", () => {
    const byModel = applyWaivers([ALERT], [entry({ rule: "ALR-006", model: "ranker" })], [], context());
    expect(byModel.findings.find((f) => f.rule === "ALR-006")!.status).toBe("open");
    const byFile = applyWaivers([ALERT], [entry({ rule: "ALR-006", target: "alerts/shared.yaml" })], [], context());
    expect(byFile.findings.map((f) => f.status)).toEqual(["waived"]);
  });

  it("of several waivers that match, the first in the file is the one shown; both count as used", () => {
    const first = entry({ model: "ranker", reason: "first" });
    const second = entry({ target: "ranker.obsgate.yaml", reason: "second" });
    const out = applyWaivers([RANKER], [first, second], [], context());
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.waiver!.reason).toBe("first");
    expect(out.waivers.map((w) => [w.status, w.findings])).toEqual([["applied", 1], ["applied", 1]]);
  });
});

describe("expiry, judged by the run's clock in UTC", () => {
  const expiring = () => entry({ model: "ranker", expires: "2026-06-30" });

  it("holds through the last millisecond of its day", () => {
    const out = applyWaivers([RANKER], [expiring()], [], context("2026-06-30T23:59:59.999Z"));
    expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 waived"]);
  });

  it("stops at midnight UTC, even where it is still the 30th (UTC-7)", () => {
    for (const now of ["2026-07-01T00:00:00Z", "2026-06-30T17:00:00-07:00"]) {
      const out = applyWaivers([RANKER], [expiring()], [], context(now));
      expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 open", expect.stringMatching(/^WVR-001 waivers\.yaml:\d+ open$/)]);
      const expired = wvr(out.findings)[0]!;
      expect(expired).toMatchObject({ severity: "warning", model: null, models: [], column: 5, pointer: expect.stringMatching(/^\/waivers\/\d+\/expires$/) });
      expect(expired.message).toMatch(/^waiver of INS-003 \(model ranker; owner team-discovery, ticket DISC-1\) expired on 2026-06-30 \(its last day, UTC\): 1 finding it covered is open again$/);
      expect(out.waivers[0]).toMatchObject({ status: "expired", findings: 1 });
    }
  });

  it("an expired waiver that matches nothing says so, and is not also reported unused", () => {
    const out = applyWaivers([], [entry({ model: "ranker", expires: "2026-01-31" })], [], context());
    expect(wvr(out.findings).map((f) => [f.rule, f.message.replace(/^.*: /, ""), f.remediation])).toEqual([
      ["WVR-001", "it matches no finding now", "remove the waiver"],
    ]);
  });

  it("may run max-waiver-days after the run's day, not one more", () => {
    const within = applyWaivers([RANKER], [entry({ model: "ranker", expires: "2026-07-30" })], [], context("2026-05-01T23:00:00Z"));
    expect(within.findings.map((f) => f.status)).toEqual(["waived"]);
    const beyond = applyWaivers([RANKER], [entry({ model: "ranker", expires: "2026-07-31" })], [], context("2026-05-01T23:00:00Z"));
    expect(statusOf(beyond.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 open", expect.stringMatching(/^WVR-003 waivers\.yaml:\d+ open$/)]);
    const invalid = wvr(beyond.findings)[0]!;
    expect(invalid.severity).toBe("error");
    expect(invalid.message).toContain("expires on 2026-07-31, 91 days after the run's day (2026-05-01), beyond the 90 days a waiver may run: it waives nothing");
    expect(invalid.remediation).toBe("set `expires` no later than 2026-07-30, or raise max-waiver-days in .obsgate.yaml");
    expect(beyond.waivers[0]!.status).toBe("invalid");
  });

  it("the horizon is the config's max-waiver-days", () => {
    const out = applyWaivers([RANKER], [entry({ model: "ranker", expires: "2026-05-31" })], [], context("2026-05-01", { maxWaiverDays: 7 }));
    expect(wvr(out.findings).map((f) => f.rule)).toEqual(["WVR-003"]);
  });
});

describe("what cannot be waived", () => {
  it("an INP finding stays open and the waiver is WVR-003 at its rule", () => {
    const out = applyWaivers([INP], [entry({ rule: "INP-001", target: "broken.yaml" })], [], context());
    expect(out.findings.find((f) => f.rule === "INP-001")!.status).toBe("open");
    const invalid = wvr(out.findings)[0]!;
    expect(invalid).toMatchObject({ rule: "WVR-003", severity: "error", line: entryLine - 10, column: 5, pointer: expect.stringMatching(/\/rule$/) });
    expect(invalid.message).toContain("INP-001 cannot be waived (a file obsgate could not read or validate has unknown compliance), so it waives nothing");
  });

  it("a rule whose metadata says waivable: false", () => {
    const out = applyWaivers([finding({ rule: "COR-001" })], [entry({ rule: "COR-001", model: "ranker" })], [], context());
    expect(out.findings.map((f) => `${f.rule} ${f.status}`)).toEqual(["COR-001 open", "WVR-003 open"]);
    expect(wvr(out.findings)[0]!.message).toContain("its metadata says waivable: false");
  });

  it("a WVR rule", () => {
    const out = applyWaivers([], [entry({ rule: "WVR-002", target: "waivers.yaml" })], [], context());
    expect(wvr(out.findings).map((f) => f.rule)).toEqual(["WVR-003"]);
  });
});

describe("unused waivers", () => {
  it("a waiver of a checked model that matched nothing is WVR-002 (info) at the entry", () => {
    const out = applyWaivers([], [entry({ model: "ranker" })], [], context());
    const unused = wvr(out.findings)[0]!;
    expect(unused).toMatchObject({ rule: "WVR-002", severity: "info", file: "waivers.yaml", column: 5, pointer: expect.stringMatching(/^\/waivers\/\d+$/) });
    expect(unused.message).toBe("waiver of INS-003 (model ranker; owner team-discovery, ticket DISC-1) matched no finding");
    expect(out.waivers[0]).toMatchObject({ status: "unused", findings: 0 });
  });

  it("a waiver of a model or file this run did not check is out of scope, not unused", () => {
    const out = applyWaivers([], [entry({ model: "elsewhere" }), entry({ target: "models/other.yaml" })], [], context());
    expect(out.findings).toEqual([]);
    expect(out.waivers.map((w) => w.status)).toEqual(["out-of-scope", "out-of-scope"]);
  });
});

describe("inline ignores", () => {
  it("waive the findings of their rule on the line they apply to, and only those", () => {
    const other = finding({ line: 20, pointer: "/spec/metrics/1/type" });
    const out = applyWaivers([RANKER, other, TAGGER], [], [ignore({})], context());
    expect(statusOf(out.findings)).toEqual([
      "INS-003 ranker.obsgate.yaml:19 waived", "INS-003 ranker.obsgate.yaml:20 open", "INS-003 tagger.obsgate.yaml:19 open",
    ]);
    expect(out.findings[0]!.waiver).toEqual({
      source: "inline", file: "ranker.obsgate.yaml", line: 19, column: 40, owner: null, reason: "legacy name", ticket: null, expires: null,
    });
    expect(out.waivers).toEqual([{
      source: "inline", file: "ranker.obsgate.yaml", line: 19, column: 40, rule: "INS-003",
      selector: { model: null, file: "ranker.obsgate.yaml", pointer: null, line: 19 },
      owner: null, reason: "legacy name", ticket: null, expires: null, status: "applied", findings: 1,
    }]);
  });

  it("come before the waivers file's entries when both match", () => {
    const out = applyWaivers([RANKER], [entry({ model: "ranker" })], [ignore({})], context());
    expect(out.findings[0]!.waiver!.source).toBe("inline");
  });

  it("with `until`: apply through that day, then WVR-001 at the comment", () => {
    const until = ignore({ until: "2026-05-01", line: 18, column: 7, appliesTo: 19 });
    expect(applyWaivers([RANKER], [], [until], context("2026-05-01T23:59:59Z")).findings[0]!.waiver!.expires).toBe("2026-05-01");
    const out = applyWaivers([RANKER], [], [until], context("2026-05-02T00:00:00Z"));
    expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:18 open", "INS-003 ranker.obsgate.yaml:19 open"].map((s, i) => (i === 0 ? "WVR-001 ranker.obsgate.yaml:18 open" : s)));
    expect(wvr(out.findings)[0]).toMatchObject({ column: 7, pointer: "" });
    expect(wvr(out.findings)[0]!.remediation).toContain("set a later `until`");
  });

  it("with `until` beyond the horizon: WVR-003", () => {
    const out = applyWaivers([RANKER], [], [ignore({ until: "2027-01-31" })], context());
    expect(statusOf(out.findings)).toEqual(["INS-003 ranker.obsgate.yaml:19 open", "WVR-003 ranker.obsgate.yaml:19 open"]);
    expect(wvr(out.findings)[0]!.remediation).toContain("set `until` no later than 2026-07-30");
  });

  it.each([
    [{ reason: null }, "inline ignore of INS-003 gives no reason: it waives nothing", "say why after `--`"],
    [{ rule: null }, "inline ignore names no rule: it waives nothing", "write `# obsgate:ignore <RULE> -- <reason>`"],
    [{ rule: "INS3" }, "inline ignore names `INS3`, which is not a rule id: it waives nothing", "write `# obsgate:ignore"],
    [{ rule: "INS-099" }, "inline ignore of INS-099 names a rule no policy of this run defines: it waives nothing", "correct the rule id"],
    [{ until: "2026-13-01" }, "inline ignore of INS-003: `until 2026-13-01` is not a date, so it waives nothing", "`until YYYY-MM-DD`"],
    [{ rule: "INP-001" }, "inline ignore of INP-001: INP-001 cannot be waived", "fix what INP-001 reports"],
  ])("%j: WVR-003 at the comment, and the finding stays open", (partial, message, fix) => {
    const out = applyWaivers([RANKER], [], [ignore(partial as Partial<InlineIgnore>)], context());
    expect(out.findings.find((f) => f.rule === "INS-003")!.status).toBe("open");
    const invalid = wvr(out.findings);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ rule: "WVR-003", severity: "error", file: "ranker.obsgate.yaml", line: 19, column: 40 });
    expect(invalid[0]!.message).toContain(message);
    expect(invalid[0]!.remediation).toContain(fix);
  });

  it("one that matched nothing is WVR-002, naming the line it applies to", () => {
    const out = applyWaivers([], [], [ignore({ line: 7, appliesTo: 8 })], context());
    expect(wvr(out.findings).map((f) => `${f.rule} ${f.line} ${f.message}`)).toEqual(["WVR-002 7 inline ignore of INS-003 matched no finding on line 8"]);
  });

  it("identical comments in one file get distinct fingerprints that do not move with their lines", () => {
    const a = ignore({ line: 3, appliesTo: 4 });
    const b = ignore({ line: 30, appliesTo: 31 });
    const first = wvr(applyWaivers([], [], [a, b], context()).findings).map((f) => f.fingerprint);
    expect(new Set(first).size).toBe(2);
    const moved = wvr(applyWaivers([], [], [{ ...a, line: 5, appliesTo: 6 }, { ...b, line: 50, appliesTo: 51 }], context()).findings).map((f) => f.fingerprint);
    expect(moved).toEqual(first);
  });
});

it("returns findings sorted and waivers by location, and the same output for the same input", () => {
  const input = [[TAGGER, RANKER], [entry({ model: "tagger" }), entry({ model: "nobody" })], [ignore({})]] as const;
  const out = applyWaivers(input[0], input[1], input[2], context());
  expect(out.findings.map((f) => f.file)).toEqual(["ranker.obsgate.yaml", "tagger.obsgate.yaml"]);
  expect(out.waivers.map((w) => w.file)).toEqual(["ranker.obsgate.yaml", "waivers.yaml", "waivers.yaml"]);
  expect(applyWaivers(input[0], input[1], input[2], context())).toEqual(out);
});
