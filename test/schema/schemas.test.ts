// The two hand-written JSON Schemas in schemas/: the ModelObservability manifest (the documentation
// users read) and the ModelInput (the contract for users' Rego). They must compile under ajv's
// strict mode, document every property, and accept and reject what they claim to.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.js";
import { describeWith, SHARED_DIR } from "../helpers/require.js";

type Schema = Record<string, unknown>;

const MANIFEST_ID = "https://obsgate.dev/schemas/model-manifest/v1";
const MODEL_INPUT_ID = "https://obsgate.dev/schemas/model-input/v1";

function loadSchema(file: string): Schema {
  return JSON.parse(readFileSync(join(packageRoot(), "schemas", file), "utf8")) as Schema;
}

const manifestSchema = loadSchema("model-manifest.v1.schema.json");
const modelInputSchema = loadSchema("model-input.v1.schema.json");

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(manifestSchema);
  ajv.addSchema(modelInputSchema);
  return ajv;
}

function validate(id: string, value: unknown): ErrorObject[] {
  const check = newAjv().getSchema(id);
  if (!check) throw new Error(`schema ${id} not found`);
  return check(value) ? [] : [...(check.errors ?? [])];
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SCHEMA_ONE = [
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];

/** Every entry of every `properties` keyword in a schema, at any depth, with its JSON pointer. */
function propertyDefinitions(schema: Schema, pointer = ""): Array<{ pointer: string; definition: Schema }> {
  const found: Array<{ pointer: string; definition: Schema }> = [];
  for (const keyword of SCHEMA_MAPS) {
    const map = schema[keyword];
    if (!isSchema(map)) continue;
    for (const [name, sub] of Object.entries(map)) {
      if (!isSchema(sub)) continue;
      const at = `${pointer}/${keyword}/${escapePointer(name)}`;
      if (keyword === "properties") found.push({ pointer: at, definition: sub });
      found.push(...propertyDefinitions(sub, at));
    }
  }
  for (const keyword of SCHEMA_ONE) {
    const sub = schema[keyword];
    if (isSchema(sub)) found.push(...propertyDefinitions(sub, `${pointer}/${keyword}`));
  }
  for (const keyword of SCHEMA_LISTS) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((sub, i) => {
      if (isSchema(sub)) found.push(...propertyDefinitions(sub, `${pointer}/${keyword}/${i}`));
    });
  }
  return found;
}

function hasDescription(definition: Schema): boolean {
  return typeof definition.description === "string" && definition.description.trim().length > 0;
}

describe("schemas compile under ajv strict mode", () => {
  it.each([
    ["model-manifest", manifestSchema],
    ["model-input", modelInputSchema],
  ])("%s", (_name, schema) => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("declare the draft, their $id and a title", () => {
    expect(manifestSchema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: MANIFEST_ID,
      title: expect.any(String),
      description: expect.any(String),
    });
    expect(modelInputSchema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: MODEL_INPUT_ID,
      title: expect.any(String),
      description: expect.any(String),
    });
  });

  it("leave the fleet index out of the ModelInput, and say that it reaches policies as data.fleet, in the set form", () => {
    expect(modelInputSchema.properties).not.toHaveProperty("fleet");
    expect(modelInputSchema.required).not.toContain("fleet");
    expect(modelInputSchema.description).toContain("`data.fleet`");
    expect(modelInputSchema.description).toContain("each list an object from name to `true`");
  });
});

