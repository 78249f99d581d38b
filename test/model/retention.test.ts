// effectiveRetention: what Prometheus, Loki and Tempo configs actually enforce, where each value
// comes from, and the problems a backend would refuse to start with.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/load/index.js";
import { goDurationSeconds } from "../../src/model/go-duration.js";
import { loadBackend } from "../helpers/backends.js";
import { locate } from "../../src/schema/index.js";
import {
  effectiveRetention,
  parseStreamSelector,
  type BackendDocuments,
  type RetentionResult,
} from "../../src/model/retention.js";

const FIXTURES = "test/fixtures/backends";
const DAY = 86_400;
const HOUR = 3_600;

/** Documents as the loader produces them; the retention code classifies them itself, by content. */
const load = loadBackend;

function fixture(name: string): LoadedDocument[] {
  return load(readFileSync(join(FIXTURES, name), "utf8"), `${FIXTURES}/${name}`);
}

/** The 1-based line of the first line of a fixture that contains `needle` (after `after`, if given). */
function lineOf(name: string, needle: string, after?: string): number {
  const lines = readFileSync(join(FIXTURES, name), "utf8").split("\n");
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (index === -1) throw new Error(`${needle} not in ${name}`);
  return index + 1;
}

function run(
  slots: Partial<BackendDocuments>,
  logs: { tenant: string | null; stream: Record<string, string> } = { tenant: null, stream: {} },
  traces: { tenant: string | null } = { tenant: null },
): RetentionResult {
  return effectiveRetention({ prometheus: [], loki: [], tempo: [], ...slots }, logs, traces);
}

/** The origin of one ModelInput.retention field, with the line its pointer lands on. */
function origin(result: RetentionResult, inputPointer: string, docs: LoadedDocument[]) {
  const found = result.origins.filter((o) => o.inputPointer === inputPointer);
  expect(found, `one origin for ${inputPointer}`).toHaveLength(1);
  const o = found[0]!;
  const doc = docs.find((d) => d.file === o.file && d.index === o.document)!;
  // The line as the policy stage finds it: the setting's, or its nearest existing ancestor's.
  return { file: o.file, document: o.document, pointer: o.pointer, line: locate(doc.sourceMap, o.pointer).line };
}

/**
 * The origin of a Loki setting that may be missing: its pointer is the setting's own, where it is or
 * would be written, and its line the nearest one that exists (as the policy stage locates it).
 */
function settingAt(result: RetentionResult, inputPointer: string, docs: LoadedDocument[]) {
  const found = result.origins.filter((o) => o.inputPointer === inputPointer);
  expect(found, `one origin for ${inputPointer}`).toHaveLength(1);
  const o = found[0]!;
  const doc = docs.find((d) => d.file === o.file && d.index === o.document)!;
  return { file: o.file, pointer: o.pointer, ...locate(doc.sourceMap, o.pointer) };
}

