#!/usr/bin/env node
// Bundles the GitHub Action (src/github/index.ts → dist/index.js) and the CLI (src/cli/main.ts →
// dist/cli.js) into one ESM file each, with every dependency inside: the Action's checkout and the
// pre-commit hook's install have no node_modules. The output is deterministic (no timestamps, no
// absolute paths), so a test rebuilds it into a temporary folder and compares it byte for byte with
// the committed files.
//
//   node scripts/build-dist.mjs [OUT_DIR]     (default: dist/, beside dist/policies/)
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(root, "dist"));

const BUNDLES = [
  { entry: "src/github/index.ts", out: "index.js", shebang: false },
  { entry: "src/cli/main.ts", out: "cli.js", shebang: true },
];

mkdirSync(outDir, { recursive: true });
for (const bundle of BUNDLES) {
  const outfile = join(outDir, bundle.out);
  await build({
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // CommonJS dependencies (commander, ajv, …) call require() for Node's built-ins, which an ES module lacks.
    banner: {
      // (esbuild keeps the entry's own `#!/usr/bin/env node` line above it.)
      js: `import { createRequire as __obsgateCreateRequire } from "node:module";\nconst require = __obsgateCreateRequire(import.meta.url);`,
    },
    // runningFromBundle() (src/package-root.ts): the evaluator digest is the bundle's own SHA-256, and evaluation workers run the bundle.
    define: { OBSGATE_BUNDLE: "true" },
    legalComments: "eof",
    charset: "utf8",
    sourcemap: false,
    minify: false,
    treeShaking: true,
    logLevel: "warning",
  });
  if (bundle.shebang) {
    if (!readFileSync(outfile, "utf8").startsWith("#!/usr/bin/env node\n")) throw new Error(`${bundle.entry} lost its #! line in ${outfile}`);
    chmodSync(outfile, 0o755);
  }
}
