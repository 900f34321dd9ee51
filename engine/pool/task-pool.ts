/**
 * Runs independent tasks (replications, sweep points, crypto batches) on a piscina worker pool and
 * returns their results in task order, so the output never depends on which thread finished first
 * (DESIGN.md §4 "Parallelism"). Payloads and results cross threads as msgpackr buffers (transferred,
 * not copied); each task gets a MessagePort for progress messages. With `threads: 1` tasks run in
 * this thread through the same handler, with no pool at all.
 * @module
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Packr } from "msgpackr";
import { Piscina } from "piscina";
import { InputError } from "../errors.js";

/** What a worker module exports as default: decode, run, encode. */
export type TaskHandler<T, R> = (task: T, progress: (message: unknown) => void) => R | Promise<R>;

/** The message shape a pool worker receives. */
export interface PoolMessage {
  payload: Uint8Array;
  port: MessagePort;
}

const packr = new Packr({ useRecords: true, moreTypes: true });

/** Encodes a value for another thread (typed arrays survive). */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes what {@link encode} produced. */
export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}

/**
 * Wraps a {@link TaskHandler} as a piscina worker's default export.
 * @example export default poolWorker(runReplication);
 */
export function poolWorker<T, R>(handler: TaskHandler<T, R>): (msg: PoolMessage) => Promise<Uint8Array> {
  return async ({ payload, port }) => {
    try {
      const result = await handler(decode<T>(payload), (m) => port.postMessage(m));
      return encode(result);
    } finally {
      port.close();
    }
  };
}

/**
 * The file and execArgv a piscina pool needs for a worker module: when `url` names a `.js` file
 * that does not exist (running from TypeScript sources under tsx or vitest), the `.ts` file beside
 * it, loaded through tsx.
 */
export function workerModule(url: URL): { filename: string; execArgv: string[] } {
  const filename = fileURLToPath(url);
  if (filename.endsWith(".js") && !existsSync(filename))
    return { filename: filename.replace(/\.js$/, ".ts"), execArgv: ["--import", "tsx"] };
  return { filename, execArgv: [] };
}

/** Threads to use when the user does not say: every core. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Checks a `--threads` value. @throws InputError */
export function checkThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new InputError(`--threads: expected a whole number from 1 to 256, got ${threads}`);
  }
  return threads;
}

export interface RunTasksOptions<T, R> {
  threads: number;
  /** The worker module (its default export made with {@link poolWorker}). */
  workerUrl: URL;
  /** The same handler, for `threads: 1` (no pool). */
  handler: TaskHandler<T, R>;
  /** Progress messages from any task, with the task's index. */
  onProgress?: (index: number, message: unknown) => void;
}

/**
 * Runs every task and resolves with their results in task order.
 * When `workerUrl` names a `.js` file that does not exist (running from TypeScript sources under
 * tsx or vitest), the `.ts` file beside it is loaded through tsx instead.
 */
export async function runTasks<T, R>(tasks: T[], options: RunTasksOptions<T, R>): Promise<R[]> {
  const threads = Math.min(checkThreads(options.threads), Math.max(1, tasks.length));
  if (threads === 1) {
    const out: R[] = [];
    for (const [i, t] of tasks.entries()) {
      // Round-trip through the codec as a worker would, so results are identical either way.
      const task = decode<T>(encode(t));
      out.push(decode<R>(encode(await options.handler(task, (m) => options.onProgress?.(i, m)))));
    }
    return out;
  }
  const { filename, execArgv } = workerModule(options.workerUrl);
  const pool = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    execArgv,
    idleTimeout: 1000,
  });
  try {
    return await Promise.all(
      tasks.map(async (t, i) => {
        const { port1, port2 } = new MessageChannel();
        port1.on("message", (m: unknown) => options.onProgress?.(i, m));
        try {
          const bytes = (await pool.run(
            { payload: encode(t), port: port2 },
            { transferList: [port2] },
          )) as Uint8Array;
          return decode<R>(bytes);
        } finally {
          port1.close();
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
}
