// classifyDocument: what a document is, by its content only: a manifest, a rule file, a backend
// config (the details of telling backends apart are in backend-kind.test.ts), or skipped with a reason.
import { describe, expect, it } from "vitest";
import { classifyDocument, describeType, isObject } from "../../src/load/classify.js";

describe("classifyDocument", () => {
  it("recognises a model manifest", () => {
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1", kind: "ModelObservability", metadata: {} })).toEqual({
      kind: "model-manifest",
    });
  });

  it("reports an obsgate kind it does not know as a typo, not a skip", () => {
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1", kind: "ModelObservabilty" })).toEqual({
      unknownObsgateKind: "obsgate.dev/v1 ModelObservabilty",
    });
    expect(classifyDocument({ apiVersion: "obsgate.dev/v2", kind: "ModelObservability" })).toEqual({
      unknownObsgateKind: "obsgate.dev/v2 ModelObservability",
    });
    expect(classifyDocument({ apiVersion: "obsgate.dev/v1" })).toEqual({ unknownObsgateKind: "obsgate.dev/v1 (no kind)" });
  });

  it("recognises a PrometheusRule resource of any monitoring.coreos.com version", () => {
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", spec: { groups: [] } })).toEqual({
      kind: "prometheus-rule-resource",
    });
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "PrometheusRule" })).toEqual({
      kind: "prometheus-rule-resource",
    });
  });

  it("recognises a Prometheus Operator `Prometheus` resource, whose spec.retention obsgate reads", () => {
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", spec: { retention: "30d" } })).toEqual({
      kind: "prometheus-operator",
    });
    expect(classifyDocument({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus" })).toEqual({ kind: "prometheus-operator" });
  });

  it("skips the other monitoring.coreos.com kinds, which hold no rules, retention or scrape settings", () => {
    for (const kind of ["Alertmanager", "AlertmanagerConfig", "PrometheusAgent", "ThanosRuler", "Probe"]) {
      const version = kind === "AlertmanagerConfig" ? "monitoring.coreos.com/v1alpha1" : "monitoring.coreos.com/v1";
      expect(classifyDocument({ apiVersion: version, kind, spec: { retention: "24h" } })).toEqual({
        skip: `not a kind obsgate reads (${version} ${kind})`,
      });
    }
  });

  it("recognises a plain Prometheus rule file by its `groups:` list", () => {
    expect(classifyDocument({ groups: [{ name: "g", rules: [] }] })).toEqual({ kind: "prometheus-rules" });
    expect(classifyDocument({ groups: [] })).toEqual({ kind: "prometheus-rules" });
  });

  it("does not take `groups:` that is not a list, or beside a kind, for a rule file", () => {
    expect(classifyDocument({ groups: "x" })).toEqual({ skip: "not a kind obsgate reads (no apiVersion/kind, no groups)" });
    expect(classifyDocument({ kind: "Thing", groups: [] })).toEqual({ skip: "not a kind obsgate reads (? Thing)" });
  });

  it("skips a Deployment with the reason", () => {
    expect(classifyDocument({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } })).toEqual({
      skip: "not a kind obsgate reads (apps/v1 Deployment)",
    });
  });

  it("recognises a Deployment or StatefulSet only when it runs the Prometheus server", () => {
    const workload = (kind: string, container: Record<string, unknown>) => ({
      apiVersion: "apps/v1",
      kind,
      metadata: { name: "prometheus" },
      spec: { template: { spec: { containers: [container] } } },
    });
    const server = { name: "prometheus", image: "quay.io/prometheus/prometheus:v3.5.0", args: ["--storage.tsdb.retention.time=30d"] };
    expect(classifyDocument(workload("StatefulSet", server))).toEqual({ kind: "prometheus-workload" });
    expect(classifyDocument(workload("Deployment", server))).toEqual({ kind: "prometheus-workload" });
    // The model's own server, or Alertmanager, is someone else's kind.
    expect(classifyDocument(workload("Deployment", { name: "api", image: "registry.example.com/churn-api:1.4.0" }))).toEqual({
      skip: "not a kind obsgate reads (apps/v1 Deployment)",
    });
    expect(classifyDocument(workload("StatefulSet", { name: "am", image: "quay.io/prometheus/alertmanager:v0.28.0", args: ["--config.file=/etc/am.yml"] }))).toEqual({
      skip: "not a kind obsgate reads (apps/v1 StatefulSet)",
    });
  });

  it("recognises backend configs without apiVersion/kind by their keys", () => {
    expect(classifyDocument({ global: { scrape_interval: "15s" } })).toEqual({ kind: "prometheus-config" });
    expect(classifyDocument({ scrape_configs: [{ job_name: "churn-api" }] })).toEqual({ kind: "prometheus-config" });
    expect(classifyDocument({ compactor: { retention_enabled: true }, limits_config: { retention_period: "30d" } })).toEqual({ kind: "loki-config" });
    expect(classifyDocument({ overrides: { growth: { retention_period: "60d" } } })).toEqual({ kind: "loki-overrides" });
    expect(classifyDocument({ compactor: { compaction: { block_retention: "336h" } } })).toEqual({ kind: "tempo-config" });
    expect(classifyDocument({ overrides: { growth: { compaction: { block_retention: "720h" } } } })).toEqual({ kind: "tempo-overrides" });
  });

  it("takes a rule file's `groups:` for rules even beside keys a backend config has", () => {
    expect(classifyDocument({ groups: [], global: { scrape_interval: "15s" } })).toEqual({ kind: "prometheus-rules" });
  });

  it("skips a mapping that is neither a rule file nor a backend config, near misses included", () => {
    expect(classifyDocument({ name: "x", replicas: 3 })).toEqual({
      skip: "not a kind obsgate reads (no apiVersion/kind, no groups)",
    });
    // Alertmanager's config has `global:` too; its routing tree tells it apart.
    expect(classifyDocument({ global: { resolve_timeout: "5m" }, route: { receiver: "ml-oncall" }, receivers: [{ name: "ml-oncall" }] })).toEqual({
      skip: "not a kind obsgate reads (no apiVersion/kind, no groups)",
    });
    // Mimir's config has a compactor and limits of its own: it is Mimir's, not Loki's.
    expect(classifyDocument({ limits: { compactor_blocks_retention_period: "1y" }, compactor: { data_dir: "/data" } })).toEqual({
      kind: "mimir-config",
    });
    expect(classifyDocument({ apiVersion: "v1" })).toEqual({ skip: "not a kind obsgate reads (v1 ?)" });
  });

  it("ignores non-string apiVersion and kind", () => {
    expect(classifyDocument({ apiVersion: 1, kind: ["ModelObservability"], groups: [] })).toEqual({ kind: "prometheus-rules" });
  });

  it("skips scalar and list documents, naming their type", () => {
    expect(classifyDocument("hello")).toEqual({ skip: "not a mapping (a string)" });
    expect(classifyDocument(42)).toEqual({ skip: "not a mapping (a number)" });
    expect(classifyDocument(true)).toEqual({ skip: "not a mapping (a boolean)" });
    expect(classifyDocument(null)).toEqual({ skip: "not a mapping (null)" });
    expect(classifyDocument([1, 2])).toEqual({ skip: "not a mapping (a list)" });
  });
});

describe("isObject / describeType", () => {
  it("tells mappings from lists and null", () => {
    expect([{}, [], null, "x", 1].map(isObject)).toEqual([true, false, false, false, false]);
    expect([{}, [], null, "x", 1, false].map(describeType)).toEqual([
      "a mapping",
      "a list",
      "null",
      "a string",
      "a number",
      "a boolean",
    ]);
  });
});
