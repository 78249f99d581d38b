// Stage 2, schema: documents → violations of their JSON Schema (ajv, draft 2020-12), each turned
// into a located, readable problem at the boundary, so no ajv error text reaches a user.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "../package-root.js";
import type { Position, SourceMap } from "../types.js";

export const SCHEMA_FILES = {
  manifest: "model-manifest.v1.schema.json",
  config: "config.v1.schema.json",
  modelInput: "model-input.v1.schema.json",
  report: "report.v1.schema.json",
  policyExample: "policy-example.v1.schema.json",
  waivers: "waivers.v1.schema.json",
} as const;
export type SchemaName = keyof typeof SCHEMA_FILES;

export interface SchemaViolation {
  /** JSON pointer into the document. */
  pointer: string;
  line: number;
  column: number;
  message: string;
  remediation: string;
}

const validators = new Map<SchemaName, ValidateFunction>();

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot(), "schemas", SCHEMA_FILES[name]), "utf8"));
}

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    // verbose: errors carry their parent schema, from which an unknown field's fix lists the allowed ones.
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    validate = ajv.compile(loadSchema(name));
    validators.set(name, validate);
  }
  return validate;
}

/** Every way `value` breaks the named schema, located through the document's source map. */
export function validateDocument(name: SchemaName, value: unknown, sourceMap: SourceMap): SchemaViolation[] {
  const validate = validatorFor(name);
  if (validate(value)) return [];
  return mostSpecific(validate.errors ?? []).map((error) => toViolation(error, sourceMap));
}

/**
 * Keeps the errors a user can act on: a oneOf/anyOf summary only when no branch says more, and one
 * error per field (an `enum` says more than the `type` error ajv also raises for `tier: 3`).
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  const valueKeywords = new Set(["enum", "const"]);
  const hasValueError = new Set(errors.filter((e) => valueKeywords.has(e.keyword)).map((e) => e.instancePath));
  return errors.filter((error) => {
    // An `if`/`then` error only says a branch failed; the branch's own errors say how.
    if (error.keyword === "if") return false;
    if (error.keyword === "type" && hasValueError.has(error.instancePath)) return false;
    for (const alt of alternatives) {
      if (error === alt) {
        return !errors.some((e) => e.instancePath.length > alt.instancePath.length && e.instancePath.startsWith(alt.instancePath));
      }
      const inBranch = error.schemaPath.startsWith(`${alt.schemaPath}/`);
      if (inBranch && error.instancePath === alt.instancePath) return false;
    }
    return true;
  });
}

function toViolation(error: ErrorObject, sourceMap: SourceMap): SchemaViolation {
  const at = error.instancePath || "";
  const field = at === "" ? "the document" : `\`${at}\``;
  const params = error.params as Record<string, unknown>;
  let pointer = at;
  let message: string;
  let remediation: string;
  switch (error.keyword) {
    case "required":
      message = `${field} is missing the required field \`${String(params.missingProperty)}\``;
      remediation = `add \`${String(params.missingProperty)}\``;
      break;
    case "additionalProperties":
      pointer = `${at}/${String(params.additionalProperty)}`;
      message = `unknown field \`${String(params.additionalProperty)}\` in ${field}`;
      remediation = `remove it or correct its spelling; allowed: ${allowedFields(error).join(", ") || "none"}`;
      break;
    case "enum":
      message = `${field} must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
      remediation = `use one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
      break;
    case "const":
      message = `${field} must be ${JSON.stringify(params.allowedValue)}`;
      remediation = `set it to ${JSON.stringify(params.allowedValue)}`;
      break;
    case "type":
      if (isDurationPattern(String((error.parentSchema as { pattern?: unknown } | undefined)?.pattern ?? ""))) {
        // `min_for: 300`: a number where a duration goes; say which unit is wanted, not "string".
        message = `${field} is not a duration: ${JSON.stringify(error.data)}`;
        remediation = "write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first)";
        break;
      }
      message = `${field} must be ${String(params.type).replace(",", " or ")}`;
      remediation = `write ${String(params.type).replace(",", " or ")} here`;
      break;
    case "pattern":
      if (isDurationPattern(String(params.pattern))) {
        message = `${field} is not a duration: ${JSON.stringify(error.data)}`;
        remediation = "write a duration such as 30s, 5m, 6h, 30d or 1y (units largest first)";
      } else {
        message = `${field} does not match the pattern ${String(params.pattern)}`;
        remediation = `write a value matching ${String(params.pattern)}`;
      }
      break;
    case "minLength":
      message = `${field} must not be empty`;
      remediation = "write a value, or remove the field";
      break;
    case "minItems":
      message = `${field} must list at least ${String(params.limit)} item(s)`;
      remediation = "add an item, or remove the field";
      break;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[error.keyword];
      message = `${field} must be ${bound} ${String(params.limit)}`;
      remediation = `use a number ${bound} ${String(params.limit)}`;
      break;
    }
    default:
      message = `${field} ${error.message ?? "is invalid"}`;
      remediation = "see the field's description in the schema";
  }
  return { pointer, ...locate(sourceMap, pointer), message, remediation };
}

function allowedFields(error: ErrorObject): string[] {
  const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {});
}

function isDurationPattern(pattern: string): boolean {
  return pattern.includes("(\\d+ms)?");
}

/** The position of a pointer's node, or of its nearest located ancestor. */
export function locate(sourceMap: SourceMap, pointer: string): Position {
  for (let p = pointer; ; p = p.slice(0, Math.max(0, p.lastIndexOf("/")))) {
    const position = sourceMap.get(p);
    if (position) return position;
    if (p === "") return { line: 1, column: 1 };
  }
}

