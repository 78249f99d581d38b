// Stage 1, load: PATHs → files read within limits → YAML/JSON documents with source maps,
// each classified by content. Input: discovered files. Output: documents, file records, and
// INP-001 problems for files that cannot be read or parsed.
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import type { DocumentKind, FileRecord, InputProblem, SourceDocument } from "../types.js";
import { classifyDocument } from "./classify.js";
import type { DiscoveredFile } from "./discover.js";
import { scanIgnoreComments, type InlineIgnore } from "./ignores.js";
import type { InputLimits } from "./limits.js";
import { decodeUtf8 } from "./text.js";
import { parseYamlDocuments } from "./yaml.js";

export { discoverFiles, findGitRoot, repositoryRoot, toRepoPath, type DiscoveredFile } from "./discover.js";
export { DEFAULT_LIMITS, type InputLimits } from "./limits.js";
export { parseYamlDocuments, escapePointerToken } from "./yaml.js";
export { isObject, describeType, MANIFEST_API_VERSION, MANIFEST_KIND } from "./classify.js";
export { scanIgnoreComments, type InlineIgnore } from "./ignores.js";

export interface LoadedDocument extends SourceDocument {
  kind: DocumentKind;
  /** Where the document starts in its file. */
  start: { line: number; column: number };
  /** The absolute path it was read from, for resolving references relative to it. */
  absolute: string;
  /** Whether its file holds several documents (pointers into the file then name the document). */
  multiDocument: boolean;
}

export interface LoadResult {
  files: FileRecord[];
  documents: LoadedDocument[];
  problems: InputProblem[];
  /** `# obsgate:ignore` comments of the files that parsed: only these survive the file's text. */
  ignores: InlineIgnore[];
  /**
   * Repository-relative path → SHA-256 (lowercase hex) of the bytes read, for every file read whole
   * (not one over the size limit, unreadable, or not a regular file); empty unless asked for. The
   * digest is of the very bytes that were parsed, so a signed statement vouches for what was checked.
   */
  digests: Map<string, string>;
}

export interface LoadOptions {
  /** Hash each file's bytes as it is read (`check --attestation`, `gate`); off by default, as it costs time on large fleets. */
  digests?: boolean;
}

export function loadFiles(files: readonly DiscoveredFile[], limits: InputLimits, options: LoadOptions = {}): LoadResult {
  const documents: LoadedDocument[] = [];
  const loaded = loadEachFile(files, limits, options, (docs) => documents.push(...docs));
  return { ...loaded, documents };
}

/**
 * Loads files one at a time, handing each file's documents (and the bytes they were parsed from)
 * to `take`, which keeps what it needs of them: a fleet too large to hold parsed keeps only a
 * summary and the bytes, and parses a file again when its models are assembled (`reloadDocuments`).
 */
export function loadEachFile(
  files: readonly DiscoveredFile[],
  limits: InputLimits,
  options: LoadOptions,
  take: (documents: LoadedDocument[], file: DiscoveredFile, bytes: Buffer | null) => void,
): Omit<LoadResult, "documents"> {
  const result: Omit<LoadResult, "documents"> = { files: [], problems: [], ignores: [], digests: new Map() };
  for (const file of files) {
    const read = loadFile(file, limits, options);
    result.files.push(read.file);
    result.problems.push(...read.problems);
    if (read.ignores) result.ignores.push(...read.ignores);
    if (read.sha256 !== undefined) result.digests.set(read.file.path, read.sha256);
    take(read.documents, file, read.bytes ?? null);
  }
  return result;
}

/** A file's documents parsed again from the very bytes first read (so the same documents, and what was hashed is what is checked). */
export function reloadDocuments(file: DiscoveredFile, bytes: Buffer, limits: InputLimits): LoadedDocument[] {
  return parseFile(file, bytes, limits, false).documents;
}

interface FileLoad {
  file: FileRecord;
  documents: LoadedDocument[];
  problems: InputProblem[];
  /** Only when the file has `# obsgate:ignore` comments (most have none). */
  ignores?: InlineIgnore[];
  /** SHA-256 of the bytes read, when digests were asked for and the file was read whole. */
  sha256?: string;
  /** The bytes the documents were parsed from, when the file has documents. */
  bytes?: Buffer;
}

export function loadFile(file: DiscoveredFile, limits: InputLimits, options: LoadOptions = {}): FileLoad {
  const read = readWithinLimits(file, limits);
  if ("failure" in read) return read.failure;
  const load: FileLoad = parseFile(file, read.bytes, limits, true);
  if (load.documents.length > 0) load.bytes = read.bytes;
  // Hashed here, from the bytes just parsed: the file is never read a second time for its digest.
  if (options.digests === true) load.sha256 = createHash("sha256").update(read.bytes).digest("hex");
  return load;
}

