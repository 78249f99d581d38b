// Reading values out of backend configs the way the backends read them, shared by the modules that
// turn those configs into ModelInput fields (retention.ts, scrape.ts, collector.ts): durations in a
// backend's own syntax, whole-number limits, a container's argv, and, for each value, where it was
// read. A value a backend would refuse is an INP-002 problem located at its line; it then counts as
// unset, so the rest of the config is still read. Pure: no I/O.
import { documentPointer, escapePointerToken, type LoadedDocument } from "../load/index.js";
import { isObject } from "../load/values.js";
import { locate } from "../schema/index.js";
import { compareStrings, type InputProblem } from "../types.js";
import { durationSeconds } from "./duration.js";
import { goDurationSeconds } from "./go-duration.js";

export const DAY = 86_400;
export const HOUR = 3_600;

export type Syntax = "prometheus" | "go";

export const ACCEPTED: Record<Syntax, string> = {
  prometheus:
    "a Prometheus duration: whole numbers with units, largest first, from y, w, d, h, m, s, ms (such as 720h, 30d, 4w or 1d12h), or 0",
  go: "a Go duration: numbers with units from h, m, s, ms, us, ns, and no d, w or y (such as 336h, 1h30m or 1.5h), or 0",
};

/** A value read from a document, with where it was read. */
export interface Located<T> {
  value: T;
  doc: LoadedDocument;
  pointer: string;
}

/** Where one field of a ModelInput section came from. */
export interface SectionOrigin {
  /** Relative to the section the module fills (`/effective/logs` under `/retention`, `/jobs/0` under `/scrape`). */
  inputPointer: string;
  file: string;
  /** Index of the document within its file. */
  document: number;
  /** JSON pointer into that document: the setting, or where it would be written when defaulted. */
  pointer: string;
}

export class Reader {
  readonly problems: InputProblem[] = [];
  readonly origins: SectionOrigin[] = [];

  problem(doc: LoadedDocument, pointer: string, message: string, remediation: string): void {
    this.problems.push({
      rule: "INP-002",
      file: doc.file,
      ...locate(doc.sourceMap, pointer),
      pointer: documentPointer(doc.multiDocument, doc.index, pointer),
      message,
      remediation,
      model: null,
    });
  }

  /**
   * Records where a ModelInput field came from: the setting's pointer, even when the setting is
   * missing (a default). Each finding about a setting keeps a pointer, and so a fingerprint, of its
   * own; its line is the nearest one that exists.
   */
  origin(inputPointer: string, doc: LoadedDocument, pointer: string): void {
    this.origins.push({ inputPointer, file: doc.file, document: doc.index, pointer });
  }

  /** Problems in file and line order, so that output does not depend on the order configs were read. */
  sortedProblems(): InputProblem[] {
    return [...this.problems].sort(
      (a, b) => compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.message, b.message),
    );
  }

  /**
   * Seconds in the duration at `pointer`, or undefined when it is absent (missing or empty) or
   * refused (reported here). `setting` names it in the backend's words for the message.
   */
  duration(doc: LoadedDocument, pointer: string, syntax: Syntax, setting: string, backend: string): number | undefined {
    const value = valueAt(doc.value, pointer);
    if (value === undefined || value === null) return undefined;
    return this.durationText(doc, pointer, value, syntax, setting, backend);
  }

  /** The same for a value already in hand (a flag's argument), located at `pointer`. */
  durationText(doc: LoadedDocument, pointer: string, value: unknown, syntax: Syntax, setting: string, backend: string): number | undefined {
    const text = typeof value === "string" ? value.trim() : typeof value === "number" && Number.isInteger(value) ? String(value) : null;
    const seconds = text === null ? null : syntax === "go" ? goDurationSeconds(text) : durationSeconds(text);
    if (seconds === null) {
      this.problem(doc, pointer, `\`${setting}\` is ${show(value)}, which ${backend} does not read as a duration; it takes ${ACCEPTED[syntax]}`,
        `write ${setting} as ${ACCEPTED[syntax]}`);
      return undefined;
    }
    if (seconds < 0) {
      this.problem(doc, pointer, `\`${setting}\` is ${show(value)}, a negative duration`, `write a positive duration, such as ${syntax === "go" ? "336h" : "30d"}`);
      return undefined;
    }
    return seconds;
  }

  /**
   * The whole number ≥ 0 at `pointer` (a scrape limit), or undefined when absent or refused
   * (reported here: the backend decodes it into an unsigned integer and refuses anything else).
   */
  count(doc: LoadedDocument, pointer: string, setting: string, backend: string): number | undefined {
    const value = valueAt(doc.value, pointer);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    this.problem(doc, pointer, `\`${setting}\` is ${show(value)}, which ${backend} does not read as a whole number of 0 or more`,
      `write ${setting} as a whole number, such as 10000 (0 means no limit)`);
    return undefined;
  }
}

