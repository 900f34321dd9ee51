import { describe, expect, it } from "vitest";
import { AliasTable } from "./alias-table.js";
import { RandomError } from "./errors.js";
import { Random } from "./random.js";
import { chiSquare } from "./_test-support.js";

describe("AliasTable (Walker / Vose)", () => {
  it("fits the weights (χ²) and never draws a zero-weight category", () => {
    const w = [1, 2, 3, 4, 0, 10, 0.5];
    const total = w.reduce((a, b) => a + b, 0);
    const t = new AliasTable(w);
    const r = new Random(41);
    const counts = new Float64Array(w.length);
    for (let i = 0; i < 200_000; i++) counts[t.sample(r)]!++;
    expect(counts[4]).toBe(0);
    const probs = w.map((x) => x / total).filter((x) => x > 0);
    const { stat, critical } = chiSquare(
      Array.from(counts).filter((_, i) => w[i]! > 0),
      probs,
    );
    expect(stat).toBeLessThan(critical);
    expect(t.size).toBe(7);
    expect(t.probability(5)).toBeCloseTo(10 / total, 15);
    expect(t.probability(99)).toBe(0);
  });

  it("handles one category, many equal categories and extreme skew", () => {
    const r = new Random(42);
    expect(new AliasTable([5]).sample(r)).toBe(0);
    const eq = new AliasTable(new Float64Array(1741).fill(1));
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) seen.add(eq.sample(r));
    expect(seen.size).toBe(1741);
    const skew = new AliasTable([1e-12, 1]);
    let rare = 0;
    for (let i = 0; i < 100_000; i++) rare += skew.sample(r) === 0 ? 1 : 0;
    expect(rare).toBeLessThan(3);
  });

  it("rejects empty, negative, non-finite and all-zero weights", () => {
    expect(() => new AliasTable([])).toThrow(RandomError);
    expect(() => new AliasTable([1, -1])).toThrow(
      /AliasTable: weights\[1\] must be a finite number ≥ 0, got -1/,
    );
    expect(() => new AliasTable([1, Infinity])).toThrow(RandomError);
    expect(() => new AliasTable([0, 0])).toThrow(/weights must be a positive, finite sum/);
  });
});