describe("Prometheus metrics retention", () => {
  it("reads --storage.tsdb.retention.time from the Prometheus container of a StatefulSet", () => {
    const docs = fixture("prometheus-statefulset.yaml");
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toEqual({
      seconds: 30 * DAY,
      backend: "prometheus",
      setting: "--storage.tsdb.retention.time",
      isDefault: false,
      file: `${FIXTURES}/prometheus-statefulset.yaml`,
    });
    expect(origin(result, "/effective/metrics", docs)).toEqual({
      file: `${FIXTURES}/prometheus-statefulset.yaml`,
      document: 1,
      pointer: "/spec/template/spec/containers/1/args/2",
      line: lineOf("prometheus-statefulset.yaml", "--storage.tsdb.retention.time=30d"),
    });
    expect(result.problems).toEqual([]);
  });

  it("reads the Operator's spec.retention", () => {
    const docs = fixture("prometheus-operator.yaml");
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toEqual({
      seconds: 90 * DAY,
      backend: "prometheus-operator",
      setting: "spec.retention",
      isDefault: false,
      file: `${FIXTURES}/prometheus-operator.yaml`,
    });
    expect(origin(result, "/effective/metrics", docs)).toMatchObject({ pointer: "/spec/retention", line: lineOf("prometheus-operator.yaml", "retention: 90d") });
  });

  it("reads storage.tsdb.retention.time from prometheus.yml", () => {
    const docs = fixture("prometheus.yml");
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toEqual({
      seconds: 45 * DAY,
      backend: "prometheus",
      setting: "storage.tsdb.retention.time",
      isDefault: false,
      file: `${FIXTURES}/prometheus.yml`,
    });
    expect(origin(result, "/effective/metrics", docs)).toMatchObject({ pointer: "/storage/tsdb/retention/time", line: lineOf("prometheus.yml", "time: 45d") });
  });

  it("lets the config file's retention override the flag, as Prometheus 3 does", () => {
    const docs = [...fixture("prometheus-statefulset.yaml"), ...fixture("prometheus.yml")];
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toMatchObject({ seconds: 45 * DAY, setting: "storage.tsdb.retention.time", file: `${FIXTURES}/prometheus.yml` });
  });

  it("prefers an Operator resource in the slot over other Prometheus documents", () => {
    const docs = [...fixture("prometheus.yml"), ...fixture("prometheus-operator.yaml")];
    expect(run({ prometheus: docs }).effective.metrics).toMatchObject({ seconds: 90 * DAY, backend: "prometheus-operator" });
  });

  const workload = (containers: string) =>
    load(
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
spec:
  template:
    spec:
      containers:
${containers}`,
      "deploy/prometheus.yaml",
    );

  it("reads the `--flag value` form, locating the value", () => {
    const docs = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          args:
            - --config.file=/etc/prometheus/prometheus.yml
            - --storage.tsdb.retention.time
            - 90d
`);
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toMatchObject({ seconds: 90 * DAY, setting: "--storage.tsdb.retention.time", isDefault: false });
    expect(origin(result, "/effective/metrics", docs)).toMatchObject({ pointer: "/spec/template/spec/containers/0/args/2", line: 14 });
  });

  it("reads the deprecated --storage.tsdb.retention, which .time overrides", () => {
    const old = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          args: ["--storage.tsdb.retention=400d"]
`);
    expect(run({ prometheus: old }).effective.metrics).toMatchObject({ seconds: 400 * DAY, setting: "--storage.tsdb.retention" });
    const both = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          args: ["--storage.tsdb.retention.time=60d", "--storage.tsdb.retention=400d"]
`);
    expect(run({ prometheus: both }).effective.metrics).toMatchObject({ seconds: 60 * DAY, setting: "--storage.tsdb.retention.time" });
  });

  it("applies the 15d default when neither time nor size is set, located at the container's args", () => {
    const docs = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          args:
            - --config.file=/etc/prometheus/prometheus.yml
`);
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toEqual({
      seconds: 15 * DAY,
      backend: "prometheus",
      setting: "--storage.tsdb.retention.time (unset: Prometheus default 15d)",
      isDefault: true,
      file: "deploy/prometheus.yaml",
    });
    expect(origin(result, "/effective/metrics", docs)).toMatchObject({ pointer: "/spec/template/spec/containers/0/args", line: 11 });
  });

  it("applies the default to a prometheus.yml without retention, located at its root", () => {
    const docs = load("global:\n  scrape_interval: 15s\nscrape_configs: []\n", "prometheus.yml");
    const result = run({ prometheus: docs });
    expect(result.effective.metrics).toMatchObject({ seconds: 15 * DAY, setting: "storage.tsdb.retention.time (unset: Prometheus default 15d)", isDefault: true });
    expect(origin(result, "/effective/metrics", docs)).toMatchObject({ pointer: "/storage/tsdb/retention/time", line: 1 });
  });

  it("has no time limit when only a size is set (the 15d default then does not apply)", () => {
    const docs = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          args: ["--storage.tsdb.retention.size=50GB"]
`);
    expect(run({ prometheus: docs }).effective.metrics).toEqual({
      seconds: null,
      backend: "prometheus",
      setting: "--storage.tsdb.retention.size (size-based only: no time limit)",
      isDefault: false,
      file: "deploy/prometheus.yaml",
    });
  });

  it("resolves $(VAR) from the container's env, and gives up when the value is not in the file", () => {
    const literal = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          env:
            - name: RETENTION
              value: 60d
          args: ["--storage.tsdb.retention.time=$(RETENTION)"]
`);
    expect(run({ prometheus: literal }).effective.metrics).toMatchObject({ seconds: 60 * DAY });
    const fromConfigMap = workload(`        - name: prometheus
          image: prom/prometheus:v2.53.0
          env:
            - name: RETENTION
              valueFrom: {configMapKeyRef: {name: prometheus, key: retention}}
          args: ["--storage.tsdb.retention.time=$(RETENTION)"]
`);
    const result = run({ prometheus: fromConfigMap });
    expect(result.effective.metrics).toBeNull();
    expect(result.origins).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it("reads flags from a shell script that execs prometheus", () => {
    const docs = workload(`        - name: prometheus
          image: registry.example.com/base/ubi9:latest
          command: ["/bin/sh", "-c", "exec /bin/prometheus --config.file=/etc/prometheus.yml --storage.tsdb.retention.time=7d"]
`);
    expect(run({ prometheus: docs }).effective.metrics).toMatchObject({ seconds: 7 * DAY, setting: "--storage.tsdb.retention.time" });
  });

  it("reports a flag value Prometheus cannot read at its line, prefixed with the document index, and falls back", () => {
    const docs = [
      ...load(
        `apiVersion: v1
kind: Service
metadata: {name: prometheus}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: prometheus}
spec:
  template:
    spec:
      containers:
        - name: prometheus
          image: prom/prometheus:v3.4.1
          args:
            - --storage.tsdb.retention.time=2 weeks
`,
        "deploy/prometheus.yaml",
      ),
    ];
    const result = run({ prometheus: docs });
    expect(result.problems).toEqual([
      {
        rule: "INP-002",
        file: "deploy/prometheus.yaml",
        line: 15,
        column: 15,
        pointer: "/1/spec/template/spec/containers/0/args/0",
        message:
          "`--storage.tsdb.retention.time` is `2 weeks`, which Prometheus does not read as a duration; it takes a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
        remediation:
          "write --storage.tsdb.retention.time as a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
        model: null,
      },
    ]);
    expect(result.effective.metrics).toMatchObject({ seconds: 15 * DAY, isDefault: true });
  });

  it("applies the Operator's 24h default, and no time limit with retentionSize only", () => {
    const operator = (spec: string) =>
      load(`apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s}\nspec:\n  replicas: 1\n${spec}`, "prometheus-k8s.yaml");
    const unset = operator("");
    const result = run({ prometheus: unset });
    expect(result.effective.metrics).toEqual({
      seconds: DAY,
      backend: "prometheus-operator",
      setting: "spec.retention (unset: Prometheus Operator default 24h)",
      isDefault: true,
      file: "prometheus-k8s.yaml",
    });
    expect(origin(result, "/effective/metrics", unset)).toMatchObject({ pointer: "/spec/retention", line: 4 });
    expect(run({ prometheus: operator("  retentionSize: 50GB\n") }).effective.metrics).toMatchObject({
      seconds: null,
      setting: "spec.retentionSize (size-based only: no time limit)",
      isDefault: false,
    });
    const bad = run({ prometheus: operator("  retention: 30days\n") });
    expect(bad.problems.map((p) => [p.line, p.column, p.pointer])).toEqual([[6, 3, "/spec/retention"]]);
    expect(bad.effective.metrics).toMatchObject({ seconds: DAY, isDefault: true });
  });

  it("is null when the slot holds no Prometheus document", () => {
    const result = run({ prometheus: load("groups: []\n", "rules.yaml") });
    expect(result.effective.metrics).toBeNull();
    expect(result.origins).toEqual([]);
  });
});

describe("Loki logs retention", () => {
  const loki = () => [...fixture("loki-config.yaml"), ...fixture("loki-runtime.yaml")];

  it("reads the compactor and schema settings, each with its origin", () => {
    const docs = loki();
    const result = run({ loki: docs }, { tenant: "churn-team", stream: { app: "churn-model" } });
    expect(result.loki).toEqual({
      file: `${FIXTURES}/loki-config.yaml`,
      retentionEnabled: true,
      deleteRequestStore: "s3",
      indexPeriodSeconds: DAY,
    });
    expect(origin(result, "/loki", docs)).toMatchObject({ pointer: "", line: 2 });
    expect(origin(result, "/loki/retentionEnabled", docs)).toMatchObject({
      pointer: "/compactor/retention_enabled",
      line: lineOf("loki-config.yaml", "retention_enabled: true"),
    });
    expect(origin(result, "/loki/deleteRequestStore", docs)).toMatchObject({
      pointer: "/compactor/delete_request_store",
      line: lineOf("loki-config.yaml", "delete_request_store: s3"),
    });
    // The schema in force is the last entry of schema_config.configs.
    expect(origin(result, "/loki/indexPeriodSeconds", docs)).toMatchObject({
      pointer: "/schema_config/configs/1/index/period",
      line: lineOf("loki-config.yaml", "period: 24h", "schema: v13"),
    });
    expect(result.problems).toEqual([]);
  });

  // RET-005's precedence: tenant retention_stream > global retention_stream > tenant retention_period
  // > global retention_period; equal priorities go to the shortest period.
  const precedence: Array<[string, string | null, Record<string, string>, number | null, string, string]> = [
    ["tenant retention_stream (highest priority of the matches)", "fraud-team", { app: "fraud-detector", level: "debug", env: "prod" }, 168 * HOUR, "overrides.fraud-team.retention_stream[0]", "period: 168h"],
    ["tenant retention_stream (the only match)", "fraud-team", { app: "fraud-detector", level: "info", env: "prod" }, 8784 * HOUR, "overrides.fraud-team.retention_stream[1]", "period: 8784h"],
    ["tenant retention_period: a tenant with its own rules ignores the global ones", "fraud-team", { app: "churn-model", env: "prod" }, 4416 * HOUR, "overrides.fraud-team.retention_period", "retention_period: 4416h"],
    ["global retention_stream over the tenant's retention_period", "churn-team", { namespace: "dev", app: "churn-model" }, DAY, "limits_config.retention_stream[0]", "period: 24h"],
    ["global retention_stream: equal priorities, shortest period", "churn-team", { app: "fraud-shadow", env: "prod" }, 2160 * HOUR, "limits_config.retention_stream[2]", "period: 2160h"],
    ["tenant retention_period", "churn-team", { app: "churn-model", env: "staging" }, 2160 * HOUR, "overrides.churn-team.retention_period", "retention_period: 2160h"],
    ["global retention_stream for a tenant without overrides", "ranking-team", { app: "fraud-detector", env: "prod" }, 2160 * HOUR, "limits_config.retention_stream[2]", "period: 2160h"],
    ["global retention_period for a tenant without overrides", "ranking-team", { app: "ranker", env: "staging" }, 744 * HOUR, "limits_config.retention_period", "retention_period: 744h"],
    ["global retention_period when the manifest names no tenant", null, { app: "ranker" }, 744 * HOUR, "limits_config.retention_period", "retention_period: 744h"],
  ];
  it.each(precedence)("%s", (_name, tenant, stream, seconds, setting, line) => {
    const docs = loki();
    const result = run({ loki: docs }, { tenant, stream });
    const file = setting.startsWith("overrides") ? `${FIXTURES}/loki-runtime.yaml` : `${FIXTURES}/loki-config.yaml`;
    expect(result.effective.logs).toEqual({ seconds, backend: "loki", setting, isDefault: false, file });
    const at = origin(result, "/effective/logs", docs);
    const fixtureName = file.slice(FIXTURES.length + 1);
    const after = setting.startsWith("overrides.fraud-team") ? "fraud-team:" : setting.startsWith("overrides.churn-team") ? "churn-team:" : "limits_config:";
    expect(at.file).toBe(file);
    expect(at.line).toBe(lineOf(fixtureName, line, after));
  });

  const config = (limits: string, extra = "") =>
    load(
      `${extra}schema_config:
  configs:
    - from: "2024-01-01"
      store: tsdb
      object_store: s3
      schema: v13
      index: {prefix: index_, period: 24h}
