/**
 * The queue against a real redis-server on 127.0.0.1 (started here, stopped after): results come
 * back in task order and equal the local pool's byte for byte whatever order workers finish in;
 * a task is run once even when two coordinators ask for it; a restarted coordinator takes the
 * results already in Redis; a failing attempt is retried and a task failing every attempt fails the
 * run with its error after exactly N attempts; a task or result of another code version is refused;
 * a Redis that is unreachable, has no such database, or goes away mid-run is one typed error.
 * Workers run in this process with in-thread handlers (the CLI tests run them as processes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode, runTasks } from "../pool/task-pool.js";
import { mulberry32, randomInt } from "../random/small-prng.js";
import { QueueCoordinator, resultKey, type QueueProgress } from "./coordinator.js";
import { connectRedis, QueueLostError } from "./connection.js";
import { ECHO_WORKER, echoTask } from "./echo-task.js";
import { parseRedisUrl } from "./redis-url.js";
import { startQueueWorker, type QueueWorker } from "./queue-worker.js";
import { hasRedisServer, MISSING_REDIS, startRedis, type TestRedis } from "./_redis-server.js";
import type { TaskKinds } from "./task-kinds.js";
import { encodeResult, encodeTask, taskId, VersionMismatchError } from "./task-wire.js";
import { isInputError } from "../errors.js";

// Kinds whose handlers run in this thread (inThread workers): their URLs only name them.
const SLOW = new URL("./in-thread-slow.js", import.meta.url);
const FLAKY = new URL("./in-thread-flaky.js", import.meta.url);
const BROKEN = new URL("./in-thread-broken.js", import.meta.url);

interface Item {
  i: number;
  delayMs: number;
  values: Float64Array;
}

const runs = new Map<number, number>();
const attempts = new Map<number, number>();
const count = (m: Map<number, number>, i: number): number => {
  m.set(i, (m.get(i) ?? 0) + 1);
  return m.get(i)!;
};

const kinds: TaskKinds = {
  echo: { workerUrl: ECHO_WORKER, handler: echoTask },
  slow: {
    workerUrl: SLOW,
    handler: async (t: Item) => {
      count(runs, t.i);
      await new Promise((r) => setTimeout(r, t.delayMs));
      return { i: t.i, sum: t.values.reduce((a, b) => a + b, 0), values: t.values };
    },
  },
  flaky: {
    workerUrl: FLAKY,
    handler: (t: { i: number }) => {
      if (count(attempts, t.i) === 1 && t.i % 3 === 0) throw new Error(`first attempt of ${t.i} fails`);
      return { i: t.i };
    },
  },
  broken: {
    workerUrl: BROKEN,
    handler: (t: { i: number }) => {
      count(attempts, 1000 + t.i);
      if (t.i === 2) throw new Error("model refused parameter set 2");
      return { i: t.i };
    },
  },
};

let redis: TestRedis;
const workers: QueueWorker[] = [];
const coordinators: QueueCoordinator[] = [];

async function worker(version = "v1", concurrency = 4): Promise<QueueWorker> {
  const w = await startQueueWorker(parseRedisUrl(redis.url), {
    version,
    kinds,
    concurrency,
    inThread: true,
    stallMs: 5000,
  });
  workers.push(w);
  return w;
}

async function coordinator(
  version = "v1",
  onProgress?: (p: QueueProgress) => void,
): Promise<QueueCoordinator> {
  const c = await QueueCoordinator.open(parseRedisUrl(redis.url), { version, kinds, onProgress });
  coordinators.push(c);
  return c;
}

function items(n: number, seed: number): Item[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    i,
    delayMs: randomInt(rnd, 30),
    values: Float64Array.from({ length: 1 + randomInt(rnd, 50) }, () => rnd() * 1e6),
  }));
}

const REDIS = hasRedisServer();
if (!REDIS)
  describe("redis-server", () => {
    if (process.env.CI) it("is installed", () => expect.fail(MISSING_REDIS));
    else it.skip(MISSING_REDIS, () => {});
  });

beforeAll(async () => {
  if (REDIS) redis = await startRedis();
}, 20_000);

afterAll(async () => {
  for (const c of coordinators) await c.close();
  for (const w of workers) await w.close();
  await redis?.stop();
}, 20_000);

describe.runIf(REDIS)("queue against redis-server", () => {
  it("returns results in task order, byte-identical to the local pool, each task run once", async () => {
    const w1 = await worker();
    const w2 = await worker();
    const c = await coordinator();
    const tasks = items(40, 7);
    const seen: QueueProgress[] = [];
    const local = await runTasks(tasks, { threads: 1, workerUrl: SLOW, handler: kinds.slow!.handler });
    runs.clear();
    const c2 = await coordinator("v1", (p) => seen.push(p));
    const [queued, again] = await Promise.all([
      c.runTasks(tasks, { threads: 1, workerUrl: SLOW, handler: kinds.slow!.handler }),
      c2.runTasks(tasks, { threads: 1, workerUrl: SLOW, handler: kinds.slow!.handler }),
    ]);
    expect(Buffer.from(encode(queued)).equals(Buffer.from(encode(local)))).toBe(true);
    expect(Buffer.from(encode(again)).equals(Buffer.from(encode(local)))).toBe(true);
    // Two coordinators asked for the same 40 tasks: each ran once, across both workers.
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(40);
    expect(w1.finished + w2.finished).toBe(40);
    expect(seen.at(-1)!.total).toBe(40);
    expect(seen.at(-1)!.done).toBe(40);
  }, 30_000);

  it("a restarted coordinator takes the results already in Redis and runs only the rest", async () => {
    const tasks = items(12, 11).map((t) => ({ ...t, i: t.i + 100 }));
    const first = await coordinator();
    runs.clear();
    await first.runTasks(tasks.slice(0, 8), { threads: 1, workerUrl: SLOW, handler: kinds.slow!.handler });
    await first.close();
    const seen: QueueProgress[] = [];
    const restarted = await coordinator("v1", (p) => seen.push(p));
    const all = await restarted.runTasks(tasks, {
      threads: 1,
      workerUrl: SLOW,
      handler: kinds.slow!.handler,
    });
    expect(all.map((r) => (r as { i: number }).i)).toEqual(tasks.map((t) => t.i));
    expect(seen[0]!.resumed).toBe(8);
    expect([...runs.entries()].sort((a, b) => a[0] - b[0])).toEqual(tasks.map((t) => [t.i, 1]));
  }, 30_000);

  it("retries a failed attempt; a task failing every attempt fails the run after 3 attempts", async () => {
    const c = await coordinator();
    const flaky = Array.from({ length: 9 }, (_, i) => ({ i }));
    const out = await c.runTasks(flaky, { threads: 1, workerUrl: FLAKY, handler: kinds.flaky!.handler });
    expect(out).toEqual(flaky);
    expect(flaky.map((t) => attempts.get(t.i))).toEqual(flaky.map((t) => (t.i % 3 === 0 ? 2 : 1)));

    const broken = Array.from({ length: 4 }, (_, i) => ({ i }));
    const e = await c
      .runTasks(broken, { threads: 1, workerUrl: BROKEN, handler: kinds.broken!.handler })
      .then(
        () => null,
        (x: unknown) => x as Error & { code?: string },
      );
    expect(e?.code).toBe("E_QUEUE_TASK");
    expect(e?.message).toMatch(
      /^queue: broken task [0-9a-f]{12} failed after 3 attempt\(s\): model refused parameter set 2$/,
    );
    expect(attempts.get(1002)).toBe(3);
  }, 30_000);

  it("refuses a task of another code version (worker) and a result of another version (coordinator)", async () => {
    const old = await coordinator("v0-old");
    const e = await old.runTasks([{ x: 1 }], { threads: 1, workerUrl: ECHO_WORKER, handler: echoTask }).then(
      () => null,
      (x: unknown) => x as Error,
    );
    expect(e).toBeInstanceOf(VersionMismatchError);
    expect(e!.message).toBe(
      `queue: a worker refused echo task ${taskId(encodeTask({ x: 1 }, "echo", "v0-old", null)).slice(0, 12)}: task of code version v0-old refused: this worker runs v1 (run coordinator and workers from the same commit)`,
    );

    // A result record written by another version under the id this coordinator computes.
    const task = { y: 2 };
    const id = taskId(encodeTask(task, "echo", "v1", null));
    const client = await connectRedis(parseRedisUrl(redis.url), "test");
    await client.set(resultKey(id), Buffer.from(encodeResult("v9-other", encode(task))));
    client.disconnect();
    const c = await coordinator();
    const r = await c.runTasks([task], { threads: 1, workerUrl: ECHO_WORKER, handler: echoTask }).then(
      () => null,
      (x: unknown) => x as Error,
    );
    expect(r).toBeInstanceOf(VersionMismatchError);
    expect(r!.message).toMatch(/was made by code version v9-other, not v1; refused$/);
  }, 30_000);
});

describe.runIf(REDIS)("Redis that cannot be used", () => {
  it.each([
    [
      "redis://127.0.0.1:1/0",
      /^--queue redis:\/\/127\.0\.0\.1:1\/0: cannot use Redis there: connect ECONNREFUSED 127\.0\.0\.1:1$/,
    ],
  ])("%s: one InputError naming the URL", async (url, re) => {
    const e = await QueueCoordinator.open(parseRedisUrl(url), { version: "v1", kinds }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(re);
  });

  it("a database Redis does not have: one InputError", async () => {
    const e = await QueueCoordinator.open(parseRedisUrl(redis.url.replace(/\/0$/, "/99")), {
      version: "v1",
      kinds,
    }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(/\/99: cannot use Redis there: DB index is out of range$/);
  });

  it("Redis going away mid-run: the run and the worker stop with one QueueLostError each", async () => {
    const own = await startRedis();
    try {
      const w = await startQueueWorker(parseRedisUrl(own.url), {
        version: "v1",
        kinds,
        concurrency: 1,
        inThread: true,
        lostAfterMs: 1500,
      });
      const workerEnd = w.done.then(
        () => null,
        (x: unknown) => x,
      );
      const c = await QueueCoordinator.open(parseRedisUrl(own.url), {
        version: "v1",
        kinds,
        lostAfterMs: 1500,
      });
      coordinators.push(c);
      const running = c
        .runTasks([{ i: 999, delayMs: 4000, values: new Float64Array(1) }], {
          threads: 1,
          workerUrl: SLOW,
          handler: kinds.slow!.handler,
        })
        .then(
          () => null,
          (x: unknown) => x,
        );
      await new Promise((r) => setTimeout(r, 300));
      own.process.kill("SIGKILL");
      const e = await running;
      expect(e).toBeInstanceOf(QueueLostError);
      const we = await workerEnd;
      expect(we).toBeInstanceOf(QueueLostError);
      expect((we as Error).message).toMatch(
        /^worker: lost Redis at redis:\/\/127\.0\.0\.1:\d+\/0: no answer for 1\.5 s \(.+\)$/,
      );
      expect((e as Error).message).toMatch(
        new RegExp(
          `^queue: lost Redis at ${own.url.replace(/[/.]/g, "\\$&")}: no answer for 1\\.5 s \\(.*\\); the run stops, nothing is written$`,
        ),
      );
    } finally {
      await own.stop();
    }
  }, 20_000);
});
