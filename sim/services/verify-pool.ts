/**
 * The service's verification pool: RSA work of every `POST /v1/auth/verify` (certificate signature
 * and challenge signature, auth-check.ts) on piscina worker threads (DESIGN.md §5: "crypto on the
 * piscina pool"), so the event loop only parses HTTP and JSON. Its own small worker (verify-worker.ts)
 * rather than sim/crypto's batch pool: no per-task MessageChannel or msgpack. A job goes to a free
 * thread at once; jobs that arrive while every thread is busy wait here and leave together, as one
 * batch of two transferred buffers (verify-batch.ts), when a thread comes free — under load one
 * message round trip serves many verifications (a message of three byte arrays cost the main thread
 * more than the verification itself). `threads: 0` checks in this thread (no pool). The queue in
 * front of it is bounded by admission (at most `maxInFlight` jobs wait here).
 *
 * A second job kind, {@link VerifyPool.ed25519}: the provision hub's Ed25519 signatures
 * (ed25519-batch.ts), batched the same way on their own queue — the jobs handed over while a batch of
 * them is on a thread, or within one turn of the event loop, leave together.
 * @module
 */
import { Piscina } from "piscina";
import type { Ed25519Batch, Ed25519BatchResult, Ed25519Job, Ed25519Result } from "./ed25519-batch.js";
import { Ed25519Keys, packEd25519Batch, runEd25519Job } from "./ed25519-batch.js";
import { InputError } from "../../engine/errors.js";
import { workerModule } from "../../engine/pool/task-pool.js";
import type { CheckResult, TrustAnchor } from "./auth-check.js";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import type { TimedCheckResult, VerifyBatchResult, VerifyJob } from "./verify-batch.js";
import { OUTCOMES, packBatch } from "./verify-batch.js";
import { monotonicMs } from "./monotonic-clock.js";

/** Most jobs in one batch (a batch's last job waits for the others: ≈0.15 ms each). */
export const MAX_BATCH = 32;
/** Most Ed25519 jobs in one batch (≈0.05-0.15 ms each). */
export const MAX_ED25519_BATCH = 64;

/** A check with its timing: on the worker, and from hand-over to answer on the calling thread (ms). */
export interface PoolCheck extends TimedCheckResult {
  /** From `check` to its answer on the calling thread: queue + hop to the worker + its batch's work + hop back. */
  readonly roundTripMs: number;
  /** From `check` to its batch's hand-over to a thread (0 when a thread was free). */
  readonly queueMs: number;
  /** From its batch's hand-over to the start of the batch's work on the thread (the hop). */
  readonly toWorkerMs: number;
  /** From the end of its batch's work on the thread to its answer on the calling thread (hop + the calling thread's own wait). */
  readonly backMs: number;
  /** A thread was free when the job was handed over: it went alone, with no queue wait. */
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

interface Waiting {
  readonly job: VerifyJob;
  readonly t0: number;
  readonly threadWasFree: boolean;
  readonly resolve: (r: PoolCheck) => void;
  readonly reject: (e: unknown) => void;
}

export class VerifyPool {
  readonly threads: number;
  readonly #piscina: Piscina | undefined;
  readonly #anchor: TrustAnchor | undefined;
  readonly #started = performance.now();
  #busyMs = 0;
  #jobs = 0;
  /** Batches on the threads now. */
  #running = 0;
  #waiting: Waiting[] = [];
  #batches = 0;
  #edWaiting: { job: Ed25519Job; resolve: (r: Ed25519Result) => void; reject: (e: unknown) => void }[] = [];
  #edRunning = 0;
  #edScheduled = false;
  #edKeys: Ed25519Keys | undefined;

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

  /** Batches (messages to a thread) so far: fewer than {@link jobs} under load. */
  get batches(): number {
    return this.#batches;
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
    this.#batches = 0;
  }

