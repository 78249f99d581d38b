// An evaluation worker (evaluation-pool.ts): loads every policy set once, hands it the fleet
// index, then evaluates each batch of encoded inputs it is sent, in order. Only in a thread started
// as one: a bundle of dist/ holds this module and is the worker's code too (see `workerEntry`).
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { DiagnosticError } from "../diagnostics.js";
import type { PolicySet } from "./engine.js";
import { evaluateEncoded, isEvaluationWorker, type EncodedInput, type WorkerReply, type WorkerSetup } from "./evaluation-pool.js";
import { prepareSets } from "./index.js";

if (isEvaluationWorker()) await serveEvaluations(workerData as WorkerSetup);

async function serveEvaluations(setup: WorkerSetup): Promise<void> {
  // The modules were checked when the main thread loaded them; here they only load again.
  const sets: PolicySet[] = await Promise.all(
    setup.sets.map(async (s) => ({ ...s, metadata: new Map(s.metadata), policy: await loadPolicy(s.module) })),
  );
  prepareSets(sets, setup.fleet);

  parentPort!.on("message", ({ id, inputs }: { id: number; inputs: EncodedInput[] }) => {
    let reply: WorkerReply;
    try {
      reply = { id, findings: inputs.map((input) => evaluateEncoded(sets, input)) };
    } catch (error) {
      reply = error instanceof DiagnosticError
        ? { id, diagnostics: error.diagnostics }
        : { id, failure: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply);
  });
}
