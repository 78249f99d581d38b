// Which backend configuration a document is, judged by its content only (a Loki config may be
// called anything). Only the shapes obsgate reads retention, scrape settings or sampling from are
// recognised; everything else is null, so a Helm values file or an Alertmanager config is never
// taken for a backend config by accident.
//
// The rules, most specific first:
// - prometheus-operator: `monitoring.coreos.com/*` `Prometheus` (not PrometheusAgent: it keeps no TSDB).
// - prometheus-servicemonitor / prometheus-podmonitor: `monitoring.coreos.com/*` `ServiceMonitor` /
//   `PodMonitor`, for their scrape intervals and limits.
// - prometheus-workload: `apps/v1` Deployment or StatefulSet with a container that runs the Prometheus
//   server (see prometheusContainerIndex). A `List` of resources is not read.
// - thanos-compact: `apps/v1` Deployment or StatefulSet with a container that runs `thanos compact`
//   (see thanosCompactContainerIndex).
// - otel-collector-config: `opentelemetry.io/v1beta1` `OpenTelemetryCollector` whose `spec.config` is
//   a mapping (v1alpha1 holds it as a string, whose lines obsgate cannot point at).
// - For documents without apiVersion/kind (plain config files):
//   - mimir-config: Mimir's or Cortex's own top-level keys (`blocks_storage`, `limits`, …).
//   - otel-collector-config: `service.pipelines` beside the collector's component sections
//     (`receivers`, `processors`, `exporters`, `connectors`, `extensions`).
//   - tempo-config: a key only Tempo has (`backend_worker`, `backend_scheduler`, `metrics_generator`,
//     `live_store`, `block_builder`), or Tempo's shape of a shared key (`compactor.compaction`,
//     `distributor.receivers`, `storage.trace`, `overrides.defaults`,
//     `overrides.per_tenant_override_config`, legacy flat `overrides.block_retention`).
//   - loki-config: a key only Loki has (`limits_config`, `schema_config`, `storage_config`,
//     `chunk_store_config`, `table_manager`, `pattern_ingester`), Loki's compactor keys
//     (`retention_enabled`, `delete_request_store`, `working_directory`, …; not `compaction_interval`,
//     which Mimir's compactor has too) or Loki's ingester chunk keys (`chunk_idle_period`, …).
//   - loki-overrides / tempo-overrides / mimir-overrides: a runtime overrides file, `overrides:`
//     mapping tenant → limits, told apart by the limit names (see overridesKind).
//   - prometheus-config: Prometheus's top-level keys in Prometheus's shapes (`scrape_configs` list,
//     `global` with scrape/evaluation settings, `storage.tsdb`, `alerting.alertmanagers`, …), and none
//     of Alertmanager's (`route`, `receivers`).
import type { BackendKind } from "../types.js";
import { isObject } from "./values.js";

export type { BackendKind };

export function backendKind(value: unknown): BackendKind | null {
  if (!isObject(value)) return null;
  const hasApiVersion = Object.hasOwn(value, "apiVersion");
  const hasKind = Object.hasOwn(value, "kind");
  if (hasApiVersion || hasKind) return resourceKind(value.apiVersion, value.kind, value);
  if (MIMIR_KEYS.some((key) => Object.hasOwn(value, key))) return "mimir-config";
  if (isCollectorConfig(value)) return "otel-collector-config";
  if (isTempoConfig(value)) return "tempo-config";
  if (isLokiConfig(value)) return "loki-config";
  const overrides = overridesKind(value);
  if (overrides) return overrides;
  if (isPrometheusConfig(value)) return "prometheus-config";
  return null;
}

function resourceKind(apiVersion: unknown, kind: unknown, value: Record<string, unknown>): BackendKind | null {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    if (kind === "Prometheus") return "prometheus-operator";
    if (kind === "ServiceMonitor") return "prometheus-servicemonitor";
    if (kind === "PodMonitor") return "prometheus-podmonitor";
  }
  if (apiVersion === "apps/v1" && (kind === "Deployment" || kind === "StatefulSet")) {
    const containers = podContainers(value);
    if (prometheusContainerIndex(containers) !== null) return "prometheus-workload";
    return thanosCompactContainerIndex(containers) === null ? null : "thanos-compact";
  }
  if (apiVersion.startsWith("opentelemetry.io/") && kind === "OpenTelemetryCollector") {
    const spec = value.spec;
    return isObject(spec) && isObject(spec.config) ? "otel-collector-config" : null;
  }
  return null;
}

