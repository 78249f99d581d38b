// assembleModels: documents → one normalised ModelInput per model, each node with its origin: the
// manifest, the alert and recording rules that belong to the model (by listed file and by `model`
// label), the retention its backend configs enforce, the fleet index; one input without a model for
// the rules nobody owns; INP-002 for schema violations and duplicate models, INP-003 for references
// that are missing or hold the wrong kind of document.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyDocument } from "../../src/load/classify.js";
import { loadFile, type LoadedDocument } from "../../src/load/index.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import { assembleModels, MODEL_INPUT_API_VERSION, type AssembledModel } from "../../src/model/index.js";
import { DEFAULT_PARAMS } from "../../src/model/params.js";
import { locateInputPointer } from "../../src/policy/index.js";
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

/**
 * Every document of one file's text, each classified by content as loadFile classifies it (a
 * document of no known kind fails the test: loadFile would not hand it over).
 */
function documents(text: string, file: string, root = REPO): LoadedDocument[] {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(`${file}: ${parsed.failure.message}`);
  return parsed.documents.map((doc) => {
    const classification = classifyDocument(doc.value);
    if (!("kind" in classification)) throw new Error(`${file}#${doc.index} is not a known kind: ${JSON.stringify(classification)}`);
    return {
      file,
      index: doc.index,
      value: doc.value,
      sourceMap: doc.sourceMap,
      kind: classification.kind,
      start: doc.start,
      absolute: join(root, file),
      multiDocument: parsed.documents.length > 1,
    };
  });
}

/** Where a finding at a ModelInput pointer would be reported (the policy stage's own lookup). */
function locateIn(model: AssembledModel, docs: readonly LoadedDocument[], pointer: string) {
  return locateInputPointer(model, pointer, (file, index) => docs.find((d) => d.file === file && d.index === index));
}

const everythingExists = { repoRoot: REPO, exists: () => true };

