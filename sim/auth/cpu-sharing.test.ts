/**
 * Threads sharing cores (cpu-sharing.ts): weighted processor sharing, at most one core a thread,
 * other processes' use taken off the top, pools sharing one queue.
 */
import { describe, expect, it } from "vitest";
import { Environment } from "../../engine/des/index.js";
import { CpuSharing, JobQueue, NICE_WEIGHT } from "./cpu-sharing.js";

/** Runs `jobs` (thread index, start, CPU ms) and returns each job's end. */
function ends(
  cores: number,
  background: number,
  weights: readonly number[],
  jobs: readonly [number, number, number][],
  shared = false,
): number[] {
  const env = new Environment(0);
  const m = new CpuSharing(env, cores, background);
  const q = new JobQueue();
  const threads = weights.map((w) => (shared ? m.thread(w, q) : m.thread(w)));
  const out = jobs.map(() => NaN);
  jobs.forEach(([t, at, work], k) =>
    env.at(at, () => m.submit(threads[t]!.queue, work, (end) => (out[k] = end))),
  );
  env.run();
  return out;
}

describe("CpuSharing", () => {
  it("a lone thread runs at one core, whatever the core count", () => {
    expect(ends(2, 0, [1], [[0, 0, 1.5]])).toEqual([1.5]);
  });

  it("three busy threads on two cores run at 2/3 speed each", () => {
    const e = ends(
      2,
      0,
      [1, 1, 1],
      [
        [0, 0, 2],
        [1, 0, 2],
        [2, 0, 2],
      ],
    );
    for (const x of e) expect(x).toBeCloseTo(3, 9);
  });

  it("a nice −10 thread keeps a whole core; two nice 0 threads share the other", () => {
    const w = NICE_WEIGHT[-10] / NICE_WEIGHT[0];
    const e = ends(
      2,
      0,
      [w, 1, 1],
      [
        [0, 0, 1],
        [1, 0, 1],
        [2, 0, 1],
      ],
    );
    expect(e[0]).toBeCloseTo(1, 9);
    // 0.5 ms done at half speed by t = 1, the rest at full speed (the generator is idle).
    expect(e[1]).toBeCloseTo(1.5, 9);
    expect(e[2]).toBeCloseTo(1.5, 9);
  });

  it("other processes' measured use takes cores away: 1.5 of 2 busy leaves half a core", () => {
    expect(ends(2, 1.5, [1], [[0, 0, 1]])[0]).toBeCloseTo(2, 9);
  });

  it("a thread woken from idle first waits for a core (wakeWait); a busy one does not wait again", () => {
    const env = new Environment(0);
    const m = new CpuSharing(env, 2, 0);
    const t = m.thread(1, undefined, () => 0.5);
    const out: number[] = [];
    env.at(0, () => {
      m.submit(t.queue, 1, (e) => out.push(e));
      m.submit(t.queue, 1, (e) => out.push(e));
    });
    env.at(10, () => m.submit(t.queue, 1, (e) => out.push(e)));
    env.run();
    expect(out).toEqual([1.5, 2.5, 11.5]);
  });

  it("jobs on one thread run FIFO; a shared queue is served by every idle thread", () => {
    expect(
      ends(
        4,
        0,
        [1],
        [
          [0, 0, 1],
          [0, 0, 1],
        ],
      ),
    ).toEqual([1, 2]);
    const e = ends(
      4,
      0,
      [1, 1],
      [
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ],
      true,
    );
    expect(e).toEqual([1, 1, 2]);
  });
});
