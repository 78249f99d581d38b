// The in-toto Statement v1 that obsgate signs, and the pure function that builds it from the facts
// of one `check` run. Its predicate (`https://obsgate.dev/attestation/compliance/v1`, schema in
// schemas/attestation-predicate.v1.schema.json) carries everything the audit document shows, so
// that document never reads unverified files for its facts.
//
// The facts are plain data shaped so that the report's own values (`Finding`, `FileRecord`,
// `RuleMetadata`, `ReportModel`) fit them as they are; this module does not import the report
// stage. Everything is sorted here, and the payload is RFC 8785 JSON, so the same facts and the
// same clock give the same payload bytes.
import { canonicalJsonBytes } from "./canonical-json.js";
import { compareFindings, compareStrings, type AppliedWaiver, type ModelIdentity, type WaiverRecord } from "../types.js";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const COMPLIANCE_PREDICATE_TYPE = "https://obsgate.dev/attestation/compliance/v1";
/** Subject names under this scheme are not files in the repository: `verify --root` skips them. */
export const NON_FILE_SUBJECT_PREFIX = "obsgate:";

// ---- the Statement ---------------------------------------------------------------------------

export interface Subject {
  /** A repository-relative path with `/` separators, or an `obsgate:` name for a built-in artefact. */
  name: string;
  digest: { sha256: string };
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof COMPLIANCE_PREDICATE_TYPE;
  predicate: CompliancePredicate;
}

export type AttestedResult = "PASSED" | "WARNED" | "FAILED";
export type FailOn = "error" | "warning" | "info" | "never";
export type Severity = "error" | "warning" | "info";
export type ControlStatus = "passed" | "failed" | "waived" | "not-applicable";

export interface CompliancePredicate {
  /** FAILED: an open finding at or above `failOn`; WARNED: none, but an open error or warning; else PASSED. */
  result: AttestedResult;
  /** The threshold the run judged findings by; an auditor reads `result` against it. */
  failOn: FailOn;
  /** The run's one clock, as ISO 8601 UTC. */
  timeEvaluated: string;
  evaluator: { name: "obsgate"; version: string; digest: { sha256: string } };
  /** In evaluation order, built-in first. */
  policySets: AttestedPolicySet[];
  /** The `--data` files users' policies read, in merge order, each also a subject (absent from statements of obsgate before 0.1.0's data subjects). */
  policyData?: Array<{ path: string; sha256: string }>;
  /** The parameters in force (per tier), as configured. */
  parameters: Record<string, unknown>;
  /** Where the checked files live (e.g. `github.com/acme/models`), or null when unknown. */
  repository: string | null;
  source: { commit: string | null; ref: string | null; dirty: boolean | null };
  invocation: { ciRunUrl: string | null };
  /** Metadata of every rule that ran, by id: the controls the models are judged by. */
  rules: AttestedRule[];
  /** Every discovered file and what became of it. */
  files: AttestedFile[];
  models: AttestedModel[];
  /** Findings in files no model owns (rule files without a model, say). */
  unownedFindings: AttestedFinding[];
  waivers: { applied: AttestedWaiver[]; expired: AttestedWaiver[] };
  summary: AttestedSummary;
}

export interface AttestedPolicySet {
  name: string;
  sha256: string;
  opaVersion: string | null;
}

export interface AttestedRule {
  id: string;
  title: string;
  severity: Severity;
  family: string;
  waivable: boolean;
  docs: string;
}

export interface AttestedFile {
  path: string;
  kind: string;
  status: "evaluated" | "skipped" | "invalid";
  reason: string | null;
}

export interface AttestedModel extends ModelIdentity {
  /** The result for this model alone, from the findings that affect it; what `gate --model` reads. */
  result: AttestedResult;
  /** Every rule that ran, with its outcome for this model. */
  controls: Array<{ rule: string; status: ControlStatus }>;
  /** Every finding that affects this model, a shared file's included. */
  findings: AttestedFinding[];
}

