// The Statement builder: what it derives (results, controls, counts), what it refuses, that its
// payload bytes are the same for the same facts and clock (golden), and that it fits its schema.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AttestationFactsError,
  buildStatement,
  builtinPolicySubject,
  checkStatement,
  loadPredicateSchema,
  parseStatement,
  statementPayload,
  validatePredicate,
  type AttestationFacts,
  type Statement,
} from "../../src/attest/index.js";
import { FIXTURES, openFinding, sampleFacts } from "./helpers.js";

const GOLDEN = join(FIXTURES, "statement.golden.json");

function shuffled<T>(items: readonly T[]): T[] {
  return [...items].reverse();
}

describe("buildStatement", () => {
  it("gives the same payload bytes for the same facts and clock, in whatever order the facts come", () => {
    const facts = sampleFacts();
    const reordered: AttestationFacts = {
      ...facts,
      inputs: shuffled(facts.inputs),
      rules: shuffled(facts.rules),
      files: shuffled(facts.files),
      models: shuffled(facts.models),
      findings: shuffled(facts.findings),
      parameters: Object.fromEntries(shuffled(Object.entries(facts.parameters))),
    };
    const a = statementPayload(buildStatement(facts));
    const b = statementPayload(buildStatement(reordered));
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it("matches the golden payload byte for byte (OBSGATE_UPDATE_GOLDEN=1 rewrites it)", () => {
    const payload = Buffer.from(statementPayload(buildStatement(sampleFacts())));
    if (process.env.OBSGATE_UPDATE_GOLDEN) writeFileSync(GOLDEN, payload);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with OBSGATE_UPDATE_GOLDEN=1`).toBe(true);
    expect(payload.toString("utf8")).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("changes the payload when the clock changes, and only the time in it", () => {
    const a = buildStatement(sampleFacts());
    const b = buildStatement(sampleFacts({ timeEvaluated: new Date("2026-05-01T12:00:01Z") }));
    expect(b.predicate.timeEvaluated).toBe("2026-05-01T12:00:01.000Z");
    expect({ ...b, predicate: { ...b.predicate, timeEvaluated: a.predicate.timeEvaluated } }).toEqual(a);
  });

  it("fits its own JSON Schema and passes the verifier's checks", () => {
    const statement = buildStatement(sampleFacts());
    expect(validatePredicate(statement.predicate)).toEqual([]);
    expect(parseStatement(statementPayload(statement))).toEqual({ ok: true, statement: JSON.parse(JSON.stringify(statement)) });
  });

  it("lists every input and policy bundle as a subject, sorted, the built-in under obsgate:", () => {
    const statement = buildStatement(sampleFacts());
    expect(statement.subject.map((s) => s.name)).toEqual([
      "alerts/fraud-detector.rules.yaml",
      "backends/loki.yaml",
      "models/churn-scorer.obsgate.yaml",
      "models/fraud-detector.obsgate.yaml",
      "obsgate:builtin/0.1.0/policy.wasm",
    ]);
    expect(builtinPolicySubject("1.2.3")).toBe("obsgate:builtin/1.2.3/policy.wasm");
  });

  it("derives the result: PASSED with only waived and info findings", () => {
    const statement = buildStatement(sampleFacts());
    expect(statement.predicate.result).toBe("PASSED");
    expect(statement.predicate.models.map((m) => [m.name, m.result])).toEqual([["churn-scorer", "PASSED"], ["fraud-detector", "PASSED"]]);
  });

  it("derives the result: WARNED for an open warning, on the run and on its model only", () => {
    const facts = sampleFacts();
    const statement = buildStatement({ ...facts, findings: [...facts.findings, openFinding("warning", "churn-scorer")] });
    expect(statement.predicate.result).toBe("WARNED");
    expect(statement.predicate.models.map((m) => [m.name, m.result])).toEqual([["churn-scorer", "WARNED"], ["fraud-detector", "PASSED"]]);
  });

  it("derives the result: FAILED for an open finding at failOn; WARNED for an open error under failOn never", () => {
    const facts = sampleFacts();
    const findings = [...facts.findings, openFinding("error", "fraud-detector")];
    expect(buildStatement({ ...facts, findings }).predicate.result).toBe("FAILED");
    expect(buildStatement({ ...facts, findings, failOn: "never" }).predicate.result).toBe("WARNED");
    expect(buildStatement({ ...facts, findings: [...facts.findings, openFinding("warning", "fraud-detector")], failOn: "warning" }).predicate.result).toBe("FAILED");
  });

  it("gives each model every control, with its status", () => {
    const facts = sampleFacts();
    const statement = buildStatement({ ...facts, findings: [...facts.findings, openFinding("error", "churn-scorer")] });
    const controls = Object.fromEntries(statement.predicate.models.map((m) => [m.name, m.controls]));
    expect(controls).toEqual({
      "churn-scorer": [
        { rule: "ALR-006", status: "not-applicable" },
        { rule: "CAR-002", status: "failed" },
        { rule: "RET-005", status: "failed" }, // the shared Loki config's open info finding
      ],
      "fraud-detector": [
        { rule: "ALR-006", status: "waived" },
        { rule: "CAR-002", status: "passed" },
        { rule: "RET-005", status: "failed" },
      ],
    });
    expect(statement.predicate.summary.controls).toEqual({ passed: 1, failed: 3, waived: 1, notApplicable: 1 });
  });

  it("puts a shared file's finding under each model it affects, counted once", () => {
    const statement = buildStatement(sampleFacts());
    const ret = (name: string) => statement.predicate.models.find((m) => m.name === name)!.findings.filter((f) => f.rule === "RET-005");
    expect(ret("fraud-detector")).toHaveLength(1);
    expect(ret("churn-scorer")).toEqual(ret("fraud-detector"));
    expect(statement.predicate.summary.findings).toEqual({ open: { error: 0, warning: 0, info: 1 }, waived: 1 });
  });

  it("keeps findings no model owns apart", () => {
    const facts = sampleFacts();
    const orphan = { ...openFinding("warning", "x"), model: null, models: [], file: "alerts/orphan.rules.yaml" };
    const statement = buildStatement({ ...facts, findings: [...facts.findings, orphan] });
    expect(statement.predicate.unownedFindings.map((f) => f.file)).toEqual(["alerts/orphan.rules.yaml"]);
    expect(statement.predicate.result).toBe("WARNED");
    expect(statement.predicate.models.every((m) => m.result === "PASSED")).toBe(true);
  });

  it("records each waived finding's waiver, and the waivers applied and expired", () => {
    const { predicate } = buildStatement(sampleFacts());
    const waived = predicate.models.find((m) => m.name === "fraud-detector")!.findings.find((f) => f.status === "waived")!;
    expect(waived.waiver).toEqual({
      source: "file", file: "waivers.yaml", line: 2, column: 5, owner: "team-risk",
      reason: "Pages on a hard outage that a 5-minute wait would hide; reviewed with SRE.", ticket: "RISK-1234", expires: "2026-06-30",
    });
    expect(predicate.waivers.applied.map((w) => [w.rule, w.findings])).toEqual([["ALR-006", 1]]);
    expect(predicate.waivers.expired).toEqual([{
      source: "file", file: "waivers.yaml", line: 11, column: 5, rule: "CAR-002",
      selector: { model: "churn-scorer", file: null, pointer: null, line: null },
      owner: "growth", reason: "Migration in progress.", ticket: null, expires: "2026-04-01", findings: 0,
    }]);
    expect(predicate.summary.waivers).toEqual({ applied: 1, expired: 1 });
  });

  it("counts files by status and keeps why a file was skipped", () => {
    const { predicate } = buildStatement(sampleFacts());
    expect(predicate.summary.files).toEqual({ evaluated: 4, skipped: 1, invalid: 0 });
    expect(predicate.files.find((f) => f.status === "skipped")).toEqual({ path: "docs/notes.yaml", kind: "unknown", status: "skipped", reason: "not a known kind of file" });
  });

  it("drops credentials from a repository or CI URL", () => {
    const { predicate } = buildStatement(sampleFacts({
      repository: "https://x-access-token:ghs_secret@github.com/acme/models.git",
      invocation: { ciRunUrl: "https://user:pw@ci.example/runs/1" },
    }));
    expect(predicate.repository).toBe("https://github.com/acme/models.git");
    expect(predicate.invocation.ciRunUrl).toBe("https://ci.example/runs/1");
  });

  it.each<[string, Partial<AttestationFacts>, string]>([
    ["an invalid clock", { timeEvaluated: new Date("nope") }, "timeEvaluated is not a valid time"],
    ["a digest that is not hex", { evaluator: { version: "0.1.0", sha256: "ABC" } }, "the SHA-256 of the evaluator is not 64 lowercase hex digits"],
    ["one name with two digests", { inputs: [{ path: "a.yaml", sha256: "a".repeat(64) }, { path: "a.yaml", sha256: "b".repeat(64) }] }, "subject a.yaml is given two different digests"],
    ["an absolute subject", { inputs: [{ path: "/etc/passwd", sha256: "a".repeat(64) }] }, 'subject "/etc/passwd" is not a repository-relative path with / separators'],
    ["no subjects at all", { inputs: [], policySets: [] }, "a statement needs at least one subject"],
    ["a waived finding without its waiver", { findings: [{ ...openFinding("warning", "a"), status: "waived" }] }, "finding CAR-002 at models/a.obsgate.yaml:9:7 is waived without a waiver"],
  ])("refuses %s", (_, overrides, message) => {
    expect(() => buildStatement(sampleFacts(overrides))).toThrow(new AttestationFactsError(message));
  });
});

describe("checkStatement", () => {
  const good = () => JSON.parse(JSON.stringify(buildStatement(sampleFacts()))) as Statement & Record<string, unknown>;

  it("ignores Statement fields it does not know, as in-toto asks of consumers", () => {
    expect(checkStatement({ ...good(), extension: { any: 1 } }).ok).toBe(true);
  });

  it.each<[string, (s: Record<string, any>) => unknown, string, string]>([
    ["a non-object", () => [], "statement_malformed", "the payload is not a JSON object"],
    ["a missing _type", (s) => ({ ...s, _type: undefined }), "statement_type", 'the payload is not an in-toto Statement v1: its _type is missing, expected "https://in-toto.io/Statement/v1"'],
    ["a subject that is no list", (s) => ({ ...s, subject: {} }), "statement_malformed", "the Statement's `subject` is not a list"],
    ["a subject without digest", (s) => ({ ...s, subject: [{ name: "a" }] }), "statement_malformed", 'subject 1 ("a") has no digest'],
    ["a subject with an uppercase digest", (s) => ({ ...s, subject: [{ name: "a", digest: { sha256: "A".repeat(64) } }] }), "statement_malformed", 'subject 1 ("a") has no sha256 digest of 64 lowercase hex digits'],
    ["a subject with only another algorithm", (s) => ({ ...s, subject: [{ name: "a", digest: { sha512: "a".repeat(128) } }] }), "statement_malformed", 'subject 1 ("a") has no sha256 digest of 64 lowercase hex digits'],
    ["a subject listed twice", (s) => ({ ...s, subject: [s.subject[0], s.subject[0]] }), "statement_malformed", 'subject "alerts/fraud-detector.rules.yaml" is listed twice'],
    ["an unknown predicate field", (s) => ({ ...s, predicate: { ...s.predicate, approvedBy: "me" } }), "predicate_schema", 'the predicate does not match its schema: /: unknown field "approvedBy"'],
    ["a predicate with several problems", (s) => ({ ...s, predicate: { ...s.predicate, failOn: "sometimes", summary: undefined } }), "predicate_schema", "the predicate does not match its schema: /: missing field `summary` (and 1 more)"],
    ["a waived finding without waiver", (s) => {
      const copy = JSON.parse(JSON.stringify(s));
      delete copy.predicate.models[1].findings[0].waiver;
      return copy;
    }, "predicate_schema", "the predicate does not match its schema: /models/1/findings/0: missing field `waiver` (and 1 more)"],
  ])("refuses %s", (_, change, code, reason) => {
    expect(checkStatement(JSON.parse(JSON.stringify(change(good()) ?? null)))).toEqual({ ok: false, code, reason });
  });
});

describe("the predicate schema", () => {
  it("describes every field it defines", () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== "object" || node === null) return;
      const schema = node as Record<string, unknown>;
      for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof child.description !== "string" || child.description.length < 3) undocumented.push(`${at}/${name}`);
        walk(child, `${at}/${name}`);
      }
      if (schema.items) walk(schema.items, `${at}[]`);
      for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>)) walk(def, `#/$defs/${name}`);
    };
    walk(loadPredicateSchema(), "");
    expect(undocumented).toEqual([]);
  });
});
