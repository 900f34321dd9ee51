import { describe, expect, it } from "vitest";
import { RandomError } from "./errors.js";
import { logPoissonPmf } from "./_log-pmf.js";
import { MAX_POISSON_MEAN, poisson } from "./poisson.js";
import { Random } from "./random.js";
import { chiSquare, moments } from "./_test-support.js";

/** Exact Poisson probabilities of the cells [edges[i], edges[i+1]). */
function cellProbs(mean: number, edges: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    let s = 0;
    for (let k = edges[i]!; k < edges[i + 1]!; k++) s += Math.exp(logPoissonPmf(k, mean));
    out.push(s);
  }
  return out;
}

function gof(mean: number, seed: number, n: number, width = 1): void {
  const r = new Random(seed);
  const sd = Math.sqrt(mean);
  const lo = Math.max(0, Math.floor(mean - 6 * sd));
  const edges: number[] = [];
  for (let e = lo; e <= mean + 6 * sd + width; e += width) edges.push(e);
  const probs = cellProbs(mean, edges);
  const counts = new Float64Array(probs.length + 1); // last cell: everything outside
  for (let i = 0; i < n; i++) {
    const k = poisson(r, mean);
    const c = Math.floor((k - lo) / width);
    counts[c >= 0 && c < probs.length ? c : probs.length]!++;
  }
  const { stat, critical } = chiSquare(counts, probs);
  expect(stat).toBeLessThan(critical);
}

describe("poisson", () => {
  it.each([0.01, 0.5, 3, 9.99, 10, 47.5, 1e4, 1e7, 1e9, 2 ** 50])("mean and variance at λ = %d", (lam) => {
    const r = new Random(Math.round(lam * 1000) % 2 ** 31);
    const n = 100_000;
    const m = moments(() => poisson(r, lam), n);
    expect(Math.abs(m.mean - lam)).toBeLessThanOrEqual(5 * Math.sqrt(lam / n));
    expect(Math.abs(m.variance - lam)).toBeLessThanOrEqual(0.04 * lam);
  });

  it("returns integers, and 0 for λ = 0", () => {
    const r = new Random(1);
    expect(poisson(r, 0)).toBe(0);
    for (const lam of [2, 20, 2e9]) expect(Number.isSafeInteger(poisson(r, lam))).toBe(true);
  });

  it("fits the exact pmf (χ²): inversion at λ = 4", () => gof(4, 101, 100_000));
  it("fits the exact pmf (χ²): PTRS at λ = 12", () => gof(12, 102, 100_000));
  it("fits the exact pmf (χ²): PTRS at λ = 1e7, cells of 200", () => gof(1e7, 103, 100_000, 200));

  it("is deterministic for a stream", () => {
    const a = new Random(5);
    const b = new Random(5);
    const xs = Array.from({ length: 200 }, (_, i) => poisson(a, i * 13.7));
    expect(Array.from({ length: 200 }, (_, i) => poisson(b, i * 13.7))).toEqual(xs);
  });

  it("rejects a negative, NaN, infinite or too-large mean", () => {
    const r = new Random(1);
    for (const lam of [-1, NaN, Infinity, MAX_POISSON_MEAN * 2]) {
      expect(() => poisson(r, lam)).toThrow(RandomError);
    }
    expect(() => r.poisson(-1)).toThrow("poisson: mean must be a number in [0, 2^52], got -1");
  });
});
