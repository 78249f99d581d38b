// Validates a SARIF file the way its consumers will: against the OASIS SARIF 2.1.0 schema in
// ../shared/schemas (draft-04, hence ajv-draft-04; its `uri`, `uri-reference` and `date-time` formats
// checked through ajv-formats) and against GitHub code scanning's upload limits. Call it only inside
// `describeWith(["shared"], …)`: the schema lives in ../shared.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { GITHUB_LIMITS } from "../../src/report/sarif.js";
import { SHARED_DIR } from "./require.js";

export const SARIF_SCHEMA_PATH = join(SHARED_DIR, "schemas", "sarif-schema-2.1.0.json");

type Validate = ReturnType<InstanceType<typeof ajvDraft04.default>["compile"]>;
let validator: Validate | undefined;

function schemaValidator(): Validate {
  if (!validator) {
    // ajv's strict mode stays on: it only objects to formats it does not know, and ajv-formats
    // defines the three the schema uses, so that helpUri, informationUri and artifact URIs are checked
    // (with `strict: false` and no formats ajv would skip them with a console warning each).
    const ajv = new ajvDraft04.default({ allErrors: true });
    ajvFormats.default(ajv, ["uri", "uri-reference", "date-time"]);
    validator = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, "utf8")) as object);
  }
  return validator;
}

/** Every problem with a SARIF file: schema errors, then GitHub code scanning limits it breaks. Empty when valid. */
export function validateSarif(text: string): string[] {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  const validate = schemaValidator();
  const problems = validate(log)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} (${e.schemaPath})`);
  return [...problems, ...githubLimitProblems(text, log)];
}

interface LogShape {
  runs?: Array<{
    tool?: { driver?: { rules?: Array<{ name?: string; shortDescription?: { text?: string }; fullDescription?: { text?: string }; help?: { text?: string }; properties?: { tags?: unknown[] } }> }; extensions?: unknown[] };
    results?: Array<{ message?: { text?: string }; locations?: unknown[]; codeFlows?: Array<{ threadFlows?: Array<{ locations?: unknown[] }> }> }>;
  }> | null;
}

/** The maxima of "SARIF support for code scanning" (docs.github.com), and its non-empty required strings. */
export function githubLimitProblems(text: string, parsed: unknown): string[] {
  const problems: string[] = [];
  const over = (what: string, n: number, max: number) => {
    if (n > max) problems.push(`${what}: ${n} > ${max}`);
  };
  const empty = (what: string, value: string | undefined) => {
    if (value === undefined || value.trim() === "") problems.push(`${what} is missing or empty`);
  };
  over("gzip-compressed bytes", gzipSync(text).length, GITHUB_LIMITS.gzipBytes);
  const runs = (parsed as LogShape).runs ?? [];
  over("runs per file", runs.length, GITHUB_LIMITS.runsPerFile);
  runs.forEach((run, r) => {
    const rules = run.tool?.driver?.rules ?? [];
    over(`runs[${r}] rules`, rules.length, GITHUB_LIMITS.rulesPerRun);
    over(`runs[${r}] tool extensions`, run.tool?.extensions?.length ?? 0, GITHUB_LIMITS.toolExtensionsPerRun);
    rules.forEach((rule, i) => {
      const at = `runs[${r}].tool.driver.rules[${i}]`;
      over(`${at}.name length`, rule.name?.length ?? 0, GITHUB_LIMITS.ruleNameLength);
      empty(`${at}.shortDescription.text`, rule.shortDescription?.text);
      empty(`${at}.fullDescription.text`, rule.fullDescription?.text);
      empty(`${at}.help.text`, rule.help?.text);
      over(`${at}.shortDescription.text length`, rule.shortDescription?.text?.length ?? 0, GITHUB_LIMITS.descriptionLength);
      over(`${at}.fullDescription.text length`, rule.fullDescription?.text?.length ?? 0, GITHUB_LIMITS.descriptionLength);
      over(`${at} tags`, rule.properties?.tags?.length ?? 0, GITHUB_LIMITS.tagsPerRule);
    });
    const results = run.results ?? [];
    over(`runs[${r}] results`, results.length, GITHUB_LIMITS.resultsPerRun);
    results.forEach((result, i) => {
      const at = `runs[${r}].results[${i}]`;
      empty(`${at}.message.text`, result.message?.text);
      if ((result.locations?.length ?? 0) === 0) problems.push(`${at} has no location`);
      over(`${at} locations`, result.locations?.length ?? 0, GITHUB_LIMITS.locationsPerResult);
      for (const flow of result.codeFlows ?? []) {
        for (const thread of flow.threadFlows ?? []) over(`${at} thread-flow locations`, thread.locations?.length ?? 0, GITHUB_LIMITS.threadFlowLocationsPerResult);
      }
    });
  });
  return problems;
}
