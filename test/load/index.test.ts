// loadFile / loadFiles: a discovered file → its record (evaluated, skipped or invalid), its
// classified documents, and INP problems with their positions.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentPointer, loadFile, loadFiles, type DiscoveredFile } from "../../src/load/index.js";
import { DEFAULT_LIMITS, type InputLimits } from "../../src/load/limits.js";
import { packageRoot } from "../../src/package-root.js";

const FIXTURES = join(packageRoot(), "test", "fixtures", "load");
const fixture = (name: string): DiscoveredFile => ({ absolute: join(FIXTURES, name), path: `fixtures/${name}` });

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "obsgate-load-")));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): DiscoveredFile {
  const absolute = join(dir, name);
  writeFileSync(absolute, content);
  return { absolute, path: name };
}

const load = (f: DiscoveredFile, limits: Partial<InputLimits> = {}) => loadFile(f, { ...DEFAULT_LIMITS, ...limits });

/** The documents without their source maps, which other tests pin. */
function summary(documents: Awaited<ReturnType<typeof load>>["documents"]) {
  return documents.map(({ sourceMap: _, value: __, ...rest }) => rest);
}

describe("loadFile: evaluated files", () => {
  it("reads a model manifest", async () => {
    const result = await load(fixture("manifest.yaml"));
    expect(result.file).toEqual({ path: "fixtures/manifest.yaml", kind: "model-manifest", status: "evaluated" });
    expect(result.problems).toEqual([]);
    expect(summary(result.documents)).toEqual([
      {
        file: "fixtures/manifest.yaml",
        index: 0,
        kind: "model-manifest",
        start: { line: 2, column: 1 },
        absolute: join(FIXTURES, "manifest.yaml"),
        multiDocument: false,
      },
    ]);
    expect(result.documents[0]!.value).toEqual({
      apiVersion: "obsgate.dev/v1",
      kind: "ModelObservability",
      metadata: { name: "scorer", owner: "team-a", tier: "standard" },
      spec: {},
    });
    expect(result.documents[0]!.sourceMap.get("/metadata/tier")).toEqual({ line: 7, column: 3 });
  });

  it("reads a plain rule file, a PrometheusRule and a JSON rule file", async () => {
    expect((await load(fixture("rules.yaml"))).file).toEqual({ path: "fixtures/rules.yaml", kind: "prometheus-rules", status: "evaluated" });
    expect((await load(fixture("prometheus-rule.yaml"))).file).toEqual({
      path: "fixtures/prometheus-rule.yaml",
      kind: "prometheus-rule-resource",
      status: "evaluated",
    });
    const json = await load(fixture("rules.json"));
    expect(json.file).toEqual({ path: "fixtures/rules.json", kind: "prometheus-rules", status: "evaluated" });
    expect(json.documents[0]!.sourceMap.get("/groups/0/name")).toEqual({ line: 3, column: 6 });
  });

  it("keeps the known documents of a multi-document file, with their indexes", async () => {
    const result = await load(fixture("multi.yaml"));
    expect(result.file).toEqual({ path: "fixtures/multi.yaml", kind: "model-manifest", status: "evaluated" });
    expect(result.problems).toEqual([]);
    expect(summary(result.documents)).toEqual([
      {
        file: "fixtures/multi.yaml",
        index: 1,
        kind: "model-manifest",
        start: { line: 6, column: 1 },
        absolute: join(FIXTURES, "multi.yaml"),
        multiDocument: true,
      },
      {
        file: "fixtures/multi.yaml",
        index: 2,
        kind: "prometheus-rule-resource",
        start: { line: 14, column: 1 },
        absolute: join(FIXTURES, "multi.yaml"),
        multiDocument: true,
      },
    ]);
    // Source maps stay per document: pointers are not prefixed here, only in findings.
    expect(result.documents[0]!.sourceMap.get("/metadata/name")).toEqual({ line: 9, column: 3 });
  });

  // A trailing `---` adds no document: a single-manifest file stays single-document, so its
  // pointers get no /0 prefix.
  it("points into a file with a trailing `---` without a document prefix", async () => {
    const result = await load(file("trailing.yaml", "apiVersion: obsgate.dev/v1\nkind: ModelObservabilty\n---\n"));
    expect(result.problems.map((p) => p.pointer)).toEqual(["/kind"]);
  });
});

