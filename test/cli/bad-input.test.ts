// Bad input through the real CLI process (DESIGN.md, "Inputs" and "Outputs"): problems in the
// checked files are INP findings — located, with a fix, the file marked `invalid` or `skipped`, and
// the run going on with the other files — while problems in how obsgate was run are diagnostics:
// exit 2, nothing on stdout, `file:line:col: code: message` lines on stderr. No input may produce a
// stack trace or a hang. Each case is a folder under test/fixtures/bad-input/ holding the broken
// input and the valid manifest `churn-scorer.obsgate.yaml`; what must not be committed (huge,
// binary, symlinks, permissions) is written into the temporary copy by the test.
import { chmodSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkJson,
  DIAGNOSTIC_LINE,
  PACKAGE_ROOT,
  stackTraceLines,
  stderrLines,
  tempRepo,
  type CliResult,
  type JsonReport,
} from "../helpers/cli.js";

/** The valid manifest every case folder holds beside its broken input. */
const VALID = "churn-scorer.obsgate.yaml";
const VALID_MODEL = "churn-scorer";

type Finding = JsonReport["findings"][number];

function expectNoStackTrace(result: CliResult): void {
  expect(stackTraceLines(result.stderr), `stderr:\n${result.stderr}`).toEqual([]);
}

/** The run went on: the valid manifest beside the broken file was read, evaluated and listed, with no finding. */
function expectValidModelChecked(report: JsonReport): void {
  expect(report.files).toContainEqual({ path: VALID, kind: "model-manifest", status: "evaluated" });
  expect(report.models).toContainEqual(expect.objectContaining({ name: VALID_MODEL, file: VALID, status: "evaluated" }));
  expect(report.findings.filter((f) => f.file === VALID)).toEqual([]);
}

function findingsIn(report: JsonReport, file: string): Finding[] {
  return report.findings.filter((f) => f.file === file);
}

/** One finding of `rule` at exactly file:line:column, an open error with a fix; returns it. */
function expectFindingAt(report: JsonReport, rule: string, file: string, line: number, column: number): Finding {
  const candidates = report.findings.filter((f) => f.rule === rule && f.file === file);
  const found = candidates.find((f) => f.line === line && f.column === column);
  expect(found, `${rule} at ${file}:${line}:${column}; got ${JSON.stringify(candidates.map((f) => `${f.line}:${f.column} ${f.message}`))}`).toBeDefined();
  expect(found).toMatchObject({ rule, file, line, column, severity: "error", status: "open" });
  expect(found!.remediation.trim()).not.toBe("");
  expect(found!.message.trim()).not.toBe("");
  return found!;
}

function fileRecord(report: JsonReport, path: string): JsonReport["files"][number] | undefined {
  return report.files.find((f) => f.path === path);
}

/** A diagnostic run: exit 2, nothing on stdout, every stderr line `file:line:col: code: message`. */
function expectDiagnostics(result: CliResult, code: string): string[] {
  expect(result.status, `stderr:\n${result.stderr}`).toBe(2);
  expect(result.stdout).toBe("");
  expectNoStackTrace(result);
  const lines = stderrLines(result.stderr);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, "every stderr line is a diagnostic").toMatch(DIAGNOSTIC_LINE);
    expect(line.match(DIAGNOSTIC_LINE)!.groups!.code).toBe(code);
  }
  return lines;
}

