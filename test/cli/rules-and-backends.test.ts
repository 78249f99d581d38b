// Alert rule files and backend configs through the real CLI process (DESIGN.md, "Inputs"): the
// files a manifest names are read even outside the PATHs, a file two models share gives one finding
// listing both, rule files no model owns are still checked, and a backend config no manifest names
// is listed as skipped rather than claimed evaluated.
import { describe, expect, it } from "vitest";
import { checkJson, stackTraceLines, tempRepo, type TempRepo } from "../helpers/cli.js";

/** A manifest that passes every built-in check, with `extra` appended to its spec. */
const manifest = (name: string, extra: string) => `apiVersion: obsgate.dev/v1
kind: ModelObservability
metadata:
  name: ${name}
  owner: team-${name}
  tier: standard
spec:
  model:
    version: v1.0.0
    trainingData: { dataset: events, version: v1 }
  metrics:
    - name: ${name.replace(/-/g, "_")}_requests_total
      type: counter
      role: requests
      labels: { model: 1, status_code: 6 }
    - name: ${name.replace(/-/g, "_")}_latency_seconds
      type: histogram
      role: latency
      labels: { model: 1 }
      buckets: [0.1, 0.5, 1]
  logs:
    format: json
    fields: [timestamp, level, model_name, model_version, request_id, trace_id, span_id, trace_flags]
  traces: { propagators: [tracecontext], attributes: [model_name, model_version] }
  resource: { service.name: ${name}, service.version: 1.0.0, deployment.environment.name: production }
${extra}`;

/** Two models sharing a rule file and a Loki config whose retention is never switched on. */
function fleet(): TempRepo {
  const repo = tempRepo(null);
  for (const name of ["scorer-a", "scorer-b"]) {
    repo.write(
      `models/${name}.obsgate.yaml`,
      manifest(name, "  alerts:\n    files: [../alerts/shared.rules.yaml]\n  backends:\n    loki: ../config/loki.yaml\n"),
    );
  }
  repo.write(
    "config/loki.yaml",
    `# Shared by both models: retention is configured, but the compactor never applies it.
compactor:
  working_directory: /loki/compactor
schema_config:
  configs:
    - from: "2024-04-01"
      store: tsdb
      object_store: s3
      schema: v13
      index: { prefix: index_, period: 24h }
limits_config:
  retention_period: 30d
`,
  );
  repo.write(
    "alerts/shared.rules.yaml",
    `groups:
  - name: platform
    rules:
      - alert: InferenceGatewayDown
        expr: up{job="inference-gateway"} == 0
        for: 5m
        labels: { severity: warning }
        annotations:
          summary: The inference gateway is down
`,
  );
  // Read by no manifest: a rule file nobody owns and a Tempo config nobody names.
  repo.write(
    "alerts/orphan.rules.yaml",
    `groups:
  - name: orphan
    rules:
      - alert: OrphanDown
        expr: up{job="orphan"} == 0
        for: 5m
        labels: { severity: page }
        annotations: { summary: Orphan is down, description: The orphan job is not scraped. }
`,
  );
  repo.write("config/tempo.yaml", "compactor:\n  compaction:\n    block_retention: 336h\n");
  return repo;
}

const line = (f: { rule: string; severity: string; file: string; line: number; column: number; pointer: string; model: string | null; models: string[] }) =>
  `${f.rule} ${f.severity} ${f.file}:${f.line}:${f.column} ${f.pointer} model=${f.model ?? "-"} models=${f.models.join(",")}`;


describe("rule files and backend configs a manifest names", () => {
  it("are read although the PATH covers only the manifests, and a problem in a shared file is one finding listing both models", async () => {
    const repo = fleet();
    const { status, report, stderr } = await checkJson(repo, ["models"]);
    expect(status).toBe(1);
    expect(stackTraceLines(stderr)).toEqual([]);
    expect(report.files).toEqual([
      { path: "alerts/shared.rules.yaml", kind: "prometheus-rules", status: "evaluated" },
      { path: "config/loki.yaml", kind: "loki-config", status: "evaluated" },
      { path: "models/scorer-a.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
      { path: "models/scorer-b.obsgate.yaml", kind: "model-manifest", status: "evaluated" },
    ]);
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}:${f.column} model=${f.model ?? "-"} models=${f.models.join(",")}`)).toEqual([
      "ALR-003 warning alerts/shared.rules.yaml:8:9 model=- models=scorer-a,scorer-b",
      // Both settings are missing: each finding is at `compactor:`, the section to add them to.
      "RET-004 error config/loki.yaml:2:1 model=- models=scorer-a,scorer-b",
      "RET-004 error config/loki.yaml:2:1 model=- models=scorer-a,scorer-b",
      // A Loki that never deletes keeps logs beyond the 30-day maximum of models that are not high-risk.
      "RET-006 warning config/loki.yaml:2:1 model=- models=scorer-a,scorer-b",
    ]);
    expect(report.findings[0]!.pointer).toBe("/groups/0/rules/0/annotations");
    // Each pointer is the missing setting's own in the Loki config as written (under its compactor
    // section), never a ModelInput field name such as /deleteRequestStore; and two findings never
    // share a fingerprint.
    expect(report.findings.filter((f) => f.rule === "RET-004").map((f) => f.pointer)).toEqual([
      "/compactor/delete_request_store",
      "/compactor/retention_enabled",
    ]);
    const fingerprints = report.findings.map((f) => f.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(report.findings.filter((f) => f.rule === "RET-004").map((f) => f.message)).toEqual([
      "compactor.delete_request_store is not set in config/loki.yaml, so Loki never deletes logs; set it to the object store that holds the index (e.g. s3, gcs, filesystem)",
      "compactor.retention_enabled is not true in config/loki.yaml, so Loki never deletes logs; set compactor.retention_enabled: true",
    ]);
  });
});

describe("files no manifest names", () => {
  it("a rule file nobody owns is checked with no model; a backend config nobody names is skipped with the reason", async () => {
    const repo = fleet();
    const { report } = await checkJson(repo, ["."]);
    expect(report.files.filter((f) => f.path === "alerts/orphan.rules.yaml" || f.path === "config/tempo.yaml")).toEqual([
      { path: "alerts/orphan.rules.yaml", kind: "prometheus-rules", status: "evaluated" },
      {
        path: "config/tempo.yaml",
        kind: "tempo-config",
        status: "skipped",
        reason: "a backend config (tempo-config) that no manifest names in spec.backends",
      },
    ]);
    expect(report.findings.filter((f) => f.file === "alerts/orphan.rules.yaml").map((f) => `${line(f)} ${f.message}`)).toEqual([
      "ALR-002 error alerts/orphan.rules.yaml:7:19 /groups/0/rules/0/labels/severity model=- models= alert OrphanDown has severity page, which is not one of critical, warning, info",
    ]);
    // The models are the manifests only: the unowned rules are not a model of the report.
    expect(report.models.map((m) => m.name)).toEqual(["scorer-a", "scorer-b"]);
    expect(report.findings.some((f) => f.file === "config/tempo.yaml")).toBe(false);
  });

  it("a rule file alone is checked by the rules that need no manifest", async () => {
    const repo = fleet();
    const { status, report } = await checkJson(repo, ["alerts/orphan.rules.yaml"]);
    expect(status).toBe(1);
    expect(report.files).toEqual([{ path: "alerts/orphan.rules.yaml", kind: "prometheus-rules", status: "evaluated" }]);
    expect(report.models).toEqual([]);
    expect(report.findings.map((f) => f.rule)).toEqual(["ALR-002"]);
  });
});
