// backendKind: which backend config a document is, by its content only, with realistic documents
// and the near misses that must not be taken for one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendKind, prometheusContainerIndex, thanosCompactContainerIndex } from "../../src/load/backend-kind.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";

function yaml(text: string): unknown[] {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(parsed.failure.message);
  return parsed.documents.map((d) => d.value);
}

function fixture(name: string): unknown[] {
  return yaml(readFileSync(join("test/fixtures/backends", name), "utf8"));
}

const deployment = (containers: string, kind = "Deployment", apiVersion = "apps/v1") =>
  yaml(`apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: x}
spec:
  template:
    spec:
      containers:
${containers}`)[0];

describe("backendKind on the fixtures", () => {
  it.each([
    ["prometheus.yml", ["prometheus-config"]],
    ["prometheus-statefulset.yaml", [null, "prometheus-workload"]],
    ["prometheus-operator.yaml", ["prometheus-operator"]],
    ["loki-config.yaml", ["loki-config"]],
    ["loki-bad-retention.yaml", ["loki-config"]],
    ["loki-runtime.yaml", ["loki-overrides"]],
    ["tempo-2x.yaml", ["tempo-config"]],
    ["tempo-3x.yaml", ["tempo-config"]],
    ["tempo-bad-retention.yaml", ["tempo-config"]],
    ["tempo-overrides.yaml", ["tempo-overrides"]],
    ["otel-collector.yaml", ["otel-collector-config"]],
    ["otel-collector-resource.yaml", ["otel-collector-config"]],
    ["otel-collector-bad.yaml", ["otel-collector-config"]],
    ["servicemonitor.yaml", ["prometheus-servicemonitor"]],
    ["podmonitor.yaml", ["prometheus-podmonitor"]],
    ["prometheus-operator-limits.yaml", ["prometheus-operator"]],
    ["prometheus-scrape.yml", ["prometheus-config"]],
    ["prometheus-scrape-bad.yml", ["prometheus-config"]],
    ["mimir.yaml", ["mimir-config"]],
    ["mimir-runtime.yaml", ["mimir-overrides"]],
    ["thanos-compact.yaml", ["thanos-compact"]],
    ["thanos-compact-bad.yaml", ["thanos-compact"]],
  ])("%s", (name, kinds) => {
    expect(fixture(name).map(backendKind)).toEqual(kinds);
  });
});

describe("prometheus-config", () => {
  it("recognises any of Prometheus's top-level sections in its shape", () => {
    expect(backendKind({ rule_files: ["rules/*.yaml"] })).toBe("prometheus-config");
    expect(backendKind({ global: { scrape_interval: "15s" } })).toBe("prometheus-config");
    expect(backendKind({ storage: { tsdb: { retention: { time: "30d" } } } })).toBe("prometheus-config");
    expect(backendKind({ alerting: { alertmanagers: [] } })).toBe("prometheus-config");
    expect(backendKind({ remote_write: [{ url: "https://mimir/api/v1/push" }] })).toBe("prometheus-config");
  });

  it("does not take an Alertmanager config, Helm values or a rule file for one", () => {
    const alertmanager = yaml(`global:
  resolve_timeout: 5m
  slack_api_url: https://hooks.slack.com/services/X
route:
  receiver: ml-oncall
receivers:
  - name: ml-oncall
`)[0];
    expect(backendKind(alertmanager)).toBeNull();
    const helmValues = yaml(`global:
  imageRegistry: registry.example.com
prometheus:
  prometheusSpec:
    retention: 30d
`)[0];
    expect(backendKind(helmValues)).toBeNull();
    expect(backendKind({ groups: [{ name: "fraud", rules: [] }] })).toBeNull();
    expect(backendKind({ scrape_configs: "not a list" })).toBeNull();
    expect(backendKind({ storage: { trace: { backend: "s3" } } })).toBe("tempo-config");
  });
});