/** Where a collector config's own sections are: the document, or an OpenTelemetryCollector's `spec.config`. */
export function collectorConfigPointer(value: unknown): string {
  return isObject(value) && Object.hasOwn(value, "apiVersion") ? "/spec/config" : "";
}

const COLLECTOR_SECTIONS = ["receivers", "processors", "exporters", "connectors", "extensions"];

function isCollectorConfig(value: Record<string, unknown>): boolean {
  const service = value.service;
  if (!isObject(service) || !isObject(service.pipelines)) return false;
  return COLLECTOR_SECTIONS.some((key) => isObject(value[key]));
}

/**
 * The index of the container that runs the Thanos compactor, or null: its argv passes a
 * `--retention.resolution-*` flag (only the compactor has them), runs `thanos compact`, or, with a
 * Thanos image whose entrypoint is the `thanos` binary, starts its args with `compact`.
 */
export function thanosCompactContainerIndex(containers: readonly unknown[]): number | null {
  for (const [index, container] of containers.entries()) {
    if (!isObject(container)) continue;
    const command = stringList(container.command).flatMap((s) => s.split(/\s+/));
    const args = stringList(container.args).flatMap((s) => s.split(/\s+/));
    const words = [...command, ...args];
    if (words.some((w) => /^--retention\.resolution-/.test(w))) return index;
    const binary = words.findIndex((w) => /^(?:\S*\/)?thanos$/.test(w));
    if (binary !== -1 && words[binary + 1] === "compact") return index;
    const image = typeof container.image === "string" ? container.image.split("@")[0]! : "";
    const name = image.slice(image.lastIndexOf("/") + 1).split(":")[0]!.toLowerCase();
    if (command.length === 0 && name.includes("thanos") && args[0] === "compact") return index;
  }
  return null;
}

/** `spec.template.spec.containers` of a Deployment or StatefulSet, or [] when absent. */
export function podContainers(workload: Record<string, unknown>): unknown[] {
  const spec = isObject(workload.spec) ? workload.spec : null;
  const template = spec && isObject(spec.template) ? spec.template : null;
  const podSpec = template && isObject(template.spec) ? template.spec : null;
  return podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : [];
}

/**
 * The index of the container that runs the Prometheus server, or null. A container qualifies when
 * - it passes a `--storage.tsdb.*` flag (only the Prometheus server has them; Thanos uses `--tsdb.*`), or
 * - its command runs a `prometheus` binary, or
 * - its image's name contains `prometheus` and is not one of the ecosystem's other components
 *   (operator, config reloader, exporters, adapter, pushgateway, Alertmanager, agents).
 * `--config.file` alone is not enough: Alertmanager and the blackbox exporter take it too.
 */
export function prometheusContainerIndex(containers: readonly unknown[]): number | null {
  for (const [index, container] of containers.entries()) {
    if (!isObject(container)) continue;
    const words = [...stringList(container.command), ...stringList(container.args)].flatMap((s) => s.split(/\s+/));
    if (words.some((w) => /^--storage\.tsdb\./.test(w))) return index;
    if (runsPrometheusBinary(stringList(container.command))) return index;
    if (typeof container.image === "string" && isPrometheusImage(container.image)) return index;
  }
  return null;
}

/**
 * `command: [/bin/prometheus, …]`, or a shell script (`sh -c "exec prometheus …"`) whose first
 * command is it. Other words naming `prometheus` are paths (`--tsdb.path /prometheus` of a sidecar).
 */
function runsPrometheusBinary(command: readonly string[]): boolean {
  const isPrometheus = (word: string | undefined) => word !== undefined && /^(?:\S*\/)?prometheus$/.test(word);
  if (isPrometheus(command[0])) return true;
  const shell = /^(?:\S*\/)?(?:sh|bash|ash|dash)$/.test(command[0] ?? "") && command[1] === "-c";
  if (!shell) return false;
  const script = (command[2] ?? "").trim().split(/\s+/);
  return isPrometheus(script[0] === "exec" ? script[1] : script[0]);
}

const NOT_THE_SERVER = /operator|reloader|exporter|adapter|pushgateway|alertmanager|agent|proxy|rule|sidecar|thanos|msteams|webhook/;

