/**
 * Waits for a core during a bench:load step (bench/_load-run-queue.ts): the recorder reads a
 * thread's run-queue delay from /proc as it grows, and the growth between reads becomes pauses on the
 * twin's clock.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mainThreadSchedstat, runQueuePauses, startRunQueueRecorder } from "./_load-run-queue.js";

describe("runQueuePauses", () => {
  it("places each interval's growth, at most the interval, at the interval's end, on the step's clock", () => {
    const t = { atMs: [1000, 1001, 1002, 1004, 1005], delayMs: [7, 7, 7.4, 10, 10.2] };
    expect(runQueuePauses(t, 1000, 100)).toEqual({
      // 0.4 ms before 1002; 2.6 ms of growth in a 2 ms interval counts as 2 ms; 0.2 ms before 1005.
      atMs: [1002 - 0.4 - 1000, 1004 - 2 - 1000, expect.closeTo(1005 - 0.2 - 1000, 9)],
      ms: [expect.closeTo(0.4, 9), 2, expect.closeTo(0.2, 9)],
      periodMs: 100,
    });
    // Outside [0, period): left out.
    expect(runQueuePauses(t, 1003, 2).atMs).toEqual([expect.closeTo(1005 - 0.2 - 1003, 9)]);
  });

  it("splits an interval's growth into one wait per time slice begun in it, evenly spaced", () => {
    // A reader held up 40 ms: 8 ms of waits over 4 slices are four 2 ms waits, one per 10 ms, not one 8 ms stall.
    const t = { atMs: [1000, 1040, 1041], delayMs: [5, 13, 13.5], slices: [100, 104, 105] };
    const p = runQueuePauses(t, 1000, 100);
    expect(p.ms).toEqual([2, 2, 2, 2, expect.closeTo(0.5, 9)]);
    expect(p.atMs).toEqual([8, 18, 28, 38, expect.closeTo(40.5, 9)]);
    // The total is what the thread waited, whatever the split.
    expect(p.ms.reduce((a, b) => a + b, 0)).toBeCloseTo(8.5, 9);
    // No new slice in the interval (the thread is still waiting): one wait, as without slices.
    expect(runQueuePauses({ ...t, slices: [100, 100, 101] }, 1000, 100).ms).toEqual([
      8,
      expect.closeTo(0.5, 9),
    ]);
  });
});

describe.runIf(existsSync(mainThreadSchedstat(process.pid)))("startRunQueueRecorder", () => {
  it("reads this thread's run-queue delay as it grows; an unreadable thread gives null", async () => {
    const rec = startRunQueueRecorder([mainThreadSchedstat(process.pid), "/proc/0/task/0/schedstat"], 1);
    await new Promise((r) => setTimeout(r, 30));
    const [mine, none] = rec.stop();
    expect(none).toBeNull();
    expect(mine!.atMs.length).toBeGreaterThanOrEqual(3);
    expect(mine!.slices).toHaveLength(mine!.atMs.length);
    for (let k = 1; k < mine!.atMs.length; k++) {
      expect(mine!.atMs[k]!).toBeGreaterThan(mine!.atMs[k - 1]!);
      expect(mine!.delayMs[k]!).toBeGreaterThanOrEqual(mine!.delayMs[k - 1]!);
      expect(mine!.slices![k]!).toBeGreaterThanOrEqual(mine!.slices![k - 1]!);
    }
  });
});
