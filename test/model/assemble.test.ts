// assembleModels: manifest documents → one normalised ModelInput per model, each node with its
// origin; INP-002 for schema violations and duplicate models, INP-003 for missing references.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFile, type LoadedDocument } from "../../src/load/index.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import { assembleModels, MODEL_INPUT_API_VERSION } from "../../src/model/index.js";
import { describeWith, SHARED_DIR } from "../helpers/require.js";

const REPO = "/repo";

/** The manifest documents of one file's text, as loadFile would give them. */
function manifests(text: string, file = "models/scorer.yaml"): LoadedDocument[] {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(parsed.failure.message);
  return parsed.documents.map((doc) => ({
    file,
    index: doc.index,
    value: doc.value,
    sourceMap: doc.sourceMap,
    kind: "model-manifest",
    start: doc.start,
    absolute: join(REPO, file),
    multiDocument: parsed.documents.length > 1,
  }));
}

const everythingExists = { repoRoot: REPO, exists: () => true };

const SCORER = `apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: scorer
  owner: team-a
  tier: high
spec:
  metrics:
    - name: req_total
      type: counter
      role: requests
      labels: { model: 1, "a/b": null }
    - name: lat_seconds
      type: histogram
      labels: [model, region]
      buckets: [0.1, 1]
    - name: lat_native_seconds
      type: histogram
      native: true
    - name: lat_summary_seconds
      type: summary
      quantiles: [0.5, 0.99]
  slos:
    - name: lat
      sli: { metric: lat_seconds, threshold: 0.5 }
      objective: 0.99
      window: 1h30m
    - name: avail
      sli: { metric: req_total, errorSelector: 'code=~"5.."' }
      objective: 0.999
      window: 4w
  resource: { service.name: svc, port: 8080, debug: false }
  alerts:
    files: [alerts/scorer.yaml]
  retention: { metrics: 2w, logs: 1y }
`;

