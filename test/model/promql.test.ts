import { describe, expect, it } from "vitest";
import type { PromQuery } from "../../src/model/model-input.js";
import { analyzePromQL } from "../../src/model/promql.js";
import { prng } from "../helpers/random.js";

/** A query with every field empty, for spreading into small expected values. */
const NONE: PromQuery = {
  error: null,
  metrics: [],
  functions: [],
  selectors: [],
  ranges: [],
  subqueries: [],
  comparisons: [],
  joins: [],
  aggregations: [],
  alternatives: [],
};

const sel = (metric: string | null, extra: Partial<PromQuery["selectors"][number]> = {}): PromQuery["selectors"][number] => ({
  metric,
  matchers: [],
  rangeSeconds: null,
  function: null,
  aggregatedInside: false,
  ...extra,
});

describe("analyzePromQL: whole results of small expressions", () => {
  it("a thresholded rate", () => {
    expect(analyzePromQL('rate(http_requests_total{job="api", code=~"5.."}[5m]) > 0.1')).toEqual({
      ...NONE,
      metrics: ["http_requests_total"],
      functions: ["rate"],
      selectors: [
        sel("http_requests_total", {
          matchers: [
            { label: "job", op: "=", value: "api" },
            { label: "code", op: "=~", value: "5.." },
          ],
          rangeSeconds: 300,
          function: "rate",
        }),
      ],
      ranges: [300],
      comparisons: [{ op: ">", bool: false, threshold: 0.1 }],
      alternatives: [
        [{ metrics: ["http_requests_total"], recorded: [], windowSeconds: 300, comparison: { op: ">", bool: false, threshold: 0.1 } }],
      ],
    });
  });

  it("a selector by __name__", () => {
    expect(analyzePromQL('{__name__="foo"}')).toEqual({
      ...NONE,
      metrics: ["foo"],
      selectors: [sel("foo", { matchers: [{ label: "__name__", op: "=", value: "foo" }] })],
      alternatives: [[{ metrics: ["foo"], recorded: [], windowSeconds: null, comparison: null }]],
    });
  });

  it("a subquery with a step", () => {
    expect(analyzePromQL("max_over_time(x[1h:5m])")).toEqual({
      ...NONE,
      metrics: ["x"],
      functions: ["max_over_time"],
      selectors: [sel("x", { function: "max_over_time" })],
      ranges: [3600],
      subqueries: [{ rangeSeconds: 3600, stepSeconds: 300 }],
      alternatives: [[{ metrics: ["x"], recorded: [], windowSeconds: 3600, comparison: null }]],
    });
  });

  it("rate over an aggregated subquery (ALR-010's rate(sum(…)))", () => {
    expect(analyzePromQL("rate(sum(x_total)[5m:])")).toEqual({
      ...NONE,
      metrics: ["x_total"],
      functions: ["rate"],
      selectors: [sel("x_total", { function: "rate", aggregatedInside: true })],
      ranges: [300],
      subqueries: [{ rangeSeconds: 300, stepSeconds: null }],
      aggregations: [{ op: "sum", by: [], without: [] }],
      alternatives: [[{ metrics: ["x_total"], recorded: [], windowSeconds: 300, comparison: null }]],
    });
  });

  it("absent()", () => {
    expect(analyzePromQL('absent(up{job="x"})')).toEqual({
      ...NONE,
      metrics: ["up"],
      functions: ["absent"],
      selectors: [sel("up", { matchers: [{ label: "job", op: "=", value: "x" }], function: "absent" })],
      alternatives: [[{ metrics: ["up"], recorded: [], windowSeconds: null, comparison: null }]],
    });
  });

  it("a comparison of two selectors has no threshold", () => {
    expect(analyzePromQL("a > on(job) group_left b")).toEqual({
      ...NONE,
      metrics: ["a", "b"],
      selectors: [sel("a"), sel("b")],
      comparisons: [{ op: ">", bool: false, threshold: null }],
      alternatives: [[{ metrics: ["a", "b"], recorded: [], windowSeconds: null, comparison: { op: ">", bool: false, threshold: null } }]],
    });
  });

  it("a bare number", () => {
    expect(analyzePromQL("1")).toEqual({
      ...NONE,
      alternatives: [[{ metrics: [], recorded: [], windowSeconds: null, comparison: null }]],
    });
  });
});