describe("loadFile: skipped files", () => {
  it("skips a Deployment with the reason", async () => {
    expect(await load(fixture("deployment.yaml"))).toEqual({
      file: { path: "fixtures/deployment.yaml", kind: "unknown", status: "skipped", reason: "not a kind obsgate reads (apps/v1 Deployment)" },
      documents: [],
      problems: [],
    });
  });

  it("skips a scalar document", async () => {
    expect((await load(fixture("scalar.yaml"))).file).toEqual({
      path: "fixtures/scalar.yaml",
      kind: "unknown",
      status: "skipped",
      reason: "not a mapping (a string)",
    });
  });

  it("skips an empty or blank file", async () => {
    const skipped = { kind: "unknown", status: "skipped", reason: "empty file" };
    expect((await load(file("empty.yaml", ""))).file).toEqual({ path: "empty.yaml", ...skipped });
    expect((await load(file("blank.yaml", " \n\n\t\n"))).file).toEqual({ path: "blank.yaml", ...skipped });
  });

  it("skips a file of comments only as having no documents", async () => {
    expect((await load(file("comments.yaml", "# nothing yet\n"))).file).toEqual({
      path: "comments.yaml",
      kind: "unknown",
      status: "skipped",
      reason: "no documents",
    });
  });

  it("gives the first document's reason when none is known", async () => {
    expect((await load(file("two.yaml", "- 1\n---\napiVersion: v1\nkind: Service\n"))).file).toEqual({
      path: "two.yaml",
      kind: "unknown",
      status: "skipped",
      reason: "not a mapping (a list)",
    });
  });
});

describe("loadFile: backend configs", () => {
  const BACKENDS = join(packageRoot(), "test", "fixtures", "backends");
  const backend = (name: string): DiscoveredFile => ({ absolute: join(BACKENDS, name), path: `backends/${name}` });

  it("reads a Prometheus Operator `Prometheus` resource as prometheus-operator", async () => {
    const result = await load(backend("prometheus-operator.yaml"));
    expect(result.file).toEqual({ path: "backends/prometheus-operator.yaml", kind: "prometheus-operator", status: "evaluated" });
    expect(result.problems).toEqual([]);
    expect(summary(result.documents)).toEqual([
      {
        file: "backends/prometheus-operator.yaml",
        index: 0,
        kind: "prometheus-operator",
        start: { line: 1, column: 1 },
        absolute: join(BACKENDS, "prometheus-operator.yaml"),
        multiDocument: false,
      },
    ]);
  });

  it("keeps the Prometheus StatefulSet of a multi-document file and passes over the Service beside it", async () => {
    const result = await load(backend("prometheus-statefulset.yaml"));
    expect(result.file).toEqual({ path: "backends/prometheus-statefulset.yaml", kind: "prometheus-workload", status: "evaluated" });
    expect(result.problems).toEqual([]);
    expect(result.documents.map((d) => [d.index, d.kind, d.multiDocument, d.start.line])).toEqual([[1, "prometheus-workload", true, 14]]);
  });

  it("classifies plain Prometheus, Loki and Tempo configs and their runtime overrides by content", async () => {
    const result = await loadFiles(
      ["prometheus.yml", "loki-config.yaml", "loki-runtime.yaml", "tempo-2x.yaml", "tempo-3x.yaml", "tempo-overrides.yaml"].map(backend),
      DEFAULT_LIMITS,
    );
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => [f.path, f.kind, f.status])).toEqual([
      ["backends/prometheus.yml", "prometheus-config", "evaluated"],
      ["backends/loki-config.yaml", "loki-config", "evaluated"],
      ["backends/loki-runtime.yaml", "loki-overrides", "evaluated"],
      ["backends/tempo-2x.yaml", "tempo-config", "evaluated"],
      ["backends/tempo-3x.yaml", "tempo-config", "evaluated"],
      ["backends/tempo-overrides.yaml", "tempo-overrides", "evaluated"],
    ]);
  });

  it("classifies collector, scrape, Mimir and Thanos configs by content", async () => {
    const names = ["otel-collector.yaml", "otel-collector-resource.yaml", "servicemonitor.yaml", "podmonitor.yaml", "mimir.yaml", "mimir-runtime.yaml", "thanos-compact.yaml"];
    const result = await loadFiles(names.map(backend), DEFAULT_LIMITS);
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => [f.path, f.kind, f.status])).toEqual([
      ["backends/otel-collector.yaml", "otel-collector-config", "evaluated"],
      ["backends/otel-collector-resource.yaml", "otel-collector-config", "evaluated"],
      ["backends/servicemonitor.yaml", "prometheus-servicemonitor", "evaluated"],
      ["backends/podmonitor.yaml", "prometheus-podmonitor", "evaluated"],
      ["backends/mimir.yaml", "mimir-config", "evaluated"],
      ["backends/mimir-runtime.yaml", "mimir-overrides", "evaluated"],
      ["backends/thanos-compact.yaml", "thanos-compact", "evaluated"],
    ]);
  });

  it("still skips the near misses: a PrometheusAgent, an Alertmanager config, a Deployment that does not run Prometheus", async () => {
    const agent = await load(file("agent.yaml", "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: { name: churn }\nspec:\n  scrapeInterval: 30s\n"));
    expect(agent).toEqual({
      file: { path: "agent.yaml", kind: "unknown", status: "skipped", reason: "not a kind obsgate reads (monitoring.coreos.com/v1alpha1 PrometheusAgent)" },
      documents: [],
      problems: [],
    });
    const alertmanager = await load(file("alertmanager.yml", "global:\n  resolve_timeout: 5m\nroute:\n  receiver: ml-oncall\nreceivers:\n  - name: ml-oncall\n"));
    expect(alertmanager.file).toEqual({
      path: "alertmanager.yml",
      kind: "unknown",
      status: "skipped",
      reason: "not a kind obsgate reads (no apiVersion/kind, no groups)",
    });
    const api = await load(
      file(
        "api.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: churn-api }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: api, image: registry.example.com/churn-api:1.4.0 }\n",
      ),
    );
    expect(api.file).toEqual({ path: "api.yaml", kind: "unknown", status: "skipped", reason: "not a kind obsgate reads (apps/v1 Deployment)" });
  });
});

