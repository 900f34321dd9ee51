/**
 * The DES kernel (engine/des) against SimPy, same models and sizes, measured in the same run
 * (DESIGN.md §8). Ours: tinybench over warm runs of bench/des-models.ts (mean ± RME, samples); SimPy:
 * bench/simpy_hold.py, a warm-up run then timed runs in one Python process (mean ± RME). Both are
 * rates per CPU-second of whole model runs (Node's `process.cpuUsage()` as tinybench's clock, which
 * also counts V8's GC and compiler threads against us; Python's `time.process_time()`): warm against
 * warm, and not skewed by the other tenants of a shared machine, which wall-clock rates are.
 *
 * What each side does per step (the same on both; bench/des-models.ts and bench/simpy_hold.py):
 *
 * - `des.hold.process` — 1,000 generator processes, each looping `yield env.timeout(Exp(1))` until
 *   300,000 timeouts have been created in all. Per step, both sides draw an exponential variate,
 *   build a Timeout event object (ours: `new Timeout`, a class extending Event; SimPy: its
 *   `Timeout.__init__`), push it on the event list (ours: the ladder queue; SimPy: `heappush`),
 *   register the waiting process on it (ours: the Process object itself in the event's callback
 *   slot; SimPy: the process's bound `_resume` method), pop it, run its callbacks and resume the
 *   generator with its value (ours: `gen.next(value)`; SimPy: `gen.send(value)`). Target ≥ 10×.
 * - `des.hold.callback` — the same model without generators: each step builds a Timeout and adds a
 *   callback that builds the next one (ours: `env.timeout(d).addCallback(tick)`; SimPy:
 *   `timeout(d).callbacks.append(tick)`). Target ≥ 10×.
 * - `des.hold.schedule` — our bare-callback fast path (`env.schedule`, no event object); SimPy has
 *   no counterpart, so it is a plain figure.
 * - `des.mm1.process` — M/M/1 with a Resource, customers per second; no target.
 *
 * Run alone (kernel rows only): `npm run -s bench:build && node dist/bench/des-kernel.js [--json]
 * [--quick]`; `bench:des` runs these and then the full history runs.
 * @module
 */

import type { BenchOptions, BenchResult, Measurement } from "./_shared.js";
import { isMain, log, makeResult, micro, ratePerSecond, runBenchmark } from "./_shared.js";
import { runSimpy, simpyReference } from "./_simpy.js";
import { holdCallback, holdProcess, holdSchedule, mm1 } from "./des-models.js";
import type { ModelRun } from "./des-models.js";

const PROCESSES = 1000;
const SEED = 42;

/** Events (hold) or customers (M/M/1) per run — the same on both sides — and the time budgets. */
interface Sizes {
  hold: number;
  mm1: number;
  /** tinybench time budget per model, ms, and minimum samples. */
  timeMs: number;
  iterations: number;
  /** SimPy's timed runs per model. */
  simpyRepeats: number;
}

const FULL: Sizes = { hold: 300_000, mm1: 50_000, timeMs: 3000, iterations: 10, simpyRepeats: 5 };
const QUICK: Sizes = { hold: 20_000, mm1: 5_000, timeMs: 300, iterations: 4, simpyRepeats: 2 };

const sizes = (o: BenchOptions): Sizes => (o.quick ? QUICK : FULL);

/** Times `model` (which must do exactly `work` units each run) with tinybench. */
async function timeModel(name: string, work: number, model: () => ModelRun, s: Sizes) {
  const check = model();
  if (check.count !== work) throw new Error(`${name}: model did ${check.count} units, expected ${work}`);
  log(
    `${name}: ${work.toLocaleString("en-US")} per run (${check.events.toLocaleString("en-US")} kernel events)`,
  );
  return micro(name, model, { timeMs: s.timeMs, iterations: s.iterations, clock: "cpu" });
}

function kernelMeasurement(
  name: string,
  unit: string,
  mode: "process" | "callback" | "mm1" | null,
  what: string,
  target: number | null,
  model: (s: Sizes) => ModelRun,
  work: (s: Sizes) => number,
): Measurement {
  return async (options): Promise<BenchResult[]> => {
    const s = sizes(options);
    const stats = await timeModel(name, work(s), () => model(s), s);
    const simpy = mode === null ? null : runSimpy(mode, PROCESSES, work(s), s.simpyRepeats);
    return [
      makeResult(
        {
          name,
          unit,
          value: ratePerSecond(stats, work(s)),
          higherIsBetter: true,
          reference: simpyReference(simpy, what),
          target,
          stats,
        },
        options.quick,
      ),
    ];
  };
}

/** All kernel measurements, in run order. */
export const desKernelMeasurements: readonly Measurement[] = [
  kernelMeasurement(
    "des.hold.process",
    "events/CPU-s",
    "process",
    "generator processes",
    10,
    (s) => holdProcess(PROCESSES, s.hold, SEED),
    (s) => s.hold,
  ),
  kernelMeasurement(
    "des.hold.callback",
    "events/CPU-s",
    "callback",
    "timeout events with callbacks",
    10,
    (s) => holdCallback(PROCESSES, s.hold, SEED),
    (s) => s.hold,
  ),
  kernelMeasurement(
    "des.hold.schedule",
    "events/CPU-s",
    null,
    "",
    null,
    (s) => holdSchedule(PROCESSES, s.hold, SEED),
    (s) => s.hold,
  ),
  kernelMeasurement(
    "des.mm1.process",
    "customers/CPU-s",
    "mm1",
    "Resource + processes",
    null,
    (s) => mm1(s.mm1, SEED),
    (s) => s.mm1,
  ),
];

if (isMain(import.meta.url)) await runBenchmark(desKernelMeasurements);
