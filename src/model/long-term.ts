// Long-term metrics retention: what a Mimir (or Cortex) compactor or a Thanos compactor deletes, one
// entry per retention setting it reads, each traced to its line (or to where it would be written).
// Input: the `spec.backends.mimir` and `.thanos` documents, and the `prometheus` slot for the tenant
// its Prometheus writes under. Output: ModelInput.retention.longTerm, origins under `/longTerm/<i>`,
// and INP-002 problems for values the store refuses. Pure: no I/O.
//
// - Mimir: `limits.compactor_blocks_retention_period`, "by default, metrics that are stored in the
//   object storage are never deleted" (default 0), overridden per tenant in the runtime config's
//   `overrides.<tenant>.compactor_blocks_retention_period` (0 there: that tenant's blocks are never
//   deleted). It is a Prometheus model.Duration (`1y`, `90d`).
//   https://grafana.com/docs/mimir/latest/configure/configure-metrics-storage-retention/
//   The model's tenant is the X-Scope-OrgID its Prometheus writes with (`remote_write[].headers`, or
//   the Operator's `spec.remoteWrite[].headers`); with `multitenancy_enabled: false` every series
//   belongs to `no_auth_tenant` (default `anonymous`). Every tenant's value is checked, so a bad one
//   is reported whichever tenant it belongs to.
// - Thanos: `thanos compact --retention.resolution-raw|5m|1h`, each a Prometheus duration; "if any is
//   left 0 then it is unlimited" (thanos-io/thanos#813; the flags default to 0d). Downsampled data
//   outlives raw data, so the store keeps metrics, at some resolution, for the longest of the three.
import { backendKind, podContainers, prometheusContainerIndex, thanosCompactContainerIndex } from "../load/backend-kind.js";
import type { LoadedDocument } from "../load/index.js";
import { isObject } from "../load/values.js";
import {
  containerEnv,
  containerWords,
  findFlags,
  has,
  ptr,
  type Reader,
  substituteEnv,
  tenantName,
  valueAt,
} from "./backend-reader.js";
import type { EffectiveRetention } from "./model-input.js";

