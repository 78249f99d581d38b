// The floor: the time js-yaml, the fastest well-kept YAML parser for JavaScript, takes to read and
// parse (loadAll, every document) the YAML files of a fleet, in one thread. No source map, no
// validation, no policy: a lower bound for anything that must at least read the same files.
//
//   node bench/floor.mjs FLEET_DIR
//
// Prints one JSON line: {files, bytes, documents, ms, maxRssKb}; `ms` is measured in-process from
// the first directory listing to the last parse (bench/run.mjs also times the whole process).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAll } from "js-yaml";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node bench/floor.mjs FLEET_DIR");
  process.exit(2);
}

const t0 = performance.now();
let files = 0;
let bytes = 0;
let documents = 0;
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name === ".git" || entry.name === "node_modules") continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.(ya?ml|json)$/i.test(entry.name)) {
      const text = readFileSync(path, "utf8");
      files++;
      bytes += Buffer.byteLength(text);
      loadAll(text, () => documents++);
    }
  }
};
walk(dir);
const ms = performance.now() - t0;
console.log(JSON.stringify({ files, bytes, documents, ms, maxRssKb: process.resourceUsage().maxRSS }));
