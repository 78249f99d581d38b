// The folder that holds package.json, dist/ and schemas/, from both src/ (tests) and lib/ (built).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
}
