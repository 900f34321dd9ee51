/**
 * The twin half of bench:load (issue 10 item 6): turns one open-loop step of the live verification
 * service into the inputs of sim/auth's service twin (`predictServiceTwin`: main thread → pool →
 * main thread) — everything measured in that step, nothing fitted — and runs the twin at a rate.
 * @module
 */
import type { PauseInput, ServiceTwinInput } from "../sim/auth/service-twin.js";
import { PauseTrace, predictServiceTwin } from "../sim/auth/service-twin.js";
import type { OpenLoopResult } from "./_load-open-loop.js";
import type { PauseReport } from "./_load-pauses.js";
import type { RunQueueTimeline } from "./_load-run-queue.js";
import { runQueuePauses } from "./_load-run-queue.js";

/** The run-queue delay timelines of one step: the server's main thread and the generator's. */
export interface StepWaits {
  readonly main: RunQueueTimeline | null;
  readonly client: RunQueueTimeline | null;
}

/**
 * CPU per answered request and waits for a core measured in a step: reported beside the twin, which
 * takes the waits (as `outside`) and not the CPU figures.
 */
export interface StepCpuFigures {
  /** The machine's cores. */
  readonly cores: number;
  /** Other processes' average CPU use over the step, in cores (0 when the waits were measured). */
  readonly backgroundCores: number;
  readonly mainCpuMs: number;
  readonly poolCpuMs: number;
  /** The load generator's CPU per request: half to send it, half to read its answer. */
  readonly generatorCpuMs: number;
  /** The generator ran at nice −10. */
  readonly generatorNiced: boolean;
  /** Mean wait for a core per time slice (ms; schedstat run-queue delay), by thread. */
  readonly wakeWaitMs?: { readonly main: number; readonly pool: number; readonly generator: number };
}

/** What {@link twinInputOf} measures: the twin's input without the rate, duration and seed. */
export type MeasuredTwinInput = Omit<ServiceTwinInput, "arrivalRatePerS" | "durationS" | "seed"> & {
  /** Requests left out of the split timings because a server pause fell in their window. */
  readonly samplesWithPause?: number;
  readonly cpu?: StepCpuFigures;
};

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
    /** CPU per request and waits for a core measured in the step (reported; the twin uses only the waits). */
    readonly cpu: StepCpuFigures | null;
    /** Measured main-thread pauses of the server and of the client replayed in the twin (null: none given). */
    readonly mainPauses: PauseFigures | null;
    readonly clientPauses: PauseFigures | null;
    /** Measured waits for a core of the server's main thread and of the client, replayed (null: none given). */
    readonly mainWaits: PauseFigures | null;
    readonly clientWaits: PauseFigures | null;
    /** Requests whose Server-Timing split was left out because a server pause fell in their window. */
    readonly samplesWithPause: number;
  };
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mainUtilisation: number;
  readonly poolUtilisation: number;
}

/** Pauses replayed in the twin: how many, their total and longest (ms), over how long a span (ms). */
export interface PauseFigures {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  readonly periodMs: number;
}

const pauseFigures = (p: PauseInput | undefined): PauseFigures | null =>
  p
    ? {
        count: p.ms.length,
        totalMs: new PauseTrace(p).pausedMs,
        maxMs: p.ms.reduce((a, b) => Math.max(a, b), 0),
        periodMs: p.periodMs,
      }
    : null;

/**
 * A process's measured GC pauses over a step on the twin's clock: starts in ms from the step's first
 * intended send (`startedAtMs`), those that start within `[0, periodMs)`. Undefined without a report.
 */
export function pauseInputOf(
  report: PauseReport | null | undefined,
  startedAtMs: number,
  periodMs: number,
): PauseInput | undefined {
  if (!report || !(periodMs > 0)) return undefined;
  const kept = report.gc
    .map((g) => ({ at: g.atMs - startedAtMs, ms: g.ms }))
    .filter((g) => g.at >= 0 && g.at < periodMs);
  return { atMs: kept.map((g) => g.at), ms: kept.map((g) => g.ms), periodMs };
}

