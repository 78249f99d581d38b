// Backend config documents as the loader produces them, for the tests of the modules that read them
// (scrape.ts, collector.ts, long-term.ts): each classifies documents itself, by content.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { LoadedDocument } from "../../src/load/index.js";
import { DEFAULT_LIMITS } from "../../src/load/limits.js";
import { parseYamlDocuments } from "../../src/load/yaml.js";
import type { SectionOrigin } from "../../src/model/backend-reader.js";
import { locate } from "../../src/schema/index.js";
import type { DocumentKind } from "../../src/types.js";

export const BACKENDS = "test/fixtures/backends";

export function loadBackend(text: string, file: string): LoadedDocument[] {
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) throw new Error(`${file}: ${parsed.failure.message}`);
  const multiDocument = parsed.documents.length > 1;
  return parsed.documents.map((doc) => ({
    file,
    index: doc.index,
    value: doc.value,
    sourceMap: doc.sourceMap,
    kind: "unknown" as unknown as DocumentKind,
    start: doc.start,
    absolute: join("/repo", file),
    multiDocument,
  }));
}

export function backendFixture(name: string): LoadedDocument[] {
  return loadBackend(readFileSync(join(BACKENDS, name), "utf8"), `${BACKENDS}/${name}`);
}

/** The 1-based line of a fixture's first line containing `needle` (after the first containing `after`). */
export function fixtureLine(name: string, needle: string, after?: string): number {
  const lines = readFileSync(join(BACKENDS, name), "utf8").split("\n");
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (index === -1) throw new Error(`${needle} not in ${name}`);
  return index + 1;
}

/** The one origin recorded for `inputPointer`, with the line and column the policy stage locates it at. */
export function originOf(origins: readonly SectionOrigin[], inputPointer: string, docs: readonly LoadedDocument[]) {
  const found = origins.filter((o) => o.inputPointer === inputPointer);
  expect(found, `one origin for ${inputPointer}`).toHaveLength(1);
  const o = found[0]!;
  const doc = docs.find((d) => d.file === o.file && d.index === o.document)!;
  return { file: o.file, pointer: o.pointer, ...locate(doc.sourceMap, o.pointer) };
}
