/**
 * Batches of the verification pool (verify-pool.ts ↔ verify-worker.ts): the jobs waiting when a
 * pool thread becomes free travel to it as one message of two transferred buffers (no per-job
 * object for postMessage to clone) and their answers come back as one message of typed arrays: per
 * job the outcome, the certificate's serial, a reason for a refusal, and when the check started and
 * ended on the process's monotonic clock (`process.hrtime`, the same clock in every thread) — the
 * Server-Timing split the load benchmark's twin reads.
 * @module
 */
import type { CheckOutcome, CheckResult } from "./auth-check.js";
import { monotonicMs } from "./monotonic-clock.js";

/** One job of the pool. */
export interface VerifyJob {
  readonly certificate: Uint8Array;
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
  readonly at: number;
}

/** A check and its time on the worker thread (ms). */
export type TimedCheckResult = CheckResult & {
  readonly workerMs: number;
  readonly startedAtMs: number;
  readonly doneAtMs: number;
};

/** Outcomes by their code in a {@link VerifyBatchResult}. */
export const OUTCOMES: readonly CheckOutcome[] = ["ok", "untrusted_certificate", "expired", "bad_signature"];

/**
 * A batch of jobs: `bytes` holds each job's certificate, challenge and signature back to back;
 * `meta` holds per job [certificate length, challenge length, signature length, at].
 */
export interface VerifyBatch {
  readonly bytes: Uint8Array;
  readonly meta: Float64Array;
}

/**
 * The answers of a batch: per job `outcome` (index into {@link OUTCOMES}), its serial in `serials`
 * (ending at `serialEnds[i]`), `details[i]` (empty when ok), and `times` [started, done] per job.
 */
export interface VerifyBatchResult {
  readonly outcome: Uint8Array;
  readonly serials: Uint8Array;
  readonly serialEnds: Uint32Array;
  readonly details: string[];
  readonly times: Float64Array;
}

/** Packs jobs into one {@link VerifyBatch} (two buffers, to be transferred). */
export function packBatch(jobs: readonly VerifyJob[]): VerifyBatch {
  let size = 0;
  for (const j of jobs) size += j.certificate.length + j.challenge.length + j.signature.length;
  const bytes = new Uint8Array(size);
  const meta = new Float64Array(jobs.length * 4);
  let p = 0;
  jobs.forEach((j, i) => {
    bytes.set(j.certificate, p);
    p += j.certificate.length;
    bytes.set(j.challenge, p);
    p += j.challenge.length;
    bytes.set(j.signature, p);
    p += j.signature.length;
    meta[4 * i] = j.certificate.length;
    meta[4 * i + 1] = j.challenge.length;
    meta[4 * i + 2] = j.signature.length;
    meta[4 * i + 3] = j.at;
  });
  return { bytes, meta };
}

/** Checks every job of a batch with `check` (the trust anchor's check in the worker). */
export function runBatch(
  batch: VerifyBatch,
  check: (certificate: Uint8Array, challenge: Uint8Array, signature: Uint8Array, at: number) => CheckResult,
): VerifyBatchResult {
  const n = batch.meta.length / 4;
  const outcome = new Uint8Array(n);
  const serialEnds = new Uint32Array(n);
  const serialList: Uint8Array[] = [];
  const details: string[] = [];
  const times = new Float64Array(2 * n);
  const { bytes, meta } = batch;
  let p = 0;
  let serialSize = 0;
  for (let i = 0; i < n; i++) {
    const c = meta[4 * i]!;
    const h = meta[4 * i + 1]!;
    const s = meta[4 * i + 2]!;
    const started = monotonicMs();
    const r = check(
      bytes.subarray(p, p + c),
      bytes.subarray(p + c, p + c + h),
      bytes.subarray(p + c + h, p + c + h + s),
      meta[4 * i + 3]!,
    );
    times[2 * i] = started;
    times[2 * i + 1] = monotonicMs();
    p += c + h + s;
    outcome[i] = OUTCOMES.indexOf(r.outcome);
    serialList.push(r.serial);
    serialSize += r.serial.length;
    serialEnds[i] = serialSize;
    details.push(r.detail);
  }
  const serials = new Uint8Array(serialSize);
  let q = 0;
  for (const s of serialList) {
    serials.set(s, q);
    q += s.length;
  }
  return { outcome, serials, serialEnds, details, times };
}
