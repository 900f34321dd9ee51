/**
 * The verification pool's worker (piscina): checks one authentication answer against the J-LIS
 * authentication root given in `workerData.rootDer` (auth-check.ts). The root's key is imported once
 * per thread. Each answer carries the check's own time in this thread (`workerMs`) and when it
 * started and ended on the process's monotonic clock (`startedAtMs`, `doneAtMs`: `process.hrtime`,
 * the same clock in every thread) — the Server-Timing split the load benchmark's twin reads.
 * @module
 */
import { workerData } from "node:worker_threads";
import type { CheckResult } from "./auth-check.js";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import { monotonicMs } from "./monotonic-clock.js";

/** One job of the pool. */
export interface VerifyJob {
  readonly certificate: Uint8Array;
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
  readonly at: number;
}

const anchor = trustAnchorOf((workerData as { rootDer: Uint8Array }).rootDer);

/** A check and its time on the worker thread (ms). */
export type TimedCheckResult = CheckResult & {
  readonly workerMs: number;
  readonly startedAtMs: number;
  readonly doneAtMs: number;
};

export default function verifyJob(job: VerifyJob): TimedCheckResult {
  const startedAtMs = monotonicMs();
  const r = checkAuthAnswer(anchor, job.certificate, job.challenge, job.signature, job.at);
  const doneAtMs = monotonicMs();
  return { ...r, workerMs: doneAtMs - startedAtMs, startedAtMs, doneAtMs };
}