/** `retention` beside `declared` when the manifest names no backend config: nothing enforced is known. */
const NO_RETENTION_ENFORCED = { effective: { metrics: null, logs: null, traces: null }, loki: null, longTerm: [] };

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
    // The rule file it lists, with no rules yet.
    const ruleFile = documents("groups: []\n", "models/alerts/scorer.yaml");
    const { models, problems, unowned, usedFiles, rules, fleet } = assembleModels([...docs, ...ruleFile], everythingExists);
    expect(problems).toEqual([]);
    expect(unowned).toBe(null);
    expect(rules).toEqual([]);
    expect([...usedFiles].sort()).toEqual(["models/alerts/scorer.yaml", "models/scorer.yaml"]);
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
      drift: null,
      payloadLogging: null,
      scrape: null,
      collector: null,
      resource: { "service.name": "svc", port: "8080", debug: "false" },
      alerts: { files: ["alerts/scorer.yaml"] },
      rules: [],
      ruleProblems: [],
      retention: { declared: { metricsSeconds: 1_209_600, logsSeconds: 31_536_000, tracesSeconds: null }, ...NO_RETENTION_ENFORCED },
      params: {
        car_002: { warn: 1000, max: 10_000, model_budget: 50_000 },
        car_003: { max_stream_labels: 15 },
        alr_002: { allowed: ["critical", "warning", "info"] },
        alr_004: { runbook_required_for: ["critical"] },
        alr_006: { min_for_seconds: 300 },
        alr_007: { default_scrape_interval_seconds: 60 },
        alr_010: { default_scrape_interval_seconds: 60 },
        alr_014: { model_label: "model" },
        ret_003: { min_seconds: 1_296_000, max_seconds: 34_560_000 },
        ret_005: { min_log_retention_high_risk_seconds: 15_897_600 },
        ret_006: { max_log_retention_seconds: 2_592_000 },
        cor_004: { model_keys: ["model_name", "model_version"] },
        cor_005: { model_label: "model" },
        cor_006: { request_id_field: "request_id" },
      },
      manifest: docs[0]!.value,
    });
    // The fleet index is not part of the input: the assembly returns it once, for data.fleet.
    expect(fleet).toEqual({
        models: ["scorer"],
        metrics: ["lat_native_seconds", "lat_seconds", "lat_summary_seconds", "req_total"],
        series: [
          "lat_native_seconds",
          "lat_native_seconds_bucket",
          "lat_native_seconds_count",
          "lat_native_seconds_sum",
          "lat_seconds",
          "lat_seconds_bucket",
          "lat_seconds_count",
          "lat_seconds_sum",
          "lat_summary_seconds",
          "lat_summary_seconds_count",
          "lat_summary_seconds_sum",
          "req_total",
        ],
        recorded: [],
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
      traces: { tenant: null, propagators: [], spans: [], attributes: [], metricDimensions: [], sampling: { ratio: 1 } },
      resource: {},
      alerts: { files: [] },
      retention: { declared: { metricsSeconds: null, logsSeconds: null, tracesSeconds: null }, ...NO_RETENTION_ENFORCED },
    });
  });

  it("returns one fleet index for the run: all model names and declared metrics, sorted and unique", () => {
    const text = (name: string, metrics: string[]) =>
      `apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: ${name}, owner: o, tier: standard }\nspec:\n  metrics:\n${metrics
        .map((m) => `    - { name: ${m}, type: gauge }\n`)
        .join("")}`;
    const { models, fleet } = assembleModels(
      [...manifests(text("zeta", ["b_metric", "shared_metric"]), "z.yaml"), ...manifests(text("alpha", ["shared_metric", "a_metric"]), "a.yaml")],
      everythingExists,
    );
    expect(models.map((m) => m.input.model?.name)).toEqual(["zeta", "alpha"]);
    expect(fleet).toEqual({
      models: ["alpha", "zeta"],
      metrics: ["a_metric", "b_metric", "shared_metric"],
      series: ["a_metric", "b_metric", "shared_metric"],
      recorded: [],
    });
    // It reaches policies once, as data.fleet: no input carries a copy.
    for (const model of models) expect(Object.hasOwn(model.input, "fleet")).toBe(false);
  });

  it("lists in the fleet index every series the declared metrics expose: a summary has no _bucket", () => {
    const text = (name: string, metrics: string) =>
      `apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: ${name}, owner: o, tier: standard }\nspec:\n  metrics:\n${metrics}`;
    const { models, fleet } = assembleModels(
      [
        ...manifests(
          text(
            "scorer",
            `    - { name: score_latency_seconds, type: histogram, buckets: [0.1, 1] }
    - { name: score_quantiles_seconds, type: summary, quantiles: [0.5, 0.9] }
    - { name: score_requests_total, type: counter }
`,
          ),
          "scorer.yaml",
        ),
        // A second model declaring the same counter: its series are listed once.
        ...manifests(text("ranker", "    - { name: score_requests_total, type: counter }\n"), "ranker.yaml"),
      ],
      everythingExists,
    );
    expect(models).toHaveLength(2);
    expect(fleet).toEqual({
      models: ["ranker", "scorer"],
      metrics: ["score_latency_seconds", "score_quantiles_seconds", "score_requests_total"],
      series: [
        "score_latency_seconds",
        "score_latency_seconds_bucket",
        "score_latency_seconds_count",
        "score_latency_seconds_sum",
        "score_quantiles_seconds",
        "score_quantiles_seconds_count",
        "score_quantiles_seconds_sum",
        "score_requests_total",
      ],
      recorded: [],
    });
    // One index for the whole run, in no model's input.
    for (const model of models) expect(Object.hasOwn(model.input, "fleet")).toBe(false);
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

  it("assembles no model from documents that are not manifests; a rule file without rules gives no unowned input, but is read", () => {
    const docs = documents("groups: []\n", "models/scorer.yaml");
    expect(assembleModels(docs, everythingExists)).toEqual({
      models: [],
      unowned: null,
      problems: [],
      usedFiles: new Set(["models/scorer.yaml"]),
      rules: [],
      fleet: { models: [], metrics: [], series: [], recorded: [] },
    });
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
      [
        ...manifests(`apiVersion: obsgate.dev/v1
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
        // The two references that resolve hold what their fields expect.
        ...documents("groups: []\n", "models/alerts/ok.yaml"),
        ...documents("storage: { tsdb: { retention: { time: 30d } } }\n", "config/prometheus.yaml"),
      ],
      { repoRoot: REPO, exists },
    );
    // Paths resolve from the manifest's folder; the disk is asked only about files that were not read.
    expect(asked).toEqual(["/repo/models/alerts/missing.yaml", "/repo/config/loki.yaml"]);
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

/** A manifest of model `name` at the top of `spec`, for the tests below. */
const manifestOf = (name: string, spec: string) =>
  `apiVersion: obsgate.dev/v1\nkind: ModelObservability\nmetadata: { name: ${name}, owner: o, tier: standard }\nspec:\n${spec}`;

describe("assembleModels: the fleet index", () => {
  // Two models that share metrics, every metric type, and recording rules in a listed file and in a
  // file no model owns (one name recorded twice): the index lists each name once, sorted, whatever
  // the order of the documents, and no input (not even the one without a model) carries it.
  const docs = [
    ...manifests(
      manifestOf(
        "zeta",
        `  metrics:
    - { name: z_requests_total, type: counter }
    - { name: shared_inflight, type: gauge }
    - { name: z_latency_seconds, type: histogram, buckets: [0.1, 1] }
    - { name: z_native_seconds, type: histogram, native: true }
  alerts: { files: [alerts/zeta.yaml] }
`,
      ),
      "models/zeta.yaml",
    ),
    ...manifests(
      manifestOf(
        "alpha",
        `  metrics:
    - { name: shared_inflight, type: gauge }
    - { name: a_quantiles_seconds, type: summary, quantiles: [0.5, 0.9] }
    - { name: z_requests_total, type: counter }
`,
      ),
      "models/alpha.yaml",
    ),
    ...documents(
      `groups:
  - name: zeta
    rules:
      - record: zeta:requests:rate5m
        expr: sum(rate(z_requests_total[5m]))
      - record: fleet:inflight:sum
        expr: sum(shared_inflight)
`,
      "models/alerts/zeta.yaml",
    ),
    ...documents(
      `groups:
  - name: platform
    rules:
      - record: fleet:inflight:sum
        expr: sum(shared_inflight) by (region)
      - record: apiserver:requests:rate5m
        expr: sum(rate(apiserver_request_total[5m]))
`,
      "rules/platform.yaml",
    ),
  ];
  const expected = {
    models: ["alpha", "zeta"],
    metrics: ["a_quantiles_seconds", "shared_inflight", "z_latency_seconds", "z_native_seconds", "z_requests_total"],
    series: [
      // A summary: its name, _count and _sum, but no _bucket.
      "a_quantiles_seconds",
      "a_quantiles_seconds_count",
      "a_quantiles_seconds_sum",
      // A gauge and a counter: as named, once though two models declare them.
      "shared_inflight",
      // A classic and a native histogram: the name, _bucket, _count and _sum.
      "z_latency_seconds",
      "z_latency_seconds_bucket",
      "z_latency_seconds_count",
      "z_latency_seconds_sum",
      "z_native_seconds",
      "z_native_seconds_bucket",
      "z_native_seconds_count",
      "z_native_seconds_sum",
      "z_requests_total",
    ],
    // Every loaded recording rule's name, from any file, once.
    recorded: ["apiserver:requests:rate5m", "fleet:inflight:sum", "zeta:requests:rate5m"],
  };

  it("returns the run's fleet index, each list sorted and unique, with the series each metric type exposes", () => {
    const assembly = assembleModels(docs, everythingExists);
    expect(assembly.problems).toEqual([]);
    expect(assembly.models.map((m) => m.input.model?.name)).toEqual(["zeta", "alpha"]);
    expect(assembly.fleet).toEqual(expected);
    for (const list of Object.values(assembly.fleet)) {
      expect(list).toEqual([...new Set(list)].sort());
    }
    expect(assembly.unowned?.input.rules.map((r) => r.record)).toEqual(["fleet:inflight:sum", "apiserver:requests:rate5m"]);
    for (const input of [...assembly.models, assembly.unowned!].map((m) => m.input)) expect(Object.hasOwn(input, "fleet")).toBe(false);
  });

  it("gives the same index whatever the order of the documents", () => {
    expect(assembleModels([...docs].reverse(), everythingExists).fleet).toEqual(expected);
  });
});

/** Rules of an input as [file, group, name, ownedBy]. */
const ruleSummary = (model: AssembledModel) => model.input.rules.map((r) => [r.file, r.group, r.alert ?? r.record, r.ownedBy]);

describe("assembleModels: alert and recording rules", () => {
  // models/scorer.yaml lists alerts/scorer.rules.yaml; rules/by-label.yaml is listed by no one, and
  // holds one rule labelled for scorer and one for a model that has no manifest.
  const LISTED = `groups:
  - name: scorer
    rules:
      - alert: ScorerDown
        expr: up{job="scorer"} == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: Scorer is down
      - record: scorer:errors:ratio_rate5m
        expr: sum(rate(req_total{code=~"5.."}[5m])) / sum(rate(req_total[5m]))
        labels:
          model: scorer
`;
  const BY_LABEL = `groups:
  - name: by-label
    rules:
      - alert: ScorerErrors
        expr: scorer:errors:ratio_rate5m > 0.01
        for: 10m
        labels: { severity: warning, model: scorer }
      - alert: RetiredModelDown
        expr: up{job="retired"} == 0
        labels: { severity: info, model: retired }
`;
  const docs = [
    ...manifests(manifestOf("scorer", "  metrics:\n    - { name: req_total, type: counter }\n  alerts:\n    files: [alerts/scorer.rules.yaml]\n")),
    ...documents(LISTED, "models/alerts/scorer.rules.yaml"),
    ...documents(BY_LABEL, "rules/by-label.yaml"),
  ];
  const assembly = assembleModels(docs, everythingExists);
  const scorer = assembly.models[0]!;

  it("gives a model the rules of the files it lists (`file`) and the rules carrying its name in the `model` label (`label`)", () => {
    expect(assembly.problems).toEqual([]);
    expect(ruleSummary(scorer)).toEqual([
      ["models/alerts/scorer.rules.yaml", "scorer", "ScorerDown", ["file"]],
      ["models/alerts/scorer.rules.yaml", "scorer", "scorer:errors:ratio_rate5m", ["file", "label"]],
      ["rules/by-label.yaml", "by-label", "ScorerErrors", ["label"]],
    ]);
    expect(scorer.input.ruleProblems).toEqual([]);
    const { query, ...down } = scorer.input.rules[0]!;
    expect(down).toEqual({
      file: "models/alerts/scorer.rules.yaml",
      group: "scorer",
      alert: "ScorerDown",
      record: null,
      type: "alert",
      expr: 'up{job="scorer"} == 0',
      forSeconds: 300,
      labels: { severity: "critical" },
      annotations: { summary: "Scorer is down" },
      ownedBy: ["file"],
      owners: ["scorer"],
    });
    expect(query).toMatchObject({ error: null, metrics: ["up"] });
    // The recording rule is resolved where an alert reads it: ScorerErrors reads req_total over 5m.
    expect(scorer.input.rules[2]!.query!.alternatives).toEqual([
      [{ metrics: ["req_total"], recorded: ["scorer:errors:ratio_rate5m"], windowSeconds: 300, comparison: { op: ">", bool: false, threshold: 0.01 } }],
    ]);
    expect(assembly.fleet.recorded).toEqual(["scorer:errors:ratio_rate5m"]);
  });

  it("lists every rule read with the models it belongs to, and every rule file as read", () => {
    expect(assembly.rules.map(({ rule, models }) => [rule.rule.alert ?? rule.rule.record, models])).toEqual([
      ["ScorerDown", ["scorer"]],
      ["scorer:errors:ratio_rate5m", ["scorer"]],
      ["ScorerErrors", ["scorer"]],
      ["RetiredModelDown", []],
    ]);
    expect([...assembly.usedFiles].sort()).toEqual(["models/alerts/scorer.rules.yaml", "models/scorer.yaml", "rules/by-label.yaml"]);
  });

  it("puts the rules nobody owns in one input without a model, located at their file", () => {
    const unowned = assembly.unowned!;
    expect(unowned.manifest).toBe(null);
    expect(unowned.input).toEqual({
      apiVersion: MODEL_INPUT_API_VERSION,
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
          file: "rules/by-label.yaml",
          group: "by-label",
          alert: "RetiredModelDown",
          record: null,
          type: "alert",
          expr: 'up{job="retired"} == 0',
          forSeconds: 0,
          labels: { severity: "info", model: "retired" },
          annotations: {},
          query: expect.objectContaining({ error: null, metrics: ["up"] }),
          ownedBy: [],
          owners: [],
        },
      ],
      ruleProblems: [],
      retention: { declared: { metricsSeconds: null, logsSeconds: null, tracesSeconds: null }, ...NO_RETENTION_ENFORCED },
      params: DEFAULT_PARAMS,
      manifest: null,
    });
    // The fleet index is the run's, not in this input either: ALR-013 and the like read it as data.fleet.
    expect(assembly.fleet).toEqual({ models: ["scorer"], metrics: ["req_total"], series: ["req_total"], recorded: ["scorer:errors:ratio_rate5m"] });
    expect(unowned.origins.get("")).toEqual({ file: "rules/by-label.yaml", document: 0, pointer: "" });
    expect(unowned.origins.get("/rules/0")).toEqual({ file: "rules/by-label.yaml", document: 0, pointer: "/groups/0/rules/1" });
    expect(locateIn(unowned, docs, "/rules/0/labels/severity")).toEqual({
      file: "rules/by-label.yaml",
      pointer: "/groups/0/rules/1/labels/severity",
      line: 10,
      column: 19,
    });
  });

  it("maps a rule's nodes to the rule file as written", () => {
    const origin = (pointer: string) => scorer.origins.get(pointer);
    const listed = "models/alerts/scorer.rules.yaml";
    expect(origin("/rules/0")).toEqual({ file: listed, document: 0, pointer: "/groups/0/rules/0" });
    expect(origin("/rules/0/query")).toEqual({ file: listed, document: 0, pointer: "/groups/0/rules/0/expr" });
    expect(origin("/rules/0/forSeconds")).toEqual({ file: listed, document: 0, pointer: "/groups/0/rules/0/for" });
    expect(origin("/rules/1/group")).toEqual({ file: listed, document: 0, pointer: "/groups/0/name" });
    expect(origin("/rules/2")).toEqual({ file: "rules/by-label.yaml", document: 0, pointer: "/groups/0/rules/0" });
    // Fields without an origin of their own are found under their rule: a finding about the
    // severity label is reported at that label in the rule file, not in the manifest.
    expect(origin("/rules/0/labels/severity")).toBe(undefined);
    expect(locateIn(scorer, docs, "/rules/0/labels/severity")).toEqual({ file: listed, pointer: "/groups/0/rules/0/labels/severity", line: 8, column: 11 });
    expect(locateIn(scorer, docs, "/rules/0/annotations/summary")).toEqual({ file: listed, pointer: "/groups/0/rules/0/annotations/summary", line: 10, column: 11 });
    expect(locateIn(scorer, docs, "/rules/2/expr")).toEqual({ file: "rules/by-label.yaml", pointer: "/groups/0/rules/0/expr", line: 5, column: 9 });
    // With no rule at that index, the finding goes to the manifest's `alerts`.
    expect(origin("/rules")).toEqual({ file: "models/scorer.yaml", document: 0, pointer: "/spec/alerts" });
  });

  it("locates a label a rule inherits from its group at the group's label, and a label of its own at the rule", () => {
    const grouped = `groups:
  - name: paging
    labels:
      severity: page
    rules:
      - alert: Inherits
        expr: up{job="scorer"} == 0
      - alert: OwnSeverity
        expr: up{job="scorer"} == 0
        labels: { severity: critical }
`;
    const all = [
      ...manifests(manifestOf("scorer", "  alerts: { files: [../alerts/paging.yaml] }\n"), "models/scorer.yaml"),
      ...documents(grouped, "alerts/paging.yaml"),
    ];
    const [model] = assembleModels(all, everythingExists).models;
    expect(model!.input.rules.map((r) => [r.alert, r.labels])).toEqual([
      ["Inherits", { severity: "page" }],
      ["OwnSeverity", { severity: "critical" }],
    ]);
    expect(model!.origins.get("/rules/0/labels/severity")).toEqual({ file: "alerts/paging.yaml", document: 0, pointer: "/groups/0/labels/severity" });
    expect(locateIn(model!, all, "/rules/0/labels/severity")).toEqual({ file: "alerts/paging.yaml", pointer: "/groups/0/labels/severity", line: 4, column: 7 });
    // The rule's own label needs no origin of its own: it is found under its rule.
    expect(model!.origins.get("/rules/1/labels/severity")).toBe(undefined);
    expect(locateIn(model!, all, "/rules/1/labels/severity")).toEqual({ file: "alerts/paging.yaml", pointer: "/groups/0/rules/1/labels/severity", line: 10, column: 19 });
  });

  it("shares a rule file listed by two models: both get its rules and its problems, and it lists both", () => {
    const shared = `groups:
  - name: platform
    rules:
      - alert: InferenceGatewayDown
        expr: up{job="gateway"} == 0
        for: 5m
        labels: { severity: critical }
      - alert: NoExpr
        labels: { severity: warning }
`;
    const both = [
      ...manifests(manifestOf("a", "  alerts: { files: [../alerts/shared.yaml] }\n"), "models/a.yaml"),
      ...manifests(manifestOf("b", "  alerts: { files: [../alerts/shared.yaml] }\n"), "models/b.yaml"),
      ...documents(shared, "alerts/shared.yaml"),
    ];
    const { models, unowned, rules, problems } = assembleModels(both, everythingExists);
    expect(problems).toEqual([]);
    expect(unowned).toBe(null);
    for (const model of models) {
      expect(ruleSummary(model)).toEqual([
        ["alerts/shared.yaml", "platform", "InferenceGatewayDown", ["file"]],
        ["alerts/shared.yaml", "platform", "NoExpr", ["file"]],
      ]);
      // Each input knows every owner, so a check can tell a shared alert from the model's own.
      expect(model.input.rules.map((r) => r.owners)).toEqual([["a", "b"], ["a", "b"]]);
      expect(model.input.ruleProblems).toEqual([
        {
          file: "alerts/shared.yaml",
          message: 'alert "NoExpr" has no `expr`: add the PromQL expression it evaluates under `expr:`',
        },
      ]);
      // Both models place the problem at the same spot, so the policy stage reports it once.
      expect(locateIn(model, both, "/ruleProblems/0")).toEqual({ file: "alerts/shared.yaml", pointer: "/groups/0/rules/1", line: 8, column: 9 });
    }
    expect(rules.map(({ rule, models: owners }) => [rule.rule.alert, owners])).toEqual([
      ["InferenceGatewayDown", ["a", "b"]],
      ["NoExpr", ["a", "b"]],
    ]);
  });

  it("puts the problems of a rule file nobody owns in the input without a model", () => {
    const { models, unowned } = assembleModels(
      [...manifests(manifestOf("scorer", "  metrics: []\n")), ...documents("groups:\n  - rules: []\n", "rules/orphan.yaml")],
      everythingExists,
    );
    expect(models[0]!.input.ruleProblems).toEqual([]);
    expect(unowned?.input.rules).toEqual([]);
    expect(unowned?.input.ruleProblems).toEqual([
      { file: "rules/orphan.yaml", message: "rule group has no `name`: give every group a name, unique in its file" },
    ]);
    expect(unowned?.origins.get("")).toEqual({ file: "rules/orphan.yaml", document: 0, pointer: "" });
    expect(unowned?.origins.get("/ruleProblems/0")).toEqual({ file: "rules/orphan.yaml", document: 0, pointer: "/groups/0" });
  });

  it("locates a label a rule inherits from its group at the group's label", () => {
    const grouped = `groups:
  - name: scorer
    labels: { severity: page, model: scorer }
    rules:
      - alert: ScorerDown
        expr: up{job="scorer"} == 0
        for: 5m
`;
    const all = [...manifests(manifestOf("scorer", "  metrics: []\n")), ...documents(grouped, "rules/grouped.yaml")];
    const [scorerModel] = assembleModels(all, everythingExists).models;
    expect(scorerModel!.input.rules.map((r) => [r.alert, r.labels, r.ownedBy])).toEqual([["ScorerDown", { severity: "page", model: "scorer" }, ["label"]]]);
    // ALR-002 reports `severity: page` here: the rule itself (line 5) has no severity to fix.
    expect(locateIn(scorerModel!, all, "/rules/0/labels/severity")).toEqual({
      file: "rules/grouped.yaml",
      pointer: "/groups/0/labels/severity",
      line: 3,
      column: 15,
    });
  });

  it("points into the right document of a multi-document file of PrometheusRule resources", () => {
    const resources = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: other }
spec:
  groups: []
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: scorer }
spec:
  groups:
    - name: scorer
      rules:
        - alert: ScorerDown
          expr: up{job="scorer"} == 0
          for: 5m
          labels: { severity: page, model: scorer }
`;
    const all = [...manifests(manifestOf("scorer", "  metrics: []\n")), ...documents(resources, "deploy/rules.yaml")];
    const [scorerModel] = assembleModels(all, everythingExists).models;
    expect(ruleSummary(scorerModel!)).toEqual([["deploy/rules.yaml", "scorer", "ScorerDown", ["label"]]]);
    expect(scorerModel!.origins.get("/rules/0")).toEqual({ file: "deploy/rules.yaml", document: 1, pointer: "/spec/groups/0/rules/0" });
    expect(locateIn(scorerModel!, all, "/rules/0/labels/severity")).toEqual({
      file: "deploy/rules.yaml",
      pointer: "/1/spec/groups/0/rules/0/labels/severity",
      line: 17,
      column: 21,
    });
  });
});

describe("assembleModels: INP-003 references to the wrong kind of file", () => {
  it("reports an alerts.files entry that is a manifest and a backends.loki entry that is a Prometheus config", () => {
    const docs = [
      ...manifests(manifestOf("scorer", "  alerts:\n    files: [other.yaml]\n  backends:\n    loki: ../config/prometheus.yaml\n")),
      ...manifests(manifestOf("other", "  metrics: []\n"), "models/other.yaml"),
      ...documents("global: { scrape_interval: 30s }\nstorage: { tsdb: { retention: { time: 30d } } }\n", "config/prometheus.yaml"),
    ];
    const { models, problems, usedFiles } = assembleModels(docs, everythingExists);
    expect(problems).toEqual([
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 6,
        column: 13,
        pointer: "/spec/alerts/files/0",
        message: "`other.yaml` is not a Prometheus rule file",
        remediation: "point it at a Prometheus rule file, or remove the reference",
        model: "scorer",
      },
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 8,
        column: 5,
        pointer: "/spec/backends/loki",
        message: "`../config/prometheus.yaml` is not a Loki config or Loki runtime overrides file",
        remediation: "point it at a Loki config or Loki runtime overrides file, or remove the reference",
        model: "scorer",
      },
    ]);
    // Nothing is read from either: the other manifest's model gives no rules, the Prometheus
    // config no log retention, and the config counts as named by no manifest.
    const scorer = models.find((m) => m.input.model?.name === "scorer")!;
    expect(scorer.input.rules).toEqual([]);
    expect(scorer.input.retention.effective).toEqual({ metrics: null, logs: null, traces: null });
    expect(scorer.input.retention.loki).toBe(null);
    expect(usedFiles.has("config/prometheus.yaml")).toBe(false);
  });

  it("says why a skipped file is not what the reference expects, and adds nothing for a file that is invalid already", () => {
    const docs = manifests(manifestOf("scorer", "  alerts:\n    files: [deploy.yaml, broken.yaml]\n"));
    const { problems } = assembleModels(docs, {
      ...everythingExists,
      files: [
        { path: "models/scorer.yaml", kind: "model-manifest", status: "evaluated" },
        { path: "models/deploy.yaml", kind: "unknown", status: "skipped", reason: "not a kind obsgate reads (apps/v1 Deployment)" },
        // INP-001 is reported for it already.
        { path: "models/broken.yaml", kind: "unknown", status: "invalid", reason: "YAML syntax error" },
      ],
    });
    expect(problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.pointer} ${p.message}`)).toEqual([
      "INP-003 6:13 /spec/alerts/files/0 `deploy.yaml` is not a Prometheus rule file (not a kind obsgate reads (apps/v1 Deployment))",
    ]);
  });

  it("reports a backends.prometheus entry that is a rule file, not a Prometheus config", () => {
    const docs = [
      ...manifests(manifestOf("scorer", "  backends:\n    prometheus: ../alerts/scorer.rules.yaml\n")),
      ...documents("groups: []\n", "alerts/scorer.rules.yaml"),
    ];
    const { problems } = assembleModels(docs, everythingExists);
    // A rule file (kind prometheus-rules) holds no retention: like any other wrong kind, it is INP-003.
    expect(problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.pointer} ${p.message}`)).toEqual([
      "INP-003 6:5 /spec/backends/prometheus `../alerts/scorer.rules.yaml` is not a Prometheus config, Operator Prometheus resource or Prometheus Deployment/StatefulSet",
    ]);
  });
});

