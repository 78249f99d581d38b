// Every built-in rule, run end to end through the Wasm path on inputs written in their own syntax.
// Each rule has a failing and a passing case, each either one manifest (`failing.obsgate.yaml`) or
// a folder (`failing/`) holding a manifest and the rule files and backend configs it names. Every
// failing case states the findings it must produce as `# expect: RULE line:col severity` comments
// in the file they are about (in a folder, compared as `RULE file:line:col severity`, the file
// relative to the folder); every passing case must produce none of its rule.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCheck } from "../../src/pipeline.js";
import { loadBuiltinPolicySet, type PolicySet } from "../../src/policy/index.js";

const root = packageRoot();
const fixtures = join(root, "test", "fixtures", "rules");
const ruleDirs = readdirSync(fixtures).sort();

type CaseName = "failing" | "passing";

interface Case {
  /** The manifest, or the folder obsgate is run on. */
  path: string;
  folder: boolean;
}

const EXPECT = "# expect: ";
const EXPECTATION = /^(\S+) (\d+:\d+) (error|warning|info)$/;
const YAML_FILE = /\.ya?ml$/;

/** A rule's failing or passing case: exactly one of `<name>.obsgate.yaml` and `<name>/`. */
function fixtureCase(rule: string, name: CaseName): Case {
  const file = join(fixtures, rule, `${name}.obsgate.yaml`);
  const folder = join(fixtures, rule, name);
  const hasFile = existsSync(file);
  const hasFolder = existsSync(folder) && statSync(folder).isDirectory();
  if (hasFile && hasFolder) throw new Error(`${rule} has both ${name}.obsgate.yaml and ${name}/: keep one`);
  if (hasFolder) return { path: folder, folder: true };
  if (hasFile) return { path: file, folder: false };
  throw new Error(`${rule} has no ${name} case: add ${name}.obsgate.yaml or a ${name}/ folder`);
}

/** The YAML files under a folder, sorted, as paths relative to it with `/` separators. */
function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((entry) => entry.split(sep).join("/"))
    .filter((entry) => YAML_FILE.test(entry) && statSync(join(folder, entry)).isFile())
    .sort();
}

/** `# expect:` lines of one file, each `RULE line:col severity`, prefixed with `file:` when given. */
function expectationsIn(path: string, file: string | null): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.startsWith(EXPECT))
    .map((line) => {
      const body = line.slice(EXPECT.length).trim();
      const match = EXPECTATION.exec(body);
      if (!match) throw new Error(`${path}: malformed expectation "${line.trim()}" (want: ${EXPECT}RULE line:col severity)`);
      const [, rule, at, severity] = match;
      return file === null ? body : `${rule} ${file}:${at} ${severity}`;
    });
}

function expectations(c: Case): string[] {
  if (!c.folder) return expectationsIn(c.path, null);
  return yamlFiles(c.path).flatMap((file) => expectationsIn(join(c.path, file), file));
}

async function findingsOf(c: Case, rule: string): Promise<string[]> {
  const { report, inputs } = await runCheck({ paths: [c.path], cwd: root });
  return report.findings
    .filter((f) => f.rule === rule)
    .map((f) => {
      if (!c.folder) return `${f.rule} ${f.line}:${f.column} ${f.severity}`;
      const file = relative(c.path, join(inputs.repoRoot, f.file)).split(sep).join("/");
      return `${f.rule} ${file}:${f.line}:${f.column} ${f.severity}`;
    });
}

describe("built-in rules through the Wasm path", () => {
  for (const rule of ruleDirs) {
    describe(rule, () => {
      it("reports exactly the expected findings on the failing case", async () => {
        const failing = fixtureCase(rule, "failing");
        const expected = expectations(failing);
        expect(expected.length).toBeGreaterThan(0);
        expect((await findingsOf(failing, rule)).sort()).toEqual(expected.sort());
      });
      it("reports nothing on the passing case", async () => {
        expect(await findingsOf(fixtureCase(rule, "passing"), rule)).toEqual([]);
      });
    });
  }
});

describe("the built-in catalogue", () => {
  let builtin: PolicySet;
  beforeAll(async () => {
    builtin = await loadBuiltinPolicySet();
  });

  it("has failing and passing cases and a docs page for every rule it defines", () => {
    const ids = [...builtin.metadata.keys()].sort();
    expect(ids).toEqual(ruleDirs);
    for (const id of ids) {
      for (const name of ["failing", "passing"] as const) {
        const c = fixtureCase(id, name);
        if (c.folder) expect(yamlFiles(c.path).length, `${id} ${name}/ holds no YAML file`).toBeGreaterThan(0);
      }
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
