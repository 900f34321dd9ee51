/**
 * A queue worker (issue 13 item 2): pulls tasks from the BullMQ queue, runs each on its own piscina
 * pool (one per task kind, `concurrency` threads; engine/pool/task-pool.ts's worker modules) and
 * stores the result record under the task's id (coordinator.ts `resultKey`) before it reports the
 * job done. The main thread only talks to Redis, so it renews its jobs' locks while the threads
 * compute; a worker that dies stops renewing them and, after `stallMs`, another worker's stalled
 * check puts its tasks back in the queue.
 *
 * It refuses — fails at once, without retry — a task of another code version, of a kind it does not
 * know, or that is not a task at all; it runs only the kinds of its table.
 * @module
 */
import { mkdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { Piscina } from "piscina";
import { decode, encode, workerModule } from "../pool/task-pool.js";
import { bullConnection, connectRedis, QueueLostError } from "./connection.js";
import {
  dataKey,
  QUEUE_NAME,
  QUEUE_PREFIX,
  RESULT_TTL_S,
  resultKey,
  VERSION_REFUSAL,
} from "./coordinator.js";
import { unpackDataBundle } from "./data-bundle.js";
import type { RedisTarget } from "./redis-url.js";
import type { TaskKinds } from "./task-kinds.js";
import { decodeTask, encodeResult, taskId, VersionMismatchError, type JobData } from "./task-wire.js";

export interface QueueWorkerOptions {
  version: string;
  kinds: TaskKinds;
  /** Tasks run at once (and threads per pool). */
  concurrency: number;
  /** Lock time of a job: a worker silent this long loses its tasks to others (default 30 s). */
  stallMs?: number;
  /** Where data bundles are unpacked (default: a folder in the system temp dir). */
  cacheDir?: string;
  /** Run tasks in this thread (tests with in-process handlers); default: on piscina pools. */
  inThread?: boolean;
  /** How long Redis may not answer before the worker stops (default 30 s). */
  lostAfterMs?: number;
  /** One line per notable event (start, refusal, failure). */
  log?: (line: string) => void;
}

export interface QueueWorker {
  /** Resolves when the worker has stopped; rejects with a QueueLostError when Redis went away. */
  done: Promise<void>;
  /** Stops taking tasks, lets running ones finish, closes pools and connections. */
  close(): Promise<void>;
  /** Tasks this worker finished (result stored). */
  readonly finished: number;
}

/** Default lock time of a job (milliseconds). */
export const DEFAULT_STALL_MS = 30_000;

function isJobData(d: unknown): d is JobData {
  const j = d as Partial<JobData> | null;
  return (
    typeof j === "object" &&
    j !== null &&
    typeof j.version === "string" &&
    typeof j.kind === "string" &&
    (j.data === null || typeof j.data === "string") &&
    typeof j.payload === "string"
  );
}

/**
 * Starts a worker on the queue at `target`.
 * @throws InputError when Redis cannot be reached or used
 */
export async function startQueueWorker(target: RedisTarget, opts: QueueWorkerOptions): Promise<QueueWorker> {
  const redis: Redis = await connectRedis(target, "myna-twin-worker-results");
  const log = opts.log ?? (() => {});
  const cacheDir = opts.cacheDir ?? join(tmpdir(), "myna-twin-worker-data");
  mkdirSync(cacheDir, { recursive: true });
  const pools = new Map<string, Piscina>();
  const dataDirs = new Map<string, string>();
  const refused = new Set<string>();
  let finished = 0;
  let lastError = "";

  const dataDirOf = async (hash: string): Promise<string> => {
    let dir = dataDirs.get(hash);
    if (dir) return dir;
    const bytes = await redis.getBuffer(dataKey(hash));
    if (bytes === null) throw new Error(`data bundle ${hash.slice(0, 12)} is not in Redis (expired?)`);
    dir = unpackDataBundle(cacheDir, hash, bytes);
    dataDirs.set(hash, dir);
    return dir;
  };

  const run = async (kind: string, task: unknown): Promise<Uint8Array> => {
    const k = opts.kinds[kind]!;
    if (opts.inThread) return encode(await k.handler(decode(encode(task)), () => {}));
    let pool = pools.get(kind);
    if (!pool) {
      const { filename, execArgv } = workerModule(k.workerUrl);
      pool = new Piscina({
        filename,
        execArgv,
        minThreads: opts.concurrency,
        maxThreads: opts.concurrency,
        idleTimeout: 60_000,
      });
      pools.set(kind, pool);
    }
    const { port1, port2 } = new MessageChannel();
    try {
      return (await pool.run(
        { payload: encode(task), port: port2 },
        { transferList: [port2] },
      )) as Uint8Array;
    } finally {
      port1.close();
    }
  };

  const processor = async (job: Job): Promise<null> => {
    const data: unknown = job.data;
    if (!isJobData(data)) throw new UnrecoverableError("not a myna-twin task (no version, kind or payload)");
    if (!Object.hasOwn(opts.kinds, data.kind))
      throw new UnrecoverableError(`unknown task kind ${JSON.stringify(data.kind).slice(0, 80)}`);
    const id = taskId(data);
    if (id !== job.id) throw new UnrecoverableError(`job id ${job.id} is not the task's content hash`);
    let task: unknown;
    try {
      task = decodeTask(data, opts.version, data.data === null ? null : await dataDirOf(data.data));
    } catch (e) {
      if (e instanceof VersionMismatchError) {
        if (!refused.has(data.version)) {
          refused.add(data.version);
          log(`worker: refused tasks of code version ${data.version} (this worker runs ${opts.version})`);
        }
        throw new UnrecoverableError(`${VERSION_REFUSAL}${e.message}`);
      }
      throw e;
    }
    const bytes = await run(data.kind, task);
    await redis.set(resultKey(id), Buffer.from(encodeResult(opts.version, bytes)), "EX", RESULT_TTL_S);
    finished++;
    return null;
  };

  const stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: bullConnection(target, "myna-twin-worker"),
    prefix: QUEUE_PREFIX,
    name: `${hostname()}:${process.pid}`,
    concurrency: opts.concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: 2,
    drainDelay: 1,
    autorun: false,
  });
  worker.on("error", (e: Error) => void (lastError = e.message));
  redis.on("error", (e: Error) => void (lastError = e.message));
  worker.on("failed", (job, e) => {
    if (job && !e.message.startsWith(VERSION_REFUSAL))
      log(
        `worker: ${job.name} task ${String(job.id).slice(0, 12)} failed (attempt ${job.attemptsMade}): ${e.message}`,
      );
  });

  let closing = false;
  let stopped: Promise<void> | null = null;
  const quiet = async (p: Promise<unknown>, ms: number): Promise<void> => {
    await Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);
  };
  /** `force`: Redis is gone; do not wait for running tasks or for Redis. */
  const shut = (force: boolean): Promise<void> =>
    (stopped ??= (async () => {
      closing = true;
      clearInterval(watch);
      if (force) await quiet(worker.close(true), 2000);
      else await worker.close().catch(() => {});
      await quiet(worker.disconnect(), 1000);
      await Promise.all([...pools.values()].map((p) => p.destroy()));
      redis.disconnect();
    })());
  const close = (): Promise<void> => shut(false);

  // Redis silent for lostAfterMs: stop with one message.
  let lastOk = performance.now();
  let lost: QueueLostError | null = null;
  let signalLost: (e: Error) => void = () => {};
  // Settles the worker as soon as it has let go, without waiting for tasks still computing.
  const lostNow = new Promise<never>((_, reject) => (signalLost = reject));
  lostNow.catch(() => {});
  const lostAfter = opts.lostAfterMs ?? 30_000;
  const watch = setInterval(
    () => {
      if (!closing && performance.now() - lastOk > lostAfter) {
        lost = new QueueLostError(
          `worker: lost Redis at ${target.shown}: no answer for ${lostAfter / 1000} s (${lastError || "no connection"})`,
        );
        void shut(true).then(() => signalLost(lost!));
        return;
      }
      redis.ping().then(
        () => (lastOk = performance.now()),
        () => {},
      );
    },
    Math.min(1000, lostAfter / 3),
  );

  const done = Promise.race([
    worker.run().then(
      () => shut(false),
      (e: unknown) => shut(true).then(() => Promise.reject(lost ?? e)),
    ),
    lostNow,
  ]).then(() => (lost ? Promise.reject(lost) : undefined));
  await worker.waitUntilReady();
  return {
    done,
    close,
    get finished() {
      return finished;
    },
  };
}
