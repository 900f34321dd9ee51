/**
 * Benchmark of the DES kernel (engine/des) against SimPy, measured in the same run.
 *
 * - `des.hold.process`: the classic hold model — 1,000 generator processes, each looping
 *   `yield env.timeout(Exp(1))` until 2,000,000 timeouts have been created in all. Reference: the
 *   same model in SimPy (generator processes).
 * - `des.hold.callback`: the same model on the callback fast path (`env.schedule`), no generators.
 *   Reference: SimPy driven the fastest way it allows, timeout events with a callback that creates
 *   the next one.
 * - `des.mm1.process`: an M/M/1 queue (λ = 0.9, μ = 1) with a Resource, in customers per second.
 *   Reference: the same model in SimPy.
 *
 * Rates are per CPU second of each side's process (Node's `process.cpuUsage()`, Python's
 * `time.process_time()`), not wall-clock: the machine is shared, and CPU time does not count the
 * time a process waits for a core. Node's figure includes its GC and compiler threads, which only
 * counts against us. Wall times go to stderr. The two sides run in interleaved rounds (ours, then
 * SimPy, five times) and each reports its best round. SimPy runs fewer events per round; the rate
 * does not depend on the count.
 * SimPy is Debian's python3-simpy3 under /usr/bin/python3; if it is missing this script installs it
 * with apt-get when running as root, and otherwise reports a null reference.
 *
 * Usage: `npx tsx bench/des-kernel.ts [--json] [--quick]`
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Environment, Resource } from "../engine/des/index.js";
import type { ProcessGenerator } from "../engine/des/index.js";
import type { BenchOptions, BenchResult, Measurement } from "./_shared.js";
import { emit, isMain, log, makeResult, parseBenchArgs, ROOT, runMeasurements } from "./_shared.js";

const PYTHON = "/usr/bin/python3";
const SIMPY_SCRIPT = join(ROOT, "bench", "simpy_hold.py");
const PROCESSES = 1000;

/** Workload sizes, ours and SimPy's, and the number of interleaved rounds. */
interface Sizes {
  holdEvents: number;
  simpyHoldEvents: number;
  mm1Customers: number;
  simpyMm1Customers: number;
  /** Interleaved rounds of (ours, SimPy); each side reports its best round. */
  rounds: number;
}

const FULL: Sizes = {
  holdEvents: 2_000_000,
  simpyHoldEvents: 300_000,
  mm1Customers: 300_000,
  simpyMm1Customers: 30_000,
  rounds: 5,
};
const QUICK: Sizes = {
  holdEvents: 200_000,
  simpyHoldEvents: 50_000,
  mm1Customers: 30_000,
  simpyMm1Customers: 5_000,
  rounds: 2,
};

/** Small seeded PRNG (mulberry32) for the models; the kernel itself never draws random numbers. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One timed run of a model. */
export interface ModelRun {
  /** Work done: timeouts or callbacks created (hold), customers served (M/M/1). */
  count: number;
  /** CPU seconds of this process during `env.run()`. */
  cpu: number;
  /** Wall-clock seconds of `env.run()`. */
  wall: number;
  /** Entries the kernel processed. */
  events: number;
}

/** Runs `env` to completion, timing it; `count` is read afterwards. */
function timed(env: Environment, count: () => number): ModelRun {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  env.run();
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - wall0) / 1000;
  return { count: count(), cpu: (cpu.user + cpu.system) / 1e6, wall, events: env.eventsProcessed };
}

/** Hold model with generator processes; `count` is the number of timeouts. */
export function holdProcess(processes: number, total: number, seed: number): ModelRun {
  const env = new Environment(0, { initialCapacity: processes * 2 });
  const rnd = mulberry32(seed);
  let count = 0;
  function* proc(): ProcessGenerator {
    while (count < total) {
      count++;
      yield env.timeout(-Math.log(1 - rnd()));
    }
  }
  for (let i = 0; i < processes; i++) env.process(proc());
  return timed(env, () => count);
}