function isPrometheusImage(image: string): boolean {
  // registry/path/name[:tag][@digest] → name
  const withoutDigest = image.split("@")[0]!;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const name = lastSegment.split(":")[0]!.toLowerCase();
  return name.includes("prometheus") && !NOT_THE_SERVER.test(name);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

// `multitenancy_enabled` is Tempo's and Mimir's both, so it proves nothing.
const TEMPO_ONLY_KEYS = ["backend_worker", "backend_scheduler", "metrics_generator", "live_store", "block_builder"];
/** Mimir's (and Cortex's) own top-level keys: such a config is Mimir's (Cortex reads the same retention setting). */
const MIMIR_KEYS = ["blocks_storage", "limits", "alertmanager_storage", "ruler_storage", "store_gateway"];

function isTempoConfig(value: Record<string, unknown>): boolean {
  if (TEMPO_ONLY_KEYS.some((key) => Object.hasOwn(value, key))) return true;
  const compactor = value.compactor;
  if (isObject(compactor) && isObject(compactor.compaction)) return true;
  const distributor = value.distributor;
  if (isObject(distributor) && isObject(distributor.receivers)) return true;
  const storage = value.storage;
  if (isObject(storage) && isObject(storage.trace)) return true;
  const overrides = value.overrides;
  // Tempo's main config holds `overrides.defaults` (or the runtime file's path); a runtime overrides
  // file holds tenants there instead, and a main config never sits beside `limits_config`.
  if (isObject(overrides) && !Object.hasOwn(value, "limits_config")) {
    if (isObject(overrides.defaults) && hasTempoBlocks(overrides.defaults)) return true;
    if (typeof overrides.per_tenant_override_config === "string") return true;
    // The legacy flat format: limits straight under `overrides` (`overrides.max_traces_per_user: 1000`).
    const flat = Object.entries(overrides).some(([key, limit]) => TEMPO_LEGACY_LIMITS.has(key) && !isObject(limit));
    if (flat && Object.keys(value).length > 1) return true;
  }
  return false;
}

const LOKI_ONLY_KEYS = ["limits_config", "schema_config", "storage_config", "chunk_store_config", "table_manager", "pattern_ingester"];
const LOKI_COMPACTOR_KEYS = [
  "retention_enabled",
  "delete_request_store",
  "working_directory",
  "apply_retention_interval",
  "retention_delete_delay",
  "retention_delete_worker_count",
  "delete_request_cancel_period",
];
const LOKI_INGESTER_KEYS = [
  "chunk_idle_period",
  "chunk_target_size",
  "chunk_encoding",
  "chunk_block_size",
  "chunk_retain_period",
  "max_chunk_age",
];

function isLokiConfig(value: Record<string, unknown>): boolean {
  if (Object.hasOwn(value, "overrides")) return false; // a runtime overrides file, or Tempo
  if (LOKI_ONLY_KEYS.some((key) => Object.hasOwn(value, key))) return true;
  const compactor = value.compactor;
  if (isObject(compactor) && LOKI_COMPACTOR_KEYS.some((key) => Object.hasOwn(compactor, key))) return true;
  const ingester = value.ingester;
  return isObject(ingester) && LOKI_INGESTER_KEYS.some((key) => Object.hasOwn(ingester, key));
}

/**
 * Limit names only Loki's `limits_config` has (Mimir and Cortex share many others, such as
 * `max_query_lookback`, so those prove nothing).
 */
const LOKI_ONLY_LIMITS = new Set([
  "retention_period",
  "retention_stream",
  "ingestion_rate_mb",
  "ingestion_burst_size_mb",
  "max_streams_per_user",
  "max_global_streams_per_user",
  "per_stream_rate_limit",
  "per_stream_rate_limit_burst",
  "max_line_size",
  "max_line_size_truncate",
  "max_entries_limit_per_query",
  "max_streams_matchers_per_query",
  "allow_structured_metadata",
  "max_structured_metadata_size",
  "deletion_mode",
  "volume_enabled",
  "shard_streams",
  "otlp_config",
  "discover_service_name",
  "discover_log_levels",
  "increment_duplicate_timestamp",
  "unordered_writes",
]);
/** Tempo's per-tenant blocks (current format) and its legacy flat limit names. */
const TEMPO_BLOCKS = new Set(["ingestion", "compaction", "global", "read", "metrics_generator", "forwarders", "storage", "cost_attribution"]);
const TEMPO_LEGACY_LIMITS = new Set([
  "block_retention",
  "ingestion_rate_strategy",
  "ingestion_rate_limit_bytes",
  "ingestion_burst_size_bytes",
  "max_traces_per_user",
  "max_global_traces_per_user",
  "max_bytes_per_trace",
  "max_search_duration",
  "max_bytes_per_tag_values_query",
  "metrics_generator_processors",
  "compaction_disabled",
]);
/** What else a Loki runtime configuration file may hold beside `overrides`. */
const LOKI_RUNTIME_KEYS = new Set(["overrides", "configs", "multi_kv_config", "ingester_limits", "distributor_limits"]);

function hasTempoBlocks(limits: Record<string, unknown>): boolean {
  return Object.keys(limits).some((key) => TEMPO_BLOCKS.has(key) || TEMPO_LEGACY_LIMITS.has(key));
}

/**
 * A runtime overrides file: `overrides:` maps tenant → limits, and nothing beside it but the runtime
 * file's own sections. Loki when some tenant uses a Loki-only limit and none a Tempo one; Tempo when
 * some tenant uses Tempo's blocks (`compaction: {block_retention}`, `ingestion`, `global`, …) or its
 * legacy flat names (`block_retention`), and none a Loki-only limit; Mimir when some tenant uses a
 * Mimir-only limit (`compactor_blocks_retention_period`, …) and none of the others'. Tenants that are
 * not mappings, or a mix of backends' names, make it none of them.
 */
function overridesKind(value: Record<string, unknown>): "loki-overrides" | "tempo-overrides" | "mimir-overrides" | null {
  const overrides = value.overrides;
  if (!isObject(overrides)) return null;
  if (Object.keys(value).some((key) => !LOKI_RUNTIME_KEYS.has(key))) return null;
  const tenants = Object.values(overrides);
  if (tenants.length === 0 || !tenants.every((t) => t === null || isObject(t))) return null;
  const limits = tenants.filter(isObject);
  const loki = limits.some((t) => Object.keys(t).some((key) => LOKI_ONLY_LIMITS.has(key)));
  const tempo = limits.some(hasTempoBlocks);
  const mimir = limits.some((t) => Object.keys(t).some((key) => MIMIR_ONLY_LIMITS.has(key)));
  if (loki && !tempo && !mimir) return "loki-overrides";
  if (tempo && !loki && !mimir && Object.keys(value).length === 1) return "tempo-overrides";
  if (mimir && !loki && !tempo) return "mimir-overrides";
  return null;
}

/**
 * Limit names of Mimir (and Cortex) that neither Loki nor Tempo has (Loki's rate limits end in `_mb`,
 * Tempo's in `_bytes`; `max_label_names_per_series` and the ruler limits are shared, so they prove nothing).
 */
const MIMIR_ONLY_LIMITS = new Set([
  "compactor_blocks_retention_period",
  "ingestion_rate",
  "ingestion_burst_size",
  "max_global_series_per_user",
  "max_global_series_per_metric",
  "max_global_metadata_per_user",
  "max_global_exemplars_per_user",
  "out_of_order_time_window",
  "native_histograms_ingestion_enabled",
  "compactor_split_and_merge_shards",
  "store_gateway_tenant_shard_size",
]);

const PROMETHEUS_GLOBAL_KEYS = [
  "scrape_interval",
  "scrape_timeout",
  "evaluation_interval",
  "external_labels",
  "query_log_file",
  "scrape_protocols",
  "rule_query_offset",
  "body_size_limit",
  "sample_limit",
  "label_limit",
  "target_limit",
];

function isPrometheusConfig(value: Record<string, unknown>): boolean {
  // Alertmanager's config also has `global:`; its routing tree gives it away.
  if (["route", "receivers", "inhibit_rules"].some((key) => Object.hasOwn(value, key))) return false;
  const { global, storage, alerting } = value;
  return (
    Array.isArray(value.scrape_configs) ||
    Array.isArray(value.scrape_config_files) ||
    Array.isArray(value.rule_files) ||
    Array.isArray(value.remote_write) ||
    Array.isArray(value.remote_read) ||
    (isObject(global) && PROMETHEUS_GLOBAL_KEYS.some((key) => Object.hasOwn(global, key))) ||
    (isObject(storage) && (isObject(storage.tsdb) || isObject(storage.exemplars))) ||
    (isObject(alerting) && (Object.hasOwn(alerting, "alertmanagers") || Object.hasOwn(alerting, "alert_relabel_configs")))
  );
}
