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
import { runCli } from "../helpers/cli.js";

describe("evaluation workers", () => {
  const out = mkdtempSync(join(tmpdir(), "obsgate-pool-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("give the same report, byte for byte, as the main thread on a generated fleet of 250 models", async () => {
    const fleet = (generateFleet(250, { outDir: out }) as { dir: string }).dir;
    const inThread = await runCheck({ paths: [fleet], cwd: fleet, failOn: "never", workers: 0 });
    expect(inThread.report.findings.length).toBeGreaterThan(250);
    const cli = await runCli(["check", fleet, "--format", "json", "--fail-on", "never"], { cwd: fleet, timeoutMs: 120_000 });
    expect(cli.stderr).toBe("");
    expect(cli.stdout).toBe(FORMATS.json(inThread.report));
  }, 240_000);
});
