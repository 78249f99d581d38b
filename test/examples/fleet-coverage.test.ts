// The example fleet is the library's demonstration and its widest end-to-end test: every built-in
// rule must fire on some model of examples/fleet and pass on another (issue 5, "Example fleet"), so a
// rule that can never fire, or that fires on every model, shows up here. Read from the JSON report of
// the real CLI; the rule ids come from the built-in bundle's own metadata, so a new rule without an
// example in the fleet fails this test until one is added.
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltinPolicySet } from "../../src/policy/index.js";
import { runCli, stackTraceLines, type JsonReport } from "../helpers/cli.js";

/** The models the fleet's README and manifests call fully compliant: no finding at all. */
const COMPLIANT = ["demand-forecaster", "fraud-detector", "product-tagger"];

/** obsgate's own families: raised by the pipeline (INP) and the waiver stage (WVR), not by Rego. */
const OWN_FAMILIES = ["INP", "WVR"];

describe("examples/fleet covers the built-in library", () => {
  let report: JsonReport;
  let builtin: string[];

  beforeAll(async () => {
    const run = await runCli(["check", "examples/fleet", "--format", "json", "--fail-on", "never"]);
    expect(stackTraceLines(run.stderr)).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as JsonReport;
    builtin = [...(await loadBuiltinPolicySet()).metadata.keys()].sort();
  });

  it("lists every built-in rule in the report's rules", () => {
    const listed = new Set(report.rules.map((r) => r.id));
    expect(builtin.length).toBeGreaterThanOrEqual(46);
    expect(builtin.filter((id) => !listed.has(id)), "built-in rules missing from the report's `rules`").toEqual([]);
  });

  it("every built-in rule fires somewhere in examples/fleet and passes somewhere else", () => {
    const fired = new Set(report.findings.map((f) => f.rule));
    const neverFired = builtin.filter((id) => !fired.has(id));
    expect(neverFired, `built-in rules that fire nowhere in examples/fleet (add a realistic mistake that shows each): ${neverFired.join(", ")}`).toEqual([]);

    // A shared file's finding lists every model it affects; findings on files no model owns list none.
    const evaluated = report.models.filter((m) => m.status === "evaluated").map((m) => m.name);
    expect(evaluated.length).toBeGreaterThan(1);
    const failing = new Map<string, Set<string>>();
    for (const f of report.findings) {
      const models = failing.get(f.rule) ?? new Set<string>();
      for (const model of f.models) models.add(model);
      failing.set(f.rule, models);
    }
    const passesNowhere = builtin.filter((id) => evaluated.every((model) => failing.get(id)?.has(model)));
    expect(passesNowhere, `built-in rules that fail on every evaluated model of examples/fleet (let one model pass each): ${passesNowhere.join(", ")}`).toEqual([]);
  });

  it("raises no finding of obsgate's own families and no rule outside the bundle", () => {
    const own = [...new Set(report.findings.filter((f) => OWN_FAMILIES.includes(f.rule.split("-")[0]!)).map((f) => `${f.rule} ${f.file}:${f.line}`))];
    expect(own, `examples/fleet must read cleanly: ${own.join("; ")}`).toEqual([]);
    const unknown = [...new Set(report.findings.map((f) => f.rule))].filter((id) => !builtin.includes(id));
    expect(unknown).toEqual([]);
  });

  it("keeps the compliant models free of findings", () => {
    const evaluated = report.models.filter((m) => m.status === "evaluated").map((m) => m.name);
    expect(evaluated).toEqual(expect.arrayContaining(COMPLIANT));
    const found = report.findings
      .filter((f) => f.models.some((m) => COMPLIANT.includes(m)))
      .map((f) => `${f.rule} ${f.file}:${f.line} [${f.models.join(", ")}] ${f.message}`);
    expect(found, `the compliant models ${COMPLIANT.join(", ")} must pass every check`).toEqual([]);
  });
});
