// `verify --root DIR`: do the files on disk still have the digests the Statement vouches for?
// A subject name comes from the envelope, so it is treated as hostile until proven to be a plain
// relative path that stays under the root, symbolic links included.
import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { quote, refuse, type Refusal } from "./refusal.js";
import { NON_FILE_SUBJECT_PREFIX, type Subject } from "./statement.js";

export interface SubjectProblem {
  name: string;
  code: "subject_path" | "subject_missing" | "subject_mismatch";
  reason: string;
}

export interface SubjectCheck {
  /** File subjects whose digest matched. */
  matched: string[];
  /** `obsgate:` subjects, which are not files under the root. */
  skipped: string[];
  problems: SubjectProblem[];
}

/** Reads a file under the root; the default reads the real file system. Returns null when there is no regular file. */
export type ReadSubjectFile = (root: string, name: string) => Uint8Array | null;

/** Re-hashes every file subject under `root` and lists each one missing, out of the root, or changed. */
export function rehashSubjects(subjects: readonly Subject[], root: string, read: ReadSubjectFile = readSubjectFile): SubjectCheck {
  const check: SubjectCheck = { matched: [], skipped: [], problems: [] };
  for (const subject of subjects) {
    if (subject.name.startsWith(NON_FILE_SUBJECT_PREFIX)) {
      check.skipped.push(subject.name);
      continue;
    }
    const unsafe = unsafePathReason(subject.name);
    if (unsafe) {
      check.problems.push({ name: subject.name, code: "subject_path", reason: `subject ${quote(subject.name)} ${unsafe}` });
      continue;
    }
    let bytes: Uint8Array | null;
    try {
      bytes = read(root, subject.name);
    } catch (error) {
      if (error instanceof OutsideRootError) {
        check.problems.push({ name: subject.name, code: "subject_path", reason: `subject ${quote(subject.name)} resolves outside the root through a symbolic link` });
        continue;
      }
      bytes = null;
    }
    if (bytes === null) {
      check.problems.push({ name: subject.name, code: "subject_missing", reason: `subject ${subject.name} is not a file under the root` });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== subject.digest.sha256) {
      check.problems.push({
        name: subject.name,
        code: "subject_mismatch",
        reason: `subject ${subject.name} has sha256 ${actual} on disk, the attestation says ${subject.digest.sha256}`,
      });
      continue;
    }
    check.matched.push(subject.name);
  }
  return check;
}

/** The first problem as a refusal (with a count of the others), or null when every file subject matched. */
export function subjectRefusal(check: SubjectCheck): Refusal | null {
  const [first, ...rest] = check.problems;
  if (!first) return null;
  return refuse(first.code, rest.length > 0 ? `${first.reason} (and ${rest.length} more subject problems)` : first.reason);
}

/** Lowercase hex SHA-256 of `bytes`: the digest subjects and deployed files are compared by. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Why `name` is no plain repository-relative path, or null when it is one. */
export function unsafePathReason(name: string): string | null {
  if (name.includes("\0")) return "contains a NUL character";
  if (name.includes("\\")) return "contains a backslash; subject paths use `/`";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is an absolute path";
  if (name.split("/").some((part) => part === "" || part === "." || part === "..")) return "has an empty, `.` or `..` path segment";
  return null;
}

class OutsideRootError extends Error {}

/** The default `ReadSubjectFile`: the regular file `name` under `root`, refusing one that resolves outside it. */
export function readSubjectFile(root: string, name: string): Uint8Array | null {
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realpathSync(root);
    realFile = realpathSync(join(root, ...name.split("/")));
  } catch {
    return null;
  }
  const inside = relative(realRoot, realFile);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || /^[A-Za-z]:/.test(inside) || inside.startsWith(sep)) {
    throw new OutsideRootError();
  }
  if (!statSync(realFile).isFile()) return null;
  return readFileSync(realFile);
}