describe("schemas document every property", () => {
  const manifestProperties = propertyDefinitions(manifestSchema);
  const modelInputProperties = propertyDefinitions(modelInputSchema);

  it("finds the properties it must check, nested ones and those under $defs included", () => {
    const manifestPointers = manifestProperties.map((p) => p.pointer);
    expect(manifestPointers).toEqual(
      expect.arrayContaining([
        "/properties/apiVersion",
        "/properties/metadata/properties/owner",
        "/properties/spec/properties/traces/properties/sampling/properties/ratio",
        "/$defs/metric/properties/labels",
        "/$defs/slo/properties/sli/properties/errorSelector",
      ]),
    );
    expect(modelInputProperties.map((p) => p.pointer)).toEqual(
      expect.arrayContaining([
        "/properties/model/properties/trainingData/properties/dataset",
        "/properties/retention/properties/declared/properties/logsSeconds",
        "/properties/retention/properties/effective/properties/logs",
        "/properties/retention/properties/loki/properties/indexPeriodSeconds",
        "/properties/params",
        "/properties/manifest",
        "/$defs/slo/properties/sli/properties/thresholdSeconds",
        "/$defs/rule/properties/query",
        "/$defs/promQuery/properties/selectors/items/properties/matchers/items/properties/op",
        "/$defs/promQuery/properties/error/properties/column",
        "/$defs/condition/properties/comparison",
        "/$defs/effectiveRetention/properties/seconds",
      ]),
    );
  });

  it("every manifest property has a description and an examples array", () => {
    const lacking = manifestProperties
      .filter(({ definition }) => {
        const examples = definition.examples;
        return !hasDescription(definition) || !Array.isArray(examples) || examples.length === 0;
      })
      .map((p) => p.pointer);
    expect(lacking).toEqual([]);
  });

  it("every model-input property has a description", () => {
    const lacking = modelInputProperties.filter(({ definition }) => !hasDescription(definition)).map((p) => p.pointer);
    expect(lacking).toEqual([]);
  });

  it.each([
    ["model-manifest", MANIFEST_ID, manifestProperties],
    ["model-input", MODEL_INPUT_ID, modelInputProperties],
  ])("every %s example is valid where it stands", (_name, id, properties) => {
    const ajv = newAjv();
    const wrong: string[] = [];
    for (const { pointer, definition } of properties) {
      if (!Array.isArray(definition.examples)) continue;
      const check = ajv.compile({ $ref: `${id}#${pointer}` });
      for (const example of definition.examples) {
        if (!check(example)) wrong.push(`${pointer}: ${JSON.stringify(example)}: ${ajv.errorsText(check.errors)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describeWith(["shared"], "the shared example manifest", () => {
  it("fraud-detector.obsgate.yaml is valid", () => {
    const text = readFileSync(join(SHARED_DIR, "examples", "fraud-detector.obsgate.yaml"), "utf8");
    expect(validate(MANIFEST_ID, parse(text))).toEqual([]);
  });
});

/** A small, valid manifest that each invalid case below breaks in one place. */
function validManifest(): Record<string, any> {
  return {
    apiVersion: "obsgate.dev/v1",
    kind: "ModelObservability",
    metadata: { name: "fraud-detector", owner: "team-risk", tier: "critical", riskClass: "high-risk" },
    spec: {
      model: { version: "v2.1.0", type: "predictive", framework: "kserve" },
      metrics: [
        { name: "fraud_inference_requests_total", type: "counter", labels: { model: 1, region: 12, status_code: null } },
        { name: "fraud_inference_latency_seconds", type: "histogram", labels: ["model"], buckets: [0.1, 0.5, 1] },
      ],
      resource: { "service.name": "fraud-api", "service.instance.count": 3, "telemetry.enabled": true },
      slos: [{ name: "availability", sli: { metric: "fraud_inference_requests_total" }, objective: 0.999, window: "30d" }],
      retention: { metrics: "30d", logs: "184d", traces: "1w12h" },
    },
  };
}

describe("the manifest schema", () => {
  it("accepts the minimal valid manifest", () => {
    expect(validate(MANIFEST_ID, validManifest())).toEqual([]);
  });

  it("accepts metric and label names that INS-002 / CAR-001, not the schema, must report", () => {
    const manifest = validManifest();
    manifest.spec.metrics = [
      { name: "fraud-requests.total", type: "counter", labels: { "Region-Code": 3 } },
      { name: "9lives", type: "gauge", labels: ["__bad", "has space"] },
    ];
    expect(validate(MANIFEST_ID, manifest)).toEqual([]);
  });

  const cases: Array<{ why: string; mutate: (m: Record<string, any>) => void; keyword: string; instancePath: string }> = [
    {
      why: "missing metadata.owner",
      mutate: (m) => delete m.metadata.owner,
      keyword: "required",
      instancePath: "/metadata",
    },
    {
      why: "a typo in spec (metircs)",
      mutate: (m) => {
        m.spec.metircs = m.spec.metrics;
        delete m.spec.metrics;
      },
      keyword: "additionalProperties",
      instancePath: "/spec",
    },
    {
      why: "an objective above 1",
      mutate: (m) => (m.spec.slos[0].objective = 1.5),
      keyword: "exclusiveMaximum",
      instancePath: "/spec/slos/0/objective",
    },
    {
      why: "a window that is not a Prometheus duration",
      mutate: (m) => (m.spec.slos[0].window = "30days"),
      keyword: "pattern",
      instancePath: "/spec/slos/0/window",
    },
    {
      why: "a label with zero values",
      mutate: (m) => (m.spec.metrics[0].labels = { region: 0 }),
      keyword: "minimum",
      instancePath: "/spec/metrics/0/labels/region",
    },
    {
      why: "a wrong apiVersion",
      mutate: (m) => (m.apiVersion = "obsgate.dev/v2"),
      keyword: "const",
      instancePath: "/apiVersion",
    },
    {
      why: "an unknown tier",
      mutate: (m) => (m.metadata.tier = "gold"),
      keyword: "enum",
      instancePath: "/metadata/tier",
    },
    {
      why: "a model name that is not a DNS label",
      mutate: (m) => (m.metadata.name = "Fraud_Detector"),
      keyword: "pattern",
      instancePath: "/metadata/name",
    },
    {
      why: "a metric without a type",
      mutate: (m) => delete m.spec.metrics[1].type,
      keyword: "required",
      instancePath: "/spec/metrics/1",
    },
    {
      why: "an unknown propagator",
      mutate: (m) => (m.spec.traces = { propagators: ["w3c"] }),
      keyword: "enum",
      instancePath: "/spec/traces/propagators/0",
    },
    {
      why: "a sampling ratio above 1",
      mutate: (m) => (m.spec.traces = { sampling: { strategy: "head", ratio: 10 } }),
      keyword: "maximum",
      instancePath: "/spec/traces/sampling/ratio",
    },
    {
      why: "a retention written as a number",
      mutate: (m) => (m.spec.retention.logs = 184),
      keyword: "type",
      instancePath: "/spec/retention/logs",
    },
    {
      why: "a zero timeout",
      mutate: (m) => (m.spec.serving = { timeoutSeconds: 0 }),
      keyword: "exclusiveMinimum",
      instancePath: "/spec/serving/timeoutSeconds",
    },
    {
      why: "a resource attribute that is an object",
      mutate: (m) => (m.spec.resource["service.name"] = { name: "fraud-api" }),
      keyword: "anyOf",
      instancePath: "/spec/resource/service.name",
    },
  ];

  it.each(cases)("rejects $why with $keyword at $instancePath", ({ mutate, keyword, instancePath }) => {
    const manifest = validManifest();
    mutate(manifest);
    const errors = validate(MANIFEST_ID, manifest);
    expect(errors.map((e) => ({ keyword: e.keyword, instancePath: e.instancePath }))).toContainEqual({
      keyword,
      instancePath,
    });
  });

  it("names the missing and the unknown property", () => {
    const manifest = validManifest();
    delete manifest.metadata.owner;
    manifest.spec.metircs = [];
    const errors = validate(MANIFEST_ID, manifest);
    expect(errors).toContainEqual(expect.objectContaining({ keyword: "required", params: { missingProperty: "owner" } }));
    expect(errors).toContainEqual(
      expect.objectContaining({ keyword: "additionalProperties", params: { additionalProperty: "metircs" } }),
    );
  });
});

/** The ModelInput that the shared fraud-detector example should become, trimmed. */
function validModelInput(): Record<string, any> {
  return {
    apiVersion: "obsgate.dev/model-input/v1",
    model: {
      name: "fraud-detector",
      version: "v2.1.0",
      owner: "team-risk",
      tier: "critical",
      riskClass: "high-risk",
      type: "predictive",
      framework: "kserve",
      trainingData: { dataset: "transactions", version: "2026-10-01" },
      timeoutSeconds: 2,
      file: "models/fraud-detector.obsgate.yaml",
    },
    metrics: [
      {
        name: "fraud_inference_latency_seconds",
        type: "histogram",
        role: null,
        labels: [
          { name: "model", values: 1 },
          { name: "region", values: null },
        ],
        buckets: [0.01, 0.1, 1],
        native: false,
        quantiles: null,
      },
    ],
    slos: [
      {
        name: "latency-p95",
        objective: 0.95,
        windowSeconds: 2592000,
        sli: { metric: "fraud_inference_latency_seconds", thresholdSeconds: 0.2, errorSelector: null },
      },
    ],
    logs: { format: "json", fields: ["trace_id"], tenant: "risk", stream: { service: "fraud-api" } },
    traces: {
      tenant: "risk",
      propagators: ["tracecontext"],
      spans: [],
      attributes: [],
      metricDimensions: ["http.route"],
      sampling: { strategy: "tail", keepErrors: true },
    },
    drift: { metric: "fraud_feature_drift_psi", method: "psi", threshold: 0.2 },
    payloadLogging: { inputs: true, outputs: false, redaction: "mask", retentionSeconds: 604800 },
    scrape: {
      intervalSeconds: 30,
      intervalSetting: "scrape_configs[fraud-api].scrape_interval",
      intervalIsDefault: false,
      intervalFile: "config/prometheus.yaml",
      jobs: [
        {
          name: "fraud-api",
          source: "prometheus-config",
          file: "config/prometheus.yaml",
          intervalSeconds: 30,
          sampleLimit: 20000,
          labelLimit: 30,
          labelValueLengthLimit: null,
        },
      ],
    },
    collector: {
      files: ["config/otel-collector.yaml"],
      tracesPipelines: ["traces"],
      tailSampling: [
        {
          id: "tail_sampling",
          file: "config/otel-collector.yaml",
          pipelines: ["traces"],
          decisionWaitSeconds: 10,
          decisionWaitIsDefault: false,
          keepsErrors: true,
          policies: [{ name: "errors", type: "status_code", statusCodes: ["ERROR"] }],
        },
      ],
    },
    resource: { "service.name": "fraud-api" },
    alerts: { files: ["models/alerts/fraud-detector.rules.yaml"] },
    rules: [
      {
        file: "models/alerts/fraud-detector.rules.yaml",
        group: "fraud-detector",
        alert: "FraudDetectorSlow",
        record: null,
        type: "alert",
        expr: "histogram_quantile(0.95, sum by (le) (rate(fraud_inference_latency_seconds_bucket[5m]))) > 0.2",
        forSeconds: 600,
        labels: { severity: "warning" },
        annotations: { summary: "p95 latency above 200ms" },
        query: {
          error: null,
          metrics: ["fraud_inference_latency_seconds_bucket"],
          functions: ["histogram_quantile", "rate"],
          selectors: [
            {
              metric: "fraud_inference_latency_seconds_bucket",
              matchers: [{ label: "region", op: "=~", value: "eu-.*" }],
              rangeSeconds: 300,
              function: "rate",
              aggregatedInside: false,
            },
          ],
          ranges: [300],
          subqueries: [],
          comparisons: [{ op: ">", bool: false, threshold: 0.2 }],
          joins: [],
          aggregations: [{ op: "sum", by: ["le"], without: [] }],
          alternatives: [
            [
              {
                metrics: ["fraud_inference_latency_seconds_bucket"],
                recorded: [],
                windowSeconds: 300,
                comparison: { op: ">", bool: false, threshold: 0.2 },
              },
            ],
          ],
        },
        ownedBy: ["file"],
        owners: ["fraud-detector"],
      },
    ],
    ruleProblems: [],
    retention: {
      declared: { metricsSeconds: 2592000, logsSeconds: 15897600, tracesSeconds: null },
      effective: {
        metrics: { seconds: 2592000, backend: "prometheus", setting: "--storage.tsdb.retention.time", isDefault: false, file: "config/prometheus.yaml" },
        logs: { seconds: 15897600, backend: "loki", setting: "limits_config.retention_period", isDefault: false, file: "config/loki.yaml" },
        traces: null,
      },
      loki: { file: "config/loki.yaml", retentionEnabled: true, deleteRequestStore: "s3", indexPeriodSeconds: 86400 },
      longTerm: [{ seconds: null, backend: "thanos", setting: "--retention.resolution-raw (0d: kept forever)", isDefault: false, file: "config/thanos-compact.yaml" }],
    },
    params: { maxSeriesPerMetric: 10000, requiredLogFields: ["trace_id"] },
    manifest: { apiVersion: "obsgate.dev/v1" },
  };
}

describe("the model-input schema", () => {
  it("accepts a ModelInput, with nulls where the manifest is silent", () => {
    expect(validate(MODEL_INPUT_ID, validModelInput())).toEqual([]);
    const silent = validModelInput();
    Object.assign(silent.model, { version: null, riskClass: null, type: null, framework: null, trainingData: null });
    Object.assign(silent, { logs: null, traces: null, drift: null, payloadLogging: null, scrape: null, collector: null });
    Object.assign(silent.retention, { effective: { metrics: null, logs: null, traces: null }, loki: null, longTerm: [] });
    silent.rules[0].query = null;
    expect(validate(MODEL_INPUT_ID, silent)).toEqual([]);
  });

  it("accepts the input without a model, for the rule files no model owns", () => {
    const unowned = validModelInput();
    Object.assign(unowned, { model: null, manifest: null, metrics: [], slos: [], logs: null, traces: null, drift: null, payloadLogging: null, resource: {} });
    unowned.rules[0].ownedBy = [];
    unowned.rules[0].owners = [];
    unowned.ruleProblems = [{ file: "alerts/platform.rules.yaml", message: "rule group has no `name`" }];
    expect(validate(MODEL_INPUT_ID, unowned)).toEqual([]);
  });

  it.each([
    { why: "a missing field", mutate: (i: Record<string, any>) => delete i.params, keyword: "required", instancePath: "" },
    {
      // The fleet index reaches policies once per run as data.fleet, no longer in every input.
      why: "a fleet index in the input",
      mutate: (i: Record<string, any>) => (i.fleet = { models: ["fraud-detector"], metrics: [], series: [], recorded: [] }),
      keyword: "additionalProperties",
      instancePath: "",
    },
    {
      why: "an unknown field in model",
      mutate: (i: Record<string, any>) => (i.model.team = "risk"),
      keyword: "additionalProperties",
      instancePath: "/model",
    },
    {
      why: "a duration left as a string",
      mutate: (i: Record<string, any>) => (i.slos[0].windowSeconds = "30d"),
      keyword: "type",
      instancePath: "/slos/0/windowSeconds",
    },
    {
      why: "labels left as a map",
      mutate: (i: Record<string, any>) => (i.metrics[0].labels = { model: 1 }),
      keyword: "type",
      instancePath: "/metrics/0/labels",
    },
    {
      why: "a rule of an unknown type",
      mutate: (i: Record<string, any>) => (i.rules[0].type = "alarm"),
      keyword: "enum",
      instancePath: "/rules/0/type",
    },
    {
      why: "a query without alternatives",
      mutate: (i: Record<string, any>) => delete i.rules[0].query.alternatives,
      keyword: "required",
      instancePath: "/rules/0/query",
    },
    {
      why: "effective retention from an unknown backend",
      mutate: (i: Record<string, any>) => (i.retention.effective.logs.backend = "elasticsearch"),
      keyword: "enum",
      instancePath: "/retention/effective/logs/backend",
    },
  ])("rejects $why", ({ mutate, keyword, instancePath }) => {
    const input = validModelInput();
    mutate(input);
    const errors = validate(MODEL_INPUT_ID, input);
    expect(errors.map((e) => ({ keyword: e.keyword, instancePath: e.instancePath }))).toContainEqual({
      keyword,
      instancePath,
    });
  });
});