/** Slack (ms) around a request's window on the server when matching it with the server's pauses (two processes' clocks). */
const CLOCK_SLACK_MS = 0.5;

/**
 * For each Server-Timing sample, whether one of the server's measured pauses fell in its window on
 * the server (from `app` ms before its answer ended at the client to that end, ± {@link CLOCK_SLACK_MS}):
 * its segments may hold the pause, which the twin replays as a pause of its own.
 */
export function samplesWithPause(r: OpenLoopResult, pauses: PauseReport | null | undefined): boolean[] {
  const gc = [...(pauses?.gc ?? [])].sort((a, b) => a.atMs - b.atMs);
  const ends = r.serverTimingsAtMs ?? [];
  return r.serverTimings.map((t, j) => {
    const end = ends[j];
    if (end === undefined || gc.length === 0) return false;
    const from = end - (t.app ?? 0) - CLOCK_SLACK_MS;
    const to = end + CLOCK_SLACK_MS;
    // The first pause ending after `from`: does it start before `to`?
    let lo = 0;
    let hi = gc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (gc[mid]!.atMs + gc[mid]!.ms > from) hi = mid;
      else lo = mid + 1;
    }
    // One thread's pauses do not overlap: sorted by start, they are sorted by end too.
    return lo < gc.length && gc[lo]!.atMs < to;
  });
}

const median = (v: readonly number[]): number => {
  if (v.length === 0) return NaN;
  const a = [...v].sort((x, y) => x - y);
  return a[Math.floor((a.length - 1) / 2)]!;
};

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
 * A step's CPU figures, reported beside the twin: per answered request the main thread's and the
 * pool's CPU, the generator's; other processes' interference as each thread's measured wait for a
 * core per time slice (schedstat, which the twin takes as its `outside` waits) when known, else as
 * the rest of the machine's average use in cores (machine busy time − server − generator, over the
 * step). Null when /proc was not readable.
 */
export function twinCpuOf(cpu: StepCpu, answered: number): StepCpuFigures | null {
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
    generatorNiced: cpu.generatorNiced,
  };
}

/**
 * The service twin's inputs, all measured in step `r`: per 2xx answer its Server-Timing `pre`,
 * `verify`, `post` (kept together), its batch's hops to the pool thread (`hopto`) and back
 * (`hopback`), and which request of the step it answered (the trace); the generator's send lags;
 * node:http's own work per request `httpMs` (the bare server's event-loop busy time per request,
 * same run) and the rest of the main thread's busy time per answered request, off the request's
 * path (`loopActiveMs` over the step / answers − mean(pre + post) − the server's GC pauses per
 * answer − httpMs; when that is below `httpMs`, all of it counts as HTTP). With `serverPauses` (the
 * server's main-thread GC pauses over the step) those pauses are replayed in the twin
 * (`mainPauses`) and the split timings of requests a pause fell on are left out (they hold it
 * already); the generator's own pauses (`r.generatorPauses`) become `clientPauses`. With `waits`
 * (the run-queue delay timelines of the server's main thread and of the generator's) their waits for
 * a core are replayed at their times (`mainWaits`, `clientWaits`) instead of mean wake-up waits, and
 * the main thread's work is its CPU time (`cpu.serverMainMs`) rather than its event loop's busy
 * time, which is wall time and holds the waits that fell in it.
 * With `threads` 0 the check runs on the main thread: `verify` joins `pre`. Null when the step has
 * no split timings.
 */