describe("analyzePromQL: metrics and selectors", () => {
  it("sorts and dedupes metrics, keeps every selector in order", () => {
    const q = analyzePromQL("b_total + a_total + b_total");
    expect(q.metrics).toEqual(["a_total", "b_total"]);
    expect(q.selectors.map((s) => s.metric)).toEqual(["b_total", "a_total", "b_total"]);
  });

  it("reads UTF-8 quoted metric names and quoted label names", () => {
    const q = analyzePromQL('{"my.metric", "service.name"="api"}');
    expect(q.metrics).toEqual(["my.metric"]);
    expect(q.selectors).toEqual([sel("my.metric", { matchers: [{ label: "service.name", op: "=", value: "api" }] })]);
  });

  it("a selector without a name has metric null", () => {
    const q = analyzePromQL('{job="api"}');
    expect(q.metrics).toEqual([]);
    expect(q.selectors).toEqual([sel(null, { matchers: [{ label: "job", op: "=", value: "api" }] })]);
  });

  it("reads every match operator and unquotes values", () => {
    const q = analyzePromQL("x{a=\"1\", b!=\"2\", c=~'3.*', d!~`4\\d`, e=\"q\\\"u\\\\o\\ttab\"}");
    expect(q.selectors[0]!.matchers).toEqual([
      { label: "a", op: "=", value: "1" },
      { label: "b", op: "!=", value: "2" },
      { label: "c", op: "=~", value: "3.*" },
      { label: "d", op: "!~", value: "4\\d" },
      { label: "e", op: "=", value: 'q"u\\o\ttab' },
    ]);
  });

  it("the name written before braces wins over a __name__ matcher", () => {
    expect(analyzePromQL('foo{__name__="bar"}').metrics).toEqual(["foo"]);
    expect(analyzePromQL('{__name__=~"ba.*"}').metrics).toEqual([]);
  });

  it("names the innermost function that reads a selector, through parens, offsets and subqueries", () => {
    const q = analyzePromQL(
      "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) + abs(sum(y_total)) + rate((z_total[5m] offset 1h)) + sum(w_total) + clamp_min(v, 0)",
    );
    expect(q.selectors).toEqual([
      sel("x_bucket", { rangeSeconds: 300, function: "rate" }),
      sel("y_total", { function: "abs", aggregatedInside: true }),
      sel("z_total", { rangeSeconds: 300, function: "rate" }),
      sel("w_total"),
      sel("v", { function: "clamp_min" }),
    ]);
    expect(q.functions).toEqual(["abs", "clamp_min", "histogram_quantile", "rate"]);
  });

  it("a range belongs to its selector only, not to selectors further out", () => {
    const q = analyzePromQL("increase(x_total[1h] @ end())");
    expect(q.selectors).toEqual([sel("x_total", { rangeSeconds: 3600, function: "increase" })]);
  });
});

describe("analyzePromQL: ranges and subqueries", () => {
  it.each([
    ["x[5m]", [300]],
    ["x[1h30m]", [5400]],
    ["x[90s]", [90]],
    ["x[90]", [90]],
    ["x[1.5]", [1.5]],
    ["x[1d]", [86400]],
    ["x[2w]", [1209600]],
    ["x[1y]", [31536000]],
    ["x[500ms]", [0.5]],
    ["x[5m + 1m]", [360]],
    ["x[(5m) * 2]", [600]],
    ["x[min_of(5m, 1h)]", [300]],
    ["x[max_of(5m, 1h)]", [3600]],
    ["x[step()]", []],
    ["rate(x[5m]) / rate(y[1h])", [300, 3600]],
    ["avg_over_time(rate(x[5m])[1d:1h])", [86400, 300]],
  ])("%s → %j", (expr, ranges) => {
    expect(analyzePromQL(expr).ranges).toEqual(ranges);
  });

  it("records subqueries with their step, null when omitted", () => {
    expect(analyzePromQL("max_over_time(x[30m:1m]) + min_over_time(deriv(y[5m])[1h:])").subqueries).toEqual([
      { rangeSeconds: 1800, stepSeconds: 60 },
      { rangeSeconds: 3600, stepSeconds: null },
    ]);
  });
});