describe("assembleModels: the normalised ModelInput", () => {
  it("builds the whole ModelInput of a small manifest", () => {
    const docs = manifests(SCORER);
    const { models, problems } = assembleModels(docs, everythingExists);
    expect(problems).toEqual([]);
    expect(models).toHaveLength(1);
    expect(models[0]!.manifest).toBe(docs[0]);
    expect(models[0]!.input).toEqual({
      apiVersion: MODEL_INPUT_API_VERSION,
      model: {
        name: "scorer",
        version: null,
        owner: "team-a",
        tier: "high",
        riskClass: null,
        type: null,
        framework: null,
        trainingData: null,
        timeoutSeconds: null,
        file: "models/scorer.yaml",
      },
      metrics: [
        {
          name: "req_total",
          type: "counter",
          role: "requests",
          labels: [
            { name: "model", values: 1 },
            { name: "a/b", values: null },
          ],
          buckets: null,
          native: false,
          quantiles: null,
        },
        {
          name: "lat_seconds",
          type: "histogram",
          role: null,
          labels: [
            { name: "model", values: null },
            { name: "region", values: null },
          ],
          buckets: [0.1, 1],
          native: false,
          quantiles: null,
        },
        { name: "lat_native_seconds", type: "histogram", role: null, labels: [], buckets: null, native: true, quantiles: null },
        { name: "lat_summary_seconds", type: "summary", role: null, labels: [], buckets: null, native: false, quantiles: [0.5, 0.99] },
      ],
      slos: [
        { name: "lat", objective: 0.99, windowSeconds: 5_400, sli: { metric: "lat_seconds", thresholdSeconds: 0.5, errorSelector: null } },
        {
          name: "avail",
          objective: 0.999,
          windowSeconds: 2_419_200,
          sli: { metric: "req_total", thresholdSeconds: null, errorSelector: 'code=~"5.."' },
        },
      ],
      logs: null,
      traces: null,
      resource: { "service.name": "svc", port: "8080", debug: "false" },
      alerts: { files: ["alerts/scorer.yaml"] },
      retention: { declared: { metricsSeconds: 1_209_600, logsSeconds: 31_536_000, tracesSeconds: null } },
      params: { car_002: { warn: 1000, max: 10_000, model_budget: 50_000 } },
      fleet: { models: ["scorer"], metrics: ["lat_native_seconds", "lat_seconds", "lat_summary_seconds", "req_total"] },
      manifest: docs[0]!.value,
    });
  });

  it("fills logs, traces and model details with defaults for what is left out", () => {
    const { models } = assembleModels(
      manifests(`apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata: { name: m, owner: o, tier: critical, riskClass: high-risk }
spec:
  model: { version: v1, type: generative, framework: genai, trainingData: { dataset: d } }
  serving: { timeoutSeconds: 0.5 }
  logs: { format: json }
  traces: { sampling: { ratio: 1 } }
`),
      everythingExists,
    );
    const { model, logs, traces, resource, alerts, retention } = models[0]!.input;
    expect({ model, logs, traces, resource, alerts, retention }).toEqual({
      model: {
        name: "m",
        version: "v1",
        owner: "o",
        tier: "critical",
        riskClass: "high-risk",
        type: "generative",
        framework: "genai",
        trainingData: { dataset: "d", version: null },
        timeoutSeconds: 0.5,
        file: "models/scorer.yaml",
      },
      logs: { format: "json", fields: [], tenant: null, stream: {} },
      traces: { propagators: [], spans: [], attributes: [], sampling: { ratio: 1 } },
      resource: {},
      alerts: { files: [] },
      retention: { declared: { metricsSeconds: null, logsSeconds: null, tracesSeconds: null } },
    });
  });

  it("gives every model the same fleet index: all model names and declared metrics, sorted and unique", () => {
    const text = (name: string, metrics: string[]) =>
      `apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: ${name}, owner: o, tier: standard }\nspec:\n  metrics:\n${metrics
        .map((m) => `    - { name: ${m}, type: gauge }\n`)
        .join("")}`;
    const { models } = assembleModels(
      [...manifests(text("zeta", ["b_metric", "shared_metric"]), "z.yaml"), ...manifests(text("alpha", ["shared_metric", "a_metric"]), "a.yaml")],
      everythingExists,
    );
    expect(models.map((m) => m.input.model?.name)).toEqual(["zeta", "alpha"]);
    for (const model of models) {
      expect(model.input.fleet).toEqual({ models: ["alpha", "zeta"], metrics: ["a_metric", "b_metric", "shared_metric"] });
    }
  });

  it("gives each model its own copy of the parameters", () => {
    const { models } = assembleModels(
      [
        ...manifests("apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: a, owner: o, tier: high }\nspec: {}\n", "a.yaml"),
        ...manifests("apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: b, owner: o, tier: high }\nspec: {}\n", "b.yaml"),
      ],
      everythingExists,
    );
    expect(models[0]!.input.params).not.toBe(models[1]!.input.params);
    expect(models[0]!.input.params).toEqual(models[1]!.input.params);
  });

  it("ignores documents that are not manifests", () => {
    const [doc] = manifests("groups: []\n");
    expect(assembleModels([{ ...doc!, kind: "prometheus-rules" }], everythingExists)).toEqual({ models: [], problems: [] });
  });
});

describe("assembleModels: origins", () => {
  const origins = assembleModels(manifests(SCORER), everythingExists).models[0]!.origins;
  const origin = (pointer: string) => origins.get(pointer);

  it("maps ModelInput pointers to the manifest as written", () => {
    expect(origin("")).toEqual({ file: "models/scorer.yaml", document: 0, pointer: "" });
    expect(origin("/model/name")).toEqual({ file: "models/scorer.yaml", document: 0, pointer: "/metadata/name" });
    expect(origin("/model/timeoutSeconds")).toEqual({ file: "models/scorer.yaml", document: 0, pointer: "/spec/serving/timeoutSeconds" });
    expect(origin("/slos/0/windowSeconds")?.pointer).toBe("/spec/slos/0/window");
    expect(origin("/slos/1/sli/thresholdSeconds")?.pointer).toBe("/spec/slos/1/sli/threshold");
    expect(origin("/retention/declared/logsSeconds")?.pointer).toBe("/spec/retention/logs");
    expect(origin("/metrics/1/buckets")?.pointer).toBe("/spec/metrics/1/buckets");
  });

  it("maps a label of the map form to its name, escaped, and of the list form to its index", () => {
    expect(origin("/metrics/0/labels/0")?.pointer).toBe("/spec/metrics/0/labels/model");
    expect(origin("/metrics/0/labels/1")?.pointer).toBe("/spec/metrics/0/labels/a~1b");
    expect(origin("/metrics/1/labels/1")?.pointer).toBe("/spec/metrics/1/labels/1");
    expect(origin("/metrics/0/labels/2")).toBe(undefined);
  });

  it("names the document of a manifest in a multi-document file", () => {
    const docs = manifests(`groups: []\n---\n${SCORER}`);
    const { models } = assembleModels(docs.slice(1), everythingExists);
    expect(models[0]!.origins.get("/metrics/0/labels/1")).toEqual({
      file: "models/scorer.yaml",
      document: 1,
      pointer: "/spec/metrics/0/labels/a~1b",
    });
  });
});

