// Golden scenarios: each file pins one command line, its exit status, stdout and stderr, run
// through the real built CLI. Regenerate after an intended change with
//   OBSGATE_UPDATE_GOLDEN=1 npx vitest run test/golden     (or: npm run golden:update)
// and review the diff like any other change.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { loadSchema } from "../../src/schema/index.js";
import { describeWith } from "../helpers/require.js";
import { validateSarif } from "../helpers/sarif.js";

const root = packageRoot();
const update = process.env.OBSGATE_UPDATE_GOLDEN === "1";

interface Scenario {
  name: string;
  args: string[];
}

const SCENARIOS: Scenario[] = [
  { name: "check-fleet-text", args: ["check", "examples/fleet"] },
  { name: "check-fleet-json", args: ["check", "examples/fleet", "--format", "json"] },
  { name: "check-fleet-sarif", args: ["check", "examples/fleet", "--format", "sarif"] },
  { name: "check-fleet-junit", args: ["check", "examples/fleet", "--format", "junit"] },
  { name: "check-fleet-markdown", args: ["check", "examples/fleet", "--format", "markdown"] },
  { name: "check-fleet-fail-on-never", args: ["check", "examples/fleet", "--fail-on", "never"] },
  { name: "check-compliant-model", args: ["check", "examples/fleet/fraud-detector"] },
  { name: "inspect-fleet-json", args: ["inspect", "examples/fleet", "--format", "json"] },
];

function runObsgate(args: string[]) {
  const result = spawnSync(process.execPath, [join(root, "lib", "cli", "main.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function render(scenario: Scenario, run: ReturnType<typeof runObsgate>): string {
  return `$ obsgate ${scenario.args.join(" ")}\nexit: ${run.status}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

describe("golden scenarios", () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const file = join(root, "test", "golden", `${scenario.name}.golden`);
      const actual = render(scenario, runObsgate(scenario.args));
      if (update) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, "utf8"));
    });
  }

  it("writes the same bytes on every run, in every format, to stdout and to files", () => {
    const first = runObsgate(["check", "examples/fleet", "-f", "json", "-f", "text", "-o", "/dev/null"]);
    const second = runObsgate(["check", "examples/fleet", "-f", "json", "-f", "text", "-o", "/dev/null"]);
    // Writing to a device writes through it: /dev/null is still the null device afterwards.
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.length).toBeGreaterThan(1000);
  });

  it("writes several formats in one run, each to its own file, with the same bytes as one at a time", () => {
    const dir = mkdtempSync(join(tmpdir(), "obsgate-formats-"));
    try {
      const run = runObsgate(["check", "examples/fleet", "-f", "json", "-o", join(dir, "r.json"), "-f", "sarif", "-o", join(dir, "r.sarif"), "-f", "junit", "-o", join(dir, "r.xml"), "-f", "markdown", "-o", join(dir, "r.md"), "-f", "text"]);
      expect(run.status).toBe(1);
      for (const [format, file] of [["json", "r.json"], ["sarif", "r.sarif"], ["junit", "r.xml"], ["markdown", "r.md"]] as const) {
        expect(readFileSync(join(dir, file), "utf8"), format).toBe(runObsgate(["check", "examples/fleet", "--format", format]).stdout);
      }
      expect(run.stdout).toBe(runObsgate(["check", "examples/fleet"]).stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes JSON that validates against schemas/report.v1.schema.json", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(loadSchema("report"));
    const report = JSON.parse(runObsgate(["check", "examples/fleet", "--format", "json"]).stdout);
    const valid = validate(report);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
  });
});

describeWith(["shared"], "golden SARIF", () => {
  it("validates against the SARIF 2.1.0 schema and GitHub's limits", () => {
    expect(validateSarif(runObsgate(["check", "examples/fleet", "--format", "sarif"]).stdout)).toEqual([]);
  });
});
