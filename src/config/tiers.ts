// Tiers in `.obsgate.yaml`: the parameters and rule switches (off, on, another severity) of every
// tier, resolved from the defaults of POLICIES.md, then the top-level `params`/`rules` (every
// tier), then `tiers.<tier>.params`/`rules` (that tier alone), one parameter at a time.
//
//   params:    { ALR-006: { min_for: 10m } }                 # every tier
//   rules:     { ALR-005: off }
//   tiers:
//     critical:
//       params: { RET-003: { min: 30d } }                    # RET-003's max stays 400d
//       rules:  { INS-003: { severity: error }, ALR-005: on }
//
// The shapes, parameter names, types and durations are the schema's (schemas/config.v1.schema.json);
// what a schema cannot say is checked here, each with the location of the value at fault. Rule ids
// are checked against the rules the loaded policy sets define once they are loaded
// (`ruleReferenceDiagnostics`), because a user's own policy may define rules of its own.
import { diagnostic } from "../diagnostics.js";
import { escapePointerToken as escape } from "../load/index.js";
import { durationSeconds } from "../model/duration.js";
import { DEFAULT_PARAMS, paramsKey, RULE_PARAMETERS, TIERS, type Params, type Tier } from "../model/params.js";
import { locate } from "../schema/index.js";
import type { Diagnostic, Severity, SourceMap } from "../types.js";
import { editDistance } from "../edit-distance.js";

/** What the config says about one rule in one tier. */
export interface RuleSwitch {
  enabled: boolean;
  /** Every finding of the rule takes this severity; null: the policy's own. */
  severity: Severity | null;
}

export interface TierSettings {
  /** `input.params` of a model of this tier: the defaults with the config's values over them. */
  params: Params;
  /** The rules the config switches or re-grades in this tier, by id. */
  rules: Record<string, RuleSwitch>;
  /** Rule ids whose parameters the config sets for this tier, sorted. */
  configuredParams: string[];
}

/** A rule id the config names, with where, to check once the policy sets are loaded. */
export interface RuleReference {
  id: string;
  /** `params` when it sets the rule's parameters, `rules` when it switches it. */
  section: "params" | "rules";
  line: number;
  column: number;
}

export interface TierConfig {
  tiers: Record<Tier, TierSettings>;
  references: RuleReference[];
}

/** The config's sections as the schema admits them. */
export interface TierSections {
  params?: Record<string, Record<string, unknown>>;
  rules?: Record<string, "off" | "on" | { severity: Severity }>;
  tiers?: Partial<Record<Tier, { params?: TierSections["params"]; rules?: TierSections["rules"] }>>;
}

/**
 * obsgate's own families, raised outside the policies and alike for every tier: never off, never
 * re-graded. INP: a file obsgate cannot read is a file nobody checked. WVR: waiver problems are
 * about the waivers file, which no tier owns (and a switch would hide an expired risk acceptance).
 */
const FIXED_FAMILIES: ReadonlyMap<string, string> = new Map([
  ["INP", "a file obsgate cannot read, or that breaks its schema, is a file nobody checked; fix the file or exclude it instead"],
  ["WVR", "waiver problems are about the waivers file, which no tier owns; fix or remove the waiver instead"],
]);

export function defaultTierConfig(): TierConfig {
  const tiers = Object.fromEntries(
    TIERS.map((tier) => [tier, { params: structuredClone(DEFAULT_PARAMS), rules: {}, configuredParams: [] }]),
  ) as unknown as Record<Tier, TierSettings>;
  return { tiers, references: [] };
}

/**
 * Resolves a schema-valid config's tier sections. Returns the diagnostics for what the schema
 * cannot say (an INP rule switched, RET-003's min above its max, RET-005 lowered without a legal
 * basis) instead of a config when there are any.
 */
