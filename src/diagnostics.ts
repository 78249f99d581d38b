// The one place that makes and prints located errors about how obsgate was run (flags, config,
// policies). Problems in the checked files are findings, not diagnostics (DESIGN.md).
import { compareStrings, type Diagnostic } from "./types.js";

/** Stable codes: scripts may match on them. */
export type DiagnosticCode =
  | "usage_error"
  | "config_error"
  | "waiver_error"
  | "policy_error"
  | "data_error"
  | "no_input"
  | "output_error"
  | "key_error"
  | "internal_error";

/** Where a diagnostic points when it is about the command line rather than a file. */
export const COMMAND_LINE = "<command-line>";

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  file = COMMAND_LINE,
  line = 1,
  column = 1,
): Diagnostic {
  return { code, message, file, line, column };
}

/** Thrown by any stage that cannot go on; the CLI prints it and exits 2. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join("\n"));
    this.name = "DiagnosticError";
    this.diagnostics = list;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`;
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.message, b.message),
  );
}