describe("INP-001: a file that does not parse", () => {
  it("invalid YAML (an unclosed flow sequence) is located where the parser stops, the file is invalid, and the valid model is still checked", async () => {
    const repo = tempRepo("invalid-yaml");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    // 13:3 is the next key, where the parser finds that the `[` opened at 12:15 was never closed.
    const finding = expectFindingAt(report, "INP-001", "ranker.obsgate.yaml", 13, 3);
    expect(finding.message).toMatch(/^YAML syntax error: /);
    expect(findingsIn(report, "ranker.obsgate.yaml")).toHaveLength(1);
    expect(fileRecord(report, "ranker.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expect(report.result).toBe("failed");
    expectValidModelChecked(report);
  });

  it("the text report names the broken file at file:line:col with its fix", async () => {
    const repo = tempRepo("invalid-yaml");
    const result = await repo.run(["check", "."]);
    expect(result.status).toBe(1);
    expectNoStackTrace(result);
    expect(result.stdout).toContain("ranker.obsgate.yaml:13:3");
    expect(result.stdout).toContain("INP-001");
    expect(result.stdout).toContain("fix the YAML syntax");
    expect(result.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it("a duplicate key (`owner:` twice) is INP-001 at the second key", async () => {
    const repo = tempRepo("duplicate-keys");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-001", "ranker.obsgate.yaml", 8, 3);
    expect(finding.message).toMatch(/duplicate key/i);
    expect(findingsIn(report, "ranker.obsgate.yaml")).toHaveLength(1);
    expect(fileRecord(report, "ranker.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("a duplicate key's message names the key", async () => {
    const repo = tempRepo("duplicate-keys");
    const { report } = await checkJson(repo, ["."]);
    const finding = expectFindingAt(report, "INP-001", "ranker.obsgate.yaml", 8, 3);
    // The message names the duplicated key, not just that some key is repeated.
    expect(finding.message).toContain("owner");
  });

  it("an alias bomb (9 levels of 9 aliases) is INP-001 about alias expansion, and fails fast", async () => {
    const repo = tempRepo("alias-bomb");
    // The timeout is a hang guard only (DESIGN.md: no timed assertions in the suite).
    const { status, report, ...result } = await checkJson(repo, ["."], { timeoutMs: 10_000 });
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const problems = findingsIn(report, "laughs.obsgate.yaml");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: "INP-001", severity: "error", status: "open" });
    expect(problems[0]!.message).toMatch(/alias expansion/);
    expect(problems[0]!.message).toContain("10000");
    expect(problems[0]!.remediation).toContain("max-alias-nodes");
    expect(fileRecord(report, "laughs.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("an alias bomb is located at an alias, not inside the anchored list it expands", async () => {
    const repo = tempRepo("alias-bomb");
    const { report } = await checkJson(repo, ["."], { timeoutMs: 10_000 });
    const [finding] = findingsIn(report, "laughs.obsgate.yaml");
    const lines = readFileSync(repo.path("laughs.obsgate.yaml"), "utf8").split("\n");
    const at = lines[finding!.line - 1]!.slice(finding!.column - 1);
    // The finding points at an alias (the first `*d` on line 14, whose expansion crosses the limit),
    // not at a plain "lol" inside `a: &a [...]`.
    expect(at, `text at ${finding!.line}:${finding!.column}`).toMatch(/^\*[a-z]/);
  });

  it("a file over limits.max-file-bytes is INP-001 at 1:1 naming its size and the limit", async () => {
    const repo = tempRepo("over-size");
    let text = "# A model with many metrics: larger than this repository allows.\napiVersion: obsgate.dev/v1\nkind: ModelObservability\n" +
      "metadata:\n  name: big-model\n  owner: team-big\n  tier: standard\nspec:\n  metrics:\n";
    for (let i = 0; text.length < 2048; i++) text += `    - name: big_metric_${i}_total\n      type: counter\n      labels: { model: 1 }\n`;
    repo.write("big.obsgate.yaml", text);
    const size = Buffer.byteLength(text);
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-001", "big.obsgate.yaml", 1, 1);
    expect(finding.message).toContain(`${size} bytes`);
    expect(finding.message).toContain("1000");
    expect(`${finding.message} ${finding.remediation}`).toContain("max-file-bytes");
    expect(findingsIn(report, "big.obsgate.yaml")).toHaveLength(1);
    expect(fileRecord(report, "big.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  const deep = (depth: number) => `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;

  it("10,000-deep nesting is INP-001 about nesting, with no stack trace and no hang", async () => {
    const repo = tempRepo("deep-nesting");
    repo.write("deep.yaml", deep(10_000));
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const problems = findingsIn(report, "deep.yaml");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: "INP-001", severity: "error", status: "open", line: 1 });
    expect(problems[0]!.message).toMatch(/nest/);
    expect(problems[0]!.remediation.trim()).not.toBe("");
    expect(fileRecord(report, "deep.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("10,000-deep nesting is reported by limits.max-depth, where level 65 starts, like 100-deep nesting", async () => {
    const repo = tempRepo("deep-nesting");
    repo.write("deep-100.yaml", deep(100));
    repo.write("deep-10000.yaml", deep(10_000));
    const { report } = await checkJson(repo, ["."]);
    // `a:` is level 1, the k-th `[` (column 3 + k) is level k + 1: level 65 is the 64th `[`, column 67.
    const shallow = expectFindingAt(report, "INP-001", "deep-100.yaml", 1, 67);
    expect(shallow.message).toBe("nesting deeper than 64 levels");
    // Very deep input gets the same max-depth message and location as 100-deep input, never a
    // stack-overflow message at a column that depends on the V8 stack size.
    const deepest = expectFindingAt(report, "INP-001", "deep-10000.yaml", 1, 67);
    expect(deepest.message).toBe("nesting deeper than 64 levels");
  });

  it("invalid UTF-8 (a 0xFF byte on line 7) is INP-001 at line 7, in characters, not bytes", async () => {
    const repo = tempRepo("invalid-utf8");
    const lines = [
      "# Saved from a Latin-1 editor: one byte on line 7 is not UTF-8.",
      "apiVersion: obsgate.dev/v1",
      "kind: ModelObservability",
      "metadata:",
      "  name: ranker",
      "  owner: team-discovery",
      "  tier: standard # résumé",
      "spec:",
      "  metrics:",
      "    - name: ranker_requests_total",
      "      type: counter",
      "      labels: { model: 1, status_code: 5 }",
      "",
    ];
    const utf8 = Buffer.from(lines.join("\n"), "utf8");
    // Replace the second `é` (two bytes, C3 A9) of line 7 with the Latin-1 byte 0xFF.
    const before = Buffer.from(lines.slice(0, 6).join("\n") + "\n  tier: standard # résum", "utf8");
    expect([utf8[before.length], utf8[before.length + 1]]).toEqual([0xc3, 0xa9]);
    repo.write("ranker.obsgate.yaml", Buffer.concat([before, Buffer.from([0xff]), utf8.subarray(before.length + 2)]));
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    // "  tier: standard # résum" is 24 characters (25 bytes): the bad byte is character 25.
    const finding = expectFindingAt(report, "INP-001", "ranker.obsgate.yaml", 7, 25);
    expect(finding.message).toMatch(/UTF-8/);
    expect(findingsIn(report, "ranker.obsgate.yaml")).toHaveLength(1);
    expect(fileRecord(report, "ranker.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });
});

describe("INP-001: a file that cannot be read", () => {
  it("a dangling symlink (broken.yaml -> missing.yaml) is INP-001 'cannot read' at 1:1", async () => {
    const repo = tempRepo("unreadable");
    symlinkSync("missing.yaml", repo.path("broken.yaml"));
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-001", "broken.yaml", 1, 1);
    expect(finding.message).toMatch(/cannot read/);
    expect(fileRecord(report, "broken.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("a symlink loop is INP-001 'cannot read' at 1:1", async () => {
    const repo = tempRepo("unreadable");
    symlinkSync("loop.yaml", repo.path("loop.yaml"));
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-001", "loop.yaml", 1, 1);
    expect(finding.message).toMatch(/cannot read/);
    expectValidModelChecked(report);
  });

  // Root reads a chmod-000 file anyway: as root, these cases run obsgate as `nobody` instead (the
  // temporary repository is made readable to it, all but the file under test).
  const unprivileged = (repo: ReturnType<typeof tempRepo>) => {
    if (process.getuid?.() === 0) chmodSync(repo.dir, 0o755);
    return { asUnprivileged: true };
  };

  it("a file without read permission (chmod 000) is INP-001 'cannot read' at 1:1", async () => {
    const repo = tempRepo("unreadable");
    repo.write("secret.obsgate.yaml", "apiVersion: obsgate.dev/v1\nkind: ModelObservability\n");
    chmodSync(repo.path("secret.obsgate.yaml"), 0o000);
    const { status, report, ...result } = await checkJson(repo, ["."], unprivileged(repo));
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-001", "secret.obsgate.yaml", 1, 1);
    expect(finding.message).toMatch(/cannot read.*permission denied/);
    expect(fileRecord(report, "secret.obsgate.yaml")).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("a folder without read permission (chmod 000) is an INP-001 finding, and the run goes on", async () => {
    const repo = tempRepo("unreadable");
    repo.write("private/secret.obsgate.yaml", "apiVersion: obsgate.dev/v1\nkind: ModelObservability\n");
    chmodSync(repo.path("private"), 0o000);
    const raw = await repo.run(["check", ".", "--format", "json"], unprivileged(repo));
    // An unreadable folder is a finding in the JSON report (exit 1), not a no_input error (exit 2)
    // that stops the whole run.
    expect(raw.status, `stderr:\n${raw.stderr}`).toBe(1);
    expectNoStackTrace(raw);
    const report = JSON.parse(raw.stdout) as JsonReport;
    expect(report.findings.some((f) => f.rule === "INP-001" && f.file.startsWith("private") && /cannot (read|list)/.test(f.message))).toBe(true);
    expectValidModelChecked(report);
  });
});

describe("INP-002: a manifest that breaks its schema", () => {
  const file = "ranker.obsgate.yaml";
  const offending = [
    { line: 7, column: 3, field: "/metadata/tier", allowed: "critical, high, standard" },
    { line: 13, column: 27, field: "/spec/metrics/0/labels/region", allowed: "integer" },
    { line: 17, column: 7, field: "/spec/slos/0/objective", allowed: "number" },
  ];

  it("wrong types are INP-002 at each offending field, naming the field and what it allows", async () => {
    const repo = tempRepo("wrong-types");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    for (const { line, column, field, allowed } of offending) {
      const finding = expectFindingAt(report, "INP-002", file, line, column);
      expect(finding.message).toContain(field);
      expect(report.findings.some((f) => f.file === file && f.line === line && f.message.includes(allowed)), `${field} allows ${allowed}`).toBe(true);
      expect(finding.pointer).toBe(field);
      expect(finding.model).toBe("ranker");
    }
    expect(findingsIn(report, file).every((f) => f.rule === "INP-002")).toBe(true);
    expect(fileRecord(report, file)).toMatchObject({ status: "invalid" });
    expect(report.models).toContainEqual(expect.objectContaining({ name: "ranker", status: "invalid" }));
    expectValidModelChecked(report);
  });

  it("one finding per offending field: no two findings share a fingerprint", async () => {
    const repo = tempRepo("wrong-types");
    const { report } = await checkJson(repo, ["."]);
    // `tier: 3` breaks both the enum and the type of `tier`, yet yields one finding, so no two
    // findings share a fingerprint.
    expect(findingsIn(report, file).map((f) => [f.line, f.column])).toEqual(offending.map((o) => [o.line, o.column]));
    const fingerprints = report.findings.map((f) => f.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("an unknown field is INP-002 at its key, naming it", async () => {
    const repo = tempRepo("unknown-field");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-002", file, 7, 3);
    expect(finding.message).toContain("`team`");
    expect(finding.pointer).toBe("/metadata/team");
    expect(findingsIn(report, file)).toHaveLength(1);
    expect(fileRecord(report, file)).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("an unknown field's fix lists the fields allowed there", async () => {
    const repo = tempRepo("unknown-field");
    const { report } = await checkJson(repo, ["."]);
    const finding = expectFindingAt(report, "INP-002", file, 7, 3);
    const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, "schemas", "model-manifest.v1.schema.json"), "utf8")) as {
      properties: { metadata: { properties: Record<string, unknown> } };
    };
    // The remediation lists exactly the fields the schema allows under `metadata`.
    expect(finding.remediation).toBe(`remove it or correct its spelling; allowed: ${Object.keys(schema.properties.metadata.properties).join(", ")}`);
  });

  it("a misspelt kind under obsgate.dev/v1 is INP-002 at the kind line, not a skipped file", async () => {
    const repo = tempRepo("unknown-kind");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-002", file, 3, 1);
    expect(finding.message).toContain("ModelObservabilty");
    expect(finding.pointer).toBe("/kind");
    expect(finding.remediation).toContain("ModelObservability");
    expect(findingsIn(report, file)).toHaveLength(1);
    expect(fileRecord(report, file)).toMatchObject({ status: "invalid" });
    expectValidModelChecked(report);
  });

  it("a Kubernetes Deployment is skipped with a reason, and no finding", async () => {
    const repo = tempRepo("kubernetes-deployment");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(0);
    expect(result.stderr).toBe("");
    const record = fileRecord(report, "deployment.yaml");
    expect(record).toMatchObject({ status: "skipped" });
    expect(record!.reason).toMatch(/Deployment/);
    expect(report.findings).toEqual([]);
    expect(report.result).toBe("passed");
    expectValidModelChecked(report);
  });
});

describe("INP-002: backend configs with values their backends refuse", () => {
  // The ranker's manifest is valid; the configs it names are not. Each problem is located in the
  // config, names what is wrong and how to fix it, and the rest of each config is still read and checked.
  const expected = [
    { file: "platform/otel.yaml", line: 19, column: 35, pointer: "/service/pipelines/traces/processors/1", says: "`bacth` in service.pipelines.traces.processors is not a processor type of the OpenTelemetry Collector (core or contrib), so the collector refuses to start; did you mean `batch`?" },
    { file: "platform/scrape.yml", line: 3, column: 3, pointer: "/global/scrape_interval", says: "`global.scrape_interval` is `30 seconds`, which Prometheus does not read as a duration" },
    { file: "platform/scrape.yml", line: 6, column: 5, pointer: "/scrape_configs/0/scrape_interval", says: "`scrape_configs[ranker-api].scrape_interval` is `1.5m`, which Prometheus does not read as a duration" },
    { file: "platform/thanos-compact.yaml", line: 14, column: 15, pointer: "/spec/template/spec/containers/0/args/1", says: '`--retention.resolution-raw` has no value, so thanos compact refuses to start ("expected argument for flag")' },
  ];

  it("an unknown processor type, malformed scrape durations and a Thanos flag without a value are each INP-002 at their line", async () => {
    const repo = tempRepo("bad-backend-configs");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    for (const { file, line, column, pointer, says } of expected) {
      const finding = expectFindingAt(report, "INP-002", file, line, column);
      expect(finding.message.startsWith(says), finding.message).toBe(true);
      expect(finding.pointer).toBe(pointer);
      expect(fileRecord(report, file)).toMatchObject({ status: "invalid" });
    }
    expect(report.findings.filter((f) => f.rule.startsWith("INP")).map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(
      expected.map((e) => `${e.file}:${e.line}:${e.column}`),
    );
    expect(report.result).toBe("failed");
    expectValidModelChecked(report);
  });

  it("still checks the rest: the model is evaluated, and its collector and scrape job are read", async () => {
    const repo = tempRepo("bad-backend-configs");
    const { report } = await checkJson(repo, ["."]);
    expect(report.models).toContainEqual(expect.objectContaining({ name: "ranker", status: "evaluated" }));
    // The tail sampling processor the pipeline does name is read (it keeps no error traces) …
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: "COR-008", file: "platform/otel.yaml", model: "ranker" }));
    // … and the scrape job whose interval is refused is still checked for its limits.
    expect(report.findings.filter((f) => f.rule === "CAR-005" && f.file === "platform/scrape.yml")).toHaveLength(2);
  });
});

describe("INP-003: a reference that does not resolve", () => {
  it("a missing file in spec.alerts.files is INP-003 at that list item", async () => {
    const repo = tempRepo("missing-rule-file");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(1);
    expectNoStackTrace({ status, ...result });
    const finding = expectFindingAt(report, "INP-003", "ranker.obsgate.yaml", 29, 9);
    expect(finding.message).toBe("`alerts/ranker-slo.rules.yaml` does not exist (resolved to alerts/ranker-slo.rules.yaml)");
    expect(finding.pointer).toBe("/spec/alerts/files/1");
    expect(finding.model).toBe("ranker");
    // The rule file that does exist is read and checked (it passes), and is not reported: the
    // missing reference is the only finding.
    expect(report.findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual(["INP-003 ranker.obsgate.yaml:29:9"]);
    expect(fileRecord(report, "alerts/ranker.rules.yaml")).toEqual({ path: "alerts/ranker.rules.yaml", kind: "prometheus-rules", status: "evaluated" });
    // The manifest itself was read and its model evaluated with the rules it does have: the
    // finding, not the file's status, says what is wrong (INP-001/INP-002 make a file invalid).
    expect(fileRecord(report, "ranker.obsgate.yaml")).toMatchObject({ status: "evaluated" });
    expect(report.models).toContainEqual(expect.objectContaining({ name: "ranker", status: "evaluated" }));
    expectValidModelChecked(report);
  });
});

describe("empty input", () => {
  it("an empty file is skipped with the reason `empty file`, and the run passes on the other files", async () => {
    const repo = tempRepo("empty-file");
    const { status, report, ...result } = await checkJson(repo, ["."]);
    expect(status).toBe(0);
    expect(result.stderr).toBe("");
    expect(fileRecord(report, "empty.yaml")).toEqual({ path: "empty.yaml", kind: "unknown", status: "skipped", reason: "empty file" });
    expect(report.findings).toEqual([]);
    expectValidModelChecked(report);
  });

  it("a folder holding only an empty file is `no_input` (exit 2)", async () => {
    const repo = tempRepo("empty-only");
    const result = await repo.run(["check", "."]);
    expect(expectDiagnostics(result, "no_input")).toEqual([
      "<command-line>:1:1: no_input: nothing to check: none of 1 file(s) is a model manifest or rule file (empty.yaml: empty file)",
    ]);
  });
});

describe("diagnostics: problems in how obsgate was run (exit 2, stderr only)", () => {
  it("an unknown flag is a usage_error located at its argument", async () => {
    const repo = tempRepo("empty-file");
    const result = await repo.run(["check", "--frmat", "json"]);
    expect(expectDiagnostics(result, "usage_error")).toEqual([
      "<command-line>:1:2: usage_error: unknown option '--frmat' (Did you mean --format?) (see obsgate --help)",
    ]);
  });

  it("an unknown flag after a PATH is located at its own argument", async () => {
    const repo = tempRepo("empty-file");
    const result = await repo.run(["check", ".", "--frmat", "json"]);
    expect(expectDiagnostics(result, "usage_error")).toEqual([
      "<command-line>:1:3: usage_error: unknown option '--frmat' (Did you mean --format?) (see obsgate --help)",
    ]);
  });

  it("a .obsgate.yaml that is not valid YAML is a config_error at the syntax error", async () => {
    const repo = tempRepo("config-bad-yaml");
    const result = await repo.run(["check", "."]);
    expect(expectDiagnostics(result, "config_error")).toEqual([
      ".obsgate.yaml:5:1: config_error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML syntax at this position",
    ]);
  });

  it("unknown keys in .obsgate.yaml are config_errors at each key", async () => {
    const repo = tempRepo("config-unknown-key");
    const lines = expectDiagnostics(await repo.run(["check", "."]), "config_error");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\.obsgate\.yaml:4:1: config_error: unknown field `failOn` in the document; /);
    expect(lines[1]).toMatch(/^\.obsgate\.yaml:6:3: config_error: unknown field `max-file-size` in `\/limits`; /);
  });

  it("an unknown key in .obsgate.yaml lists the fields allowed there", async () => {
    const repo = tempRepo("config-unknown-key");
    const result = await repo.run(["check", "."]);
    const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, "schemas", "config.v1.schema.json"), "utf8")) as { properties: Record<string, unknown> };
    // Each line lists the fields allowed where its unknown key sits: top level (every field of the schema) or `limits`.
    expect(stderrLines(result.stderr)).toEqual([
      `.obsgate.yaml:4:1: config_error: unknown field \`failOn\` in the document; remove it or correct its spelling; allowed: ${Object.keys(schema.properties).join(", ")}`,
      ".obsgate.yaml:6:3: config_error: unknown field `max-file-size` in `/limits`; remove it or correct its spelling; allowed: max-file-bytes, max-alias-nodes, max-depth, max-documents",
    ]);
  });

  it("wrong types in .obsgate.yaml (`fail-on: sometimes`, `max-depth: deep`) are config_errors at each field", async () => {
    const repo = tempRepo("config-wrong-type");
    const result = await repo.run(["check", "."]);
    expect(expectDiagnostics(result, "config_error")).toEqual([
      ".obsgate.yaml:4:1: config_error: `/fail-on` must be one of error, warning, info, never; use one of error, warning, info, never",
      ".obsgate.yaml:6:3: config_error: `/limits/max-depth` must be integer; write integer here",
    ]);
  });

  const fix = "pass a .wasm built with `opa build -t wasm -e obsgate/findings -e obsgate/metadata`";

  it("--policy with random bytes is a policy_error naming the file", async () => {
    const repo = tempRepo("corrupt-policy");
    let bytes = randomBytes(512);
    while (bytes.subarray(0, 4).equals(Buffer.from("\0asm"))) bytes = randomBytes(512);
    repo.write("corrupt.wasm", bytes);
    const lines = expectDiagnostics(await repo.run(["check", ".", "--policy", "corrupt.wasm"]), "policy_error");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith("corrupt.wasm:1:1: policy_error: not a WebAssembly module;")).toBe(true);
    expect(lines[0]!.endsWith(`; ${fix}`)).toBe(true);
  });

  it("--policy with valid WebAssembly that is not an OPA policy is one policy_error naming the file, and nothing else on stderr", async () => {
    const repo = tempRepo("corrupt-policy");
    // The smallest valid module: magic number and version, no sections.
    repo.write("not-opa.wasm", Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    expect(WebAssembly.validate(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toBe(true);
    const result = await repo.run(["check", ".", "--policy", "not-opa.wasm"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expectNoStackTrace(result);
    // The policy_error is the only line on stderr: no console output from the OPA loader (such
    // as "opa_wasm_abi_version undefined") leaks ahead of it.
    const lines = stderrLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(DIAGNOSTIC_LINE);
    expect(lines[0]!.startsWith("not-opa.wasm:1:1: policy_error: ")).toBe(true);
  });

  it("--policy naming a missing file is a policy_error with the path as given, not an absolute one", async () => {
    const repo = tempRepo("corrupt-policy");
    const lines = expectDiagnostics(await repo.run(["check", ".", "--policy", "missing.wasm"]), "policy_error");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith("missing.wasm:1:1: policy_error: cannot read the policy")).toBe(true);
    // The message names the policy as given, never the absolute path Node's ENOENT error quotes.
    expect(lines[0]).not.toContain(repo.dir);
  });

  it("an empty folder is no_input", async () => {
    const repo = tempRepo(null);
    mkdirSync(repo.path("empty"));
    const result = await repo.run(["check", "empty"]);
    expect(expectDiagnostics(result, "no_input")).toEqual([
      "<command-line>:1:1: no_input: nothing to check: no YAML or JSON file under empty (after .gitignore and excludes)",
    ]);
  });

  it("a path that does not exist is no_input", async () => {
    const repo = tempRepo("empty-file");
    const result = await repo.run(["check", "does-not-exist"]);
    expect(expectDiagnostics(result, "no_input")).toEqual([
      "<command-line>:1:1: no_input: does-not-exist: no such file or directory; check the PATH argument",
    ]);
  });
});