export function resolveTiers(sections: TierSections, sourceMap: SourceMap, file: string): TierConfig | Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (pointer: string) => locate(sourceMap, pointer);
  const fail = (pointer: string, message: string) => {
    const { line, column } = at(pointer);
    problems.push(diagnostic("config_error", message, file, line, column));
  };
  const references: RuleReference[] = [];
  const config = defaultTierConfig();

  // Each layer in order: the top level for every tier, then each tier's own.
  const layers: Array<{ base: string; params?: TierSections["params"]; rules?: TierSections["rules"]; tiers: readonly Tier[] }> = [
    { base: "", params: sections.params, rules: sections.rules, tiers: TIERS },
    ...TIERS.map((tier) => ({ base: `/tiers/${tier}`, ...sections.tiers?.[tier], tiers: [tier] })),
  ];
  for (const layer of layers) {
    for (const [id, values] of Object.entries(layer.params ?? {})) {
      const pointer = `${layer.base}/params/${escape(id)}`;
      references.push({ id, section: "params", ...at(pointer) });
      if (FIXED_FAMILIES.has(family(id))) {
        fail(pointer, `${id} takes no parameters: obsgate raises ${family(id)} findings itself`);
        continue;
      }
      const converted = convertParams(id, values);
      for (const tier of layer.tiers) {
        const settings = config.tiers[tier];
        const key = paramsKey(id);
        settings.params[key] = { ...(settings.params[key] ?? {}), ...converted };
        if (!settings.configuredParams.includes(id)) settings.configuredParams.push(id);
      }
    }
    for (const [id, value] of Object.entries(layer.rules ?? {})) {
      const pointer = `${layer.base}/rules/${escape(id)}`;
      references.push({ id, section: "rules", ...at(pointer) });
      const fixed = FIXED_FAMILIES.get(family(id));
      if (fixed !== undefined) {
        fail(pointer, `${id} cannot be switched off or given another severity: ${fixed}`);
        continue;
      }
      const change: RuleSwitch =
        value === "off" ? { enabled: false, severity: null }
        : value === "on" ? { enabled: true, severity: null }
        : { enabled: true, severity: value.severity };
      for (const tier of layer.tiers) {
        const previous = config.tiers[tier].rules[id];
        // `on` in a tier re-enables a rule switched off for every tier, keeping any severity set there.
        config.tiers[tier].rules[id] = change.severity === null && change.enabled && previous ? { ...previous, enabled: true } : change;
      }
    }
  }

  for (const tier of TIERS) {
    const settings = config.tiers[tier];
    settings.configuredParams.sort();
    const where = (id: string, ...names: string[]) => lastPointer(sections, tier, id, names);
    const ret003 = settings.params.ret_003 as { min_seconds: number; max_seconds: number };
    if (ret003.min_seconds > ret003.max_seconds) {
      fail(where("RET-003", "min", "max"), `RET-003 in tier ${tier}: min (${days(ret003.min_seconds)}) is above max (${days(ret003.max_seconds)}); no retention could pass`);
    }
    const car002 = settings.params.car_002 as { warn: number; max: number };
    if (car002.warn > car002.max) {
      fail(where("CAR-002", "warn", "max"), `CAR-002 in tier ${tier}: warn (${car002.warn}) is above max (${car002.max}); set warn at or below max`);
    }
    const ret005 = settings.params.ret_005 as { min_log_retention_high_risk_seconds: number; legal_basis?: string };
    const floor = DEFAULT_PARAMS.ret_005!.min_log_retention_high_risk_seconds as number;
    if (ret005.min_log_retention_high_risk_seconds < floor && !ret005.legal_basis?.trim()) {
      fail(
        where("RET-005", "min_log_retention_high_risk"),
        `RET-005 in tier ${tier}: min_log_retention_high_risk (${days(ret005.min_log_retention_high_risk_seconds)}) is below the ${days(floor)} the EU AI Act asks of high-risk models (Art. 19(1), 26(6)); add \`legal_basis: "…"\` beside it to document why, or remove it`,
      );
    }
  }
  return problems.length > 0 ? problems : { ...config, references };
}

