// Deterministic (seeded) fleet generator for the benchmark: writes bench/out/fleet-<N>/ with, per
// model, a ~2.4 KB manifest shaped like examples/fleet/fraud-detector's and a ~9.6 KB Sloth-style
// rule file (SLI recording rules, SLO meta recordings and the page/ticket multi-window burn-rate
// alerts Sloth v0.11 writes), plus a few shared platform variants (Prometheus, Loki, Tempo) that
// every manifest references in spec.backends.
//
//   node bench/generate.mjs N [--seed S] [--out DIR] [--force]
//
// Model i is the same in every fleet size (its random stream is seeded by (seed, i)), so
// fleet-100 is the first 100 models of fleet-1000. About 4% of the models carry one typical defect
// (an unbounded label, logs without trace context, an SLO threshold between buckets, a debug log
// stream kept short), so the run reports findings as a real fleet's would.
//
// bench/out/ is gitignored, and obsgate skips what git ignores; each fleet folder therefore gets an
// empty `.git` marker folder, which makes it a repository root of its own for obsgate (as a fleet
// repository would be): paths are reported relative to it and the outer .gitignore does not apply.
// No git command is run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, "out");
export const DEFAULT_SEED = 20261122;

// ── randomness ──────────────────────────────────────────────────────────────────────────────────

