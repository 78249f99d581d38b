// Evaluation in worker threads (a fleet of more than one batch, through the built CLI) reports
// exactly what evaluation in the main thread reports: one evaluation path, wherever it runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: the benchmark's generator is plain JavaScript without declarations.
import { generateFleet } from "../../bench/generate.mjs";
import { runCheck } from "../../src/pipeline.js";
import { FORMATS } from "../../src/report/formats.js";
import { PACKAGE_ROOT, runCli } from "../helpers/cli.js";
import { describeWith } from "../helpers/require.js";

const out = mkdtempSync(join(tmpdir(), "obsgate-pool-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const fleetOf = (n: number) => (generateFleet(n, { outDir: out }) as { dir: string }).dir;

describe("evaluation workers", () => {
  it("give the same report, byte for byte, as the main thread on a generated fleet of 250 models", async () => {
    const fleet = fleetOf(250);
    const inThread = await runCheck({ paths: [fleet], cwd: fleet, failOn: "never", workers: 0 });
    expect(inThread.report.findings.length).toBeGreaterThan(250);
    const cli = await runCli(["check", fleet, "--format", "json", "--fail-on", "never"], { cwd: fleet, timeoutMs: 120_000 });
    expect(cli.stderr).toBe("");
    expect(cli.stdout).toBe(FORMATS.json(inThread.report));
  }, 240_000);
});

describeWith(["opa"], "evaluation workers with a user's policy", () => {
  it("evaluate a folder of Rego, with its --data, as the main thread does", async () => {
    const fleet = fleetOf(250);
    const policy = join(PACKAGE_ROOT, "examples", "custom-policy");
    const data = join(policy, "teams.yaml");
    const env = { ...process.env, OBSGATE_CACHE_DIR: join(out, "cache") };
    const inThread = await runCheck({ paths: [fleet], cwd: fleet, failOn: "never", policies: [policy], data: [data], env, workers: 0 });
    expect(inThread.report.findings.filter((f) => f.rule === "ORG-001").length).toBeGreaterThan(0);
    const cli = await runCli(["check", fleet, "--policy", policy, "--data", data, "--format", "json", "--fail-on", "never"],
      { cwd: fleet, env: { OBSGATE_CACHE_DIR: join(out, "cache") }, timeoutMs: 120_000 });
    expect(cli.stderr).toBe("");
    expect(cli.stdout).toBe(FORMATS.json(inThread.report));
  }, 240_000);
});