/**
 * A schema violation of a rule switch, said in the switch's own terms: the schema can only say
 * "must be string or object" of `ALR-005: false`.
 */
export function switchViolationMessage(pointer: string, message: string): { message: string; remediation: string } | null {
  if (!/^(\/tiers\/[^/]+)?\/rules\/[^/]+$/.test(pointer)) return null;
  if (!/ must be (object|string or object|one of off, on)$/.test(message)) return null;
  const field = message.slice(0, message.indexOf(" must be "));
  return { message: `${field} must be off, on, or { severity: error | warning | info }`, remediation: "write `off` to drop the rule's findings in this tier, or `{ severity: warning }` to re-grade them" };
}

/** A built-in rule's parameters as written → as its policy reads them; other rules' pass as written. */
function convertParams(id: string, values: Record<string, unknown>): Record<string, unknown> {
  const specs = RULE_PARAMETERS[id];
  if (!specs) return structuredClone(values);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) continue; // the schema refuses unknown names
    // The schema admitted the duration's shape, so it converts.
    out[spec.key] = spec.type === "duration" ? durationSeconds(value as string) : structuredClone(value);
  }
  return out;
}

/** Where the config sets the first of a tier's parameters `names` it sets: the tier's own, else the top level's. */
function lastPointer(sections: TierSections, tier: Tier, id: string, names: readonly string[]): string {
  for (const [base, params] of [[`/tiers/${tier}/params`, sections.tiers?.[tier]?.params], ["/params", sections.params]] as const) {
    const set = names.find((name) => params?.[id]?.[name] !== undefined);
    if (set !== undefined) return `${base}/${escape(id)}/${escape(set)}`;
  }
  return sections.tiers?.[tier]?.params?.[id] !== undefined ? `/tiers/${tier}/params/${escape(id)}` : `/params/${escape(id)}`;
}

/**
 * Rule ids the config names that no loaded policy set defines (with the closest ids as a hint), and
 * parameters given to a built-in rule that takes none. `known` is every rule id of the run;
 * `builtin` those of obsgate's own policies, whose parameters RULE_PARAMETERS lists.
 */
export function ruleReferenceDiagnostics(
  references: readonly RuleReference[],
  known: ReadonlySet<string>,
  builtin: ReadonlySet<string>,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of references) {
    if (!known.has(ref.id)) {
      const close = closeMatches(ref.id, [...known]);
      const hint = close.length > 0 ? `; did you mean ${close.join(" or ")}?` : "; `obsgate rules` lists every rule";
      out.push(diagnostic("config_error", `unknown rule ${JSON.stringify(ref.id)} in ${ref.section}${hint}`, file, ref.line, ref.column));
    } else if (ref.section === "params" && builtin.has(ref.id) && !RULE_PARAMETERS[ref.id]) {
      out.push(diagnostic("config_error", `${ref.id} takes no parameters; rules with parameters: ${Object.keys(RULE_PARAMETERS).join(", ")}`, file, ref.line, ref.column));
    }
  }
  return out;
}

/** The ids nearest to `id`: equal but for case and `_`/`-`, else the nearest by edit distance (at most 2), at most three. */
export function closeMatches(id: string, candidates: readonly string[]): string[] {
  const norm = (s: string) => s.toUpperCase().replaceAll("_", "-");
  const exact = candidates.filter((c) => norm(c) === norm(id));
  if (exact.length > 0) return exact.sort();
  const scored = candidates.map((c) => ({ c, d: editDistance(norm(id), norm(c)) })).filter(({ d }) => d <= 2);
  const best = Math.min(...scored.map(({ d }) => d));
  return scored
    .filter(({ d }) => d === best)
    .map(({ c }) => c)
    .sort()
    .slice(0, 3);
}


function family(id: string): string {
  return id.split("-")[0] ?? "";
}

function days(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400}d` : `${seconds}s`;
}
