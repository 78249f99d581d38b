// Compiles the built-in Rego library (policies/) to Wasm with the pinned OPA:
//   node scripts/build-policies.mjs [OUT_DIR]     (default: dist/policies, the committed copy)
// A test runs the same function into a temporary folder and compares with the committed files.
import { buildBuiltinPolicies } from "../lib/policy/build-builtin.js";

const outDir = process.argv[2];
try {
  const written = await buildBuiltinPolicies(outDir);
  for (const file of written) console.error(`wrote ${file}`);
} catch (error) {
  console.error(`build-policies: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
