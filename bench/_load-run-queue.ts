/**
 * When threads waited for a core during one bench:load step (issue 10 item 6): every `everyMs` the
 * orchestrator reads each watched thread's run-queue delay (Linux `/proc/PID/task/TID/schedstat`,
 * second field: ns spent runnable but not running) and its time slices (third field), so the growth
 * between two reads is the time the thread waited for a core in that interval, in as many waits as
 * it began slices. The service twin replays those waits, at their measured
 * times, as pauses of the thread (bench/_load-twin.ts) — on two cores shared by the service's two
 * threads, the generator and V8's helpers, a thread waits for seconds in a 12 s step, in stretches.
 *
 * The reads are `pread`s of a kept descriptor (≈3.5 µs each). A wait shows when the thread runs
 * again, so each interval's growth is placed at the interval's end.
 * @module
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { PauseInput } from "../sim/auth/service-twin.js";

/**
 * One thread's run-queue delay, read every few ms: epoch ms (sub-ms), the cumulative delay (ms) and
 * the cumulative count of time slices (each ends a wait; absent in dumps from before 2026-12-02 15:00).
 */
export interface RunQueueTimeline {
  readonly atMs: number[];
  readonly delayMs: number[];
  readonly slices?: number[];
}

/** A running recorder of threads' run-queue delay. */
export interface RunQueueRecorder {
  /** Stops; the timeline of each watched thread, in the order given (null where it could not be read). */
  stop(): (RunQueueTimeline | null)[];
}

/** The schedstat file of a process's main thread. */
export const mainThreadSchedstat = (pid: number): string => `/proc/${pid}/task/${pid}/schedstat`;

/** Starts reading the run-queue delay of the threads whose schedstat files are `paths`. */
export function startRunQueueRecorder(paths: readonly string[], everyMs = 1): RunQueueRecorder {
  const buf = Buffer.alloc(128);
  const watched = paths.map((path) => {
    try {
      return {
        fd: openSync(path, "r"),
        atMs: [] as number[],
        delayMs: [] as number[],
        slices: [] as number[],
      };
    } catch {
      return null;
    }
  });
  const read = (): void => {
    const at = performance.timeOrigin + performance.now();
    for (const w of watched) {
      if (w === null) continue;
      const n = readSync(w.fd, buf, 0, buf.length, 0);
      const fields = buf.toString("latin1", 0, n).split(" ");
      const delayNs = Number(fields[1]);
      const slices = Number(fields[2]);
      if (!Number.isFinite(delayNs) || !Number.isFinite(slices)) continue;
      w.atMs.push(at);
      w.delayMs.push(delayNs / 1e6);
      w.slices.push(slices);
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return watched.map((w) => {
        if (w === null) return null;
        closeSync(w.fd);
        return { atMs: w.atMs, delayMs: w.delayMs, slices: w.slices };
      });
    },
  };
}

/**
 * A thread's waits for a core as pauses on the twin's clock: for each interval between two reads
 * whose delay grew, that growth (at most the interval) as the waits that made it — one per time
 * slice begun in the interval (each slice ends a wait), equal and evenly spaced, the last ending at
 * the interval's end; one wait when the slices are unknown. A reader held up for tens of ms sees the
 * many short waits of that stretch as one growth, which as one pause would stall the twin's thread
 * for all of it at once. Starts in ms from `startedAtMs`, those within `[0, periodMs)`.
 */
export function runQueuePauses(t: RunQueueTimeline, startedAtMs: number, periodMs: number): PauseInput {
  const atMs: number[] = [];
  const ms: number[] = [];
  for (let k = 1; k < t.atMs.length; k++) {
    const span = t.atMs[k]! - t.atMs[k - 1]!;
    const waited = Math.min(span, t.delayMs[k]! - t.delayMs[k - 1]!);
    if (!(waited > 0)) continue;
    const n = t.slices ? Math.max(1, t.slices[k]! - t.slices[k - 1]!) : 1;
    for (let j = 1; j <= n; j++) {
      const at = t.atMs[k - 1]! + (span * j) / n - waited / n - startedAtMs;
      if (at >= 0 && at < periodMs) {
        atMs.push(at);
        ms.push(waited / n);
      }
    }
  }
  return { atMs, ms, periodMs };
}