describe("prometheus-workload", () => {
  it("finds the Prometheus server container by its flags, its binary or its image", () => {
    expect(backendKind(deployment(`        - name: server
          image: registry.example.com/acme/tsdb:1.0
          args: ["--storage.tsdb.retention.time=30d"]
`))).toBe("prometheus-workload");
    expect(backendKind(deployment(`        - name: server
          image: registry.example.com/base/ubi9:latest
          command: ["/bin/prometheus", "--config.file=/etc/prometheus.yml"]
`))).toBe("prometheus-workload");
    expect(backendKind(deployment(`        - name: server
          image: registry.example.com/base/ubi9:latest
          command: ["sh", "-c", "exec prometheus --config.file=/etc/prometheus.yml"]
`))).toBe("prometheus-workload");
    expect(backendKind(deployment(`        - name: prometheus-server
          image: docker.io/bitnami/prometheus:2.53.0@sha256:0123456789abcdef
`, "StatefulSet"))).toBe("prometheus-workload");
  });

  it("returns the index of the server among sidecars", () => {
    const containers = [
      { name: "config-reloader", image: "quay.io/prometheus-operator/prometheus-config-reloader:v0.81.0" },
      { name: "thanos-sidecar", image: "quay.io/thanos/thanos:v0.37.2", args: ["sidecar", "--tsdb.path", "/prometheus"] },
      { name: "prometheus", image: "quay.io/prometheus/prometheus:v3.4.1" },
    ];
    expect(prometheusContainerIndex(containers)).toBe(2);
    expect(prometheusContainerIndex(containers.slice(0, 2))).toBeNull();
  });

  it.each([
    ["the Operator itself", `        - name: operator
          image: quay.io/prometheus-operator/prometheus-operator:v0.81.0
          args: ["--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.81.0"]
`],
    ["node exporter", `        - name: node-exporter
          image: quay.io/prometheus/node-exporter:v1.9.1
          args: ["--path.rootfs=/host/root"]
`],
    ["the Helm chart's node exporter", `        - name: node-exporter
          image: quay.io/prometheus/prometheus-node-exporter:v1.9.1
`],
    ["Alertmanager (takes --config.file too)", `        - name: alertmanager
          image: quay.io/prometheus/alertmanager:v0.28.1
          args: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
`],
    ["the blackbox exporter", `        - name: blackbox
          image: prom/blackbox-exporter:v0.26.0
          args: ["--config.file=/config/blackbox.yml"]
`],
    ["the adapter", `        - name: adapter
          image: registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0
`],
    ["the pushgateway", `        - name: pushgateway
          image: prom/pushgateway:v1.11.0
`],
    ["a Thanos sidecar pointing at /prometheus", `        - name: thanos
          image: quay.io/thanos/thanos:v0.37.2
          args: ["sidecar", "--tsdb.path", "/prometheus", "--prometheus.url=http://localhost:9090"]
`],
    ["the model server itself", `        - name: fraud-detector
          image: registry.example.com/ml/fraud-detector:2.3.1
          args: ["--metrics-port=9090"]
`],
  ])("is null for a Deployment running %s", (_name, containers) => {
    expect(backendKind(deployment(containers))).toBeNull();
  });

  it("reads only apps/v1 Deployments and StatefulSets", () => {
    const prometheus = `        - name: prometheus
          image: prom/prometheus:v3.4.1
`;
    expect(backendKind(deployment(prometheus, "DaemonSet"))).toBeNull();
    expect(backendKind(deployment(prometheus, "Deployment", "extensions/v1beta1"))).toBeNull();
    expect(backendKind({ apiVersion: "v1", kind: "List", items: [deployment(prometheus)] })).toBeNull();
    expect(backendKind({ apiVersion: "apps/v1", kind: "Deployment", spec: {} })).toBeNull();
  });
});

