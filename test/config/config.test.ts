// The run's configuration: where `.obsgate.yaml` is found, what each field becomes, and the
// located config_error diagnostic for every shape it must refuse.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, findConfigFile, readConfig, resolveConfig, type Config } from "../../src/config/index.js";
import { DiagnosticError, formatDiagnostic } from "../../src/diagnostics.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { defaultTierConfig } from "../../src/config/tiers.js";
import type { Diagnostic } from "../../src/types.js";

let base: string;
let root: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "obsgate-config-")));
  root = join(base, "repo");
  mkdirSync(join(root, ".git"), { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function write(path: string, content: string | Uint8Array): string {
  const absolute = join(root, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  return absolute;
}

function folder(path: string): string {
  const absolute = join(root, path);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

function diagnosticsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DiagnosticError);
    return (error as DiagnosticError).diagnostics;
  }
  throw new Error("expected a DiagnosticError");
}

/** The config at `cfg/.obsgate.yaml` with this text, read; its diagnostics as `file:line:col: code: message`. */
function fail(text: string | Uint8Array, ...expected: string[]): void {
  const absolute = write(`cfg/${CONFIG_FILE_NAME}`, text);
  expect(diagnosticsOf(() => readConfig(absolute, root)).map(formatDiagnostic)).toEqual(expected);
}

function read(text: string): Config {
  return readConfig(write(`cfg/${CONFIG_FILE_NAME}`, text), root);
}

const DEFAULTS = {
  include: [],
  exclude: [],
  failOn: "error",
  limits: { maxFileBytes: 5 * 1024 * 1024, maxAliasNodes: 10_000, maxDepth: 64, maxDocuments: 1_000 },
  waivers: null,
  maxWaiverDays: 90,
  // Every tier at the defaults of POLICIES.md (test/config/tiers.test.ts pins them), no rule switched.
  tiers: defaultTierConfig(),
  policies: [],
  data: [],
};

describe("defaults", () => {
  it("are the documented ones", () => {
    expect(DEFAULT_CONFIG).toEqual(DEFAULTS);
    expect(DEFAULT_LIMITS).toEqual(DEFAULTS.limits);
  });

  it("apply when no config is found", () => {
    expect(resolveConfig(undefined, folder("a/b"), root)).toEqual({ file: null, ...DEFAULTS });
  });

  it("apply to an empty config or one of comments only, which still names its file", () => {
    expect(read("")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS });
    expect(read("# nothing yet\n")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS });
  });

  // The schema admits a null document, so an explicit null (`~`, or `null` after `---`) means the
  // defaults, like an empty config, rather than an internal error.
  it("apply to a config that is an explicit null", () => {
    expect(read("~\n")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS });
    expect(read("---\nnull\n")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS });
  });

  // A lone `---` holds no document, so it means the defaults; a trailing `---` adds no second
  // document, so the config is not refused as multi-document.
  it("apply to a config that is only `---`, and a trailing `---` changes nothing", () => {
    expect(read("---\n")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS });
    expect(read("fail-on: warning\n---\n")).toEqual({ file: "cfg/.obsgate.yaml", ...DEFAULTS, failOn: "warning" });
  });
});

describe("fields", () => {
  it("reads every field, mapping each kebab-case limit to its camelCase name", () => {
    expect(
      read(
        [
          "include: ['models/**', alerts/*.yaml]",
          "exclude: ['**/testdata/**']",
          "fail-on: warning",
          "limits:",
          "  max-file-bytes: 1024",
          "  max-alias-nodes: 0",
          "  max-depth: 200",
          "  max-documents: 1",
          "max-waiver-days: 30",
          "",
        ].join("\n"),
      ),
    ).toEqual({
      ...DEFAULTS,
      file: "cfg/.obsgate.yaml",
      include: ["models/**", "alerts/*.yaml"],
      exclude: ["**/testdata/**"],
      failOn: "warning",
      limits: { maxFileBytes: 1024, maxAliasNodes: 0, maxDepth: 200, maxDocuments: 1 },
      maxWaiverDays: 30,
    });
  });

  it("resolves `policies:` and `data:` against the config's folder, and refuses a path that does not exist", () => {
    const policy = join(root, "cfg", "policies", "org");
    mkdirSync(policy, { recursive: true });
    const teams = write("cfg/policies/teams.yaml", "teams: {}\n");
    const config = read("policies: [policies/org]\ndata: [policies/teams.yaml]\n");
    expect(config.policies).toEqual([policy]);
    expect(config.data).toEqual([teams]);
    fail("policies:\n  - policies/org\n  - policies/missing\n",
      "cfg/.obsgate.yaml:3:5: config_error: policies: policies/missing: no such file or folder (paths are relative to the config's folder); correct the path");
  });

  it("resolves `waivers:` against the config's folder, and refuses one that does not exist where it says", () => {
    const waivers = write("cfg/compliance/waivers.yaml", "waivers: []\n");
    expect(read("waivers: compliance/waivers.yaml\n").waivers).toBe(waivers);
    fail("fail-on: error\nwaivers: waivers.yaml\n",
      "cfg/.obsgate.yaml:2:1: config_error: waivers: waivers.yaml: no such file (paths are relative to the config's folder); create it or correct the path");
  });

  it.each([
    ["max-file-bytes", 7, "maxFileBytes"],
    ["max-alias-nodes", 8, "maxAliasNodes"],
    ["max-depth", 9, "maxDepth"],
    ["max-documents", 10, "maxDocuments"],
  ] as const)("maps limits.%s alone to %s, keeping the other defaults", (name, value, field) => {
    expect(read(`limits:\n  ${name}: ${value}\n`).limits).toEqual({ ...DEFAULTS.limits, [field]: value });
  });

  it.each(["error", "warning", "info", "never"] as const)("accepts fail-on: %s", (failOn) => {
    expect(read(`fail-on: ${failOn}\n`).failOn).toBe(failOn);
  });

  it("accepts an empty limits mapping", () => {
    expect(read("limits: {}\n").limits).toEqual(DEFAULTS.limits);
  });
});

