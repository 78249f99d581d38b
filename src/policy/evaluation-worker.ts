// An evaluation worker (evaluation-pool.ts): loads every policy set once, hands it the fleet
// index, then evaluates each batch of encoded inputs it is sent, in order.
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { DiagnosticError } from "../diagnostics.js";
import type { PolicySet } from "./engine.js";
import { evaluateEncoded, type EncodedInput, type WorkerReply, type WorkerSetup } from "./evaluation-pool.js";
import { prepareSets } from "./index.js";

const setup = workerData as WorkerSetup;
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