export function longTermRetention(
  reader: Reader,
  slots: { mimir: readonly LoadedDocument[]; thanos: readonly LoadedDocument[]; prometheus: readonly LoadedDocument[] },
): EffectiveRetention[] {
  const entries: EffectiveRetention[] = [];
  const add = (entry: EffectiveRetention, doc: LoadedDocument, pointer: string) => {
    reader.origin(`/longTerm/${entries.length}`, doc, pointer);
    entries.push(entry);
  };
  const mimir = mimirRetention(reader, slots.mimir, slots.prometheus);
  if (mimir) add(mimir.entry, mimir.doc, mimir.pointer);
  for (const doc of slots.thanos) {
    if (backendKind(doc.value) !== "thanos-compact") continue;
    for (const found of thanosRetention(reader, doc)) add(found.entry, doc, found.pointer);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Mimir.

const MIMIR_SETTING = "compactor_blocks_retention_period";

interface Found {
  entry: EffectiveRetention;
  doc: LoadedDocument;
  pointer: string;
}

function mimirRetention(reader: Reader, docs: readonly LoadedDocument[], prometheus: readonly LoadedDocument[]): Found | null {
  const config = docs.find((d) => backendKind(d.value) === "mimir-config");
  const tenant = config && valueAt(config.value, "/multitenancy_enabled") === false ? noAuthTenant(config) : writeTenant(prometheus);

  // Later runtime files override earlier ones; every tenant's value is read so a bad one is reported.
  let override: Found | null = null;
  for (const doc of docs.filter((d) => backendKind(d.value) === "mimir-overrides")) {
    const overrides = (doc.value as Record<string, unknown>).overrides as Record<string, unknown>;
    for (const [name, block] of Object.entries(overrides)) {
      if (!isObject(block)) continue;
      const pointer = ptr("overrides", name, MIMIR_SETTING);
      const setting = `overrides.${tenantName(name)}.${MIMIR_SETTING}`;
      const seconds = reader.duration(doc, pointer, "prometheus", setting, "Mimir");
      if (name === tenant && seconds !== undefined) override = { entry: mimirEntry(seconds, setting, doc, false), doc, pointer };
    }
  }
  if (override) return override;
  if (!config) return null;

  const pointer = `/limits/${MIMIR_SETTING}`;
  const seconds = reader.duration(config, pointer, "prometheus", `limits.${MIMIR_SETTING}`, "Mimir");
  if (seconds !== undefined) return { entry: mimirEntry(seconds, `limits.${MIMIR_SETTING}`, config, false), doc: config, pointer };
  return {
    entry: { seconds: null, backend: "mimir", setting: `limits.${MIMIR_SETTING} (unset: default 0, blocks are never deleted)`, isDefault: true, file: config.file },
    doc: config,
    pointer,
  };
}

function mimirEntry(seconds: number, setting: string, doc: LoadedDocument, isDefault: boolean): EffectiveRetention {
  return seconds === 0
    ? { seconds: null, backend: "mimir", setting: `${setting} (0: blocks are never deleted)`, isDefault, file: doc.file }
    : { seconds, backend: "mimir", setting, isDefault, file: doc.file };
}

function noAuthTenant(config: LoadedDocument): string {
  const tenant = valueAt(config.value, "/no_auth_tenant");
  return typeof tenant === "string" && tenant !== "" ? tenant : "anonymous";
}

/** The X-Scope-OrgID the model's Prometheus sends with remote write, when a config in its slot says. */
function writeTenant(prometheus: readonly LoadedDocument[]): string | null {
  for (const doc of prometheus) {
    const kind = backendKind(doc.value);
    const writes = kind === "prometheus-config" ? valueAt(doc.value, "/remote_write") : kind === "prometheus-operator" ? valueAt(doc.value, "/spec/remoteWrite") : null;
    if (!Array.isArray(writes)) continue;
    for (const write of writes) {
      const headers = isObject(write) ? write.headers : null;
      if (!isObject(headers)) continue;
      for (const [name, value] of Object.entries(headers)) {
        if (name.toLowerCase() === "x-scope-orgid" && typeof value === "string" && value !== "") return value;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Thanos compactor.

const THANOS_FLAGS = ["--retention.resolution-raw", "--retention.resolution-5m", "--retention.resolution-1h"];

function thanosRetention(reader: Reader, doc: LoadedDocument): Array<{ entry: EffectiveRetention; pointer: string }> {
  const containers = podContainers(doc.value as Record<string, unknown>);
  // A Prometheus workload is never a compactor (backend-kind.ts), so only the compactor's container is read.
  if (prometheusContainerIndex(containers) !== null) return [];
  const index = thanosCompactContainerIndex(containers);
  if (index === null) return [];
  const containerPointer = ptr("spec", "template", "spec", "containers", index);
  const container = containers[index] as Record<string, unknown>;
  const env = containerEnv(container);
  const values = new Map<string, { seconds: number; pointer: string } | "unknown">();
  for (const flag of findFlags(containerWords(container, containerPointer), THANOS_FLAGS)) {
    if (flag.value === null) {
      reader.problem(doc, flag.pointer, `\`${flag.name}\` has no value, so thanos compact refuses to start ("expected argument for flag")`,
        `write ${flag.name}=<duration>, such as ${flag.name}=90d (0d keeps that resolution forever)`);
      // Written but refused: reported here, and neither a value nor a default to check.
      values.set(flag.name, "unknown");
      continue;
    }
    const text = substituteEnv(flag.value, env);
    // A value from a Secret or ConfigMap is not in the file: that setting is unknown.
    if (text === null) {
      values.set(flag.name, "unknown");
      continue;
    }
    const seconds = reader.durationText(doc, flag.pointer, text, "prometheus", flag.name, "Thanos");
    values.set(flag.name, seconds === undefined ? "unknown" : { seconds, pointer: flag.pointer }); // the last occurrence wins
  }
  const defaultPointer = has(doc.value, `${containerPointer}/args`) ? `${containerPointer}/args` : containerPointer;
  const entries: Array<{ entry: EffectiveRetention; pointer: string }> = [];
  for (const name of THANOS_FLAGS) {
    const found = values.get(name);
    if (found === "unknown") continue;
    if (!found) {
      entries.push({
        entry: { seconds: null, backend: "thanos", setting: `${name} (unset: default 0d, kept forever)`, isDefault: true, file: doc.file },
        pointer: defaultPointer,
      });
    } else if (found.seconds === 0) {
      entries.push({ entry: { seconds: null, backend: "thanos", setting: `${name} (0d: kept forever)`, isDefault: false, file: doc.file }, pointer: found.pointer });
    } else {
      entries.push({ entry: { seconds: found.seconds, backend: "thanos", setting: name, isDefault: false, file: doc.file }, pointer: found.pointer });
    }
  }
  return entries;
}
