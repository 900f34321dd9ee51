import { describe, expect, it } from "vitest";
import { Random } from "../random/random.js";
import { StatsError } from "./errors.js";
import { Tally } from "./tally.js";

function twoPass(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe("Tally", () => {
  it("matches a two-pass computation, even with a large offset", () => {
    const r = new Random(1);
    const xs = Array.from({ length: 10_000 }, () => 1e9 + r.normal(0, 3));
    const t = new Tally();
    for (const x of xs) t.add(x);
    const shifted = twoPass(xs.map((x) => x - 1e9)); // exact subtraction: an accurate reference
    const ref = { mean: 1e9 + shifted.mean, variance: shifted.variance };
    expect(t.count).toBe(10_000);
    expect(Math.abs(t.mean - ref.mean)).toBeLessThan(1e-5); // 1e-14 relative
    expect(t.variance / ref.variance).toBeCloseTo(1, 9);
    expect(t.sd).toBeCloseTo(Math.sqrt(ref.variance), 9);
    expect(t.populationVariance).toBeCloseTo((ref.variance * 9999) / 10_000, 6);
    expect(t.min).toBe(Math.min(...xs));
    expect(t.max).toBe(Math.max(...xs));
    expect(Math.abs(t.sum / xs.length - ref.mean)).toBeLessThan(1e-5);
  });

  it("small cases: empty, one, two", () => {
    const t = new Tally();
    expect([t.mean, t.variance, t.min, t.max]).toEqual([NaN, NaN, NaN, NaN]);
    t.add(3);
    expect([t.mean, t.variance, t.min, t.max]).toEqual([3, NaN, 3, 3]);
    t.add(5);
    expect([t.mean, t.variance]).toEqual([4, 2]);
  });

  it("merge equals one tally over all observations", () => {
    const r = new Random(2);
    const all = new Tally();
    const parts = [new Tally(), new Tally(), new Tally(), new Tally()];
    for (let i = 0; i < 5000; i++) {
      const x = r.exponential(5);
      all.add(x);
      parts[i % 3]!.add(x); // parts[3] stays empty
    }
    const merged = parts.reduce((a, b) => a.merge(b), new Tally());
    expect(merged.count).toBe(all.count);
    expect(merged.mean).toBeCloseTo(all.mean, 12);
    expect(merged.variance).toBeCloseTo(all.variance, 10);
    expect([merged.min, merged.max]).toEqual([all.min, all.max]);
  });

  it("round-trips through its plain-data form", () => {
    const t = new Tally().add(1).add(2).add(7);
    const back = Tally.fromJSON(structuredClone(t.toJSON()));
    expect(back.toJSON()).toEqual(t.toJSON());
    expect(Tally.fromJSON(JSON.parse(JSON.stringify(new Tally()))).count).toBe(0);
  });

  it("rejects non-finite observations and malformed JSON", () => {
    expect(() => new Tally().add(NaN)).toThrow("Tally.add: x must be a finite number, got NaN");
    expect(() => new Tally().add(Infinity)).toThrow(StatsError);
    expect(() => Tally.fromJSON({ count: -1, mean: 0, m2: 0, min: null, max: null })).toThrow(StatsError);
    expect(() => Tally.fromJSON({ count: 2, mean: 0, m2: 1, min: null, max: null })).toThrow(
      /Tally.fromJSON/,
    );
  });
});
