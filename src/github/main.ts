// The Action's edge: reads the runner's environment and inputs, runs the same `check` as the CLI
// (src/pipeline.ts), and publishes the result: a check run with annotations, one sticky pull-request
// comment, the job summary, a SARIF file, outputs and (with sign-key) a signed attestation. Every
// decision is in the pure modules beside this one. A token that may not write (a fork's) degrades
// to the job summary and workflow-command annotations; the job's outcome follows fail-on alone.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { relative, resolve, sep } from "node:path";
import * as core from "@actions/core";
import { readSigningKey, signedAttestation, SIGNING_KEY_ENV } from "../cli/attestation.js";
import { writeFileAtomic } from "../cli/output.js";
import { DiagnosticError, diagnostic, formatDiagnostic, sortDiagnostics } from "../diagnostics.js";
import { changedFiles } from "../load/changes.js";
import { repositoryRoot, toRepoPath } from "../load/index.js";
import { obsgateVersion, runCheck } from "../pipeline.js";
import { formatJson } from "../report/json.js";
import { formatSarif } from "../report/sarif.js";
import { plural, type Report } from "../report/index.js";
import { checkAnnotations, checkConclusion, workflowAnnotations, WORKFLOW_ANNOTATIONS_PER_TYPE, type WorkflowAnnotation } from "./annotations.js";
import { gitHubClient, isWriteDenied, publishCheckRun, pullRequestFiles, upsertComment, type GitHubClient } from "./api.js";
import { runContext, type RunContext } from "./event.js";
import { parseInputs, type ActionInputs } from "./inputs.js";
import { commentBody, commentMarker, reproduceCommand, summaryDocument, type ReviewOptions } from "./review.js";

/** The JSON report's file name, in RUNNER_TEMP (its path is the `report-json` output). */
const REPORT_JSON = "obsgate-report.json";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    process.exitCode = await action(env);
  } catch (error) {
    // A problem with how the Action was set up: each diagnostic on its own line, exit 2, no stack trace.
    const diagnostics = error instanceof DiagnosticError
      ? sortDiagnostics(error.diagnostics)
      : [diagnostic("internal_error", `${error instanceof Error ? error.message : String(error)} (please report this)`)];
    for (const d of diagnostics) core.error(formatDiagnostic(d), { title: "obsgate" });
    process.exitCode = 2;
  }
}

async function action(env: NodeJS.ProcessEnv): Promise<number> {
  const inputs = parseInputs((name) => core.getInput(name));
  // Masked before anything else is printed, so no log line can carry them.
  if (inputs.token !== "") core.setSecret(inputs.token);
  if (inputs.signKey !== undefined) maskKey(inputs.signKey);

  const context = runContext(env, readEvent(env.GITHUB_EVENT_PATH));
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const cwd = resolve(workspace, inputs.workingDirectory);
  const paths = inputs.paths;
  // Read before the run: a bad key stops it at once, with nothing written.
  const key = inputs.signKey === undefined ? null : await readSigningKey(undefined, { cwd, env: { [SIGNING_KEY_ENV]: inputs.signKey } });
  const client = inputs.token === "" ? null : gitHubClient({
    token: inputs.token,
    baseUrl: context.apiUrl,
    userAgent: `obsgate-action/${obsgateVersion()}`,
    log: (line) => core.info(line),
  });

  const pr = context.pullRequest;
  const onlyChanged = pr !== null && (inputs.onlyChanged ?? true);
  const repoRoot = repositoryRoot(paths, cwd);
  const changes = onlyChanged ? await changedByPullRequest(client, context, repoRoot, workspace) : null;
  const checked = await runCheck({
    paths,
    cwd,
    config: inputs.config,
    policies: inputs.policies,
    failOn: inputs.failOn,
    env,
    digests: key !== null,
    // Past the API's cap, git's diff against the base commit, named by the base branch as the API's list is.
    ...(changes === null ? {} : { changes: changes.files === null ? { ...changedFiles(repoRoot, changes.base), ref: changes.ref } : { ...changes, files: changes.files } }),
  });
  const { report } = checked;
  // Signed before any output is written: git must see the tree as the run found it.
  const envelope = key === null ? null : signedAttestation(checked, key, env);

  const sarifPath = resolve(workspace, inputs.sarifFile);
  writeFileAtomic(sarifPath, sarifWithCategory(formatSarif(report, { color: false }), inputs.sarifCategory));
  // Outside the workspace: a later obsgate run must not read the report as an input.
  const reportPath = resolve(env.RUNNER_TEMP || tmpdir(), REPORT_JSON);
  writeFileAtomic(reportPath, formatJson(report));
  const attestationPath = envelope === null ? null : resolve(workspace, inputs.attestationFile);
  if (envelope !== null) writeFileAtomic(attestationPath!, envelope);

  const prefix = pathPrefix(workspace, checked.inputs.repoRoot);
  const review: ReviewOptions = {
    linkBase: `${context.serverUrl}/${context.owner}/${context.repo}/blob/${context.sha}/${prefix}`,
    now: checked.inputs.now,
    reproduce: reproduceCommand({
      workingDirectory: inputs.workingDirectory,
      paths,
      config: inputs.config,
      policies: inputs.policies,
      failOn: inputs.failOn,
      changedSince: onlyChanged && pr ? `origin/${pr.baseRef}` : null,
    }),
    runUrl: context.runUrl,
  };
  const published = await publish(client, context, inputs, report, review, prefix, relative(workspace, sarifPath).split(sep).join("/"));

  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await core.summary.addRaw(summaryDocument(report, review), true).write();
  core.setOutput("result", report.result);
  core.setOutput("errors", String(report.summary.open.error));
  core.setOutput("warnings", String(report.summary.open.warning));
  core.setOutput("sarif-file", sarifPath);
  core.setOutput("attestation-file", attestationPath ?? "");
  core.setOutput("report-json", reportPath);

  core.info(resultLine(report, published));
  return report.result === "failed" ? 1 : 0;
}