compactor:
  retention_enabled: true
  delete_request_store: s3
limits_config:
${limits}`,
      "loki.yaml",
    );

  it("takes the highest priority over a shorter period, and the first of equal rules", () => {
    const docs = config(`  retention_stream:
    - {selector: '{app="a"}', priority: 1, period: 24h}
    - {selector: '{env="prod"}', priority: 3, period: 720h}
    - {selector: '{app="a", env="prod"}', priority: 3, period: 720h}
`);
    expect(run({ loki: docs }, { tenant: null, stream: { app: "a", env: "prod" } }).effective.logs).toMatchObject({
      seconds: 720 * HOUR,
      setting: "limits_config.retention_stream[1]",
    });
  });

  it("matches anchored regexes, negative matchers, and absent labels as empty", () => {
    const docs = config(`  retention_period: 744h
  retention_stream:
    - {selector: '{app=~"fraud"}', priority: 9, period: 48h}
    - {selector: '{app=~"fraud-.+", tier!="batch"}', priority: 5, period: 72h}
    - {selector: '{app="scorer", region!~"eu-.*"}', priority: 4, period: 96h}
`);
    const seconds = (stream: Record<string, string>) => run({ loki: docs }, { tenant: null, stream }).effective.logs?.seconds;
    expect(seconds({ app: "fraud-detector" })).toBe(72 * HOUR); // `fraud` alone does not match; no tier label is ""
    expect(seconds({ app: "fraud-detector", tier: "batch" })).toBe(744 * HOUR);
    expect(seconds({ app: "fraud" })).toBe(48 * HOUR);
    expect(seconds({ app: "scorer", region: "us-east-1" })).toBe(96 * HOUR);
    expect(seconds({ app: "scorer", region: "eu-west-1" })).toBe(744 * HOUR);
  });

  it("never deletes when compactor.retention_enabled is not true", () => {
    const unset = load("schema_config: {configs: []}\ncompactor:\n  working_directory: /loki\nlimits_config:\n  retention_period: 744h\n", "loki.yaml");
    const result = run({ loki: unset }, { tenant: null, stream: {} });
    expect(result.effective.logs).toEqual({
      seconds: null,
      backend: "loki",
      setting: "compactor.retention_enabled (not true: Loki never deletes logs)",
      isDefault: true,
      file: "loki.yaml",
    });
    expect(origin(result, "/effective/logs", unset)).toMatchObject({ pointer: "/compactor/retention_enabled", line: 2 });
    expect(result.loki).toEqual({ file: "loki.yaml", retentionEnabled: false, deleteRequestStore: null, indexPeriodSeconds: null });
    // Each missing setting keeps its own pointer, so each RET-004 finding has its own fingerprint,
    // and lands on `compactor:` (line 2), the section to add it to.
    expect(settingAt(result, "/loki/retentionEnabled", unset)).toEqual({ file: "loki.yaml", pointer: "/compactor/retention_enabled", line: 2, column: 1 });
    expect(settingAt(result, "/loki/deleteRequestStore", unset)).toEqual({ file: "loki.yaml", pointer: "/compactor/delete_request_store", line: 2, column: 1 });
    // No schema at all in `configs: []`: the period would be written in the list.
    expect(settingAt(result, "/loki/indexPeriodSeconds", unset)).toEqual({ file: "loki.yaml", pointer: "/schema_config/configs", line: 1, column: 17 });
    expect(result.origins.map((o) => o.inputPointer).sort()).toEqual([
      "/effective/logs",
      "/loki",
      "/loki/deleteRequestStore",
      "/loki/indexPeriodSeconds",
      "/loki/retentionEnabled",
    ]);

    const off = load("schema_config: {configs: []}\ncompactor:\n  retention_enabled: false\n", "loki.yaml");
    const explicit = run({ loki: off }, { tenant: null, stream: {} });
    expect(explicit.effective.logs).toMatchObject({ seconds: null, isDefault: false });
    expect(origin(explicit, "/effective/logs", off)).toMatchObject({ pointer: "/compactor/retention_enabled", line: 3 });
  });

  it("locates a missing index period at the last schema, the one in force, and missing sections at the nearest line", () => {
    const docs = load(
      `schema_config:
  configs:
    - from: "2023-01-01"
      store: tsdb
      index: {prefix: index_, period: 24h}
    - from: "2024-01-01"
      store: tsdb
      schema: v13
