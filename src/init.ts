// `obsgate init [PATH]`: a commented `.obsgate.yaml` at the repository root and, for a PATH, a model
// manifest skeleton there. Both are valid against their schemas as written (test/cli/init.test.ts
// holds them to it), settings equal to the defaults, so that adding obsgate changes nothing until a
// team edits them. Nothing is overwritten: every target is checked before any is written.
import { existsSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { CONFIG_FILE_NAME } from "./config/index.js";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { findGitRoot, toRepoPath } from "./load/index.js";
import { TIERS, type Tier } from "./model/params.js";
import type { Diagnostic } from "./types.js";

export interface InitOptions {
  cwd: string;
  /** Where the manifest skeleton goes: a `.yaml`/`.yml` file, or a folder (`<folder>/<name>.obsgate.yaml`). */
  path?: string;
  /** Write only the manifest (the repository has its config already). */
  config?: boolean;
  name?: string;
  owner?: string;
  tier?: Tier;
}

export interface InitFile {
  absolute: string;
  /** As printed: relative to the working directory's repository root. */
  path: string;
  content: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The files `init` would write; diagnostics (exit 2) when one exists or a name cannot be made. */
export function planInit(options: InitOptions): InitFile[] {
  const root = findGitRoot(options.cwd) ?? resolve(options.cwd);
  const shown = (absolute: string) => toRepoPath(root, absolute);
  const files: InitFile[] = [];
  if (options.config !== false) {
    const absolute = join(root, CONFIG_FILE_NAME);
    files.push({ absolute, path: shown(absolute), content: CONFIG_TEMPLATE });
  }
  if (options.path !== undefined) {
    const target = resolve(options.cwd, options.path);
    const isFile = [".yaml", ".yml"].includes(extname(target).toLowerCase());
    const name = options.name ?? modelNameFrom(isFile ? basename(target).replace(/(\.obsgate)?\.ya?ml$/i, "") : basename(target));
    if (!NAME.test(name) || name.length > 63) {
      throw new DiagnosticError(
        diagnostic("usage_error", `cannot make a model name from ${JSON.stringify(options.path)}${options.name !== undefined ? "" : ` (got ${JSON.stringify(name)})`}; pass --name with lowercase letters, digits and hyphens, e.g. --name fraud-detector`),
      );
    }
    const absolute = isFile ? target : join(target, `${name}.obsgate.yaml`);
    files.push({ absolute, path: shown(absolute), content: manifestSkeleton(name, options.owner ?? "my-team", options.tier ?? "standard") });
  }
  const present: Diagnostic[] = files
    .filter((f) => existsSync(f.absolute))
    .map((f) => diagnostic("output_error", "already exists; obsgate init never overwrites a file: edit it, or move it away and run again" + (f.content === CONFIG_TEMPLATE ? " (--no-config writes only the manifest)" : ""), f.path));
  if (present.length > 0) throw new DiagnosticError(present);
  return files;
}

/** `Fraud Detector/`, `fraud_detector.yaml` → `fraud-detector`. */
export function modelNameFrom(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

export const CONFIG_TEMPLATE = `# obsgate's configuration for this repository (docs/configuration.md; every field is described in
# schemas/config.v1.schema.json). The values below are the defaults: obsgate behaves the same with or
# without this file until you change them.

# Which files \`obsgate check\` reads, as globs relative to the repository root (besides .gitignore).
include: []                      # when set, only matching files are read, e.g. ["models/**", "alerts/**"]
exclude: []                      # never read, e.g. ["**/testdata/**", "charts/**"]

# The lowest severity of an open finding that fails \`obsgate check\` (exit 1): error | warning | info | never.
fail-on: error

# Waivers: risks accepted until a date, with an owner and a reason (waivers.yaml at the repository
# root is read when it exists).
# waivers: waivers.yaml
# max-waiver-days: 90

# Your organisation's own Rego policies and the data they read (docs/writing-policies.md).
# policies: [policies/]
# data: [teams.yaml]

# Rule parameters and switches for every tier, by rule id. \`obsgate rules --format json\` lists every
# rule with its parameters' defaults; durations are Prometheus durations (30s, 5m, 6h, 30d).
params: {}
  # ALR-006: { min_for: 5m }               # threshold alerts wait at least this long (for:)
  # CAR-002: { warn: 1000, max: 10000 }    # series per metric
rules: {}
  # ALR-005: off                           # drop the rule's findings
  # INS-003: { severity: error }           # every finding of the rule at this severity

# The same per tier (a model's metadata.tier; rule files no model owns count as standard), over the
# settings above, one parameter at a time. INP (input) and WVR (waiver) rules cannot be switched.
tiers:
  critical:
    params: {}
      # RET-003: { min: 30d }              # keep a critical model's metrics at least 30 days
    rules: {}
      # INS-003: { severity: error }
  high:
    params: {}
    rules: {}
  standard:
    params: {}
    rules: {}
      # INS-009: off
`;

function manifestSkeleton(name: string, owner: string, tier: Tier): string {
  const metric = name.replaceAll("-", "_");
  return `# The observability manifest of model ${name}: what it exposes (metrics, logs, traces), what it
# promises (SLOs), which alert rules guard it and how long its telemetry is kept. Every field is
# described in schemas/model-manifest.v1.schema.json. Fill in the TODOs, then run \`obsgate check\`.
apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: ${name}
  owner: ${owner}                   # TODO: the team paged when its alerts fire
  tier: ${tier}                   # ${TIERS.join(" | ")}: picks the parameters in .obsgate.yaml
  # riskClass: high-risk            # high-risk | limited-risk | minimal-risk | unclassified
spec:
  model:
    version: v0.1.0                # TODO: the version being deployed
    type: predictive               # predictive | generative
    framework: custom              # kserve | triton | mlserver | bentoml | torchserve | genai | custom
    trainingData: { dataset: TODO, version: TODO }
  metrics:
    # label -> how many values it can take (bounded: never ids, emails or URLs)
    - name: ${metric}_requests_total
      type: counter
      role: requests
      labels: { model: 1, status_code: 6 }
    - name: ${metric}_request_duration_seconds
      type: histogram
      role: latency
      labels: { model: 1 }
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
  slos:
    - name: latency-p95
      sli: { metric: ${metric}_request_duration_seconds, threshold: 0.25 }   # seconds: one of the buckets
      objective: 0.95
      window: 30d
  logs:
    format: json
    fields: [timestamp, level, model_name, model_version, request_id, trace_id, span_id, trace_flags]
  traces:
    propagators: [tracecontext, baggage]
    attributes: [model_name, model_version]
  resource:                        # OpenTelemetry resource attributes the service sets
    service.name: ${name}
    service.version: 0.1.0
    deployment.environment.name: production
  # alerts:
  #   files: [alerts/${name}.rules.yaml]          # Prometheus rule files, relative to this file
  retention: { metrics: 30d, logs: 30d, traces: 7d }   # what you declare; checked against the backends
  # backends:                                     # the configs that enforce it, relative to this file
  #   prometheus: ../platform/prometheus.yml
  #   loki: ../platform/loki.yaml
  #   tempo: ../platform/tempo.yaml
`;
}

/** Where the files went, relative to the repository root, for the command's message. */
export function describeInit(files: readonly InitFile[]): string {
  return files.map((f) => `wrote ${f.path}`).join("\n") + "\n";
}
