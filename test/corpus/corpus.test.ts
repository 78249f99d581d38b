// Every rule file of ../shared/corpus/prometheus-rules (written by other projects, all accepted
// by Prometheus): each is loaded, classified and read with nothing reported, every rule found at
// its place, and every expression parsed without error.
//
// The counts below were computed independently of obsgate, with PyYAML's composer (rule nodes
// under groups[].rules or spec.groups[].rules; the first rule's line and column are its node's
// start mark), and agree with `grep -cE '^\s*-?\s*(alert|record):'` per file.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { classifyDocument } from "../../src/load/classify.js";
import { DEFAULT_LIMITS, type LoadedDocument } from "../../src/load/index.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import type { PromQuery } from "../../src/model/model-input.js";
import { analyzePromQL } from "../../src/model/promql.js";
import { readRuleFile, type RuleFileRead } from "../../src/model/rules.js";
import { describeWith, SHARED_DIR } from "../helpers/require.js";

const CORPUS = join(SHARED_DIR, "corpus", "prometheus-rules");

/** [file, rules, alerts, records, first rule's name, its line, its column] */
const EXPECTED: Array<[string, number, number, number, string | null, number | null, number | null]> = [
  ["awesome-prometheus-alerts/apache-flink__flink-prometheus-reporter.yml", 12, 12, 0, "FlinkJobIsNotRunning", 8, 7],
  ["awesome-prometheus-alerts/apache__lusitaniae-apache-exporter.yml", 3, 3, 0, "ApacheDown", 8, 7],
  ["awesome-prometheus-alerts/argocd__embedded-exporter.yml", 2, 2, 0, "ArgocdServiceNotSynced", 8, 7],
  ["awesome-prometheus-alerts/azure__azure-metrics-exporter.yml", 5, 5, 0, "AzureExporterRequestErrors", 11, 7],
  ["awesome-prometheus-alerts/caddy__embedded-exporter.yml", 3, 3, 0, "CaddyReverseProxyDown", 8, 7],
  ["awesome-prometheus-alerts/cassandra__instaclustr-cassandra-exporter.yml", 12, 12, 0, "CassandraNodeIsUnavailable", 9, 7],
  ["awesome-prometheus-alerts/cert-manager__embedded-exporter.yml", 4, 4, 0, "Cert-managerAbsent", 8, 7],
  ["awesome-prometheus-alerts/clickhouse__embedded-exporter.yml", 19, 19, 0, "ClickhouseNodeDown", 9, 7],
  ["awesome-prometheus-alerts/consul__consul-exporter.yml", 3, 3, 0, "ConsulServiceHealthcheckFailed", 8, 7],
  ["awesome-prometheus-alerts/cortex__embedded-exporter.yml", 6, 6, 0, "CortexRulerConfigurationReloadFailure", 8, 7],
  ["awesome-prometheus-alerts/digitalocean__digitalocean-exporter.yml", 10, 10, 0, "DigitaloceanDropletDown", 8, 7],
  ["awesome-prometheus-alerts/ebpf__ebpf-exporter.yml", 3, 3, 0, "EbpfExporterProgramNotAttached", 9, 7],
  ["awesome-prometheus-alerts/envoy__embedded-exporter.yml", 19, 19, 0, "EnvoyServerNotLive", 8, 7],
  ["awesome-prometheus-alerts/fluxcd__embedded-exporter.yml", 4, 4, 0, "FluxKustomizationFailure", 8, 7],
  ["awesome-prometheus-alerts/gitlab-ci__gitaly.yml", 6, 6, 0, "GitlabGitalyHighGrpcErrorRate", 9, 7],
  ["awesome-prometheus-alerts/gitlab-ci__workhorse.yml", 3, 3, 0, "GitlabWorkhorseHighErrorRate", 10, 7],
  ["awesome-prometheus-alerts/google-cloud-stackdriver__stackdriver-exporter.yml", 5, 5, 0, "StackdriverExporterScrapeError", 10, 7],
  ["awesome-prometheus-alerts/grafana-mimir__embedded-exporter.yml", 49, 49, 0, "MimirIngesterUnhealthy", 9, 7],
  ["awesome-prometheus-alerts/graph-node__embedded-exporter.yml", 6, 6, 0, "ProviderFailedBecauseNet_versionFailed", 8, 7],
  ["awesome-prometheus-alerts/haproxy__embedded-exporter-v2.yml", 14, 14, 0, "HaproxyHighHttp4xxErrorRateBackend", 8, 7],
  ["awesome-prometheus-alerts/hashicorp-vault__embedded-exporter.yml", 4, 4, 0, "VaultSealed", 8, 7],
  ["awesome-prometheus-alerts/ipmi__ipmi-exporter.yml", 17, 17, 0, "IpmiCollectorDown", 9, 7],
  ["awesome-prometheus-alerts/jaeger__embedded-exporter-legacy.yml", 8, 8, 0, "JaegerAgentHttpServerErrors", 12, 7],
  ["awesome-prometheus-alerts/jenkins__metric-plugin.yml", 8, 8, 0, "JenkinsNodeOffline", 8, 7],
  ["awesome-prometheus-alerts/jvm__jvm-exporter.yml", 12, 12, 0, "JvmMemoryFillingUp", 8, 7],
  ["awesome-prometheus-alerts/kafka__linkedin-kafka-exporter.yml", 2, 2, 0, "KafkaTopicOffsetDecreased", 8, 7],
  ["awesome-prometheus-alerts/kubernetes__kubestate-exporter.yml", 37, 37, 0, "KubernetesNodeNotReady", 8, 7],
  ["awesome-prometheus-alerts/litellm__embedded-exporter.yml", 3, 3, 0, "LitellmProviderSpendOverBudget", 11, 7],
  ["awesome-prometheus-alerts/meilisearch__embedded-exporter.yml", 2, 2, 0, "MeilisearchIndexIsEmpty", 8, 7],
  ["awesome-prometheus-alerts/minio__embedded-exporter.yml", 3, 3, 0, "MinioClusterDiskOffline", 8, 7],
  ["awesome-prometheus-alerts/mongodb__percona-mongodb-exporter.yml", 7, 7, 0, "MongodbDown", 9, 7],
  ["awesome-prometheus-alerts/mysql__mysqld-exporter.yml", 14, 14, 0, "MysqlDown", 9, 7],
  ["awesome-prometheus-alerts/netdata__embedded-exporter.yml", 9, 9, 0, "NetdataHighCpuUsage", 9, 7],
  ["awesome-prometheus-alerts/nomad__embedded-exporter.yml", 4, 4, 0, "NomadJobFailed", 8, 7],
  ["awesome-prometheus-alerts/opensearch__opensearch-project-opensearch-prometheus-exporter.yml", 6, 6, 0, "OpensearchIsUnhealthy", 8, 7],
  ["awesome-prometheus-alerts/opentelemetry-collector__embedded-exporter.yml", 12, 12, 0, "OpentelemetryCollectorDown", 12, 7],
  ["awesome-prometheus-alerts/patroni__embedded-exporter-patroni.yml", 1, 1, 0, "PatroniHasNoLeader", 9, 7],
  ["awesome-prometheus-alerts/php-fpm__bakins-fpm-exporter.yml", 1, 1, 0, "Php-fpmMax-childrenReached", 8, 7],
  ["awesome-prometheus-alerts/process-exporter__process-exporter.yml", 10, 10, 0, "ProcessExporterGroupDown", 8, 7],
  ["awesome-prometheus-alerts/promtail__embedded-exporter.yml", 2, 2, 0, "PromtailRequestErrors", 8, 7],
  ["awesome-prometheus-alerts/pulsar__embedded-exporter.yml", 10, 10, 0, "PulsarSubscriptionHighNumberOfBacklogEntries", 8, 7],
  ["awesome-prometheus-alerts/rabbitmq__kbudde-rabbitmq-exporter.yml", 11, 11, 0, "RabbitmqDown", 9, 7],
  ["awesome-prometheus-alerts/redis__oliver006-redis-exporter.yml", 12, 12, 0, "RedisDown", 9, 7],
  ["awesome-prometheus-alerts/s.m.a.r.t-device-monitoring__smartctl-exporter.yml", 8, 8, 0, "SmartDeviceTemperatureWarning", 8, 7],
  ["awesome-prometheus-alerts/snmp__snmp-exporter.yml", 7, 7, 0, "SnmpTargetDown", 11, 7],
  ["awesome-prometheus-alerts/speedtest__nlamirault-speedtest-exporter.yml", 2, 2, 0, "SpeedtestSlowInternetDownload", 8, 7],
  ["awesome-prometheus-alerts/sql-server__ozarklake-mssql-exporter.yml", 2, 2, 0, "SqlServerDown", 9, 7],
  ["awesome-prometheus-alerts/systemd__systemd-exporter.yml", 7, 7, 0, "SystemdUnitFailed", 8, 7],
  ["awesome-prometheus-alerts/thanos__thanos-compactor.yml", 5, 5, 0, "ThanosCompactorMultipleRunning", 8, 7],
  ["awesome-prometheus-alerts/thanos__thanos-query.yml", 8, 8, 0, "ThanosQueryHttpRequestQueryErrorRateHigh", 8, 7],
  ["awesome-prometheus-alerts/thanos__thanos-ruler.yml", 11, 11, 0, "ThanosRuleQueueIsDroppingAlerts", 8, 7],
  ["awesome-prometheus-alerts/thanos__thanos-store.yml", 4, 4, 0, "ThanosStoreGrpcErrorRate", 8, 7],
  ["awesome-prometheus-alerts/traefik__embedded-exporter-v2.yml", 3, 3, 0, "TraefikServiceDown", 8, 7],
  ["awesome-prometheus-alerts/windows-server__windows-exporter.yml", 5, 5, 0, "WindowsServerCollectorError", 8, 7],
  ["awesome-prometheus-alerts/zfs__node-exporter.yml", 1, 1, 0, "ZfsOfflinePool", 8, 7],
  ["awesome-prometheus-alerts/zookeeper__cloudflare-kafka-zookeeper-exporter.yml", 0, 0, 0, null, null, null],
  ["kube-prometheus/alertmanager-prometheusRule.yaml", 9, 9, 0, "AlertmanagerFailedReload", 18, 7],
  ["kube-prometheus/kubePrometheus-prometheusRule.yaml", 12, 4, 8, "TargetDown", 16, 7],
  ["kube-prometheus/kubernetesControlPlane-prometheusRule.yaml", 134, 63, 71, "KubePodCrashLooping", 16, 7],
  ["kube-prometheus/prometheus-prometheusRule.yaml", 23, 23, 0, "PrometheusBadConfig", 18, 7],
  ["sloth/contrib-denominator-corrected.yaml", 24, 2, 22, "slo:sli_error:ratio_rate5m", 18, 7],
  ["sloth/getting-started.yml", 17, 2, 15, "slo:sli_error:ratio_rate5m", 9, 5],
  ["sloth/k8s-getting-started.yml", 17, 2, 15, "slo:sli_error:ratio_rate5m", 18, 7],
  ["sloth/k8s-multifile.yml", 34, 4, 30, "slo:sli_error:ratio_rate5m", 18, 7],
  ["sloth/multifile.yml", 34, 4, 30, "slo:sli_error:ratio_rate5m", 9, 5],
  ["sloth/openslo-getting-started.yml", 15, 0, 15, "slo:sli_error:ratio_rate5m", 9, 5],
  ["sloth/plugin-getting-started.yml", 17, 2, 15, "slo:sli_error:ratio_rate5m", 9, 5],
  ["sloth/raw-home-wifi.yml", 17, 2, 15, "slo:sli_error:ratio_rate5m", 9, 5],
  ["sloth/slo-plugin-k8s-getting-started.yml", 17, 2, 15, "slo:sli_error:ratio_rate5m", 18, 7],
];

