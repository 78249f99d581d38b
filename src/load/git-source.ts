// What git says about the work tree a run checked, for its signed statement: the remote it came
// from, the commit checked out, the branch or tag, and whether there were uncommitted changes.
// Outside a git work tree, or without git, every answer is null: a statement says "unknown" rather
// than guess.
import { execFileSync } from "node:child_process";

export interface GitSource {
  /** `remote.origin.url` without credentials, or null. */
  repository: string | null;
  /** The full commit id of HEAD, or null (no repository, no commit yet). */
  commit: string | null;
  /** `refs/heads/<branch>`, else `refs/tags/<tag>` pointing at HEAD, else CI's `GITHUB_REF` for this commit, else null. */
  ref: string | null;
  /** Whether tracked files changed or untracked files (not ignored) exist; null without a commit. */
  dirty: boolean | null;
}

export const UNKNOWN_SOURCE: GitSource = { repository: null, commit: null, ref: null, dirty: null };

/** The git facts of the work tree holding `repoRoot`; `env` is read for CI's ref of a detached checkout. */
export function gitSource(repoRoot: string, env: NodeJS.ProcessEnv = {}): GitSource {
  const git = (args: readonly string[]): string | null => {
    try {
      return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 }).trim();
    } catch {
      return null;
    }
  };
  if (git(["rev-parse", "--is-inside-work-tree"]) !== "true") return UNKNOWN_SOURCE;
  const remote = git(["remote", "get-url", "origin"]);
  const commit = git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (commit === null || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) {
    return { repository: remote ? withoutCredentials(remote) : null, commit: null, ref: null, dirty: null };
  }
  const branch = git(["symbolic-ref", "--quiet", "HEAD"]);
  const tag = branch ? null : git(["describe", "--tags", "--exact-match", "HEAD"]);
  // A CI checkout of a pull request or tag is detached; the runner names the ref it checked out.
  const ciRef = env.GITHUB_REF && env.GITHUB_SHA === commit ? env.GITHUB_REF : null;
  const ref = branch || (tag ? `refs/tags/${tag}` : null) || ciRef;
  const status = git(["status", "--porcelain", "--untracked-files=normal"]);
  return {
    repository: remote ? withoutCredentials(remote) : null,
    commit,
    ref,
    dirty: status === null ? null : status !== "",
  };
}

/** `https://user:token@host/…` → `https://host/…`: a signed, published statement must not carry a token. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}
