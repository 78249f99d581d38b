// Every built-in rule, run end to end through the Wasm path on manifests written in their own
// syntax: each failing fixture states the findings it must produce (`# expect: RULE line:col
// severity`), each passing fixture must produce none of its rule.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { loadBuiltinPolicySet, type PolicySet } from "../../src/policy/index.js";

const root = packageRoot();
const fixtures = join(root, "test", "fixtures", "rules");
const ruleDirs = readdirSync(fixtures).sort();

async function findingsOf(file: string, rule: string): Promise<string[]> {
  const { report } = await runCheck({ paths: [file], cwd: root });
  return report.findings.filter((f) => f.rule === rule).map((f) => `${f.rule} ${f.line}:${f.column} ${f.severity}`);
}

function expectations(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("# expect: "))
    .map((line) => line.slice("# expect: ".length).trim());
}

describe("built-in rules through the Wasm path", () => {
  for (const rule of ruleDirs) {
    describe(rule, () => {
      it("reports exactly the expected findings on the failing fixture", async () => {
        const file = join(fixtures, rule, "failing.obsgate.yaml");
        const expected = expectations(file);
        expect(expected.length).toBeGreaterThan(0);
        expect((await findingsOf(file, rule)).sort()).toEqual(expected.sort());
      });
      it("reports nothing on the passing fixture", async () => {
        expect(await findingsOf(join(fixtures, rule, "passing.obsgate.yaml"), rule)).toEqual([]);
      });
    });
  }
});

describe("the built-in catalogue", () => {
  let builtin: PolicySet;
  beforeAll(async () => {
    builtin = await loadBuiltinPolicySet();
  });

  it("has failing and passing fixtures and a docs page for every rule it defines", () => {
    const ids = [...builtin.metadata.keys()].sort();
    expect(ids).toEqual(ruleDirs);
    for (const id of ids) {
      expect(existsSync(join(fixtures, id, "failing.obsgate.yaml")), `${id} failing fixture`).toBe(true);
      expect(existsSync(join(fixtures, id, "passing.obsgate.yaml")), `${id} passing fixture`).toBe(true);
      expect(existsSync(join(root, "docs", "rules", `${id}.md`)), `docs/rules/${id}.md`).toBe(true);
    }
  });

  it("gives every rule complete metadata that links to its page", () => {
    for (const [id, rule] of builtin.metadata) {
      expect(rule.id).toBe(id);
      expect(rule.family).toBe(id.slice(0, 3));
      expect(rule.docs).toBe(`docs/rules/${id}.md`);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.remediation.length).toBeGreaterThan(20);
    }
  });
});
