// The ModelInput the pipeline really builds must satisfy schemas/model-input.v1.schema.json, the
// contract users' own Rego is written against: every input read from the example fleet, the rule
// fixtures, a workspace with backend configs and broken rule files, and (when present) the shared
// corpus of other projects' rule files, which yields the input without a model. The in-memory
// value is validated, not a JSON round trip, so a NaN or an undefined cannot hide behind
// JSON.stringify. A deliberately broken input shows that the check can fail.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetIndex, ModelInput } from "../../src/model/model-input.js";
import { packageRoot } from "../../src/package-root.js";
import { readInputs } from "../../src/pipeline.js";
import { describeWith } from "../helpers/require.js";

const schema = JSON.parse(readFileSync(join(packageRoot(), "schemas", "model-input.v1.schema.json"), "utf8")) as object;
const check = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** Ajv's errors, one line each, naming the input they are about. */
function violations(input: unknown, label: string): string[] {
  if (check(input)) return [];
  const errors: ErrorObject[] = check.errors ?? [];
  const lines = errors.map((e) => `${label}: ${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  // A systematic mismatch repeats on every rule of the corpus: the first ones say enough.
  return lines.length > 50 ? [...lines.slice(0, 50), `… and ${lines.length - 50} more`] : lines;
}

function labelOf(input: ModelInput): string {
  return input.model ? `${input.model.name} (${input.model.file})` : `(rule files no model owns: ${input.rules[0]?.file ?? "none"})`;
}

async function inputsOf(paths: string[], cwd = packageRoot()): Promise<ModelInput[]> {
  const inputs = await readInputs({ paths, cwd });
  return inputs.models.map((m) => m.input);
}

function expectAllValid(inputs: readonly ModelInput[]): void {
  expect(inputs.length).toBeGreaterThan(0);
  expect(inputs.flatMap((input) => violations(input, labelOf(input)))).toEqual([]);
}

describe("the pipeline's ModelInputs satisfy schemas/model-input.v1.schema.json", () => {
  it("examples/fleet", async () => {
    // Being extended (platform configs, rules no model owns): only its models' rules are relied on here.
    const inputs = await inputsOf(["examples/fleet"]);
    expect(inputs.some((i) => i.model !== null && i.rules.some((r) => r.query !== null && r.query.alternatives.length > 0))).toBe(true);
    expectAllValid(inputs);
  });

  it("test/fixtures/rules", async () => {
    expectAllValid(await inputsOf(["test/fixtures/rules"]));
  });

  describe("a workspace with backend configs and broken rule files", () => {
    // A manifest that names every kind of backend config, one valid rule file and, unlisted, the
    // broken ones: its input carries effective retention and Loki settings, and the input without
    // a model carries rules read with nulls and the rule-file problems (ALR-001).
    let dir: string;
    let inputs: ModelInput[];
    let fleet: FleetIndex;

    beforeAll(async () => {
      dir = realpathSync(mkdtempSync(join(tmpdir(), "obsgate-contract-")));
      mkdirSync(join(dir, "config"));
      for (const file of [
        "prometheus-statefulset.yaml",
        "prometheus.yml",
        "prometheus-scrape.yml",
        "servicemonitor.yaml",
        "otel-collector.yaml",
        "mimir.yaml",
        "mimir-runtime.yaml",
        "thanos-compact.yaml",
        "loki-config.yaml",
        "loki-runtime.yaml",
        "tempo-3x.yaml",
      ]) {
        cpSync(join(packageRoot(), "test/fixtures/backends", file), join(dir, "config", file));
      }
      cpSync(join(packageRoot(), "test/fixtures/rules-files"), join(dir, "rules"), { recursive: true });
      writeFileSync(
        join(dir, "fraud-detector.obsgate.yaml"),
        [
          "apiVersion: obsgate.dev/v1",
          "kind: ModelObservability",
          "metadata: { name: fraud-detector, owner: team-risk, tier: critical, riskClass: high-risk }",
          "spec:",
          "  serving: { service: fraud-api, timeoutSeconds: 2 }",
          "  metrics:",
          "    - { name: fraud_requests_total, type: counter, labels: { code: 6 } }",
          "  logs: { format: json, fields: [trace_id], tenant: fraud-team, stream: { app: fraud-detector, level: info } }",
          "  alerts: { files: [rules/valid.yml] }",
          "  backends:",
          "    prometheus: [config/prometheus-statefulset.yaml, config/prometheus.yml]",
          "    scrape: [config/prometheus-scrape.yml, config/servicemonitor.yaml]",
          "    collector: config/otel-collector.yaml",
          "    mimir: [config/mimir.yaml, config/mimir-runtime.yaml]",
          "    thanos: config/thanos-compact.yaml",
          "    loki: [config/loki-config.yaml, config/loki-runtime.yaml]",
          "    tempo: config/tempo-3x.yaml",
          "  retention: { metrics: 30d, logs: 184d, traces: 7d }",
          "",
        ].join("\n"),
      );
      const read = await readInputs({ paths: ["."], cwd: dir });
      inputs = read.models.map((m) => m.input);
      // The fleet index is not in any input: it reaches policies once per run as data.fleet.
      fleet = read.fleet;
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("exercises what the other inputs leave null or empty", () => {
      const model = inputs.find((i) => i.model?.name === "fraud-detector");
      const unowned = inputs.find((i) => i.model === null);
      expect(model?.retention.effective.metrics).not.toBeNull();
      expect(model?.retention.effective.logs).not.toBeNull();
      expect(model?.retention.effective.traces).not.toBeNull();
      expect(model?.retention.loki).not.toBeNull();
      expect(model?.retention.longTerm.map((r) => r.backend)).toEqual(["mimir", "thanos", "thanos", "thanos"]);
      expect(model?.scrape?.jobs.map((j) => j.source)).toEqual(["prometheus-config", "service-monitor", "service-monitor"]);
      expect(model?.collector?.tailSampling).toHaveLength(1);
      expect(model?.rules.length).toBeGreaterThan(0);
      expect(fleet.recorded.length).toBeGreaterThan(0);
      expect(fleet.series).toEqual(["fraud_requests_total"]);
      expect(inputs.filter((i) => Object.hasOwn(i, "fleet"))).toEqual([]);
      expect(unowned?.manifest).toBeNull();
      expect(unowned?.ruleProblems.length).toBeGreaterThan(0);
      expect(unowned?.rules.some((r) => r.type === null)).toBe(true);
      expect(unowned?.rules.some((r) => r.query === null)).toBe(true);
    });

    it("every input is valid", () => {
      expectAllValid(inputs);
    });
  });
});

describeWith(["shared"], "the shared corpus's ModelInput satisfies the schema", () => {
  it("../shared/corpus (the input without a model)", async () => {
    const inputs = await inputsOf(["../shared/corpus"]);
    const unowned = inputs.filter((i) => i.model === null);
    expect(unowned).toHaveLength(1);
    expect(unowned[0]!.manifest).toBeNull();
    expect(unowned[0]!.rules.length).toBeGreaterThan(100);
    expectAllValid(inputs);
  });
});

/** A small, complete, valid ModelInput: the input without a model, with one analysed alert. */
function validInput(): Record<string, any> {
  return {
    apiVersion: "obsgate.dev/model-input/v1",
    model: null,
    metrics: [],
    slos: [],
    logs: null,
    traces: null,
    drift: null,
    payloadLogging: null,
    scrape: null,
    collector: null,
    resource: {},
    alerts: { files: [] },
    rules: [
      {
        file: "alerts/fraud.rules.yaml",
        group: "fraud",
        alert: "FraudErrorBudgetBurn",
        record: null,
        type: "alert",
        expr: "fraud:sli_error:ratio_rate5m > (14.4 * (1 - 0.999))",
        forSeconds: 0,
        labels: { severity: "critical" },
        annotations: {},
        query: {
          error: null,
          metrics: ["fraud:sli_error:ratio_rate5m"],
          functions: [],
          selectors: [
            { metric: "fraud:sli_error:ratio_rate5m", matchers: [], rangeSeconds: null, function: null, aggregatedInside: false },
          ],
          ranges: [],
          subqueries: [],
          comparisons: [{ op: ">", bool: false, threshold: 0.0144 }],
          joins: [],
          aggregations: [],
          alternatives: [
            [
              {
                metrics: ["fraud_requests_total"],
                recorded: ["fraud:sli_error:ratio_rate5m"],
                windowSeconds: 300,
                comparison: { op: ">", bool: false, threshold: 0.0144 },
              },
            ],
          ],
        },
        ownedBy: [],
        owners: [],
      },
    ],
    ruleProblems: [{ file: "alerts/fraud.rules.yaml", message: "rule group has no `name`" }],
    retention: {
      declared: { metricsSeconds: null, logsSeconds: null, tracesSeconds: null },
      effective: {
        metrics: null,
        logs: { seconds: null, backend: "loki", setting: "limits_config.retention_period", isDefault: false, file: "loki.yaml" },
        traces: null,
      },
      loki: { file: "loki.yaml", retentionEnabled: true, deleteRequestStore: null, indexPeriodSeconds: 86400 },
      longTerm: [],
    },
    params: {},
    manifest: null,
  };
}

describe("the schema rejects what the contract excludes", () => {
  it("accepts the valid input the cases below break", () => {
    expect(violations(validInput(), "valid")).toEqual([]);
  });

  const cases: Array<{ why: string; mutate: (i: Record<string, any>) => void; keyword: string; instancePath: string }> = [
    { why: "a rule of type alarm", mutate: (i) => (i.rules[0].type = "alarm"), keyword: "enum", instancePath: "/rules/0/type" },
    {
      why: "a query without alternatives",
      mutate: (i) => delete i.rules[0].query.alternatives,
      keyword: "required",
      instancePath: "/rules/0/query",
    },
    {
      why: "alternatives as a flat list of conditions",
      mutate: (i) => (i.rules[0].query.alternatives = i.rules[0].query.alternatives[0]),
      keyword: "type",
      instancePath: "/rules/0/query/alternatives/0",
    },
    { why: "a rule without ownedBy", mutate: (i) => delete i.rules[0].ownedBy, keyword: "required", instancePath: "/rules/0" },
    { why: "a rule without owners", mutate: (i) => delete i.rules[0].owners, keyword: "required", instancePath: "/rules/0" },
    {
      why: "an unknown ownedBy reason",
      mutate: (i) => (i.rules[0].ownedBy = ["name"]),
      keyword: "enum",
      instancePath: "/rules/0/ownedBy/0",
    },
    {
      why: "an unknown comparison operator",
      mutate: (i) => (i.rules[0].query.comparisons[0].op = "=>"),
      keyword: "enum",
      instancePath: "/rules/0/query/comparisons/0/op",
    },
    {
      why: "a threshold left as a string",
      mutate: (i) => (i.rules[0].query.alternatives[0][0].comparison.threshold = "0.0144"),
      keyword: "type",
      instancePath: "/rules/0/query/alternatives/0/0/comparison/threshold",
    },
    {
      why: "an unknown field in a selector",
      mutate: (i) => (i.rules[0].query.selectors[0].range = "5m"),
      keyword: "additionalProperties",
      instancePath: "/rules/0/query/selectors/0",
    },
    {
      why: "a NaN (which JSON, and so Rego, would see as null)",
      mutate: (i) => (i.rules[0].query.comparisons[0].threshold = Number.NaN),
      keyword: "type",
      instancePath: "/rules/0/query/comparisons/0/threshold",
    },
    { why: "missing ruleProblems", mutate: (i) => delete i.ruleProblems, keyword: "required", instancePath: "" },
    {
      why: "a rule problem without a message",
      mutate: (i) => delete i.ruleProblems[0].message,
      keyword: "required",
      instancePath: "/ruleProblems/0",
    },
    {
      why: "missing effective retention",
      mutate: (i) => delete i.retention.effective,
      keyword: "required",
      instancePath: "/retention",
    },
    {
      why: "an unknown retention backend",
      mutate: (i) => (i.retention.effective.logs.backend = "elasticsearch"),
      keyword: "enum",
      instancePath: "/retention/effective/logs/backend",
    },
    {
      why: "a retention in days",
      mutate: (i) => (i.retention.effective.logs.seconds = "30d"),
      keyword: "type",
      instancePath: "/retention/effective/logs/seconds",
    },
    {
      why: "Loki settings without retentionEnabled",
      mutate: (i) => delete i.retention.loki.retentionEnabled,
      keyword: "required",
      instancePath: "/retention/loki",
    },
    {
      // The fleet index reaches policies as data.fleet, not in every input (the old contract).
      why: "a fleet index in the input",
      mutate: (i) => (i.fleet = { models: [], metrics: [], series: [], recorded: ["fraud:sli_error:ratio_rate5m"] }),
      keyword: "additionalProperties",
      instancePath: "",
    },
    {
      why: "a scrape interval left as a duration string",
      mutate: (i) => (i.scrape = { intervalSeconds: "30s", intervalSetting: null, intervalIsDefault: false, intervalFile: null, jobs: [] }),
      keyword: "type",
      instancePath: "/scrape/intervalSeconds",
    },
    { why: "missing long-term retention", mutate: (i) => delete i.retention.longTerm, keyword: "required", instancePath: "/retention" },
    {
      why: "a status code in the case a collector refuses",
      mutate: (i) =>
        (i.collector = {
          files: ["otel.yaml"],
          tracesPipelines: ["traces"],
          tailSampling: [
            {
              id: "tail_sampling",
              file: "otel.yaml",
              pipelines: ["traces"],
              decisionWaitSeconds: 30,
              decisionWaitIsDefault: true,
              keepsErrors: false,
              policies: [{ name: null, type: "status_code", statusCodes: ["error"] }],
            },
          ],
        }),
      keyword: "enum",
      instancePath: "/collector/tailSampling/0/policies/0/statusCodes/0",
    },
    { why: "a manifest that is a string", mutate: (i) => (i.manifest = "fraud.obsgate.yaml"), keyword: "type", instancePath: "/manifest" },
    { why: "a model that is a name", mutate: (i) => (i.model = "fraud-detector"), keyword: "type", instancePath: "/model" },
  ];

  it.each(cases)("rejects $why ($keyword at $instancePath)", ({ mutate, keyword, instancePath }) => {
    const input = validInput();
    mutate(input);
    expect(check(input)).toBe(false);
    expect((check.errors ?? []).map((e) => ({ keyword: e.keyword, instancePath: e.instancePath }))).toContainEqual({
      keyword,
      instancePath,
    });
  });
});