interface Published {
  checkRun: boolean;
  comment: "created" | "updated" | null;
}

/** The check run (with annotations), the sticky comment, else workflow-command annotations; a refused write degrades, it does not fail. */
async function publish(client: GitHubClient | null, context: RunContext, inputs: ActionInputs, report: Report, review: ReviewOptions, prefix: string, sarifShown: string): Promise<Published> {
  const repo = { owner: context.owner, repo: context.repo };
  const published: Published = { checkRun: false, comment: null };
  const denied: string[] = [];
  const failed = (what: string, error: unknown) => {
    if (isWriteDenied(error)) denied.push(what);
    else core.warning(`obsgate could not ${what} (${requestProblem(error)}); the results are in the job summary`, { title: "obsgate" });
  };
  if (client !== null && inputs.checkRun) {
    try {
      await publishCheckRun(client, repo, {
        headSha: context.sha,
        conclusion: checkConclusion(report),
        title: resultTitle(report),
        summary: commentlessSummary(report),
        text: summaryDocument(report, review).slice(0, 65_000),
        detailsUrl: context.runUrl,
        annotations: inputs.annotations ? checkAnnotations(report.findings, prefix) : [],
      });
      published.checkRun = true;
    } catch (error) {
      failed("create the check run", error);
    }
  }
  const pr = context.pullRequest;
  if (client !== null && inputs.comment && pr !== null) {
    const marker = commentMarker(inputs.sarifCategory);
    try {
      published.comment = (await upsertComment(client, repo, pr.number, marker, commentBody(report, { ...review, marker }))).action;
    } catch (error) {
      failed("write the pull request comment", error);
    }
  }
  const reserved = { error: 0, warning: 0, notice: 0 };
  if (denied.length > 0) {
    const fork = pr?.fromFork ? "a pull request from a fork gets a read-only token" : "the token lacks a permission";
    core.notice(`obsgate could not ${denied.join(" or ")} (HTTP 403: ${fork}): the results are in this job's summary and annotations only; the job's outcome still follows fail-on (${inputs.failOn})`, { title: "obsgate" });
    reserved.notice = 1;
  } else if (client === null && (inputs.checkRun || inputs.comment)) {
    core.info("obsgate: no token, so no check run and no comment: the results are in this job's summary and annotations");
  }
  if (inputs.annotations && !published.checkRun) {
    for (const annotation of workflowAnnotations(report.findings, prefix, `the job summary and ${sarifShown}`, {
      notice: WORKFLOW_ANNOTATIONS_PER_TYPE - reserved.notice,
    })) emit(annotation);
  }
  return published;
}