describe("assembleModels: INP-002 schema violations", () => {
  it("reports each violation at its position and does not assemble the model", () => {
    const { models, problems } = assembleModels(
      manifests(`apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: scorer
  tier: gold
spec:
  metrics:
    - name: req_total
      type: counter
      labels: { model: 0 }
  retention: { metrics: 30days }
`),
      everythingExists,
    );
    expect(models).toEqual([]);
    expect(problems.map((p) => `${p.rule} ${p.file}:${p.line}:${p.column} ${p.pointer} ${p.message} | ${p.remediation} | ${p.model}`)).toEqual([
      "INP-002 models/scorer.yaml:3:1 /metadata `/metadata` is missing the required field `owner` | add `owner` | scorer",
      "INP-002 models/scorer.yaml:5:3 /metadata/tier `/metadata/tier` must be one of critical, high, standard | use one of critical, high, standard | scorer",
      "INP-002 models/scorer.yaml:10:17 /spec/metrics/0/labels/model `/spec/metrics/0/labels/model` must be >= 1 | use a number >= 1 | scorer",
      'INP-002 models/scorer.yaml:11:16 /spec/retention/metrics `/spec/retention/metrics` is not a duration: "30days" | write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first) | scorer',
    ]);
  });

  it("locates an unknown field at its key", () => {
    const { problems } = assembleModels(
      manifests("apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: a, owner: o, tier: high }\nspec:\n  colour: blue\n"),
      everythingExists,
    );
    expect(problems.map((p) => [p.rule, p.line, p.column, p.pointer, p.message])).toEqual([
      ["INP-002", 5, 3, "/spec/colour", "unknown field `colour` in `/spec`"],
    ]);
  });

  it("prefixes the document index in a multi-document file and names no model when the name is absent", () => {
    const { problems } = assembleModels(
      manifests("groups: []\n---\napiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { owner: o, tier: high }\nspec: {}\n").slice(1),
      everythingExists,
    );
    expect(problems).toEqual([
      {
        rule: "INP-002",
        file: "models/scorer.yaml",
        line: 5,
        column: 1,
        pointer: "/1/metadata",
        message: "`/metadata` is missing the required field `name`",
        remediation: "add `name`",
        model: null,
      },
    ]);
  });
});