function inputProblem(file: DiscoveredFile, line: number, column: number, message: string, remediation: string, pointer = ""): FileLoad {
  return {
    file: { path: file.path, kind: "unknown", status: "invalid", reason: message },
    documents: [],
    problems: [{ rule: "INP-001", file: file.path, line, column, pointer, message, remediation, model: null }],
  };
}

/** The file's bytes, or the INP-001 finding when it cannot be read whole within the limits. */
function readWithinLimits(file: DiscoveredFile, limits: InputLimits): { bytes: Buffer } | { failure: FileLoad } {
  const invalid = (message: string, remediation: string) => ({ failure: inputProblem(file, 1, 1, message, remediation) });
  let bytes: Buffer;
  try {
    const read = readRegularFile(file.absolute, limits.maxFileBytes);
    if (read === "not-a-file") return invalid("not a regular file", "point obsgate at YAML or JSON files");
    if (typeof read === "number") {
      return invalid(`file is ${read} bytes, over the limit of ${limits.maxFileBytes}`,
        "split the file, or raise limits.max-file-bytes in .obsgate.yaml");
    }
    bytes = read;
  } catch (error) {
    return invalid(`cannot read the file (${systemError(error)})`, "make the file readable, or exclude it in .obsgate.yaml");
  }
  if (bytes.length > limits.maxFileBytes) {
    return invalid(`file is ${bytes.length} bytes, over the limit of ${limits.maxFileBytes}`,
      "split the file, or raise limits.max-file-bytes in .obsgate.yaml");
  }
  return { bytes };
}

function parseFile(file: DiscoveredFile, bytes: Buffer, limits: InputLimits, scanIgnores: boolean): FileLoad {
  const invalid = (line: number, column: number, message: string, remediation: string): FileLoad =>
    inputProblem(file, line, column, message, remediation);
  const decoded = decodeUtf8(bytes);
  if (!("text" in decoded)) {
    return invalid(decoded.line, decoded.column, `invalid UTF-8 at byte ${decoded.byteOffset}`,
      "save the file as UTF-8");
  }
  if (decoded.text.trim() === "") {
    return { file: { path: file.path, kind: "unknown", status: "skipped", reason: "empty file" }, documents: [], problems: [] };
  }
  const parsed = parseYamlDocuments(decoded.text, limits);
  if ("failure" in parsed) {
    const { line, column, message, remediation } = parsed.failure;
    return invalid(line, column, message, remediation);
  }

  const documents: LoadedDocument[] = [];
  const problems: InputProblem[] = [];
  const skipReasons: string[] = [];
  const multi = parsed.documents.length > 1;
  for (const doc of parsed.documents) {
    const classification = classifyDocument(doc.value);
    if ("kind" in classification) {
      documents.push({
        file: file.path,
        index: doc.index,
        value: doc.value,
        sourceMap: doc.sourceMap,
        kind: classification.kind,
        start: doc.start,
        absolute: file.absolute,
        multiDocument: multi,
      });
    } else if ("unknownObsgateKind" in classification) {
      const at = doc.sourceMap.get("/kind") ?? doc.sourceMap.get("/apiVersion") ?? doc.start;
      problems.push({
        rule: "INP-002",
        file: file.path,
        ...at,
        pointer: documentPointer(multi, doc.index, "/kind"),
        message: `unknown obsgate kind ${classification.unknownObsgateKind}`,
        remediation: "use apiVersion: obsgate.dev/v1 with kind: ModelObservability",
        model: null,
      });
    } else {
      skipReasons.push(classification.skip);
    }
  }
  const kind = documents[0]?.kind ?? "unknown";
  const record: FileRecord =
    problems.length > 0
      ? { path: file.path, kind, status: "invalid", reason: problems[0]!.message }
      : documents.length > 0
        ? { path: file.path, kind, status: "evaluated" }
        : { path: file.path, kind: "unknown", status: "skipped", reason: skipReasons[0] ?? "no documents" };
  const ignores = scanIgnores ? scanIgnoreComments(decoded.text, file.path) : [];
  return { file: record, documents, problems, ...(ignores.length > 0 ? { ignores } : {}) };
}

/**
 * The bytes of a regular file within the size limit; its size when over; or "not-a-file". One open,
 * one fstat, one read, synchronously: for thousands of small files that is several times faster
 * than promises, and opening without blocking keeps a FIFO from stalling the run.
 */
function readRegularFile(absolute: string, maxBytes: number): Buffer | number | "not-a-file" {
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return "not-a-file";
    if (info.size > maxBytes) return info.size;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A pointer into the file as written; a file of several documents prefixes the document's index. */
export function documentPointer(multiDocument: boolean, index: number, pointer: string): string {
  return multiDocument ? `/${index}${pointer}` : pointer;
}

function systemError(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") {
    const messages: Record<string, string> = {
      ENOENT: "it does not exist or is a broken symbolic link",
      EACCES: "permission denied",
      EISDIR: "it is a directory",
      ELOOP: "too many symbolic links",
    };
    return messages[error.code] ?? error.code;
  }
  return error instanceof Error ? error.message : String(error);
}