/** Hold model on the callback fast path; `count` is the number of callbacks scheduled. */
export function holdCallback(processes: number, total: number, seed: number): ModelRun {
  const env = new Environment(0, { initialCapacity: processes * 2 });
  const rnd = mulberry32(seed);
  let count = 0;
  const tick = (): void => {
    if (count < total) {
      count++;
      env.schedule(-Math.log(1 - rnd()), tick);
    }
  };
  for (let i = 0; i < processes; i++) env.schedule(0, tick);
  return timed(env, () => count);
}

/** M/M/1 with a Resource; `count` is the number of customers served. */
export function mm1(customers: number, seed: number, lambda = 0.9, mu = 1): ModelRun {
  const env = new Environment();
  const rnd = mulberry32(seed);
  const server = new Resource(env, 1);
  let done = 0;
  function* customer(): ProcessGenerator {
    const req = server.request();
    yield req;
    yield env.timeout(-Math.log(1 - rnd()) / mu);
    server.release(req);
    done++;
  }
  env.process(function* source() {
    for (let i = 0; i < customers; i++) {
      yield env.timeout(-Math.log(1 - rnd()) / lambda);
      env.process(customer());
    }
  });
  return timed(env, () => done);
}

/** Best rates of ours and SimPy's over interleaved rounds (ours, then SimPy, in each round). */
function compareRounds(
  label: string,
  rounds: number,
  /** Our model for a round; round -1 is the warm-up. */
  ours: (round: number) => ModelRun,
  simpy: () => SimpyRun | null,
): { ours: number; simpy: SimpyRun | null } {
  let best = 0;
  let ref: SimpyRun | null = null;
  let simpyOk = true;
  ours(-1); // warm-up at a quarter size: let the JIT compile model and kernel (not counted)
  for (let round = 0; round < rounds; round++) {
    const run = ours(round);
    log(
      `  ours  ${label} round ${round + 1}: ${run.count} in ${run.cpu.toFixed(3)} s CPU ` +
        `(${run.wall.toFixed(3)} s wall, ${run.events} kernel events)`,
    );
    best = Math.max(best, run.count / run.cpu);
    if (!simpyOk) continue;
    const theirs = simpy();
    if (theirs === null) {
      simpyOk = false;
      continue;
    }
    log(
      `  simpy ${label} round ${round + 1}: ${theirs.events} in ${theirs.seconds.toFixed(3)} s CPU ` +
        `(${theirs.wall.toFixed(3)} s wall)`,
    );
    if (ref === null || theirs.rate > ref.rate) ref = theirs;
  }
  return { ours: best, simpy: ref };
}

let simpyChecked: boolean | null = null;

/** True if /usr/bin/python3 can import simpy, installing python3-simpy3 with apt-get if needed. */
export function ensureSimpy(): boolean {
  if (simpyChecked !== null) return simpyChecked;
  const canImport = (): boolean =>
    existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import simpy"], { stdio: "ignore" }).status === 0;
  if (canImport()) return (simpyChecked = true);
  if (!existsSync(PYTHON)) {
    log(`note: ${PYTHON} not found; SimPy references will be null`);
    return (simpyChecked = false);
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    log(
      "note: SimPy is missing and we are not root to apt-get install python3-simpy3; references will be null",
    );
    return (simpyChecked = false);
  }
  log(
    "SimPy not found: installing Debian's python3-simpy3 (apt-get update && apt-get install -y python3-simpy3)…",
  );
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // The child's stdout goes to our stderr, so --json output stays clean.
  const opts = { stdio: ["ignore", 2, 2] as ["ignore", number, number], env };
  const update = spawnSync("apt-get", ["update"], opts);
  const install =
    update.status === 0
      ? spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "python3-simpy3"], opts)
      : update;
  if (install.status !== 0 || !canImport()) {
    log("note: could not install python3-simpy3; SimPy references will be null");
    return (simpyChecked = false);
  }
  log("python3-simpy3 installed");
  return (simpyChecked = true);
}

/** One SimPy measurement from bench/simpy_hold.py. */
interface SimpyRun {
  events: number;
  /** CPU seconds. */
  seconds: number;
  wall: number;
  rate: number;
  simpy: string;
  python: string;
}

