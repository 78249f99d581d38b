// Pathological nesting: a file nested far deeper than any limit must fail alone, as a located
// failure at the first level over the limit, without taking the process down.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

describe("10,000-deep flow nesting", () => {
  it("fails with a located failure instead of throwing", () => {
    let result: ReturnType<typeof parseYamlDocuments> | undefined;
    expect(() => {
      result = parseYamlDocuments(deep(10_000), DEFAULT_LIMITS);
    }).not.toThrow();
    expect(result).toEqual({
      failure: {
        line: 1,
        // The 65th `[`: nesting is measured on yaml's iterative CST before its recursive composer runs.
        column: 65,
        message: "nesting deeper than 64 levels",
        remediation: "flatten the structure, or raise limits.max-depth in .obsgate.yaml",
      },
    });
  });
});

// Nesting is measured before `yaml`'s recursive composer runs: a stack overflow there once left V8
// unable to parse the next file ("FATAL ERROR: RegExpCompiler Allocation failed"), so two hostile
// files in one run aborted it. Run in a child process (the built lib/) so that a regression fails
// this test rather than the test worker.
describe("several deeply nested files in one process", () => {
  const dir = mkdtempSync(join(tmpdir(), "obsgate-deep-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails each of them without aborting the process", () => {
    const lib = (file: string) => JSON.stringify(pathToFileURL(join(packageRoot(), "lib", "load", file)).href);
    writeFileSync(
      join(dir, "driver.mjs"),
      [
        `import { parseYamlDocuments } from ${lib("yaml.js")};`,
        `import { DEFAULT_LIMITS } from ${lib("limits.js")};`,
        "for (const n of [1000, 3000, 10000, 10000]) {",
        '  const text = "[".repeat(n) + "]".repeat(n);',
        "  const result = parseYamlDocuments(text, DEFAULT_LIMITS);",
        '  console.log(n, "failure" in result ? result.failure.message : "parsed");',
        "}",
      ].join("\n"),
    );
    const run = spawnSync(process.execPath, [join(dir, "driver.mjs")], { encoding: "utf8", timeout: 60_000 });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    expect(run.stdout.trim().split("\n")).toEqual([
      "1000 nesting deeper than 64 levels",
      "3000 nesting deeper than 64 levels",
      "10000 nesting deeper than 64 levels",
      "10000 nesting deeper than 64 levels",
    ]);
  });
});
