import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, loadFile, type LoadedDocument } from "../../src/load/index.js";
import { packageRoot } from "../../src/package-root.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import { readRuleFile, type RuleFileRead } from "../../src/model/rules.js";

const DIR = "test/fixtures/rules-files";

/** The rule documents of a fixture, read through the real loader. */
async function load(name: string): Promise<LoadedDocument[]> {
  const path = `${DIR}/${name}`;
  const loaded = await loadFile({ path, absolute: join(packageRoot(), path) }, DEFAULT_LIMITS);
  expect(loaded.problems).toEqual([]);
  return loaded.documents;
}

async function read(name: string): Promise<RuleFileRead & { doc: LoadedDocument }> {
  const docs = await load(name);
  expect(docs).toHaveLength(1);
  return { ...readRuleFile(docs[0]!), doc: docs[0]! };
}

const names = (result: RuleFileRead) => result.rules.map(({ rule }) => rule.alert ?? rule.record);
const problem = (name: string, pointer: string, message: string) => ({ file: `${DIR}/${name}`, pointer, message });

/** A document built in memory, for shapes the classifier would not hand over from a file. */
function doc(value: unknown, kind: LoadedDocument["kind"] = "prometheus-rules"): LoadedDocument {
  return { file: "rules.yml", index: 0, value, sourceMap: new Map(), kind, start: { line: 1, column: 1 }, absolute: "/rules.yml", multiDocument: false };
}

describe("readRuleFile: a valid hand-written file", () => {
  it("returns every rule with its pointer, group and normalised fields", async () => {
    const result = await read("valid.yml");
    expect(result.problems).toEqual([]);
    expect(result.rules.map((r) => r.pointer)).toEqual([
      "/groups/0/rules/0",
      "/groups/0/rules/1",
      "/groups/1/rules/0",
      "/groups/1/rules/1",
      "/groups/1/rules/2",
    ]);
    // Only group fraud-detector-alerts sets labels (team: risk); FraudDetectorSlowPredictions sets
    // its own team, so it inherits nothing.
    expect(result.rules.map((r) => r.labelPointers)).toEqual([
      {},
      {},
      { team: "/groups/1/labels/team" },
      {},
      { team: "/groups/1/labels/team" },
    ]);
    expect(names(result)).toEqual([
      "fraud:sli_error:ratio_rate5m",
      "fraud:sli_error:ratio_rate1h",
      "FraudDetectorErrorBudgetBurn",
      "FraudDetectorSlowPredictions",
      "FraudDetectorDown",
    ]);
    expect(result.rules[0]!.rule).toEqual({
      file: `${DIR}/valid.yml`,
      group: "fraud-detector-sli",
      alert: null,
      record: "fraud:sli_error:ratio_rate5m",
      type: "record",
      expr: 'sum(rate(fraud_requests_total{code=~"5.."}[5m]))\n/\nsum(rate(fraud_requests_total[5m]))\n',
      forSeconds: 0,
      labels: { model: "fraud-detector" },
      annotations: {},
    });
    expect(result.rules[3]!.rule).toEqual({
      file: `${DIR}/valid.yml`,
      group: "fraud-detector-alerts",
      alert: "FraudDetectorSlowPredictions",
      record: null,
      type: "alert",
      expr: "histogram_quantile(0.99, sum by (le) (rate(fraud_prediction_duration_seconds_bucket[5m]))) > 0.25",
      forSeconds: 600,
      // The group's labels apply to its rules, as Prometheus applies them; the rule's own win.
      labels: { team: "fraud", severity: "warning" },
      annotations: { summary: "p99 prediction latency above 250ms", description: "{{ $value }}s at p99" },
    });
  });

  it("reads scalar label values as text, an empty one as \"\", and `for: 0` as zero", async () => {
    const result = await read("valid.yml");
    expect(result.rules[2]!.rule.labels).toEqual({
      team: "risk",
      severity: "critical",
      model: "fraud-detector",
      priority: "1",
      paging: "true",
    });
    expect(result.rules[4]!.rule.labels).toEqual({ team: "risk", severity: "critical", empty: "" });
    expect(result.rules[4]!.rule.forSeconds).toBe(0);
  });

  it("points at lines the source map knows", async () => {
    const result = await read("valid.yml");
    expect(result.rules.map((r) => result.doc.sourceMap.get(r.pointer)?.line)).toEqual([6, 13, 19, 29, 38]);
    expect(result.doc.sourceMap.get("/groups/1/rules/0")).toEqual({ line: 19, column: 9 });
  });
});