  check(job: VerifyJob): Promise<PoolCheck> {
    this.#jobs++;
    const t0 = monotonicMs();
    if (this.#piscina) {
      return new Promise<PoolCheck>((resolve, reject) => {
        this.#waiting.push({ job, t0, threadWasFree: this.#running < this.threads, resolve, reject });
        if (this.#running < this.threads) this.#dispatch();
      });
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
    return Promise.resolve({
      ...r,
      workerMs: ms,
      startedAtMs: t0,
      doneAtMs: t1,
      roundTripMs: ms,
      queueMs: 0,
      toWorkerMs: 0,
      backMs: 0,
      threadWasFree: true,
    });
  }

  /** Sends the waiting jobs (up to {@link MAX_BATCH}) to a thread as one batch. */
  #dispatch(): void {
    const batch = this.#waiting.length <= MAX_BATCH ? this.#waiting : this.#waiting.slice(0, MAX_BATCH);
    this.#waiting = this.#waiting.length <= MAX_BATCH ? [] : this.#waiting.slice(MAX_BATCH);
    this.#running++;
    this.#batches++;
    const handedOver = monotonicMs();
    const packed = packBatch(batch.map((w) => w.job));
    this.#piscina!.run(packed, {
      transferList: [packed.bytes.buffer as ArrayBuffer, packed.meta.buffer as ArrayBuffer],
    }).then(
      (res: VerifyBatchResult) => {
        const t1 = monotonicMs();
        this.#settle();
        // The batch's hops: hand-over to its first check, its last check to here.
        const toWorkerMs = res.times[0]! - handedOver;
        const backMs = t1 - res.times[2 * batch.length - 1]!;
        let from = 0;
        batch.forEach((w, i) => {
          const startedAtMs = res.times[2 * i]!;
          const doneAtMs = res.times[2 * i + 1]!;
          const to = res.serialEnds[i]!;
          w.resolve({
            outcome: OUTCOMES[res.outcome[i]!]!,
            serial: res.serials.slice(from, to),
            detail: res.details[i]!,
            workerMs: doneAtMs - startedAtMs,
            startedAtMs,
            doneAtMs,
            roundTripMs: t1 - w.t0,
            queueMs: handedOver - w.t0,
            toWorkerMs,
            backMs,
            threadWasFree: w.threadWasFree && i === 0,
          });
          from = to;
        });
      },
      (e: unknown) => {
        this.#settle();
        for (const w of batch) w.reject(e);
      },
    );
  }

  #settle(): void {
    this.#running--;
    if (this.#waiting.length > 0) this.#dispatch();
  }

  /**
   * An Ed25519 job (ed25519-batch.ts) on a pool thread, batched with the others waiting; with no
   * threads, here.
   */
  ed25519(job: Ed25519Job): Promise<Ed25519Result> {
    if (!this.#piscina) return Promise.resolve(runEd25519Job(job, (this.#edKeys ??= new Ed25519Keys())));
    return new Promise<Ed25519Result>((resolve, reject) => {
      this.#edWaiting.push({ job, resolve, reject });
      if (this.#edRunning < this.threads && !this.#edScheduled) {
        this.#edScheduled = true;
        setImmediate(() => {
          this.#edScheduled = false;
          while (this.#edRunning < this.threads && this.#edWaiting.length > 0) this.#edDispatch();
        });
      }
    });
  }

  /** Sends the waiting Ed25519 jobs (up to {@link MAX_ED25519_BATCH}) to a thread as one batch. */
  #edDispatch(): void {
    const batch = this.#edWaiting.slice(0, MAX_ED25519_BATCH);
    this.#edWaiting = this.#edWaiting.slice(batch.length);
    this.#edRunning++;
    const packed: Ed25519Batch = packEd25519Batch(batch.map((w) => w.job));
    this.#piscina!.run(packed, {
      name: "ed25519Batch",
      transferList: [packed.bytes.buffer as ArrayBuffer, packed.meta.buffer as ArrayBuffer],
    }).then(
      (res: Ed25519BatchResult) => {
        this.#edSettle();
        batch.forEach((w, i) =>
          w.resolve({
            ok: res.ok[i] === 1,
            signature: w.job.kind === "sign" ? res.signatures.slice(64 * i, 64 * i + 64) : new Uint8Array(0),
          }),
        );
      },
      (e: unknown) => {
        this.#edSettle();
        for (const w of batch) w.reject(e);
      },
    );
  }

  #edSettle(): void {
    this.#edRunning--;
    if (this.#edWaiting.length > 0) this.#edDispatch();
  }

  async destroy(): Promise<void> {
    await this.#piscina?.destroy();
  }
}