describe("loadFile: invalid files (INP-001)", () => {
  it("reports a syntax error at its position", async () => {
    expect(await load(file("dup.yaml", "a: 1\nb: 2\na: 3\n"))).toEqual({
      file: { path: "dup.yaml", kind: "unknown", status: "invalid", reason: "duplicate key `a`: it appears twice in the same mapping" },
      documents: [],
      problems: [
        {
          rule: "INP-001",
          file: "dup.yaml",
          line: 3,
          column: 1,
          pointer: "",
          message: "duplicate key `a`: it appears twice in the same mapping",
          remediation: "keep one of the keys; YAML loaders disagree on which wins",
          model: null,
        },
      ],
    });
  });

  it("reports invalid UTF-8 at the line and column of the first bad byte", async () => {
    const result = await load(file("latin1.yaml", Buffer.concat([Buffer.from("a: 1\nb: caf"), Buffer.from([0xe9]), Buffer.from("\n")])));
    expect(result.file).toEqual({ path: "latin1.yaml", kind: "unknown", status: "invalid", reason: "invalid UTF-8 at byte 11" });
    expect(result.problems).toEqual([
      {
        rule: "INP-001",
        file: "latin1.yaml",
        line: 2,
        column: 7,
        pointer: "",
        message: "invalid UTF-8 at byte 11",
        remediation: "save the file as UTF-8",
        model: null,
      },
    ]);
  });

  it("reads a file of exactly max-file-bytes and rejects one byte more", async () => {
    expect((await load(file("ten.yaml", "groups: []"), { maxFileBytes: 10 })).file.status).toBe("evaluated");
    const over = await load(file("eleven.yaml", "groups: [] "), { maxFileBytes: 10 });
    expect(over.problems).toEqual([
      {
        rule: "INP-001",
        file: "eleven.yaml",
        line: 1,
        column: 1,
        pointer: "",
        message: "file is 11 bytes, over the limit of 10",
        remediation: "split the file, or raise limits.max-file-bytes in .obsgate.yaml",
        model: null,
      },
    ]);
    expect(over.file).toEqual({ path: "eleven.yaml", kind: "unknown", status: "invalid", reason: "file is 11 bytes, over the limit of 10" });
  });

  it("reports the parse limits with their positions", async () => {
    const depth = await load(file("deep.yaml", "a:\n  b:\n    c: [1]\n"), { maxDepth: 3 });
    expect(depth.problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`)).toEqual([
      "INP-001 3:8 nesting deeper than 3 levels",
    ]);
    const docs = await load(file("docs.yaml", "groups: []\n---\ngroups: []\n"), { maxDocuments: 1 });
    expect(docs.problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`)).toEqual([
      "INP-001 2:1 more than 1 YAML documents in one file",
    ]);
  });

  it("reports a folder as not a regular file", async () => {
    mkdirSync(join(dir, "folder.yaml"));
    const result = await load({ absolute: join(dir, "folder.yaml"), path: "folder.yaml" });
    expect(result.problems.map((p) => [p.line, p.column, p.message, p.remediation])).toEqual([
      [1, 1, "not a regular file", "point obsgate at YAML or JSON files"],
    ]);
  });

  it("reports a broken symbolic link as unreadable", async () => {
    symlinkSync(join(dir, "nowhere.yaml"), join(dir, "broken.yaml"));
    const result = await load({ absolute: join(dir, "broken.yaml"), path: "broken.yaml" });
    expect(result.file).toEqual({
      path: "broken.yaml",
      kind: "unknown",
      status: "invalid",
      reason: "cannot read the file (it does not exist or is a broken symbolic link)",
    });
    expect(result.problems[0]!.remediation).toBe("make the file readable, or exclude it in .obsgate.yaml");
  });
});

