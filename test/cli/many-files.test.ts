// A fleet has more files than a process may hold open at once (`ulimit -n` is often 1,024): obsgate
// reads them a few at a time, so none fails with EMFILE.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { CLI_PATH } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "obsgate-many-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("reads 600 files under an open-files limit of 128", () => {
  mkdirSync(join(dir, ".git"));
  for (let i = 0; i < 600; i++) writeFileSync(join(dir, `rules-${i}.yaml`), `groups:\n  - name: g${i}\n    rules: []\n`);
  const run = spawnSync("sh", ["-c", `ulimit -n 128 && exec "${process.execPath}" "${CLI_PATH}" inspect . --format json`], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  const view = JSON.parse(run.stdout) as { files: Array<{ status: string }> };
  expect(view.files).toHaveLength(600);
  expect(view.files.filter((f) => f.status !== "evaluated")).toEqual([]);
});
