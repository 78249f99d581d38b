#!/usr/bin/env node
// obsgate's executable: hands the command line and the process's streams to `run`.
import { setFlagsFromString } from "node:v8";
import { isEvaluationWorker } from "../policy/evaluation-pool.js";
// Bundled into dist/cli.js, this file is also the code of the evaluation workers it starts.
import "../policy/evaluation-worker.js";
import { run } from "./program.js";

// A fleet is checked a batch of models at a time, and each batch's documents are garbage once its
// findings are located. V8's default heap growth lets that garbage pile up to several times what is
// live before collecting it (2.8 GB at 10,000 models); grown by a fifth at a time, the heap stays
// near what is live. Read by V8 at each collection, so setting it here takes effect.
if (!isEvaluationWorker()) {
  setFlagsFromString("--heap-growing-percent=20");
  const exitCode = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
  });
  process.exitCode = exitCode;
}
