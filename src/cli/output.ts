// Where each format goes: `--format F` may repeat, each `--output FILE` belongs to the `--format`
// before it, and at most one format goes to stdout. Files are written whole or not at all.
import { linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DiagnosticError, diagnostic } from "../diagnostics.js";

export interface OutputTarget<F extends string> {
  format: F;
  /** null: stdout. */
  file: string | null;
}

const FORMAT_FLAGS = new Set(["--format", "-f"]);
const OUTPUT_FLAGS = new Set(["--output", "-o"]);

/** Pairs formats and outputs in the order they stand on the command line. */
export function pairFormatsWithOutputs<F extends string>(
  args: readonly string[],
  isFormat: (name: string) => name is F,
  defaultFormat: F,
): OutputTarget<F>[] {
  const targets: OutputTarget<F>[] = [];
  const usage = (index: number, message: string): never => {
    throw new DiagnosticError(diagnostic("usage_error", message, "<command-line>", 1, index + 1));
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const isFormatFlag = FORMAT_FLAGS.has(flag);
    const isOutputFlag = OUTPUT_FLAGS.has(flag);
    if (!isFormatFlag && !isOutputFlag) continue;
    const value = inline ?? args[++i];
    if (value === undefined) usage(i - 1, `${flag} needs a value`);
    if (isFormatFlag) {
      if (!isFormat(value!)) usage(i, `unknown format "${value}"`);
      targets.push({ format: value as F, file: null });
    } else {
      const last = targets.at(-1);
      if (!last) usage(i, `${flag} ${value} must follow the --format it belongs to (e.g. --format json --output ${value})`);
      if (last!.file !== null) usage(i, `--format ${last!.format} already has an --output; give another --format first`);
      last!.file = value!;
    }
  }
  if (targets.length === 0) targets.push({ format: defaultFormat, file: null });
  const toStdout = targets.filter((t) => t.file === null);
  if (toStdout.length > 1) {
    throw new DiagnosticError(
      diagnostic("usage_error", `only one format can go to stdout, but ${toStdout.map((t) => t.format).join(" and ")} have no --output`),
    );
  }
  return targets;
}

/**
 * Writes beside the target and renames over it, so a reader never sees half a file. A target that
 * exists and is not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming
 * over it would replace the device with a file.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    try {
      writeFileSync(path, content);
      return;
    } catch (error) {
      throw new DiagnosticError(
        diagnostic("output_error", `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new DiagnosticError(
      diagnostic("output_error", `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

/**
 * Writes a file that must not exist yet, whole or not at all: the content goes to a temporary file
 * beside it, which is then hard-linked to the target's name (link fails, rather than replaces, when
 * the name exists, even if it appeared since the caller looked) and removed. `mode` is the file's
 * permissions before the umask (default 0666, as any new file).
 */
export function writeNewFileAtomic(path: string, content: string, shown = path, mode = 0o666): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    // Created anew with its mode (a private key: 0600), so its content is never readable by others,
    // even briefly: a leftover temporary file of a crashed run is removed, not written through.
    rmSync(temporary, { force: true });
    writeFileSync(temporary, content, { mode, flag: "wx" });
    linkSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DiagnosticError(
      code === "EEXIST"
        ? diagnostic("output_error", "already exists; obsgate never overwrites it: edit it, or move it away and run again", shown)
        : diagnostic("output_error", `cannot write ${shown}: ${error instanceof Error ? error.message : String(error)}`),
    );
  } finally {
    rmSync(temporary, { force: true });
  }
}
