import { describe, expect, it } from "vitest";
import { StatsError } from "./errors.js";
import { TimeWeighted } from "./time-weighted.js";

describe("TimeWeighted", () => {
  it("computes the time average, min and max of a step function", () => {
    const q = new TimeWeighted(0, 0);
    q.update(2, 3).update(6, 1);
    expect(q.mean(10)).toBeCloseTo(1.6, 14);
    expect(q.integral(10)).toBe(16);
    expect([q.min, q.max, q.value]).toEqual([0, 3, 1]);
    expect(q.mean()).toBe(2); // up to the last update: 12 / 6
  });

  it("add() changes the level by a delta; several updates at one instant count once", () => {
    const busy = new TimeWeighted(10, 2);
    busy.add(10, 1).add(10, -2).add(12, 1);
    // level 1 on [10, 12), 2 on [12, 20)
    expect(busy.mean(20)).toBeCloseTo((1 * 2 + 2 * 8) / 10, 14);
    expect([busy.min, busy.max]).toEqual([1, 3]);
  });

  it("reset() drops a warm-up period but keeps the level", () => {
    const q = new TimeWeighted();
    q.update(5, 100);
    q.reset(50);
    q.update(60, 0);
    expect(q.startTime).toBe(50);
    expect(q.mean(70)).toBe(50);
    expect([q.min, q.max]).toEqual([0, 100]);
  });

  it("a zero-length window reports the current level", () => {
    expect(new TimeWeighted(3, 7).mean(3)).toBe(7);
  });

  it("keeps precision over a million small steps", () => {
    const q = new TimeWeighted(0, 0);
    for (let i = 1; i <= 1_000_000; i++) q.update(i * 0.1, i % 2);
    // level alternates 1, 0 every 0.1: average exactly 0.5 over [0, 100000]
    expect(q.mean(100_000)).toBeCloseTo(0.5, 12);
  });

  it("rejects time going backwards and non-finite input", () => {
    const q = new TimeWeighted(0, 0).update(5, 1);
    expect(() => q.update(4, 2)).toThrow("TimeWeighted.update: now must be a finite time ≥ 5, got 4");
    expect(() => q.update(6, NaN)).toThrow(StatsError);
    expect(() => q.mean(4)).toThrow(/TimeWeighted.integral: now must be a finite time ≥ 5/);
    expect(() => q.reset(1)).toThrow(/TimeWeighted.reset/);
    expect(() => new TimeWeighted(NaN)).toThrow(/startTime must be finite/);
    expect(() => new TimeWeighted(0, Infinity)).toThrow(/initialValue must be finite/);
  });
});
