// What the run is about, from the variables a GitHub runner sets and the event's payload
// (GITHUB_EVENT_PATH). On a pull request GITHUB_SHA is the merge commit GitHub made for the test
// run; check runs and links use the pull request's head commit, which is what a reviewer sees.
import { DiagnosticError, diagnostic } from "../diagnostics.js";

export interface PullRequest {
  number: number;
  headSha: string;
  baseSha: string;
  /** The base branch's name (e.g. `main`). */
  baseRef: string;
  /** Files the pull request changes, as the payload counts them (null when absent). */
  changedFiles: number | null;
  /** Opened from another repository: its token is read-only. */
  fromFork: boolean;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  /** e.g. `https://github.com`, or a GitHub Enterprise Server's URL; no trailing slash. */
  serverUrl: string;
  apiUrl: string;
  /** The commit the check run and links are for: the pull request's head, else GITHUB_SHA. */
  sha: string;
  pullRequest: PullRequest | null;
  /** The workflow run's page, when the runner says. */
  runUrl: string | null;
}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

/** The context of the run; a diagnostic when the runner's variables or the payload lack what is needed. */
export function runContext(env: NodeJS.ProcessEnv, payload: unknown): RunContext {
  const missing = (what: string): never => {
    throw new DiagnosticError(diagnostic("usage_error", `${what}: obsgate's Action runs in a GitHub Actions job, which sets it`));
  };
  const eventName = env.GITHUB_EVENT_NAME || missing("GITHUB_EVENT_NAME is not set");
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY || missing("GITHUB_REPOSITORY is not set")).split("/");
  if (!owner || !repo || rest.length > 0) missing(`GITHUB_REPOSITORY "${env.GITHUB_REPOSITORY}" is not owner/name`);
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const apiUrl = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const pullRequest = PULL_REQUEST_EVENTS.has(eventName) ? pullRequestOf(payload, missing) : null;
  const sha = pullRequest?.headSha ?? (env.GITHUB_SHA || missing("GITHUB_SHA is not set"));
  const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : null;
  return { eventName, owner: owner!, repo: repo!, serverUrl, apiUrl, sha, pullRequest, runUrl };
}

function pullRequestOf(payload: unknown, missing: (what: string) => never): PullRequest {
  const pr = (payload as { pull_request?: Record<string, unknown> } | null)?.pull_request;
  if (typeof pr !== "object" || pr === null) return missing("the event payload (GITHUB_EVENT_PATH) has no pull_request");
  const head = (pr.head ?? {}) as { sha?: unknown; repo?: { full_name?: unknown } | null };
  const base = (pr.base ?? {}) as { sha?: unknown; ref?: unknown; repo?: { full_name?: unknown } | null };
  const number = pr.number;
  if (typeof number !== "number" || typeof head.sha !== "string" || typeof base.sha !== "string") {
    return missing("the event payload's pull_request lacks number, head.sha or base.sha");
  }
  return {
    number,
    headSha: head.sha,
    baseSha: base.sha,
    baseRef: typeof base.ref === "string" ? base.ref : base.sha,
    changedFiles: typeof pr.changed_files === "number" ? pr.changed_files : null,
    // A deleted fork has no head repository: it is not this repository either.
    fromFork: head.repo?.full_name !== base.repo?.full_name,
  };
}
