// The run's configuration: `.obsgate.yaml`, found from the working directory up to the git root,
// or the file `--config` names. A config that does not parse or breaks its schema stops the run
// with a located diagnostic (exit 2): checking with a half-read config would mislead.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { DEFAULT_LIMITS, findGitRoot, parseYamlDocuments, toRepoPath, type InputLimits } from "../load/index.js";
import { decodeUtf8 } from "../load/text.js";
import { locate, validateDocument } from "../schema/index.js";
import type { Severity } from "../types.js";
import { defaultTierConfig, resolveTiers, switchViolationMessage, type TierConfig, type TierSections } from "./tiers.js";

export { closeMatches, ruleReferenceDiagnostics, type RuleSwitch, type TierConfig, type TierSettings } from "./tiers.js";

export const CONFIG_FILE_NAME = ".obsgate.yaml";

export type FailOn = Severity | "never";

export interface Config {
  /** Where the config was read from (repository-relative), or null when none was found. */
  file: string | null;
  include: string[];
  exclude: string[];
  failOn: FailOn;
  limits: InputLimits;
  /** The waivers file `waivers:` names (absolute; relative to the config's folder as written), or null. */
  waivers: string | null;
  /** How far ahead of the run's day a waiver may expire. */
  maxWaiverDays: number;
  /** Parameters and rule switches per tier (`params`, `rules`, `tiers`), resolved over the defaults. */
  tiers: TierConfig;
  /** Users' policy sets `policies:` lists (absolute; relative to the config's folder as written). */
  policies: string[];
  /** Data files for users' policies `data:` lists (absolute; relative to the config's folder as written). */
  data: string[];
}

export const DEFAULT_CONFIG: Omit<Config, "file"> = {
  include: [],
  exclude: [],
  failOn: "error",
  limits: DEFAULT_LIMITS,
  waivers: null,
  maxWaiverDays: 90,
  tiers: defaultTierConfig(),
  policies: [],
  data: [],
};

/** `.obsgate.yaml` in the working directory or a parent, stopping at the git root. */
export function findConfigFile(cwd: string): string | null {
  const stop = findGitRoot(cwd);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (dir === stop || dirname(dir) === dir) return null;
  }
}

interface ConfigDocument {
  include?: string[];
  exclude?: string[];
  "fail-on"?: FailOn;
  limits?: Partial<Record<"max-file-bytes" | "max-alias-nodes" | "max-depth" | "max-documents", number>>;
  waivers?: string;
  "max-waiver-days"?: number;
  policies?: string[];
  data?: string[];
  params?: TierSections["params"];
  rules?: TierSections["rules"];
  tiers?: TierSections["tiers"];
}

/** Reads and validates a config file; throws DiagnosticError with its location when it is bad. */
export function readConfig(absolute: string, repoRoot: string): Config {
  const file = toRepoPath(repoRoot, absolute);
  const fail = (line: number, column: number, message: string): never => {
    throw new DiagnosticError(diagnostic("config_error", message, file, line, column));
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    return fail(1, 1, `cannot read the config: ${error instanceof Error ? error.message : String(error)}`);
  }
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded)) return fail(decoded.line, decoded.column, "the config is not valid UTF-8");
  const parsed = parseYamlDocuments(decoded.text, DEFAULT_LIMITS);
  if ("failure" in parsed) {
    const { line, column, message, remediation } = parsed.failure;
    return fail(line, column, `${message}; ${remediation}`);
  }
  if (parsed.documents.length > 1) {
    const second = parsed.documents[1]!;
    return fail(second.start.line, second.start.column, "the config must be a single YAML document");
  }
  const doc = parsed.documents[0];
  // An empty config (no document, or `~`) means the defaults.
  if (!doc || doc.value === null) return { file, ...DEFAULT_CONFIG };
  const violations = validateDocument("config", doc.value, doc.sourceMap);
  if (violations.length > 0) {
    throw new DiagnosticError(
      violations.map((v) => {
        const { message, remediation } = switchViolationMessage(v.pointer, v.message) ?? v;
        return diagnostic("config_error", `${message}; ${remediation}`, file, v.line, v.column);
      }),
    );
  }
  const value = doc.value as ConfigDocument;
  const limits = value.limits ?? {};
  const tiers = resolveTiers(value, doc.sourceMap, file);
  if (Array.isArray(tiers)) throw new DiagnosticError(tiers);
  // A waivers file the config names but that is missing is a mistake in the config, not an empty list.
  const waivers = value.waivers === undefined ? null : resolve(dirname(absolute), value.waivers);
  if (waivers !== null && !existsSync(waivers)) {
    const at = locate(doc.sourceMap, "/waivers");
    fail(at.line, at.column, `waivers: ${value.waivers}: no such file (paths are relative to the config's folder); create it or correct the path`);
  }
  // Policies and data files, like the waivers file, are relative to the config's folder; a missing one is the config's mistake.
  const listed = (key: "policies" | "data") =>
    (value[key] ?? []).map((path, i) => {
      const target = resolve(dirname(absolute), path);
      if (!existsSync(target)) {
        const at = locate(doc.sourceMap, `/${key}/${i}`);
        fail(at.line, at.column, `${key}: ${path}: no such file or folder (paths are relative to the config's folder); correct the path`);
      }
      return target;
    });
  return {
    file,
    include: value.include ?? [],
    exclude: value.exclude ?? [],
    failOn: value["fail-on"] ?? DEFAULT_CONFIG.failOn,
    limits: {
      maxFileBytes: limits["max-file-bytes"] ?? DEFAULT_LIMITS.maxFileBytes,
      maxAliasNodes: limits["max-alias-nodes"] ?? DEFAULT_LIMITS.maxAliasNodes,
      maxDepth: limits["max-depth"] ?? DEFAULT_LIMITS.maxDepth,
      maxDocuments: limits["max-documents"] ?? DEFAULT_LIMITS.maxDocuments,
    },
    waivers,
    maxWaiverDays: value["max-waiver-days"] ?? DEFAULT_CONFIG.maxWaiverDays,
    tiers,
    policies: listed("policies"),
    data: listed("data"),
  };
}

/** The config for a run: the named file, else the nearest `.obsgate.yaml`, else the defaults. */
export function resolveConfig(explicit: string | undefined, cwd: string, repoRoot: string): Config {
  if (explicit !== undefined) {
    const absolute = resolve(cwd, explicit);
    if (!existsSync(absolute)) {
      throw new DiagnosticError(diagnostic("config_error", `--config ${explicit}: no such file`));
    }
    return readConfig(absolute, repoRoot);
  }
  const found = findConfigFile(cwd);
  return found ? readConfig(found, repoRoot) : { file: null, ...DEFAULT_CONFIG };
}