/** Runs bench/simpy_hold.py in `mode`; null (with a note on stderr) if SimPy is unavailable. */
export function runSimpy(mode: "process" | "callback" | "mm1", events: number, repeats = 1): SimpyRun | null {
  if (!ensureSimpy()) return null;
  const args = [SIMPY_SCRIPT, "--mode", mode, "--processes", String(PROCESSES), "--events", String(events)];
  const child = spawnSync(PYTHON, [...args, "--repeat", String(repeats)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lastLine = child.stdout?.trim().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(lastLine) as SimpyRun;
    if (child.status === 0 && Number.isFinite(parsed.rate)) return parsed;
  } catch {
    // fall through
  }
  log(`note: simpy_hold.py --mode ${mode} failed (status ${child.status}); reference is null`);
  if (child.stderr) log(child.stderr.trim());
  return null;
}

function simpyReference(run: SimpyRun | null, what: string): { name: string; value: number } | null {
  return run ? { name: `SimPy ${run.simpy} (Python ${run.python}), ${what}`, value: run.rate } : null;
}

/** The hold model with generator processes, against SimPy's generator processes. */
export const holdProcessMeasurement: Measurement = (options) => {
  const s = options.quick ? QUICK : FULL;
  log(`des.hold.process: ${PROCESSES} processes, ${s.holdEvents.toLocaleString("en-US")} timeouts`);
  const r = compareRounds(
    "process",
    s.rounds,
    (round) => holdProcess(PROCESSES, round < 0 ? s.holdEvents / 4 : s.holdEvents, 42 + round),
    () => runSimpy("process", s.simpyHoldEvents),
  );
  return Promise.resolve([
    makeResult(
      "des.hold.process",
      "events/CPU-s",
      r.ours,
      true,
      simpyReference(r.simpy, "generator processes"),
    ),
  ]);
};

/** The hold model on the callback fast path, against SimPy's timeout callbacks. */
export const holdCallbackMeasurement: Measurement = (options) => {
  const s = options.quick ? QUICK : FULL;
  log(`des.hold.callback: ${PROCESSES} chains, ${s.holdEvents.toLocaleString("en-US")} callbacks`);
  const r = compareRounds(
    "callback",
    s.rounds,
    (round) => holdCallback(PROCESSES, round < 0 ? s.holdEvents / 4 : s.holdEvents, 42 + round),
    () => runSimpy("callback", s.simpyHoldEvents),
  );
  return Promise.resolve([
    makeResult(
      "des.hold.callback",
      "events/CPU-s",
      r.ours,
      true,
      simpyReference(r.simpy, "timeout callbacks"),
    ),
  ]);
};

/** M/M/1 with a Resource, against the same model in SimPy. */
export const mm1Measurement: Measurement = (options) => {
  const s = options.quick ? QUICK : FULL;
  log(`des.mm1.process: M/M/1 (λ=0.9, μ=1), ${s.mm1Customers.toLocaleString("en-US")} customers`);
  const r = compareRounds(
    "mm1",
    s.rounds,
    (round) => mm1(round < 0 ? s.mm1Customers / 4 : s.mm1Customers, 42 + round),
    () => runSimpy("mm1", s.simpyMm1Customers),
  );
  return Promise.resolve([
    makeResult(
      "des.mm1.process",
      "customers/CPU-s",
      r.ours,
      true,
      simpyReference(r.simpy, "Resource + processes"),
    ),
  ]);
};

/** All kernel measurements, in run order. */
export const desKernelMeasurements: readonly Measurement[] = [
  holdProcessMeasurement,
  holdCallbackMeasurement,
  mm1Measurement,
];

/** Runs the kernel benchmarks with `options`. */
export function runDesKernel(options: BenchOptions): Promise<BenchResult[]> {
  return runMeasurements(desKernelMeasurements, options);
}

if (isMain(import.meta.url)) {
  const options = parseBenchArgs();
  emit(await runDesKernel(options), options);
}
