// The Action's pure modules: inputs, the run's context, annotations and the review document.
import { describe, expect, it } from "vitest";
import { batches, checkAnnotations, checkConclusion, workflowAnnotations } from "../../src/github/annotations.js";
import { runContext } from "../../src/github/event.js";
import { parseInputs } from "../../src/github/inputs.js";
import { commentMarker, expiringWaivers, reproduceCommand } from "../../src/github/review.js";
import type { Report } from "../../src/report/index.js";
import type { Finding, WaiverRecord } from "../../src/types.js";
import { DiagnosticError } from "../../src/diagnostics.js";

function finding(over: Partial<Finding>): Finding {
  return { rule: "ALR-003", severity: "error", status: "open", model: "m", models: ["m"], message: "msg", file: "a.yaml", line: 1, column: 1, pointer: "", remediation: "fix", docs: "", fingerprint: "f", ...over };
}

describe("inputs", () => {
  it("applies action.yml's defaults to inputs passed empty, and splits lists by line", () => {
    const inputs = parseInputs((name) => ({ paths: "models\n\n  rules  \n", policy: "policies/a\npolicies/b" } as Record<string, string>)[name] ?? "");
    expect(inputs).toMatchObject({ paths: ["models", "rules"], policies: ["policies/a", "policies/b"], failOn: "error", comment: true, checkRun: true, annotations: true, onlyChanged: null, sarifFile: "obsgate.sarif", signKey: undefined });
  });

  it("reports every bad input at once", () => {
    const parse = () => parseInputs((name) => ({ "fail-on": "high", annotations: "yes", "only-changed": "False" } as Record<string, string>)[name] ?? "");
    expect(parse).toThrow(DiagnosticError);
    try {
      parse();
    } catch (error) {
      expect((error as DiagnosticError).diagnostics.map((d) => d.message)).toEqual([
        'input annotations: "yes" is not a boolean; use true or false',
        'input fail-on: "high" is not one of error, warning, info, never',
      ]);
    }
  });
});

describe("the run's context", () => {
  const env = { GITHUB_EVENT_NAME: "pull_request", GITHUB_REPOSITORY: "o/r", GITHUB_SHA: "merge", GITHUB_SERVER_URL: "https://ghe.example.com/", GITHUB_API_URL: "https://ghe.example.com/api/v3" };
  const payload = { pull_request: { number: 3, changed_files: 2, head: { sha: "head", repo: { full_name: "fork/r" } }, base: { sha: "base", ref: "main", repo: { full_name: "o/r" } } } };

  it("takes the pull request's head commit, not GITHUB_SHA's merge commit, and a GitHub Enterprise Server's URLs", () => {
    expect(runContext(env, payload)).toMatchObject({ sha: "head", serverUrl: "https://ghe.example.com", apiUrl: "https://ghe.example.com/api/v3", pullRequest: { number: 3, headSha: "head", baseSha: "base", baseRef: "main", fromFork: true } });
    expect(runContext({ ...env, GITHUB_EVENT_NAME: "push" }, {})).toMatchObject({ sha: "merge", pullRequest: null });
  });

  it("refuses a pull request event without its payload", () => {
    expect(() => runContext(env, {})).toThrow(/has no pull_request/);
  });
});

describe("annotations", () => {
  const report = (findings: Finding[], result: Report["result"]) => ({ findings, result }) as Report;

  it("concludes failure, neutral or success from the report", () => {
    expect(checkConclusion(report([finding({})], "failed"))).toBe("failure");
    expect(checkConclusion(report([finding({ severity: "warning" })], "passed"))).toBe("neutral");
    expect(checkConclusion(report([finding({ status: "waived" })], "passed"))).toBe("success");
  });

  it("puts check-run annotations most severe first, pre-existing ones as notices, under the checked root's folder", () => {
    const annotations = checkAnnotations([finding({ severity: "info", line: 1 }), finding({ line: 2, preExisting: true }), finding({ severity: "warning", line: 3 }), finding({ line: 4 }), finding({ line: 5, status: "waived" })], "sub/");
    expect(annotations.map((a) => `${a.annotation_level} ${a.path}:${a.start_line}`)).toEqual(["failure sub/a.yaml:4", "warning sub/a.yaml:3", "notice sub/a.yaml:2", "notice sub/a.yaml:1"]);
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("keeps at most 10 workflow-command annotations per type, the last pointing to the rest", () => {
    const findings = [...Array.from({ length: 12 }, (_, i) => finding({ line: i + 1 })), ...Array.from({ length: 3 }, (_, i) => finding({ severity: "warning", line: i + 1 }))];
    const out = workflowAnnotations(findings, "", "the job summary");
    expect(out.filter((a) => a.type === "error")).toHaveLength(10);
    expect(out.filter((a) => a.type === "error")[9]).toEqual({ type: "error", title: "obsgate", message: "3 more error annotations not shown (GitHub shows 10 per type): see the job summary" });
    expect(out.filter((a) => a.type === "warning")).toHaveLength(3);
    expect(workflowAnnotations(Array.from({ length: 10 }, (_, i) => finding({ line: i + 1, severity: "info" })), "", "x", { notice: 9 }).filter((a) => a.file)).toHaveLength(8);
  });
});

describe("the review document", () => {
  it("lists applied waivers that end within 14 days, soonest first", () => {
    const waiver = (expires: string | null, status: WaiverRecord["status"] = "applied"): WaiverRecord => ({ source: "file", file: "waivers.yaml", line: 1, column: 1, rule: "ALR-003", selector: { model: "m", file: null, pointer: null, line: null }, owner: "o", reason: "r", ticket: null, expires, status, findings: 1 });
    const now = new Date("2026-11-22T12:00:00Z");
    expect(expiringWaivers([waiver("2026-12-06"), waiver("2026-11-22"), waiver("2026-12-07"), waiver(null), waiver("2026-11-23", "unused"), waiver("2026-11-21")], now).map((w) => [w.expires, w.daysLeft])).toEqual([["2026-11-22", 0], ["2026-12-06", 14]]);
  });

  it("gives a command line that reproduces the run, quoted for a shell", () => {
    expect(reproduceCommand({ workingDirectory: "ml models", paths: ["."], config: "ci/obsgate.yaml", policies: ["pol"], failOn: "warning", changedSince: "origin/main" })).toBe(
      "cd 'ml models' && obsgate check . --config ci/obsgate.yaml --policy pol --fail-on warning --changed-since origin/main",
    );
    expect(commentMarker(undefined)).toBe("<!-- obsgate:pr-comment -->");
    expect(commentMarker("a-->b")).toBe("<!-- obsgate:pr-comment:a_b -->");
  });
});

describe("src/github/", () => {
  it("is the only place that imports octokit or @actions/*", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join, relative } = await import("node:path");
    const { PACKAGE_ROOT } = await import("../helpers/cli.js");
    const src = join(PACKAGE_ROOT, "src");
    const importers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith(".ts") && /from "(@octokit\/|@actions\/|octokit")/.test(readFileSync(path, "utf8"))) importers.push(relative(src, path));
      }
    };
    walk(src);
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((path) => !path.startsWith("github/"))).toEqual([]);
  });
});