describe("prometheus-operator", () => {
  it("is the Prometheus resource only", () => {
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", spec: {} })).toBe("prometheus-operator");
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "PrometheusAgent", spec: {} })).toBeNull();
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", spec: { groups: [] } })).toBeNull();
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1alpha1", kind: "ScrapeConfig", spec: {} })).toBeNull();
    expect(backendKind({ apiVersion: "example.com/v1", kind: "Prometheus" })).toBeNull();
    expect(backendKind({ kind: "Prometheus", spec: { retention: "30d" } })).toBeNull();
  });
});

describe("loki-config", () => {
  it("recognises Loki's own sections, its compactor and its ingester", () => {
    expect(backendKind({ limits_config: { retention_period: "744h" } })).toBe("loki-config");
    expect(backendKind({ schema_config: { configs: [] } })).toBe("loki-config");
    expect(backendKind({ compactor: { retention_enabled: true, working_directory: "/loki" } })).toBe("loki-config");
    expect(backendKind({ ingester: { chunk_idle_period: "30m", chunk_target_size: 1572864 } })).toBe("loki-config");
  });

  it("takes Mimir's config for Mimir's, not Loki's (or Tempo's)", () => {
    const mimir = yaml(`multitenancy_enabled: true
blocks_storage:
  backend: s3
compactor:
  compaction_interval: 30m
  data_dir: /data/compactor
limits:
  compactor_blocks_retention_period: 1y
`)[0];
    expect(backendKind(mimir)).toBe("mimir-config");
    expect(backendKind({ compactor: { compaction_interval: "30m" } })).toBeNull();
  });
});

describe("loki-overrides and tempo-overrides", () => {
  it("tells Loki's runtime file from Tempo's by the limit names", () => {
    expect(backendKind({ overrides: { "team-a": { ingestion_rate_mb: 8 } }, configs: {} })).toBe("loki-overrides");
    expect(backendKind({ overrides: { "team-a": { retention_stream: [] }, "team-b": null } })).toBe("loki-overrides");
    expect(backendKind({ overrides: { "team-a": { block_retention: "48h" } } })).toBe("tempo-overrides");
    expect(backendKind({ overrides: { "*": { ingestion: { rate_limit_bytes: 1 } } } })).toBe("tempo-overrides");
  });

  it("is Mimir's for Mimir's runtime file, and none for a mix or tenants that are not mappings", () => {
    const mimir = yaml(`overrides:
  tenant-a:
    ingestion_rate: 350000
    max_global_series_per_user: 3000000
    max_query_lookback: 744h
    compactor_blocks_retention_period: 1y
`)[0];
    expect(backendKind(mimir)).toBe("mimir-overrides");
    expect(backendKind({ overrides: { a: { retention_period: "744h" }, b: { compaction: { block_retention: "48h" } } } })).toBeNull();
    expect(backendKind({ overrides: { a: { retention_period: "744h" }, b: { compactor_blocks_retention_period: "1y" } } })).toBeNull();
    expect(backendKind({ overrides: { a: { max_query_lookback: "744h" } } })).toBeNull();
    expect(backendKind({ overrides: { a: "744h" } })).toBeNull();
    expect(backendKind({ overrides: {} })).toBeNull();
    expect(backendKind({ overrides: { a: { retention_period: "744h" } }, server: { http_listen_port: 3100 } })).toBeNull();
  });
});

describe("tempo-config", () => {
  it("recognises Tempo's own sections and its shape of shared ones", () => {
    expect(backendKind({ backend_worker: { compaction: { block_retention: "336h" } } })).toBe("tempo-config");
    expect(backendKind({ compactor: { compaction: { block_retention: "336h" } } })).toBe("tempo-config");
    expect(backendKind({ distributor: { receivers: { otlp: {} } } })).toBe("tempo-config");
    expect(backendKind({ server: {}, overrides: { defaults: { compaction: { block_retention: "30d" } } } })).toBe("tempo-config");
    expect(backendKind({ server: {}, overrides: { per_tenant_override_config: "/conf/overrides.yaml" } })).toBe("tempo-config");
    expect(backendKind({ server: {}, overrides: { max_traces_per_user: 10000, block_retention: "48h" } })).toBe("tempo-config");
  });
});

