/**
 * `worker` and `--queue` end to end, against a redis-server started here on 127.0.0.1 with two
 * worker processes: a 36-task sweep (6 points × 6 runs) gives the local pool's files — byte for
 * byte, except sweep.md's "Command:" line and the manifest fields runId, command, wallSeconds, queue
 * and gitCommit (see manifestCore); a run (replications, paired runs and a counterfactual, which
 * replay the replications' demand draws locally but draw for themselves on the queue) and a calibration (its optimiser's coarse world travelling as a data bundle) give
 * identical files and documents through the queue (in this process, with an in-thread worker); a
 * worker SIGKILLed while it holds a task loses it to the other worker (stalled-job detection) and
 * the sweep's files are unchanged; a coordinator SIGKILLed mid-sweep leaves no complete directory
 * and, restarted, takes the results already in Redis; a task of another code version is refused by
 * the worker; a bad or unreachable --queue is one line and exit 2, with no directory.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis } from "../engine/queue/connection.js";
import { QUEUE_NAME, QUEUE_PREFIX, QueueCoordinator } from "../engine/queue/coordinator.js";
import { ECHO_WORKER, echoTask } from "../engine/queue/echo-task.js";
import { parseRedisUrl } from "../engine/queue/redis-url.js";
import { VersionMismatchError } from "../engine/queue/task-wire.js";
import { hasRedisServer, MISSING_REDIS, startRedis, type TestRedis } from "../engine/queue/_redis-server.js";
import { expectOneCleanLine, runCli, startCli, type Outcome } from "./_test-cli.js";
import { DEFAULT_STALL_SECONDS, QUEUE_TASK_KINDS, WORKER_HELP } from "./worker-command.js";
import { DATA_DIR } from "./context.js";
import { loadScenario } from "../scenarios/load-scenario.js";
import { runScenario } from "../sim/issuance/run-scenario.js";
import { LEVERS } from "../sim/issuance/levers.js";
import { DEFAULT_STALL_MS, startQueueWorker } from "../engine/queue/queue-worker.js";
import { calibrate } from "../sim/issuance/calibration/calibrate.js";
import { syntheticWorld } from "./_calibrate-synthetic.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-queue-cli-"));
let redis: TestRedis;
let queue: Queue;
let events: QueueEvents;

interface RunningWorker {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
}
const workers: RunningWorker[] = [];

/** A worker process, once it has said it is pulling tasks. */
async function startWorker(): Promise<RunningWorker> {
  const child = startCli(["worker", "--queue", redis.url, "--concurrency", "1", "--stall-seconds", "3"]);
  let err = "";
  child.stdout.resume();
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("worker: pulling tasks")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
  const w = { child, stderr: () => err };
  workers.push(w);
  return w;
}

const SWEEP = [
  "sweep",
  "scenarios/jlis-outage-2016.yaml",
  "--vary",
  "shipping.days=1,2,3,4,5,6",
  "--set",
  "end=2016-02-29",
  "--seed",
  "3",
  "--threads",
  "1",
];

/** Deletes every stored result, so the next run computes again. */
async function forgetResults(): Promise<void> {
  const c = await connectRedis(parseRedisUrl(redis.url), "test");
  const keys = await c.keys(`${QUEUE_PREFIX}:result:*`);
  if (keys.length > 0) await c.del(...keys);
  c.disconnect();
}

async function resultCount(): Promise<number> {
  const c = await connectRedis(parseRedisUrl(redis.url), "test");
  const n = (await c.keys(`${QUEUE_PREFIX}:result:*`)).length;
  c.disconnect();
  return n;
}

function waitExit(child: ChildProcessWithoutNullStreams): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** The manifest without the fields that differ between a local and a queued run. */
function manifestCore(dir: string): Record<string, unknown> {
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  // gitCommit: others commit to this working tree while the test runs (fixed in a clean clone).
  for (const k of ["runId", "command", "wallSeconds", "queue", "gitCommit"]) delete m[k];
  return m;
}

