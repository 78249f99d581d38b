// The Action end to end: its committed bundle runs as a child process, as a runner starts it, in a
// real git repository, against a real HTTP server standing in for GitHub's REST API; the tests
// assert the requests the server recorded, the workflow commands printed, the outputs and the
// summary. The same scenarios run under the current node and under node 24 (action.yml's runtime).
import { cpSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWith } from "../helpers/require.js";
import { PACKAGE_ROOT, removeTree } from "../helpers/cli.js";
import { GitHubApi } from "./helpers/github-api.js";
import { actionCheckout, machineNode, NODE_24, nodeVersion, pullRequestRepo, runAction, workflowCommands, writeFiles, type PullRequestRepo } from "./helpers/action.js";

const TOKEN = "ghs_obsgateTestToken0123456789abcdefXYZ";
const FLEET = join(PACKAGE_ROOT, "examples", "fleet");
const MARKER = "<!-- obsgate:pr-comment -->";

/** A new alert of fraud-detector (which passes every check) without a summary: one new ALR-003 error. */
const NEW_ALERT = `groups:
  - name: fraud-detector-extra
    rules:
      - alert: FraudDetectorApiDown
        expr: up{job="fraud-api"} == 0
        for: 5m
        labels:
          severity: critical
          model: fraud-detector
        annotations:
          description: fraud-api is down
          runbook_url: https://runbooks.example.com/fraud-detector/api-down
`;

/** `n` alerts in a rule file no model owns, each lacking a summary: n ALR-003 errors. */
function alertsWithoutSummary(n: number, from = 0): string {
  const rules = Array.from({ length: n }, (_, i) => `      - alert: Unowned${from + i}
        expr: up{job="j${from + i}"} == 0
        for: 5m
        labels: { severity: critical }
        annotations: { description: "down", runbook_url: "https://runbooks.example.com/x" }
`);
  return `groups:\n  - name: unowned\n    rules:\n${rules.join("")}`;
}

function pullRequestEvent(repo: PullRequestRepo, extra: { fork?: boolean; changedFiles?: number; number?: number } = {}) {
  return {
    action: "synchronize",
    number: extra.number ?? 7,
    pull_request: {
      number: extra.number ?? 7,
      changed_files: extra.changedFiles ?? 1,
      head: { sha: repo.head, ref: "feature", repo: { full_name: extra.fork ? "someone/models" : "acme/models" } },
      base: { sha: repo.base, ref: "main", repo: { full_name: "acme/models" } },
    },
    repository: { full_name: "acme/models" },
  };
}

let checkout: string;
const cleanup: string[] = [];
beforeAll(() => {
  checkout = actionCheckout();
});
afterAll(() => {
  removeTree(checkout);
  for (const dir of cleanup) removeTree(dir);
});

async function server(): Promise<GitHubApi> {
  const api = await new GitHubApi(TOKEN).start();
  cleanupServers.push(api);
  return api;
}
const cleanupServers: GitHubApi[] = [];
afterAll(async () => {
  for (const api of cleanupServers) await api.stop();
});

function fleetPullRequest(change: Record<string, string> = { "fraud-detector/alerts/extra.rules.yaml": NEW_ALERT }): PullRequestRepo {
  const repo = pullRequestRepo((dir) => cpSync(FLEET, dir, { recursive: true }), (dir) => writeFiles(dir, change));
  cleanup.push(repo.dir);
  return repo;
}

function assertTokenOnlyMasked(out: string): void {
  const lines = out.split("\n").filter((line) => line.includes(TOKEN));
  expect(lines).toEqual([`::add-mask::${TOKEN}`]);
}

const MACHINE_NODE = machineNode();

it("runs its scenarios under the machine's node, one obsgate supports (20 and later)", () => {
  expect(Number(/^v(\d+)\./.exec(nodeVersion(MACHINE_NODE))?.[1])).toBeGreaterThanOrEqual(20);
});

describeWith(["node24"], "under node 24 (action.yml's runs.using: node24)", () => {
  it("is node 24", () => {
    expect(nodeVersion(NODE_24)).toMatch(/^v24\./);
  });
  pullRequestScenario(NODE_24);
});

pullRequestScenario(MACHINE_NODE);

