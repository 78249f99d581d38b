// SARIF 2.1.0 (OASIS), the format GitHub code scanning and other code-analysis dashboards ingest:
// one run whose `tool.driver.rules` carry every rule's metadata (`obsgate/metadata`), one result per
// finding with its region and stable fingerprint, waived findings as suppressed results (their
// waiver's kind, location and reason in `suppressions`). The file
// stays inside GitHub code scanning's limits (GITHUB_LIMITS), which reject a file over them whole.
import { compareStrings, SEVERITY_RANK, type Finding, type RuleMetadata, type Severity } from "../types.js";
import type { Report } from "./index.js";

export interface SarifOptions {
  /** SARIF has no colour; accepted so that every format takes the same options. */
  color: boolean;
  /** Prepended to a rule's `docs` path to give its `helpUri`; default DEFAULT_HELP_URI_BASE. */
  helpUriBase?: string;
}

/** obsgate's home page: the driver's `informationUri` and the root of the default help URIs. */
export const INFORMATION_URI = "https://github.com/obsgate/obsgate";
export const DEFAULT_HELP_URI_BASE = `${INFORMATION_URI}/blob/main/`;
/** The schema the file declares, and the one the tests validate it against (its `id`). */
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The key of obsgate's fingerprint in `partialFingerprints`; bump the version if its derivation changes. */
export const FINGERPRINT_KEY = "obsgate/v1";
export const SRCROOT = "%SRCROOT%";

/**
 * GitHub code scanning's limits on an uploaded SARIF file ("SARIF support for code scanning",
 * docs.github.com: the limits table and the reportingDescriptor table). Over a maximum the upload is
 * rejected; the display limits (5,000 results, 100 locations, 10 tags) only trim what is shown.
 */
export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  toolExtensionsPerRun: 100,
  locationsPerResult: 1_000,
  threadFlowLocationsPerResult: 10_000,
  tagsPerRule: 20,
  /** `reportingDescriptor.name`. */
  ruleNameLength: 255,
  /** `shortDescription.text` and `fullDescription.text`. */
  descriptionLength: 1_024,
  /** Each gzip-compressed upload. */
  gzipBytes: 10 * 1024 * 1024,
} as const;

/** How many models a shared finding's message names before it says "and N more" (all are in properties.models). */
const MODELS_IN_MESSAGE = 10;

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };

interface Text {
  text: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: Text;
  fullDescription: Text;
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[] };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Text;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: typeof SRCROOT };
      region: { startLine: number; startColumn: number };
    };
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Suppression[];
  /** With `--changed-since`: `unchanged` for a pre-existing finding, `new` for one in a changed model or file. */
  baselineState?: "new" | "unchanged";
  properties: { model: string | null; models: string[]; pointer: string };
}

/**
 * SARIF §3.35: a waiver. `external` for an entry of the waivers file, `inSource` for an
 * `# obsgate:ignore` comment; `location` is where the waiver is written, `justification` its reason.
 */
export interface Suppression {
  kind: "external" | "inSource";
  status: "accepted";
  justification: string;
  location?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: typeof SRCROOT }; region: { startLine: number; startColumn: number } } };
  properties?: { owner: string | null; ticket: string | null; expires: string | null };
}

interface Notification {
  level: Level;
  message: Text;
  descriptor: { id: string };
}