describe("assembleModels: each backend slot takes only its own kinds", () => {
  const fixture = (name: string, file: string) => documents(readFileSync(join("test/fixtures/backends", name), "utf8"), file);
  const RULE_RESOURCE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: scorer }
spec:
  groups: []
`;

  it("accepts every kind of its backend and reports a file of another backend, or a rule file, naming what it expects", () => {
    const docs = [
      ...manifests(
        manifestOf(
          "scorer",
          `  backends:
    prometheus: [../deploy/prometheus-operator.yaml, ../deploy/prometheus-statefulset.yaml, ../deploy/rules.yaml]
    loki: [../config/loki.yaml, ../config/loki-runtime.yaml]
    tempo: [../config/tempo.yaml, ../config/tempo-overrides.yaml, ../config/loki-runtime.yaml]
`,
        ),
      ),
      ...fixture("prometheus-operator.yaml", "deploy/prometheus-operator.yaml"),
      // Its StatefulSet only: the Service before it is a document loadFile skips.
      ...documents(readFileSync("test/fixtures/backends/prometheus-statefulset.yaml", "utf8").split("\n---\n")[1]!, "deploy/prometheus-statefulset.yaml"),
      ...documents(RULE_RESOURCE, "deploy/rules.yaml"),
      ...fixture("loki-config.yaml", "config/loki.yaml"),
      ...fixture("loki-runtime.yaml", "config/loki-runtime.yaml"),
      ...fixture("tempo-3x.yaml", "config/tempo.yaml"),
      ...fixture("tempo-overrides.yaml", "config/tempo-overrides.yaml"),
    ];
    expect(docs.slice(1).map((d) => [d.file, d.kind])).toEqual([
      ["deploy/prometheus-operator.yaml", "prometheus-operator"],
      ["deploy/prometheus-statefulset.yaml", "prometheus-workload"],
      ["deploy/rules.yaml", "prometheus-rule-resource"],
      ["config/loki.yaml", "loki-config"],
      ["config/loki-runtime.yaml", "loki-overrides"],
      ["config/tempo.yaml", "tempo-config"],
      ["config/tempo-overrides.yaml", "tempo-overrides"],
    ]);
    const { problems, usedFiles } = assembleModels(docs, everythingExists);
    expect(problems).toEqual([
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 6,
        column: 93,
        pointer: "/spec/backends/prometheus/2",
        // A PrometheusRule's kind starts with "prometheus-", but it holds no retention.
        message: "`../deploy/rules.yaml` is not a Prometheus config, Operator Prometheus resource or Prometheus Deployment/StatefulSet",
        remediation: "point it at a Prometheus config, Operator Prometheus resource or Prometheus Deployment/StatefulSet, or remove the reference",
        model: "scorer",
      },
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 8,
        column: 67,
        pointer: "/spec/backends/tempo/2",
        message: "`../config/loki-runtime.yaml` is not a Tempo config or Tempo overrides file",
        remediation: "point it at a Tempo config or Tempo overrides file, or remove the reference",
        model: "scorer",
      },
    ]);
    expect([...usedFiles].sort()).toEqual([
      "config/loki-runtime.yaml",
      "config/loki.yaml",
      "config/tempo-overrides.yaml",
      "config/tempo.yaml",
      "deploy/prometheus-operator.yaml",
      "deploy/prometheus-statefulset.yaml",
      // Read as the rule file it is (every rule file is), not as a backend.
      "deploy/rules.yaml",
      "models/scorer.yaml",
    ]);
  });
});

describe("assembleModels: the collector, scrape, Mimir and Thanos slots", () => {
  const fixture = (name: string, file: string) => documents(readFileSync(join("test/fixtures/backends", name), "utf8"), file);

  it("accepts each slot's kinds, reports another kind as INP-003, and fills scrape, collector and long-term retention with origins", () => {
    const docs = [
      ...manifests(
        manifestOf(
          "scorer",
          `  serving: { service: fraud-api, timeoutSeconds: 2 }
  backends:
    prometheus: ../platform/prometheus.yml
    scrape: [../platform/scrape.yml, ../deploy/servicemonitor.yaml, ../platform/mimir.yaml]
    collector: [../platform/otel.yaml, ../deploy/servicemonitor.yaml]
    mimir: [../platform/mimir.yaml, ../platform/mimir-runtime.yaml]
    thanos: [../platform/compact.yaml, ../platform/otel.yaml]
`,
        ),
      ),
      ...fixture("prometheus.yml", "platform/prometheus.yml"),
      ...fixture("prometheus-scrape.yml", "platform/scrape.yml"),
      ...fixture("servicemonitor.yaml", "deploy/servicemonitor.yaml"),
      ...fixture("otel-collector.yaml", "platform/otel.yaml"),
      ...fixture("mimir.yaml", "platform/mimir.yaml"),
      ...fixture("mimir-runtime.yaml", "platform/mimir-runtime.yaml"),
      ...fixture("thanos-compact.yaml", "platform/compact.yaml"),
    ];
    expect(docs.slice(1).map((d) => d.kind)).toEqual([
      "prometheus-config",
      "prometheus-config",
      "prometheus-servicemonitor",
      "otel-collector-config",
      "mimir-config",
      "mimir-overrides",
      "thanos-compact",
    ]);
    const { models, problems, usedFiles } = assembleModels(docs, everythingExists);
    expect(problems.map((p) => `${p.rule} ${p.pointer} ${p.message}`)).toEqual([
      "INP-003 /spec/backends/collector/1 `../deploy/servicemonitor.yaml` is not an OpenTelemetry Collector config or OpenTelemetryCollector resource",
      "INP-003 /spec/backends/scrape/2 `../platform/mimir.yaml` is not a Prometheus config with scrape_configs, a ServiceMonitor or a PodMonitor",
      "INP-003 /spec/backends/thanos/1 `../platform/otel.yaml` is not a Thanos compactor Deployment/StatefulSet (thanos compact)",
    ]);
    const [scorer] = models;
    const input = scorer!.input;
    expect(input.scrape?.jobs.map((j) => j.name)).toEqual(["fraud-api", "serviceMonitor/fraud/fraud-api/0", "serviceMonitor/fraud/fraud-api/1"]);
    expect(input.scrape?.intervalSeconds).toBe(15);
    expect(input.collector?.tailSampling.map((t) => t.id)).toEqual(["tail_sampling"]);
    expect(input.retention.longTerm.map((r) => [r.backend, r.seconds])).toEqual([
      ["mimir", 365 * 86_400],
      ["thanos", 90 * 86_400],
      ["thanos", 180 * 86_400],
      ["thanos", 2 * 365 * 86_400],
    ]);
    // Findings about them land in the backend configs, at the setting.
    expect(locateIn(scorer!, docs, "/scrape/jobs/0/sampleLimit")).toMatchObject({ file: "platform/scrape.yml", pointer: "/scrape_configs/0/sample_limit", line: 5 });
    expect(locateIn(scorer!, docs, "/collector/tailSampling/0/decisionWaitSeconds")).toMatchObject({ file: "platform/otel.yaml", pointer: "/processors/tail_sampling/decision_wait" });
    expect(locateIn(scorer!, docs, "/retention/longTerm/1")).toMatchObject({ file: "platform/compact.yaml", pointer: "/spec/template/spec/containers/0/args/4" });
    expect([...usedFiles].sort()).toEqual([
      "deploy/servicemonitor.yaml",
      "models/scorer.yaml",
      "platform/compact.yaml",
      "platform/mimir-runtime.yaml",
      "platform/mimir.yaml",
      "platform/otel.yaml",
      "platform/prometheus.yml",
      "platform/scrape.yml",
    ]);
  });
});

describe("assembleModels: backends and the retention they enforce", () => {
  const LOKI = `# Loki for every model
compactor:
  working_directory: /loki/compactor
  retention_enabled: true
  delete_request_store: s3
schema_config:
  configs:
    - from: "2024-04-01"
      store: tsdb
      object_store: s3
      schema: v13
      index: { prefix: index_, period: 24h }
limits_config:
  retention_period: 30d
`;

  it("attaches the retention a Loki config named in spec.backends.loki enforces, with its origin", () => {
    const docs = [
      ...manifests(manifestOf("scorer", "  retention: { logs: 30d }\n  backends:\n    loki: ../config/loki.yaml\n")),
      ...documents(LOKI, "config/loki.yaml"),
    ];
    const { models, problems, usedFiles } = assembleModels(docs, everythingExists);
    expect(problems).toEqual([]);
    const scorer = models[0]!;
    expect(scorer.input.retention).toEqual({
      declared: { metricsSeconds: null, logsSeconds: 2_592_000, tracesSeconds: null },
      effective: {
        metrics: null,
        logs: { seconds: 2_592_000, backend: "loki", setting: "limits_config.retention_period", isDefault: false, file: "config/loki.yaml" },
        traces: null,
      },
      loki: { file: "config/loki.yaml", retentionEnabled: true, deleteRequestStore: "s3", indexPeriodSeconds: 86_400 },
      longTerm: [],
    });
    expect(scorer.origins.get("/retention/effective/logs")).toEqual({ file: "config/loki.yaml", document: 0, pointer: "/limits_config/retention_period" });
    expect(scorer.origins.get("/retention/loki/retentionEnabled")).toEqual({ file: "config/loki.yaml", document: 0, pointer: "/compactor/retention_enabled" });
    // A finding about the enforced retention is reported in the Loki config, at the setting.
    expect(locateIn(scorer, docs, "/retention/effective/logs")).toEqual({ file: "config/loki.yaml", pointer: "/limits_config/retention_period", line: 14, column: 3 });
    expect(locateIn(scorer, docs, "/retention/loki/indexPeriodSeconds")).toEqual({
      file: "config/loki.yaml",
      pointer: "/schema_config/configs/0/index/period",
      line: 12,
      column: 32,
    });
    // The declared value stays in the manifest.
    expect(locateIn(scorer, docs, "/retention/declared/logsSeconds")).toMatchObject({ file: "models/scorer.yaml", pointer: "/spec/retention/logs" });
    expect(usedFiles.has("config/loki.yaml")).toBe(true);
  });

  it("reads a backend slot given as a list: a Loki config and its runtime overrides, each reference checked at its index", () => {
    const docs = [
      ...manifests(
        manifestOf(
          "scorer",
          "  logs: { tenant: growth }\n  backends:\n    loki:\n      - ../config/loki.yaml\n      - ../config/loki-overrides.yaml\n      - ../config/missing.yaml\n",
        ),
      ),
      ...documents(LOKI, "config/loki.yaml"),
      ...documents("overrides:\n  growth:\n    retention_period: 60d\n", "config/loki-overrides.yaml"),
    ];
    const { models, problems, usedFiles } = assembleModels(docs, {
      repoRoot: REPO,
      exists: (absolute) => !absolute.endsWith("missing.yaml"),
    });
    expect(problems).toEqual([
      {
        rule: "INP-003",
        file: "models/scorer.yaml",
        line: 10,
        column: 9,
        pointer: "/spec/backends/loki/2",
        message: "`../config/missing.yaml` does not exist (resolved to config/missing.yaml)",
        remediation: "correct the path, relative to the manifest's folder, or add the file",
        model: "scorer",
      },
    ]);
    const scorer = models[0]!;
    // The tenant's retention_period overrides the global one.
    expect(scorer.input.retention.effective.logs).toEqual({
      seconds: 5_184_000,
      backend: "loki",
      setting: "overrides.growth.retention_period",
      isDefault: false,
      file: "config/loki-overrides.yaml",
    });
    expect(scorer.origins.get("/retention/effective/logs")).toEqual({
      file: "config/loki-overrides.yaml",
      document: 0,
      pointer: "/overrides/growth/retention_period",
    });
    expect(scorer.input.retention.loki?.file).toBe("config/loki.yaml");
    expect([...usedFiles].sort()).toEqual(["config/loki-overrides.yaml", "config/loki.yaml", "models/scorer.yaml"]);
  });

  it("locates the Loki settings RET-004 reports as missing by their own pointer, at the nearest line that exists", () => {
    // Neither retention_enabled, nor delete_request_store, nor schema_config is set.
    const docs = [
      ...manifests(manifestOf("scorer", "  backends:\n    loki: ../config/loki.yaml\n")),
      ...documents("# Loki without retention\ncompactor:\n  working_directory: /loki/compactor\nlimits_config:\n  retention_period: 30d\n", "config/loki.yaml"),
    ];
    const scorer = assembleModels(docs, everythingExists).models[0]!;
    expect(scorer.input.retention.loki).toEqual({ file: "config/loki.yaml", retentionEnabled: false, deleteRequestStore: null, indexPeriodSeconds: null });
    // Each is reported at `compactor:` (line 2), the section to add it to; its pointer is the
    // setting's own in the Loki config as written (so two findings never share a fingerprint), never
    // a ModelInput field name such as `/deleteRequestStore` appended to the config's root.
    expect(scorer.origins.get("/retention/loki/retentionEnabled")).toEqual({ file: "config/loki.yaml", document: 0, pointer: "/compactor/retention_enabled" });
    expect(scorer.origins.get("/retention/loki/deleteRequestStore")).toEqual({ file: "config/loki.yaml", document: 0, pointer: "/compactor/delete_request_store" });
    expect(scorer.origins.get("/retention/loki/indexPeriodSeconds")).toEqual({ file: "config/loki.yaml", document: 0, pointer: "/schema_config/configs" });
    expect(locateIn(scorer, docs, "/retention/loki/retentionEnabled")).toEqual({ file: "config/loki.yaml", pointer: "/compactor/retention_enabled", line: 2, column: 1 });
    expect(locateIn(scorer, docs, "/retention/loki/deleteRequestStore")).toEqual({ file: "config/loki.yaml", pointer: "/compactor/delete_request_store", line: 2, column: 1 });
    // No schema_config at all: the index period is located at the document (its first line after the comment).
    expect(locateIn(scorer, docs, "/retention/loki/indexPeriodSeconds")).toEqual({ file: "config/loki.yaml", pointer: "/schema_config/configs", line: 2, column: 1 });
  });

  it("reports a bad value in a Loki config two models share once, naming no model", () => {
    const docs = [
      ...manifests(manifestOf("a", "  backends: { loki: ../config/loki.yaml }\n"), "models/a.yaml"),
      ...manifests(manifestOf("b", "  backends: { loki: ../config/loki.yaml }\n"), "models/b.yaml"),
      ...documents(LOKI.replace("retention_period: 30d", "retention_period: 30days"), "config/loki.yaml"),
    ];
    const { models, problems } = assembleModels(docs, everythingExists);
    expect(problems.map((p) => `${p.rule} ${p.file}:${p.line}:${p.column} ${p.pointer} ${p.model}`)).toEqual([
      "INP-002 config/loki.yaml:14:3 /limits_config/retention_period null",
    ]);
    // The bad value counts as unset: Loki's default (0s) never deletes.
    for (const model of models) expect(model.input.retention.effective.logs?.seconds).toBe(null);
  });
});

describeWith(["shared"], "assembleModels: the shared fraud-detector example", () => {
  const absolute = join(SHARED_DIR, "examples", "fraud-detector.obsgate.yaml");

  it("loads, validates and normalises it", async () => {
    const loaded = await loadFile({ absolute, path: "examples/fraud-detector.obsgate.yaml" }, DEFAULT_LIMITS);
    expect(loaded.file).toEqual({ path: "examples/fraud-detector.obsgate.yaml", kind: "model-manifest", status: "evaluated" });
    // The files it names are not in ../shared: stand in for them with the smallest file of each kind.
    const referenced = [
      ...documents("groups: []\n", "examples/alerts/fraud-detector.rules.yaml", SHARED_DIR),
      ...documents("storage: { tsdb: { retention: { time: 30d } } }\n", "examples/config/prometheus.yaml", SHARED_DIR),
      ...documents(
        "compactor: { retention_enabled: true, delete_request_store: s3 }\nlimits_config: { retention_period: 184d }\n",
        "examples/config/loki.yaml",
        SHARED_DIR,
      ),
      ...documents("compactor: { compaction: { block_retention: 168h } }\n", "examples/config/tempo.yaml", SHARED_DIR),
    ];
    const asked: string[] = [];
    const { models, problems, fleet } = assembleModels([...loaded.documents, ...referenced], {
      repoRoot: SHARED_DIR,
      exists: (p) => {
        asked.push(p);
        return true;
      },
    });
    expect(problems).toEqual([]);
    // Every file it names was read (found by its path resolved from the manifest's folder): no disk lookup.
    expect(asked).toEqual([]);
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
    expect(input.retention).toEqual({
      declared: { metricsSeconds: 2_592_000, logsSeconds: 15_897_600, tracesSeconds: 604_800 },
      effective: {
        metrics: { seconds: 2_592_000, backend: "prometheus", setting: "storage.tsdb.retention.time", isDefault: false, file: "examples/config/prometheus.yaml" },
        logs: { seconds: 15_897_600, backend: "loki", setting: "limits_config.retention_period", isDefault: false, file: "examples/config/loki.yaml" },
        traces: { seconds: 604_800, backend: "tempo", setting: "compactor.compaction.block_retention", isDefault: false, file: "examples/config/tempo.yaml" },
      },
      // No schema_config: the index period is unknown.
      loki: { file: "examples/config/loki.yaml", retentionEnabled: true, deleteRequestStore: "s3", indexPeriodSeconds: null },
      longTerm: [],
    });
    expect(input.rules).toEqual([]);
    expect(input.ruleProblems).toEqual([]);
    expect(input.resource).toEqual({
      "service.name": "fraud-api",
      "service.version": "2.1.0",
      "deployment.environment.name": "production",
    });
    expect(input.logs?.tenant).toBe("risk");
    expect(input.traces?.sampling).toEqual({ strategy: "tail", keepErrors: true, ratio: 0.1 });
    expect(fleet).toEqual({
      models: ["fraud-detector"],
      metrics: ["fraud_feature_drift_psi", "fraud_inference_latency_seconds", "fraud_inference_requests_total"],
      series: [
        "fraud_feature_drift_psi",
        "fraud_inference_latency_seconds",
        "fraud_inference_latency_seconds_bucket",
        "fraud_inference_latency_seconds_count",
        "fraud_inference_latency_seconds_sum",
        "fraud_inference_requests_total",
      ],
      recorded: [],
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