describe("readRuleFile: PrometheusRule resources", () => {
  it("reads each PrometheusRule of a multi-document file, with pointers under /spec/groups", async () => {
    const docs = await load("prometheusrule-multi.yaml");
    // The ConfigMap between them is not a rule document.
    expect(docs.map((d) => [d.index, d.kind, d.multiDocument])).toEqual([
      [0, "prometheus-rule-resource", true],
      [2, "prometheus-rule-resource", true],
    ]);
    const [first, second] = docs.map(readRuleFile);
    expect(first!.problems).toEqual([]);
    expect(second!.problems).toEqual([]);
    expect(first!.rules.map((r) => [r.pointer, r.rule.group, r.rule.type])).toEqual([
      ["/spec/groups/0/rules/0", "ranker-sli", "record"],
      ["/spec/groups/0/rules/1", "ranker-sli", "record"],
      ["/spec/groups/1/rules/0", "ranker-alerts", "alert"],
    ]);
    expect(second!.rules).toEqual([
      {
        pointer: "/spec/groups/0/rules/0",
        labelPointers: {},
        rule: {
          file: `${DIR}/prometheusrule-multi.yaml`,
          group: "ranker-up",
          alert: "RankerDown",
          record: null,
          type: "alert",
          expr: 'up{job="ranker"} == 0',
          forSeconds: 300,
          labels: { severity: "critical" },
          annotations: {},
        },
      },
    ]);
    expect([...first!.rules, ...second!.rules].map((r, i) => (i < 3 ? docs[0]! : docs[1]!).sourceMap.get(r.pointer)?.line)).toEqual([
      11, 13, 17, 37,
    ]);
  });

  it("a PrometheusRule without spec", async () => {
    const name = "prometheusrule-without-spec.yaml";
    const result = await read(name);
    expect(result.rules).toEqual([]);
    expect(result.problems).toEqual([problem(name, "", "PrometheusRule has no `spec`: list the rule groups under `spec.groups`")]);
  });

  it("a PrometheusRule without spec.groups", async () => {
    const name = "prometheusrule-without-groups.yaml";
    const result = await read(name);
    expect(result.rules).toEqual([]);
    expect(result.problems).toEqual([problem(name, "/spec", "PrometheusRule has no `spec.groups`: list the rule groups under `spec.groups`")]);
  });

  it("spec.groups that is not a list", async () => {
    const name = "groups-not-list.yaml";
    const result = await read(name);
    expect(result.rules).toEqual([]);
    expect(result.problems).toEqual([
      problem(name, "/spec/groups", "`groups` is a mapping, not a list: write each group as a list item with `name:` and `rules:`"),
    ]);
  });

  it("a spec that is not a mapping", () => {
    expect(readRuleFile(doc({ kind: "PrometheusRule", spec: ["x"] }, "prometheus-rule-resource")).problems).toEqual([
      {
        file: "rules.yml",
        pointer: "/spec",
        message: "`spec` of a PrometheusRule is a list, not a mapping: list the rule groups under `spec.groups`",
      },
    ]);
  });
});

