/**
 * `myna-twin worker --queue redis://HOST:PORT[/DB] [--concurrency N] [--stall-seconds N]` (issue 13
 * item 2): a queue worker (engine/queue/queue-worker.ts) that pulls tasks queued by `run`, `sweep`
 * and `calibrate --queue` and runs them on its own piscina pool, until Ctrl-C or SIGTERM (it
 * finishes the tasks it holds; a second signal ends it at once). Also the kind table both sides
 * share ({@link QUEUE_TASK_KINDS}) and the `--queue` glue of the three coordinating commands
 * ({@link openQueue}).
 * @module
 */
import { InputError } from "../engine/errors.js";
import { defaultThreads } from "../engine/pool/task-pool.js";
import { codeVersion } from "../engine/queue/code-version.js";
import { ECHO_WORKER, echoTask } from "../engine/queue/echo-task.js";
import { QueueProgressLine } from "../engine/queue/progress-line.js";
import { parseRedisUrl, type RedisTarget } from "../engine/queue/redis-url.js";
import type { TaskKinds, TaskRunner } from "../engine/queue/task-kinds.js";
import { FLUID_WORKER, runFluid } from "../sim/issuance/calibration/fluid-run.js";
import { REPLICATION_WORKER, runReplication, type ReplicationTask } from "../sim/issuance/replication.js";
import { integerFlag, parse } from "./args.js";
import { ROOT } from "./context.js";

/** Every task kind that may travel on the queue (both coordinator and worker use this table). */
export const QUEUE_TASK_KINDS: TaskKinds = {
  replication: {
    workerUrl: REPLICATION_WORKER,
    handler: runReplication,
    // Demand draws are recorded and replayed only to save CPU (model.ts: a replayed run gives the
    // same numbers as one that draws): over the queue they would be 7.6 MB per simulated year per
    // task (1.9 M draws for jlis-outage-2016), so queued runs draw for themselves.
    toQueue: ({ recordDemandDraws: _r, demandDraws: _d, ...task }: ReplicationTask) => task,
  },
  fluid: { workerUrl: FLUID_WORKER, handler: runFluid },
  echo: { workerUrl: ECHO_WORKER, handler: echoTask },
};

/** The `--queue` option of run, sweep and calibrate, for their flag tables. */
export const QUEUE_FLAG = { queue: { type: "string" } } as const;

/** The help lines of `--queue` for run, sweep and calibrate, descriptions from `column`. */
export function queueHelp(column: number): string {
  const pad = " ".repeat(column);
  return [
    "  --queue redis://HOST:PORT[/DB]",
    `${pad}run the tasks on queue workers (myna-twin worker) instead of local`,
    `${pad}threads; outputs are byte-identical (docs/scale-out.md)`,
  ].join("\n");
}

export const WORKER_HELP = `Usage: myna-twin worker --queue redis://HOST:PORT[/DB] [options]

Pulls tasks (replications, sweep points, calibration runs) that run, sweep and calibrate --queue
put on the Redis queue, runs them on this machine's threads and stores their results in Redis.
Start any number, on any number of hosts, from the same commit as the coordinator: a task of
another code version is refused. Stops on Ctrl-C or SIGTERM after finishing the tasks it holds.

Options:
  --queue URL         the queue's Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] (required)
  --concurrency N     tasks at once, one thread each (default: every core)
  --stall-seconds N   a worker silent this long (killed, frozen, cut off) loses its tasks to
                      the other workers (default 30; 1 to 3600)
  -h, --help          this help

Exit codes: 0 stopped by a signal, 2 bad input (flag, Redis unreachable or lost), 1 internal failure.`;

/** The queue of a coordinating command. */
export interface OpenQueue {
  target: RedisTarget;
  runTasks: TaskRunner;
  /** Closes the connections; `ok`: print the summary line. */
  close(ok: boolean): Promise<void>;
}

/** Opens the queue for a coordinating command, or returns null without --queue. */
export async function openQueue(url: string | undefined): Promise<OpenQueue | null> {
  if (url === undefined) return null;
  const target = parseRedisUrl(url);
  const line = new QueueProgressLine();
  // Loaded only with --queue: without it, BullMQ and ioredis are never imported.
  const { QueueCoordinator } = await import("../engine/queue/coordinator.js");
  const coordinator = await QueueCoordinator.open(target, {
    version: codeVersion(ROOT),
    kinds: QUEUE_TASK_KINDS,
    onProgress: (p) => line.update(p),
  });
  return {
    target,
    runTasks: coordinator.runTasks,
    close: async (ok) => {
      line.finish();
      await coordinator.close();
      const { tasks, resumed } = coordinator.totals;
      if (ok)
        process.stderr.write(
          `queue: ${tasks} task(s) through ${target.shown}; ${resumed} result(s) were already in Redis (earlier runs)\n`,
        );
    },
  };
}

/** Runs `f`; when it throws, closes the queue first (open connections would keep the process alive). */
export async function orCloseQueue<T>(queue: OpenQueue | null, f: () => T): Promise<T> {
  try {
    return f();
  } catch (e) {
    await queue?.close(false);
    throw e;
  }
}

/** Waits for `work`, then closes the queue (with its summary line on stderr when `work` succeeded). */
export async function closingQueue<T>(queue: OpenQueue | null, work: Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work;
  } catch (e) {
    await queue?.close(false);
    throw e;
  }
  await queue?.close(true);
  return result;
}

/** Default `--stall-seconds` (engine/queue/queue-worker.ts `DEFAULT_STALL_MS`, checked by the test). */
export const DEFAULT_STALL_SECONDS = 30;

const FLAGS = {
  queue: { type: "string" },
  concurrency: { type: "string" },
  "stall-seconds": { type: "string" },
} as const;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("worker", argv, FLAGS);
  if (values.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new InputError(
      `worker: unexpected argument ${JSON.stringify(positionals[0])} (see myna-twin worker --help)`,
    );
  if (values.queue === undefined)
    throw new InputError("worker: --queue redis://HOST:PORT[/DB] is required (the queue's Redis)");
  const target = parseRedisUrl(values.queue as string);
  const concurrency = integerFlag(
    "concurrency",
    values.concurrency as string | undefined,
    defaultThreads(),
    1,
    256,
  );
  const stallSeconds = integerFlag(
    "stall-seconds",
    values["stall-seconds"] as string | undefined,
    DEFAULT_STALL_SECONDS,
    1,
    3600,
  );
  const version = codeVersion(ROOT);
  const { startQueueWorker } = await import("../engine/queue/queue-worker.js");
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const worker = await startQueueWorker(target, {
    version,
    kinds: QUEUE_TASK_KINDS,
    concurrency,
    stallMs: stallSeconds * 1000,
    log,
  });
  log(`worker: pulling tasks from ${target.shown}, code version ${version}, ${concurrency} at a time`);
  let signals = 0;
  const stop = (): void => {
    if (++signals > 1) process.exit(130);
    log("worker: stopping after the tasks it holds (signal again to stop now)");
    void worker.close();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    await worker.done;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  log(`worker: stopped after ${worker.finished} task(s)`);
  return 0;
}