/** mulberry32: small, fast, and the same on every platform. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function modelRandom(seed, index) {
  // Mix the seed and the index so that neighbouring models do not share a stream.
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  const next = mulberry32(h);
  const rnd = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    sample: (list, n) => {
      const copy = [...list];
      const out = [];
      while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
  };
  return rnd;
}

// ── vocabulary ──────────────────────────────────────────────────────────────────────────────────

const DOMAINS = [
  ["fraud", "transactions", "team-risk"], ["churn", "subscriptions", "team-growth"],
  ["credit", "loan-applications", "team-lending"], ["ranker", "clickstream", "team-discovery"],
  ["pricing", "quotes", "team-pricing"], ["demand", "orders", "team-supply"],
  ["eta", "trips", "team-logistics"], ["search", "queries", "team-search"],
  ["ads", "impressions", "team-ads"], ["spam", "messages", "team-trust"],
  ["claims", "insurance-claims", "team-risk"], ["kyc", "identity-checks", "team-compliance"],
  ["forecast", "inventory", "team-supply"], ["embed", "catalogue", "team-discovery"],
  ["support", "tickets", "team-care"], ["anomaly", "sensor-readings", "team-iot"],
];
const KINDS = ["detector", "scorer", "predictor", "ranker", "classifier", "forecaster", "recommender", "estimator", "tagger", "matcher"];
const FRAMEWORKS = ["kserve", "triton", "mlserver", "bentoml", "torchserve"];
const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"];
const LOG_FIELDS = ["timestamp", "level", "service", "model_name", "model_version", "request_id", "trace_id", "span_id", "trace_flags", "latency_ms", "status_code"];
const EXTRA_LOG_FIELDS = ["feature_set", "cache_hit", "batch_size", "tenant", "route", "experiment"];
const BUCKET_SETS = [
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5],
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  [0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2],
];
const EXTRA_METRICS = [
  { suffix: "feature_drift_psi", type: "gauge", role: "drift", labels: { model: 1, feature: 40 } },
  { suffix: "prediction_score", type: "histogram", role: null, labels: { model: 1, model_version: 3 }, buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
  { suffix: "feature_store_latency_seconds", type: "histogram", role: null, labels: { model: 1, store: 3 }, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5] },
  { suffix: "cache_hits_total", type: "counter", role: null, labels: { model: 1, cache: 4 } },
  { suffix: "gpu_utilization_ratio", type: "gauge", role: "saturation", labels: { model: 1, gpu: 8 } },
  { suffix: "batch_size", type: "histogram", role: null, labels: { model: 1 }, buckets: [1, 2, 4, 8, 16, 32, 64] },
];

// ── platform variants ───────────────────────────────────────────────────────────────────────────
// Each cluster's retention is what its manifests declare, so the compliant models stay compliant.

const CLUSTERS = [
  {
    name: "risk", region: "eu-west-1", prometheus: "statefulset", prometheusDays: 30, lokiDefaultHours: 720,
    tenants: { risk: 4416, lending: 4416, claims: 4416 }, tempoHours: 168,
  },
  { name: "core-eu", region: "eu-central-1", prometheus: "operator", prometheusDays: 30, lokiDefaultHours: 720, tenants: null, tempoHours: 168 },
  { name: "core-us", region: "us-east-1", prometheus: "statefulset", prometheusDays: 45, lokiDefaultHours: 1080, tenants: null, tempoHours: 336 },
  {
    name: "edge", region: "us-west-2", prometheus: "operator", prometheusDays: 35, lokiDefaultHours: 720,
    tenants: { edge: 720, "edge-sandbox": 168 }, tempoHours: 168,
  },
];

function platformFiles(cluster) {
  const files = {};
  const dir = `platform/${cluster.name}`;
  if (cluster.prometheus === "statefulset") {
    files[`${dir}/prometheus/prometheus.statefulset.yaml`] = prometheusStatefulSet(cluster);
    files[`${dir}/prometheus/prometheus.yml`] = prometheusConfig(cluster);
  } else {
    files[`${dir}/prometheus/prometheus.yaml`] = prometheusOperator(cluster);
  }
  files[`${dir}/loki/loki.yaml`] = lokiConfig(cluster);
  if (cluster.tenants) files[`${dir}/loki/runtime-overrides.yaml`] = lokiOverrides(cluster);
  files[`${dir}/tempo/tempo.yaml`] = tempoConfig(cluster);
  return files;
}

function backendsOf(cluster) {
  const dir = `../../platform/${cluster.name}`;
  return {
    prometheus: cluster.prometheus === "statefulset"
      ? [`${dir}/prometheus/prometheus.statefulset.yaml`, `${dir}/prometheus/prometheus.yml`]
      : [`${dir}/prometheus/prometheus.yaml`],
    loki: cluster.tenants ? [`${dir}/loki/loki.yaml`, `${dir}/loki/runtime-overrides.yaml`] : [`${dir}/loki/loki.yaml`],
    tempo: [`${dir}/tempo/tempo.yaml`],
  };
}

function prometheusStatefulSet(c) {
  return `# The ${c.name} cluster's Prometheus, a plain StatefulSet (no Operator): keeps ${c.prometheusDays}d of samples.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: prometheus-${c.name}
  namespace: monitoring-${c.name}
  labels:
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/instance: ${c.name}
spec:
  serviceName: prometheus-${c.name}
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: prometheus
      app.kubernetes.io/instance: ${c.name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: prometheus
        app.kubernetes.io/instance: ${c.name}
    spec:
      serviceAccountName: prometheus-${c.name}
      securityContext: { runAsUser: 65534, runAsNonRoot: true, fsGroup: 65534 }
      containers:
        - name: prometheus
          image: quay.io/prometheus/prometheus:v3.5.0
          args:
            - --config.file=/etc/prometheus/prometheus.yml
            - --storage.tsdb.path=/prometheus
            - --storage.tsdb.retention.time=${c.prometheusDays}d
            - --web.enable-lifecycle
          ports:
            - name: web
              containerPort: 9090
          resources:
            requests: { cpu: "2", memory: 16Gi }
            limits: { memory: 24Gi }
          volumeMounts:
            - { name: config, mountPath: /etc/prometheus }
            - { name: rules, mountPath: /etc/prometheus/rules }
            - { name: data, mountPath: /prometheus }
      volumes:
        - name: config
          configMap: { name: prometheus-${c.name}-config }
        - name: rules
          configMap: { name: prometheus-${c.name}-rules }
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ssd
        resources:
          requests:
            storage: 500Gi
`;
}

function prometheusConfig(c) {
  return `# prometheus.yml of the ${c.name} cluster. Retention is set by the StatefulSet's flag, not here.
global:
  scrape_interval: 30s
  evaluation_interval: 30s
  external_labels:
    cluster: ${c.name}-${c.region}

rule_files:
  - /etc/prometheus/rules/*.yaml

alerting:
  alertmanagers:
    - static_configs:
        - targets: [alertmanager.monitoring-${c.name}.svc:9093]

scrape_configs:
  - job_name: model-servers
    sample_limit: 50000
    label_limit: 30
    kubernetes_sd_configs:
      - role: pod
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_component]
        regex: model-server
        action: keep
      - source_labels: [__meta_kubernetes_pod_container_port_name]
        regex: metrics
        action: keep
`;
}

function prometheusOperator(c) {
  return `# The ${c.name} cluster's Prometheus, run by the Prometheus Operator: keeps ${c.prometheusDays}d.
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: ${c.name}
  namespace: monitoring
spec:
  replicas: 2
  version: v3.5.0
  serviceAccountName: prometheus-${c.name}
  retention: ${c.prometheusDays}d
  retentionSize: 400GB
  scrapeInterval: 30s
  enforcedSampleLimit: 50000
  enforcedLabelLimit: 30
  ruleSelector:
    matchLabels:
      prometheus: ${c.name}
  ruleNamespaceSelector: {}
  serviceMonitorSelector:
    matchLabels:
      team: ml-platform
  serviceMonitorNamespaceSelector: {}
  alerting:
    alertmanagers:
      - namespace: monitoring
        name: alertmanager-main
        port: web
  storage:
    volumeClaimTemplate:
      spec:
        storageClassName: ssd
        resources:
          requests:
            storage: 500Gi
`;
}

function lokiConfig(c) {
  return `# Loki of the ${c.name} cluster${c.tenants ? " (multi-tenant; per-tenant retention in runtime-overrides.yaml)" : " (single tenant)"}.
auth_enabled: ${c.tenants ? "true" : "false"}

server:
  http_listen_port: 3100
  grpc_listen_port: 9095

common:
  path_prefix: /var/loki
  replication_factor: 3
  ring:
    kvstore:
      store: memberlist

schema_config:
  configs:
    - from: "2024-09-01"
      store: tsdb
      object_store: s3
      schema: v13
      index:
        prefix: loki_index_
        period: 24h

storage_config:
  tsdb_shipper:
    active_index_directory: /var/loki/tsdb-index
    cache_location: /var/loki/tsdb-cache
  aws:
    s3: s3://${c.region}/${c.name}-loki-chunks

compactor:
  working_directory: /var/loki/compactor
  compaction_interval: 10m
  retention_enabled: true
  retention_delete_delay: 2h
  delete_request_store: s3

limits_config:
  ingestion_rate_mb: 16
  ingestion_burst_size_mb: 32
  allow_structured_metadata: true
  retention_period: ${c.lokiDefaultHours}h
${c.tenants ? `
runtime_config:
  file: /etc/loki/runtime/runtime-overrides.yaml
  period: 60s
` : ""}`;
}

function lokiOverrides(c) {
  const lines = [`# Loki runtime overrides of the ${c.name} cluster: per-tenant retention.`, "overrides:"];
  for (const [tenant, hours] of Object.entries(c.tenants)) {
    lines.push(`  ${tenant}:`, `    retention_period: ${hours}h`, "    ingestion_rate_mb: 32");
  }
  return lines.join("\n") + "\n";
}

function tempoConfig(c) {
  return `# Tempo 2.x of the ${c.name} cluster: traces kept ${c.tempoHours}h.
server:
  http_listen_port: 3200

distributor:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: 0.0.0.0:4317
        http:
          endpoint: 0.0.0.0:4318

compactor:
  compaction:
    block_retention: ${c.tempoHours}h
    compacted_block_retention: 1h

storage:
  trace:
    backend: s3
    s3:
      bucket: ${c.name}-tempo-traces
      endpoint: s3.${c.region}.amazonaws.com
    wal:
      path: /var/tempo/wal
`;
}

// ── one model ───────────────────────────────────────────────────────────────────────────────────

const DEFECTS = ["unbounded-label", "no-trace-context", "threshold-between-buckets", "no-model-version-in-logs"];

/** Everything random about model i, drawn up front so the files are pure functions of it. */
export function describeModel(seed, index) {
  const r = modelRandom(seed, index);
  const [domain, dataset, team] = r.pick(DOMAINS);
  const kind = r.pick(KINDS);
  const id = String(index).padStart(4, "0");
  const name = `${domain}-${kind}-${id}`;
  const prefix = `${domain}_${kind}_${id}`;
  const highRisk = ["fraud", "credit", "claims", "kyc"].includes(domain) && r.chance(0.8);
  const cluster = highRisk ? CLUSTERS[0] : r.pick(CLUSTERS.slice(1));
  const tenant = cluster.tenants
    ? highRisk ? (domain === "credit" ? "lending" : domain === "claims" ? "claims" : "risk") : "edge"
    : null;
  const tier = highRisk ? "critical" : r.pick(["critical", "high", "high", "standard", "standard"]);
  const buckets = r.pick(BUCKET_SETS);
  const latencyThreshold = buckets[r.int(3, 5)];
  const sloKind = r.chance(0.5) ? "availability" : "latency";
  const objectivePct = sloKind === "availability" ? r.pick([99, 99.5, 99.9]) : r.pick([95, 99]);
  const extras = r.sample(EXTRA_METRICS, r.int(1, 3));
  const defect = r.chance(0.04) ? r.pick(DEFECTS) : null;
  return {
    index, name, prefix, domain, kind, dataset, team, highRisk, cluster, tenant, tier, buckets,
    latencyThreshold, sloKind, objectivePct, extras, defect,
    service: `${domain}-${kind}-api-${id}`,
    framework: r.pick(FRAMEWORKS),
    type: r.chance(0.85) ? "predictive" : "generative",
    version: `v${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`,
    dataVersion: `2026-${String(r.int(1, 10)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
    timeout: r.pick([1, 2, 5, 10]),
    regions: r.int(2, 12),
    region: cluster.region,
    logExtras: r.sample(EXTRA_LOG_FIELDS, r.int(0, 3)),
    spans: r.sample(["encode_features", "fetch_features", "predict", "rerank", "postprocess", "explain"], r.int(2, 4)),
    sampling: r.pick(["tail", "head"]),
    ratio: r.pick([0.05, 0.1, 0.2]),
  };
}

const pascal = (name) => name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
const flow = (labels) => `{ ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(", ")} }`;

export function manifestText(m) {
  const c = m.cluster;
  const requests = `${m.prefix}_requests_total`;
  const latency = `${m.prefix}_latency_seconds`;
  const requestLabels = { model: 1, model_version: 3, region: m.regions, status_code: 6 };
  if (m.defect === "unbounded-label") requestLabels.user_id = 1;
  const metrics = [
    { name: requests, type: "counter", role: "requests", labels: requestLabels },
    { name: latency, type: "histogram", role: "latency", labels: { model: 1, model_version: 3, region: m.regions }, buckets: m.buckets },
    ...m.extras.map((e) => ({ name: `${m.prefix}_${e.suffix}`, type: e.type, role: e.role, labels: e.labels, buckets: e.buckets })),
  ];
  const drift = metrics.find((x) => x.role === "drift");
  let fields = [...LOG_FIELDS, ...m.logExtras];
  if (m.defect === "no-trace-context") fields = fields.filter((f) => !["trace_id", "span_id", "trace_flags"].includes(f));
  if (m.defect === "no-model-version-in-logs") fields = fields.filter((f) => f !== "model_version");
  const threshold = m.defect === "threshold-between-buckets"
    ? (m.buckets[3] + m.buckets[4]) / 2
    : m.latencyThreshold;
  const slo = m.sloKind === "availability"
    ? `    - name: availability
      sli: { metric: ${requests}, errorSelector: 'status_code=~"5.."' }
      objective: ${m.objectivePct / 100}
      window: 30d`
    : `    - name: latency
      sli: { metric: ${latency}, threshold: ${threshold} }
      objective: ${m.objectivePct / 100}
      window: 30d`;
  const logsDays = m.tenant ? Math.round(c.tenants[m.tenant] / 24) : Math.round(c.lokiDefaultHours / 24);
  const backends = backendsOf(c);
  const list = (items) => items.map((p) => `\n      - ${p}`).join("");
  return `# ${m.name} (bench/generate.mjs, model ${m.index}): served by ${m.service} on the ${c.name} cluster.
apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: ${m.name}
  owner: ${m.team}
  tier: ${m.tier}${m.highRisk ? "\n  riskClass: high-risk" : ""}
spec:
  model:
    version: ${m.version}
    type: ${m.type}
    trainingData: { dataset: ${m.dataset}, version: "${m.dataVersion}" }
    framework: ${m.framework}
  serving:
    service: ${m.service}
    timeoutSeconds: ${m.timeout}
  metrics:
${metrics.map((x) => `    - name: ${x.name}
      type: ${x.type}${x.role ? `\n      role: ${x.role}` : ""}
      labels: ${flow(x.labels)}${x.buckets ? `\n      buckets: [${x.buckets.join(", ")}]` : ""}`).join("\n")}${drift ? `
  drift: { metric: ${drift.name}, method: psi, threshold: 0.2 }` : ""}
  logs:
    format: json
    fields: [${fields.join(", ")}]${m.tenant ? `\n    tenant: ${m.tenant}` : ""}
    stream: { service: ${m.service}, level: info, region: ${m.region} }
  resource:
    service.name: ${m.service}
    service.version: ${m.version.slice(1)}
    deployment.environment.name: production
  traces:
    propagators: [tracecontext, baggage]
    spans: [${m.spans.map((s) => `${m.service}.${s}`).join(", ")}]
    attributes: [model_name, model_version]
    sampling: { strategy: ${m.sampling}, keepErrors: true, ratio: ${m.ratio} }
  slos:
${slo}
  alerts:
    files:
      - alerts/${m.name}.slo.rules.yaml   # generated by Sloth: do not edit by hand
  retention:
    metrics: ${c.prometheusDays}d
    logs: ${logsDays}d
    traces: ${Math.round(c.tempoHours / 24)}d
  backends:
    prometheus:${list(backends.prometheus)}
    loki:${list(backends.loki)}
    tempo: ${backends.tempo[0]}
`;
}

const WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

/** The rule file `sloth generate` writes for the model's one SLO (Sloth v0.11.0, prometheus/v1). */
export function slothRulesText(m) {
  const slo = m.sloKind;
  const id = `${m.name}-${slo}`;
  const sel = `sloth_id="${id}", sloth_service="${m.name}", sloth_slo="${slo}"`;
  const requests = `${m.prefix}_requests_total`;
  const latency = `${m.prefix}_latency_seconds`;
  const objective = m.objectivePct / 100;
  const budget = (100 - m.objectivePct) / 100;
  const labels = (indent, extra = {}) => Object.entries({ model: m.name, sloth_id: id, sloth_service: m.name, sloth_slo: slo, ...extra })
    .map(([k, v]) => `${indent}${k}: ${v}`).join("\n");
  const sli = (w) => slo === "availability"
    ? `      (sum(rate(${requests}{model="${m.name}",status_code=~"5.."}[${w}])))
      /
      (sum(rate(${requests}{model="${m.name}"}[${w}])))`
    : `      ((
        sum(rate(${latency}_count{model="${m.name}"}[${w}]))
        -
        sum(rate(${latency}_bucket{model="${m.name}",le="${m.latencyThreshold}"}[${w}]))
      )
      )
      /
      (sum(rate(${latency}_count{model="${m.name}"}[${w}])))`;
  const out = ["# Code generated by Sloth (v0.11.0): https://github.com/slok/sloth.", "# DO NOT EDIT.", "", "groups:"];
  out.push(`- name: sloth-slo-sli-recordings-${id}`, "  rules:");
  for (const w of WINDOWS) {
    out.push(`  - record: slo:sli_error:ratio_rate${w}`, "    expr: |", sli(w), "    labels:", labels("      ", { sloth_window: w }));
  }
  out.push("  - record: slo:sli_error:ratio_rate30d", "    expr: |",
    `      sum_over_time(slo:sli_error:ratio_rate5m{${sel}}[30d])`,
    "      / ignoring (sloth_window)",
    `      count_over_time(slo:sli_error:ratio_rate5m{${sel}}[30d])`,
    "    labels:", labels("      ", { sloth_window: "30d" }));
  out.push(`- name: sloth-slo-meta-recordings-${id}`, "  rules:");
  const meta = (record, expr, extra) => out.push(`  - record: ${record}`, `    expr: ${expr}`, "    labels:", labels("      ", extra));
  meta("slo:objective:ratio", `vector(${objective})`);
  meta("slo:error_budget:ratio", `vector(1-${objective})`);
  meta("slo:time_period:days", "vector(30)");
  out.push("  - record: slo:current_burn_rate:ratio", "    expr: |",
    `      slo:sli_error:ratio_rate5m{${sel}}`, "      / on(sloth_id, sloth_slo, sloth_service) group_left",
    `      slo:error_budget:ratio{${sel}}`, "    labels:", labels("      "));
  out.push("  - record: slo:period_burn_rate:ratio", "    expr: |",
    `      slo:sli_error:ratio_rate30d{${sel}}`, "      / on(sloth_id, sloth_slo, sloth_service) group_left",
    `      slo:error_budget:ratio{${sel}}`, "    labels:", labels("      "));
  meta("slo:period_error_budget_remaining:ratio", `1 - slo:period_burn_rate:ratio{${sel}}`);
  out.push("  - record: sloth_slo_info", "    expr: vector(1)", "    labels:",
    labels("      ", { sloth_mode: "cli-gen-prom", sloth_objective: `"${m.objectivePct}"`, sloth_spec: "prometheus/v1", sloth_version: "v0.11.0" }));
  out.push(`- name: sloth-slo-alerts-${id}`, "  rules:");
  const alertName = `${pascal(m.name)}${slo === "availability" ? "Availability" : "Latency"}BudgetBurn`;
  const pair = (a, b, factor) => `          max(slo:sli_error:ratio_rate${a}{${sel}} > (${factor} * ${budget})) without (sloth_window)
          and
          max(slo:sli_error:ratio_rate${b}{${sel}} > (${factor} * ${budget})) without (sloth_window)`;
  const description = slo === "availability"
    ? `${m.name} fails more requests than its ${m.objectivePct}% SLO allows; the 30-day error budget runs out early.`
    : `More than ${+(100 - m.objectivePct).toFixed(2)}% of ${m.name}'s requests take longer than ${m.latencyThreshold * 1000}ms; the 30-day error budget runs out early.`;
  for (const [severity, sloth, [p1, p2]] of [
    ["critical", "page", [["5m", "1h", 14.4], ["30m", "6h", 6]]],
    ["warning", "ticket", [["2h", "1d", 3], ["6h", "3d", 1]]],
  ]) {
    out.push(`  - alert: ${alertName}`, "    expr: |", "      (", pair(...p1), "      )", "      or", "      (", pair(...p2), "      )",
      "    labels:", `      model: ${m.name}`, `      severity: ${severity}`, `      sloth_severity: ${sloth}`,
      "    annotations:",
      `      description: ${description}`,
      `      runbook_url: https://runbooks.example.com/${m.name}/${slo}-budget-burn`,
      `      summary: ${m.name} is burning its ${slo} error budget`,
      `      title: (${sloth}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`);
  }
  return out.join("\n") + "\n";
}

