// The facts of one `check` run, mapped onto what the Statement builder takes: the Report (files,
// models, findings, rules, waivers, tiers), the digests of the files as they were read (src/load
// hashes the very bytes it parses), and what the caller found out at the edge — the clock, the
// running code's digest, git and the CI run. Pure: the caller does the I/O.
import type { Report } from "../report/index.js";
import { builtinPolicySubject, NON_FILE_SUBJECT_PREFIX, type AttestationFacts, type ModelFacts, type PolicySetFacts } from "./statement.js";
import { unsafePathReason } from "./subjects.js";

export interface RunContext {
  /** The run's one clock (`--now`, `Inputs.now`). */
  now: Date;
  /** Repository-relative path → SHA-256 of the bytes read (`Inputs.digests`). */
  digests: ReadonlyMap<string, string>;
  /** SHA-256 of the code that ran (see src/cli/attestation-io.ts's `evaluatorDigest`). */
  evaluatorSha256: string;
  repository: string | null;
  source: { commit: string | null; ref: string | null; dirty: boolean | null };
  invocation: { ciRunUrl: string | null };
}

/** The AttestationFacts of a run: `buildStatement(checkRunFacts(report, context))` is its Statement. */
export function checkRunFacts(report: Report, context: RunContext): AttestationFacts {
  const ruleIds = report.rules.map((r) => r.id);
  const tierOf = (model: string) => report.tiers.find((t) => t.models.includes(model));
  return {
    timeEvaluated: context.now,
    failOn: report.failOn,
    evaluator: { version: report.tool.version, sha256: context.evaluatorSha256 },
    // Every file whose bytes took part in the run: evaluated, or invalid after it was read (a parse
    // error fails the run, so what failed it is vouched for too). A skipped file took no part, and one
    // that could not be read whole has no digest to give.
    inputs: report.files
      .filter((f) => f.status !== "skipped" && context.digests.has(f.path))
      .map((f) => ({ path: f.path, sha256: context.digests.get(f.path)! })),
    policySets: report.tool.policies.map((p): PolicySetFacts => ({
      name: p.name,
      sha256: p.sha256,
      opaVersion: p.opaVersion,
      subject: p.name === "builtin" ? builtinPolicySubject(report.tool.version) : policySubject(p.name),
    })),
    // What users' policies read as `data` decided findings as much as the policies did.
    policyData: report.tool.data,
    // The tiers section of the report: per tier, its models and each rule's switch, severity and parameters.
    parameters: Object.fromEntries(report.tiers.map((t) => [t.tier, { models: t.models, rules: t.rules }])),
    repository: context.repository,
    source: context.source,
    invocation: context.invocation,
    rules: report.rules,
    files: report.files,
    models: report.models.map((m): ModelFacts => ({
      name: m.name,
      version: m.version,
      owner: m.owner,
      tier: m.tier,
      riskClass: m.riskClass,
      file: m.file,
      // A manifest that broke its schema was not evaluated: no rule can be said to pass for it (its
      // INP-002 finding still fails it). Otherwise a rule the model's tier switches off does not apply.
      notApplicable: m.status === "invalid" ? ruleIds : (tierOf(m.name)?.rules.filter((r) => !r.enabled).map((r) => r.id) ?? []),
    })),
    findings: report.findings,
    waivers: {
      applied: report.waivers.filter((w) => w.status === "applied"),
      expired: report.waivers.filter((w) => w.status === "expired"),
    },
  };
}

/**
 * The subject name of a user's policy set (`name` is its repository-relative path). A `.wasm` is
 * the module that ran, byte for byte, so it is named by its path and `verify --root` re-hashes it.
 * A folder of Rego or a bundle ran a module compiled or unpacked from it, which is no file in the
 * repository: it is named `obsgate:policy/<path>` (not re-hashed) with that module's digest, the
 * digest `gate --policy-digest` pins.
 */
export function policySubject(name: string): string {
  return name.endsWith(".wasm") && unsafePathReason(name) === null ? name : `${NON_FILE_SUBJECT_PREFIX}policy/${name}`;
}
