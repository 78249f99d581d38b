// The waivers file: `--waivers FILE`, else the file `.obsgate.yaml` names, else `waivers.yaml` at the
// repository root when there is one. It is run configuration, like `.obsgate.yaml`: a file that
// cannot be read, does not parse, breaks its schema (schemas/waivers.v1.schema.json), writes a date
// that does not exist or names a rule no policy defines stops the run with located `waiver_error`
// diagnostics (exit 2), because checking with half a list of accepted risks would mislead.
// Whether a waiver applies (expiry, horizon, waivable rules) is judged later, in src/policy/waivers.ts.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseUtcDate } from "../clock.js";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { DEFAULT_LIMITS, parseYamlDocuments, toRepoPath } from "../load/index.js";
import { decodeUtf8 } from "../load/text.js";
import { locate, validateDocument } from "../schema/index.js";
import type { Diagnostic, Position } from "../types.js";

export const WAIVERS_FILE_NAME = "waivers.yaml";

/** One entry of the waivers file, with where each part of it is written. */
export interface WaiverEntry {
  /** The waivers file, repository-relative. */
  file: string;
  /** The entry's JSON pointer in that file (`/waivers/3`) and its position. */
  pointer: string;
  line: number;
  column: number;
  rule: string;
  ruleAt: Position;
  /** The selector: every field given must match the finding. */
  model: string | null;
  target: string | null;
  targetPointer: string | null;
  owner: string;
  reason: string;
  ticket: string | null;
  /** `YYYY-MM-DD`, a real calendar date (checked here). */
  expires: string;
  expiresAt: Position;
}

export interface WaiversFile {
  /** Repository-relative path. */
  file: string;
  absolute: string;
  entries: WaiverEntry[];
}

/** The waivers file of a run (absolute), or null when there is none. */
export function findWaiversFile(explicit: string | undefined, configured: string | null, cwd: string, repoRoot: string): string | null {
  if (explicit !== undefined) {
    const absolute = resolve(cwd, explicit);
    if (!existsSync(absolute)) throw new DiagnosticError(diagnostic("waiver_error", `--waivers ${explicit}: no such file`));
    return absolute;
  }
  if (configured !== null) return configured;
  const atRoot = join(repoRoot, WAIVERS_FILE_NAME);
  return existsSync(atRoot) ? atRoot : null;
}

/** Reads and validates a waivers file; throws DiagnosticError with every located problem. */
export function readWaiversFile(absolute: string, repoRoot: string): WaiversFile {
  const file = toRepoPath(repoRoot, absolute);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    throw new DiagnosticError(
      diagnostic("waiver_error", `cannot read the waivers file: ${error instanceof Error ? error.message : String(error)}`, file),
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded)) throw new DiagnosticError(diagnostic("waiver_error", "the waivers file is not valid UTF-8", file, decoded.line, decoded.column));
  const parsed = parseWaivers(decoded.text, file);
  if ("diagnostics" in parsed) throw new DiagnosticError(parsed.diagnostics);
  return { file, absolute, entries: parsed.entries };
}

/** The entries of a waivers file's text, or every problem with it, located. */
export function parseWaivers(text: string, file: string): { entries: WaiverEntry[] } | { diagnostics: Diagnostic[] } {
  const fail = (line: number, column: number, message: string) => diagnostic("waiver_error", message, file, line, column);
  const parsed = parseYamlDocuments(text, DEFAULT_LIMITS);
  if ("failure" in parsed) {
    const { line, column, message, remediation } = parsed.failure;
    return { diagnostics: [fail(line, column, `${message}; ${remediation}`)] };
  }
  if (parsed.documents.length > 1) {
    const second = parsed.documents[1]!;
    return { diagnostics: [fail(second.start.line, second.start.column, "the waivers file must be a single YAML document")] };
  }
  const doc = parsed.documents[0];
  // An empty file, or `waivers: []`, waives nothing.
  if (!doc || doc.value === null) return { entries: [] };
  const violations = validateDocument("waivers", doc.value, doc.sourceMap);
  const diagnostics = violations.map((v) => fail(v.line, v.column, `${v.message}; ${v.remediation}`));

  // What the schema cannot say is checked too, on whatever entries have the shape, so one run lists every problem.
  const list = (doc.value as { waivers?: unknown }).waivers;
  const raw = Array.isArray(list) ? (list as unknown[]) : [];
  const entries: WaiverEntry[] = [];
  raw.forEach((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return;
    const w = item as Record<string, unknown>;
    const text = (field: string) => (typeof w[field] === "string" ? (w[field] as string) : null);
    const pointer = `/waivers/${i}`;
    const at = (field: string) => locate(doc.sourceMap, `${pointer}/${field}`);
    const entryAt = locate(doc.sourceMap, pointer);
    if (w.model === undefined && w.file === undefined) {
      diagnostics.push(fail(entryAt.line, entryAt.column, `the waiver of ${text("rule") ?? "its rule"} selects no finding: give a \`model\`, a \`file\`, or both`));
    }
    if (w.pointer !== undefined && w.file === undefined) {
      const p = at("pointer");
      diagnostics.push(fail(p.line, p.column, "`pointer` points into a file: give the `file` it points into"));
    }
    const expires = text("expires");
    if (expires !== null && /^\d{4}-\d{2}-\d{2}$/.test(expires) && parseUtcDate(expires) === null) {
      const e = at("expires");
      diagnostics.push(fail(e.line, e.column, `\`expires\` ${expires} is not a calendar date; write a real UTC date YYYY-MM-DD`));
    }
    entries.push({
      file,
      pointer,
      ...entryAt,
      rule: text("rule")!,
      ruleAt: at("rule"),
      model: text("model"),
      target: text("file"),
      targetPointer: text("pointer"),
      owner: text("owner")!,
      reason: text("reason")!,
      ticket: text("ticket"),
      expires: expires!,
      expiresAt: at("expires"),
    });
  });
  return diagnostics.length > 0 ? { diagnostics } : { entries };
}

/** A waiver of a rule no policy of this run defines is a mistake in the file (a typo), never a silent no-op. */
export function unknownRuleDiagnostics(waivers: WaiversFile, known: (id: string) => boolean): Diagnostic[] {
  return waivers.entries
    .filter((w) => !known(w.rule))
    .map((w) =>
      diagnostic("waiver_error", `unknown rule ${w.rule}: no policy of this run defines it; correct the id (\`obsgate rules\` lists them) or remove the waiver`,
        w.file, w.ruleAt.line, w.ruleAt.column),
    );
}
