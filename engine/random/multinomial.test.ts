import { describe, expect, it } from "vitest";
import { RandomError } from "./errors.js";
import { multinomial } from "./multinomial.js";
import { Random } from "./random.js";

describe("multinomial", () => {
  it("counts sum to n and zero weights get nothing", () => {
    const r = new Random(31);
    const w = [0, 3, 0, 1, 6, 0];
    for (const n of [0, 1, 17, 1000, 123_456_789]) {
      const out = multinomial(r, n, w, new Float64Array(6));
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      expect([out[0], out[2], out[5]]).toEqual([0, 0, 0]);
    }
  });

  it("is exact at national scale (1e9 over 1,741 municipalities, Float64Array)", () => {
    const r = new Random(32);
    const w = Float64Array.from({ length: 1741 }, (_, i) => 1 + (i % 17));
    const out = r.multinomial(1e9, w, new Float64Array(1741));
    let sum = 0;
    for (const x of out) {
      expect(Number.isInteger(x)).toBe(true);
      sum += x;
    }
    expect(sum).toBe(1e9);
  });

  it("marginal means and variances are n·pᵢ and n·pᵢ(1 − pᵢ)", () => {
    const r = new Random(33);
    const w = [0.5, 0.3, 0.15, 0.05];
    const n = 400;
    const reps = 20_000;
    const out = new Int32Array(4);
    const s = new Float64Array(4);
    const s2 = new Float64Array(4);
    for (let i = 0; i < reps; i++) {
      r.multinomial(n, w, out);
      for (let j = 0; j < 4; j++) {
        s[j]! += out[j]!;
        s2[j]! += out[j]! * out[j]!;
      }
    }
    for (let j = 0; j < 4; j++) {
      const p = w[j]!;
      const mean = s[j]! / reps;
      const v = s2[j]! / reps - mean * mean;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / reps));
      expect(Math.abs(v - n * p * (1 - p))).toBeLessThan(0.05 * n * p * (1 - p));
    }
  });

  it("validates n, weights and out", () => {
    const r = new Random(1);
    expect(() => multinomial(r, -1, [1], new Int32Array(1))).toThrow(RandomError);
    expect(() => multinomial(r, 2 ** 31, [1], new Int32Array(1))).toThrow(
      /n must be an integer in \[0, 2147483647\]/,
    );
    expect(() => multinomial(r, 5, [1, 2], new Int32Array(3))).toThrow(
      /out.length must be weights.length \(2\)/,
    );
    expect(() => multinomial(r, 5, [1, -2], new Int32Array(2))).toThrow(
      /weights\[1\] must be a finite number ≥ 0/,
    );
    expect(() => multinomial(r, 5, [1, NaN], new Int32Array(2))).toThrow(RandomError);
    expect(() => multinomial(r, 5, [0, 0], new Int32Array(2))).toThrow(/weights must be not all zero/);
    expect(Array.from(multinomial(r, 0, [0, 0], new Int32Array(2)))).toEqual([0, 0]);
  });
});
