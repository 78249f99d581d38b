// The fleet index reaches policies once per run as `data.fleet`, each list an object from name to
// true (`data.fleet.series["x_total"] == true`), not as a field of every ModelInput. fleetData()
// builds that form; ALR-013, the rule that reads it, still works through the real pipeline.
import { describe, expect, it } from "vitest";
import { fleetData, type FleetIndex } from "../../src/model/index.js";
import { packageRoot } from "../../src/package-root.js";
import { loadPolicySets, readInputs, runCheck } from "../../src/pipeline.js";
import { evaluateModels } from "../../src/policy/index.js";

const root = packageRoot();

describe("fleetData", () => {
  it("turns each list of the fleet index into an object from name to true, under `fleet`", () => {
    const fleet: FleetIndex = {
      models: ["churn-predictor", "fraud-detector"],
      metrics: ["fraud_inference_latency_seconds", "fraud_inference_requests_total"],
      series: [
        "fraud_inference_latency_seconds",
        "fraud_inference_latency_seconds_bucket",
        "fraud_inference_latency_seconds_count",
        "fraud_inference_latency_seconds_sum",
        "fraud_inference_requests_total",
      ],
      recorded: ["slo:sli_error:ratio_rate5m"],
    };
    expect(fleetData(fleet)).toEqual({
      fleet: {
        models: { "churn-predictor": true, "fraud-detector": true },
        metrics: { fraud_inference_latency_seconds: true, fraud_inference_requests_total: true },
        series: {
          fraud_inference_latency_seconds: true,
          fraud_inference_latency_seconds_bucket: true,
          fraud_inference_latency_seconds_count: true,
          fraud_inference_latency_seconds_sum: true,
          fraud_inference_requests_total: true,
        },
        recorded: { "slo:sli_error:ratio_rate5m": true },
      },
    });
  });

  it("gives every list, empty ones as empty objects, and leaves the index it was given as it was", () => {
    const fleet: FleetIndex = { models: [], metrics: [], series: ["up"], recorded: [] };
    const copy = structuredClone(fleet);
    expect(fleetData(fleet)).toEqual({ fleet: { models: {}, metrics: {}, series: { up: true }, recorded: {} } });
    expect(fleet).toEqual(copy);
  });

  it("keeps names that are not identifiers as keys, as Rego reads them (`data.fleet.recorded[name]`)", () => {
    const { fleet } = fleetData({ models: ["a.b/c"], metrics: [], series: [], recorded: ["job:requests:rate5m"] });
    expect(Object.keys(fleet.models)).toEqual(["a.b/c"]);
    expect(fleet.recorded["job:requests:rate5m"]).toBe(true);
    // A JSON round trip (what reaches the Wasm policy) keeps the form.
    expect(JSON.parse(JSON.stringify(fleet))).toEqual(fleet);
  });
});

describe("ALR-013 over examples/fleet, through the real pipeline (data.fleet)", () => {
  const UNKNOWN = "churn_prediction_errors_total";
  const DECLARED_BUCKET = "fraud_inference_latency_seconds_bucket";

  it(`reports ${UNKNOWN} as unknown and accepts a declared histogram's _bucket`, async () => {
    const { report, inputs: checked } = await runCheck({ paths: ["examples/fleet"], cwd: root });
    const inputs = await readInputs({ paths: ["examples/fleet"], cwd: root });
    expect(checked.fleet).toEqual(inputs.fleet);
    // No input carries the index: the run's one index is what the policies see.
    expect(inputs.models.filter((m) => Object.hasOwn(m.input, "fleet"))).toEqual([]);
    expect(inputs.fleet.series).toContain(DECLARED_BUCKET);
    expect(inputs.fleet.series).not.toContain(UNKNOWN);

    const alr013 = report.findings.filter((f) => f.rule === "ALR-013");
    const unknown = alr013.filter((f) => f.message.includes(` reads ${UNKNOWN}, `));
    expect(unknown.map((f) => ({ model: f.model, file: f.file, line: f.line, message: f.message }))).toEqual([
      {
        model: "churn-predictor",
        file: "examples/fleet/churn-predictor/alerts/churn-predictor.rules.yaml",
        line: 22,
        message: `alert ChurnPredictionErrors reads ${UNKNOWN}, which no manifest declares, no recording rule produces and neither Prometheus nor a known serving framework emits`,
      },
    ]);

    // fraud-detector's recording rules read its declared histogram's _bucket series: no finding.
    const readers = inputs.models.filter((m) => m.input.rules.some((r) => r.query?.metrics.includes(DECLARED_BUCKET)));
    expect(readers.map((m) => m.input.model?.name)).toContain("fraud-detector");
    expect(alr013.filter((f) => f.message.includes(DECLARED_BUCKET))).toEqual([]);
  });

  it("finds the declared _bucket only in data.fleet: evaluated without the index, it is reported", async () => {
    // The same inputs and the real built-in policy, but an empty fleet index: what made the _bucket
    // known above was data.fleet, not something left in the inputs.
    const inputs = await readInputs({ paths: ["examples/fleet"], cwd: root });
    const { sets } = await loadPolicySets([], root, inputs.repoRoot);
    const withIndex = evaluateModels(sets, inputs.models, inputs.documents, inputs.problems, inputs.fleet);
    const withoutIndex = evaluateModels(sets, inputs.models, inputs.documents, inputs.problems);
    const bucketFindings = (findings: typeof withIndex.findings) =>
      findings.filter((f) => f.rule === "ALR-013" && f.message.includes(` reads ${DECLARED_BUCKET}, `));
    expect(bucketFindings(withIndex.findings)).toEqual([]);
    expect(bucketFindings(withoutIndex.findings).length).toBeGreaterThan(0);
    expect(bucketFindings(withoutIndex.findings).every((f) => f.model === "fraud-detector")).toBe(true);
  });
});