describe("readRuleFile: one bad file per structural problem, the other rules still read", () => {
  it("a group without a name", async () => {
    const name = "group-without-name.yml";
    const result = await read(name);
    expect(result.problems).toEqual([problem(name, "/groups/0", "rule group has no `name`: give every group a name, unique in its file")]);
    expect(result.rules.map((r) => [r.pointer, r.rule.group, r.rule.alert])).toEqual([
      ["/groups/0/rules/0", null, "NamelessGroupAlert"],
      ["/groups/1/rules/0", "named", "FineAlert"],
    ]);
  });

  it("a group whose rules are not a list", async () => {
    const name = "group-rules-not-list.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules", '`rules` of group "broken" is a mapping, not a list: write each rule as a list item'),
    ]);
    expect(names(result)).toEqual(["FineAlert"]);
    expect(result.rules[0]!.pointer).toBe("/groups/1/rules/0");
  });

  it("a rule that is not a mapping", async () => {
    const name = "rule-not-mapping.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0", "a rule is a string, not a mapping: write it with `alert:` or `record:`, and `expr:`"),
    ]);
    expect(result.rules.map((r) => [r.pointer, r.rule.alert])).toEqual([["/groups/0/rules/1", "FineAlert"]]);
  });

  it("a rule with both alert and record", async () => {
    const name = "rule-alert-and-record.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0",
        'rule has both `alert` ("Both") and `record` ("job:up:sum"): keep `alert` for an alerting rule or `record` for a recording rule'),
    ]);
    expect(result.rules.map((r) => [r.rule.alert, r.rule.record, r.rule.type])).toEqual([
      ["Both", "job:up:sum", null],
      ["FineAlert", null, "alert"],
    ]);
  });

  it("a rule with neither alert nor record", async () => {
    const name = "rule-neither-alert-nor-record.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/1",
        "rule has neither `alert` nor `record`: name it with `alert:` (alerting rule) or `record:` (recording rule)"),
    ]);
    expect(result.rules.map((r) => [r.pointer, r.rule.alert, r.rule.record, r.rule.type, r.rule.expr])).toEqual([
      ["/groups/0/rules/0", "FineAlert", null, "alert", "up == 0"],
      ["/groups/0/rules/1", null, null, null, "up == 0"],
    ]);
    expect(result.rules[1]!.rule.labels).toEqual({ severity: "warning" });
  });

  it("a rule without expr, or with an empty one", async () => {
    const name = "rule-without-expr.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0", 'alert "NoExpr" has no `expr`: add the PromQL expression it evaluates under `expr:`'),
      problem(name, "/groups/0/rules/1", 'alert "EmptyExpr" has no `expr`: add the PromQL expression it evaluates under `expr:`'),
    ]);
    expect(result.rules.map((r) => [r.rule.alert, r.rule.expr, r.rule.forSeconds])).toEqual([
      ["NoExpr", null, 300],
      ["EmptyExpr", null, 0],
      ["FineAlert", "up == 0", 0],
    ]);
  });

  it("an expr that is not a string (a number reads as its text, as in Prometheus)", async () => {
    const name = "rule-expr-not-string.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0/expr", '`expr` of alert "ExprIsAList" is a list, not a string: write the PromQL expression as text'),
    ]);
    expect(result.rules.map((r) => [r.rule.alert ?? r.rule.record, r.rule.expr])).toEqual([
      ["ExprIsAList", null],
      ["constant:one", "1"],
      ["FineAlert", "up == 0"],
    ]);
  });

  it("a `for:` that is not a duration", async () => {
    const name = "for-not-duration.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0/for",
        '`for` of alert "WordyFor" is "5 minutes", not a duration: write it like 5m, 1h30m or 0 (units ms, s, m, h, d, w, y)'),
      problem(name, "/groups/0/rules/1/for",
        '`for` of alert "UnitlessFor" is "300", not a duration: write it like 5m, 1h30m or 0 (units ms, s, m, h, d, w, y)'),
    ]);
    expect(result.rules.map((r) => [r.rule.alert, r.rule.forSeconds])).toEqual([
      ["WordyFor", 0],
      ["UnitlessFor", 0],
      ["FineAlert", 5400],
    ]);
  });

  it("labels and annotations that are not maps of strings", async () => {
    const name = "labels-not-string-map.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0/labels",
        '`labels` of alert "LabelsAsList" is a list, not a mapping: write them as `name: value` pairs'),
      problem(name, "/groups/0/rules/1/labels/owner",
        'label "owner" of alert "NestedLabel" is a mapping, not a string: give it a plain text value'),
      problem(name, "/groups/0/rules/1/annotations",
        '`annotations` of alert "NestedLabel" is a string, not a mapping: write them as `name: value` pairs'),
    ]);
    expect(result.rules.map((r) => [r.rule.alert, r.rule.labels, r.rule.annotations])).toEqual([
      ["LabelsAsList", {}, {}],
      ["NestedLabel", { severity: "warning" }, {}],
      ["ScalarLabels", { severity: "info", priority: "2", paging: "false", ratio: "0.5" }, {}],
    ]);
  });

  it("duplicate group names in one file", async () => {
    const name = "duplicate-group-names.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/2/name",
        'group name "model-alerts" is repeated in this file (first at /groups/0): give each group a unique name; Prometheus refuses the file'),
    ]);
    expect(result.rules.map((r) => [r.pointer, r.rule.group, r.rule.alert])).toEqual([
      ["/groups/0/rules/0", "model-alerts", "First"],
      ["/groups/2/rules/0", "model-alerts", "Second"],
    ]);
  });

  it("a recording rule with fields only alerting rules have", async () => {
    const name = "recording-rule-with-alert-fields.yml";
    const result = await read(name);
    expect(result.problems).toEqual([
      problem(name, "/groups/0/rules/0/for",
        'recording rule "job:up:sum" sets `for`, which only alerting rules have: remove it, or make the rule an `alert`'),
      problem(name, "/groups/0/rules/0/annotations",
        'recording rule "job:up:sum" sets `annotations`, which only alerting rules have: remove it, or make the rule an `alert`'),
    ]);
    expect(names(result)).toEqual(["job:up:sum"]);
  });
});

