// `obsgate rules` and `obsgate explain`: every rule a run can report (obsgate's own INP and WVR, the
// built-in policies' and those of any --policy), with its metadata and its parameters' defaults as
// `.obsgate.yaml` writes them; and a rule's documentation page.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { closeMatches } from "./config/index.js";
import { DiagnosticError, diagnostic } from "./diagnostics.js";
import { repositoryRoot } from "./load/index.js";
import { RULE_PARAMETERS } from "./model/params.js";
import { packageRoot } from "./package-root.js";
import { loadPolicySets } from "./pipeline.js";
import { ruleCatalogue } from "./policy/index.js";
import { duration } from "./report/tiers.js";
import { compareStrings, type RuleMetadata } from "./types.js";

export interface CatalogueEntry extends RuleMetadata {
  /** Its parameters with their defaults, as `.obsgate.yaml` writes them (`min_for: 5m`); absent when it has none. */
  params?: Record<string, unknown>;
  /** `builtin` (obsgate's own and built-in policies) or the path of the user's policy that defines it. */
  source: string;
}

export interface CatalogueOptions {
  cwd: string;
  /** `--policy` paths whose rules are listed too. */
  policies?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Every rule, sorted by id. */
export async function ruleCatalogueEntries(options: CatalogueOptions): Promise<CatalogueEntry[]> {
  const repoRoot = repositoryRoot(["."], options.cwd);
  const { sets } = await loadPolicySets(options.policies ?? [], options.cwd, repoRoot, { env: options.env });
  const sourceOf = new Map<string, string>();
  for (const set of sets) for (const id of set.metadata.keys()) if (!sourceOf.has(id)) sourceOf.set(id, set.name);
  return [...ruleCatalogue(sets).values()]
    .map((rule): CatalogueEntry => {
      const specs = sourceOf.get(rule.id) === "builtin" ? RULE_PARAMETERS[rule.id] : undefined;
      const params = specs?.filter((s) => s.default !== null).map((s) => [s.name, s.type === "duration" ? duration(s.default as number) : s.default] as const);
      // Fields in one order, whatever order a policy's metadata object has: the output is deterministic.
      return {
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        family: rule.family,
        waivable: rule.waivable,
        description: rule.description,
        remediation: rule.remediation,
        docs: rule.docs,
        ...(params && params.length > 0 ? { params: Object.fromEntries(params) } : {}),
        source: sourceOf.get(rule.id) ?? "builtin",
      };
    })
    .sort((a, b) => compareStrings(a.id, b.id));
}

export function formatRulesJson(rules: readonly CatalogueEntry[]): string {
  return JSON.stringify(rules, null, 2) + "\n";
}

/** One line per rule: id, severity, family, whether it can be waived, title. */
export function formatRulesText(rules: readonly CatalogueEntry[]): string {
  const header = { id: "ID", severity: "SEVERITY", family: "FAMILY", waivable: "WAIVABLE", title: "TITLE" };
  const rows = [header, ...rules.map((r) => ({ id: r.id, severity: r.severity, family: r.family, waivable: r.waivable ? "yes" : "no", title: r.title }))];
  const width = (key: keyof typeof header) => Math.max(...rows.map((row) => row[key].length));
  const widths = { id: width("id"), severity: width("severity"), family: width("family"), waivable: width("waivable") };
  return rows
    .map((row) => `${row.id.padEnd(widths.id)}  ${row.severity.padEnd(widths.severity)}  ${row.family.padEnd(widths.family)}  ${row.waivable.padEnd(widths.waivable)}  ${row.title}`)
    .join("\n") + "\n";
}

/**
 * The rule's page (`docs/rules/<ID>.md` for obsgate's rules; the `docs` path of a user's rule, relative
 * to its policy, when it is a file), else a page made from its metadata. An id no rule has is a
 * diagnostic naming the closest ids. `argIndex` locates the id on the command line.
 */
export function explainRule(id: string, rules: readonly CatalogueEntry[], cwd: string, argIndex = 1): string {
  const wanted = id.trim().toUpperCase().replaceAll("_", "-");
  const rule = rules.find((r) => r.id === wanted);
  if (!rule) {
    const close = closeMatches(id, rules.map((r) => r.id));
    const hint = close.length > 0 ? `did you mean ${close.join(" or ")}?` : "`obsgate rules` lists every rule";
    throw new DiagnosticError(diagnostic("usage_error", `unknown rule ${JSON.stringify(id)}; ${hint}`, "<command-line>", 1, argIndex));
  }
  const page = pagePath(rule, cwd);
  if (page !== null) return ensureNewline(readFileSync(page, "utf8"));
  const params = rule.params ? ["", "## Parameters", "", ...Object.entries(rule.params).map(([k, v]) => `- \`${k}\`: ${JSON.stringify(v)}`)] : [];
  return [
    `# ${rule.id}: ${rule.title}`,
    "",
    `Severity: ${rule.severity}. Family: ${rule.family}. Waivable: ${rule.waivable ? "yes" : "no"}.`,
    "",
    rule.description,
    "",
    "## Fix",
    "",
    rule.remediation,
    ...params,
    ...(rule.docs ? ["", `More: ${rule.docs}`] : []),
  ].join("\n") + "\n";
}

function pagePath(rule: CatalogueEntry, cwd: string): string | null {
  if (/^[a-z]+:\/\//i.test(rule.docs) || rule.docs === "") return null;
  // A user's policy names its pages relative to its folder (or its .wasm's), or to the repository.
  const repoRoot = repositoryRoot(["."], cwd);
  const candidates = rule.source === "builtin"
    ? [join(packageRoot(), rule.docs)]
    : isAbsolute(rule.docs)
      ? [rule.docs]
      : [resolve(repoRoot, rule.source, rule.docs), resolve(repoRoot, dirname(rule.source), rule.docs), resolve(repoRoot, rule.docs)];
  return candidates.find((path) => path.endsWith(".md") && existsSync(path)) ?? null;
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