describe("analyzePromQL: comparisons", () => {
  it.each([
    ["x > 3", { op: ">", bool: false, threshold: 3 }],
    ["x > bool 3", { op: ">", bool: true, threshold: 3 }],
    ["x == -1", { op: "==", bool: false, threshold: -1 }],
    ["x != 2 ^ 3 % 5", { op: "!=", bool: false, threshold: 3 }],
    ["x >= 14.4 * (1 - 0.999)", { op: ">=", bool: false, threshold: 14.4 * (1 - 0.999) }],
    ["x < -(2 * 3)", { op: "<", bool: false, threshold: -6 }],
    ["x <= 10 / 4 + 1", { op: "<=", bool: false, threshold: 3.5 }],
    ["x > 1_000", { op: ">", bool: false, threshold: 1000 }],
    ["x > 0x10", { op: ">", bool: false, threshold: 16 }],
    ["x > 1e3", { op: ">", bool: false, threshold: 1000 }],
    ["x > Inf", { op: ">", bool: false, threshold: null }],
    ["time() - x > 5m", { op: ">", bool: false, threshold: 300 }],
    // A constant on the left is mirrored so the comparison reads `<data> op <constant>`.
    ["0.5 < x", { op: ">", bool: false, threshold: 0.5 }],
    ["1 - 0.99 >= x", { op: "<=", bool: false, threshold: 1 - 0.99 }],
    ["3 == x", { op: "==", bool: false, threshold: 3 }],
    ["2 != bool x", { op: "!=", bool: true, threshold: 2 }],
    // Not constant: a function, a selector, a comparison.
    ["x > scalar(y)", { op: ">", bool: false, threshold: null }],
    ["x > y * 2", { op: ">", bool: false, threshold: null }],
    ["x > vector(1)", { op: ">", bool: false, threshold: null }],
  ] as const)("%s", (expr, comparison) => {
    const q = analyzePromQL(expr);
    expect(q.error).toBeNull();
    expect(q.comparisons).toEqual([comparison]);
    expect(q.alternatives).toEqual([[expect.objectContaining({ comparison })]]);
  });

  it("lists every comparison, nested ones too, in order", () => {
    expect(analyzePromQL("(x > bool 1) == 0 and count(y < 5) > 2").comparisons).toEqual([
      { op: "==", bool: false, threshold: 0 },
      { op: ">", bool: true, threshold: 1 },
      { op: ">", bool: false, threshold: 2 },
      { op: "<", bool: false, threshold: 5 },
    ]);
  });

  it("arithmetic and set operators are not comparisons", () => {
    expect(analyzePromQL("x + 1 and y / 2 or z unless w").comparisons).toEqual([]);
  });
});

describe("analyzePromQL: joins and aggregations", () => {
  it("lists set operators once each, in a fixed order", () => {
    expect(analyzePromQL("a unless b or c and d and e").joins).toEqual(["and", "or", "unless"]);
    expect(analyzePromQL("a or b").joins).toEqual(["or"]);
    expect(analyzePromQL("a + b").joins).toEqual([]);
  });

  it("reads aggregations with by/without labels, in order", () => {
    const q = analyzePromQL(
      'sum by (job, instance) (rate(x_total[5m])) / ignoring(code) group_left count without (pod) (y) + topk(3, z) + SUM(w) by ("service.name") + quantile(0.9, v)',
    );
    expect(q.aggregations).toEqual([
      { op: "sum", by: ["job", "instance"], without: [] },
      { op: "count", by: [], without: ["pod"] },
      { op: "topk", by: [], without: [] },
      { op: "sum", by: ["service.name"], without: [] },
      { op: "quantile", by: [], without: [] },
    ]);
    expect(q.metrics).toEqual(["v", "w", "x_total", "y", "z"]);
  });
});

