// Drives the real, built CLI (`node lib/cli/main.js`) as a user's shell would: a separate process,
// its own exit status, stdout and stderr. Tests that go through here prove what a user sees,
// including what only a real process shows (a stack trace, a hang, a stray console line).
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { onTestFinished } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import type { Report } from "../../src/report/index.js";

export const PACKAGE_ROOT = packageRoot();
export const CLI_PATH = join(PACKAGE_ROOT, "lib", "cli", "main.js");
export const BAD_INPUT_FIXTURES = join(PACKAGE_ROOT, "test", "fixtures", "bad-input");

export interface CliOptions {
  /** Working directory of the process (default: the package root). */
  cwd?: string;
  /** Added to (and overriding) the inherited environment, after NO_COLOR=1 is set. */
  env?: Record<string, string>;
  /** The run is killed and the test fails after this long (default 30 s): a hang is a bug. */
  timeoutMs?: number;
  /**
   * Run as this unprivileged uid/gid (through util-linux's `setpriv`) when the tests run as root,
   * for cases root would not see, such as a file without read permission.
   */
  asUnprivileged?: boolean;
}

/** `nobody`, which exists on every Debian system. */
export const UNPRIVILEGED_ID = 65534;

export interface CliResult {
  /** The process's exit code. */
  status: number;
  stdout: string;
  stderr: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Variables that would change what obsgate prints, dropped unless a test sets them itself. */
const UNSET = ["FORCE_COLOR", "OBSGATE_DEBUG", "NODE_OPTIONS"];

/** Runs `node lib/cli/main.js ...args` and resolves with its status and output; rejects on a hang or a signal. */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  assertBuilt();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of UNSET) delete env[name];
  Object.assign(env, { NO_COLOR: "1" }, opts.env ?? {});
  const command = `obsgate ${args.join(" ")}`;

  return new Promise<CliResult>((resolvePromise, reject) => {
    const dropPrivileges = opts.asUnprivileged === true && process.getuid?.() === 0;
    const [program, argv] = dropPrivileges
      ? ["setpriv", [`--reuid=${UNPRIVILEGED_ID}`, `--regid=${UNPRIVILEGED_ID}`, "--clear-groups", process.execPath, CLI_PATH, ...args]]
      : [process.execPath, [CLI_PATH, ...args]];
    const child = spawn(program, argv, {
      cwd: opts.cwd ?? PACKAGE_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      const tail = `\n--- stdout (first 2000 chars)\n${out.slice(0, 2000)}\n--- stderr (first 2000 chars)\n${err.slice(0, 2000)}`;
      if (timedOut) {
        reject(new Error(`HANG: \`${command}\` (cwd ${opts.cwd ?? PACKAGE_ROOT}) did not finish within ${timeoutMs} ms and was killed; obsgate must fail fast on any input${tail}`));
      } else if (code === null) {
        reject(new Error(`\`${command}\` was terminated by signal ${signal ?? "?"} instead of exiting${tail}`));
      } else {
        resolvePromise({ status: code, stdout: out, stderr: err });
      }
    });
  });
}

let checkedBuild = false;

/** The tests run the compiled CLI: say how to build it rather than fail obscurely; warn when stale. */
function assertBuilt(): void {
  if (checkedBuild) return;
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${relative(PACKAGE_ROOT, CLI_PATH)} does not exist: run \`npm run build\` first (\`npm test\` does it for you)`);
  }
  const stale = staleSources(join(PACKAGE_ROOT, "src"), join(PACKAGE_ROOT, "lib"));
  if (stale.length > 0) {
    console.warn(`lib/ is older than ${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ", …" : ""}: these tests run the build in lib/; run \`npm run build\``);
  }
  checkedBuild = true;
}

function staleSources(srcDir: string, libDir: string): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const built = join(libDir, relative(srcDir, path)).replace(/\.ts$/, ".js");
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(PACKAGE_ROOT, path));
      }
    }
  };
  walk(srcDir);
  return stale;
}