describe("backendKind on what is no backend config", () => {
  it.each([
    ["an obsgate manifest", { apiVersion: "obsgate.dev/v1", kind: "ModelObservability", metadata: { name: "x" } }],
    ["a Service", { apiVersion: "v1", kind: "Service", spec: {} }],
    ["a ConfigMap", { apiVersion: "v1", kind: "ConfigMap", data: { "loki.yaml": "limits_config: {}" } }],
    ["a list", [{ scrape_configs: [] }]],
    ["a string", "scrape_configs: []"],
    ["null", null],
    ["an empty mapping", {}],
  ])("is null for %s", (_name, value) => {
    expect(backendKind(value)).toBeNull();
  });
});

describe("otel-collector-config", () => {
  it("recognises service.pipelines beside the collector's component sections", () => {
    const pipelines = { traces: { receivers: ["otlp"], exporters: ["otlp"] } };
    expect(backendKind({ receivers: { otlp: {} }, service: { pipelines } })).toBe("otel-collector-config");
    expect(backendKind({ processors: { batch: {} }, service: { pipelines } })).toBe("otel-collector-config");
    expect(backendKind({ apiVersion: "opentelemetry.io/v1beta1", kind: "OpenTelemetryCollector", spec: { config: { service: { pipelines } } } })).toBe(
      "otel-collector-config",
    );
  });

  it("does not take near misses for one", () => {
    // v1alpha1 holds the config as a string, whose lines obsgate cannot point at.
    expect(backendKind({ apiVersion: "opentelemetry.io/v1alpha1", kind: "OpenTelemetryCollector", spec: { config: "receivers: {}" } })).toBeNull();
    expect(backendKind({ service: { pipelines: {} } })).toBeNull();
    expect(backendKind({ receivers: { otlp: {} }, service: { telemetry: {} } })).toBeNull();
    // Tempo's receivers sit under distributor.
    expect(backendKind({ distributor: { receivers: { otlp: {} } } })).toBe("tempo-config");
  });
});

describe("prometheus-servicemonitor and prometheus-podmonitor", () => {
  it("are the Operator's ServiceMonitor and PodMonitor", () => {
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", spec: {} })).toBe("prometheus-servicemonitor");
    expect(backendKind({ apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", spec: {} })).toBe("prometheus-podmonitor");
    expect(backendKind({ apiVersion: "example.com/v1", kind: "ServiceMonitor", spec: {} })).toBeNull();
  });
});

describe("thanos-compact", () => {
  it("finds the compactor by its retention flags, `thanos compact`, or a Thanos image's `compact` args", () => {
    expect(thanosCompactContainerIndex([{ image: "registry.example.com/tsdb:1", args: ["--retention.resolution-raw=30d"] }])).toBe(0);
    expect(thanosCompactContainerIndex([{ image: "ubi9", command: ["sh", "-c", "exec /bin/thanos compact --wait"] }])).toBe(0);
    expect(thanosCompactContainerIndex([{ name: "x", image: "busybox" }, { image: "quay.io/thanos/thanos:v0.37.2", args: ["compact", "--wait"] }])).toBe(1);
  });

  it("is not another Thanos component, nor a Prometheus with a Thanos sidecar", () => {
    expect(thanosCompactContainerIndex([{ image: "quay.io/thanos/thanos:v0.37.2", args: ["store", "--data-dir=/data"] }])).toBeNull();
    expect(thanosCompactContainerIndex([{ image: "quay.io/thanos/thanos:v0.37.2", args: ["sidecar", "--tsdb.path", "/prometheus"] }])).toBeNull();
    const sidecar = deployment(`        - name: prometheus
          image: quay.io/prometheus/prometheus:v3.4.1
        - name: thanos-sidecar
          image: quay.io/thanos/thanos:v0.37.2
          args: [sidecar, --tsdb.path, /prometheus]
`, "StatefulSet");
    expect(backendKind(sidecar)).toBe("prometheus-workload");
  });
});