// Real burn-rate alerts as Sloth, Pyrra and people write them.
const SLOTH_PAGE =
  '(max(slo:sli_error:ratio_rate5m{sloth_id="x"} > (14.4 * 0.0009999999999998899)) without (sloth_window) and max(slo:sli_error:ratio_rate1h{sloth_id="x"} > (14.4 * 0.0009999999999998899)) without (sloth_window))';
const SLOTH_PAGE_AS_GENERATED = `(
    max(slo:sli_error:ratio_rate5m{sloth_id="svc-slo", sloth_service="svc", sloth_slo="slo"} > (14.4 * 0.0009999999999999432)) without (sloth_window)
    and
    max(slo:sli_error:ratio_rate1h{sloth_id="svc-slo", sloth_service="svc", sloth_slo="slo"} > (14.4 * 0.0009999999999999432)) without (sloth_window)
)
or
(
    max(slo:sli_error:ratio_rate30m{sloth_id="svc-slo", sloth_service="svc", sloth_slo="slo"} > (6 * 0.0009999999999999432)) without (sloth_window)
    and
    max(slo:sli_error:ratio_rate6h{sloth_id="svc-slo", sloth_service="svc", sloth_slo="slo"} > (6 * 0.0009999999999999432)) without (sloth_window)
)
`;
const PYRRA = 'http_requests:burnrate5m{job="x"} > (14 * (1-0.99)) and http_requests:burnrate1h{job="x"} > (14 * (1-0.99))';
const HAND_WRITTEN =
  "sum(rate(errors_total[1h])) / sum(rate(requests_total[1h])) > 14.4 * 0.001 and sum(rate(errors_total[5m])) / sum(rate(requests_total[5m])) > 14.4 * 0.001";

/**
 * A lookup over recording rules. It returns each rule's own analysis, made without a lookup: the
 * resolver follows recorded names itself, which keeps cycles finite.
 */
function recordingRules(rules: Record<string, string>): (name: string) => PromQuery | undefined {
  const cache = new Map<string, PromQuery>();
  return (name) => {
    const expr = rules[name];
    if (expr === undefined) return undefined;
    if (!cache.has(name)) cache.set(name, analyzePromQL(expr));
    return cache.get(name);
  };
}

const SLOTH_RECORDS = recordingRules({
  "slo:sli_error:ratio_rate5m":
    "sum(rate(http_errors_total[5m]))/sum(rate(http_requests_total[5m]))",
  "slo:sli_error:ratio_rate1h":
    "sum(rate(http_errors_total[1h]))/sum(rate(http_requests_total[1h]))",
  "slo:sli_error:ratio_rate30m":
    "sum(rate(http_errors_total[30m]))/sum(rate(http_requests_total[30m]))",
  "slo:sli_error:ratio_rate6h":
    "sum(rate(http_errors_total[6h]))/sum(rate(http_requests_total[6h]))",
  // Sloth's 30-day ratio reads the 5-minute ratio: resolved transitively.
  "slo:sli_error:ratio_rate30d":
    'sum_over_time(slo:sli_error:ratio_rate5m{sloth_id="x"}[30d]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m{sloth_id="x"}[30d])',
});