// ── the fleet ───────────────────────────────────────────────────────────────────────────────────

export function fleetDir(n, outDir = DEFAULT_OUT) {
  return join(outDir, `fleet-${n}`);
}

/** Writes fleet-<n>; returns its file and byte counts. A complete fleet is marked by .complete. */
export function generateFleet(n, { outDir = DEFAULT_OUT, seed = DEFAULT_SEED, force = false } = {}) {
  const dir = fleetDir(n, outDir);
  const marker = join(dir, ".complete");
  if (existsSync(marker) && !force) return { dir, ...JSON.parse(readFileSync(marker, "utf8")), reused: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, ".git"), { recursive: true });
  const stats = { models: n, seed, files: 0, bytes: 0, manifestBytes: 0, ruleBytes: 0, platformBytes: 0, defects: 0 };
  const write = (rel, text) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    const bytes = Buffer.byteLength(text);
    stats.files++;
    stats.bytes += bytes;
    return bytes;
  };
  for (const cluster of CLUSTERS) {
    for (const [rel, text] of Object.entries(platformFiles(cluster))) stats.platformBytes += write(rel, text);
  }
  for (let i = 0; i < n; i++) {
    const m = describeModel(seed, i);
    if (m.defect) stats.defects++;
    stats.manifestBytes += write(`models/${m.name}/${m.name}.obsgate.yaml`, manifestText(m));
    stats.ruleBytes += write(`models/${m.name}/alerts/${m.name}.slo.rules.yaml`, slothRulesText(m));
  }
  writeFileSync(marker, JSON.stringify(stats) + "\n");
  return { dir, ...stats, reused: false };
}

