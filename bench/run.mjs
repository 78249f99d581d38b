// `npm run bench`: generates fleets (bench/generate.mjs) and measures, per size,
//   check     `node lib/cli/main.js check FLEET --format json --output bench/out/report-N.json --fail-on never`
//             as a child process: wall time, peak RSS (GNU time -v; else bench/measure-check.mjs)
//   floor     js-yaml reading and loadAll-parsing the same YAML files in one thread (bench/floor.mjs)
//   conftest  the pinned conftest running the same built-in Rego (policies/ minus *_test.rego, plus
//             bench/conftest/wrapper.rego) over the same ModelInputs written out as JSON
//             (bench/export-inputs.mjs, timed apart: exporting is not conftest's work)
// and prints a table, the targets and whether each is met; writes bench/out/results.json.
//
// Environment:
//   BENCH_SIZES=100,1000,10000   fleet sizes
//   BENCH_RUNS=1                 runs per measurement; the median is reported (all are in results.json)
//   BENCH_SEED=20261122          generator seed
//   BENCH_CONFTEST=0             skip conftest (and the input export)
//   BENCH_CONFTEST_MAX_BYTES=10e9  skip conftest at a size whose exported inputs would exceed this
//   OBSGATE_CONFTEST=PATH        a conftest binary to use (its version must be tools/conftest.version)
//
// The report goes to a real file, not --output /dev/null: obsgate writes outputs atomically (a
// temporary file renamed over the target), which, run as root, replaces the /dev/null device with
// a regular file.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem, release, platform } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureConftest } from "./conftest.mjs";
import { DEFAULT_SEED, formatBytes, generateFleet } from "./generate.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const OUT = join(BENCH, "out");
const GIB = 2 ** 30;
const TARGETS = { size: 10000, floorRatio: 2, rssBytes: GIB };

const sizes = (process.env.BENCH_SIZES ?? "100,1000,10000").split(",").map((s) => Number(s.trim())).filter((n) => n > 0);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
const conftestWanted = process.env.BENCH_CONFTEST !== "0";
const conftestMaxBytes = Number(process.env.BENCH_CONFTEST_MAX_BYTES ?? 10e9);
const gnuTime = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-v", "true"]).status === 0 ? "/usr/bin/time" : null;

const log = (text) => process.stderr.write(`${text}\n`);
const rel = (path) => relative(ROOT, path) || ".";

// ── measuring a child process ───────────────────────────────────────────────────────────────────

