// The fleet-wide rule index: recording rules resolve by name AND by the labels an alert's selector
// matches, because Sloth gives every SLO's recording rules the same names (`slo:sli_error:ratio_rate5m`)
// and tells them apart only by `sloth_id`.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, parseYamlDocuments, type LoadedDocument } from "../../src/load/index.js";
import { indexRules } from "../../src/model/rule-index.js";

function ruleFile(file: string, text: string): LoadedDocument {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(parsed.failure.message);
  const doc = parsed.documents[0]!;
  return { file, index: 0, value: doc.value, sourceMap: doc.sourceMap, kind: "prometheus-rules", start: doc.start, absolute: `/repo/${file}`, multiDocument: false };
}

const recording = (id: string, window: string, errors: string, total: string) => `
      - record: slo:sli_error:ratio_rate${window}
        expr: sum(rate(${errors}[${window}])) / sum(rate(${total}[${window}]))
        labels: { sloth_id: ${id}, sloth_window: ${window} }`;

const SLOTH = `groups:
  - name: sloth-slo-sli-recordings
    rules:${recording("svc-availability", "5m", "http_errors_total", "http_requests_total")}${recording("svc-availability", "1h", "http_errors_total", "http_requests_total")}${recording("svc-latency", "5m", "http_slow_total", "http_served_total")}${recording("svc-latency", "1h", "http_slow_total", "http_served_total")}
  - name: sloth-slo-alerts
    rules:
      - alert: LatencyBudgetBurn
        expr: (slo:sli_error:ratio_rate5m{sloth_id="svc-latency"} > (14.4 * 0.05)) and (slo:sli_error:ratio_rate1h{sloth_id="svc-latency"} > (14.4 * 0.05))
      - alert: AnyBudgetBurn
        expr: slo:sli_error:ratio_rate5m > 0.5
`;

describe("indexRules", () => {
  const index = indexRules([ruleFile("alerts/sloth.yaml", SLOTH)]);
  const alert = (name: string) => index.rules.find((r) => r.rule.alert === name)!.rule.query!;

  it("resolves a recorded name only to the recording rules whose labels the selector matches", () => {
    expect(alert("LatencyBudgetBurn").alternatives).toEqual([
      [
        { metrics: ["http_served_total", "http_slow_total"], recorded: ["slo:sli_error:ratio_rate5m"], windowSeconds: 300, comparison: { op: ">", bool: false, threshold: expect.closeTo(0.72, 12) } },
        { metrics: ["http_served_total", "http_slow_total"], recorded: ["slo:sli_error:ratio_rate1h"], windowSeconds: 3600, comparison: { op: ">", bool: false, threshold: expect.closeTo(0.72, 12) } },
      ],
    ]);
  });

  it("resolves a selector without matchers to every rule that records the name", () => {
    expect(alert("AnyBudgetBurn").alternatives[0]![0]!.metrics).toEqual([
      "http_errors_total", "http_requests_total", "http_served_total", "http_slow_total",
    ]);
  });

  it("matches the recording rules' labels as Prometheus does: anchored, with RE2's (?i); an unreadable regex rules nothing out", () => {
    const resolved = (selector: string) => {
      const file = SLOTH.replace("slo:sli_error:ratio_rate5m > 0.5", `slo:sli_error:ratio_rate5m{${selector}} > 0.5`);
      const query = indexRules([ruleFile("alerts/sloth.yaml", file)]).rules.find((r) => r.rule.alert === "AnyBudgetBurn")!.rule.query!;
      return query.alternatives[0]![0]!.metrics;
    };
    expect(resolved('sloth_id=~"(?i)SVC-LATENCY"')).toEqual(["http_served_total", "http_slow_total"]);
    expect(resolved('sloth_id=~"svc"')).toEqual(["slo:sli_error:ratio_rate5m"]);
    expect(resolved('sloth_id!~"svc-lat.*"')).toEqual(["http_errors_total", "http_requests_total"]);
    expect(resolved('sloth_id=~"(?U)svc-latency"')).toEqual(["http_errors_total", "http_requests_total", "http_served_total", "http_slow_total"]);
    expect(resolved('team="risk"')).toEqual(["http_errors_total", "http_requests_total", "http_served_total", "http_slow_total"]);
  });

  it("lists each recorded name once in the fleet index", () => {
    expect(index.recorded).toEqual(["slo:sli_error:ratio_rate1h", "slo:sli_error:ratio_rate5m"]);
  });

  it("keeps, for every rule, where the labels it inherits from its group are set, also when its query is resolved", () => {
    const grouped = indexRules([
      ruleFile(
        "alerts/grouped.yaml",
        `groups:
  - name: recordings
    labels: { team: risk }
    rules:
      - record: job:errors:ratio_rate5m
        expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))
  - name: alerts
    labels: { severity: page, team: risk }
    rules:
      - alert: ErrorsHigh
        expr: job:errors:ratio_rate5m > 0.01
        labels: { severity: critical }
`,
      ),
    ]);
    expect(grouped.rules.map((r) => [r.rule.record ?? r.rule.alert, r.pointer, r.labelPointers])).toEqual([
      ["job:errors:ratio_rate5m", "/groups/0/rules/0", { team: "/groups/0/labels/team" }],
      // Its own severity wins: only team is inherited.
      ["ErrorsHigh", "/groups/1/rules/0", { team: "/groups/1/labels/team" }],
    ]);
    expect(grouped.rules[1]!.rule.query!.alternatives[0]![0]!.metrics).toEqual(["errors_total", "requests_total"]);
  });
});