export interface AttestedFinding {
  rule: string;
  severity: Severity;
  status: "open" | "waived";
  file: string;
  line: number;
  column: number;
  pointer: string;
  message: string;
  /** Every model it affects (several for a shared file). */
  models: string[];
  fingerprint: string | null;
  /** The waiver covering it, present exactly when `status` is `waived`. */
  waiver?: AttestedFindingWaiver;
}

/** The waiver a waived finding carries: the report's own shape. */
export type AttestedFindingWaiver = AppliedWaiver;

/** One waiver of the run and what it did: the report's record, without its status (the list it is in says it). */
export type AttestedWaiver = Omit<WaiverRecord, "status">;

export interface AttestedSummary {
  models: number;
  files: { evaluated: number; skipped: number; invalid: number };
  findings: { open: { error: number; warning: number; info: number }; waived: number };
  controls: { passed: number; failed: number; waived: number; notApplicable: number };
  waivers: { applied: number; expired: number };
}

// ---- the facts of a run, as the caller maps them --------------------------------------------

export interface FindingFacts {
  rule: string;
  severity: Severity;
  status: "open" | "waived";
  /** The model it is about, or null (a shared file's finding, or a file no model owns). */
  model: string | null;
  models: readonly string[];
  message: string;
  file: string;
  line: number;
  column: number;
  pointer: string;
  fingerprint?: string;
  waiver?: FindingWaiverFacts | null;
}

/** A waived finding's waiver; `AppliedWaiver` from src/types.ts fits as it is. */
export type FindingWaiverFacts = AttestedFindingWaiver;

/** A waiver of the run; `WaiverRecord` from src/types.ts fits as it is (its `status` is not kept). */
export type WaiverFacts = AttestedWaiver;

export interface ModelFacts extends ModelIdentity {
  /** Rules that do not apply to this model (a policy said so); the rest pass unless a finding says otherwise. */
  notApplicable?: readonly string[];
}

export interface RuleFacts {
  id: string;
  title: string;
  severity: Severity;
  family: string;
  waivable: boolean;
  docs: string;
}

export interface FileFacts {
  path: string;
  kind: string;
  status: "evaluated" | "skipped" | "invalid";
  reason?: string | null;
}

export interface PolicySetFacts {
  name: string;
  /** SHA-256 (hex) of the compiled Wasm module or bundle that ran. */
  sha256: string;
  opaVersion: string | null;
  /** Its subject name: `builtinPolicySubject(version)` for the built-in set, else its repository-relative path. */
  subject: string;
}

export interface AttestationFacts {
  /** The run's one clock (`--now`, default the real time). */
  timeEvaluated: Date;
  failOn: FailOn;
  evaluator: { version: string; sha256: string };
  /** Every input file evaluated (or found invalid), repository-relative, with the SHA-256 of its bytes as read. */
  inputs: ReadonlyArray<{ path: string; sha256: string }>;
  policySets: readonly PolicySetFacts[];
  /** The `--data` files users' policies read, repository-relative, with the SHA-256 of their bytes as read. */
  policyData: ReadonlyArray<{ path: string; sha256: string }>;
  parameters: Record<string, unknown>;
  repository: string | null;
  source: { commit: string | null; ref: string | null; dirty: boolean | null };
  invocation: { ciRunUrl: string | null };
  rules: readonly RuleFacts[];
  files: readonly FileFacts[];
  models: readonly ModelFacts[];
  findings: readonly FindingFacts[];
  waivers: { applied: readonly WaiverFacts[]; expired: readonly WaiverFacts[] };
}

/** Thrown on facts that cannot make a valid statement: a bug in the caller, not a user's mistake. */
export class AttestationFactsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttestationFactsError";
  }
}

// ---- building it -----------------------------------------------------------------------------

