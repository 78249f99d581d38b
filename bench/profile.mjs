// Profiles one `obsgate check` of a generated fleet with V8's CPU profiler and summarises where the
// time goes: self time per function (top 25) and per area (YAML parsing, schema validation, PromQL,
// Wasm evaluation, JSON, GC, …).
//
//   node bench/profile.mjs N            generate fleet-N if missing, profile `check` on it
//   node bench/profile.mjs FILE.cpuprofile   summarise an existing profile
//
// Profiles go to bench/out/profile-N/ (open one in Chrome DevTools → Performance, or speedscope).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateFleet } from "./generate.mjs";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const OUT = join(BENCH, "out");

/** Which part of the pipeline a profile node's own time belongs to. */
export function areaOf(frame) {
  const { url, functionName: name } = frame;
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || name === "(idle)" || name === "(root)") return "V8 (program/idle)";
  if (url.startsWith("wasm://")) return "Wasm evaluation (OPA policy)";
  if (url.includes("/@open-policy-agent/opa-wasm/")) return "opa-wasm JS glue (input/result JSON, builtins)";
  if (url.includes("/node_modules/yaml/")) return "YAML parsing (yaml)";
  if (url.includes("/node_modules/ajv")) return "schema validation (ajv, compile + run)";
  if (url === "" && /^validate\d+$/.test(name)) return "schema validation (ajv, compile + run)";
  if (url.includes("/@prometheus-io/lezer-promql/") || url.includes("/@lezer/")) return "PromQL parsing (lezer)";
  if (url.includes("/node_modules/")) return `other packages (${url.split("/node_modules/").at(-1).split("/").slice(0, url.includes("/node_modules/@") ? 2 : 1).join("/")})`;
  const lib = url.match(/\/lib\/(.+)\.js$/);
  if (lib) return `obsgate lib/${lib[1].split("/")[0]}/`;
  if (url.startsWith("node:") || url === "") return name === "" ? "V8 (program/idle)" : `Node/V8 builtins`;
  return "other";
}

export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: sum of the sample intervals attributed to it.
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byArea = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const where = callFrame.url ? `${callFrame.url.replace(`file://${ROOT}/`, "").replace(/^.*\/node_modules\//, "")}:${callFrame.lineNumber + 1}` : "";
    const key = `${callFrame.functionName || "(anonymous)"}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const area = areaOf(callFrame);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const secs = (us) => `${(us / 1e6).toFixed(2).padStart(7)} s`;
  const lines = [`total sampled: ${(total / 1e6).toFixed(2)} s`, "", "self time by area:"];
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1])) lines.push(`  ${secs(us)} ${pct(us)}  ${area}`);
  lines.push("", `top ${top} functions by self time:`);
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${secs(us)} ${pct(us)}  ${key}`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: node bench/profile.mjs N | FILE.cpuprofile");
    process.exit(2);
  }
  let file = arg;
  if (/^\d+$/.test(arg)) {
    const n = Number(arg);
    const fleet = generateFleet(n).dir;
    const dir = join(OUT, `profile-${n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const args = ["--cpu-prof", "--cpu-prof-dir", relative(ROOT, dir), join("lib", "cli", "main.js"), "check", relative(ROOT, fleet),
      "--format", "json", "--output", relative(ROOT, join(OUT, `report-${n}.json`)), "--fail-on", "never"];
    console.error(`node ${args.join(" ")}`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
    console.error(`wall ${((performance.now() - t0) / 1000).toFixed(2)} s, exit ${r.status}`);
    const profiles = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(dir, f));
    file = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    console.error(`profile: ${relative(ROOT, file)}`);
  }
  console.log(summarise(JSON.parse(readFileSync(file, "utf8"))));
}
