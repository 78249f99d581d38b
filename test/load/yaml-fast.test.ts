// The fast path (js-yaml) must give exactly what the reference path (`yaml`) gives, or decline.
// Held to that on every YAML and JSON file the repository and ../shared hold, and on generated text.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlFast } from "../../src/load/yaml-fast.js";
import { parseYamlReference } from "../../src/load/yaml.js";
import { describeWith, SHARED_DIR } from "../helpers/require.js";
import { prng } from "../helpers/random.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SHARED = SHARED_DIR;

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => /\.(ya?ml|json)$/.test(p))
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** Agreement on one text; returns whether the fast path answered. */
function agree(text: string, label: string): boolean {
  const fast = parseYamlFast(text, DEFAULT_LIMITS);
  if (fast === null) return false;
  const reference = parseYamlReference(text, DEFAULT_LIMITS);
  expect("documents" in reference, `${label}: the fast path read a file the reference refuses`).toBe(true);
  if (!("documents" in reference)) return true;
  expect(fast.map((d) => d.index), label).toEqual(reference.documents.map((d) => d.index));
  fast.forEach((doc, i) => {
    const ref = reference.documents[i]!;
    expect(doc.value, label).toStrictEqual(ref.value);
    expect(Object.fromEntries(doc.sourceMap), label).toEqual(Object.fromEntries(ref.sourceMap));
    expect([...doc.sourceMap.keys()], `${label}: pointer order`).toEqual([...ref.sourceMap.keys()]);
    expect(doc.start, label).toEqual(ref.start);
  });
  return true;
}

describe("fast YAML path", () => {
  it("agrees with the reference on every file of the repository's fixtures and examples, and reads the fleet itself", () => {
    const files = [...yamlFiles(join(ROOT, "test", "fixtures")), ...yamlFiles(join(ROOT, "examples"))];
    expect(files.length).toBeGreaterThan(100);
    let answered = 0;
    for (const file of files) if (agree(readFileSync(file, "utf8"), relative(ROOT, file))) answered++;
    // Most inputs are plain YAML: if the fast path declined them, it would be dead weight.
    const fleet = yamlFiles(join(ROOT, "examples", "fleet"));
    const fleetAnswered = fleet.filter((f) => parseYamlFast(readFileSync(f, "utf8"), DEFAULT_LIMITS) !== null);
    expect(fleetAnswered).toEqual(fleet);
    expect(answered).toBeGreaterThan(files.length / 2);
  });

  it("declines what only the reference reads faithfully", () => {
    const cases = [
      "a: &x 1\nb: *x\n",
      "base: &b {x: 1}\nc:\n  <<: *b\n",
      "a: !!str 1\n",
      "? [a, b]\n: 1\n",
      "a: 1\na: 2\n",
      "---\n---\na: 1\n",
      "- a\n-\n- b\n",
      "a: [1, 2\n",
      "null\n",
      `${"[".repeat(70)}${"]".repeat(70)}\n`,
    ];
    for (const text of cases) expect(parseYamlFast(text, DEFAULT_LIMITS), JSON.stringify(text)).toBeNull();
  });

  it("agrees on scalars of every core-schema form, keys that are not strings, comments and flow collections", () => {
    const scalars = ["1", "-0", "+12", "0o17", "0x1F", "0b101", "1_000", "1.5", "1.50", ".5", "+.5", "1e3", "1.0e+3", "-.inf", ".NaN",
      "true", "True", "TRUE", "yes", "no", "on", "~", "null", "Null", "NULL", "", "2024-01-01", "12:30", "0.", "1.2.3", "0x", "'1'", "\"2\"",
      "\"a\\tb\\u00e9\"", "'it''s'", "|\n  line\n  two\n", ">\n  folded\n  text\n\n  more\n", "|-\n  x\n", "plain text  # comment"];
    for (const s of scalars) {
      agree(`value: ${s}\n`, s);
      agree(`- ${s}\n`, `item ${s}`);
      if (!s.includes("\n") && !s.includes("#") && s !== "") agree(`${s}: key\n`, `key ${s}`);
    }
    agree("# head\n\n---\nspec:  # trailing\n  # between\n  a:\n    - {b: 1, c: [x, 'y', {d: e}]}\n    -   z\n  e:\n  f: g\n", "comments and flow");
    agree("a: 1\r\nb:\r\n  - c\r\n", "CRLF");
    agree('{"groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up == 0"}]}], "x/y": {"~": null}}', "JSON");
    agree("a: 1\n---\nb: 2\n...\n---\nc: [3]\n", "several documents");
  });

  it("agrees on generated documents of random shape", () => {
    const random = prng(20261122);
    const word = () => ["a", "b/c", "d~e", "1", "true", "x y", "k", "null", "0o7", "é"][Math.floor(random() * 10)]!;
    const scalar = () => ["1", "2.5", "'q'", "\"d\"", "text", "true", "~", "-3", ".inf", "a b"][Math.floor(random() * 10)]!;
    const block = (depth: number, indent: string): string => {
      const kind = depth > 3 ? 2 : Math.floor(random() * 3);
      const n = 1 + Math.floor(random() * 3);
      if (kind === 0) return Array.from({ length: n }, (_, i) => `${indent}${word()}${i}: ${random() < 0.5 ? scalar() : `\n${block(depth + 1, `${indent}  `)}`}`).join("\n");
      if (kind === 1) return Array.from({ length: n }, () => `${indent}- ${random() < 0.5 ? scalar() : `\n${block(depth + 1, `${indent}  `)}`}`).join("\n");
      return `${indent}flow${depth}: {${Array.from({ length: n }, (_, i) => `k${i}: [${scalar()}, ${scalar()}]`).join(", ")}}`;
    };
    let answered = 0;
    for (let i = 0; i < 300; i++) {
      const text = `root:\n${block(0, "  ")}\n`;
      if (agree(text, text)) answered++;
    }
    // Null items (`- ~`) are left to the reference by design; the rest should be answered.
    expect(answered).toBeGreaterThan(150);
  });
});

describeWith(["shared"], "fast YAML path on ../shared", () => {
  it("agrees with the reference on every rule file of the corpus and every example", () => {
    const files = [...yamlFiles(join(SHARED, "corpus")), ...yamlFiles(join(SHARED, "examples"))];
    expect(files.length).toBeGreaterThan(20);
    let answered = 0;
    for (const file of files) if (agree(readFileSync(file, "utf8"), relative(SHARED, file))) answered++;
    expect(answered).toBeGreaterThan(files.length / 2);
  });
});