function pullRequestScenario(node: string): void {
  describe(`the Action on a pull request, node ${nodeVersion(node)}`, () => {
    it("creates one check run for the head commit, annotations, one comment, the summary and the outputs; a second run updates the comment", async () => {
      const api = await server();
      const repo = fleetPullRequest();
      api.pullFiles.set(7, [{ filename: "fraud-detector/alerts/extra.rules.yaml", status: "added" }]);
      const options = { checkout, workspace: repo.dir, api, eventName: "pull_request", event: pullRequestEvent(repo), sha: repo.merge, node };
      const first = await runAction(options);

      // The new error decides; the fleet's other errors are pre-existing.
      expect(first.status, first.stdout + first.stderr).toBe(1);
      const report = first.report;
      const open = report.findings.filter((f: any) => f.status === "open");
      const decisive = open.filter((f: any) => !f.preExisting);
      expect(decisive.map((f: any) => `${f.rule} ${f.file}`)).toEqual(["ALR-003 fraud-detector/alerts/extra.rules.yaml"]);
      expect(open.length).toBeGreaterThan(50);
      expect(report.changedSince).toMatchObject({ ref: "main", base: repo.base, files: ["fraud-detector/alerts/extra.rules.yaml"] });

      // The pull request's files, then the check run, then the comment (looked up, then created).
      expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        "GET /repos/acme/models/pulls/7/files",
        "POST /repos/acme/models/check-runs",
        ...Array.from({ length: Math.ceil(open.length / 50) - 1 }, () => `PATCH /repos/acme/models/check-runs/${api.checkRuns[0]!.id}`),
        "GET /repos/acme/models/issues/7/comments",
        "POST /repos/acme/models/issues/7/comments",
      ]);
      const created = api.checkRuns[0]!.requests[0];
      expect(created).toMatchObject({ name: "obsgate", head_sha: repo.head, status: "completed", conclusion: "failure" });
      expect(created.head_sha).not.toBe(repo.merge);
      const annotations = api.checkRuns[0]!.requests.flatMap((r) => r.output.annotations ?? []);
      expect(annotations).toHaveLength(open.length);
      // The decisive error first, at its exact place; pre-existing findings are notices.
      const [place] = decisive;
      expect(annotations[0]).toMatchObject({ path: place.file, start_line: place.line, end_line: place.line, start_column: place.column, annotation_level: "failure" });
      expect(annotations.slice(1).every((a: any) => a.annotation_level === "notice")).toBe(true);

      const comment = api.comments.get(7)!;
      expect(comment).toHaveLength(1);
      expect(comment[0]!.body.startsWith(`${MARKER}\n`)).toBe(true);
      expect(comment[0]!.body).toContain("❌ obsgate failed");
      expect(comment[0]!.body).toContain(`https://github.example.com/acme/models/blob/${repo.head}/fraud-detector/alerts/extra.rules.yaml#L${decisive[0].line}`);
      expect(comment[0]!.body).not.toContain(repo.merge);
      expect(comment[0]!.body).toContain("obsgate check . --fail-on error --changed-since origin/main");
      expect(comment[0]!.body.length).toBeLessThanOrEqual(65_536);

      expect(first.outputs).toMatchObject({ result: "failed", errors: String(report.summary.open.error), warnings: String(report.summary.open.warning) });
      expect(first.outputs["sarif-file"]).toBe(join(repo.dir, "obsgate.sarif"));
      const sarif = JSON.parse(readFileSync(first.outputs["sarif-file"]!, "utf8"));
      expect(sarif.runs[0].results).toHaveLength(report.findings.length);
      expect(first.summary).toContain("❌ obsgate failed");
      expect(first.summary).toContain(`/blob/${repo.head}/`);
      // With a check run, no workflow-command annotations.
      expect(workflowCommands(first.stdout, "error")).toEqual([]);
      assertTokenOnlyMasked(first.stdout + first.stderr);

      const second = await runAction(options);
      expect(second.status).toBe(1);
      const writes = api.writes().map((r) => `${r.method} ${r.path}`);
      expect(writes.filter((w) => w.includes("/comments"))).toEqual([
        "POST /repos/acme/models/issues/7/comments",
        `PATCH /repos/acme/models/issues/comments/${comment[0]!.id}`,
      ]);
      expect(api.comments.get(7)).toHaveLength(1);
      expect(api.checkRuns).toHaveLength(2);
    });
  });
}

