// The verifier's view of a payload a pinned key vouched for: is it an obsgate compliance Statement?
// A signature says who wrote the bytes, not what they mean; a key that also signs other kinds of
// statements must not get them accepted as compliance reports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "../package-root.js";
import { quote, refuse, type Refusal } from "./refusal.js";
import { COMPLIANCE_PREDICATE_TYPE, STATEMENT_TYPE, type Statement } from "./statement.js";
import { parseJsonBytesStrict } from "./strict-json.js";

export const PREDICATE_SCHEMA_FILE = "attestation-predicate.v1.schema.json";

let validator: ValidateFunction | undefined;

export function loadPredicateSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot(), "schemas", PREDICATE_SCHEMA_FILE), "utf8"));
}

/** Every way `predicate` breaks its schema, one line each (`/models/0/tier: must be …`); empty when valid. */
export function validatePredicate(predicate: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(loadPredicateSchema());
  if (validator(predicate)) return [];
  return (validator.errors ?? []).map(describeSchemaError);
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || "/";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return `${at}: unknown field ${quote(String(params.additionalProperty), 40)}`;
  if (error.keyword === "required") return `${at}: missing field \`${String(params.missingProperty)}\``;
  if (error.keyword === "enum") return `${at}: ${error.message} (${(params.allowedValues as unknown[]).join(", ")})`;
  return `${at}: ${error.message ?? error.keyword}`;
}

export type StatementCheck = { ok: true; statement: Statement } | Refusal;

/** Decodes the verified payload (strict UTF-8, no duplicate member names) and checks the Statement in it. */
export function parseStatement(payload: Uint8Array): StatementCheck {
  const parsed = parseJsonBytesStrict(payload);
  if (!parsed.ok) {
    const code = parsed.problem === "not_utf8" ? "payload_not_utf8" : parsed.problem === "duplicate_member" ? "payload_duplicate_member" : "payload_not_json";
    return refuse(code, `the signed payload ${parsed.detail}`);
  }
  return checkStatement(parsed.value);
}

/** Checks that `value` is an in-toto Statement v1 carrying an obsgate compliance predicate that fits its schema. */
export function checkStatement(value: unknown): StatementCheck {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse("statement_malformed", "the payload is not a JSON object");
  const statement = value as Record<string, unknown>;
  if (statement._type !== STATEMENT_TYPE) {
    return refuse("statement_type", `the payload is not an in-toto Statement v1: its _type is ${describe(statement._type)}, expected ${quote(STATEMENT_TYPE)}`);
  }
  if (statement.predicateType !== COMPLIANCE_PREDICATE_TYPE) {
    return refuse("predicate_type", `the Statement's predicateType is ${describe(statement.predicateType)}, expected ${quote(COMPLIANCE_PREDICATE_TYPE)}`);
  }
  if (!Array.isArray(statement.subject)) return refuse("statement_malformed", "the Statement's `subject` is not a list");
  if (statement.subject.length === 0) return refuse("subject_empty", "the Statement has no subjects: it vouches for no file");
  const names = new Set<string>();
  for (const [i, subject] of statement.subject.entries()) {
    const problem = subjectProblem(subject);
    if (problem) return refuse("statement_malformed", `subject ${i + 1} ${problem}`);
    const name = (subject as { name: string }).name;
    // Two entries for one name could carry two digests; which one a check reads would be an accident.
    if (names.has(name)) return refuse("statement_malformed", `subject ${quote(name)} is listed twice`);
    names.add(name);
  }
  // Other Statement fields are ignored, as the in-toto spec asks of consumers; the predicate is ours and strict.
  const problems = validatePredicate(statement.predicate);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    return refuse("predicate_schema", `the predicate does not match its schema: ${problems[0]}${more}`);
  }
  return { ok: true, statement: value as Statement };
}

function subjectProblem(subject: unknown): string | null {
  if (typeof subject !== "object" || subject === null || Array.isArray(subject)) return "is not an object";
  const { name, digest } = subject as Record<string, unknown>;
  if (typeof name !== "string" || name === "") return "has no name";
  if (typeof digest !== "object" || digest === null || Array.isArray(digest)) return `(${quote(name)}) has no digest`;
  const sha256 = (digest as Record<string, unknown>).sha256;
  if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) return `(${quote(name)}) has no sha256 digest of 64 lowercase hex digits`;
  return null;
}

function describe(value: unknown): string {
  return typeof value === "string" ? quote(value) : value === undefined ? "missing" : `a ${value === null ? "null" : typeof value}`;
}
