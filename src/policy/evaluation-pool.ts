// Evaluation on every core: worker threads, each with one loaded instance of every policy set
// (`setData` once with the fleet index, `evaluate` per model), fed models' inputs as encoded JSON.
// A worker runs the very function the main thread runs for a fleet too small to be worth one
// (`evaluateEncoded`), so there is one evaluation path.
import { availableParallelism } from "node:os";
import { isMainThread, Worker, workerData } from "node:worker_threads";
import { DiagnosticError } from "../diagnostics.js";
import { runningFromBundle } from "../package-root.js";
import type { FleetIndex } from "../model/index.js";
import type { Diagnostic, RuleMetadata } from "../types.js";
import { evaluateFindings, type PolicySet, type RawFinding } from "./engine.js";

/** A model's input as the policies read it: its JSON, encoded once, so it crosses to a worker without a copy. */
export interface EncodedInput {
  json: ArrayBuffer;
  /** The model named in a policy's diagnostics. */
  label: string;
}

export function encodeInput(input: unknown, label: string): EncodedInput {
  const bytes = new TextEncoder().encode(JSON.stringify(input));
  return { json: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, label };
}

/** One model's raw findings from every set, in the order of the sets. */
export function evaluateEncoded(sets: readonly PolicySet[], input: EncodedInput): RawFinding[] {
  return sets.flatMap((set) => evaluateFindings(set, input.json, input.label));
}

/** Marks a thread started to evaluate (its `workerData.role`), as opposed to any other thread. */
const EVALUATION_WORKER_ROLE = "obsgate/evaluation-worker";

/** Whether this thread is an evaluation worker: then it serves evaluations and runs no command. */
export function isEvaluationWorker(): boolean {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === EVALUATION_WORKER_ROLE;
}

/**
 * The code a worker runs: evaluation-worker.js beside this module; in a bundle of dist/, which is one
 * file, the bundle itself, whose entry serves evaluations instead of running a command in a worker.
 */
function workerEntry(): URL {
  return runningFromBundle() ? new URL(import.meta.url) : new URL("./evaluation-worker.js", import.meta.url);
}

/** What a worker is started with: every set's module and data, and the fleet index. */
export interface WorkerSetup {
  role: typeof EVALUATION_WORKER_ROLE;
  sets: Array<{ name: string; module: Uint8Array; data: Record<string, unknown>; metadata: Array<[string, RuleMetadata]>; sha256: string; opaVersion: string | null }>;
  fleet: FleetIndex;
}

export type WorkerReply = { id: number; findings: RawFinding[][] } | { id: number; diagnostics: Diagnostic[] } | { id: number; failure: string };

/** Evaluates batches of encoded inputs on worker threads, in the order asked. */
export class EvaluationPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (findings: RawFinding[][]) => void; reject: (error: Error) => void }>();
  private next = 0;
  /** Why a worker stopped (it failed to start, or died): every later batch fails with it rather than wait forever. */
  private failure: Error | null = null;

  constructor(sets: readonly PolicySet[], fleet: FleetIndex, size: number) {
    const setup: WorkerSetup = {
      role: EVALUATION_WORKER_ROLE,
      sets: sets.map((s) => ({ name: s.name, module: s.module, data: s.data, metadata: [...s.metadata], sha256: s.sha256, opaVersion: s.opaVersion })),
      fleet,
    };
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(workerEntry(), { workerData: setup });
      worker.on("message", (reply: WorkerReply) => {
        const waiting = this.waiting.get(reply.id)!;
        this.waiting.delete(reply.id);
        if ("findings" in reply) waiting.resolve(reply.findings);
        else if ("diagnostics" in reply) waiting.reject(new DiagnosticError(reply.diagnostics));
        else waiting.reject(new Error(reply.failure));
      });
      worker.on("error", (error) => this.failAll(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.failAll(new Error(`an evaluation worker stopped (exit code ${code})`));
      });
      return worker;
    });
  }

  /** Workers worth starting beside the main thread, which reads and assembles meanwhile: one per other core. */
  static defaultSize(): number {
    return Math.max(1, availableParallelism() - 1);
  }

  /** Each input's raw findings, in the order given. */
  evaluate(inputs: readonly EncodedInput[]): Promise<RawFinding[][]> {
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, inputs }, inputs.map((i) => i.json));
    });
  }

  async close(): Promise<void> {
    // Terminated on purpose: not a failure.
    this.failure ??= new Error("the evaluation workers were closed");
    for (const worker of this.workers) worker.removeAllListeners("exit");
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