describe("the Action's sticky comment", () => {
  it("finds its comment on the second page of comments and updates it, never adding another", async () => {
    const api = await server();
    const repo = fleetPullRequest();
    api.pullFiles.set(7, [{ filename: "fraud-detector/alerts/extra.rules.yaml", status: "added" }]);
    api.addComments(7, Array.from({ length: 130 }, (_, i) => `comment ${i}`));
    const [mine] = api.addComments(7, [`${MARKER}\nan old report`]).slice(-1);
    api.addComments(7, ["a later comment"]);
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event: pullRequestEvent(repo), sha: repo.merge, inputs: { "check-run": "false", annotations: "false" } });
    expect(result.status, result.stderr).toBe(1);
    expect(api.requests.filter((r) => r.path.endsWith("/issues/7/comments")).map((r) => `${r.method} page=${r.query.page ?? 1}`)).toEqual(["GET page=1", "GET page=2"]);
    expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/acme/models/issues/comments/${mine!.id}`]);
    expect(api.comments.get(7)!.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    expect(mine!.body).toContain("❌ obsgate failed");
  });

  it("summarises a report too long for one comment within GitHub's 65,536 characters, and the job summary within 1 MiB", async () => {
    const api = await server();
    const repo = pullRequestRepo(() => {}, (dir) => writeFiles(dir, { "rules/many.rules.yaml": alertsWithoutSummary(1500) }));
    cleanup.push(repo.dir);
    api.pullFiles.set(7, [{ filename: "rules/many.rules.yaml", status: "added" }]);
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event: pullRequestEvent(repo), sha: repo.merge, inputs: { "check-run": "false", annotations: "false" } });
    expect(result.status, result.stderr).toBe(1);
    const [comment] = api.comments.get(7)!;
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body.length).toBeGreaterThan(60_000);
    expect(comment!.body).toMatch(/\*\*\d+ of 1,?500 findings not shown/);
    expect(comment!.body).toContain("Reproduce locally");
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(result.summary).not.toContain("not shown");
  });
});

describe("the Action's check run", () => {
  it("sends 120 findings as 3 requests of at most 50 annotations, on push for GITHUB_SHA, with no comment", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => writeFiles(dir, { "rules/many.rules.yaml": alertsWithoutSummary(120) }), () => {});
    cleanup.push(repo.dir);
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: { ref: "refs/heads/main", after: repo.merge }, sha: repo.merge });
    expect(result.status, result.stderr).toBe(1);
    expect(result.outputs.errors).toBe("120");
    expect(api.requests.map((r) => r.method + " " + r.path)).toEqual([
      "POST /repos/acme/models/check-runs",
      `PATCH /repos/acme/models/check-runs/${api.checkRuns[0]!.id}`,
      `PATCH /repos/acme/models/check-runs/${api.checkRuns[0]!.id}`,
    ]);
    expect(api.checkRuns[0]!.requests.map((r) => r.output.annotations.length)).toEqual([50, 50, 20]);
    expect(api.checkRuns[0]!.requests[0]).toMatchObject({ head_sha: repo.merge, conclusion: "failure" });
    expect(new Set(api.checkRuns[0]!.requests.flatMap((r) => r.output.annotations.map((a: any) => a.start_line))).size).toBe(120);
  });

  const SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

  it("retries a request GitHub answers 429 with retry-after, after the time it asks", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => writeFiles(dir, { "rules/few.rules.yaml": alertsWithoutSummary(2) }), () => {});
    cleanup.push(repo.dir);
    api.refuse({ method: "POST", path: /\/check-runs$/, status: 429, headers: { "retry-after": "2" }, message: SECONDARY, times: 1 });
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: {}, sha: repo.merge });
    expect(result.status, result.stderr).toBe(1);
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /repos/acme/models/check-runs 429",
      "POST /repos/acme/models/check-runs 201",
    ]);
    const [refused, retried] = api.requests;
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1900);
    expect(api.checkRuns).toHaveLength(1);
  });

  it("waits for x-ratelimit-reset on a primary rate limit (403), and gives up on a limit that persists, within a bound", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => writeFiles(dir, { "rules/few.rules.yaml": alertsWithoutSummary(2) }), () => {});
    cleanup.push(repo.dir);
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    api.refuse({ method: "POST", path: /\/check-runs$/, status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, message: "API rate limit exceeded", times: 1 });
    const primary = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: {}, sha: repo.merge });
    expect(primary.status, primary.stderr).toBe(1);
    expect(api.requests.map((r) => r.status)).toEqual([403, 201]);
    expect(api.requests[1]!.at).toBeGreaterThanOrEqual(Number(reset) * 1000);

    const persistent = await server();
    persistent.refuse({ method: "POST", path: /\/check-runs$/, status: 429, headers: { "retry-after": "1" }, message: SECONDARY, times: 100 });
    const given = await runAction({ checkout, workspace: repo.dir, api: persistent, eventName: "push", event: {}, sha: repo.merge });
    // 1 request and 3 retries; then the findings go out as workflow commands, and fail-on decides.
    expect(persistent.requests.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(given.status).toBe(1);
    expect(workflowCommands(given.stdout, "warning").join("\n")).toMatch(/could not create the check run \(HTTP 429/);
    expect(workflowCommands(given.stdout, "error")).toHaveLength(2);
  });

  it("is neutral when findings remain below fail-on, and success when none are open", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => writeFiles(dir, { "rules/few.rules.yaml": alertsWithoutSummary(2) }), () => {});
    cleanup.push(repo.dir);
    const neutral = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: {}, sha: repo.merge, inputs: { "fail-on": "never" } });
    expect(neutral.status, neutral.stderr).toBe(0);
    expect(neutral.outputs.result).toBe("passed");
    const clean = pullRequestRepo((dir) => cpSync(FLEET, dir, { recursive: true }), () => {});
    cleanup.push(clean.dir);
    const success = await runAction({ checkout, workspace: clean.dir, api, eventName: "push", event: {}, sha: clean.merge, inputs: { paths: "fraud-detector" } });
    expect(success.status, success.stdout + success.stderr).toBe(0);
    expect(api.checkRuns.map((r) => r.requests[0].conclusion)).toEqual(["neutral", "success"]);
  });
});

describe("the Action from a fork (a read-only token)", () => {
  it("degrades to workflow-command annotations and the summary with a notice; the outcome still follows fail-on", async () => {
    const api = await server();
    api.readOnly = true;
    const repo = pullRequestRepo(() => {}, (dir) => writeFiles(dir, { "rules/many.rules.yaml": alertsWithoutSummary(25) }));
    cleanup.push(repo.dir);
    api.pullFiles.set(7, [{ filename: "rules/many.rules.yaml", status: "added" }]);
    const event = pullRequestEvent(repo, { fork: true });
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event, sha: repo.merge });
    expect(result.status, result.stderr).toBe(1);
    expect(api.writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /repos/acme/models/check-runs 403",
      "POST /repos/acme/models/issues/7/comments 403",
    ]);
    const notices = workflowCommands(result.stdout, "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not create the check run or write the pull request comment \(HTTP 403: a pull request from a fork gets a read-only token\)/);
    const errors = workflowCommands(result.stdout, "error");
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).every((line) => line.includes("file=rules/many.rules.yaml,line="))).toBe(true);
    expect(errors[9]).toContain("16 more error annotations not shown");
    expect(errors[9]).toContain("obsgate.sarif");
    expect(result.summary).toContain("❌ obsgate failed");
    expect(result.outputs.result).toBe("failed");
    assertTokenOnlyMasked(result.stdout + result.stderr);

    const never = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event, sha: repo.merge, inputs: { "fail-on": "never" } });
    expect(never.status, never.stderr).toBe(0);
    expect(never.outputs.result).toBe("passed");
  });
});

describe("the Action's changed files", () => {
  it("pages through the pull request's files", async () => {
    const api = await server();
    const repo = fleetPullRequest();
    api.pullFiles.set(7, [
      ...Array.from({ length: 249 }, (_, i) => ({ filename: `docs/page-${String(i).padStart(3, "0")}.md`, status: "modified" })),
      { filename: "fraud-detector/alerts/extra.rules.yaml", status: "added" },
    ]);
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event: pullRequestEvent(repo, { changedFiles: 250 }), sha: repo.merge, inputs: { comment: "false", "check-run": "false", annotations: "false" } });
    expect(result.status, result.stderr).toBe(1);
    expect(api.requests.map((r) => `${r.method} ${r.path} page=${r.query.page ?? 1} per_page=${r.query.per_page}`)).toEqual([1, 2, 3].map((page) => `GET /repos/acme/models/pulls/7/files page=${page} per_page=100`));
    const report = result.report;
    expect(report.changedSince.files).toEqual(["fraud-detector/alerts/extra.rules.yaml"]);
  });

  it("past the API's 3,000 files, asks git for the diff against the base commit", async () => {
    const api = await server();
    const repo = fleetPullRequest({ "fraud-detector/alerts/extra.rules.yaml": NEW_ALERT, "credit-scorer/NOTES.md": "x\n" });
    // The API lists 3,000 of them and stops, as GitHub's does; the real change is not among them.
    api.pullFiles.set(7, Array.from({ length: 3100 }, (_, i) => ({ filename: `generated/f-${String(i).padStart(4, "0")}.txt`, status: "added" })));
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "pull_request", event: pullRequestEvent(repo, { changedFiles: 2999 }), sha: repo.merge, inputs: { comment: "false", "check-run": "false", annotations: "false" } });
    expect(result.status, result.stderr).toBe(1);
    expect(api.requests).toHaveLength(30);
    const report = result.report;
    // From git: the API's list (generated/…) does not hold the real change.
    expect(report.changedSince).toMatchObject({ ref: "main", base: repo.base, files: ["fraud-detector/alerts/extra.rules.yaml"] });
    expect(report.findings.filter((f: any) => f.status === "open" && !f.preExisting).map((f: any) => f.file)).toContain("fraud-detector/alerts/extra.rules.yaml");
    expect(result.stdout).toContain("3,000");
  });
});

describe("the Action's signed attestation and secrets", () => {
  it("writes an attestation on push that verify accepts, masks the key and never prints it", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => cpSync(FLEET, dir, { recursive: true }), () => {});
    cleanup.push(repo.dir);
    const { execFileSync } = await import("node:child_process");
    const keys = join(repo.dir, "..", `${repo.dir.split("/").pop()}-keys`);
    cleanup.push(keys);
    execFileSync(process.execPath, [join(PACKAGE_ROOT, "lib", "cli", "main.js"), "keygen", "--alg", "ES256", "--out", keys]);
    const key = readFileSync(join(keys, "obsgate.key"), "utf8");
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: {}, sha: repo.merge, inputs: { "sign-key": key, paths: "fraud-detector" } });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const attestation = result.outputs["attestation-file"]!;
    expect(attestation).toBe(join(repo.dir, "obsgate.attestation.dsse.json"));
    const verified = execFileSync(process.execPath, [join(PACKAGE_ROOT, "lib", "cli", "main.js"), "verify", attestation, "--key", join(keys, "obsgate.pub"), "--root", repo.dir], { encoding: "utf8" });
    expect(verified).toMatch(/^valid: .* result PASSED/);
    const envelope = JSON.parse(readFileSync(attestation, "utf8"));
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
    // The evaluator is the bundle that ran.
    const bundleDigest = createHash("sha256").update(readFileSync(join(checkout, "dist", "index.js"))).digest("hex");
    expect(JSON.stringify(statement)).toContain(bundleDigest);
    expect(JSON.stringify(statement)).toContain(repo.merge);
    const printed = result.stdout + result.stderr;
    const keyLines = key.split("\n").filter((line) => line.trim().length >= 8);
    for (const line of keyLines) {
      expect(printed.split("\n").filter((l) => l.includes(line)).every((l) => l.startsWith("::add-mask::"))).toBe(true);
      expect(printed).toContain(`::add-mask::${line}`);
    }
    assertTokenOnlyMasked(printed);
  });

  it("refuses a bad input with a diagnostic and exit 2, writing nothing", async () => {
    const api = await server();
    const repo = pullRequestRepo((dir) => writeFiles(dir, { "rules/few.rules.yaml": alertsWithoutSummary(1) }), () => {});
    cleanup.push(repo.dir);
    const result = await runAction({ checkout, workspace: repo.dir, api, eventName: "push", event: {}, sha: repo.merge, inputs: { "fail-on": "sometimes", comment: "maybe" } });
    expect(result.status).toBe(2);
    expect(workflowCommands(result.stdout, "error")).toEqual([
      '::error title=obsgate::<action-inputs>:1:1: usage_error: input comment: "maybe" is not a boolean; use true or false',
      '::error title=obsgate::<action-inputs>:1:1: usage_error: input fail-on: "sometimes" is not one of error, warning, info, never',
    ]);
    expect(result.stderr).toBe("");
    expect(api.requests).toEqual([]);
    expect(result.outputs).toEqual({});
  });
});
