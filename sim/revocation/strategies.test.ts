import { describe, expect, it } from "vitest";
import { partitionsTouched, stalenessQuantiles } from "./strategies.js";

describe("staleness math", () => {
  it("a daily CRL fetched at once: the delay is uniform over the day", () => {
    const s = stalenessQuantiles(24, 0, 0);
    expect(s.p50).toBeCloseTo(12, 6);
    expect(s.p90).toBeCloseTo(21.6, 6);
    expect(s.p99).toBeCloseTo(23.76, 6);
    expect(s.max).toBe(24);
  });

  it("publication lag shifts every quantile; an online query has only the lag", () => {
    const s = stalenessQuantiles(24, 0, 1 / 6);
    expect(s.p50).toBeCloseTo(12 + 1 / 6, 6);
    const o = stalenessQuantiles(0, 0, 5 / 60);
    expect(o).toEqual({ p50: 5 / 60, p90: 5 / 60, p99: 5 / 60, max: 5 / 60 });
  });

  it("period plus fetch window is the sum of two uniforms (trapezoid): median in the middle, tails exact", () => {
    const s = stalenessQuantiles(24, 1, 0);
    expect(s.p50).toBeCloseTo(12.5, 6);
    // top tail of U(0,24)+U(0,1): P(X > x) = (25 − x)² / 48 ⇒ p99 = 25 − sqrt(0.48)
    expect(s.p99).toBeCloseTo(25 - Math.sqrt(0.48), 6);
    // symmetric in its two parts
    expect(stalenessQuantiles(1, 24, 0).p90).toBeCloseTo(s.p90, 9);
    // hourly deltas are ~24× fresher than a daily CRL
    expect(stalenessQuantiles(1, 1, 0).p50).toBeCloseTo(1, 6);
  });
});

describe("partitions touched", () => {
  it("is the expected number of distinct partitions among uniformly spread checks", () => {
    expect(partitionsTouched(64, 0)).toBe(0);
    expect(partitionsTouched(64, 1)).toBeCloseTo(1, 9);
    expect(partitionsTouched(1, 50)).toBeCloseTo(1, 9);
    expect(partitionsTouched(64, 100_000)).toBeCloseTo(64, 6);
    expect(partitionsTouched(64, 2)).toBeCloseTo(2 - 1 / 64, 9);
  });
});