compactor:
  retention_enabled: true
  delete_request_store: s3
`,
      "loki.yaml",
    );
    const result = run({ loki: docs }, { tenant: null, stream: {} });
    // The earlier schema's 24h is not the one in force.
    expect(result.loki).toEqual({ file: "loki.yaml", retentionEnabled: true, deleteRequestStore: "s3", indexPeriodSeconds: null });
    expect(settingAt(result, "/loki/indexPeriodSeconds", docs)).toEqual({
      file: "loki.yaml",
      pointer: "/schema_config/configs/1/index/period",
      line: 6,
      column: 7,
    });
    // Settings that are there keep their own pointer and line.
    expect(settingAt(result, "/loki/retentionEnabled", docs)).toEqual({ file: "loki.yaml", pointer: "/compactor/retention_enabled", line: 10, column: 3 });
    expect(settingAt(result, "/loki/deleteRequestStore", docs)).toEqual({ file: "loki.yaml", pointer: "/compactor/delete_request_store", line: 11, column: 3 });
    expect(result.problems).toEqual([]);

    // Neither a compactor nor a schema_config: every setting is located at the document.
    const bare = load("# Loki with defaults\nlimits_config:\n  retention_period: 744h\n", "loki.yaml");
    const defaults = run({ loki: bare }, { tenant: null, stream: {} });
    expect(defaults.loki).toEqual({ file: "loki.yaml", retentionEnabled: false, deleteRequestStore: null, indexPeriodSeconds: null });
    expect(
      ["/loki/retentionEnabled", "/loki/deleteRequestStore", "/loki/indexPeriodSeconds"].map((p) => settingAt(defaults, p, bare)),
    ).toEqual([
      { file: "loki.yaml", pointer: "/compactor/retention_enabled", line: 2, column: 1 },
      { file: "loki.yaml", pointer: "/compactor/delete_request_store", line: 2, column: 1 },
      { file: "loki.yaml", pointer: "/schema_config/configs", line: 2, column: 1 },
    ]);
  });

  it("reads retention_period 0 and an unset retention_period as forever", () => {
    const zero = run({ loki: config("  retention_period: 0\n") }, { tenant: null, stream: {} });
    expect(zero.effective.logs).toMatchObject({ seconds: null, setting: "limits_config.retention_period (0: logs are never deleted)", isDefault: false });
    const docs = config("  ingestion_rate_mb: 4\n");
    const unset = run({ loki: docs }, { tenant: null, stream: {} });
    expect(unset.effective.logs).toEqual({
      seconds: null,
      backend: "loki",
      setting: "limits_config.retention_period (unset: default 0s, logs are never deleted)",
      isDefault: true,
      file: "loki.yaml",
    });
    expect(origin(unset, "/effective/logs", docs)).toMatchObject({ pointer: "/limits_config/retention_period", line: 11 });
  });

  it("uses tenant `fake` when auth is disabled, whatever the manifest says", () => {
    const docs = [
      ...config("  retention_period: 744h\n", "auth_enabled: false\n"),
      ...load("overrides:\n  fake:\n    retention_period: 4416h\n  fraud-team:\n    retention_period: 24h\n", "runtime.yaml"),
    ];
    expect(run({ loki: docs }, { tenant: "fraud-team", stream: {} }).effective.logs).toMatchObject({
      seconds: 4416 * HOUR,
      setting: "overrides.fake.retention_period",
      file: "runtime.yaml",
    });
  });

  it("reports `retention_period: 30days` at its line and falls back to the default", () => {
    const docs = fixture("loki-bad-retention.yaml");
    const result = run({ loki: docs }, { tenant: "fraud-team", stream: { app: "fraud-detector" } });
    expect(result.problems).toEqual([
      {
        rule: "INP-002",
        file: `${FIXTURES}/loki-bad-retention.yaml`,
        line: lineOf("loki-bad-retention.yaml", "retention_period: 30days"),
        column: 3,
        pointer: "/limits_config/retention_period",
        message:
          "`limits_config.retention_period` is `30days`, which Loki does not read as a duration; it takes a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
        remediation:
          "write limits_config.retention_period as a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
        model: null,
      },
    ]);
    expect(result.effective.logs).toMatchObject({ seconds: null, isDefault: true });
    expect(result.loki).toMatchObject({ retentionEnabled: true, deleteRequestStore: "filesystem", indexPeriodSeconds: DAY });
  });

  it("refuses Go-only forms, a bad selector and a stream period under 24h, and skips those rules", () => {
    const docs = config(`  retention_period: 1.5h
  retention_stream:
    - {selector: '{app="a"} |= "error"', priority: 1, period: 720h}
    - {selector: '{app=~".*"}', priority: 1, period: 720h}
    - {selector: '{app="a"}', priority: 2, period: 12h}
    - {selector: '{app="a"}', priority: 1}
    - {selector: '{app="a"}', priority: 0, period: 96h}