export function show(value: unknown): string {
  return typeof value === "string" ? `\`${value}\`` : JSON.stringify(value) ?? String(value);
}

export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    else if (isObject(node)) node = Object.hasOwn(node, token) ? node[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

export function has(root: unknown, pointer: string): boolean {
  return valueAt(root, pointer) !== undefined;
}

export function ptr(...tokens: Array<string | number>): string {
  return tokens.map((t) => `/${escapePointerToken(String(t))}`).join("");
}

export function formatSeconds(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY}d`;
  if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
  return `${seconds}s`;
}

/** A name as a setting path shows it: `risk`, or `"team a"` when it needs quoting. */
export function tenantName(tenant: string): string {
  return /^[\w-]+$/.test(tenant) ? tenant : JSON.stringify(tenant);
}

// ---------------------------------------------------------------------------------------------
// A container's command line, as Kubernetes runs it.

/** One argv word and the list item it was read from. */
export interface ArgWord {
  word: string;
  pointer: string;
}

export type Env = Map<string, string | null>;

/**
 * The argv Kubernetes passes (`command` then `args`, one word per list item); a shell script
 * (`sh -c "exec prometheus …"`) is split into its words, all located at the script's item.
 */
export function containerWords(container: Record<string, unknown>, containerPointer: string): ArgWord[] {
  const words: ArgWord[] = [];
  for (const field of ["command", "args"]) {
    const list = container[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (typeof item === "string") words.push({ word: item, pointer: `${containerPointer}/${field}/${i}` });
    });
  }
  if (words.length >= 3 && /^(?:\S*\/)?(?:sh|bash|ash|dash)$/.test(words[0]!.word) && words[1]!.word === "-c") {
    const script = words[2]!;
    words.splice(2, 1, ...script.word.trim().split(/\s+/).map((word) => ({ word, pointer: script.pointer })));
  }
  return words;
}

/** A container's literal `env` values; null for a variable whose value comes from elsewhere (`valueFrom`). */
export function containerEnv(container: Record<string, unknown>): Env {
  const env: Env = new Map();
  if (!Array.isArray(container.env)) return env;
  for (const entry of container.env) {
    if (!isObject(entry) || typeof entry.name !== "string") continue;
    env.set(entry.name, typeof entry.value === "string" ? entry.value : entry.value === undefined && !entry.valueFrom ? "" : null);
  }
  return env;
}

/** Kubernetes `$(VAR)` expansion (`$$` escapes); null when a variable's value is not in the file. */
export function substituteEnv(text: string, env: Env): string | null {
  let unknown = false;
  const out = text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    if (!env.has(name)) return match; // Kubernetes leaves it as written; the program then refuses it
    const value = env.get(name)!;
    if (value === null) unknown = true;
    return value ?? "";
  });
  return unknown ? null : out;
}

/** A flag found in argv: its value as written, located at the word holding it. */
export interface FlagValue {
  name: string;
  /** The value, or null when the flag has none (`--flag` last, or followed by another `--flag`). */
  value: string | null;
  /** The word holding the value (`--flag=value`, or the word after `--flag`), else the flag's own. */
  pointer: string;
}

/**
 * Every occurrence of the named flags, in order, in both `--flag=value` and `--flag value` forms.
 * A flag followed by another `--flag`, or by nothing, has no value.
 */
export function findFlags(words: readonly ArgWord[], names: readonly string[]): FlagValue[] {
  const found: FlagValue[] = [];
  for (let i = 0; i < words.length; i++) {
    const { word, pointer } = words[i]!;
    const equals = word.indexOf("=");
    const name = equals === -1 ? word : word.slice(0, equals);
    if (!names.includes(name)) continue;
    if (equals !== -1) {
      found.push({ name, value: word.slice(equals + 1), pointer });
    } else if (words[i + 1] && !words[i + 1]!.word.startsWith("--")) {
      found.push({ name, value: words[i + 1]!.word, pointer: words[i + 1]!.pointer });
      i++;
    } else {
      found.push({ name, value: null, pointer });
    }
  }
  return found;
}
