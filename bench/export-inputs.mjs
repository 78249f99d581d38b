// Writes each model's ModelInput, exactly as obsgate hands it to the policies, to OUT/<model>.json
// (the input of the rule files no model owns, if any, to OUT/_unowned.json), so that conftest can
// run the same Rego over the same inputs. Run by bench/run.mjs as its own process and timed apart
// from conftest: exporting is obsgate's work, not conftest's.
//
//   node bench/export-inputs.mjs FLEET_DIR OUT_DIR [MAX_BYTES]
//
// When the pipeline hands the policies a fleet index through `data` (`data.fleet`, set once per run
// with `setData`), that document is written too, to OUT_DIR-data/fleet.json, for conftest's `--data`
// (a data file's content lands at the root of `data`). An input that carries the index itself
// (`input.fleet`) needs no data file.
//
// Prints one JSON line: {models, files, bytes, dataFile, dataBytes, readMs, writeMs, skipped,
// projectedBytes}. When the projected total (first input's size × inputs) exceeds MAX_BYTES,
// nothing is written and `skipped` says why (when every ModelInput carries the whole fleet index,
// the total grows as N²).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readInputs } from "../lib/pipeline.js";
import * as model from "../lib/model/index.js";

const [fleet, out, maxArg] = process.argv.slice(2);
if (!fleet || !out) {
  console.error("usage: node bench/export-inputs.mjs FLEET_DIR OUT_DIR [MAX_BYTES]");
  process.exit(2);
}
const maxBytes = maxArg ? Number(maxArg) : Infinity;

const t0 = performance.now();
const inputs = await readInputs({ paths: [resolve(fleet)], cwd: process.cwd() });
const readMs = performance.now() - t0;

const models = inputs.models;
const first = models.length > 0 ? Buffer.byteLength(JSON.stringify(models[0].input)) : 0;
const projectedBytes = first * models.length;
const result = { models: models.filter((m) => m.input.model).length, files: 0, bytes: 0, dataFile: null, dataBytes: 0, readMs, writeMs: 0, skipped: null, projectedBytes };
if (projectedBytes > maxBytes) {
  result.skipped = `the exported inputs would take about ${(projectedBytes / 1e9).toFixed(1)} GB ` +
    `(${(first / 1e6).toFixed(2)} MB per input × ${models.length}; each ModelInput carries the whole fleet index), ` +
    `over BENCH_CONFTEST_MAX_BYTES=${maxBytes}`;
} else {
  const t1 = performance.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const model of models) {
    const text = JSON.stringify(model.input);
    writeFileSync(join(out, `${model.input.model?.name ?? "_unowned"}.json`), text);
    result.files++;
    result.bytes += Buffer.byteLength(text);
  }
  if (inputs.fleet && typeof model.fleetData === "function") {
    const dataDir = `${resolve(out)}-data`;
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const text = JSON.stringify(model.fleetData(inputs.fleet));
    result.dataFile = join(dataDir, "fleet.json");
    writeFileSync(result.dataFile, text);
    result.dataBytes = Buffer.byteLength(text);
  }
  result.writeMs = performance.now() - t1;
}
console.log(JSON.stringify(result));
