/**
 * The service's verification pool: RSA work of every `POST /v1/auth/verify` (certificate signature
 * and challenge signature, auth-check.ts) on piscina worker threads (DESIGN.md §5: "crypto on the
 * piscina pool"), so the event loop only parses HTTP and JSON. Its own small worker (verify-worker.ts)
 * rather than sim/crypto's batch pool: one job per request, no per-task MessageChannel or msgpack.
 * `threads: 0` checks in this thread (no pool). The queue in front of it is bounded by admission.
 * @module
 */
import { Piscina } from "piscina";
import { InputError } from "../../engine/errors.js";
import { workerModule } from "../../engine/pool/task-pool.js";
import type { CheckResult, TrustAnchor } from "./auth-check.js";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import type { TimedCheckResult, VerifyJob } from "./verify-worker.js";
import { monotonicMs } from "./monotonic-clock.js";

/** A check with its timing: on the worker, and from hand-over to answer on the calling thread (ms). */
export interface PoolCheck extends TimedCheckResult {
  /** From `check` to its answer on the calling thread: pool queue + hop to the worker + work + hop back. */
  readonly roundTripMs: number;
  /** From `check` to the start of the work on the worker (pool queue + hop). */
  readonly toWorkerMs: number;
  /** From the end of the work on the worker to its answer on the calling thread (hop + the calling thread's own wait). */
  readonly backMs: number;
  /** A thread was free when the job was handed over (so `toWorkerMs` has no queueing in it). */
  readonly threadWasFree: boolean;
}

const WORKER_URL = new URL("./verify-worker.js", import.meta.url);

/** Checks `--threads`. @throws InputError */
export function checkPoolThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 0 || threads > 256)
    throw new InputError(
      `--threads: expected a whole number from 0 to 256 (0 = no pool), got ${threads}`,
      "E_SERVE_ARGS",
    );
  return threads;
}

export class VerifyPool {
  readonly threads: number;
  readonly #piscina: Piscina | undefined;
  readonly #anchor: TrustAnchor | undefined;
  readonly #started = performance.now();
  #busyMs = 0;
  #jobs = 0;
  #outstanding = 0;

  constructor(rootDer: Uint8Array, threads: number) {
    this.threads = checkPoolThreads(threads);
    if (this.threads === 0) {
      this.#anchor = trustAnchorOf(rootDer);
      return;
    }
    const { filename, execArgv } = workerModule(WORKER_URL);
    this.#piscina = new Piscina({
      filename,
      minThreads: this.threads,
      maxThreads: this.threads,
      execArgv,
      idleTimeout: Infinity,
      workerData: { rootDer },
    });
  }

  /** Jobs run so far. */
  get jobs(): number {
    return this.#jobs;
  }

  /** Fraction of the pool's capacity used since start (piscina's `utilization`; in-thread: busy time / elapsed). */
  get utilization(): number {
    if (this.#piscina) return this.#piscina.utilization;
    const elapsed = performance.now() - this.#started;
    return elapsed > 0 ? this.#busyMs / elapsed : 0;
  }

  /** Starts every thread, so the first requests do not pay for thread start-up. */
  async warmUp(probe: VerifyJob): Promise<void> {
    await Promise.all(Array.from({ length: Math.max(1, this.threads) * 2 }, () => this.check(probe)));
    this.#jobs = 0;
  }

  async check(job: VerifyJob): Promise<PoolCheck> {
    this.#jobs++;
    const t0 = monotonicMs();
    if (this.#piscina) {
      const threadWasFree = this.#outstanding < this.threads;
      this.#outstanding++;
      try {
        const r = (await this.#piscina.run(job)) as TimedCheckResult;
        const t1 = monotonicMs();
        return {
          ...r,
          roundTripMs: t1 - t0,
          toWorkerMs: r.startedAtMs - t0,
          backMs: t1 - r.doneAtMs,
          threadWasFree,
        };
      } finally {
        this.#outstanding--;
      }
    }
    const r: CheckResult = checkAuthAnswer(
      this.#anchor!,
      job.certificate,
      job.challenge,
      job.signature,
      job.at,
    );
    const t1 = monotonicMs();
    const ms = t1 - t0;
    this.#busyMs += ms;
    return {
      ...r,
      workerMs: ms,
      startedAtMs: t0,
      doneAtMs: t1,
      roundTripMs: ms,
      toWorkerMs: 0,
      backMs: 0,
      threadWasFree: true,
    };
  }

  async destroy(): Promise<void> {
    await this.#piscina?.destroy();
  }
}