describe("assembleModels: INP-002 duplicate model names", () => {
  const manifest = (owner: string) =>
    `apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata:\n  owner: ${owner}\n  name: scorer\n  tier: high\nspec: {}\n`;

  it("reports the second declaration, pointing at the first", () => {
    const { models, problems } = assembleModels(
      [...manifests(manifest("a"), "models/a.yaml"), ...manifests(`# moved\n${manifest("b")}`, "models/b.yaml")],
      everythingExists,
    );
    expect(models.map((m) => `${m.input.model?.name} ${m.input.model?.owner}`)).toEqual(["scorer a"]);
    expect(problems).toEqual([
      {
        rule: "INP-002",
        file: "models/b.yaml",
        line: 6,
        column: 3,
        pointer: "/metadata/name",
        message: "model `scorer` is already declared in models/a.yaml:5:3",
        remediation: "give each model one manifest, or rename one of them",
        model: "scorer",
      },
    ]);
  });

  it("prefixes the pointer of a duplicate in the same multi-document file", () => {
    const { problems } = assembleModels(manifests(`${manifest("a")}---\n${manifest("b")}`), everythingExists);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.pointer} ${p.message}`)).toEqual([
      "13:3 /1/metadata/name model `scorer` is already declared in models/scorer.yaml:5:3",
    ]);
  });
});

describe("assembleModels: INP-003 unresolved references", () => {
  it("reports a missing alerts file and a missing backend file, resolved from the manifest's folder", () => {
    const asked: string[] = [];
    const present = new Set(["/repo/models/alerts/ok.yaml", "/repo/config/prometheus.yaml"]);
    const exists = (absolute: string) => {
      asked.push(absolute);
      return present.has(absolute);
    };
    const { models, problems } = assembleModels(
      manifests(`apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata: { name: scorer, owner: o, tier: high }
spec:
  alerts:
    files:
      - alerts/ok.yaml
      - alerts/missing.yaml
  backends:
    prometheus: ../config/prometheus.yaml
    loki: ../config/loki.yaml
`),
      { repoRoot: REPO, exists },
    );
    expect(asked).toEqual([
      "/repo/models/alerts/ok.yaml",
      "/repo/models/alerts/missing.yaml",
      "/repo/config/prometheus.yaml",
      "/repo/config/loki.yaml",
    ]);
    expect(problems).toEqual([
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 8,
        column: 9,
        pointer: "/spec/alerts/files/1",
        message: "`alerts/missing.yaml` does not exist (resolved to models/alerts/missing.yaml)",
        remediation: "correct the path, relative to the manifest's folder, or add the file",
        model: "scorer",
      },
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 11,
        column: 5,
        pointer: "/spec/backends/loki",
        message: "`../config/loki.yaml` does not exist (resolved to config/loki.yaml)",
        remediation: "correct the path, relative to the manifest's folder, or add the file",
        model: "scorer",
      },
    ]);
    // The model is still assembled: an unresolved reference is reported, not fatal.
    expect(models.map((m) => m.input.model?.name)).toEqual(["scorer"]);
  });
});

describeWith(["shared"], "assembleModels: the shared fraud-detector example", () => {
  const absolute = join(SHARED_DIR, "examples", "fraud-detector.obsgate.yaml");

  it("loads, validates and normalises it", async () => {
    const loaded = await loadFile({ absolute, path: "examples/fraud-detector.obsgate.yaml" }, DEFAULT_LIMITS);
    expect(loaded.file).toEqual({ path: "examples/fraud-detector.obsgate.yaml", kind: "model-manifest", status: "evaluated" });
    const asked: string[] = [];
    const { models, problems } = assembleModels(loaded.documents, {
      repoRoot: SHARED_DIR,
      exists: (p) => {
        asked.push(p);
        return true;
      },
    });
    expect(problems).toEqual([]);
    expect(asked).toEqual(
      ["alerts/fraud-detector.rules.yaml", "config/prometheus.yaml", "config/loki.yaml", "config/tempo.yaml"].map((p) =>
        join(SHARED_DIR, "examples", p),
      ),
    );
    const input = models[0]!.input;
    expect(input.model).toEqual({
      name: "fraud-detector",
      version: "v2.1.0",
      owner: "team-risk",
      tier: "critical",
      riskClass: "high-risk",
      type: "predictive",
      framework: "kserve",
      trainingData: { dataset: "transactions", version: "2026-10-01" },
      timeoutSeconds: 2,
      file: "examples/fraud-detector.obsgate.yaml",
    });
    expect(input.metrics.map((m) => [m.name, m.type, m.labels.map((l) => `${l.name}=${l.values}`).join(","), m.buckets?.length ?? null])).toEqual([
      ["fraud_inference_requests_total", "counter", "model=1,model_version=3,region=12,status_code=6", null],
      ["fraud_inference_latency_seconds", "histogram", "model=1,model_version=3,region=12", 8],
      ["fraud_feature_drift_psi", "gauge", "model=1,feature=40", null],
    ]);
    expect(input.slos.map((s) => [s.name, s.windowSeconds, s.sli.thresholdSeconds, s.sli.errorSelector])).toEqual([
      ["latency-p95", 2_592_000, 0.2, null],
      ["availability", 2_592_000, null, 'status_code=~"5.."'],
    ]);
    expect(input.retention).toEqual({ declared: { metricsSeconds: 2_592_000, logsSeconds: 15_897_600, tracesSeconds: 604_800 } });
    expect(input.resource).toEqual({
      "service.name": "fraud-api",
      "service.version": "2.1.0",
      "deployment.environment.name": "production",
    });
    expect(input.logs?.tenant).toBe("risk");
    expect(input.traces?.sampling).toEqual({ strategy: "tail", keepErrors: true, ratio: 0.1 });
    expect(input.fleet).toEqual({
      models: ["fraud-detector"],
      metrics: ["fraud_feature_drift_psi", "fraud_inference_latency_seconds", "fraud_inference_requests_total"],
    });
  });

  it("reports its references as INP-003 where they are missing, at their lines", async () => {
    const loaded = await loadFile({ absolute, path: "examples/fraud-detector.obsgate.yaml" }, DEFAULT_LIMITS);
    const { problems } = assembleModels(loaded.documents, { repoRoot: SHARED_DIR, exists: () => false });
    expect(problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.pointer}`)).toEqual([
      "INP-003 56:13 /spec/alerts/files/0",
      "INP-003 62:5 /spec/backends/prometheus",
      "INP-003 63:5 /spec/backends/loki",
      "INP-003 64:5 /spec/backends/tempo",
    ]);
  });
});