/** The subject name of the built-in policy bundle of obsgate `version`. */
export function builtinPolicySubject(version: string): string {
  return `${NON_FILE_SUBJECT_PREFIX}builtin/${version}/policy.wasm`;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The Statement for one run. Pure: the same facts give a deep-equal Statement, members in the same order. */
export function buildStatement(facts: AttestationFacts): Statement {
  if (Number.isNaN(facts.timeEvaluated.getTime())) throw new AttestationFactsError("timeEvaluated is not a valid time");
  checkDigest(facts.evaluator.sha256, "the evaluator");

  const findings = [...facts.findings].sort(compareFindings).map(attestFinding);
  const modelFindings = (name: string) => findings.filter((f) => f.models.includes(name));
  const rules = [...facts.rules].sort((a, b) => compareStrings(a.id, b.id)).map(attestRule);

  const models = [...facts.models]
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file))
    .map((model): AttestedModel => {
      const own = modelFindings(model.name);
      return {
        name: model.name,
        version: model.version,
        owner: model.owner,
        tier: model.tier,
        riskClass: model.riskClass,
        file: model.file,
        result: resultOf(own, facts.failOn),
        controls: rules.map((rule) => ({ rule: rule.id, status: controlStatus(rule.id, own, model.notApplicable ?? []) })),
        findings: own,
      };
    });

  const open = { error: 0, warning: 0, info: 0 };
  let waived = 0;
  for (const finding of findings) {
    if (finding.status === "waived") waived++;
    else open[finding.severity]++;
  }
  const controls = { passed: 0, failed: 0, waived: 0, notApplicable: 0 };
  for (const model of models) {
    for (const control of model.controls) controls[control.status === "not-applicable" ? "notApplicable" : control.status]++;
  }
  const files = [...facts.files].sort((a, b) => compareStrings(a.path, b.path)).map((f): AttestedFile => ({
    path: f.path,
    kind: f.kind,
    status: f.status,
    reason: f.reason ?? null,
  }));
  const countFiles = (status: AttestedFile["status"]) => files.filter((f) => f.status === status).length;
  const applied = sortWaivers(facts.waivers.applied.map(attestWaiver));
  const expired = sortWaivers(facts.waivers.expired.map(attestWaiver));

  const predicate: CompliancePredicate = {
    result: resultOf(findings, facts.failOn),
    failOn: facts.failOn,
    timeEvaluated: facts.timeEvaluated.toISOString(),
    evaluator: { name: "obsgate", version: facts.evaluator.version, digest: { sha256: facts.evaluator.sha256 } },
    policySets: facts.policySets.map((p) => ({ name: p.name, sha256: checkDigest(p.sha256, `policy set ${p.name}`), opaVersion: p.opaVersion })),
    policyData: facts.policyData.map((d) => ({ path: d.path, sha256: d.sha256 })),
    parameters: facts.parameters,
    repository: facts.repository === null ? null : withoutCredentials(facts.repository),
    source: { commit: facts.source.commit, ref: facts.source.ref, dirty: facts.source.dirty },
    invocation: { ciRunUrl: facts.invocation.ciRunUrl === null ? null : withoutCredentials(facts.invocation.ciRunUrl) },
    rules,
    files,
    models,
    unownedFindings: findings.filter((f) => f.models.length === 0),
    waivers: { applied, expired },
    summary: {
      models: models.length,
      files: { evaluated: countFiles("evaluated"), skipped: countFiles("skipped"), invalid: countFiles("invalid") },
      findings: { open, waived },
      controls,
      waivers: { applied: applied.length, expired: expired.length },
    },
  };
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(facts),
    predicateType: COMPLIANCE_PREDICATE_TYPE,
    predicate,
  };
}

/** The bytes to sign: the Statement as RFC 8785 canonical JSON, UTF-8. */
export function statementPayload(statement: Statement): Uint8Array {
  return canonicalJsonBytes(statement);
}