`);
    const result = run({ loki: docs }, { tenant: null, stream: { app: "a" } });
    expect(result.problems.map((p) => [p.line, p.pointer, p.message.split(":")[0]])).toEqual([
      [12, "/limits_config/retention_period", "`limits_config.retention_period` is `1.5h`, which Loki does not read as a duration; it takes a Prometheus duration"],
      [14, "/limits_config/retention_stream/0/selector", "`limits_config.retention_stream[0].selector` `{app=\"a\"} |= \"error\"` is not a stream selector Loki accepts"],
      [15, "/limits_config/retention_stream/1/selector", "`limits_config.retention_stream[1].selector` `{app=~\".*\"}` is not a stream selector Loki accepts"],
      [16, "/limits_config/retention_stream/2/period", "`limits_config.retention_stream[2].period` is 12h; Loki refuses stream retention under 24h"],
      [17, "/limits_config/retention_stream/3", "`limits_config.retention_stream[3]` has no period; Loki refuses stream retention under 24h"],
    ]);
    expect(result.effective.logs).toMatchObject({ seconds: 96 * HOUR, setting: "limits_config.retention_stream[4]" });
  });

  it("reports bad values of every tenant in the runtime file, not only the model's", () => {
    const docs = [...config("  retention_period: 744h\n"), ...load("overrides:\n  team-a:\n    retention_period: 1 month\n", "runtime.yaml")];
    const result = run({ loki: docs }, { tenant: "team-b", stream: {} });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.pointer}`)).toEqual(["runtime.yaml:3:5 /overrides/team-a/retention_period"]);
    expect(result.effective.logs).toMatchObject({ seconds: 744 * HOUR });
  });

  it("is null without a Loki config in the slot", () => {
    const result = run({ loki: fixture("loki-runtime.yaml") }, { tenant: "fraud-team", stream: {} });
    expect(result.effective.logs).toBeNull();
    expect(result.loki).toBeNull();
  });
});

describe("Tempo traces retention", () => {
  it("reads compactor.compaction.block_retention (2.x)", () => {
    const docs = fixture("tempo-2x.yaml");
    const result = run({ tempo: docs });
    expect(result.effective.traces).toEqual({
      seconds: 720 * HOUR,
      backend: "tempo",
      setting: "compactor.compaction.block_retention",
      isDefault: false,
      file: `${FIXTURES}/tempo-2x.yaml`,
    });
    expect(origin(result, "/effective/traces", docs)).toMatchObject({
      pointer: "/compactor/compaction/block_retention",
      line: lineOf("tempo-2x.yaml", "block_retention: 720h"),
    });
  });

  it("reads backend_worker.compaction.block_retention (3.x) when overrides.defaults is 0", () => {
    const docs = fixture("tempo-3x.yaml");
    const result = run({ tempo: docs });
    expect(result.effective.traces).toEqual({
      seconds: 1440 * HOUR,
      backend: "tempo",
      setting: "backend_worker.compaction.block_retention",
      isDefault: false,
      file: `${FIXTURES}/tempo-3x.yaml`,
    });
    expect(origin(result, "/effective/traces", docs)).toMatchObject({ line: lineOf("tempo-3x.yaml", "block_retention: 1440h") });
  });

  it("lets a non-zero overrides.defaults (a Prometheus-style duration) win", () => {
    const docs = load(
      "distributor: {receivers: {otlp: {}}}\ncompactor:\n  compaction:\n    block_retention: 336h\noverrides:\n  defaults:\n    compaction:\n      block_retention: 30d\n",
      "tempo.yaml",
    );
    const result = run({ tempo: docs });
    expect(result.effective.traces).toMatchObject({ seconds: 30 * DAY, setting: "overrides.defaults.compaction.block_retention" });
    expect(origin(result, "/effective/traces", docs)).toMatchObject({ pointer: "/overrides/defaults/compaction/block_retention", line: 8 });
    const legacy = load("storage: {trace: {backend: local}}\noverrides:\n  max_traces_per_user: 10000\n  block_retention: 48h\n", "tempo.yaml");
    expect(run({ tempo: legacy }).effective.traces).toMatchObject({ seconds: 48 * HOUR, setting: "overrides.block_retention" });
  });

  it("applies the 336h default, located at the nearest existing section", () => {
    const docs = load("distributor:\n  receivers: {otlp: {}}\ncompactor:\n  ring: {kvstore: {store: memberlist}}\n", "tempo.yaml");
    const result = run({ tempo: docs });
    expect(result.effective.traces).toEqual({
      seconds: 336 * HOUR,
      backend: "tempo",
      setting: "compactor.compaction.block_retention (unset: Tempo default 336h)",
      isDefault: true,
      file: "tempo.yaml",
    });
    expect(origin(result, "/effective/traces", docs)).toMatchObject({ pointer: "/compactor/compaction/block_retention", line: 3 });
    const v3 = load("backend_worker:\n  backend_scheduler_addr: scheduler:9095\n", "tempo.yaml");
    expect(run({ tempo: v3 }).effective.traces).toMatchObject({
      seconds: 336 * HOUR,
      setting: "backend_worker.compaction.block_retention (unset: Tempo default 336h)",
    });
  });

  it("applies the model's trace tenant's override, and only that tenant's", () => {
    const docs = [...fixture("tempo-2x.yaml"), ...fixture("tempo-overrides.yaml")];
    const result = run({ tempo: docs }, undefined, { tenant: "fraud-team" });
    expect(result.effective.traces).toEqual({
      seconds: 30 * DAY,
      backend: "tempo",
      setting: "overrides.fraud-team.compaction.block_retention",
      isDefault: false,
      file: `${FIXTURES}/tempo-overrides.yaml`,
    });
    expect(origin(result, "/effective/traces", docs)).toMatchObject({
      pointer: "/overrides/fraud-team/compaction/block_retention",
      line: lineOf("tempo-overrides.yaml", "block_retention: 30d"),
    });
    expect(run({ tempo: docs }, undefined, { tenant: "other-team" }).effective.traces).toMatchObject({ seconds: 720 * HOUR });
  });

  it("without a trace tenant, applies no per-tenant override, but checks them all", () => {
    const docs = [...fixture("tempo-2x.yaml"), ...fixture("tempo-overrides.yaml")];
    expect(run({ tempo: docs }).effective.traces).toMatchObject({ seconds: 720 * HOUR, setting: "compactor.compaction.block_retention" });
    const bad = load("overrides:\n  team-a:\n    compaction:\n      block_retention: 1.5h\n", "overrides.yaml");
    const result = run({ tempo: [...fixture("tempo-2x.yaml"), ...bad] });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.pointer}`)).toEqual([
      "overrides.yaml:4:7 /overrides/team-a/compaction/block_retention",
    ]);
  });

  it("reports `block_retention: 2 weeks` at its line and falls back to the default", () => {
    const docs = fixture("tempo-bad-retention.yaml");
    const result = run({ tempo: docs });
    expect(result.problems).toEqual([
      {
        rule: "INP-002",
        file: `${FIXTURES}/tempo-bad-retention.yaml`,
        line: lineOf("tempo-bad-retention.yaml", "block_retention: 2 weeks"),
        column: 5,
        pointer: "/compactor/compaction/block_retention",
        message:
          "`compactor.compaction.block_retention` is `2 weeks`, which Tempo does not read as a duration; it takes a Go duration: numbers with units from h, m, s, ms, us, ns, and no d, w or y (such as 336h, 1h30m or 1.5h), or 0",
        remediation:
          "write compactor.compaction.block_retention as a Go duration: numbers with units from h, m, s, ms, us, ns, and no d, w or y (such as 336h, 1h30m or 1.5h), or 0",
        model: null,
      },
    ]);
    expect(result.effective.traces).toMatchObject({ seconds: 336 * HOUR, isDefault: true });
  });

  it("refuses `30d` in the compactor, where Go durations have no d", () => {
    const docs = load("compactor:\n  compaction:\n    block_retention: 30d\n", "tempo.yaml");
    const result = run({ tempo: docs });
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([[3, 5]]);
    expect(result.effective.traces).toMatchObject({ isDefault: true });
  });
});

