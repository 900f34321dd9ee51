/**
 * The verification pool's worker (piscina): checks a batch of authentication answers
 * (verify-batch.ts) against the J-LIS authentication root given in `workerData.rootDer`
 * (auth-check.ts). The root's key is imported once per thread. Its named export `ed25519Batch` runs
 * the provision hub's Ed25519 jobs (ed25519-batch.ts), each key imported once per thread.
 *
 * The thread records its own GC pauses (PerformanceObserver "gc": start on the epoch clock, length)
 * and hands those since its previous verify batch back with each answer (`gc`), at most
 * {@link MAX_GC_RECORDS} waiting: the pool's pauses are the service's to report (bench:load's twin
 * replays them). The entries reach the observer from the thread's event loop, which runs between
 * tasks because the pool waits for tasks with `atomics: "async"` (verify-pool.ts).
 * @module
 */
import type { PerformanceEntry } from "node:perf_hooks";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { workerData } from "node:worker_threads";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import type { Ed25519Batch, Ed25519BatchResult } from "./ed25519-batch.js";
import { Ed25519Keys, runEd25519Batch } from "./ed25519-batch.js";
import type { VerifyBatch, VerifyBatchResult } from "./verify-batch.js";
import { runBatch } from "./verify-batch.js";

const anchor = trustAnchorOf((workerData as { rootDer: Uint8Array }).rootDer);

/** GC pauses kept for the next answer, at most (later ones beyond it are dropped). */
export const MAX_GC_RECORDS = 4096;
let gc: number[] = [];
const collect = (entries: readonly PerformanceEntry[]): void => {
  for (const e of entries)
    if (gc.length < 2 * MAX_GC_RECORDS) gc.push(performance.timeOrigin + e.startTime, e.duration);
};
const observer = new PerformanceObserver((list) => collect(list.getEntries()));
observer.observe({ entryTypes: ["gc"] });

export default function verifyBatch(batch: VerifyBatch): VerifyBatchResult {
  const result = runBatch(batch, (certificate, challenge, signature, at) =>
    checkAuthAnswer(anchor, certificate, challenge, signature, at),
  );
  collect(observer.takeRecords());
  const pauses = Float64Array.from(gc);
  gc = [];
  return { ...result, gc: pauses };
}

const ed25519Keys = new Ed25519Keys();

/** A batch of Ed25519 jobs (verify-pool.ts `ed25519`). */
export function ed25519Batch(batch: Ed25519Batch): Ed25519BatchResult {
  return runEd25519Batch(batch, ed25519Keys);
}