function subjectsOf(facts: AttestationFacts): Subject[] {
  const byName = new Map<string, string>();
  const add = (name: string, sha256: string) => {
    checkDigest(sha256, name);
    if (name === "" || name.startsWith("/") || name.includes("\\")) throw new AttestationFactsError(`subject ${JSON.stringify(name)} is not a repository-relative path with / separators`);
    const known = byName.get(name);
    if (known !== undefined && known !== sha256) throw new AttestationFactsError(`subject ${name} is given two different digests`);
    byName.set(name, sha256);
  };
  for (const input of facts.inputs) add(input.path, input.sha256);
  for (const policy of facts.policySets) add(policy.subject, policy.sha256);
  for (const data of facts.policyData) add(data.path, data.sha256);
  if (byName.size === 0) throw new AttestationFactsError("a statement needs at least one subject");
  return [...byName].sort(([a], [b]) => compareStrings(a, b)).map(([name, sha256]) => ({ name, digest: { sha256 } }));
}

function resultOf(findings: readonly AttestedFinding[], failOn: FailOn): AttestedResult {
  const open = findings.filter((f) => f.status === "open");
  if (failOn !== "never" && open.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn])) return "FAILED";
  // An open error under `--fail-on never` did not fail the run, but a gate must not read it as clean.
  return open.some((f) => f.severity !== "info") ? "WARNED" : "PASSED";
}

function controlStatus(rule: string, findings: readonly AttestedFinding[], notApplicable: readonly string[]): ControlStatus {
  const mine = findings.filter((f) => f.rule === rule);
  if (mine.some((f) => f.status === "open")) return "failed";
  if (mine.length > 0) return "waived";
  return notApplicable.includes(rule) ? "not-applicable" : "passed";
}

function attestFinding(f: FindingFacts): AttestedFinding {
  if ((f.status === "waived") !== Boolean(f.waiver)) {
    throw new AttestationFactsError(`finding ${f.rule} at ${f.file}:${f.line}:${f.column} is ${f.status} ${f.waiver ? "but carries" : "without"} a waiver`);
  }
  // A finding about one model alone lists it in `models` too, so per-model filtering needs one field.
  const models = [...new Set([...(f.model === null ? [] : [f.model]), ...f.models])].sort(compareStrings);
  return {
    rule: f.rule,
    severity: f.severity,
    status: f.status,
    file: f.file,
    line: f.line,
    column: f.column,
    pointer: f.pointer,
    message: f.message,
    models,
    fingerprint: f.fingerprint ?? null,
    ...(f.waiver ? { waiver: attestFindingWaiver(f.waiver) } : {}),
  };
}

function attestRule(r: RuleFacts): AttestedRule {
  return { id: r.id, title: r.title, severity: r.severity, family: r.family, waivable: r.waivable, docs: r.docs };
}

function attestFindingWaiver(w: FindingWaiverFacts): AttestedFindingWaiver {
  return { source: w.source, file: w.file, line: w.line, column: w.column, owner: w.owner, reason: w.reason, ticket: w.ticket, expires: w.expires };
}

// Copies only the predicate's fields: a record may carry more (its status) that the schema refuses.
function attestWaiver(w: WaiverFacts): AttestedWaiver {
  return {
    source: w.source,
    file: w.file,
    line: w.line,
    column: w.column,
    rule: w.rule,
    selector: { model: w.selector.model, file: w.selector.file, pointer: w.selector.pointer, line: w.selector.line },
    owner: w.owner,
    reason: w.reason,
    ticket: w.ticket,
    expires: w.expires,
    findings: w.findings,
  };
}

function sortWaivers(waivers: AttestedWaiver[]): AttestedWaiver[] {
  return waivers.sort((a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.rule ?? "", b.rule ?? ""));
}


function checkDigest(sha256: string, what: string): string {
  if (!SHA256_HEX.test(sha256)) throw new AttestationFactsError(`the SHA-256 of ${what} is not 64 lowercase hex digits`);
  return sha256;
}

// A remote URL may carry a token (`https://x-access-token:…@github.com/…`); a signed, published
// statement must not.
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

