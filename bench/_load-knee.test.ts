/**
 * bench:load's knee search (bench/_load-knee.ts): the ×1.5 ladder, then bisection between the last
 * rate kept up with and the first that was not.
 */
import { describe, expect, it } from "vitest";
import { searchKnee } from "./_load-knee.js";

/** A server that keeps up with anything up to `capacity` per second, answering all of it. */
const server = (capacity: number) => {
  const offered: number[] = [];
  const step = (rate: number) => {
    offered.push(rate);
    return Promise.resolve({ sustained: rate <= capacity, achieved: rate });
  };
  return { offered, step };
};

describe("searchKnee", () => {
  it("rises ×1.5 to the first rate not kept up with, then bisects twice between it and the last kept", async () => {
    const s = server(3500);
    const r = await searchKnee(1000, 16, s.step);
    // Ladder 1,000 → 1,500 → 2,250 → 3,375 (kept) → 5,063 (not); then √(3,375·5,063) = 4,134 (not),
    // √(3,375·4,134) = 3,735 (not).
    expect(s.offered).toEqual([1000, 1500, 2250, 3375, 5063, 4134, 3735]);
    expect(r).toEqual({ knee: 3375, offered: 3375 });
    // A capacity the bisection reaches: 4,000 → 4,134 fails, 3,735 is kept.
    const t = server(3800);
    expect(await searchKnee(1000, 16, t.step)).toEqual({ knee: 3735, offered: 3735 });
  });

  it("keeps the best achieved rate, stops at maxSteps, and reports none kept as 0", async () => {
    expect(await searchKnee(1000, 3, server(1e9).step)).toEqual({ knee: 2250, offered: 2250 });
    expect(await searchKnee(1000, 16, server(10).step)).toEqual({ knee: 0, offered: 0 });
  });
});