export function twinInputOf(
  r: OpenLoopResult,
  loopActiveMs: number,
  threads: number,
  httpMs: number,
  cpu: StepCpu | null = null,
  serverPauses: PauseReport | null = null,
  waits: StepWaits | null = null,
): MeasuredTwinInput | null {
  const split = (t: Record<string, number>) =>
    t.pre !== undefined && t.verify !== undefined && t.post !== undefined;
  const paused = samplesWithPause(r, serverPauses);
  const all = r.serverTimings.map((_, j) => j).filter((j) => split(r.serverTimings[j]!));
  const clean = all.filter((j) => !paused[j]);
  // Every sample under a pause (never on a real step): keep them all rather than none.
  const kept = clean.length > 0 ? clean : all;
  if (kept.length === 0) return null;
  const rows = kept.map((j) => r.serverTimings[j]!);
  const inThread = threads === 0;
  const preMs = rows.map((t) => t.pre! + (inThread ? t.verify! : 0));
  const verifyMs = rows.map((t) => (inThread ? 0 : t.verify!));
  const postMs = rows.map((t) => t.post!);
  // Each request's Server-Timing gives its batch's hops.
  const hops = inThread ? [] : kept.filter((j) => r.serverTimings[j]!.hopto !== undefined);
  const hopTo = hops.map((j) => r.serverTimings[j]!.hopto!);
  const hopBack = hops.map((j) => r.serverTimings[j]!.hopback!);
  // The trace: which request each kept sample is (every kept sample with its batch's hops).
  const ids = r.serverTimingsRequest;
  const count = r.sendLagMs.length;
  const trace =
    !inThread && ids?.length === r.serverTimings.length && hops.length === kept.length && count > 0
      ? { requestIds: kept.map((j) => ids[j]!), count }
      : undefined;
  const periodMs = r.seconds * 1000;
  const answered = Math.max(1, r.sent - r.errors);
  const handlerMean = (preMs.reduce((a, b) => a + b, 0) + postMs.reduce((a, b) => a + b, 0)) / rows.length;
  const gcMs = serverPauses ? serverPauses.gc.reduce((a, g) => a + g.ms, 0) : 0;
  // The event loop's busy time is wall time, waits for a core within it included; where those
  // waits are replayed at their times, the main thread's CPU time is its work instead.
  const mainWorkMs = waits?.main && cpu?.serverMainMs != null ? cpu.serverMainMs : loopActiveMs;
  const outside = Math.max(0, (mainWorkMs - gcMs) / answered - handlerMean);
  const twin = cpu && twinCpuOf(cpu, answered);
  const mainPauses = pauseInputOf(serverPauses, r.startedAtMs, periodMs);
  const clientPauses = serverPauses ? pauseInputOf(r.generatorPauses, r.startedAtMs, periodMs) : undefined;
  const mainWaits = waits?.main && runQueuePauses(waits.main, r.startedAtMs, periodMs);
  const clientWaits = waits?.client && runQueuePauses(waits.client, r.startedAtMs, periodMs);
  return {
    ...(mainWaits ? { mainWaits } : {}),
    ...(clientWaits ? { clientWaits } : {}),
    ...(mainPauses ? { mainPauses, samplesWithPause: all.length - clean.length } : {}),
    ...(clientPauses ? { clientPauses } : {}),
    ...(trace ? { trace } : {}),
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
          // A thread's waits replayed at their times replace its mean wake-up wait.
          outside: {
            mainWakeMs: mainWaits ? 0 : twin.wakeWaitMs.main,
            generatorWakeMs: clientWaits ? 0 : twin.wakeWaitMs.generator,
            generatorReadMs: twin.generatorCpuMs / 2,
          },
        }
      : {}),
  };
}

/** The twin's prediction at `rate` from measured inputs (60 simulated seconds, seed 1). */
export function runTwin(rate: number, input: MeasuredTwinInput, seconds: number): TwinFigures {
  const { cpu: _reported, samplesWithPause: _left, ...measured } = input;
  const p = predictServiceTwin({
    ...measured,
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
      mainPauses: pauseFigures(input.mainPauses),
      clientPauses: pauseFigures(input.clientPauses),
      mainWaits: pauseFigures(input.mainWaits),
      clientWaits: pauseFigures(input.clientWaits),
      samplesWithPause: input.samplesWithPause ?? 0,
    },
    p50: p.p50Ms,
    p90: p.p90Ms,
    p99: p.p99Ms,
    mainUtilisation: p.mainUtilisation,
    poolUtilisation: p.poolUtilisation,
  };
}