describe("analyzePromQL: burn-rate conditions", () => {
  it("Sloth's page tier: two conditions over 5m and 1h at 14.4 × (1 − 0.999)", () => {
    const q = analyzePromQL(SLOTH_PAGE);
    expect(q.error).toBeNull();
    expect(q.alternatives.map((a) => a.length)).toEqual([2]);
    expect(q.alternatives.map((a) => a.map((c) => c.metrics))).toEqual([[["slo:sli_error:ratio_rate5m"], ["slo:sli_error:ratio_rate1h"]]]);
    // Without recording rules the windows are unknown: Sloth's ratios read no range themselves.
    expect(q.alternatives.map((a) => a.map((c) => c.windowSeconds))).toEqual([[null, null]]);
    for (const c of q.alternatives[0]!) {
      expect(c.comparison?.op).toBe(">");
      expect(c.comparison?.threshold).toBeCloseTo(0.0144, 10);
    }
    expect(q.aggregations).toEqual([
      { op: "max", by: [], without: ["sloth_window"] },
      { op: "max", by: [], without: ["sloth_window"] },
    ]);
  });

  it("Sloth's page tier through its recording rules: windows 300/3600, metrics resolved", () => {
    const q = analyzePromQL(SLOTH_PAGE, SLOTH_RECORDS);
    expect(q.alternatives).toEqual([
      [
        {
          metrics: ["http_errors_total", "http_requests_total"],
          recorded: ["slo:sli_error:ratio_rate5m"],
          windowSeconds: 300,
          comparison: { op: ">", bool: false, threshold: expect.closeTo(0.0144, 10) },
        },
        {
          metrics: ["http_errors_total", "http_requests_total"],
          recorded: ["slo:sli_error:ratio_rate1h"],
          windowSeconds: 3600,
          comparison: { op: ">", bool: false, threshold: expect.closeTo(0.0144, 10) },
        },
      ],
    ]);
    // `metrics` stays what the expression reads directly.
    expect(q.metrics).toEqual(["slo:sli_error:ratio_rate1h", "slo:sli_error:ratio_rate5m"]);
  });

  it("Sloth as generated ORs two pairs: two alternatives of two conditions", () => {
    const q = analyzePromQL(SLOTH_PAGE_AS_GENERATED, SLOTH_RECORDS);
    expect(q.error).toBeNull();
    expect(q.joins).toEqual(["and", "or"]);
    const alternatives = q.alternatives;
    expect(alternatives.map((a) => a.length)).toEqual([2, 2]);
    expect(alternatives.map((a) => a.map((c) => c.windowSeconds))).toEqual([[300, 3600], [1800, 21600]]);
    expect(alternatives.map((a) => a.map((c) => c.comparison?.threshold))).toEqual([
      [expect.closeTo(0.0144, 10), expect.closeTo(0.0144, 10)],
      [expect.closeTo(0.006, 10), expect.closeTo(0.006, 10)],
    ]);
  });

  it("resolves recording rules transitively (Sloth's 30-day ratio reads the 5-minute one)", () => {
    const q = analyzePromQL('slo:sli_error:ratio_rate30d{sloth_id="x"} > 0.001', SLOTH_RECORDS);
    expect(q.alternatives).toEqual([
      [
        {
          metrics: ["http_errors_total", "http_requests_total"],
          recorded: ["slo:sli_error:ratio_rate30d"],
          windowSeconds: 30 * 86400,
          comparison: { op: ">", bool: false, threshold: 0.001 },
        },
      ],
    ]);
  });

  it("Pyrra: two conditions at 14 × (1 − 0.99)", () => {
    const plain = analyzePromQL(PYRRA);
    expect(plain.alternatives.map((a) => a.map((c) => c.metrics))).toEqual([[["http_requests:burnrate5m"], ["http_requests:burnrate1h"]]]);
    expect(plain.alternatives.map((a) => a.map((c) => c.comparison?.threshold))).toEqual([[expect.closeTo(0.14, 10), expect.closeTo(0.14, 10)]]);

    const records = recordingRules({
      "http_requests:burnrate5m":
        'sum(rate(http_requests_total{job="x",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="x"}[5m]))',
      "http_requests:burnrate1h":
        'sum(rate(http_requests_total{job="x",code=~"5.."}[1h])) / sum(rate(http_requests_total{job="x"}[1h]))',
    });
    const q = analyzePromQL(PYRRA, records);
    expect(q.alternatives.map((a) => a.map((c) => [c.metrics, c.recorded, c.windowSeconds]))).toEqual([
      [
        [["http_requests_total"], ["http_requests:burnrate5m"], 300],
        [["http_requests_total"], ["http_requests:burnrate1h"], 3600],
      ],
    ]);
  });

  it("hand-written: two conditions over 1h and 5m", () => {
    const q = analyzePromQL(HAND_WRITTEN);
    expect(q.alternatives).toEqual([
      [
        {
          metrics: ["errors_total", "requests_total"],
          recorded: [],
          windowSeconds: 3600,
          comparison: { op: ">", bool: false, threshold: expect.closeTo(0.0144, 10) },
        },
        {
          metrics: ["errors_total", "requests_total"],
          recorded: [],
          windowSeconds: 300,
          comparison: { op: ">", bool: false, threshold: expect.closeTo(0.0144, 10) },
        },
      ],
    ]);
    expect(q.selectors.every((s) => s.function === "rate" && !s.aggregatedInside)).toBe(true);
  });

  it("flattens a longer and-chain through parentheses", () => {
    const q = analyzePromQL("(a > 1 and (b > 2)) and on(job) c > 3");
    expect(q.alternatives.map((a) => a.map((c) => [c.metrics, c.comparison?.threshold]))).toEqual([
      [
        [["a"], 1],
        [["b"], 2],
        [["c"], 3],
      ],
    ]);
  });

  it("an `and` inside an aggregation is not the top-level chain; under a top-level `or`, each branch has its own", () => {
    expect(analyzePromQL("max(a > 1 and b > 2)").alternatives.map((a) => a.length)).toEqual([1]);
    expect(analyzePromQL("a > 1 and b > 2 or c > 3").alternatives).toEqual([
      [
        { metrics: ["a"], recorded: [], windowSeconds: null, comparison: { op: ">", bool: false, threshold: 1 } },
        { metrics: ["b"], recorded: [], windowSeconds: null, comparison: { op: ">", bool: false, threshold: 2 } },
      ],
      [{ metrics: ["c"], recorded: [], windowSeconds: null, comparison: { op: ">", bool: false, threshold: 3 } }],
    ]);
  });

  it("the condition's comparison looks through wrapping aggregations and parens only", () => {
    expect(analyzePromQL("(max by (job) ((x > 3)))").alternatives[0]![0]!.comparison).toEqual({ op: ">", bool: false, threshold: 3 });
    expect(analyzePromQL("abs(x > 3)").alternatives[0]![0]!.comparison).toBeNull();
    expect(analyzePromQL("topk(1, x > 3)").alternatives[0]![0]!.comparison).toEqual({ op: ">", bool: false, threshold: 3 });
  });
});

