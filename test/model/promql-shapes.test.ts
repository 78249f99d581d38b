// The shape cache of the PromQL analysis (one parse per expression shape, literals put back) must
// give exactly what parsing each expression as written gives, however literals differ or repeat.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import { analyzePromQL, analyzePromQLAsWritten } from "../../src/model/promql.js";
import { describeWith, SHARED_DIR } from "../helpers/require.js";

const ROOT = join(import.meta.dirname, "..", "..");

function expressions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (key === "expr" && typeof v === "string") found.add(v);
        else walk(v);
      }
    }
  };
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const parsed = parseYamlDocuments(readFileSync(join(dir, file), "utf8"), DEFAULT_LIMITS);
    if ("documents" in parsed) for (const doc of parsed.documents) walk(doc.value);
  }
  return [...found];
}

/** The expression with every string literal's text changed, so it shares the shape but not the values. */
function relabelled(expr: string): string {
  return expr.replace(/"((?:[^"\\\n]|\\.)*)"/g, (_, body: string) => `"${body}_other"`);
}

function agreeOn(list: readonly string[]): void {
  for (const expr of list) {
    // Warm the cache with a sibling of the same shape first, then with the expression itself.
    analyzePromQL(relabelled(expr));
    expect(analyzePromQL(expr), expr).toStrictEqual(analyzePromQLAsWritten(expr));
    expect(analyzePromQL(relabelled(expr)), relabelled(expr)).toStrictEqual(analyzePromQLAsWritten(relabelled(expr)));
  }
}

describe("PromQL shape cache", () => {
  it("agrees with parsing as written on the repository's rule files", () => {
    const list = [...expressions(join(ROOT, "test", "fixtures")), ...expressions(join(ROOT, "examples"))];
    expect(list.length).toBeGreaterThan(100);
    agreeOn(list);
  });

  it("agrees on literals that repeat, look like indices, hold quotes or escapes, and on expressions it does not cache", () => {
    agreeOn([
      'sum(rate(x{a="1", b="0"}[5m])) / sum(rate(x{a="0"}[5m]))',
      `x{a='it\\'s', b=\`raw\\n\`, c="tab\\t"}`,
      '{"metric.with.dots", job="0"} > 1',
      'sum by ("a.b", c) (x{__name__="real_name"})',
      'label_replace(up, "dst", "$1", "src", "(.*)") == 0',
      'up{a="x"} # a comment with "quotes"\n > 0',
      'up{a="\\d"}',
      'up{a="unterminated}',
      "",
      "  ",
      'up{a="x"} > ',
      'histogram_quantile(0.99, sum by (le) (rate(h_bucket{model="m"}[5m]))) > 0.5',
    ]);
  });

  it("agrees when only the metric names differ, and on names the grammar reads as keywords or functions", () => {
    const template = (metric: string) => `(sum(rate(${metric}{model="a",code=~"5.."}[5m]))) / (sum(rate(${metric}{model="a"}[5m]))) > 0.1`;
    agreeOn(["svc_a_requests_total", "svc_b_requests_total", "job:errors:rate5m"].map(template));
    agreeOn([
      "sum{job=\"a\"}", "rate{job=\"a\"}", "start{a=\"b\"}", "on{a=\"b\"}", "Inf{a=\"b\"}", "bool{a=\"b\"} > 0",
      "obsgate_metric_0{a=\"b\"} + x{}", "a_b{c=\"d\"} offset 5m", "x:y{a=\"b\"}[5m:1m]", "foo_bar{a=\"b\"} and on(a) bar_baz{a=\"c\"}",
    ]);
  });
});

describeWith(["shared"], "PromQL shape cache on ../shared", () => {
  it("agrees with parsing as written on every expression of the corpus", () => {
    const list = expressions(join(SHARED_DIR, "corpus"));
    expect(list.length).toBeGreaterThan(500);
    agreeOn(list);
  });
});