describe("finding the config", () => {
  it("finds .obsgate.yaml in the working directory", () => {
    const config = write(CONFIG_FILE_NAME, "");
    expect(findConfigFile(root)).toBe(config);
  });

  it("finds the nearest .obsgate.yaml from a sub-folder up to the git root", () => {
    const top = write(CONFIG_FILE_NAME, "fail-on: info\n");
    const sub = write(`models/${CONFIG_FILE_NAME}`, "fail-on: warning\n");
    expect(findConfigFile(folder("models/deep/er"))).toBe(sub);
    expect(findConfigFile(folder("alerts/x"))).toBe(top);
    expect(resolveConfig(undefined, folder("models/deep/er"), root)).toEqual({
      file: "models/.obsgate.yaml",
      ...DEFAULTS,
      failOn: "warning",
    });
    expect(resolveConfig(undefined, folder("alerts/x"), root)).toEqual({ file: ".obsgate.yaml", ...DEFAULTS, failOn: "info" });
  });

  it("does not look above the git root", () => {
    writeFileSync(join(base, CONFIG_FILE_NAME), "fail-on: never\n");
    expect(findConfigFile(folder("models"))).toBe(null);
    expect(findConfigFile(root)).toBe(null);
    expect(resolveConfig(undefined, folder("models"), root)).toEqual({ file: null, ...DEFAULTS });
  });

  it("reads the file --config names, relative to the working directory, over any found one", () => {
    write(CONFIG_FILE_NAME, "fail-on: info\n");
    write("ci/strict.yaml", "fail-on: warning\n");
    expect(resolveConfig("../ci/strict.yaml", folder("models"), root)).toEqual({ file: "ci/strict.yaml", ...DEFAULTS, failOn: "warning" });
    expect(resolveConfig(join(root, "ci", "strict.yaml"), base, root).file).toBe("ci/strict.yaml");
  });

  it("refuses a --config that does not exist, on the command line", () => {
    write(CONFIG_FILE_NAME, "");
    expect(diagnosticsOf(() => resolveConfig("nope.yaml", root, root))).toEqual([
      { code: "config_error", message: "--config nope.yaml: no such file", file: "<command-line>", line: 1, column: 1 },
    ]);
  });

  it("refuses a --config it cannot read", () => {
    folder("dir.yaml");
    expect(diagnosticsOf(() => resolveConfig("dir.yaml", root, root)).map(formatDiagnostic)).toEqual([
      "dir.yaml:1:1: config_error: cannot read the config: EISDIR: illegal operation on a directory, read",
    ]);
  });
});

