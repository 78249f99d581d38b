// PATHs to the files obsgate reads: every YAML/JSON file under them, minus what git ignores and
// what the config excludes, in a stable order. Paths are recorded relative to the repository root.
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { diagnostic } from "../diagnostics.js";
import { compareStrings, type Diagnostic } from "../types.js";

export interface DiscoveredFile {
  absolute: string;
  /** Relative to the repository root, `/`-separated. */
  path: string;
}

export interface DiscoverOptions {
  cwd: string;
  repoRoot: string;
  /** Globs relative to the repository root; when given, a found file must match one. */
  include: string[];
  exclude: string[];
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Folders that could not be listed: their files' compliance is unknown, which the run reports. */
  unlistable: Array<{ path: string; reason: string }>;
  diagnostics: Diagnostic[];
}

const DATA_FILE = /\.(ya?ml|json)$/i;
/** Never descended into: version control internals and installed dependencies. */
const NEVER_WALKED = new Set([".git", "node_modules"]);
/** obsgate's own configuration is not an input to check. */
const OWN_FILES = new Set([".obsgate.yaml"]);

/** The git work tree that contains `start` (a folder holding `.git`), or null outside git. */
export function findGitRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The root every recorded path is relative to: the work tree of the first PATH, else the cwd. */
export function repositoryRoot(paths: readonly string[], cwd: string): string {
  const first = resolve(cwd, paths[0] ?? ".");
  const start = existsSync(first) && !lstatSync(first).isDirectory() ? dirname(first) : first;
  return findGitRoot(start) ?? resolve(cwd);
}

export function toRepoPath(repoRoot: string, absolute: string): string {
  return relative(repoRoot, absolute).split(sep).join("/") || ".";
}

export function discoverFiles(paths: readonly string[], options: DiscoverOptions): Discovery {
  const diagnostics: Diagnostic[] = [];
  const unlistable: Discovery["unlistable"] = [];
  const found = new Map<string, DiscoveredFile>();
  const included = options.include.length > 0 ? picomatch(options.include, { dot: true }) : () => true;
  const excluded = options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : () => false;
  const gitignores = new GitignoreStack(options.repoRoot);

  const add = (absolute: string) => {
    const path = toRepoPath(options.repoRoot, absolute);
    if (!found.has(path)) found.set(path, { absolute, path });
  };

  const walk = (dir: string) => {
    gitignores.enter(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      unlistable.push({ path: toRepoPath(options.repoRoot, dir), reason: code === "EACCES" ? "permission denied" : (code ?? errorText(error)) });
      return;
    }
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const absolute = join(dir, entry.name);
      const path = toRepoPath(options.repoRoot, absolute);
      if (entry.isDirectory()) {
        if (NEVER_WALKED.has(entry.name) || gitignores.ignores(absolute, true) || excluded(path) || excluded(`${path}/`)) continue;
        walk(absolute);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && DATA_FILE.test(entry.name) && !OWN_FILES.has(entry.name)) {
        if (gitignores.ignores(absolute, false) || excluded(path) || !included(path)) continue;
        add(absolute);
      }
    }
  };

  for (const given of paths) {
    const absolute = resolve(options.cwd, given);
    let stats: Stats;
    try {
      stats = lstatSync(absolute);
    } catch {
      diagnostics.push(diagnostic("no_input", `${given}: no such file or directory; check the PATH argument`));
      continue;
    }
    if (stats.isDirectory()) {
      for (const ancestor of ancestorsBetween(options.repoRoot, absolute)) gitignores.enter(ancestor);
      walk(absolute);
    } else {
      // A file named on the command line is read whatever its name, so nothing the user asked
      // for is silently dropped.
      add(absolute);
    }
  }
  const files = [...found.values()].sort((a, b) => compareStrings(a.path, b.path));
  return { files, unlistable, diagnostics };
}

/** Folders from the repository root down to (not including) `dir`, when `dir` is inside it. */
function ancestorsBetween(root: string, dir: string): string[] {
  const rel = relative(root, dir);
  if (rel === "" || rel.startsWith("..")) return [];
  const parts = rel.split(sep);
  return parts.map((_, i) => join(root, ...parts.slice(0, i)));
}

/** The `.gitignore` files that apply below the repository root, each read once. */
class GitignoreStack {
  private readonly rules = new Map<string, Ignore>();
  private readonly visited = new Set<string>();

  constructor(root: string) {
    const exclude = join(root, ".git", "info", "exclude");
    if (existsSync(exclude)) this.rules.set(root, ignore().add(readFileSync(exclude, "utf8")));
  }

  enter(dir: string): void {
    if (this.visited.has(dir)) return;
    this.visited.add(dir);
    const file = join(dir, ".gitignore");
    if (!existsSync(file)) return;
    this.rules.set(dir, (this.rules.get(dir) ?? ignore()).add(readFileSync(file, "utf8")));
  }

  /** As git decides: the deepest `.gitignore` with a matching pattern wins, so `!keep.yaml` below re-includes. */
  ignores(absolute: string, isDirectory: boolean): boolean {
    const deepestFirst = [...this.rules.entries()].sort(([a], [b]) => b.length - a.length);
    for (const [base, rules] of deepestFirst) {
      const rel = relative(base, absolute);
      if (rel === "" || rel.startsWith("..")) continue;
      const verdict = rules.test(rel.split(sep).join("/") + (isDirectory ? "/" : ""));
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
