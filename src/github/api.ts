// The GitHub REST calls the Action makes, through Octokit (@octokit/core with pagination, retries
// of failed requests and GitHub's rate-limit handling). Rate limits (403/429 with retry-after or
// x-ratelimit-reset) are waited out within a bounded total time; any other refusal reaches the
// caller as a RequestError. Nothing here prints: what happened is logged through `log`.
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { CheckAnnotation, CheckConclusion } from "./annotations.js";
import { ANNOTATIONS_PER_REQUEST, batches } from "./annotations.js";

const GitHub = Octokit.plugin(paginateRest, retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

/** Retries of one rate-limited request, and the longest total wait of a run for rate limits. */
export const MAX_RATE_LIMIT_RETRIES = 3;
export const MAX_RATE_LIMIT_WAIT_SECONDS = 120;
/** The pull request files endpoint lists at most this many files. */
export const PR_FILES_CAP = 3000;
export const CHECK_RUN_NAME = "obsgate";

export interface Repo {
  owner: string;
  repo: string;
}

export function gitHubClient(options: { token: string; baseUrl: string; userAgent: string; log: (line: string) => void }): GitHubClient {
  let waited = 0;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const wanted = retryCount < MAX_RATE_LIMIT_RETRIES && waited + retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
    options.log(
      wanted
        ? `GitHub's ${kind} rate limit: retrying ${request.method} ${request.url} in ${retryAfter}s`
        : `GitHub's ${kind} rate limit: giving up on ${request.method} ${request.url} (retry in ${retryAfter}s would pass the ${MAX_RATE_LIMIT_WAIT_SECONDS}s bound)`,
    );
    if (wanted) waited += retryAfter;
    return wanted;
  };
  const quiet = () => {};
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    log: { debug: quiet, info: quiet, warn: (message: string) => options.log(message), error: (message: string) => options.log(message) },
    // Rate limits (403/429) are the throttling plugin's, which waits as long as GitHub asks; the retry
    // plugin's fixed backoff is for server errors only.
    retry: { retries: MAX_RATE_LIMIT_RETRIES, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
  });
}

/** A write the token may not make: a fork's pull request gets a read-only token. */
export function isWriteDenied(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 403;
}

/**
 * The paths a pull request changes (a renamed file at both its old and new path), or null when the
 * list reaches the endpoint's cap of 3,000 files and is incomplete.
 */
export async function pullRequestFiles(client: GitHubClient, repo: Repo, pullNumber: number): Promise<string[] | null> {
  const files = new Set<string>();
  let listed = 0;
  for await (const page of client.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { ...repo, pull_number: pullNumber, per_page: 100 })) {
    for (const file of page.data) {
      listed++;
      files.add(file.filename);
      if (file.previous_filename) files.add(file.previous_filename);
    }
  }
  return listed >= PR_FILES_CAP ? null : [...files];
}

/** Updates the comment that starts with `marker` (searching every page), or creates it; never a second one. */
export async function upsertComment(client: GitHubClient, repo: Repo, issueNumber: number, marker: string, body: string): Promise<{ action: "created" | "updated"; id: number }> {
  for await (const page of client.paginate.iterator("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, per_page: 100 })) {
    const mine = page.data.find((comment) => comment.body?.startsWith(marker));
    if (mine) {
      await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: mine.id, body });
      return { action: "updated", id: Number(mine.id) };
    }
  }
  const created = await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, body });
  return { action: "created", id: Number(created.data.id) };
}

export interface CheckRunOutput {
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text: string;
  detailsUrl: string | null;
  annotations: readonly CheckAnnotation[];
}

/** A completed check run with the first 50 annotations, then one update per further 50. Returns the number of requests that carried annotations. */
export async function publishCheckRun(client: GitHubClient, repo: Repo, run: CheckRunOutput): Promise<{ id: number; annotationRequests: number }> {
  const [first = [], ...rest] = batches(run.annotations, ANNOTATIONS_PER_REQUEST);
  const output = { title: run.title, summary: run.summary };
  const created = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: CHECK_RUN_NAME,
    head_sha: run.headSha,
    status: "completed",
    conclusion: run.conclusion,
    ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
    output: { ...output, text: run.text, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  for (const batch of rest) {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: created.data.id, output: { ...output, text: run.text, annotations: batch } });
  }
  return { id: Number(created.data.id), annotationRequests: (first.length > 0 ? 1 : 0) + rest.length };
}
