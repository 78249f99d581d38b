// The Action's entry point (action.yml's runs.main, bundled as dist/index.js): it only calls run(),
// except in the evaluation workers a large fleet starts, whose code is this same bundle.
import { isEvaluationWorker } from "../policy/evaluation-pool.js";
import "../policy/evaluation-worker.js";
import { run } from "./main.js";

if (!isEvaluationWorker()) await run();