describe("loadFile: unknown obsgate kinds (INP-002)", () => {
  it("reports the typo at its `kind`, with the document index in the pointer of a multi-document file", async () => {
    const result = await load(fixture("typo.yaml"));
    expect(result).toEqual({
      file: { path: "fixtures/typo.yaml", kind: "unknown", status: "invalid", reason: "unknown obsgate kind obsgate.dev/v1 ModelObservabilty" },
      documents: [],
      problems: [
        {
          rule: "INP-002",
          file: "fixtures/typo.yaml",
          line: 5,
          column: 1,
          pointer: "/1/kind",
          message: "unknown obsgate kind obsgate.dev/v1 ModelObservabilty",
          remediation: "use apiVersion: obsgate.dev/v1 with kind: ModelObservability",
          model: null,
        },
      ],
    });
  });

  it("falls back to `apiVersion` when there is no kind, without a prefix in a single-document file", async () => {
    const result = await load(file("nokind.yaml", "# x\napiVersion: obsgate.dev/v2\n"));
    expect(result.problems.map((p) => [p.line, p.column, p.pointer, p.message])).toEqual([
      [2, 1, "/kind", "unknown obsgate kind obsgate.dev/v2 (no kind)"],
    ]);
  });

  it("marks the file invalid even when another document is known, keeping that document", async () => {
    const result = await load(file("mixed.yaml", "groups: []\n---\napiVersion: obsgate.dev/v1\nkind: Model\n"));
    expect(result.file).toEqual({
      path: "mixed.yaml",
      kind: "prometheus-rules",
      status: "invalid",
      reason: "unknown obsgate kind obsgate.dev/v1 Model",
    });
    expect(result.documents.map((d) => [d.index, d.kind])).toEqual([[0, "prometheus-rules"]]);
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.pointer}`)).toEqual(["4:1 /1/kind"]);
  });
});

describe("loadFiles", () => {
  it("keeps the files' order and gathers documents and problems", async () => {
    const result = await loadFiles(
      [fixture("manifest.yaml"), fixture("deployment.yaml"), fixture("typo.yaml"), fixture("multi.yaml")],
      DEFAULT_LIMITS,
    );
    expect(result.files.map((f) => [f.path, f.status, f.kind])).toEqual([
      ["fixtures/manifest.yaml", "evaluated", "model-manifest"],
      ["fixtures/deployment.yaml", "skipped", "unknown"],
      ["fixtures/typo.yaml", "invalid", "unknown"],
      ["fixtures/multi.yaml", "evaluated", "model-manifest"],
    ]);
    expect(result.documents.map((d) => `${d.file}#${d.index} ${d.kind}`)).toEqual([
      "fixtures/manifest.yaml#0 model-manifest",
      "fixtures/multi.yaml#1 model-manifest",
      "fixtures/multi.yaml#2 prometheus-rule-resource",
    ]);
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule} ${p.pointer}`)).toEqual([
      "fixtures/typo.yaml:5:1 INP-002 /1/kind",
    ]);
  });

  it("returns nothing for no files", async () => {
    expect(await loadFiles([], DEFAULT_LIMITS)).toEqual({ files: [], documents: [], problems: [], ignores: [], digests: new Map() });
  });

  it("hashes the bytes of every file it read whole, only when asked (signed provenance)", () => {
    const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    const files = [
      fixture("manifest.yaml"),
      fixture("deployment.yaml"),
      fixture("typo.yaml"),
      file("empty.yaml", ""),
      file("latin1.yaml", Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a])),
      file("big.yaml", `a: ${"x".repeat(2000)}\n`),
      { absolute: join(dir, "missing.yaml"), path: "missing.yaml" },
    ];
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 1000 };
    expect(loadFiles(files, limits).digests).toEqual(new Map());
    const { digests } = loadFiles(files, limits, { digests: true });
    // Evaluated, skipped, invalid after reading: each hashed; over the limit or missing: not read whole, no digest.
    expect([...digests.keys()]).toEqual(["fixtures/manifest.yaml", "fixtures/deployment.yaml", "fixtures/typo.yaml", "empty.yaml", "latin1.yaml"]);
    for (const f of files.slice(0, 5)) expect(digests.get(f.path), f.path).toBe(sha256(readFileSync(f.absolute)));
  });
});

describe("documentPointer", () => {
  it("prefixes the document index only in multi-document files", () => {
    expect(documentPointer(false, 0, "/spec/metrics/0")).toBe("/spec/metrics/0");
    expect(documentPointer(true, 2, "/spec/metrics/0")).toBe("/2/spec/metrics/0");
    expect(documentPointer(true, 0, "")).toBe("/0");
    expect(documentPointer(false, 3, "")).toBe("");
  });
});