/** A throwaway repository: a fresh temporary folder holding an empty `.git`, so paths are reported relative to it. */
export interface TempRepo {
  /** Absolute path of the repository root. */
  dir: string;
  /** Absolute path of a file or folder inside it. */
  path(relativePath: string): string;
  /** Writes a file (creating its folders); returns its absolute path. */
  write(relativePath: string, content: string | Uint8Array): string;
  /** Runs the CLI with this repository as the working directory. */
  run(args: readonly string[], opts?: Omit<CliOptions, "cwd">): Promise<CliResult>;
}

/**
 * Copies `test/fixtures/bad-input/<fixture>` (or nothing, when null) into a fresh temporary
 * repository root. Inside a test it is removed when the test ends; set OBSGATE_KEEP_TMP=1 to keep it.
 */
export function tempRepo(fixture: string | null = null, fixturesDir = BAD_INPUT_FIXTURES): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), `obsgate-cli-${(fixture ?? "empty").replace(/[^\w.-]+/g, "-")}-`));
  if (fixture !== null) {
    const source = join(fixturesDir, fixture);
    if (!existsSync(source)) throw new Error(`no fixture folder ${relative(PACKAGE_ROOT, source)}`);
    cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  }
  mkdirSync(join(dir, ".git"));
  try {
    onTestFinished(() => {
      if (process.env.OBSGATE_KEEP_TMP) console.warn(`kept ${dir}`);
      else removeTree(dir);
    });
  } catch {
    // Called outside a running test (e.g. in beforeAll): the caller owns the folder.
  }
  const path = (relativePath: string) => resolve(dir, relativePath);
  return {
    dir,
    path,
    write(relativePath, content) {
      const target = path(relativePath);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      return target;
    },
    run: (args, opts = {}) => runCli(args, { ...opts, cwd: dir }),
  };
}

/** Removes a folder even when a test left parts of it unreadable (chmod 000). */
export function removeTree(dir: string): void {
  const restore = (path: string) => {
    let stats;
    try {
      stats = lstatSync(path);
    } catch {
      return;
    }
    if (stats.isSymbolicLink()) return;
    try {
      chmodSync(path, stats.isDirectory() ? 0o755 : 0o644);
    } catch {
      // Best effort: rmSync reports what is left.
    }
    if (stats.isDirectory()) for (const name of readdirSync(path)) restore(join(path, name));
  };
  restore(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** `check ... --format json`, parsed; fails with the process's output when stdout is not a report. */
export async function checkJson(repo: TempRepo, args: readonly string[], opts?: Omit<CliOptions, "cwd">): Promise<CliResult & { report: JsonReport }> {
  const result = await repo.run(["check", ...args, "--format", "json"], opts);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout of \`obsgate check ${args.join(" ")} --format json\` is not JSON (status ${result.status})\n--- stdout\n${result.stdout.slice(0, 2000)}\n--- stderr\n${result.stderr.slice(0, 2000)}`);
  }
  return { ...result, report };
}

/** The JSON report (schemas/report.v1), as these tests read it. */
export type JsonReport = Report;

/** Lines in stderr that betray an uncaught exception rather than a diagnostic. */
export function stackTraceLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => /^\s+at\s/.test(line) || /^(\w*Error|Error|Uncaught\b)[:\s]/.test(line) || line.includes("node:internal"));
}

/** A diagnostic line as DESIGN.md prints it: `file:line:col: code: message`. */
export const DIAGNOSTIC_LINE = /^(?<file>.+?):(?<line>\d+):(?<column>\d+): (?<code>[a-z_]+): (?<message>.+)$/;

/** stderr split into lines, without the trailing empty one. */
export function stderrLines(stderr: string): string[] {
  return stderr.split("\n").filter((line, i, all) => !(line === "" && i === all.length - 1));
}
