/**
 * The twin half of bench:load (issue 10 item 6): turns one open-loop step of the live verification
 * service into the inputs of sim/auth's service twin (`predictServiceTwin`: main thread → pool →
 * main thread) — everything measured in that step, nothing fitted — and runs the twin at a rate.
 * @module
 */
import { NICE_WEIGHT } from "../sim/auth/cpu-sharing.js";
import type { ServiceTwinInput, TwinCpu } from "../sim/auth/service-twin.js";
import { predictServiceTwin } from "../sim/auth/service-twin.js";
import type { OpenLoopResult } from "./_load-open-loop.js";

/** What {@link twinInputOf} measures: the twin's input without the rate, duration and seed. */
export type MeasuredTwinInput = Omit<ServiceTwinInput, "arrivalRatePerS" | "durationS" | "seed">;

/** The service twin's measured inputs (medians and means, ms) and its prediction at one load. */
export interface TwinFigures {
  readonly inputs: {
    readonly samples: number;
    readonly preP50: number;
    readonly verifyP50: number;
    readonly postP50: number;
    readonly hopToP50: number;
    readonly hopToSamples: number;
    readonly hopBackP50: number;
    readonly mainHttpMs: number;
    readonly mainAfterMs: number;
    readonly sendLagP99: number;
    readonly workers: number;
    /** CPU contention inputs (null: each thread had a core of its own in the twin). */
    readonly cpu: TwinCpu | null;
  };
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mainUtilisation: number;
  readonly poolUtilisation: number;
}

const median = (v: readonly number[]): number => {
  if (v.length === 0) return NaN;
  const a = [...v].sort((x, y) => x - y);
  return a[Math.floor((a.length - 1) / 2)]!;
};

/**
 * The service twin's inputs, all measured in step `r`: per 2xx answer its Server-Timing `pre`,
 * `verify`, `post` (kept together), the hop to the pool (`hopto`, where a thread was free) and back
 * (`hopback`), the generator's send lags; node:http's own work per request `httpMs` (the bare
 * server's event-loop busy time per request, same run) and the rest of the main thread's busy time
 * per answered request, off the request's path (`loopActiveMs` over the step / answers − mean(pre +
 * post) − httpMs; when that is below `httpMs`, all of it counts as HTTP). With `threads` 0 the check
 * runs on the main thread: `verify` joins `pre`. Null when the step has no split timings.
 */
/** CPU measured over one step (ms of CPU time; the machine's busy time from /proc/stat). */
export interface StepCpu {
  /** The server process, all threads. */
  readonly serverMs: number;
  /** The server's main thread (null where /proc is not readable). */
  readonly serverMainMs: number | null;
  /** The load generator's process. */
  readonly generatorMs: number;
  /** Every process on the machine (null where /proc/stat is not readable). */
  readonly machineMs: number | null;
  /** The orchestrator (this process): part of the background, like any other process. */
  readonly wallMs: number;
  readonly cores: number;
  /** The generator runs at nice −10. */
  readonly generatorNiced: boolean;
  /**
   * Run-queue delay (ns) and time slices over the step (Linux schedstat) of the server's main thread,
   * its other threads (pool workers, Node's helpers) and the generator's main thread; null elsewhere.
   */
  readonly runQueue?: {
    readonly main: readonly [number, number];
    readonly pool: readonly [number, number];
    readonly generator: readonly [number, number];
  } | null;
}

/** Mean wait for a core per time slice (ms) from a schedstat delta. */
const perSlice = ([ns, slices]: readonly [number, number]): number => (slices > 0 ? ns / slices / 1e6 : 0);

/** The rest of the machine's average CPU use over a step, in cores (busy − server − generator). */
export const backgroundCoresOf = (cpu: StepCpu): number | null =>
  cpu.machineMs === null || cpu.wallMs <= 0
    ? null
    : Math.max(0, (cpu.machineMs - cpu.serverMs - cpu.generatorMs) / cpu.wallMs);

/**
 * The twin's CPU contention inputs from a step's CPU measurements: per answered request the main
 * thread's and the pool's CPU, the generator's; other processes' interference as each thread's
 * measured wait for a core per time slice (schedstat) when known, else as the rest of the machine's
 * average use in cores (machine busy time − server − generator, over the step). Null when /proc was
 * not readable.
 */
