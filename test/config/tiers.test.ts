// Tiers in .obsgate.yaml: the defaults of POLICIES.md per tier, how `params`, `rules` and
// `tiers.<tier>` layer over them, durations converted to seconds, and the located config_error for
// every shape the schema or the resolution must refuse.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_FILE_NAME, readConfig, type Config } from "../../src/config/index.js";
import { closeMatches, defaultTierConfig, ruleReferenceDiagnostics } from "../../src/config/tiers.js";
import { DiagnosticError, formatDiagnostic, sortDiagnostics } from "../../src/diagnostics.js";
import { DEFAULT_PARAMS, paramsKey, RULE_PARAMETERS, TIERS } from "../../src/model/params.js";
import { packageRoot } from "../../src/package-root.js";

let base: string;
let root: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "obsgate-tiers-")));
  root = join(base, "repo");
  mkdirSync(join(root, ".git"), { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function read(text: string): Config {
  const absolute = join(root, CONFIG_FILE_NAME);
  writeFileSync(absolute, text);
  return readConfig(absolute, root);
}

/** The config_error lines a config gives, as printed (sorted by location). */
function errors(text: string): string[] {
  try {
    read(text);
  } catch (error) {
    if (error instanceof DiagnosticError) return sortDiagnostics(error.diagnostics).map(formatDiagnostic);
    throw error;
  }
  throw new Error("expected the config to be refused");
}

const DAY = 86_400;

describe("defaults (POLICIES.md)", () => {
  it("are the documented values, in the units policies read", () => {
    expect(DEFAULT_PARAMS).toEqual({
      car_002: { warn: 1000, max: 10_000, model_budget: 50_000 },
      car_003: { max_stream_labels: 15 },
      alr_002: { allowed: ["critical", "warning", "info"] },
      alr_004: { runbook_required_for: ["critical"] },
      alr_006: { min_for_seconds: 300 },
      alr_007: { default_scrape_interval_seconds: 60 },
      alr_010: { default_scrape_interval_seconds: 60 },
      alr_014: { model_label: "model" },
      ret_003: { min_seconds: 15 * DAY, max_seconds: 400 * DAY },
      ret_005: { min_log_retention_high_risk_seconds: 184 * DAY },
      ret_006: { max_log_retention_seconds: 30 * DAY },
      cor_004: { model_keys: ["model_name", "model_version"] },
      cor_005: { model_label: "model" },
      cor_006: { request_id_field: "request_id" },
    });
  });

  it("are every tier's without a config, with no rule switched", () => {
    const { tiers, references } = defaultTierConfig();
    expect(Object.keys(tiers)).toEqual(["critical", "high", "standard"]);
    for (const tier of TIERS) expect(tiers[tier]).toEqual({ params: DEFAULT_PARAMS, rules: {}, configuredParams: [] });
    expect(references).toEqual([]);
    expect(read("fail-on: error\n").tiers).toEqual(defaultTierConfig());
  });
});

describe("the schema and RULE_PARAMETERS", () => {
  const schema = JSON.parse(readFileSync(join(packageRoot(), "schemas", "config.v1.schema.json"), "utf8")) as {
    $defs: { params: { properties: Record<string, { properties: Record<string, { $ref: string; description: string }> }> } };
  };
  const TYPE_REFS = { duration: "#/$defs/duration", integer: "#/$defs/count", string: "#/$defs/name", strings: ["#/$defs/names", "#/$defs/nonEmptyNames"] };

  it("compiles under ajv's strict mode", () => {
    expect(() => new Ajv2020({ allErrors: true, strict: true }).compile(schema)).not.toThrow();
  });

  it("describe the same rules, parameter names and types", () => {
    const described = schema.$defs.params.properties;
    expect(Object.keys(described).sort()).toEqual(Object.keys(RULE_PARAMETERS).sort());
    for (const [id, specs] of Object.entries(RULE_PARAMETERS)) {
      expect(Object.keys(described[id]!.properties), id).toEqual(specs.map((s) => s.name));
      for (const spec of specs) {
        const property = described[id]!.properties[spec.name]!;
        expect([TYPE_REFS[spec.type]].flat(), `${id}.${spec.name}`).toContain(property.$ref);
        expect(property.description.length).toBeGreaterThan(10);
      }
    }
  });

  it("keys each rule's parameters by its id in lowercase with _ (what policies read)", () => {
    expect(paramsKey("ALR-006")).toBe("alr_006");
    expect(paramsKey("ORG-001")).toBe("org_001");
  });
});

describe("resolution per tier", () => {
  it("converts durations to seconds and keeps the other parameters of the rule", () => {
    const { tiers } = read("params:\n  RET-003: { min: 30d }\n  ALR-006: { min_for: 1h30m }\n").tiers;
    for (const tier of TIERS) {
      expect(tiers[tier].params.ret_003).toEqual({ min_seconds: 30 * DAY, max_seconds: 400 * DAY });
      expect(tiers[tier].params.alr_006).toEqual({ min_for_seconds: 5400 });
      expect(tiers[tier].configuredParams).toEqual(["ALR-006", "RET-003"]);
    }
  });

  it("layers tiers.<tier> over the top level, one parameter at a time, and leaves other tiers alone", () => {
    const { tiers } = read(
      [
        "params:",
        "  CAR-002: { warn: 500, max: 5000 }",
        "  ALR-002: { allowed: [page, ticket] }",
        "tiers:",
        "  critical:",
        "    params:",
        "      CAR-002: { max: 2000 }",
        "      ALR-006: { min_for: 10m }",
        "      COR-004: { model_keys: [model] }",
        "",
      ].join("\n"),
    ).tiers;
    expect(tiers.critical.params.car_002).toEqual({ warn: 500, max: 2000, model_budget: 50_000 });
    expect(tiers.critical.params.alr_006).toEqual({ min_for_seconds: 600 });
    expect(tiers.critical.params.cor_004).toEqual({ model_keys: ["model"] });
    expect(tiers.critical.params.alr_002).toEqual({ allowed: ["page", "ticket"] });
    expect(tiers.critical.configuredParams).toEqual(["ALR-002", "ALR-006", "CAR-002", "COR-004"]);
    for (const tier of ["high", "standard"] as const) {
      expect(tiers[tier].params.car_002).toEqual({ warn: 500, max: 5000, model_budget: 50_000 });
      expect(tiers[tier].params.alr_006).toEqual({ min_for_seconds: 300 });
      expect(tiers[tier].configuredParams).toEqual(["ALR-002", "CAR-002"]);
    }
  });

  it("switches rules off, on again, or to another severity, per tier", () => {
    const { tiers } = read(
      [
        "rules:",
        "  ALR-005: off",
        "  INS-003: { severity: error }",
        "tiers:",
        "  critical:",
        "    rules:",
        "      ALR-005: on",
        "      INS-003: on",
        "  standard:",
        "    rules:",
        "      INS-009: off",
        "      INS-003: { severity: info }",
        "",
      ].join("\n"),
    ).tiers;
    expect(tiers.critical.rules).toEqual({ "ALR-005": { enabled: true, severity: null }, "INS-003": { enabled: true, severity: "error" } });
    expect(tiers.high.rules).toEqual({ "ALR-005": { enabled: false, severity: null }, "INS-003": { enabled: true, severity: "error" } });
    expect(tiers.standard.rules).toEqual({
      "ALR-005": { enabled: false, severity: null },
      "INS-003": { enabled: true, severity: "info" },
      "INS-009": { enabled: false, severity: null },
    });
  });

  it("passes the parameters of a user's own rule as written, under its key", () => {
    const { tiers } = read("tiers:\n  high:\n    params:\n      ORG-001: { registry: teams, max_age: 30d }\n").tiers;
    expect(tiers.high.params.org_001).toEqual({ registry: "teams", max_age: "30d" });
    expect(tiers.critical.params.org_001).toBeUndefined();
  });

  it("accepts RET-005 below 184d with a legal basis, and records it", () => {
    const { tiers } = read("tiers:\n  high:\n    params:\n      RET-005: { min_log_retention_high_risk: 90d, legal_basis: 'Regulation X art. 5: 90 days' }\n").tiers;
    expect(tiers.high.params.ret_005).toEqual({ min_log_retention_high_risk_seconds: 90 * DAY, legal_basis: "Regulation X art. 5: 90 days" });
  });

  it("remembers where each rule id is named, to check it once the policies are loaded", () => {
    const { references } = read("params:\n  ALR-006: { min_for: 10m }\ntiers:\n  high:\n    rules:\n      XYZ-001: off\n").tiers;
    expect(references).toEqual([
      { id: "ALR-006", section: "params", line: 2, column: 3 },
      { id: "XYZ-001", section: "rules", line: 6, column: 7 },
    ]);
  });
});

describe("bad tier settings are config_errors at the value at fault", () => {
  const CFG = ".obsgate.yaml";

  // A mapping member is located at its key (docs/architecture.md, "Locations").
  it("a duration that is not one, or a number where a duration goes", () => {
    expect(errors("params:\n  ALR-006: { min_for: 10 minutes }\n  ALR-007: { default_scrape_interval: 30 }\n")).toEqual([
      `${CFG}:2:14: config_error: \`/params/ALR-006/min_for\` is not a duration: "10 minutes"; write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first)`,
      `${CFG}:3:14: config_error: \`/params/ALR-007/default_scrape_interval\` is not a duration: 30; write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first)`,
    ]);
  });

  it("an unknown parameter of a built-in rule, naming the ones it has", () => {
    expect(errors("tiers:\n  critical:\n    params:\n      ALR-014: { model_lable: model }\n")).toEqual([
      `${CFG}:4:18: config_error: unknown field \`model_lable\` in \`/tiers/critical/params/ALR-014\`; remove it or correct its spelling; allowed: model_label`,
    ]);
  });

  it("wrong types: a word for a count, a string for a list, a list for a rule's parameters", () => {
    expect(errors("params:\n  CAR-002: { warn: lots }\n  ALR-002: { allowed: critical }\n  CAR-003: [15]\n")).toEqual([
      `${CFG}:2:14: config_error: \`/params/CAR-002/warn\` must be integer; write integer here`,
      `${CFG}:3:14: config_error: \`/params/ALR-002/allowed\` must be array; write array here`,
      `${CFG}:4:3: config_error: \`/params/CAR-003\` must be object; write object here`,
    ]);
  });

  it("an unknown tier, naming the three", () => {
    expect(errors("tiers:\n  medium: {}\n")).toEqual([
      `${CFG}:2:3: config_error: unknown field \`medium\` in \`/tiers\`; remove it or correct its spelling; allowed: critical, high, standard`,
    ]);
  });

  it("a switch that is neither off, on nor a severity", () => {
    expect(errors("rules:\n  INS-004: false\n  INS-005: of\n  INS-003: { severity: fatal }\n  INS-006: { level: error }\n")).toEqual([
      `${CFG}:2:3: config_error: \`/rules/INS-004\` must be off, on, or { severity: error | warning | info }; write \`off\` to drop the rule's findings in this tier, or \`{ severity: warning }\` to re-grade them`,
      `${CFG}:3:3: config_error: \`/rules/INS-005\` must be off, on, or { severity: error | warning | info }; write \`off\` to drop the rule's findings in this tier, or \`{ severity: warning }\` to re-grade them`,
      `${CFG}:4:14: config_error: \`/rules/INS-003/severity\` must be one of error, warning, info; use one of error, warning, info`,
      `${CFG}:5:3: config_error: \`/rules/INS-006\` is missing the required field \`severity\`; add \`severity\``,
      `${CFG}:5:14: config_error: unknown field \`level\` in \`/rules/INS-006\`; remove it or correct its spelling; allowed: severity`,
    ]);
  });

  it("an INP or WVR rule switched, or given parameters", () => {
    expect(errors("rules:\n  INP-001: off\ntiers:\n  high:\n    rules:\n      INP-002: { severity: warning }\n      WVR-002: off\n    params:\n      INP-003: { x: 1 }\n")).toEqual([
      `${CFG}:2:3: config_error: INP-001 cannot be switched off or given another severity: a file obsgate cannot read, or that breaks its schema, is a file nobody checked; fix the file or exclude it instead`,
      `${CFG}:6:7: config_error: INP-002 cannot be switched off or given another severity: a file obsgate cannot read, or that breaks its schema, is a file nobody checked; fix the file or exclude it instead`,
      `${CFG}:7:7: config_error: WVR-002 cannot be switched off or given another severity: waiver problems are about the waivers file, which no tier owns; fix or remove the waiver instead`,
      `${CFG}:9:7: config_error: INP-003 takes no parameters: obsgate raises INP findings itself`,
    ]);
  });

  it("bounds that no value could pass, at the value that decides them", () => {
    expect(errors("params:\n  RET-003: { max: 10d }\ntiers:\n  critical:\n    params:\n      CAR-002: { warn: 20000 }\n")).toEqual([
      `${CFG}:2:14: config_error: RET-003 in tier critical: min (15d) is above max (10d); no retention could pass`,
      `${CFG}:2:14: config_error: RET-003 in tier high: min (15d) is above max (10d); no retention could pass`,
      `${CFG}:2:14: config_error: RET-003 in tier standard: min (15d) is above max (10d); no retention could pass`,
      `${CFG}:6:18: config_error: CAR-002 in tier critical: warn (20000) is above max (10000); set warn at or below max`,
    ]);
  });

  it("RET-005 below 184d without a legal basis", () => {
    expect(errors("tiers:\n  high:\n    params:\n      RET-005: { min_log_retention_high_risk: 90d }\n")).toEqual([
      `${CFG}:4:18: config_error: RET-005 in tier high: min_log_retention_high_risk (90d) is below the 184d the EU AI Act asks of high-risk models (Art. 19(1), 26(6)); add \`legal_basis: "…"\` beside it to document why, or remove it`,
    ]);
  });
});

describe("rule ids, checked against the loaded policies", () => {
  const known = new Set(["ALR-005", "ALR-006", "ALR-010", "INS-001", "INS-003", "ORG-001", "INP-001"]);
  const builtin = new Set(["ALR-005", "ALR-006", "ALR-010", "INS-001", "INS-003", "INP-001"]);
  const at = (id: string, section: "params" | "rules", line: number) => ({ id, section, line, column: 3 });

  it("names an unknown id with the closest ones, and a built-in rule that takes no parameters", () => {
    expect(
      ruleReferenceDiagnostics(
        [at("alr_010", "params", 2), at("ALR-05", "rules", 3), at("XYZ-001", "rules", 4), at("INS-001", "params", 5), at("ORG-001", "params", 6), at("INS-003", "rules", 7)],
        known,
        builtin,
        ".obsgate.yaml",
      ).map(formatDiagnostic),
    ).toEqual([
      '.obsgate.yaml:2:3: config_error: unknown rule "alr_010" in params; did you mean ALR-010?',
      '.obsgate.yaml:3:3: config_error: unknown rule "ALR-05" in rules; did you mean ALR-005?',
      '.obsgate.yaml:4:3: config_error: unknown rule "XYZ-001" in rules; `obsgate rules` lists every rule',
      `.obsgate.yaml:5:3: config_error: INS-001 takes no parameters; rules with parameters: ${Object.keys(RULE_PARAMETERS).join(", ")}`,
    ]);
  });

  it("close matches: same id but for case and _, else the nearest within two edits", () => {
    expect(closeMatches("alr-006", ["ALR-006", "ALR-005"])).toEqual(["ALR-006"]);
    expect(closeMatches("ALR-016", ["ALR-006", "ALR-010", "ALR-011", "INS-001"])).toEqual(["ALR-006", "ALR-010", "ALR-011"]);
    expect(closeMatches("COMPLETELY-WRONG", ["ALR-006"])).toEqual([]);
  });
});