describe("analyzePromQL: recording-rule resolution", () => {
  it("a recorded name is replaced by what its expression reads", () => {
    const records = recordingRules({
      "slo:sli_error:ratio_rate5m": "sum(rate(http_errors_total[5m]))/sum(rate(http_requests_total[5m]))",
    });
    expect(analyzePromQL("slo:sli_error:ratio_rate5m > 0.1 and up == 1", records).alternatives).toEqual([
      [
        {
          metrics: ["http_errors_total", "http_requests_total"],
          recorded: ["slo:sli_error:ratio_rate5m"],
          windowSeconds: 300,
          comparison: { op: ">", bool: false, threshold: 0.1 },
        },
        { metrics: ["up"], recorded: [], windowSeconds: null, comparison: { op: "==", bool: false, threshold: 1 } },
      ],
    ]);
  });

  it("the longest window wins, between the branch's own ranges and its recorded ones", () => {
    const records = recordingRules({ "job:x:rate1h": "rate(x_total[1h])" });
    expect(analyzePromQL("job:x:rate1h / rate(y_total[5m]) > 1", records).alternatives[0]![0]!.windowSeconds).toBe(3600);
    expect(analyzePromQL("job:x:rate1h / rate(y_total[1d]) > 1", records).alternatives[0]![0]!.windowSeconds).toBe(86400);
  });

  it("stays finite on cycles, keeping the name that cannot be resolved", () => {
    const records = recordingRules({ "a:rec": "b:rec + x", "b:rec": "a:rec + y[5m]", "self:rec": "self:rec" });
    expect(analyzePromQL("a:rec > 1", records).alternatives[0]![0]).toEqual({
      metrics: ["a:rec", "x", "y"],
      recorded: ["a:rec"],
      windowSeconds: 300,
      comparison: { op: ">", bool: false, threshold: 1 },
    });
    expect(analyzePromQL("self:rec", records).alternatives[0]![0]!.metrics).toEqual(["self:rec"]);
  });

  it("survives a lookup that throws or returns garbage", () => {
    const q = analyzePromQL("x > 1 and y > 2", (name) => {
      if (name === "x") throw new Error("boom");
      return { nonsense: true } as unknown as PromQuery;
    });
    expect(q.alternatives.map((a) => a.map((c) => [c.metrics, c.recorded]))).toEqual([
      [
        [["x"], []],
        [["y"], []],
      ],
    ]);
  });

  it("handles wide recording-rule DAGs without blowing up", () => {
    const rules: Record<string, string> = { "l0:0": "base_total" };
    for (let level = 1; level <= 30; level++) rules[`l${level}:0`] = `l${level - 1}:0 + l${level - 1}:0 * l${level - 1}:0`;
    const started = Date.now();
    expect(analyzePromQL("l30:0 > 1", recordingRules(rules)).alternatives[0]![0]!.metrics).toEqual(["base_total"]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("analyzePromQL: errors", () => {
  const malformed = (literal: string) => `malformed string ${literal} (an unknown or incomplete escape sequence, or no closing quote)`;

  it.each([
    ["sum(", "unexpected end of expression", 5],
    ["foo ==", "unexpected end of expression", 7],
    ["up > 1 and\n", "unexpected end of expression", 11],
    ["x[5m", "unexpected end of expression", 5],
    ["sum(x y)", 'syntax error near "y"', 7],
    [")", 'syntax error near ")"', 1],
    ["rate(foo[5x])", 'syntax error near "x"', 11],
    ["rate(x[5m]) > > 1", 'syntax error near ">"', 15],
    ["1 +* 2", 'syntax error near "*"', 4],
    ['x{a="b" c="d"}', 'syntax error near "c="d"}"', 9],
    ["bad_fn(x)", 'unknown function "bad_fn"', 1],
    ["up + Rate(x[5m])", 'unknown function "Rate"', 6],
    ["", "empty expression", 1],
    ["   ", "empty expression", 1],
    // Strings Lezer reads and Prometheus's lexer refuses.
    ['x{a="\\d+"}', malformed('"\\d+"'), 5],
    ["x{a='\\x4'}", malformed("'\\x4'"), 5],
    ['x{a="\\1"}', malformed('"\\1"'), 5],
    ['x{a="\\U00110000"}', malformed('"\\U00110000"'), 5],
    ['sum by ("a\\q") (x)', malformed('"a\\q"'), 9],
    ['label_replace(x, "a", "\\q", "b", "c")', malformed('"\\q"'), 23],
    ['"unterminated', malformed('"unterminated'), 1],
  ])("%j → %s at column %i", (expr, message, column) => {
    expect(analyzePromQL(expr).error).toEqual({ message, column });
  });

  it("keeps a malformed string's text as written, and reports a syntax error before it", () => {
    const q = analyzePromQL('x{a="\\d+", b="ok"}');
    expect(q.selectors[0]!.matchers).toEqual([
      { label: "a", op: "=", value: '"\\d+"' },
      { label: "b", op: "=", value: "ok" },
    ]);
    expect(analyzePromQL('x{a="\\d+"} +').error).toEqual({ message: "unexpected end of expression", column: 13 });
  });

  it("decodes every escape it accepts, and reads a backquoted string raw", () => {
    const q = analyzePromQL(String.raw`x{a="\a\b\f\n\r\t\v\\\"\'", b='\x41\101\u00e9\U0001F600', c=` + "`\\q`}");
    expect(q.error).toBeNull();
    expect(q.selectors[0]!.matchers.map((m) => m.value)).toEqual(["\x07\b\f\n\r\t\v\\\"'", "AA\u00e9\u{1F600}", "\\q"]);
  });

  it("fills what it can around an error", () => {
    const q = analyzePromQL("sum(rate(x_total[5m])) > 0.1 and");
    expect(q.error).toEqual({ message: "unexpected end of expression", column: 33 });
    expect(q.metrics).toEqual(["x_total"]);
    expect(q.functions).toEqual(["rate"]);
    expect(q.ranges).toEqual([300]);
    expect(q.comparisons).toEqual([{ op: ">", bool: false, threshold: 0.1 }]);
    expect(q.joins).toEqual(["and"]);
  });

  it("refuses absurd nesting with an error instead of overflowing the stack", () => {
    const deep = `${"(".repeat(5000)}x${")".repeat(5000)}`;
    expect(analyzePromQL(deep).error).toEqual({ message: "expression nested deeper than 400 levels", column: 1 });
    const fine = `${"(".repeat(100)}x > 1${")".repeat(100)}`;
    expect(analyzePromQL(fine).alternatives[0]![0]!.comparison?.threshold).toBe(1);
  });
});


const TOKENS = [
  "sum", "rate", "max", "by", "without", "on", "ignoring", "group_left", "bool", "offset", "and", "or", "unless",
  "(", ")", "[", "]", "{", "}", ",", ":", "@", "=", "!=", "=~", "!~", "==", ">", "<", ">=", "<=", "+", "-", "*",
  "/", "%", "^", "5m", "1h30m", "90", "0.5", "-1", "0x1f", "inf", "NaN", "x_total", "slo:ratio", "__name__",
  '"a"', "'b'", "`c`", '"unterminated', "job", "histogram_quantile", "absent", "start()", "step()", "min_of",
  "#comment\n", "\n", "é", "\u0000", "\\",
];

describe("analyzePromQL: fuzz", () => {
  it("never throws on 2,000 random token strings", () => {
    const random = prng(20_250_101);
    for (let i = 0; i < 2000; i++) {
      const length = 1 + Math.floor(random() * 14);
      const parts: string[] = [];
      for (let j = 0; j < length; j++) {
        parts.push(TOKENS[Math.floor(random() * TOKENS.length)]!);
        if (random() < 0.5) parts.push(" ");
      }
      const expr = parts.join("");
      let q: PromQuery | undefined;
      expect(() => {
        q = analyzePromQL(expr, (name) => (name === "slo:ratio" ? analyzePromQL("rate(x_total[5m])") : undefined));
      }, expr).not.toThrow();
      expect(Object.keys(q!).sort(), expr).toEqual(Object.keys(NONE).sort());
      if (q!.error) {
        expect(q!.error.column, expr).toBeGreaterThanOrEqual(1);
        expect(q!.error.column, expr).toBeLessThanOrEqual(expr.length + 1);
        expect(typeof q!.error.message).toBe("string");
      }
      expect(q!.alternatives.length, expr).toBeGreaterThanOrEqual(1);
      for (const alternative of q!.alternatives) expect(alternative.length, expr).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(JSON.stringify(q)), expr).toBeTruthy();
    }
  });

  it("never throws on random characters", () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const expr = Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 128))).join("");
      expect(() => analyzePromQL(expr), JSON.stringify(expr)).not.toThrow();
    }
  });
});

describe("analyzePromQL: constants JSON cannot carry", () => {
  it.each(["up > Inf", "up > 1/0", "up > NaN", "Inf < up"])("%s keeps the comparison without a threshold", (expr) => {
    const query = analyzePromQL(expr);
    expect(query.comparisons).toHaveLength(1);
    expect(query.comparisons[0]!.threshold).toBeNull();
  });
});
