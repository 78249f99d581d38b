// `--changed-since <ref>`: the files that changed since a git ref, as the repository-relative paths
// obsgate reports. "Changed" is what a pull request adds to its base plus what is not committed yet:
//
//   git diff --name-only <merge-base of ref and HEAD> HEAD   (what `git diff ref...HEAD` shows)
//   git diff --name-only HEAD                                (staged and unstaged changes)
//   git ls-files --others --exclude-standard                 (new files not yet added)
//
// with renames split into the old and the new path (`--no-renames`), so a moved file counts at both
// ends. The merge base, not the ref itself, is the baseline: commits that landed on the ref after the
// branch left it are not this change's.
import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { DiagnosticError, diagnostic } from "../diagnostics.js";
import { compareStrings } from "../types.js";

export interface ChangeSet {
  /** The ref as given. */
  ref: string;
  /** The merge base of the ref and HEAD (a full commit id). */
  base: string;
  /** Changed paths, relative to obsgate's repository root, sorted. */
  files: string[];
}

/** The files changed since `ref` in the git work tree holding `repoRoot`; a diagnostic when git cannot say. */
export function changedFiles(repoRoot: string, ref: string): ChangeSet {
  const flag = `--changed-since ${ref}`;
  const fail = (message: string): never => {
    throw new DiagnosticError(diagnostic("usage_error", `${flag}: ${message}`));
  };
  let cwd = repoRoot;
  const git = (args: readonly string[]): { ok: true; out: string } | { ok: false; err: string } => {
    try {
      const out = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
      return { ok: true, out };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === "ENOENT") return fail("git is not installed or not on PATH; install git, or leave out --changed-since");
      return { ok: false, err: (e.stderr ?? e.message).trim().split("\n")[0] ?? "" };
    }
  };

  const top = git(["rev-parse", "--show-toplevel"]);
  if (!top.ok) return fail(`${repoRoot} is not in a git work tree (${top.err}); run obsgate inside the repository`);
  // Every list below is relative to the top level (ls-files would list relative to its cwd).
  const topLevel = top.out.trim();
  cwd = topLevel;
  // obsgate's root may be spelled through a symbolic link; git's top level is the real path.
  const root = realpathSync(repoRoot);
  // A ref that starts with `-` would be read as an option: it is no ref.
  if (ref === "" || ref.startsWith("-")) return fail("not a git ref; name a branch, tag or commit, e.g. --changed-since origin/main");
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) {
    return fail("no such commit, branch or tag in this repository; in a shallow CI clone, fetch it first (git fetch origin main), or name another ref");
  }
  const head = git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (!head.ok) return fail("the repository has no commit yet (HEAD does not exist); commit once, or leave out --changed-since");
  const base = git(["merge-base", commit.out.trim(), "HEAD"]);
  if (!base.ok) return fail(`${ref} and HEAD share no history (no merge base); name a ref HEAD descends from`);
  const baseCommit = base.out.trim();

  const lists = [
    git(["-c", "core.quotepath=off", "diff", "--name-only", "-z", "--no-renames", baseCommit, "HEAD", "--"]),
    git(["-c", "core.quotepath=off", "diff", "--name-only", "-z", "--no-renames", "HEAD", "--"]),
    git(["ls-files", "-z", "--others", "--exclude-standard"]),
  ];
  const files = new Set<string>();
  for (const list of lists) {
    if (!list.ok) return fail(`git could not list the changes (${list.err})`);
    for (const path of list.out.split("\0")) {
      if (path !== "") files.add(relative(root, join(topLevel, path)).split(sep).join("/"));
    }
  }
  return { ref, base: baseCommit, files: [...files].sort(compareStrings) };
}
