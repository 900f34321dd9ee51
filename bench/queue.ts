/**
 * The job queue's targets (issue 13), on a redis-server started here on 127.0.0.1:
 * - overhead per empty task (engine/queue/echo-task.ts) through the queue to one worker process
 *   (`--concurrency 2`): wall time of N tasks ÷ N (target ≤ 5 ms), and the round trip of one task
 *   alone (median of 40, a plain figure);
 * - a 36-task sweep (6 points × 6 runs of scenarios/jlis-outage-2016.yaml; the nearest sweep to the
 *   issue's 32 tasks) run by a coordinator on two worker processes of one thread each, against the
 *   local pool on 2 threads: wall time of each command as a fresh process (cold against cold: the
 *   workers are started idle before the sweep, with no pool yet), best of two rounds each (target:
 *   within 10 %, ratio ≥ 0.9), and whether sweep.json and sweep.csv are byte-identical (target 1).
 * Stored results are deleted before each queued sweep, so nothing is taken from an earlier round.
 * Usage: `npm run -s bench:queue -- [--json] [--quick]` (`--quick`: the sweep to 2016-02-29, fewer
 * empty tasks, one round).
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connectRedis } from "../engine/queue/connection.js";
import { QUEUE_PREFIX, QueueCoordinator } from "../engine/queue/coordinator.js";
import { ECHO_WORKER, echoTask } from "../engine/queue/echo-task.js";
import { parseRedisUrl } from "../engine/queue/redis-url.js";
import { startRedis, type TestRedis } from "../engine/queue/_redis-server.js";
import { QUEUE_TASK_KINDS } from "../cli/worker-command.js";
import { isMain, log, makeResult, ROOT, runBenchmark, type Measurement } from "./_shared.js";

/** The CLI as a child process: dist/cli/main.js when running from dist, else the sources under tsx. */
function cli(): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith(".js")) return { file: resolve(here, "../cli/main.js"), execArgv: [] };
  return { file: join(ROOT, "cli", "main.ts"), execArgv: ["--import", "tsx"] };
}

function startCli(args: string[]): ChildProcess {
  const { file, execArgv } = cli();
  return spawn(process.execPath, [...execArgv, file, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: process.env,
  });
}

/** Runs the CLI to its end; resolves with its wall time (s). @throws Error when it fails */
async function timeCli(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = startCli(args);
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once("close", r));
  if (code !== 0) throw new Error(`myna-twin ${args.join(" ")} failed (${code}):\n${err}`);
  return (performance.now() - t0) / 1000;
}

/** A worker process, once it pulls tasks. */
async function startWorker(url: string, concurrency: number): Promise<ChildProcess> {
  const child = startCli(["worker", "--queue", url, "--concurrency", String(concurrency)]);
  let err = "";
  await new Promise<void>((ok, fail) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("worker: pulling tasks")) ok();
    });
    child.once("exit", (c) => fail(new Error(`worker exited (${c}): ${err}`)));
  });
  return child;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((r) => {
          if (w.exitCode !== null) return r();
          w.once("exit", () => r());
          w.kill("SIGTERM");
        }),
    ),
  );
}

