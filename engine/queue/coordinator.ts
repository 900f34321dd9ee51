/**
 * The queue's coordinator (issue 13 items 1–3): a {@link TaskRunner} with `runTasks`'s contract —
 * every task in, their results out in task order — that sends the tasks through a BullMQ queue on
 * Redis to any number of workers (queue-worker.ts) instead of local threads.
 *
 * - Each task is a job whose id is the task's content hash (task-wire.ts); a result is stored
 *   under that id by the worker that made it, and counted once however many workers ran the task.
 * - Results already in Redis (a coordinator killed and restarted with the same run: the same tasks,
 *   so the same ids) are taken, not recomputed; a job that failed in an earlier run is queued again.
 * - A job fails for good after {@link QueueCoordinatorOptions.attempts} attempts (or as soon as a
 *   worker refuses its code version): the run fails with the task's error.
 * - Redis that does not answer for {@link LOST_AFTER_MS} fails the run with one message.
 *
 * Keys (prefix `myna-twin`): the BullMQ queue `tasks`; `myna-twin:result:<task id>` (result record,
 * {@link RESULT_TTL_S}); `myna-twin:data:<sha256>` (data bundles, {@link DATA_TTL_S}).
 * @module
 */
import { Queue, QueueEvents, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { decode, type RunTasksOptions } from "../pool/task-pool.js";
import { bullConnection, connectRedis, LOST_AFTER_MS, QueueLostError } from "./connection.js";
import { packDataDir, type DataBundle } from "./data-bundle.js";
import type { RedisTarget } from "./redis-url.js";
import { kindOf, type TaskKinds, type TaskRunner } from "./task-kinds.js";
import {
  decodeResult,
  encodeTask,
  taskDataDir,
  taskId,
  VersionMismatchError,
  type JobData,
} from "./task-wire.js";

/** Key prefix of everything the queue keeps in Redis. */
export const QUEUE_PREFIX = "myna-twin";
/** The BullMQ queue's name. */
export const QUEUE_NAME = "tasks";
/** How long a result stays in Redis after it is written or last used (seconds). */
export const RESULT_TTL_S = 7 * 86_400;
/** How long a data bundle stays in Redis after the last run that sent it (seconds). */
export const DATA_TTL_S = 7 * 86_400;
/** How long a failed job stays in Redis for inspection (seconds). */
export const FAILED_TTL_S = 86_400;
/** The prefix a worker puts before the reason of a task it refuses for its code version. */
export const VERSION_REFUSAL = "E_QUEUE_VERSION: ";

export const resultKey = (id: string): string => `${QUEUE_PREFIX}:result:${id}`;
export const dataKey = (hash: string): string => `${QUEUE_PREFIX}:data:${hash}`;

/** Where a queued run stands (for the coordinator's progress line). */
export interface QueueProgress {
  total: number;
  /** Results in hand (those found in Redis at the start included). */
  done: number;
  /** Results that were already in Redis when the batch started. */
  resumed: number;
  running: number;
  waiting: number;
  /** Attempts that failed or stalled and were retried. */
  retried: number;
  /** Workers connected to the queue. */
  workers: number;
}

export interface QueueCoordinatorOptions {
  /** Code version of this coordinator (code-version.ts). */
  version: string;
  kinds: TaskKinds;
  /** Attempts per task before the run fails (default 3). */
  attempts?: number;
  /** How long Redis may not answer before the run fails (default {@link LOST_AFTER_MS}). */
  lostAfterMs?: number;
  onProgress?: (p: QueueProgress) => void;
}

/** A task failed on every attempt: the run fails with its error. */
export class QueueTaskError extends Error {
  readonly code = "E_QUEUE_TASK";
}

const POLL_MS = 250;
const STATE_CHECK_MS = 2000;

export class QueueCoordinator {
  readonly #target: RedisTarget;
  readonly #redis: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #opts: QueueCoordinatorOptions;
  readonly #bundles = new Map<string, DataBundle>();
  readonly #sent = new Set<string>();
  /** The batch being waited for: pending task ids → wake-up. */
  #wake: ((id: string, failed?: string) => void) | null = null;
  #lastError = "";
  /** Tasks sent through {@link runTasks} so far, and those whose result was already in Redis. */
  readonly totals = { tasks: 0, resumed: 0 };

  private constructor(target: RedisTarget, redis: Redis, opts: QueueCoordinatorOptions) {
    this.#target = target;
    this.#redis = redis;
    this.#opts = opts;
    const connection = bullConnection(target, "myna-twin-coordinator");
    this.#queue = new Queue(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    this.#events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    const onError = (e: Error): void => void (this.#lastError = e.message);
    this.#queue.on("error", onError);
    this.#events.on("error", onError);
    redis.on("error", onError);
    this.#events.on("completed", ({ jobId }) => this.#wake?.(jobId));
    this.#events.on("failed", ({ jobId, failedReason }) => this.#wake?.(jobId, failedReason));
  }

  /**
   * Connects to the queue's Redis.
   * @throws InputError when Redis cannot be reached or used (one message naming the URL)
   */
  static async open(target: RedisTarget, opts: QueueCoordinatorOptions): Promise<QueueCoordinator> {
    const redis = await connectRedis(target, "myna-twin-coordinator-results");
    const c = new QueueCoordinator(target, redis, opts);
    try {
      await c.#events.waitUntilReady();
      await c.#queue.waitUntilReady();
    } catch (e) {
      await c.close();
      throw new QueueLostError(`--queue ${target.shown}: cannot use Redis there: ${(e as Error).message}`);
    }
    return c;
  }

  /** `runTasks` through the queue. */
  readonly runTasks: TaskRunner = <T, R>(tasks: T[], options: RunTasksOptions<T, R>) =>
    this.#run(tasks, options);

  async #run<T, R>(tasks: T[], options: RunTasksOptions<T, R>): Promise<R[]> {
    const kind = kindOf(this.#opts.kinds, options.workerUrl);
    const toQueue = this.#opts.kinds[kind]!.toQueue ?? ((t: unknown) => t);
    const jobs = tasks.map((t) => {
      const sent = toQueue(t);
      return encodeTask(sent, kind, this.#opts.version, this.#dataHash(sent));
    });
    const ids = jobs.map(taskId);
    const byId = new Map<string, JobData>();
    ids.forEach((id, i) => byId.set(id, jobs[i]!));
    const results = new Map<string, Uint8Array>();
    const progress: QueueProgress = {
      total: tasks.length,
      done: 0,
      resumed: 0,
      running: 0,
      waiting: 0,
      retried: 0,
      workers: 0,
    };
    const report = (): void => {
      progress.done = ids.reduce((n, id) => n + (results.has(id) ? 1 : 0), 0);
      this.#opts.onProgress?.({ ...progress });
    };
    await this.#guard(async () => {
      await this.#sendData(jobs);
      await this.#collect([...byId.keys()], results);
      progress.resumed = ids.filter((id) => results.has(id)).length;
      this.totals.tasks += ids.length;
      this.totals.resumed += progress.resumed;
      await this.#enqueue(
        [...byId.keys()].filter((id) => !results.has(id)),
        byId,
      );
    });
    report();
    await this.#wait(byId, results, progress, report);
    return ids.map((id) => decode<R>(results.get(id)!));
  }

  /** The hash of a task's data bundle (packed once per directory per coordinator). */
  #dataHash(task: unknown): string | null {
    const dir = taskDataDir(task);
    if (dir === null) return null;
    let b = this.#bundles.get(dir);
    if (!b) this.#bundles.set(dir, (b = packDataDir(dir)));
    return b.hash;
  }

  async #sendData(jobs: JobData[]): Promise<void> {
    for (const b of this.#bundles.values()) {
      if (this.#sent.has(b.hash) || !jobs.some((j) => j.data === b.hash)) continue;
      await this.#redis.set(dataKey(b.hash), Buffer.from(b.bytes), "EX", DATA_TTL_S);
      this.#sent.add(b.hash);
    }
  }

  /** Moves the results of `ids` found in Redis into `results` (checked for version). */
  async #collect(ids: string[], results: Map<string, Uint8Array>): Promise<void> {
    for (let i = 0; i < ids.length; i += 256) {
      const chunk = ids.slice(i, i + 256).filter((id) => !results.has(id));
      if (chunk.length === 0) continue;
      const found = await this.#redis.mgetBuffer(...chunk.map(resultKey));
      const refresh = this.#redis.pipeline();
      found.forEach((bytes, j) => {
        if (bytes === null) return;
        results.set(chunk[j]!, decodeResult(bytes, this.#opts.version, chunk[j]!));
        refresh.expire(resultKey(chunk[j]!), RESULT_TTL_S);
      });
      await refresh.exec();
    }
  }

  /** Queues `ids`; a job left failed by an earlier run is removed and queued afresh. */
  async #enqueue(ids: string[], byId: Map<string, JobData>): Promise<void> {
    const states = await Promise.all(ids.map((id) => this.#queue.getJobState(id)));
    await Promise.all(ids.map((id, i) => (states[i] === "failed" ? this.#queue.remove(id) : null)));
    const opts: JobsOptions = {
      attempts: this.#opts.attempts ?? 3,
      backoff: { type: "fixed", delay: 100 },
      removeOnComplete: true,
      removeOnFail: { age: FAILED_TTL_S },
    };
    const fresh = ids.filter((_, i) => states[i] === "unknown" || states[i] === "failed");
    for (let i = 0; i < fresh.length; i += 256)
      await this.#queue.addBulk(
        fresh
          .slice(i, i + 256)
          .map((id) => ({ name: byId.get(id)!.kind, data: byId.get(id)!, opts: { ...opts, jobId: id } })),
      );
  }

  async #wait(
    byId: Map<string, JobData>,
    results: Map<string, Uint8Array>,
    progress: QueueProgress,
    report: () => void,
  ): Promise<void> {
    const pending = new Set([...byId.keys()].filter((id) => !results.has(id)));
    if (pending.size === 0) return;
    let failure: { id: string; reason: string } | null = null;
    let nudge: (() => void) | null = null;
    const hot = new Set<string>();
    this.#wake = (id, failed) => {
      if (!pending.has(id)) return;
      if (failed !== undefined) failure ??= { id, reason: failed };
      else hot.add(id);
      nudge?.();
    };
    let lastOk = performance.now();
    let lastFull = 0;
    let lastStateCheck = performance.now();
    try {
      while (pending.size > 0) {
        if (hot.size === 0 && failure === null)
          await new Promise<void>((r) => {
            nudge = r;
            setTimeout(r, POLL_MS);
          });
        nudge = null;
        const limit = this.#opts.lostAfterMs ?? LOST_AFTER_MS;
        const poll = async (): Promise<void> => {
          if (failure === null) {
            // A completion event fetches that result alone; every POLL_MS, all pending ones and
            // the counts (a missed event costs at most one poll).
            const full = performance.now() - lastFull >= POLL_MS;
            const want = full ? [...pending] : [...hot];
            hot.clear();
            await this.#collect(want, results);
            for (const id of want) if (results.has(id)) pending.delete(id);
            if (full) {
              lastFull = performance.now();
              const counts = await this.#queue.getJobCounts("active", "waiting", "delayed", "prioritized");
              progress.running = counts.active ?? 0;
              progress.waiting = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
              progress.workers = await this.#queue.getWorkersCount();
            }
            if (performance.now() - lastStateCheck > STATE_CHECK_MS && pending.size > 0) {
              lastStateCheck = performance.now();
              await this.#checkStates(
                [...pending],
                byId,
                progress,
                (id, reason) => (failure ??= { id, reason }),
              );
            }
          }
        };
        let timer: NodeJS.Timeout | undefined;
        try {
          // A poll that hangs (Redis gone, commands queued) ends at the deadline.
          await Promise.race([
            poll(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error("no answer")),
                Math.max(50, limit - (performance.now() - lastOk)),
              );
            }),
          ]);
          lastOk = performance.now();
        } catch (e) {
          if (e instanceof VersionMismatchError) throw e;
          if (performance.now() - lastOk >= limit) throw this.#lost(e);
          await new Promise((r) => setTimeout(r, POLL_MS));
        } finally {
          clearTimeout(timer);
        }
        if (failure !== null) throw await this.#failed(failure, byId);
        report();
      }
    } finally {
      this.#wake = null;
    }
  }

  /** Jobs that vanished are queued again; a failed one fails the run; retries are counted. */
  async #checkStates(
    ids: string[],
    byId: Map<string, JobData>,
    progress: QueueProgress,
    onFailed: (id: string, reason: string) => void,
  ): Promise<void> {
    const jobs = await Promise.all(ids.map((id) => this.#queue.getJob(id)));
    let retried = 0;
    const missing: string[] = [];
    for (const [i, job] of jobs.entries()) {
      if (!job) {
        missing.push(ids[i]!);
        continue;
      }
      retried += job.attemptsMade + (job.stalledCounter ?? 0);
      if (job.finishedOn && job.failedReason) onFailed(ids[i]!, job.failedReason);
    }
    progress.retried = retried;
    if (missing.length === 0) return;
    // A job can vanish between its result and its removal: look again before queueing it.
    const results = new Map<string, Uint8Array>();
    await this.#collect(missing, results);
    await this.#enqueue(
      missing.filter((id) => !results.has(id)),
      byId,
    );
  }

  async #failed(f: { id: string; reason: string }, byId: Map<string, JobData>): Promise<Error> {
    const job = await this.#queue.getJob(f.id).catch(() => undefined);
    const kind = byId.get(f.id)?.kind ?? "task";
    if (f.reason.startsWith(VERSION_REFUSAL))
      return new VersionMismatchError(
        `queue: a worker refused ${kind} task ${f.id.slice(0, 12)}: ${f.reason.slice(VERSION_REFUSAL.length)}`,
      );
    const attempts = job?.attemptsMade ?? this.#opts.attempts ?? 3;
    const err = new QueueTaskError(
      `queue: ${kind} task ${f.id.slice(0, 12)} failed after ${attempts} attempt(s): ${f.reason}`,
    );
    const stack = job?.stacktrace?.at(-1);
    if (stack) err.stack = `${err.message}\n  worker stack trace:\n${stack}`;
    return err;
  }

  #lost(e: unknown): QueueLostError {
    const why = this.#lastError || (e as Error).message;
    return new QueueLostError(
      `queue: lost Redis at ${this.#target.shown}: no answer for ${(this.#opts.lostAfterMs ?? LOST_AFTER_MS) / 1000} s (${why}); the run stops, nothing is written`,
    );
  }

  /** Runs `f`, turning a Redis that does not answer into one message. */
  async #guard(f: () => Promise<void>): Promise<void> {
    const limit = this.#opts.lostAfterMs ?? LOST_AFTER_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        f(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(this.#lost(new Error("timeout"))), limit);
        }),
      ]);
    } catch (e) {
      if (e instanceof QueueLostError || e instanceof VersionMismatchError) throw e;
      if (e instanceof Error && "code" in e && typeof e.code === "string" && e.code.startsWith("E_")) throw e;
      throw this.#lost(e);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every connection (never throws). */
  async close(): Promise<void> {
    const quiet = async (p: Promise<unknown>): Promise<void> => {
      await Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
    };
    await quiet(this.#events.close());
    await quiet(this.#queue.close());
    // A Redis that went away: stop reconnecting, so the process can end.
    await quiet(this.#events.disconnect());
    await quiet(this.#queue.disconnect());
    this.#redis.disconnect();
  }
}