export function formatSarif(report: Report, options: SarifOptions): string {
  const helpUriBase = options.helpUriBase ?? DEFAULT_HELP_URI_BASE;
  const kept = keptFindings(report.findings);
  const rules = ruleCatalogue(report.rules, kept);
  const ruleIndex = new Map(rules.kept.map((rule, index) => [rule.id, index]));

  const notifications: Notification[] = [];
  const truncated: Record<string, unknown> = {};
  if (kept.length < report.findings.length) {
    const total = report.findings.length;
    const limit = GITHUB_LIMITS.resultsPerRun;
    truncated.results = {
      total,
      kept: kept.length,
      limit,
      note: `GitHub code scanning rejects a run with more than ${thousands(limit)} results: the ${thousands(limit)} most severe findings are kept (open before waived, then error, warning, info) and ${thousands(total - limit)} are left out; the other formats list them all.`,
    };
    notifications.push({
      level: "warning",
      message: {
        text: `obsgate found ${thousands(total)} findings but a SARIF run for GitHub code scanning holds at most ${thousands(limit)} results: ${thousands(total - limit)} of the least severe are left out of this file (the json and text formats list every finding).`,
      },
      descriptor: { id: "obsgate/sarif-results-truncated" },
    });
  }
  if (rules.left > 0) {
    truncated.rules = { total: rules.kept.length + rules.left, kept: rules.kept.length, limit: GITHUB_LIMITS.rulesPerRun };
    notifications.push({
      level: "warning",
      message: {
        text: `${thousands(rules.left)} rules that no result in this file references are left out of tool.driver.rules: GitHub code scanning accepts at most ${thousands(GITHUB_LIMITS.rulesPerRun)} rules per run.`,
      },
      descriptor: { id: "obsgate/sarif-rules-truncated" },
    });
  }

  const version = report.tool.version;
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "obsgate",
            version,
            ...(SEMVER.test(version) ? { semanticVersion: version } : {}),
            informationUri: INFORMATION_URI,
            rules: rules.kept.map((rule) => sarifRule(rule, helpUriBase)),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]: { description: { text: "The root of the repository obsgate checked: every artifact URI is relative to it." } },
        },
        results: kept.map((finding) => sarifResult(finding, ruleIndex.get(finding.rule)!, rules.byId.get(finding.rule)!)),
        columnKind: "utf16CodeUnits",
        ...(Object.keys(truncated).length > 0 ? { properties: { truncated } } : {}),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/**
 * The findings that fit in one run, in report order. Over the limit the most severe are kept: open
 * before waived, then by severity, then in report order, so the same report keeps the same findings.
 */
function keptFindings(findings: readonly Finding[]): Finding[] {
  const limit = GITHUB_LIMITS.resultsPerRun;
  if (findings.length <= limit) return [...findings];
  const rank = (f: Finding) => (f.status === "open" ? 10 : 0) + SEVERITY_RANK[f.severity];
  const chosen = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(b.finding) - rank(a.finding) || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index);
  return chosen.map((c) => c.finding);
}

/**
 * The rules of the run, sorted by id: every rule in the report (a finding whose rule has no metadata
 * gets a descriptor made from the finding). Over the limit, the rules results reference come first.
 */
function ruleCatalogue(
  metadata: readonly RuleMetadata[],
  findings: readonly Finding[],
): { kept: RuleMetadata[]; byId: Map<string, RuleMetadata>; left: number } {
  const byId = new Map(metadata.map((rule) => [rule.id, rule]));
  for (const finding of findings) if (!byId.has(finding.rule)) byId.set(finding.rule, ruleFromFinding(finding));
  let all = [...byId.values()];
  let left = 0;
  if (all.length > GITHUB_LIMITS.rulesPerRun) {
    const used = new Set(findings.map((f) => f.rule));
    const byIdOrder = (a: RuleMetadata, b: RuleMetadata) => compareStrings(a.id, b.id);
    const unused = all.filter((r) => !used.has(r.id)).sort(byIdOrder);
    const room = GITHUB_LIMITS.rulesPerRun - used.size;
    all = [...all.filter((r) => used.has(r.id)), ...unused.slice(0, room)];
    left = unused.length - room;
  }
  return { kept: all.sort((a, b) => compareStrings(a.id, b.id)), byId, left };
}

function ruleFromFinding(finding: Finding): RuleMetadata {
  return {
    id: finding.rule,
    title: finding.rule,
    severity: finding.severity,
    description: `${finding.rule}: no metadata was published for this rule under obsgate/metadata.`,
    remediation: finding.remediation,
    docs: finding.docs,
    waivable: false,
    family: finding.rule.split("-")[0] ?? finding.rule,
  };
}

