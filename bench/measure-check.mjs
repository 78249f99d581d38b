// Fallback for machines without GNU time (`apt-get install time`): runs `obsgate check` in this
// process, through the same `run` the executable (lib/cli/main.js) calls, and prints one JSON line
// {ms, maxRssKb, exitCode} on stdout. Peak RSS is this process's (`process.resourceUsage().maxRSS`),
// which is the CLI's plus this wrapper's few hundred kilobytes.
//
//   node bench/measure-check.mjs check PATH --format json --output FILE --fail-on never
const t0 = performance.now();
const { run } = await import("../lib/cli/program.js");
let stdoutBytes = 0;
const exitCode = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: false,
  writeOut: (text) => { stdoutBytes += text.length; },
  writeErr: (text) => process.stderr.write(text),
});
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, exitCode, stdoutBytes }));