/** Every file of two run directories equal, but for the lines and fields that name the command. */
function expectSameOutputs(a: string, b: string): void {
  const files = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(files);
  for (const f of files) {
    if (f === "manifest.json") {
      const [ma, mb] = [manifestCore(a), manifestCore(b)];
      expect(Object.keys(mb).sort()).toEqual(Object.keys(ma).sort());
      for (const k of Object.keys(ma)) expect(mb[k], `manifest.json ${k}`).toEqual(ma[k]);
      continue;
    }
    const x = readFileSync(join(a, f));
    const y = readFileSync(join(b, f));
    if (f === "sweep.md" || f === "report.md" || f === "report.html") {
      const strip = (s: Buffer): string =>
        s
          .toString()
          .replace(/myna-twin (sweep|run) [^`<\n]*/g, "<command>")
          .replace(/\d{8}-\d{6}-s\d+/g, "<run id>");
      expect(strip(y), f).toBe(strip(x));
    } else expect(y.equals(x), `${f} differs`).toBe(true);
  }
}

// Coordinators and workers started at different moments of a working tree others commit to would
// see different commits: one build id for all of them (code-version.ts).
const savedVersion = process.env.MYNA_TWIN_CODE_VERSION;
process.env.MYNA_TWIN_CODE_VERSION = `myna-twin@test+${process.pid}`;

const REDIS = hasRedisServer();
if (!REDIS)
  describe("redis-server", () => {
    if (process.env.CI) it("is installed", () => expect.fail(MISSING_REDIS));
    else it.skip(MISSING_REDIS, () => {});
  });

beforeAll(async () => {
  if (!REDIS) return;
  redis = await startRedis();
  const connection = { host: "127.0.0.1", port: redis.port };
  queue = new Queue(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
  events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
  await events.waitUntilReady();
  await Promise.all([startWorker(), startWorker()]);
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await events?.close();
  await queue?.close();
  await redis?.stop();
  if (savedVersion === undefined) delete process.env.MYNA_TWIN_CODE_VERSION;
  else process.env.MYNA_TWIN_CODE_VERSION = savedVersion;
  rmSync(tmp, { recursive: true, force: true });
}, 30_000);

describe.runIf(REDIS)("sweep and run --queue on two worker processes", () => {
  it("sweep: the local pool's outputs", async () => {
    const [local, queued] = await Promise.all([
      runCli([...SWEEP, "--out", join(tmp, "local")]),
      runCli([...SWEEP, "--queue", redis.url, "--out", join(tmp, "queued")]),
    ]);
    for (const o of [local, queued]) expect(o.code, o.stderr).toBe(0);
    expect(queued.stderr).toMatch(
      /^sweep: 6 points × 1 replications .* on the queue at redis:\/\/127\.0\.0\.1:\d+\/0$/m,
    );
    expect(queued.stderr).toMatch(
      /^queue: 36 task\(s\) through redis:\/\/127\.0\.0\.1:\d+\/0; 0 result\(s\) were already in Redis/m,
    );
    expectSameOutputs(join(tmp, "local"), join(tmp, "queued"));
    const m = JSON.parse(readFileSync(join(tmp, "queued", "manifest.json"), "utf8")) as { queue?: string };
    expect(m.queue).toBe(redis.url);
  }, 120_000);

  it("run (replications, paired runs, counterfactual; no demand replay on the queue): every file identical", async () => {
    // In this process, on database 1 (its own queue), with an in-thread worker.
    const target = parseRedisUrl(redis.url.replace(/\/0$/, "/1"));
    const scenario = loadScenario("scenarios/jlis-outage-2016.yaml", ["end=2016-02-29"]);
    const opts = {
      seed: 5,
      replications: 2,
      threads: 1,
      dataDir: DATA_DIR,
      command: "myna-twin run scenarios/jlis-outage-2016.yaml",
      runId: "test",
      versions: {},
      counterfactuals: scenario.counterfactuals,
    };
    const local = await runScenario(scenario.params, opts);
    const worker = await startQueueWorker(target, {
      version: "in-process",
      kinds: QUEUE_TASK_KINDS,
      concurrency: 2,
      inThread: true,
    });
    const c = await QueueCoordinator.open(target, { version: "in-process", kinds: QUEUE_TASK_KINDS });
    try {
      const queued = await runScenario(scenario.params, { ...opts, runTasks: c.runTasks });
      expect(Object.keys(queued.files).sort()).toEqual(Object.keys(local.files).sort());
      for (const f of Object.keys(local.files)) expect(queued.files[f], f).toBe(local.files[f]);
      expect(c.totals.tasks).toBe(2 * (1 + LEVERS.length + scenario.counterfactuals.length));
    } finally {
      await c.close();
      await worker.close();
    }
  }, 120_000);

  it("calibrate (optimiser runs in a coarse world sent as a data bundle): the same document", async () => {
    // In this process, on database 2, with an in-thread worker; the synthetic world of the
    // calibrate tests (three municipalities), so the optimiser's data directory is a temp dir.
    const world = syntheticWorld();
    const target = parseRedisUrl(redis.url.replace(/\/0$/, "/2"));
    const worker = await startQueueWorker(target, {
      version: "in-process",
      kinds: QUEUE_TASK_KINDS,
      concurrency: 2,
      inThread: true,
      cacheDir: join(tmp, "worker-cache"),
    });
    const c = await QueueCoordinator.open(target, { version: "in-process", kinds: QUEUE_TASK_KINDS });
    try {
      const opts = {
        // A short fit (the point is the same answer both ways, not a good fit).
        load: (overrides: string[]) =>
          loadScenario(world.scenario, ["calibrate.maxEvaluations=16", ...overrides]).params,
        scenarioFile: "synthetic.yaml",
        fitUntil: "2016-12-31",
        seed: 1,
        threads: 1,
        dataDir: world.dataDir,
      };
      const local = await calibrate(opts);
      const queued = await calibrate({ ...opts, runTasks: c.runTasks });
      expect(JSON.stringify(queued.document)).toBe(JSON.stringify(local.document));
      expect(c.totals.tasks).toBeGreaterThan(10);
      // The worker ran from its own copies of the data: the world's and the coarse one.
      expect(readdirSync(join(tmp, "worker-cache")).filter((d) => /^[0-9a-f]{64}$/.test(d))).toHaveLength(2);
    } finally {
      await c.close();
      await worker.close();
      rmSync(world.dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("a worker SIGKILLed while it holds a task: the other worker takes it; same outputs", async () => {
    await forgetResults();
    const victim = workers[0]!;
    const stalled = new Set<string>();
    const onStalled = ({ jobId }: { jobId: string }): void => void stalled.add(jobId);
    events.on("stalled", onStalled);
    const sweep = startCli([...SWEEP, "--queue", redis.url, "--out", join(tmp, "killed")]);
    const outcome = waitExit(sweep);
    let held: string | null = null;
    while (held === null && sweep.exitCode === null) {
      const active = await queue.getActive();
      held = active.find((j) => j.processedBy === `${hostname()}:${victim.child.pid}`)?.id ?? null;
      if (held === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(held).not.toBeNull();
    victim.child.kill("SIGKILL");
    const o = await outcome;
    events.off("stalled", onStalled);
    expect(o.code, o.stderr).toBe(0);
    expect(stalled.has(held!)).toBe(true);
    expectSameOutputs(join(tmp, "local"), join(tmp, "killed"));
  }, 120_000);

  it("a coordinator SIGKILLed mid-sweep leaves no complete directory; rerun, it resumes from Redis", async () => {
    await forgetResults();
    const first = startCli([...SWEEP, "--queue", redis.url, "--out", join(tmp, "interrupted")]);
    const exited = waitExit(first);
    while ((await resultCount()) < 6 && first.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    first.kill("SIGKILL");
    await exited;
    expect(existsSync(join(tmp, "interrupted", "manifest.json"))).toBe(false);
    const again = await runCli([...SWEEP, "--queue", redis.url, "--out", join(tmp, "resumed")]);
    expect(again.code, again.stderr).toBe(0);
    const resumed = Number(/; (\d+) result\(s\) were already in Redis/.exec(again.stderr)?.[1]);
    expect(resumed).toBeGreaterThanOrEqual(6);
    expectSameOutputs(join(tmp, "local"), join(tmp, "resumed"));
  }, 120_000);

  it("a worker refuses a task of another code version; the coordinator says so", async () => {
    const c = await QueueCoordinator.open(parseRedisUrl(redis.url), {
      version: "myna-twin@0.0.1+0000000000000000000000000000000000000000",
      kinds: QUEUE_TASK_KINDS,
    });
    const e = await c
      .runTasks([{ old: true }], { threads: 1, workerUrl: ECHO_WORKER, handler: echoTask })
      .then(
        () => null,
        (x: unknown) => x,
      );
    await c.close();
    expect(e).toBeInstanceOf(VersionMismatchError);
    expect((e as Error).message).toMatch(
      /^queue: a worker refused echo task [0-9a-f]{12}: task of code version myna-twin@0\.0\.1\+0{40} refused: this worker runs myna-twin@test\+\d+ \(run coordinator and workers from the same commit\)$/,
    );
    const said = workers[1]!.stderr();
    expect(said).toMatch(
      /^worker: refused tasks of code version myna-twin@0\.0\.1\+0{40} \(this worker runs /m,
    );
  }, 30_000);
});

describe.runIf(REDIS)("worker defaults", () => {
  it("--stall-seconds defaults to the worker's lock time, as the help says", () => {
    expect(DEFAULT_STALL_SECONDS * 1000).toBe(DEFAULT_STALL_MS);
    expect(WORKER_HELP).toContain(`(default ${DEFAULT_STALL_SECONDS}; 1 to 3600)`);
  });
});

describe.runIf(REDIS)("bad --queue: one line, exit 2, no directory", () => {
  it("sweep --queue to a port where no Redis listens", async () => {
    const out = join(tmp, "unreachable");
    const o = await runCli([...SWEEP, "--queue", "redis://127.0.0.1:1/0", "--out", out]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(
      /^myna-twin: --queue redis:\/\/127\.0\.0\.1:1\/0: cannot use Redis there: connect ECONNREFUSED 127\.0\.0\.1:1$/m,
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  // Regression: the queue's connections kept the process alive after the claim failed (it hung).
  it("sweep --queue with an --out that is taken: one line, exit 2, the process ends", async () => {
    const out = join(tmp, "taken");
    mkdirSync(out);
    writeFileSync(join(out, "keep.txt"), "mine\n");
    const o = await runCli([...SWEEP, "--queue", redis.url, "--out", out]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(/the directory exists and is not empty; choose a new one$/m);
    expect(readFileSync(join(out, "keep.txt"), "utf8")).toBe("mine\n");
  }, 60_000);

  it("worker with a bad --queue", async () => {
    const o = await runCli(["worker", "--queue", "http://127.0.0.1:6379"]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toMatch(
      /^myna-twin: --queue "http:\/\/127\.0\.0\.1:6379": scheme "http" is not supported; expected redis:\/\/HOST:PORT\[\/DB\]/m,
    );
  }, 60_000);
});
