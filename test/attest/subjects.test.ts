// `verify --root`: re-hashing the subjects on disk, and refusing subject names that would read
// outside the root.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rehashSubjects, sha256Hex, subjectRefusal, unsafePathReason, type Subject } from "../../src/attest/index.js";
import { sha256 } from "./helpers.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "obsgate-attest-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const subject = (name: string, content: string): Subject => ({ name, digest: { sha256: sha256(content) } });

describe("rehashSubjects", () => {
  it("matches every file subject and skips obsgate: ones", () => {
    const root = tree({ "models/a.yaml": "a: 1\n", "alerts/b.yaml": "groups: []\n" });
    const check = rehashSubjects([subject("models/a.yaml", "a: 1\n"), subject("alerts/b.yaml", "groups: []\n"), subject("obsgate:builtin/0.1.0/policy.wasm", "wasm")], root);
    expect(check).toEqual({ matched: ["models/a.yaml", "alerts/b.yaml"], skipped: ["obsgate:builtin/0.1.0/policy.wasm"], problems: [] });
    expect(subjectRefusal(check)).toBeNull();
  });

  it("reports every missing and changed file, and refuses with the first", () => {
    const root = tree({ "models/a.yaml": "a: 2\n", "models/dir/x": "" });
    const check = rehashSubjects([subject("models/a.yaml", "a: 1\n"), subject("models/gone.yaml", "x"), subject("models/dir", "")], root);
    expect(check.problems).toEqual([
      { name: "models/a.yaml", code: "subject_mismatch", reason: `subject models/a.yaml has sha256 ${sha256("a: 2\n")} on disk, the attestation says ${sha256("a: 1\n")}` },
      { name: "models/gone.yaml", code: "subject_missing", reason: "subject models/gone.yaml is not a file under the root" },
      { name: "models/dir", code: "subject_missing", reason: "subject models/dir is not a file under the root" },
    ]);
    expect(subjectRefusal(check)).toEqual({
      ok: false,
      code: "subject_mismatch",
      reason: `subject models/a.yaml has sha256 ${sha256("a: 2\n")} on disk, the attestation says ${sha256("a: 1\n")} (and 2 more subject problems)`,
    });
  });

  it("refuses a subject that a symbolic link leads out of the root", () => {
    const outside = tree({ "secret.yaml": "s" });
    const root = tree({ "models/a.yaml": "a" });
    symlinkSync(join(outside, "secret.yaml"), join(root, "models", "link.yaml"));
    symlinkSync(join(root, "models", "a.yaml"), join(root, "models", "inside.yaml"));
    const check = rehashSubjects([subject("models/link.yaml", "s"), subject("models/inside.yaml", "a")], root);
    expect(check.problems).toEqual([{ name: "models/link.yaml", code: "subject_path", reason: 'subject "models/link.yaml" resolves outside the root through a symbolic link' }]);
    expect(check.matched).toEqual(["models/inside.yaml"]);
  });

  it("reads through the injected reader, so callers can hash from elsewhere", () => {
    const check = rehashSubjects([subject("a.yaml", "x")], "/nowhere", (_root, name) => (name === "a.yaml" ? new TextEncoder().encode("x") : null));
    expect(check.matched).toEqual(["a.yaml"]);
  });
});

describe("unsafePathReason", () => {
  it.each([
    ["../../etc/passwd", "has an empty, `.` or `..` path segment"],
    ["models/../../x", "has an empty, `.` or `..` path segment"],
    ["./models/a.yaml", "has an empty, `.` or `..` path segment"],
    ["models//a.yaml", "has an empty, `.` or `..` path segment"],
    ["models/", "has an empty, `.` or `..` path segment"],
    ["/etc/passwd", "is an absolute path"],
    ["C:/Windows/win.ini", "is an absolute path"],
    ["models\\a.yaml", "contains a backslash; subject paths use `/`"],
    ["a\0b", "contains a NUL character"],
  ])("refuses %j", (name, reason) => {
    expect(unsafePathReason(name)).toBe(reason);
    expect(rehashSubjects([{ name, digest: { sha256: "0".repeat(64) } }], "/").problems[0]?.code).toBe("subject_path");
  });

  it.each(["models/a.yaml", "a", ".obsgate.yaml", "dir/..hidden/x", "spaces in/name é.yaml"])("accepts %j", (name) => {
    expect(unsafePathReason(name)).toBeNull();
  });
});

describe("sha256Hex", () => {
  it("is lowercase hex SHA-256", () => {
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