interface FileRead {
  documents: LoadedDocument[];
  reads: RuleFileRead[];
  rules: RuleFileRead["rules"];
  problems: RuleFileRead["problems"];
}

function readCorpusFile(relative: string): FileRead {
  const absolute = join(CORPUS, relative);
  const parsed = parseYamlDocuments(readFileSync(absolute, "utf8"), DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(`${relative}: ${parsed.failure.message}`);
  const documents = parsed.documents.map((doc): LoadedDocument => {
    const classification = classifyDocument(doc.value);
    if (!("kind" in classification)) throw new Error(`${relative} document ${doc.index} not classified: ${JSON.stringify(classification)}`);
    return {
      file: `corpus/prometheus-rules/${relative}`,
      index: doc.index,
      value: doc.value,
      sourceMap: doc.sourceMap,
      kind: classification.kind,
      start: doc.start,
      absolute,
      multiDocument: parsed.documents.length > 1,
    };
  });
  const reads = documents.map(readRuleFile);
  return { documents, reads, rules: reads.flatMap((r) => r.rules), problems: reads.flatMap((r) => r.problems) };
}

describeWith(["shared"], "the shared corpus of Prometheus rule files", () => {
  const files = readdirSync(CORPUS, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.split("\\").join("/"))
    .sort();

  it("the table covers exactly the files in the corpus", () => {
    expect(files).toEqual(EXPECTED.map(([file]) => file).sort());
  });

  it("totals: 69 files, 816 rules, 565 alerts, 251 recording rules", () => {
    const totals = EXPECTED.reduce((sum, [, rules, alerts, records]) => [sum[0]! + rules, sum[1]! + alerts, sum[2]! + records], [0, 0, 0]);
    expect([EXPECTED.length, ...totals]).toEqual([69, 816, 565, 251]);
  });

  it.each(EXPECTED)("%s: %i rules (%i alerts, %i records), nothing reported", (file, rules, alerts, records, firstName, firstLine, firstColumn) => {
    const read = readCorpusFile(file);
    expect(read.problems).toEqual([]);
    expect(read.rules).toHaveLength(rules);
    expect(read.rules.filter((r) => r.rule.type === "alert")).toHaveLength(alerts);
    expect(read.rules.filter((r) => r.rule.type === "record")).toHaveLength(records);
    for (const r of read.rules) expect(r.rule.file).toBe(`corpus/prometheus-rules/${file}`);

    // Every rule keeps its place: its pointer is in its document's source map.
    read.documents.forEach((doc, i) => {
      for (const r of read.reads[i]!.rules) expect(doc.sourceMap.get(r.pointer), `${file} ${r.pointer}`).toBeDefined();
    });
    if (firstName !== null) {
      const first = read.reads.find((r) => r.rules.length > 0)!;
      const doc = read.documents[read.reads.indexOf(first)]!;
      const rule = first.rules[0]!;
      expect(rule.rule.alert ?? rule.rule.record).toBe(firstName);
      expect(doc.sourceMap.get(rule.pointer)).toEqual({ line: firstLine, column: firstColumn });
    }

    // Prometheus accepted every expression: none may fail to parse here.
    for (const r of read.rules) {
      expect(r.rule.expr, `${file} ${r.pointer}`).not.toBeNull();
      expect(analyzePromQL(r.rule.expr!).error, `${file} ${r.pointer}: ${r.rule.expr}`).toBeNull();
    }
  });

  it("Sloth's alerts read as two burn-rate pairs over the windows of the SRE workbook", () => {
    const sloth = files.filter((f) => f.startsWith("sloth/"));
    let alerts = 0;
    for (const file of sloth) {
      const { rules } = readCorpusFile(file);
      const recorded = new Map<string, PromQuery>();
      for (const { rule } of rules) {
        if (rule.record && rule.expr && !recorded.has(rule.record)) recorded.set(rule.record, analyzePromQL(rule.expr));
      }
      for (const { rule } of rules.filter((r) => r.rule.type === "alert")) {
        alerts++;
        const alternatives = analyzePromQL(rule.expr!, (name) => recorded.get(name)).alternatives;
        const windows = alternatives.map((a) => a.map((c) => c.windowSeconds));
        const page = rule.labels.sloth_severity === "page";
        if (file === "sloth/contrib-denominator-corrected.yaml") {
          // This plugin multiplies each ratio by a correction read over the SLO period, so the
          // longest range every branch reads, and thus its window, is 30 days.
          expect(windows, `${file} ${rule.alert}`).toEqual([[2592000, 2592000], [2592000, 2592000]]);
        } else {
          expect(windows, `${file} ${rule.alert}`).toEqual(page ? [[300, 3600], [1800, 21600]] : [[7200, 86400], [21600, 259200]]);
        }
        // Thresholds are factor × (1 − objective), with the SLO's own objective (95% to 99.99% here).
        const thresholds = alternatives.map((a) => a.map((c) => c.comparison?.threshold ?? Number.NaN));
        const budget = thresholds[1]![1]! / (page ? 6 : 1);
        expect(budget, `${file} ${rule.alert}`).toBeGreaterThan(0);
        expect(budget, `${file} ${rule.alert}`).toBeLessThanOrEqual(0.05 + 1e-9);
        const factors = thresholds.map((pair) => pair.map((t) => Math.round((t / budget) * 10) / 10));
        expect(factors, `${file} ${rule.alert}`).toEqual(page ? [[14.4, 14.4], [6, 6]] : [[3, 3], [1, 1]]);
      }
    }
    expect(alerts).toBe(20);
  });
});
