// Organisation data for users' policies (a registry of teams): the `--data` files (JSON or YAML)
// and a bundle's own data, merged at the root of `data` the way opa merges its data files: objects
// merge key by key, and any other value set twice is a conflict. obsgate's own `data.fleet` is
// added beside them at evaluation time, so `fleet` is reserved here.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { DEFAULT_LIMITS, escapePointerToken, parseYamlDocuments } from "../load/index.js";
import { decodeUtf8 } from "../load/text.js";
import type { Diagnostic, Position } from "../types.js";

export interface DataDocument {
  /** What diagnostics name: a repository-relative path, or `bundle.tar.gz!/data.json` for a bundle's member. */
  file: string;
  /** Where the document sits under `data`: [] for the root, `["a", "b"]` for a bundle's `a/b/data.json`. */
  at: string[];
  value: Record<string, unknown>;
  /** Line and column of a JSON pointer into `value`; 1:1 where unknown. */
  locate(pointer: string): Position;
  /** SHA-256 (hex) of a `--data` file's bytes as read, so the report and the attestation can name them; null for a bundle's member (the bundle's digest covers it). */
  sha256: string | null;
}

/** Top-level keys of `data` that obsgate fills itself: `fleet` is the fleet index, `obsgate` holds the policies' own rules. */
export const RESERVED_DATA_KEYS = ["fleet", "obsgate"] as const;

/** A data file can hold a larger registry than a checked file may be. */
const DATA_LIMITS = { ...DEFAULT_LIMITS, maxFileBytes: 64 * 1024 * 1024 };

/** Reads one `--data` file; `file` is its name in diagnostics. */
export function readDataFile(absolute: string, file: string): DataDocument {
  const fail = (message: string, at: Position = { line: 1, column: 1 }): never => {
    throw new DiagnosticError(diagnostic("data_error", message, file, at.line, at.column));
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (code ?? "unknown error");
    return fail(`cannot read the data file (${why}); pass a JSON or YAML file with --data`);
  }
  if (bytes.length > DATA_LIMITS.maxFileBytes) return fail(`the data file is ${bytes.length} bytes, over the limit of ${DATA_LIMITS.maxFileBytes}`);
  return { ...parseDataText(bytes, file, []), sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Parses JSON or YAML text holding one object; `at` places it under `data`. */
export function parseDataText(bytes: Uint8Array, file: string, at: string[]): DataDocument {
  const fail = (message: string, where: Position = { line: 1, column: 1 }): never => {
    throw new DiagnosticError(diagnostic("data_error", message, file, where.line, where.column));
  };
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded)) return fail("the data file is not valid UTF-8", decoded);
  const parsed = parseYamlDocuments(decoded.text, DATA_LIMITS);
  if ("failure" in parsed) return fail(`${parsed.failure.message}; ${parsed.failure.remediation}`, parsed.failure);
  if (parsed.documents.length > 1) return fail("a data file holds one document; split it into several --data files", parsed.documents[1]!.start);
  const doc = parsed.documents[0];
  const value = doc?.value ?? null;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`a data file holds an object (its keys become \`data.<key>\`), not ${value === null ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`}`, doc?.start);
  }
  const sourceMap = doc!.sourceMap;
  return {
    file,
    at,
    value: value as Record<string, unknown>,
    locate: (pointer) => sourceMap.get(pointer) ?? { line: 1, column: 1 },
    sha256: null,
  };
}

/**
 * Merges data documents in order into one `data` object. Every conflict, and every reserved key at
 * the root, is a diagnostic at the later document's key naming the earlier one; all are reported at once.
 */
export function mergeData(documents: readonly DataDocument[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  // Which document placed each path (joined by NUL), to name it in a conflict; and which objects
  // were already copied, so merging never writes into a document's own value.
  const owner = new Map<string, string>();
  const copied = new Set<string>();
  const problems: Diagnostic[] = [];

  const place = (target: Record<string, unknown>, key: string, value: unknown, path: string[], doc: DataDocument, pointer: string) => {
    const dataPath = [...path, key];
    const name = `data.${dataPath.join(".")}`;
    const existing = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (existing === undefined) {
      setOwn(target, key, value);
      owner.set(dataPath.join("\0"), doc.file);
      return;
    }
    if (isObject(existing) && isObject(value)) {
      const id = dataPath.join("\0");
      if (!copied.has(id)) setOwn(target, key, { ...existing });
      copied.add(id);
      for (const [k, v] of Object.entries(value)) {
        place(target[key] as Record<string, unknown>, k, v, dataPath, doc, `${pointer}/${escapePointerToken(k)}`);
      }
      return;
    }
    const earlier = ownerOf(owner, dataPath) ?? "another data document";
    const at = doc.locate(pointer);
    problems.push(diagnostic("data_error", `${name} is also set by ${earlier}; data documents merge objects key by key, and any other value may be set once`, doc.file, at.line, at.column));
  };

  for (const doc of documents) {
    // Walk down to where the document sits (a bundle's nested data.json), creating objects on the way.
    let target = merged;
    const path: string[] = [];
    let blocked = false;
    for (const segment of doc.at) {
      const next = Object.prototype.hasOwnProperty.call(target, segment) ? target[segment] : undefined;
      const id = [...path, segment].join("\0");
      if (next === undefined) setOwn(target, segment, {});
      else if (!isObject(next)) {
        problems.push(diagnostic("data_error", `data.${[...path, segment].join(".")} is not an object, so ${doc.file} cannot be placed under it`, doc.file));
        blocked = true;
        break;
      } else if (!copied.has(id)) setOwn(target, segment, { ...next });
      copied.add(id);
      path.push(segment);
      target = target[segment] as Record<string, unknown>;
    }
    if (blocked) continue;
    for (const [key, value] of Object.entries(doc.value)) {
      const pointer = `/${escapePointerToken(key)}`;
      if (path.length === 0 && (RESERVED_DATA_KEYS as readonly string[]).includes(key)) {
        const at = doc.locate(pointer);
        const why = key === "fleet" ? "obsgate sets data.fleet to the fleet index" : "data.obsgate holds the policies' own rules";
        problems.push(diagnostic("data_error", `data.${key} is reserved (${why}); put this under another key`, doc.file, at.line, at.column));
        continue;
      }
      place(target, key, value, path, doc, pointer);
    }
  }
  if (problems.length > 0) throw new DiagnosticError(problems);
  return merged;
}

/** The document that set a path: the nearest ancestor-or-self one document placed. */
function ownerOf(owner: ReadonlyMap<string, string>, path: string[]): string | null {
  for (let n = path.length; n > 0; n--) {
    const file = owner.get(path.slice(0, n).join("\0"));
    if (file !== undefined) return file;
  }
  return null;
}

/** Assignment would treat a `__proto__` key as the prototype; data keeps it as a key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
