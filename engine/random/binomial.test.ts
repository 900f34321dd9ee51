import { describe, expect, it } from "vitest";
import { binomial } from "./binomial.js";
import { RandomError } from "./errors.js";
import { logBinomialPmf } from "./_log-pmf.js";
import { Random } from "./random.js";
import { chiSquare, moments } from "./_test-support.js";

function gof(n: number, p: number, seed: number, draws: number, width = 1): void {
  const r = new Random(seed);
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 6 * sd));
  const hi = Math.min(n + 1, Math.ceil(n * p + 6 * sd) + width);
  const edges: number[] = [];
  for (let e = lo; e <= hi; e += width) edges.push(Math.min(e, n + 1));
  const probs: number[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    let s = 0;
    for (let k = edges[i]!; k < edges[i + 1]!; k++) s += Math.exp(logBinomialPmf(k, n, p, 1 - p));
    probs.push(s);
  }
  const counts = new Float64Array(probs.length + 1);
  for (let i = 0; i < draws; i++) {
    const k = binomial(r, n, p);
    const c = Math.floor((k - lo) / width);
    counts[c >= 0 && c < probs.length ? c : probs.length]!++;
  }
  const { stat, critical } = chiSquare(counts, probs);
  expect(stat).toBeLessThan(critical);
}

describe("binomial", () => {
  it.each([
    [20, 0.3], // BINV
    [1000, 0.005], // BINV, small p
    [1e9, 3e-9], // BINV at huge n
    [50, 0.5], // BTRS
    [100, 0.97], // folded, BINV on q
    [1e6, 0.999999], // folded, BINV on q
    [1e5, 0.8], // folded, BTRS
    [1e8, 0.3], // BTRS huge
    [1e9, 0.3],
    [2 ** 52, 0.5],
  ])("mean and variance at n = %d, p = %d", (n, p) => {
    const r = new Random(Math.round(n * p) % 2 ** 31);
    const draws = 100_000;
    const v = n * p * (1 - p);
    const m = moments(() => binomial(r, n, p), draws);
    expect(Math.abs(m.mean - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(v / draws));
    expect(Math.abs(m.variance - v)).toBeLessThanOrEqual(0.04 * v);
  });

  it("handles the edges n = 0, p = 0, p = 1 and stays in [0, n]", () => {
    const r = new Random(2);
    expect(binomial(r, 0, 0.5)).toBe(0);
    expect(binomial(r, 10, 0)).toBe(0);
    expect(binomial(r, 10, 1)).toBe(10);
    let bad = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = binomial(r, 12, 0.9);
      if (!(Number.isInteger(k) && k >= 0 && k <= 12)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("fits the exact pmf (χ²): BINV at n = 20, p = 0.2", () => gof(20, 0.2, 201, 100_000));
  it("fits the exact pmf (χ²): BTRS at n = 30, p = 0.4", () => gof(30, 0.4, 202, 100_000));
  it("fits the exact pmf (χ²): folded BTRS at n = 200, p = 0.85", () => gof(200, 0.85, 203, 100_000));
  it("fits the exact pmf (χ²): BTRS at n = 1e8, p = 0.3, cells of 200", () =>
    gof(1e8, 0.3, 204, 100_000, 200));

  it("rejects bad n and p", () => {
    const r = new Random(1);
    for (const [n, p] of [
      [-1, 0.5],
      [1.5, 0.5],
      [NaN, 0.5],
      [2 ** 53, 0.5],
      [10, -0.1],
      [10, 1.1],
      [10, NaN],
    ] as const) {
      expect(() => binomial(r, n, p)).toThrow(RandomError);
    }
    expect(() => r.binomial(10, 2)).toThrow("binomial: p must be a probability in [0, 1], got 2");
    expect(() => r.binomial(-3, 0.5)).toThrow(
      "binomial: n must be an integer in [0, 9007199254740991], got -3",
    );
  });
});
