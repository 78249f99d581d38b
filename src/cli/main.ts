#!/usr/bin/env node
// obsgate's executable: hands the command line and the process's streams to `run`.
import { run } from "./program.js";

const exitCode = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
});
process.exitCode = exitCode;
