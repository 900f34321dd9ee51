import { describe, expect, it } from "vitest";
import { Random } from "../random/random.js";
import { StatsError } from "./errors.js";
import { HdrHistogram } from "./hdr-histogram.js";

/** Nearest-rank percentile of a sorted array (the rank ⌈p·N/100⌉ computed without float fuzz). */
function exactPercentile(sorted: Float64Array, p: number): number {
  if (p === 0) return sorted[0]!;
  const rank = Math.ceil(Math.round(p * sorted.length * 1e6) / 1e8);
  return sorted[Math.max(1, rank) - 1]!;
}

const PERCENTILES = [0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

/** Checks the documented guarantee: every bucket width ≤ max(L, lowest·10^-d), counts consistent. */
function checkLayoutAndQuantiles(
  h: HdrHistogram,
  values: Float64Array,
  lowest: number,
  digits: number,
): void {
  const sorted = Float64Array.from(values).sort();
  const tol = (q: number): number => Math.max(lowest, q * 10 ** -digits);
  // 1. every value falls in a bucket no wider than the guarantee, and bucket counts agree
  let k = 0;
  const problems: string[] = [];
  for (const b of h.buckets()) {
    if (b.highest - b.lowest > tol(b.lowest)) problems.push(`bucket [${b.lowest}, ${b.highest}) too wide`);
    let n = 0;
    while (k < sorted.length && sorted[k]! < b.highest) {
      if (sorted[k]! < b.lowest)
        problems.push(`value ${sorted[k]} below its bucket [${b.lowest}, ${b.highest})`);
      n++;
      k++;
    }
    if (n !== b.count) problems.push(`bucket [${b.lowest}, ${b.highest}) counts ${b.count}, expected ${n}`);
  }
  expect(problems).toEqual([]);
  expect(k).toBe(sorted.length);
  // 2. percentiles within the guarantee of the exact nearest-rank ones
  const got = h.valuesAtPercentiles(PERCENTILES);
  PERCENTILES.forEach((p, i) => {
    const q = exactPercentile(sorted, p);
    expect(Math.abs(got[i]! - q)).toBeLessThan(tol(q));
    expect(h.valueAtPercentile(p)).toBe(got[i]);
  });
}

describe("HdrHistogram", () => {
  it("is exact below 2·10^d units (single-unit resolution), like HdrHistogram", () => {
    const h = new HdrHistogram({ highestTrackableValue: 3_600_000_000, significantDigits: 3 });
    for (let v = 1; v <= 2000; v++) h.record(v);
    expect(h.totalCount).toBe(2000);
    expect(h.valueAtPercentile(50)).toBe(1000);
    expect(h.valueAtPercentile(99)).toBe(1980);
    expect(h.valueAtPercentile(99.9)).toBe(1998);
    expect([h.min, h.max, h.mean]).toEqual([1, 2000, 1000.5]);
  });

  it("keeps its relative-error guarantee for 1–5 significant digits over 9 decades", () => {
    const r = new Random(71);
    for (const digits of [1, 2, 3, 4, 5]) {
      const values = Float64Array.from({ length: 20_000 }, () => Math.floor(Math.exp(r.uniform(0, 21))));
      const h = new HdrHistogram({ highestTrackableValue: 2e9, significantDigits: digits });
      for (const v of values) h.record(v);
      checkLayoutAndQuantiles(h, values, 1, digits);
    }
  });

  it("records fractional values with a fractional lowest discernible value (seconds)", () => {
    const r = new Random(72);
    const values = Float64Array.from({ length: 20_000 }, () => r.lognormalMeanSd(0.2, 0.5));
    const h = new HdrHistogram({
      lowestDiscernibleValue: 0.0001,
      highestTrackableValue: 3600,
      significantDigits: 3,
    });
    for (const v of values) h.record(v);
    checkLayoutAndQuantiles(h, values, 0.0001, 3);
    expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - h.mean) ** 2, 0) / values.length);
    expect(h.stdDeviation / sd).toBeCloseTo(1, 2);
  });

  it("keeps counts exact beyond 1e9 per value", () => {
    const h = new HdrHistogram({ highestTrackableValue: 1e6 });
    h.record(10, 1e9)
      .record(20, 3e9)
      .record(30, 2 ** 40);
    expect(h.totalCount).toBe(4e9 + 2 ** 40);
    expect(h.countBetween(10, 10)).toBe(1e9);
    expect(h.countBetween(0, 25)).toBe(4e9);
    h.record(10);
    expect(h.countBetween(10, 10)).toBe(1e9 + 1);
    expect(h.valueAtPercentile(0.05)).toBe(10);
    expect(h.valueAtPercentile(0.2)).toBe(20);
    expect(h.valueAtPercentile(1)).toBe(30);
    expect(h.valueAtPercentile(99)).toBe(30);
    expect(h.mean).toBe((10 * (1e9 + 1) + 20 * 3e9 + 30 * 2 ** 40) / h.totalCount);
  });

  it("merges histograms from several workers into the same result as one histogram", () => {
    const r = new Random(73);
    const one = new HdrHistogram({ highestTrackableValue: 1e8 });
    const parts = [0, 1, 2].map(() => new HdrHistogram({ highestTrackableValue: 1e8 }));
    for (let i = 0; i < 30_000; i++) {
      const v = Math.round(r.lognormalMeanSd(5000, 20000));
      if (v > 1e8) continue;
      one.record(v);
      parts[i % 3]!.record(v);
    }
    const merged = new HdrHistogram({ highestTrackableValue: 1e8 });
    for (const p of parts) merged.merge(p);
    const a = merged.toJSON();
    const b = one.toJSON();
    expect(a.counts).toEqual(b.counts);
    expect([a.totalCount, a.min, a.max]).toEqual([b.totalCount, b.min, b.max]);
    expect(a.sum).toBeCloseTo(b.sum, 0);
    expect(merged.valuesAtPercentiles(PERCENTILES)).toEqual(one.valuesAtPercentiles(PERCENTILES));
  });

  it("round-trips through its compact plain-data form (structured clone and JSON)", () => {
    const r = new Random(74);
    const h = new HdrHistogram({ highestTrackableValue: 1e7, significantDigits: 2 });
    for (let i = 0; i < 5000; i++) h.record(Math.floor(r.exponential(1e4)));
    const json = h.toJSON();
    expect(json.counts.length).toBeLessThan(2 * 1000);
    const a = HdrHistogram.fromJSON(structuredClone(json));
    const b = HdrHistogram.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(a.toJSON()).toEqual(json);
    expect(b.toJSON()).toEqual(json);
    expect(b.valuesAtPercentiles(PERCENTILES)).toEqual(h.valuesAtPercentiles(PERCENTILES));
    expect(h.copy().toJSON()).toEqual(json);
    const empty = new HdrHistogram();
    expect(HdrHistogram.fromJSON(JSON.parse(JSON.stringify(empty))).totalCount).toBe(0);
  });

  it("grows on demand with autoResize (the default without highestTrackableValue)", () => {
    const h = new HdrHistogram();
    expect(h.autoResize).toBe(true);
    h.record(3).record(1e12).record(7e14);
    expect(h.max).toBe(7e14);
    expect(h.highestTrackableValue).toBeGreaterThanOrEqual(7e14);
    expect(Math.abs(h.valueAtPercentile(50) - 1e12)).toBeLessThan(1e9);
    const small = new HdrHistogram({ highestTrackableValue: 100, autoResize: true });
    small.merge(h);
    expect(small.totalCount).toBe(3);
    expect(small.valueAtPercentile(100)).toBe(7e14);
    const back = HdrHistogram.fromJSON(JSON.parse(JSON.stringify(small)));
    expect(back.record(8e14).totalCount).toBe(4);
  });

  it("corrects coordinated omission with recordCorrected", () => {
    const h = new HdrHistogram({ highestTrackableValue: 1e6 });
    h.recordCorrected(100, 10);
    expect(h.totalCount).toBe(10);
    expect([h.min, h.max]).toEqual([10, 100]);
    h.recordCorrected(5, 10);
    expect(h.totalCount).toBe(11);
  });

  it("is empty after reset, and empty statistics are NaN", () => {
    const h = new HdrHistogram({ highestTrackableValue: 1000 });
    h.record(5).reset();
    expect(h.totalCount).toBe(0);
    expect([h.min, h.max, h.mean, h.stdDeviation, h.valueAtPercentile(50)]).toEqual([
      NaN,
      NaN,
      NaN,
      NaN,
      NaN,
    ]);
    expect([...h.buckets()]).toEqual([]);
  });

  it("validates its options and arguments", () => {
    expect(() => new HdrHistogram({ lowestDiscernibleValue: 0 })).toThrow(
      "HdrHistogram: lowestDiscernibleValue must be a finite number > 0, got 0",
    );
    expect(() => new HdrHistogram({ significantDigits: 6 })).toThrow(
      /significantDigits must be an integer 1–5, got 6/,
    );
    expect(() => new HdrHistogram({ significantDigits: 2.5 })).toThrow(StatsError);
    expect(() => new HdrHistogram({ highestTrackableValue: 1 })).toThrow(/highestTrackableValue must be in/);
    expect(() => new HdrHistogram({ highestTrackableValue: 2 ** 60 })).toThrow(/highestTrackableValue/);
    const h = new HdrHistogram({ highestTrackableValue: 1000 });
    expect(() => h.record(-1)).toThrow(
      "HdrHistogram.record: value must be a number in [0, 1000] (highestTrackableValue), got -1",
    );
    expect(() => h.record(NaN)).toThrow(StatsError);
    expect(() => h.record(1001)).toThrow(/got 1001/);
    expect(() => h.record(5, -1)).toThrow(/count must be a non-negative safe integer, got -1/);
    expect(() => h.record(5, 1.5)).toThrow(StatsError);
    expect(() => h.valueAtPercentile(101)).toThrow(/percentile must be in \[0, 100\], got 101/);
    expect(() => h.recordCorrected(5, 0)).toThrow(/expectedInterval/);
    expect(() => h.countBetween(5, 1)).toThrow(/countBetween/);
    expect(() => h.merge(new HdrHistogram({ highestTrackableValue: 1000, significantDigits: 2 }))).toThrow(
      /HdrHistogram.merge: other must have the same/,
    );
    const big = new HdrHistogram({ highestTrackableValue: 1e6 }).record(5000);
    expect(() => h.merge(big)).toThrow(/HdrHistogram.merge: value must be/);
    const json = new HdrHistogram({ highestTrackableValue: 1000 }).record(3).toJSON();
    expect(() => HdrHistogram.fromJSON({ ...json, format: "x" } as never)).toThrow(
      /json.format must be "hdr-1"/,
    );
    expect(() => HdrHistogram.fromJSON({ ...json, totalCount: 2 })).toThrow(/differs from the bucket sum 1/);
    expect(() => HdrHistogram.fromJSON({ ...json, counts: [3] })).toThrow(/pairs/);
    expect(() => HdrHistogram.fromJSON({ ...json, counts: [1e9, 1] })).toThrow(/out of order or range/);
    expect(() => HdrHistogram.fromJSON({ ...json, counts: [3, -1] })).toThrow(/positive integer/);
  });
});
