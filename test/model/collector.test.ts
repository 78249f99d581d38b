// collectorSettings: the tail sampling processors the collectors' traces pipelines use, whether they
// keep error traces and how long they wait, each located, and what the collector refuses to start with.
import { describe, expect, it } from "vitest";
import { collectorSettings } from "../../src/model/collector.js";
import { BACKENDS, backendFixture, fixtureLine, loadBackend, originOf } from "../helpers/backends.js";

/** A collector config whose only traces pipeline uses `tail_sampling` with the given policies. */
function withPolicies(policies: string): ReturnType<typeof loadBackend> {
  return loadBackend(
    `processors:\n  tail_sampling:\n    policies:\n${policies}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [tail_sampling]\n      exporters: [otlp]\n`,
    "otel.yaml",
  );
}

describe("collectorSettings", () => {
  it("reads the tail sampling processor of the traces pipeline, not one only a metrics pipeline could use", () => {
    const docs = backendFixture("otel-collector.yaml");
    const result = collectorSettings(docs);
    expect(result.problems).toEqual([]);
    expect(result.collector).toEqual({
      files: [`${BACKENDS}/otel-collector.yaml`],
      tracesPipelines: ["traces"],
      tailSampling: [
        {
          id: "tail_sampling",
          file: `${BACKENDS}/otel-collector.yaml`,
          pipelines: ["traces"],
          decisionWaitSeconds: 10,
          decisionWaitIsDefault: false,
          keepsErrors: true,
          policies: [
            { name: "errors", type: "status_code", statusCodes: ["ERROR"] },
            { name: "slow", type: "latency", statusCodes: [] },
            { name: "ten-percent", type: "probabilistic", statusCodes: [] },
          ],
        },
      ],
    });
    expect(originOf(result.origins, "/tailSampling/0/decisionWaitSeconds", docs).line).toBe(fixtureLine("otel-collector.yaml", "decision_wait: 10s"));
    expect(originOf(result.origins, "/tailSampling/0/keepsErrors", docs).line).toBe(fixtureLine("otel-collector.yaml", "policies:"));
    expect(originOf(result.origins, "/tailSampling/0", docs).line).toBe(fixtureLine("otel-collector.yaml", "  tail_sampling:"));
  });

  it("reads an OpenTelemetryCollector resource's spec.config, with the 30s default wait located where it would be written", () => {
    const docs = backendFixture("otel-collector-resource.yaml");
    const result = collectorSettings(docs);
    expect(result.collector?.tailSampling).toEqual([
      {
        id: "tail_sampling/slow-only",
        file: `${BACKENDS}/otel-collector-resource.yaml`,
        pipelines: ["traces/sampled"],
        decisionWaitSeconds: 30,
        decisionWaitIsDefault: true,
        keepsErrors: false,
        policies: [{ name: "slow", type: "latency", statusCodes: [] }],
      },
    ]);
    expect(originOf(result.origins, "/tailSampling/0/decisionWaitSeconds", docs)).toMatchObject({
      pointer: "/spec/config/processors/tail_sampling~1slow-only/decision_wait",
      line: fixtureLine("otel-collector-resource.yaml", "tail_sampling/slow-only:"),
    });
  });

  it.each([
    ["a status_code policy with ERROR", "      - { name: e, type: status_code, status_code: { status_codes: [ERROR, UNSET] } }", true],
    ["always_sample", "      - { name: all, type: always_sample }", true],
    ["an ottl_condition on the error status", "      - { name: e, type: ottl_condition, ottl_condition: { span: ['status.code == STATUS_CODE_ERROR'] } }", true],
    ["a status_code policy with OK only", "      - { name: ok, type: status_code, status_code: { status_codes: [OK] } }", false],
    ["ERROR only inside an `and` (it also needs the other condition)", "      - { name: a, type: and, and: { and_sub_policy: [{ name: e, type: status_code, status_code: { status_codes: [ERROR] } }, { name: p, type: probabilistic }] } }", false],
    ["a probabilistic policy", "      - { name: p, type: probabilistic, probabilistic: { sampling_percentage: 10 } }", false],
  ])("keepsErrors with %s: %s", (_, policies, keeps) => {
    expect(collectorSettings(withPolicies(policies)).collector?.tailSampling[0]?.keepsErrors).toBe(keeps);
  });

  it("reports what the collector refuses to start with at its line, and reads the rest", () => {
    const docs = backendFixture("otel-collector-bad.yaml");
    const result = collectorSettings(docs);
    const pipelineLine = fixtureLine("otel-collector-bad.yaml", "processors: [tail_samplng");
    expect(result.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [
        fixtureLine("otel-collector-bad.yaml", "decision_wait: 1d"),
        5,
        "`processors.tail_sampling.decision_wait` is `1d`, which the collector does not read as a duration; it takes a Go duration: numbers with units from h, m, s, ms, us, ns, and no d, w or y (such as 336h, 1h30m or 1.5h), or 0",
      ],
      [
        fixtureLine("otel-collector-bad.yaml", "status_codes: [error]"),
        39,
        "`processors.tail_sampling.policies[0].status_code.status_codes[0]` is `error`, not one of OK, ERROR, UNSET",
      ],
      [
        pipelineLine,
        20,
        "`tail_samplng` in service.pipelines.traces.processors is not a processor type of the OpenTelemetry Collector (core or contrib), so the collector refuses to start; did you mean `tail_sampling`?",
      ],
      [pipelineLine, 49, "service.pipelines.traces uses processor `batch/large`, which `processors:` does not configure, so the collector refuses to start"],
    ]);
    expect(result.problems.every((p) => p.rule === "INP-002")).toBe(true);
    // The processor it could read is still read, its refused values as unset.
    expect(result.collector?.tailSampling).toEqual([
      expect.objectContaining({ id: "tail_sampling", decisionWaitSeconds: 30, decisionWaitIsDefault: true, keepsErrors: false }),
    ]);
  });

  it("names no near type when none is close", () => {
    const docs = loadBackend("processors: {}\nservice:\n  pipelines:\n    traces:\n      processors: [sampler_of_doom]\n", "otel.yaml");
    expect(collectorSettings(docs).problems.map((p) => [p.line, p.message, p.remediation])).toEqual([
      [
        5,
        "`sampler_of_doom` in service.pipelines.traces.processors is not a processor type of the OpenTelemetry Collector (core or contrib), so the collector refuses to start",
        "name a processor type the collector has, such as batch, memory_limiter or tail_sampling",
      ],
    ]);
  });

  it("is null without a collector config", () => {
    expect(collectorSettings(backendFixture("tempo-3x.yaml"))).toEqual({ collector: null, origins: [], problems: [] });
  });
});