describe("invalid configs", () => {
  const CFG = "cfg/.obsgate.yaml";

  it("refuses a config that does not parse, at the error", () => {
    fail("include: [a\n", `${CFG}:2:1: config_error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML syntax at this position`);
    fail("fail-on: error\nfail-on: never\n", `${CFG}:2:1: config_error: duplicate key \`fail-on\`: it appears twice in the same mapping; keep one of the keys; YAML loaders disagree on which wins`);
  });

  it("refuses a config that is not UTF-8, at the bad byte", () => {
    fail(Buffer.concat([Buffer.from("include:\n  - caf"), Buffer.from([0xe9]), Buffer.from("\n")]), `${CFG}:2:8: config_error: the config is not valid UTF-8`);
  });

  it("refuses a second document, at its start", () => {
    fail("include: [a]\n---\nexclude: [b]\n", `${CFG}:3:1: config_error: the config must be a single YAML document`);
  });

  it("refuses a config that is not a mapping", () => {
    fail("- a\n", `${CFG}:1:1: config_error: the document must be object or null; write object or null here`);
    fail("3\n", `${CFG}:1:1: config_error: the document must be object or null; write object or null here`);
  });

  it("refuses include/exclude that are not lists of non-empty strings", () => {
    fail("include: models/**\n", `${CFG}:1:1: config_error: \`/include\` must be array; write array here`);
    fail("exclude: [a, 1]\n", `${CFG}:1:14: config_error: \`/exclude/1\` must be string; write string here`);
    fail(
      "include:\n  - ''\n",
      `${CFG}:2:5: config_error: \`/include/0\` must not be empty; write a value, or remove the field`,
    );
  });

  it("refuses an unknown fail-on", () => {
    fail("fail-on: fatal\n", `${CFG}:1:1: config_error: \`/fail-on\` must be one of error, warning, info, never; use one of error, warning, info, never`);
  });

  it("refuses limits that are not a mapping", () => {
    fail("limits: 5\n", `${CFG}:1:1: config_error: \`/limits\` must be object; write object here`);
  });

  it("refuses each limit out of range or not an integer, at the key", () => {
    fail("limits:\n  max-depth: 0\n", `${CFG}:2:3: config_error: \`/limits/max-depth\` must be >= 1; use a number >= 1`);
    fail("limits:\n  max-depth: 201\n", `${CFG}:2:3: config_error: \`/limits/max-depth\` must be <= 200; use a number <= 200`);
    fail("limits:\n  max-file-bytes: 1.5\n", `${CFG}:2:3: config_error: \`/limits/max-file-bytes\` must be integer; write integer here`);
    fail("limits:\n  max-file-bytes: 0\n", `${CFG}:2:3: config_error: \`/limits/max-file-bytes\` must be >= 1; use a number >= 1`);
    fail("limits:\n  max-depth: '3'\n", `${CFG}:2:3: config_error: \`/limits/max-depth\` must be integer; write integer here`);
  });

  it("reports every violation, each at its own line", () => {
    fail(
      "limits:\n  max-alias-nodes: -1\n  max-documents: 0\n",
      `${CFG}:2:3: config_error: \`/limits/max-alias-nodes\` must be >= 0; use a number >= 0`,
      `${CFG}:3:3: config_error: \`/limits/max-documents\` must be >= 1; use a number >= 1`,
    );
  });

  it("refuses unknown fields at their key", () => {
    const diagnostics = (text: string) => diagnosticsOf(() => readConfig(write(`cfg/${CONFIG_FILE_NAME}`, text), root));
    expect(diagnostics("# x\nnope: 1\n")).toEqual([
      {
        code: "config_error",
        message: expect.stringMatching(/^unknown field `nope` in the document; remove it or correct its spelling; allowed: /),
        file: CFG,
        line: 2,
        column: 1,
      },
    ]);
    expect(diagnostics("limits:\n  maxDepth: 3\n")).toEqual([
      {
        code: "config_error",
        message: expect.stringMatching(/^unknown field `maxDepth` in `\/limits`; remove it or correct its spelling; allowed: /),
        file: CFG,
        line: 2,
        column: 3,
      },
    ]);
  });

  // The remediation for an unknown field lists the fields allowed where it sits (top level or
  // `limits`), so a typo can be fixed without opening the schema.
  it("names the allowed fields when refusing an unknown one", () => {
    fail(
      "nope: 1\n",
      `${CFG}:1:1: config_error: unknown field \`nope\` in the document; remove it or correct its spelling; allowed: include, exclude, fail-on, waivers, policies, data, max-waiver-days, limits, params, rules, tiers`,
    );
    fail(
      "limits:\n  maxDepth: 3\n",
      `${CFG}:2:3: config_error: unknown field \`maxDepth\` in \`/limits\`; remove it or correct its spelling; allowed: max-file-bytes, max-alias-nodes, max-depth, max-documents`,
    );
  });

  it("names the config by its path relative to the repository root", () => {
    const absolute = write(`deep/er/${CONFIG_FILE_NAME}`, "fail-on: 1\n");
    expect(diagnosticsOf(() => readConfig(absolute, root)).map((d) => d.file)).toEqual(["deep/er/.obsgate.yaml"]);
  });
});