describe("effectiveRetention with empty slots", () => {
  it("knows nothing, and says nothing", () => {
    expect(run({})).toEqual({ effective: { metrics: null, logs: null, traces: null }, loki: null, longTerm: [], origins: [], problems: [] });
  });
});

describe("goDurationSeconds", () => {
  it.each([
    ["336h", 336 * HOUR],
    ["1h30m", 5_400],
    ["1.5h", 5_400],
    ["300ms", 0.3],
    ["2us", 0.000002],
    ["2µs", 0.000002],
    ["1ns", 1e-9],
    ["0", 0],
    ["-0", 0],
    ["+5m", 300],
    ["-1h", -3_600],
    [".5s", 0.5],
    ["5.s", 5],
    ["1h0m0s", 3_600],
    ["2562047h", 2_562_047 * HOUR],
  ])("reads %s", (text, seconds) => {
    expect(goDurationSeconds(text)).toBe(seconds);
  });

  it.each(["", "30d", "1w", "1y", "2 weeks", "1h 30m", "h", ".h", "1", "1.5", "0s0", "1h-30m", "1e3s", "3000000h", "abc", "+", "-"])(
    "refuses %j",
    (text) => {
      expect(goDurationSeconds(text)).toBeNull();
    },
  );
});


describe("parseStreamSelector", () => {
  it("reads every matcher operator and quoting style", () => {
    const parsed = parseStreamSelector(` {namespace="prod", app=~'fraud-.*', tier!=\`batch\`, region!~"eu-\\\\d"} `);
    expect("matchers" in parsed && parsed.matchers.map(({ label, op, value }) => [label, op, value])).toEqual([
      ["namespace", "=", "prod"],
      ["app", "=~", "fraud-.*"],
      ["tier", "!=", "batch"],
      ["region", "!~", "eu-\\d"],
    ]);
  });

  it("refuses what is not label matchers alone", () => {
    for (const text of ['rate({app="a"}[5m])', 'up{app="a"}', '{app="a"}[5m]', '{app="a"', "{}", '{app=~"("}', '{app!="a"}']) {
      expect(parseStreamSelector(text), text).toHaveProperty("error");
    }
  });

  it.each([
    ['{app="a"} |= "error"', 'unexpected input at column 11: syntax error near "|="'],
    ['{app="a"', "unexpected input at column 9: unexpected end of expression"],
    ["", "unexpected input at column 1: empty expression"],
    ['{app="\\d"}', 'unexpected input at column 6: malformed string "\\d" (an unknown or incomplete escape sequence, or no closing quote)'],
    ['{app="\\UFFFFFFFF"}', 'unexpected input at column 6: malformed string "\\UFFFFFFFF" (an unknown or incomplete escape sequence, or no closing quote)'],
    ['{app="a"} offset 5m', "it must be label matchers in braces, and nothing else"],
    ['({app="a"})', "it must be label matchers in braces, and nothing else"],
    ['-{app="a"}', "it must be label matchers in braces, and nothing else"],
    ['{app="a"} * 2', "it must be label matchers in braces, and nothing else"],
    ['{app="a"} @ 100', "it must be label matchers in braces, and nothing else"],
    ['{app="a"} > 1', "it must be label matchers in braces, and nothing else"],
    ['{app="a"} or {env="b"}', "it must be label matchers in braces, and nothing else"],
    ['sum({app="a"})', "it must be label matchers in braces, and nothing else"],
    ['{app="a"} # trailing }', "it must be label matchers in braces, and nothing else"],
    ['"app"', "it must be label matchers in braces, and nothing else"],
    ['up{app="a"}', "a stream selector has no metric name before the braces"],
    ['up {app="a"}', "a stream selector has no metric name before the braces"],
    ["up", "a stream selector has no metric name before the braces"],
    ["{}", "it has no label matchers"],
    ['{"app"}', "it has no label matchers"],
    ['{app=~"(?U)a"}', "the regular expression `(?U)a` is not valid (or uses RE2 syntax JavaScript lacks)"],
    ['{app!="a"}', 'it needs at least one matcher that does not match an empty value, such as app="x" or app=~".+"'],
  ])("refuses %j: %s", (text, error) => {
    expect(parseStreamSelector(text)).toEqual({ error });
  });

  it("reads escapes, quoted label names, a comment inside the braces, and RE2 inline flags", () => {
    const parsed = parseStreamSelector('{"service.name"="a\\x41\\u00e9", # the app\n app=~"(?i)FRAUD-.*",}');
    expect(parsed).toEqual({
      matchers: [
        { label: "service.name", op: "=", value: "aAé", regex: null },
        { label: "app", op: "=~", value: "(?i)FRAUD-.*", regex: /^(?:FRAUD-.*)$/is },
      ],
    });
  });
});