function sarifRule(rule: RuleMetadata, helpUriBase: string): SarifRule {
  const helpUri = rule.docs ? helpUriOf(helpUriBase, rule.docs) : undefined;
  const title = nonEmpty(rule.title, rule.id);
  const description = nonEmpty(rule.description, title);
  const remediation = nonEmpty(rule.remediation, helpUri ? `See ${helpUri}.` : description);
  // The metadata is written for Markdown already (code in backticks), so it goes in as it is.
  const markdown = [`**${title}**`, description, `**How to fix:** ${remediation}`, ...(helpUri ? [`[${rule.id} documentation](${helpUri})`] : [])];
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: clip(title, GITHUB_LIMITS.descriptionLength) },
    fullDescription: { text: clip(description, GITHUB_LIMITS.descriptionLength) },
    help: { text: remediation, markdown: markdown.join("\n\n") },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: [...new Set([rule.family, "observability"].filter((t) => t !== ""))].slice(0, GITHUB_LIMITS.tagsPerRule) },
  };
}

function sarifResult(finding: Finding, ruleIndex: number, rule: RuleMetadata): SarifResult {
  const suppression = suppressionOf(finding);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: resultMessage(finding, rule) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodePath(finding.file), uriBaseId: SRCROOT },
          region: { startLine: Math.max(1, finding.line), startColumn: Math.max(1, finding.column) },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(suppression ? { suppressions: [suppression] } : {}),
    ...(finding.preExisting === undefined ? {} : { baselineState: finding.preExisting ? "unchanged" as const : "new" as const }),
    properties: { model: finding.model, models: finding.models, pointer: finding.pointer },
  };
}

/** A waived finding's suppression, from the waiver it carries. */
export function suppressionOf(finding: Finding): Suppression | null {
  if (finding.status !== "waived") return null;
  // A report built by hand may mark a finding waived without saying by what.
  if (!finding.waiver) return { kind: "external", status: "accepted", justification: "waived" };
  const { source, file, line, column, reason, owner, ticket, expires } = finding.waiver;
  return {
    kind: source === "inline" ? "inSource" : "external",
    status: "accepted",
    justification: reason,
    location: {
      physicalLocation: {
        artifactLocation: { uri: encodePath(file), uriBaseId: SRCROOT },
        region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
      },
    },
    properties: { owner, ticket, expires },
  };
}

/** The finding's message; one in a file several models share names them (GitHub shows only the message). */
function resultMessage(finding: Finding, rule: RuleMetadata): string {
  const message = nonEmpty(finding.message, nonEmpty(rule.title, rule.id));
  if (finding.models.length < 2) return message;
  const named = finding.models.slice(0, MODELS_IN_MESSAGE).join(", ");
  const more = finding.models.length - MODELS_IN_MESSAGE;
  return `${message} (models: ${named}${more > 0 ? ` and ${more} more` : ""})`;
}

/** A PascalCase name from the title, as SARIF recommends ("Alerts carry an allowed severity label" → "AlertsCarryAnAllowedSeverityLabel"). */
export function ruleName(rule: Pick<RuleMetadata, "id" | "title">): string {
  const pascal = (text: string) =>
    text
      .replace(/['’]/g, "")
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== "")
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join("");
  return clip(pascal(rule.title) || pascal(rule.id) || "Rule", GITHUB_LIMITS.ruleNameLength, "");
}

function helpUriOf(base: string, docs: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(docs)) return docs;
  return `${base.endsWith("/") ? base : `${base}/`}${encodePath(docs.replace(/^\.?\//, ""))}`;
}

/** A repo-relative path as a relative URI reference: each segment percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function nonEmpty(text: string, fallback: string): string {
  return text.trim() === "" ? fallback : text;
}

/** At most `max` UTF-16 code units, cut between code points, the cut marked with `mark`. */
function clip(text: string, max: number, mark = "…"): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length + mark.length > max) break;
    out += ch;
  }
  return out + mark;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Semantic Versioning 2.0.0 (its own regular expression, from semver.org). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