function emit(a: WorkflowAnnotation): void {
  const properties = { title: a.title, file: a.file, startLine: a.line, startColumn: a.col };
  if (a.type === "error") core.error(a.message, properties);
  else if (a.type === "warning") core.warning(a.message, properties);
  else core.notice(a.message, properties);
}

/**
 * The pull request's changed files as repository-relative paths of the checked root: from the API
 * (paginated), or, past its 3,000-file cap or when the API cannot say, `files: null`: ask git for
 * the diff against the base commit instead (which the checkout must hold: fetch-depth 0 or 2).
 */
async function changedByPullRequest(client: GitHubClient | null, context: RunContext, repoRoot: string, workspace: string): Promise<{ ref: string; base: string; files: string[] | null }> {
  const pr = context.pullRequest!;
  const git = { ref: pr.baseRef, base: pr.baseSha, files: null };
  if (client === null) return git;
  if (pr.changedFiles !== null && pr.changedFiles >= 3000) {
    core.info(`the pull request changes ${pr.changedFiles} files, past the API's 3,000: the changed files come from git diff against ${pr.baseSha}`);
    return git;
  }
  let listed: string[] | null;
  try {
    listed = await pullRequestFiles(client, { owner: context.owner, repo: context.repo }, pr.number);
  } catch (error) {
    core.info(`obsgate could not list the pull request's files (${requestProblem(error)}): they come from git diff against ${pr.baseSha}`);
    return git;
  }
  if (listed === null) {
    core.info(`the pull request lists 3,000 files or more, the API's cap: the changed files come from git diff against ${pr.baseSha}`);
    return git;
  }
  // The API's paths are relative to the repository (the workspace); obsgate's to the checked root.
  const files = listed
    .map((path) => toRepoPath(repoRoot, resolve(workspace, path)))
    .filter((path) => !path.startsWith("../"))
    .sort();
  return { ref: pr.baseRef, base: pr.baseSha, files: [...new Set(files)] };
}

function readEvent(path: string | undefined): unknown {
  if (!path) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DiagnosticError(diagnostic("usage_error", `cannot read the event payload (${error instanceof Error ? error.message : String(error)})`, path));
  }
}

/** A PEM key is several lines: the runner masks a secret line by line, so each line is masked too. */
function maskKey(key: string): void {
  core.setSecret(key);
  for (const line of key.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
}

/** The checked root's folder within the repository, as a prefix of its paths (`""` at the top). */
function pathPrefix(workspace: string, repoRoot: string): string {
  const path = relative(workspace, repoRoot).split(sep).join("/");
  return path === "" || path.startsWith("..") ? "" : `${path}/`;
}

/** `sarif-category` becomes the run's automationDetails.id, which code scanning keys results by. */
function sarifWithCategory(sarif: string, category: string | undefined): string {
  if (category === undefined) return sarif;
  const log = JSON.parse(sarif) as { runs: Array<Record<string, unknown>> };
  for (const run of log.runs) run.automationDetails = { id: category.endsWith("/") ? category : `${category}/` };
  return JSON.stringify(log, null, 2) + "\n";
}

function resultTitle(report: Report): string {
  const { open } = report.summary;
  const counts = `${plural(open.error, "error")}, ${plural(open.warning, "warning")}, ${open.info} info`;
  return `${report.result === "failed" ? "Failed" : "Passed"} (fail-on: ${report.failOn}): ${counts}`;
}

/** The check run's summary: one paragraph; the full document is its text. */
function commentlessSummary(report: Report): string {
  const pre = report.summary.preExisting ? `; ${plural(report.summary.preExisting, "open finding")} pre-existing` : "";
  return `${resultTitle(report)}; ${report.summary.waived} waived${pre}; ${plural(report.summary.models, "model")} checked.`;
}

function resultLine(report: Report, published: Published): string {
  const where = [published.checkRun ? "check run" : null, published.comment ? `comment ${published.comment}` : null].filter((p) => p !== null);
  return `obsgate: ${resultTitle(report)}${where.length > 0 ? ` (${where.join(", ")})` : ""}`;
}

function requestProblem(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  return typeof status === "number" ? `HTTP ${status}: ${message}` : message;
}

