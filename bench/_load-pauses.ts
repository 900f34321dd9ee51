/**
 * Pauses of a process's main thread during one bench:load step (issue 10 item 6): every garbage
 * collection pause (PerformanceObserver "gc" entries — Node's perf_hooks: start and duration of the
 * pause on the performance clock, and its kind: minor = scavenge, major = mark-compact, incremental
 * marking step, weak callbacks), and the event loop's delay (`perf_hooks.monitorEventLoopDelay`:
 * a libuv timer every `resolutionMs`, recording how long each interval really took — a main thread
 * that is busy, paused or waiting for a core shows as long intervals). The server and the load
 * generator each run one; `take()` returns what happened since the previous `take()`.
 *
 * Pause start times are epoch ms at sub-ms resolution (`performance.timeOrigin + startTime`), so the
 * server's pauses line up with the generator's clock on the same machine.
 * @module
 */
import type { IntervalHistogram, PerformanceEntry } from "node:perf_hooks";
import { PerformanceObserver, constants, monitorEventLoopDelay, performance } from "node:perf_hooks";

/** What a GC pause was: scavenge, mark-compact, an incremental marking step, weak callbacks. */
export type GcKind = "minor" | "major" | "incremental" | "weakcb";

/** One GC pause of the main thread. */
export interface GcPause {
  /** Start, epoch ms (sub-ms resolution). */
  readonly atMs: number;
  /** Duration, ms. */
  readonly ms: number;
  readonly kind: GcKind;
}

/** Event-loop timer intervals over a span (ms; each at least the resolution). */
export interface LoopDelaySummary {
  readonly resolutionMs: number;
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** One span's pauses: from the previous `take()` (or the start) to this one. */
export interface PauseReport {
  /** Span, epoch ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Every GC pause that started in the span, in time order. */
  readonly gc: GcPause[];
  readonly loopDelay: LoopDelaySummary;
}

/** Per GC kind over a span: pauses, their total and longest (ms). */
export interface GcSummary {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

const KIND: Readonly<Record<number, GcKind>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/** Count, total and longest pause by kind (kinds without a pause are left out). */
export function summariseGc(gc: readonly GcPause[]): Partial<Record<GcKind, GcSummary>> {
  const out: Partial<Record<GcKind, { count: number; totalMs: number; maxMs: number }>> = {};
  for (const p of gc) {
    const s = (out[p.kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    s.count++;
    s.totalMs += p.ms;
    s.maxMs = Math.max(s.maxMs, p.ms);
  }
  return out;
}

/** A running recorder of this thread's pauses. */
export interface PauseRecorder {
  /** What happened since the previous take (or the start); starts a new span. */
  take(): PauseReport;
  stop(): void;
}

function loopSummary(h: IntervalHistogram, resolutionMs: number): LoopDelaySummary {
  const ms = (ns: number) => ns / 1e6;
  return h.count === 0
    ? { resolutionMs, count: 0, p50: 0, p99: 0, max: 0, mean: 0 }
    : {
        resolutionMs,
        count: h.count,
        p50: ms(h.percentile(50)),
        p99: ms(h.percentile(99)),
        max: ms(h.max),
        mean: ms(h.mean),
      };
}

/** Starts recording this thread's GC pauses and event-loop delay. */
export function startPauseRecorder(resolutionMs = 5): PauseRecorder {
  let gc: GcPause[] = [];
  const origin = performance.timeOrigin;
  const collect = (entries: readonly PerformanceEntry[]) => {
    for (const e of entries) {
      const kind = KIND[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1];
      if (kind) gc.push({ atMs: origin + e.startTime, ms: e.duration, kind });
    }
  };
  const observer = new PerformanceObserver((list) => collect(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  const loop = monitorEventLoopDelay({ resolution: resolutionMs });
  loop.enable();
  let from = origin + performance.now();
  return {
    take: () => {
      // Entries queued but not yet handed to the callback are taken now (Node queues a GC's entry
      // from the event loop after the collection: a pause in the last moments may fall in the next span).
      collect(observer.takeRecords());
      const to = origin + performance.now();
      const report: PauseReport = {
        fromMs: from,
        toMs: to,
        gc: gc.sort((a, b) => a.atMs - b.atMs),
        loopDelay: loopSummary(loop, resolutionMs),
      };
      gc = [];
      loop.reset();
      from = to;
      return report;
    },
    stop: () => {
      observer.disconnect();
      loop.disable();
    },
  };
}