/** Every YAML file of a fleet, sorted: what the floor reads. */
export function fleetFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      if (name === ".git") continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

export function formatBytes(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}

// ── command line ────────────────────────────────────────────────────────────────────────────────

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const seed = Number(option("--seed") ?? DEFAULT_SEED);
  const outDir = resolve(option("--out") ?? DEFAULT_OUT);
  const force = args.includes("--force");
  const sizes = args.filter((a) => a !== "--force").map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0) || !Number.isInteger(seed)) {
    console.error("usage: node bench/generate.mjs N [N…] [--seed S] [--out DIR] [--force]");
    process.exit(2);
  }
  for (const n of sizes) {
    const s = generateFleet(n, { outDir, seed, force });
    console.log(`${s.reused ? "kept" : "wrote"} ${s.dir}: ${s.models} models, ${s.files} files, ${s.bytes} bytes (${formatBytes(s.bytes)}; ` +
      `manifests ${formatBytes(s.manifestBytes)}, ${(s.manifestBytes / n / 1000).toFixed(2)} KB each; ` +
      `rule files ${formatBytes(s.ruleBytes)}, ${(s.ruleBytes / n / 1000).toFixed(2)} KB each; platform ${formatBytes(s.platformBytes)}; ` +
      `${s.defects} models with a defect; seed ${s.seed})`);
  }
}
