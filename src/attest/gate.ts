// The deploy gate's policy, as a pure function of a Statement that already verified and the
// options of one `obsgate gate` run. The checks run in a fixed order and the first that fails is
// the one reason given, so the same envelope and options always give the same answer.
import { quote, refuse, type Refusal } from "./refusal.js";
import { NON_FILE_SUBJECT_PREFIX, type AttestedResult, type Statement } from "./statement.js";

export interface GateOptions {
  /** Let WARNED through (`--allow-warnings`); FAILED never passes. */
  allowWarnings: boolean;
  /** Refuse statements evaluated longer ago than this (`--max-age`), or null for no limit. */
  maxAgeSeconds: number | null;
  /** The gate's clock (`--now`, default the real time). */
  now: Date;
  /** How far ahead of `now` the statement's time may be before it counts as from the future: clocks of two machines differ. Default 0. */
  clockSkewSeconds?: number;
  /** The commit being deployed (`--commit`), or null not to check. */
  commit: string | null;
  /** The models being deployed (`--model`, repeatable); empty: judge the whole run. */
  models: readonly string[];
  /** Allowed policy bundle digests (`--policy-digest`, repeatable); empty: any. */
  policyDigests: readonly string[];
  /**
   * Path → sha256 (hex) of every manifest, rule file and backend config under `--root` that belongs
   * to the gated models: each must be a subject with that digest. Empty when `--root` is not given.
   */
  deployedFiles: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

export type GateDecision = { ok: true; summary: string } | Refusal;

/**
 * Passes only when, in this order: the statement's time is neither in the future nor older than
 * the maximum age; the commit matches (and the tree was clean); every policy digest is allowed;
 * every gated model is in the statement; the result — of the gated models, or of the whole run —
 * is PASSED, or WARNED with `allowWarnings`; every deployed file is a subject with the same digest.
 */
export function gate(statement: Statement, options: GateOptions): GateDecision {
  const predicate = statement.predicate;

  const evaluated = Date.parse(predicate.timeEvaluated);
  const now = options.now.getTime();
  const skewMs = (options.clockSkewSeconds ?? 0) * 1000;
  if (Number.isNaN(evaluated)) return refuse("time_future", `the statement's time ${quote(predicate.timeEvaluated)} is not a time`);
  if (evaluated > now + skewMs) {
    return refuse("time_future", `the statement was evaluated at ${predicate.timeEvaluated}, ${formatDuration((evaluated - now) / 1000)} after the gate's clock (${options.now.toISOString()})`);
  }
  if (options.maxAgeSeconds !== null && now - evaluated > options.maxAgeSeconds * 1000) {
    return refuse(
      "time_too_old",
      `the statement was evaluated at ${predicate.timeEvaluated}, ${formatDuration((now - evaluated) / 1000)} ago, older than the maximum age of ${formatDuration(options.maxAgeSeconds)}`,
    );
  }

  if (options.commit !== null) {
    const wanted = options.commit.toLowerCase();
    const recorded = predicate.source.commit;
    if (recorded === null) return refuse("commit_mismatch", `the statement records no commit; expected ${wanted}`);
    if (recorded !== wanted) return refuse("commit_mismatch", `the statement is for commit ${recorded}, not ${wanted}`);
    // A dirty tree is `commit` plus changes: the statement is not about the commit itself.
    if (predicate.source.dirty === true) return refuse("commit_dirty", `the statement was made from uncommitted changes on top of ${recorded}`);
  }

  if (options.policyDigests.length > 0) {
    const allowed = new Set(options.policyDigests.map((d) => d.toLowerCase()));
    const disallowed = predicate.policySets.find((p) => !allowed.has(p.sha256));
    if (disallowed) return refuse("policy_digest", `policy set ${quote(disallowed.name)} has sha256 ${disallowed.sha256}, which is not among the allowed digests`);
  }

  const judged = judgedResults(statement, options.models);
  if (!Array.isArray(judged)) return judged;
  for (const { who, result } of judged) {
    if (result === "FAILED") return refuse("result_failed", `the result for ${who} is FAILED`);
    if (result === "WARNED" && !options.allowWarnings) return refuse("result_warned", `the result for ${who} is WARNED (open findings below the failure threshold); pass --allow-warnings to accept it`);
  }

  const subjects = new Map(statement.subject.filter((s) => !s.name.startsWith(NON_FILE_SUBJECT_PREFIX)).map((s) => [s.name, s.digest.sha256]));
  const deployed = options.deployedFiles instanceof Map ? [...options.deployedFiles] : Object.entries(options.deployedFiles);
  deployed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [path, sha256] of deployed) {
    const attested = subjects.get(path);
    if (attested === undefined) return refuse("file_not_covered", `deployed file ${path} is not a subject of the statement (added or renamed since it was made?)`);
    if (attested !== sha256.toLowerCase()) return refuse("file_digest_mismatch", `deployed file ${path} has sha256 ${sha256.toLowerCase()}, the statement vouches for ${attested}`);
  }

  const scope = options.models.length > 0 ? `model${options.models.length === 1 ? "" : "s"} ${options.models.join(", ")}` : "the whole run";
  return { ok: true, summary: `${scope}: ${judged.map((j) => j.result).includes("WARNED") ? "WARNED (allowed)" : "PASSED"}, evaluated ${predicate.timeEvaluated}` };
}

function judgedResults(statement: Statement, models: readonly string[]): Array<{ who: string; result: AttestedResult }> | Refusal {
  if (models.length === 0) return [{ who: "the whole run", result: statement.predicate.result }];
  const judged: Array<{ who: string; result: AttestedResult }> = [];
  for (const name of models) {
    const model = statement.predicate.models.find((m) => m.name === name);
    if (!model) return refuse("model_absent", `model ${quote(name)} is not in the statement`);
    judged.push({ who: `model ${name}`, result: model.result });
  }
  return judged;
}

/** `8d 2h`, `3h 5m`, `42s`: the two largest units, enough for a reason to be read at a glance. */
export function formatDuration(seconds: number): string {
  const units: Array<[string, number]> = [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]];
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size || (unit === "s" && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