export function twinCpuOf(cpu: StepCpu, answered: number): TwinCpu | null {
  const background = backgroundCoresOf(cpu);
  if (cpu.serverMainMs === null || background === null || answered <= 0) return null;
  const q = cpu.runQueue;
  return {
    cores: cpu.cores,
    backgroundCores: q ? 0 : background,
    ...(q
      ? { wakeWaitMs: { main: perSlice(q.main), pool: perSlice(q.pool), generator: perSlice(q.generator) } }
      : {}),
    mainCpuMs: cpu.serverMainMs / answered,
    poolCpuMs: Math.max(0, cpu.serverMs - cpu.serverMainMs) / answered,
    generatorCpuMs: cpu.generatorMs / answered,
    generatorWeight: cpu.generatorNiced ? NICE_WEIGHT[-10] / NICE_WEIGHT[0] : 1,
  };
}

export function twinInputOf(
  r: OpenLoopResult,
  loopActiveMs: number,
  threads: number,
  httpMs: number,
  cpu: StepCpu | null = null,
): MeasuredTwinInput | null {
  const rows = r.serverTimings.filter(
    (t) => t.pre !== undefined && t.verify !== undefined && t.post !== undefined,
  );
  if (rows.length === 0) return null;
  const inThread = threads === 0;
  const preMs = rows.map((t) => t.pre! + (inThread ? t.verify! : 0));
  const verifyMs = rows.map((t) => (inThread ? 0 : t.verify!));
  const postMs = rows.map((t) => t.post!);
  const hopTo = inThread ? [] : rows.filter((t) => t.hopto !== undefined).map((t) => t.hopto!);
  const hopBack = inThread ? [] : rows.filter((t) => t.hopback !== undefined).map((t) => t.hopback!);
  const answered = Math.max(1, r.sent - r.errors);
  const handlerMean = (preMs.reduce((a, b) => a + b, 0) + postMs.reduce((a, b) => a + b, 0)) / rows.length;
  const outside = Math.max(0, loopActiveMs / answered - handlerMean);
  const twin = cpu && twinCpuOf(cpu, answered);
  return {
    arrivals: "fixed",
    workers: Math.max(1, threads),
    preMs,
    verifyMs,
    postMs,
    hopToMs: hopTo.length > 0 ? hopTo : [0],
    hopBackMs: hopBack.length > 0 ? hopBack : [0],
    mainHttpMs: Math.min(httpMs, outside),
    mainAfterMs: Math.max(0, outside - httpMs),
    sendLagMs: r.sendLagMs.length > 0 ? r.sendLagMs : [0],
    ...(twin ? { cpu: twin } : {}),
    ...(twin?.wakeWaitMs
      ? {
          outside: {
            mainWakeMs: twin.wakeWaitMs.main,
            generatorWakeMs: twin.wakeWaitMs.generator,
            generatorReadMs: twin.generatorCpuMs / 2,
          },
        }
      : {}),
  };
}

/** The twin's prediction at `rate` from measured inputs (60 simulated seconds, seed 1). */
export function runTwin(rate: number, input: MeasuredTwinInput, seconds: number): TwinFigures {
  const p = predictServiceTwin({
    ...input,
    arrivalRatePerS: rate,
    durationS: Math.max(60, seconds),
    seed: 1,
  });
  const lag = [...input.sendLagMs!].sort((a, b) => a - b);
  return {
    inputs: {
      samples: input.preMs.length,
      preP50: median(input.preMs),
      verifyP50: median(input.verifyMs),
      postP50: median(input.postMs),
      hopToP50: median(input.hopToMs),
      hopToSamples: input.hopToMs.length,
      hopBackP50: median(input.hopBackMs),
      mainHttpMs: input.mainHttpMs,
      mainAfterMs: input.mainAfterMs,
      sendLagP99: lag[Math.min(lag.length - 1, Math.floor(0.99 * lag.length))]!,
      workers: input.workers,
      cpu: input.cpu ?? null,
    },
    p50: p.p50Ms,
    p90: p.p90Ms,
    p99: p.p99Ms,
    mainUtilisation: p.mainUtilisation,
    poolUtilisation: p.poolUtilisation,
  };
}