/** Runs a command; returns {wallS, maxRssKb (GNU time, else null), status, stdout, stderr}. */
function measure(command, args, options = {}) {
  const argv = gnuTime ? [gnuTime, ["-v", command, ...args]] : [command, args];
  const t0 = performance.now();
  const result = spawnSync(argv[0], argv[1], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 30, ...options });
  const wallS = (performance.now() - t0) / 1000;
  if (result.error) throw result.error;
  let stderr = result.stderr ?? "";
  let maxRssKb = null;
  if (gnuTime) {
    const at = stderr.lastIndexOf("\tCommand being timed:");
    const report = at >= 0 ? stderr.slice(at) : "";
    maxRssKb = Number(report.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? NaN) || null;
    stderr = at >= 0 ? stderr.slice(0, at) : stderr;
    // GNU time reports the command's own exit status as "Exit status: N", and a signal apart.
    // (The signal line comes just before the report.)
    const signal = [...(result.stderr ?? "").matchAll(/Command terminated by signal (\d+)/g)].at(-1)?.[1];
    const status = signal ? 128 + Number(signal) : Number(report.match(/Exit status: (\d+)/)?.[1] ?? result.status);
    return { wallS, maxRssKb, status, signal: signal ? Number(signal) : null, stdout: result.stdout ?? "", stderr };
  }
  return { wallS, maxRssKb, status: result.status, stdout: result.stdout ?? "", stderr };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function repeat(label, once) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    all.push(once());
    log(`  ${label}${runs > 1 ? ` (run ${i + 1}/${runs})` : ""}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  }
  return all;
}

// ── the three measurements ──────────────────────────────────────────────────────────────────────

function measureCheck(n, fleet) {
  const reportFile = join(OUT, `report-${n}.json`);
  const args = ["check", rel(fleet), "--format", "json", "--output", rel(reportFile), "--fail-on", "never"];
  const command = `node lib/cli/main.js ${args.join(" ")}`;
  // A run that fails (out of memory, killed) is a result too: it is reported, and the bench goes on.
  const failure = (r, what) => ({ wallS: r.wallS, maxRssKb: r.maxRssKb, failed: `${what}; ${r.stderr.trim().split("\n").slice(-3).join(" / ").slice(0, 500)}` });
  const all = repeat("check", () => {
    if (gnuTime) {
      const r = measure(process.execPath, [join("lib", "cli", "main.js"), ...args]);
      if (r.status !== 0) return failure(r, r.signal ? `killed by signal ${r.signal}` : `exit ${r.status}`);
      return { wallS: r.wallS, maxRssKb: r.maxRssKb };
    }
    const r = measure(process.execPath, [join("bench", "measure-check.mjs"), ...args]);
    const line = r.status === 0 ? JSON.parse(r.stdout.trim().split("\n").at(-1)) : null;
    if (!line || line.exitCode !== 0) return failure(r, `exit ${line?.exitCode ?? r.status}`);
    return { wallS: r.wallS, maxRssKb: line.maxRssKb };
  });
  const failed = all.find((r) => r.failed);
  if (failed) {
    log(`  check FAILED after ${failed.wallS.toFixed(1)} s: ${failed.failed}`);
    return { command, wallS: failed.wallS, maxRssKb: failed.maxRssKb, runs: all, failed: failed.failed };
  }
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  const findings = report.findings.filter((f) => f.status === "open");
  return {
    command,
    wallS: median(all.map((r) => r.wallS)),
    maxRssKb: median(all.map((r) => r.maxRssKb)),
    runs: all,
    summary: report.summary,
    findings: findings.length,
    policyFindings: findings.filter((f) => !f.rule.startsWith("INP-")).length,
    // conftest sees each model's input alone, so a finding in a file several models share counts once per model there.
    perModelFindings: findings
      .filter((f) => !f.rule.startsWith("INP-"))
      .reduce((n, f) => n + Math.max(1, f.models?.length ?? 0), 0),
    report: rel(reportFile),
  };
}

function measureFloor(fleet) {
  const all = repeat("floor (js-yaml)", () => {
    const r = measure(process.execPath, [join("bench", "floor.mjs"), fleet]);
    if (r.status !== 0) throw new Error(`bench/floor.mjs exited ${r.status}: ${r.stderr.trim()}`);
    return { wallS: r.wallS, maxRssKb: r.maxRssKb, ...JSON.parse(r.stdout.trim()) };
  });
  const last = all.at(-1);
  return {
    wallS: median(all.map((r) => r.wallS)),
    parseS: median(all.map((r) => r.ms / 1000)),
    files: last.files, bytes: last.bytes, documents: last.documents,
    maxRssKb: median(all.map((r) => r.maxRssKb)),
    runs: all,
  };
}

/** The built-in policies as conftest must be given them: every .rego under policies/ but the tests. */
function policyFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) out.push(rel(path));
    }
  };
  walk(join(ROOT, "policies"));
  return out;
}

/** The last size whose inputs were exported: {models, bytes}, to project the next one's. */
let lastExport = null;

function measureConftest(n, fleet, conftest) {
  const inputs = join(OUT, `inputs-${n}`);
  // Each ModelInput carries the whole fleet index, so one input grows with N and all of them with
  // N²: project from the last export and skip before spending the time to read the fleet.
  if (lastExport && n > lastExport.models) {
    const projected = lastExport.bytes * (n / lastExport.models) ** 2;
    if (projected > conftestMaxBytes) {
      const skipped = `the exported inputs would take about ${(projected / 1e9).toFixed(0)} GB ` +
        `(${formatBytes(lastExport.bytes)} at ${lastExport.models} models × (${n}/${lastExport.models})²: every ModelInput carries the whole fleet index), ` +
        `over BENCH_CONFTEST_MAX_BYTES=${conftestMaxBytes}`;
      log(`  conftest skipped: ${skipped}`);
      return { skipped, export: { projectedBytes: projected } };
    }
  }
  const t = performance.now();
  const exported = spawnSync(process.execPath, [join("bench", "export-inputs.mjs"), fleet, inputs, String(conftestMaxBytes)],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  const exportWallS = (performance.now() - t) / 1000;
  if (exported.status !== 0) throw new Error(`bench/export-inputs.mjs exited ${exported.status}: ${exported.stderr}`);
  const ex = JSON.parse(exported.stdout.trim());
  const exportInfo = { wallS: exportWallS, readInputsS: ex.readMs / 1000, writeS: ex.writeMs / 1000, files: ex.files, bytes: ex.bytes, projectedBytes: ex.projectedBytes, dir: rel(inputs),
    dataFile: ex.dataFile && rel(ex.dataFile), dataBytes: ex.dataBytes };
  log(`  export ModelInputs: ${exportWallS.toFixed(2)} s` + (ex.skipped ? ` (not written: ${ex.skipped})` : ` (${ex.files} files, ${formatBytes(ex.bytes)}${ex.dataFile ? `; data.fleet ${formatBytes(ex.dataBytes)} in ${rel(ex.dataFile)}` : ""})`));
  if (ex.skipped) return { skipped: ex.skipped, export: exportInfo };
  lastExport = { models: n, bytes: ex.bytes };
  const args = ["test", "--no-color", "--no-fail", "--output", "json", "--namespace", "obsgate",
    ...policyFiles().flatMap((p) => ["--policy", p]), "--policy", rel(join(BENCH, "conftest")),
    ...(ex.dataFile ? ["--data", rel(ex.dataFile)] : []), rel(inputs)];
  const resultFile = join(OUT, `conftest-${n}.json`);
  const all = repeat("conftest", () => {
    const r = measure(conftest.binary, args);
    if (r.status !== 0) throw new Error(`conftest exited ${r.status}: ${r.stderr.trim().slice(0, 2000)}`);
    writeFileSync(resultFile, r.stdout);
    return { wallS: r.wallS, maxRssKb: r.maxRssKb };
  });
  const results = JSON.parse(readFileSync(resultFile, "utf8"));
  const count = (key) => results.reduce((sum, r) => sum + (r[key]?.length ?? 0), 0);
  return {
    command: `conftest test --no-color --no-fail --output json --namespace obsgate --policy <${policyFiles().length} files: policies/**/*.rego minus *_test.rego> --policy bench/conftest${ex.dataFile ? ` --data ${rel(ex.dataFile)}` : ""} ${rel(inputs)}`,
    wallS: median(all.map((r) => r.wallS)),
    maxRssKb: median(all.map((r) => r.maxRssKb)),
    runs: all,
    inputs: results.length,
    deny: count("failures"),
    warn: count("warnings"),
    output: rel(resultFile),
    export: exportInfo,
  };
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────

mkdirSync(OUT, { recursive: true });
log(`obsgate bench: sizes ${sizes.join(", ")}; ${runs} run(s) each; peak RSS by ${gnuTime ? "GNU time -v" : "bench/measure-check.mjs (no /usr/bin/time; `apt-get install time`)"}`);

let conftest = null;
let conftestSkip = null;
if (!conftestWanted) conftestSkip = "BENCH_CONFTEST=0";
else {
  conftest = ensureConftest(ROOT, log);
  if (conftest.skip) {
    conftestSkip = conftest.skip;
    conftest = null;
  } else log(`conftest: ${conftest.binary} (${conftest.version}, embeds OPA ${conftest.opa ?? "?"})`);
}
if (conftestSkip) log(`conftest ratio skipped: ${conftestSkip}`);

/** What was measured: the commit and the uncommitted changes that affect a run (read-only git). */
function treeState() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return { head: null, dirty: [] };
  const dirty = git("status", "--porcelain", "--", "src", "policies", "dist", "schemas", "package.json").stdout
    .split("\n").filter(Boolean).map((l) => l.slice(3));
  return { head: head.stdout.trim(), dirty };
}
const tree = treeState();
const treeText = tree.head ? `obsgate at ${tree.head}${tree.dirty.length ? ` + uncommitted changes to ${tree.dirty.length} file(s) (${tree.dirty.slice(0, 6).join(", ")}${tree.dirty.length > 6 ? ", …" : ""})` : ""}` : "obsgate (not a git checkout)";
log(treeText);

const jsYamlVersion = JSON.parse(readFileSync(join(ROOT, "node_modules", "js-yaml", "package.json"), "utf8")).version;
const results = [];
for (const n of sizes) {
  log(`\n── ${n} models`);
  const t = performance.now();
  const generated = generateFleet(n, { seed });
  log(`  fleet: ${rel(generated.dir)} ${generated.reused ? "(kept)" : `(generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`}: ${generated.files} files, ${formatBytes(generated.bytes)}`);
  if (generated.seed !== seed) log(`  note: the kept fleet was generated with seed ${generated.seed}; delete it to regenerate`);
  const fleet = generated.dir;
  const check = measureCheck(n, fleet);
  const floor = measureFloor(fleet);
  let conftestResult = conftestSkip ? { skipped: conftestSkip } : measureConftest(n, fleet, conftest);
  results.push({
    models: n,
    fleet: rel(fleet),
    inputBytes: floor.bytes,
    files: floor.files,
    check,
    floor,
    conftest: conftestResult,
    modelsPerSecond: check.failed ? null : n / check.wallS,
    checkOverFloor: check.failed ? null : check.wallS / floor.wallS,
    checkOverConftest: conftestResult.skipped || check.failed ? null : check.wallS / conftestResult.wallS,
  });
}

// ── the table ───────────────────────────────────────────────────────────────────────────────────

const header = ["models", "input MB", "check wall s", "peak RSS MB", "models/s", "floor s", "check/floor", "conftest s", "check/conftest"];
const rows = results.map((r) => [
  String(r.models),
  (r.inputBytes / 1e6).toFixed(1),
  r.check.failed ? `failed ${r.check.wallS.toFixed(0)}` : r.check.wallS.toFixed(2),
  r.check.maxRssKb ? ((r.check.maxRssKb * 1024) / 1e6).toFixed(0) : "n/a",
  r.check.failed ? "—" : r.modelsPerSecond.toFixed(0),
  r.floor.wallS.toFixed(2),
  r.check.failed ? "—" : `${r.checkOverFloor.toFixed(1)}×`,
  r.conftest.skipped ? "skipped" : r.conftest.wallS.toFixed(2),
  r.checkOverConftest === null || r.check.failed ? "—" : `${r.checkOverConftest.toFixed(2)}×`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
const out = [];
out.push("", treeText, line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), "");
for (const r of results) {
  const c = r.conftest;
  if (r.check.failed) out.push(`${r.models} models: check FAILED after ${r.check.wallS.toFixed(0)} s (${r.check.failed})`);
  else out.push(`${r.models} models: check ${r.check.findings} open findings (${r.check.policyFindings} from policies); ` +
    `floor parsed ${r.floor.documents} documents in ${r.floor.parseS.toFixed(2)} s (process ${r.floor.wallS.toFixed(2)} s); ` +
    (c.skipped ? `conftest skipped: ${c.skipped}` :
      `conftest ${c.deny} deny + ${c.warn} warn over ${c.inputs} inputs` +
      (c.deny + c.warn === r.check.perModelFindings
        ? ` (as many as check's, counting a shared file's finding once per model: ${r.check.perModelFindings})`
        : ` (NOT as many as check's ${r.check.perModelFindings}, counting a shared file's finding once per model: not the same work)`) +
      `, peak RSS ${c.maxRssKb ? ((c.maxRssKb * 1024) / 1e6).toFixed(0) + " MB" : "n/a"}; ` +
      `input export ${c.export.wallS.toFixed(2)} s (${formatBytes(c.export.bytes)}, not in conftest s)`));
}

// ── the targets ─────────────────────────────────────────────────────────────────────────────────

const atTarget = results.find((r) => r.models === TARGETS.size);
const judged = atTarget ?? results.at(-1);
const conftestElsewhere = () => {
  const measured = results.filter((r) => r.checkOverConftest !== null).at(-1);
  return measured ? ` at ${judged.models.toLocaleString("en")}; at ${measured.models.toLocaleString("en")} check took ${measured.checkOverConftest.toFixed(2)}× conftest's time` : "";
};
const verdict = (ok) => (ok === null ? "not measured" : ok ? "met" : "NOT met");
const targets = judged && {
  models: judged.models,
  atTargetSize: Boolean(atTarget),
  floor: { target: `≤ ${TARGETS.floorRatio}× the floor`, value: judged.checkOverFloor, met: judged.check.failed ? false : judged.checkOverFloor <= TARGETS.floorRatio },
  rss: { target: "< 1 GiB peak RSS", valueBytes: judged.check.maxRssKb ? judged.check.maxRssKb * 1024 : null,
    met: judged.check.maxRssKb ? judged.check.maxRssKb * 1024 < TARGETS.rssBytes : null },
  conftest: { target: "faster than conftest", value: judged.checkOverConftest, met: judged.checkOverConftest === null ? null : judged.checkOverConftest < 1 },
};
if (targets) {
  out.push("", `Targets (${TARGETS.size.toLocaleString("en")} models${atTarget ? "" : `; judged at ${judged.models.toLocaleString("en")}, the largest size run`}): ` +
    `check ≤ ${TARGETS.floorRatio}× floor: ${verdict(targets.floor.met)} (${judged.check.failed ? `check did not finish in ${judged.check.wallS.toFixed(0)} s` : `${targets.floor.value.toFixed(1)}×`}); ` +
    `peak RSS < 1 GiB: ${verdict(targets.rss.met)}${targets.rss.valueBytes ? ` (${(targets.rss.valueBytes / GIB).toFixed(2)} GiB)` : ""}; ` +
    `faster than conftest: ${verdict(targets.conftest.met)}${targets.conftest.value === null ? conftestElsewhere() : ` (${targets.conftest.value.toFixed(2)}×)`}.`);
}
process.stdout.write(out.join("\n") + "\n");

const resultsFile = join(OUT, "results.json");
writeFileSync(resultsFile, JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memoryBytes: totalmem(), platform: `${platform()} ${release()}`, node: process.version },
  tools: { jsYaml: jsYamlVersion, conftest: conftest ? { binary: conftest.binary, version: conftest.version, opa: conftest.opa } : { skipped: conftestSkip }, peakRss: gnuTime ? "GNU time -v" : "process.resourceUsage().maxRSS" },
  tree, seed, runs, results, targets,
}, null, 2) + "\n");
log(`\nwrote ${rel(resultsFile)}`);
