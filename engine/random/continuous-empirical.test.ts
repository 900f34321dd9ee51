import { describe, expect, it } from "vitest";
import { ContinuousEmpirical } from "./continuous-empirical.js";
import { RandomError } from "./errors.js";
import { Random } from "./random.js";
import { moments } from "./_test-support.js";

describe("ContinuousEmpirical", () => {
  it("from a sample: interpolates the empirical CDF through the order statistics", () => {
    const d = ContinuousEmpirical.fromSample([5, 1, 3, 2]);
    expect([d.min, d.max]).toEqual([1, 5]);
    expect(d.quantile(0)).toBe(1);
    expect(d.quantile(1 / 3)).toBeCloseTo(2, 14);
    expect(d.quantile(0.5)).toBeCloseTo(2.5, 14);
    expect(d.quantile(1)).toBe(5);
    expect(d.mean).toBeCloseTo((1.5 + 2.5 + 4) / 3, 14);
    expect(ContinuousEmpirical.fromSample([7]).sample(new Random(1))).toBe(7);
  });

  it("from a CDF table: honours atoms and flat stretches", () => {
    const d = ContinuousEmpirical.fromCdf([14, 21, 30, 60], [0.1, 0.5, 0.5, 1]);
    expect(d.quantile(0.05)).toBe(14);
    expect(d.quantile(0.3)).toBeCloseTo(17.5, 12);
    expect(d.quantile(0.5)).toBe(30);
    expect(d.quantile(0.75)).toBeCloseTo(45, 12);
    expect(d.mean).toBeCloseTo(0.1 * 14 + 0.4 * 17.5 + 0.5 * 45, 12);
  });

  it("samples with the right mean", () => {
    const d = ContinuousEmpirical.fromCdf([0, 1, 10], [0, 0.9, 1]);
    const r = new Random(51);
    const m = moments(() => d.sample(r), 100_000);
    // variance: mixture of U(0,1) w.p. 0.9 and U(1,10) w.p. 0.1
    const ex2 = 0.9 * (1 / 3) + 0.1 * ((1000 - 1) / 27);
    const v = ex2 - d.mean * d.mean;
    expect(Math.abs(m.mean - d.mean)).toBeLessThan(5 * Math.sqrt(v / 100_000));
    expect(Math.abs(m.variance - v)).toBeLessThan(0.03 * v);
  });

  it("validates its input", () => {
    expect(() => ContinuousEmpirical.fromSample([])).toThrow(RandomError);
    expect(() => ContinuousEmpirical.fromSample([1, NaN])).toThrow(/sample\[1\] must be finite/);
    expect(() => ContinuousEmpirical.fromCdf([1, 2], [0, 1, 1])).toThrow(
      /cdf.length must be xs.length \(2\)/,
    );
    expect(() => ContinuousEmpirical.fromCdf([2, 1], [0, 1])).toThrow(/xs\[1\] must be ≥ xs\[0\]/);
    expect(() => ContinuousEmpirical.fromCdf([1, 2], [0.5, 0.4])).toThrow(/cdf\[1\]/);
    expect(() => ContinuousEmpirical.fromCdf([1, 2], [0, 0.9])).toThrow(/cdf\[1\] must be 1/);
    expect(() => ContinuousEmpirical.fromCdf([1, 2], [0, 1]).quantile(1.5)).toThrow(
      /quantile: u must be in \[0, 1\]/,
    );
  });
});