async function forgetResults(url: string): Promise<void> {
  const c = await connectRedis(parseRedisUrl(url), "bench");
  const keys = await c.keys(`${QUEUE_PREFIX}:result:*`);
  for (let i = 0; i < keys.length; i += 500) await c.del(...keys.slice(i, i + 500));
  c.disconnect();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const queueMeasurements: Measurement = async (options) => {
  const q = options.quick;
  // One build id for this process and its workers (the tree may change while the bench runs).
  process.env.MYNA_TWIN_CODE_VERSION = `myna-twin@bench+${process.pid}-${Date.now()}`;
  const redis: TestRedis = await startRedis();
  const tmp = mkdtempSync(join(tmpdir(), "myna-bench-queue-"));
  const workers: ChildProcess[] = [];
  try {
    // 1. Empty tasks.
    const n = q ? 200 : 1000;
    log(`queue: ${n} empty tasks to one worker (2 at a time)…`);
    workers.push(await startWorker(redis.url, 2));
    const coordinator = await QueueCoordinator.open(parseRedisUrl(redis.url), {
      version: process.env.MYNA_TWIN_CODE_VERSION,
      kinds: QUEUE_TASK_KINDS,
    });
    const run = (tasks: unknown[]): Promise<unknown[]> =>
      coordinator.runTasks(tasks, { threads: 1, workerUrl: ECHO_WORKER, handler: echoTask });
    await run([{ warm: 0 }, { warm: 1 }]); // the worker's pool starts
    const t0 = performance.now();
    await run(Array.from({ length: n }, (_, i) => ({ i, at: t0 })));
    const perTask = (performance.now() - t0) / n;
    const trips: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await run([{ trip: i, at: t0 }]);
      trips.push(performance.now() - t);
    }
    await coordinator.close();
    await stopWorkers(workers.splice(0));

    // 2. The sweep: local pool on 2 threads against 2 workers of 1 thread.
    const sweep = (out: string, extra: string[]): string[] => [
      "sweep",
      "scenarios/jlis-outage-2016.yaml",
      "--vary",
      "shipping.days=1,2,3,4,5,6",
      ...(q ? ["--set", "end=2016-02-29"] : []),
      "--seed",
      "1",
      "--threads",
      "2",
      "--out",
      join(tmp, out),
      ...extra,
    ];
    const rounds = q ? 1 : 2;
    const local: number[] = [];
    const queued: number[] = [];
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      log(`queue: round ${r + 1}/${rounds}: 36-task sweep on the local pool (2 threads)…`);
      local.push(await timeCli(sweep(`local-${r}`, [])));
      await forgetResults(redis.url);
      const pair = await Promise.all([startWorker(redis.url, 1), startWorker(redis.url, 1)]);
      workers.push(...pair);
      log(`queue: round ${r + 1}/${rounds}: the same sweep on the queue (2 workers × 1 thread)…`);
      queued.push(await timeCli(sweep(`queued-${r}`, ["--queue", redis.url])));
      await stopWorkers(workers.splice(0));
      for (const f of ["sweep.json", "sweep.csv"])
        identical &&= readFileSync(join(tmp, `local-${r}`, f)).equals(
          readFileSync(join(tmp, `queued-${r}`, f)),
        );
    }
    const localBest = Math.min(...local);
    const queuedBest = Math.min(...queued);
    return [
      makeResult(
        {
          name: `queue overhead per empty task (${n} tasks, 1 worker × 2), wall ÷ tasks`,
          unit: "ms",
          value: Number(perTask.toFixed(3)),
          higherIsBetter: false,
          target: 5,
        },
        q,
      ),
      makeResult(
        {
          name: "queue round trip of one empty task alone (median of 40)",
          unit: "ms",
          value: Number(median(trips).toFixed(2)),
          higherIsBetter: false,
        },
        q,
      ),
      makeResult(
        {
          name: `36-task sweep, coordinator + 2 workers × 1 thread (best of ${rounds}), wall`,
          unit: "s",
          value: Number(queuedBest.toFixed(2)),
          higherIsBetter: false,
          reference: { name: "local pool, 2 threads", value: Number(localBest.toFixed(2)) },
          target: 0.9,
        },
        q,
      ),
      makeResult(
        {
          name: "36-task sweep: sweep.json and sweep.csv byte-identical, queue vs local (1 = yes)",
          unit: "bool",
          value: identical ? 1 : 0,
          higherIsBetter: true,
          target: 1,
        },
        q,
      ),
    ];
  } finally {
    await stopWorkers(workers);
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
};

if (isMain(import.meta.url)) await runBenchmark([queueMeasurements]);
