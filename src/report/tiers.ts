// The report's record of how each tier ran: which models it covered and, for every rule of the
// policy sets, whether it was on, at which severity, and with which parameters (DESIGN.md: the report
// carries everything an audit needs). Built from the resolved config, not from the findings, so a
// rule that found nothing is recorded too.
import type { TierSettings } from "../config/index.js";
import { paramsKey, TIERS } from "../model/params.js";
import { compareStrings, type RuleMetadata } from "../types.js";
import type { ReportTier } from "./index.js";

export interface TierRun {
  /** The tier each evaluated input ran in; `name` null for the rule files no model owns. */
  inputs: ReadonlyArray<{ name: string | null; tier: string }>;
  settings: Readonly<Record<string, TierSettings>>;
  /** The rules of the policy sets (not obsgate's own INP/WVR, which no tier changes). */
  rules: Iterable<RuleMetadata>;
}

export function reportTiers(run: TierRun): ReportTier[] {
  const rules = [...run.rules].sort((a, b) => compareStrings(a.id, b.id));
  const out: ReportTier[] = [];
  for (const tier of TIERS) {
    const inputs = run.inputs.filter((i) => i.tier === tier);
    const settings = run.settings[tier];
    if (inputs.length === 0 || !settings) continue;
    out.push({
      tier,
      models: inputs.flatMap((i) => (i.name === null ? [] : [i.name])).sort(compareStrings),
      rules: rules.map((rule) => {
        const change = settings.rules[rule.id];
        const params = settings.params[paramsKey(rule.id)];
        return {
          id: rule.id,
          enabled: change?.enabled ?? true,
          severity: change?.severity ?? rule.severity,
          regraded: (change?.severity ?? null) !== null,
          ...(params !== undefined ? { params } : {}),
          configured: change !== undefined || settings.configuredParams.includes(rule.id),
        };
      }),
    });
  }
  return out;
}

/** One line per tier the config changes, for the text report: `tier critical (2 models): ALR-005 off; …`. */
export function tierNotes(tiers: readonly ReportTier[]): string[] {
  const lines: string[] = [];
  for (const tier of tiers) {
    const changed = tier.rules.filter((r) => r.configured);
    if (changed.length === 0) continue;
    const parts = changed.map((r) => {
      if (!r.enabled) return `${r.id} off`;
      const what = [r.regraded ? `severity ${r.severity}` : null, r.params ? paramText(r.params) : null].filter((x) => x !== null);
      return `${r.id} ${what.join(", ") || "on"}`;
    });
    const models = tier.models.length === 1 ? "1 model" : `${tier.models.length} models`;
    lines.push(`tier ${tier.tier} (${models}): ${parts.join("; ")}`);
  }
  return lines;
}

function paramText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) =>
      key.endsWith("_seconds") && typeof value === "number"
        ? `${key.slice(0, -"_seconds".length)}=${duration(value)}`
        : `${key}=${Array.isArray(value) ? `[${value.join(",")}]` : String(value)}`,
    )
    .join(" ");
}

/** Seconds as the largest whole units, as a config would write them: 600 → 10m, 2592000 → 30d. */
export function duration(seconds: number): string {
  if (seconds === 0) return "0";
  const units: Array<[string, number]> = [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]];
  let rest = seconds;
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  if (rest > 0) out += `${Math.round(rest * 1000)}ms`;
  return out;
}
