// discoverFiles and the repository root, on real folders: what is read, in which order, and the
// paths it is recorded under.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverFiles, findGitRoot, repositoryRoot, toRepoPath, type DiscoverOptions } from "../../src/load/discover.js";

let base: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "obsgate-discover-")));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Creates files (path → content; a path ending in `/` is an empty folder) under `root`. */
function tree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(root, path);
    if (path.endsWith("/")) {
      mkdirSync(absolute, { recursive: true });
    } else {
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, content);
    }
  }
  return root;
}

/** A git work tree (a folder holding `.git/`) with the given files. */
function repo(files: Record<string, string>): string {
  return tree(join(base, "repo"), { ".git/HEAD": "ref: refs/heads/main\n", ...files });
}

function discover(paths: string[], options: Partial<DiscoverOptions> & { cwd: string }) {
  const repoRoot = options.repoRoot ?? repositoryRoot(paths, options.cwd);
  const result = discoverFiles(paths, { include: [], exclude: [], repoRoot, ...options });
  return {
    paths: result.files.map((f) => f.path),
    absolute: result.files.map((f) => f.absolute),
    diagnostics: result.diagnostics,
  };
}

describe("discoverFiles", () => {
  it("lists .yaml, .yml and .json files from folders, sorted byte-wise by path", () => {
    const root = repo({
      "b.yml": "",
      "a.yaml": "",
      "c.json": "",
      "B.yaml": "",
      "a-c.yaml": "",
      "a/b.yaml": "",
      "UP.YAML": "",
      "notes.txt": "",
      "values.yaml.bak": "",
      "Makefile": "",
      "empty/": "",
    });
    expect(discover(["."], { cwd: root })).toEqual({
      paths: ["B.yaml", "UP.YAML", "a-c.yaml", "a.yaml", "a/b.yaml", "b.yml", "c.json"],
      absolute: ["B.yaml", "UP.YAML", "a-c.yaml", "a.yaml", "a/b.yaml", "b.yml", "c.json"].map((p) => join(root, p)),
      diagnostics: [],
    });
  });

  it("reads a file named on the command line whatever its extension", () => {
    const root = repo({ "notes.txt": "", "rules.prom": "", "a.yaml": "" });
    expect(discover(["rules.prom", "notes.txt"], { cwd: root }).paths).toEqual(["notes.txt", "rules.prom"]);
  });

  it("never walks node_modules or .git, but walks other dot folders", () => {
    const root = repo({
      "node_modules/pkg/x.yaml": "",
      "sub/node_modules/y.yaml": "",
      ".git/config.yaml": "",
      ".github/workflows/ci.yml": "",
      "a.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual([".github/workflows/ci.yml", "a.yaml"]);
  });

  it("leaves out what the root .gitignore ignores, with `dir/` patterns and negation in one file", () => {
    const root = repo({
      ".gitignore": "build/\n*.tmp.yaml\nlogs/*.yaml\n!logs/keep.yaml\n",
      "build/x.yaml": "",
      "deep/build/y.yaml": "",
      "z.tmp.yaml": "",
      "deep/w.tmp.yaml": "",
      "logs/drop.yaml": "",
      "logs/keep.yaml": "",
      "a.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["a.yaml", "logs/keep.yaml"]);
  });

  it("applies a nested .gitignore below its own folder only", () => {
    const root = repo({
      "sub/.gitignore": "local.yaml\ncache/\n",
      "sub/local.yaml": "",
      "sub/ok.yaml": "",
      "sub/cache/x.yaml": "",
      "sub/deeper/local.yaml": "",
      "other/local.yaml": "",
      "other/cache/x.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["other/cache/x.yaml", "other/local.yaml", "sub/ok.yaml"]);
  });

  it("applies a nested .gitignore's anchored pattern relative to its folder", () => {
    const root = repo({
      "sub/.gitignore": "/gen.yaml\n",
      "sub/gen.yaml": "",
      "sub/deeper/gen.yaml": "",
      "gen.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["gen.yaml", "sub/deeper/gen.yaml"]);
  });

  // A deeper .gitignore can re-include what a higher one ignores, as git does (gitignore(5)),
  // so a file git tracks is still checked.
  it("lets a nested .gitignore re-include what the root one ignores", () => {
    const root = repo({
      ".gitignore": "*.tmp.yaml\n",
      "sub/.gitignore": "!keep.tmp.yaml\n",
      "sub/keep.tmp.yaml": "",
      "sub/drop.tmp.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["sub/keep.tmp.yaml"]);
  });

  it("leaves out what .git/info/exclude excludes", () => {
    const root = repo({
      ".git/info/exclude": "# local\nsecret.yaml\nscratch/\n",
      "secret.yaml": "",
      "sub/secret.yaml": "",
      "scratch/x.yaml": "",
      "a.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["a.yaml"]);
  });

  it("combines .git/info/exclude with the root .gitignore", () => {
    const root = repo({
      ".git/info/exclude": "one.yaml\n",
      ".gitignore": "two.yaml\n",
      "one.yaml": "",
      "two.yaml": "",
      "three.yaml": "",
    });
    expect(discover(["."], { cwd: root }).paths).toEqual(["three.yaml"]);
  });

  it("leaves out files and folders matching the config's exclude globs", () => {
    const root = repo({
      "charts/x/values.yaml": "",
      "models/a.yaml": "",
      "models/testdata/bad.yaml": "",
      "models/b.generated.json": "",
    });
    expect(discover(["."], { cwd: root, exclude: ["charts/**", "**/testdata/**", "**/*.generated.json"] }).paths).toEqual([
      "models/a.yaml",
    ]);
  });

  it("keeps, from folders, only files matching an include glob", () => {
    const root = repo({ "models/a.yaml": "", "models/deep/b.yml": "", "alerts/r.yaml": "", "other/c.yaml": "", "top.yaml": "" });
    expect(discover(["."], { cwd: root, include: ["models/**", "alerts/*.yaml"] }).paths).toEqual([
      "alerts/r.yaml",
      "models/a.yaml",
      "models/deep/b.yml",
    ]);
  });

  it("lets exclude win over include", () => {
    const root = repo({ "models/a.yaml": "", "models/old/b.yaml": "" });
    expect(discover(["."], { cwd: root, include: ["models/**"], exclude: ["models/old/**"] }).paths).toEqual(["models/a.yaml"]);
  });

  it("reads a file named on the command line even when ignored or excluded", () => {
    const root = repo({ ".gitignore": "*.tmp.yaml\n", "z.tmp.yaml": "", "charts/v.yaml": "" });
    expect(discover(["z.tmp.yaml", "charts/v.yaml"], { cwd: root, exclude: ["charts/**"], include: ["models/**"] }).paths).toEqual([
      "charts/v.yaml",
      "z.tmp.yaml",
    ]);
  });

  it("reports a PATH that does not exist as no_input and goes on with the others", () => {
    const root = repo({ "a.yaml": "" });
    expect(discover(["missing", "a.yaml", "gone/x.yaml"], { cwd: root })).toEqual({
      paths: ["a.yaml"],
      absolute: [join(root, "a.yaml")],
      diagnostics: [
        { code: "no_input", message: "missing: no such file or directory; check the PATH argument", file: "<command-line>", line: 1, column: 1 },
        { code: "no_input", message: "gone/x.yaml: no such file or directory; check the PATH argument", file: "<command-line>", line: 1, column: 1 },
      ],
    });
  });

  it("records paths relative to the git root when the PATH is a sub-folder", () => {
    const root = repo({ "models/a.yaml": "", "models/deep/b.yaml": "", "top.yaml": "" });
    expect(discover(["models"], { cwd: root }).paths).toEqual(["models/a.yaml", "models/deep/b.yaml"]);
    expect(discover(["."], { cwd: join(root, "models") }).paths).toEqual(["models/a.yaml", "models/deep/b.yaml"]);
    expect(discover(["deep/b.yaml"], { cwd: join(root, "models") }).paths).toEqual(["models/deep/b.yaml"]);
  });

  it("applies the ignore files of the folders above a sub-folder PATH", () => {
    const root = repo({
      ".gitignore": "*.tmp.yaml\n",
      ".git/info/exclude": "secret.yaml\n",
      "models/.gitignore": "gen/\n",
      "models/sub/a.yaml": "",
      "models/sub/b.tmp.yaml": "",
      "models/sub/secret.yaml": "",
      "models/sub/gen/c.yaml": "",
    });
    expect(discover(["models/sub"], { cwd: root }).paths).toEqual(["models/sub/a.yaml"]);
  });

  it("lists a file given twice, or inside a folder also given, once", () => {
    const root = repo({ "a.yaml": "", "m/b.yaml": "" });
    expect(discover(["a.yaml", "./a.yaml", ".", "m/b.yaml", "m"], { cwd: root }).paths).toEqual(["a.yaml", "m/b.yaml"]);
  });

  it("uses the working directory as the root outside git", () => {
    const root = tree(join(base, "plain"), { "x/a.yaml": "" });
    expect(repositoryRoot(["x"], root)).toBe(root);
    expect(discover(["x"], { cwd: root }).paths).toEqual(["x/a.yaml"]);
  });
});

describe("findGitRoot / repositoryRoot / toRepoPath", () => {
  it("finds the folder holding .git from any folder below it", () => {
    const root = repo({ "a/b/c.yaml": "" });
    expect(findGitRoot(root)).toBe(root);
    expect(findGitRoot(join(root, "a", "b"))).toBe(root);
  });

  it("accepts a .git file, as in a linked worktree or submodule", () => {
    const root = tree(join(base, "wt"), { ".git": "gitdir: /elsewhere\n", "a/x.yaml": "" });
    expect(findGitRoot(join(root, "a"))).toBe(root);
  });

  it("stops at the nearest work tree", () => {
    const outer = repo({ "inner/.git/HEAD": "", "inner/m/a.yaml": "" });
    expect(findGitRoot(join(outer, "inner", "m"))).toBe(join(outer, "inner"));
  });

  it("returns null outside git", () => {
    expect(findGitRoot(tree(join(base, "plain"), { "a/": "" }))).toBe(null);
  });

  it("takes the root from the first PATH (its folder when it is a file), relative to the cwd", () => {
    const root = repo({ "models/a.yaml": "" });
    const elsewhere = tree(join(base, "plain"), { "x/": "" });
    expect(repositoryRoot(["models/a.yaml"], root)).toBe(root);
    expect(repositoryRoot([join(root, "models")], elsewhere)).toBe(root);
    expect(repositoryRoot([], join(root, "models"))).toBe(root);
    expect(repositoryRoot(["x", join(root, "models")], elsewhere)).toBe(elsewhere);
    expect(repositoryRoot(["does-not-exist"], join(root, "models"))).toBe(root);
  });

  it("makes /-separated paths relative to the root", () => {
    expect(toRepoPath("/r", "/r/a/b.yaml")).toBe("a/b.yaml");
    expect(toRepoPath("/r", "/r")).toBe(".");
    expect(toRepoPath("/r", "/other/x.yaml")).toBe("../other/x.yaml");
  });
});