describe("readRuleFile: shapes built in memory", () => {
  it("a plain file whose groups is not a list", () => {
    expect(readRuleFile(doc({ groups: "x" })).problems).toEqual([
      { file: "rules.yml", pointer: "/groups", message: "`groups` is a string, not a list: write each group as a list item with `name:` and `rules:`" },
    ]);
  });

  it("an empty or absent rules list is an empty group, as Prometheus reads it", () => {
    expect(readRuleFile(doc({ groups: [{ name: "a", rules: null }, { name: "b" }, { name: "c", rules: [] }] }))).toEqual({ rules: [], problems: [] });
  });

  it("a group that is not a mapping, and names that are not text", () => {
    const result = readRuleFile(doc({ groups: ["g", { name: { x: 1 }, rules: [{ alert: ["A"], expr: "up" }, { record: 7, expr: 1 }] }] }));
    expect(result.problems.map((p) => [p.pointer, p.message])).toEqual([
      ["/groups/0", "a rule group is a string, not a mapping: write it as `name:` and `rules:`"],
      ["/groups/1/name", "`name` of a group is a mapping, not a string: write the name as plain text"],
      ["/groups/1/rules/0/alert", "`alert` of a rule is a list, not a string: write the name as plain text"],
    ]);
    expect(result.rules.map((r) => [r.rule.record, r.rule.expr, r.rule.type])).toEqual([
      [null, "up", null],
      ["7", "1", "record"],
    ]);
  });

  it("escapes label names in pointers", () => {
    const result = readRuleFile(doc({ groups: [{ name: "g", rules: [{ alert: "A", expr: "up", labels: { "a/b~c": [1] } }] }] }));
    expect(result.problems.map((p) => p.pointer)).toEqual(["/groups/0/rules/0/labels/a~1b~0c"]);
  });

  it("says where each inherited group label is set; a rule's own label is its own, with no entry", () => {
    const parsed = parseYamlDocuments(
      `groups:
  - name: paging
    labels:
      severity: page
      team: risk
      a/b: x
    rules:
      - alert: Inherits
        expr: up == 0
      - alert: Overrides
        expr: up == 0
        labels:
          severity: critical
          model: scorer
`,
      DEFAULT_LIMITS,
    );
    if ("failure" in parsed) throw new Error(parsed.failure.message);
    const { value, sourceMap } = parsed.documents[0]!;
    const result = readRuleFile({ ...doc(value), sourceMap });
    expect(result.problems).toEqual([]);
    expect(result.rules.map((r) => [r.pointer, r.rule.labels, r.labelPointers])).toEqual([
      [
        "/groups/0/rules/0",
        { severity: "page", team: "risk", "a/b": "x" },
        { severity: "/groups/0/labels/severity", team: "/groups/0/labels/team", "a/b": "/groups/0/labels/a~1b" },
      ],
      [
        "/groups/0/rules/1",
        { severity: "critical", team: "risk", "a/b": "x", model: "scorer" },
        { team: "/groups/0/labels/team", "a/b": "/groups/0/labels/a~1b" },
      ],
    ]);
    // Each pointer is a node of the file as written: the group's `severity: page` is on line 4.
    expect(sourceMap.get(result.rules[0]!.labelPointers.severity!)).toEqual({ line: 4, column: 7 });
    expect(sourceMap.get(result.rules[1]!.labelPointers["a/b"]!)?.line).toBe(6);
  });

  it("keeps a label called __proto__ as a plain label", () => {
    const labels = JSON.parse('{"__proto__": "x", "severity": "info"}') as Record<string, unknown>;
    const result = readRuleFile(doc({ groups: [{ name: "g", rules: [{ alert: "A", expr: "up", labels }] }] }));
    const read = result.rules[0]!.rule.labels;
    expect(Object.keys(read)).toEqual(["__proto__", "severity"]);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  it("a document that is not a mapping, or not a rule document", () => {
    expect(readRuleFile(doc(["x"])).problems.map((p) => p.message)).toEqual([
      "a rule file must be a mapping with `groups:`, not a list",
    ]);
    expect(readRuleFile(doc({ kind: "ModelObservability" }, "model-manifest")).problems.map((p) => p.message)).toEqual([
      "not a rule file (model-manifest): obsgate reads rules from `groups:` files and PrometheusRule resources",
    ]);
  });

  it("never throws, whatever the values", () => {
    const odd: unknown[] = [null, 0, "", [], {}, [null], [{}], { groups: [null, [], 1, { rules: [null, [], "x", { alert: null, expr: {} }] }] }];
    for (const value of odd) {
      for (const kind of ["prometheus-rules", "prometheus-rule-resource"] as const) {
        expect(() => readRuleFile(doc(value, kind))).not.toThrow();
        expect(() => readRuleFile(doc({ spec: value, groups: value }, kind))).not.toThrow();
      }
    }
  });
});
