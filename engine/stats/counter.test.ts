import { describe, expect, it } from "vitest";
import { Counter } from "./counter.js";
import { StatsError } from "./errors.js";

describe("Counter", () => {
  it("counts, rates and resets", () => {
    const c = new Counter();
    c.increment().increment(1200).increment(0);
    expect(c.value).toBe(1201);
    expect(c.rate(10)).toBeCloseTo(120.1, 12);
    expect(JSON.stringify(c)).toBe('{"value":1201}');
    c.reset();
    expect(c.value).toBe(0);
  });

  it("is exact for large counts", () => {
    const c = new Counter();
    for (let i = 0; i < 1000; i++) c.increment(87_000_000);
    expect(c.value).toBe(87_000_000_000);
  });

  it("validates its arguments", () => {
    const c = new Counter();
    expect(() => c.increment(-1)).toThrow(StatsError);
    expect(() => c.increment(NaN)).toThrow("Counter.increment: by must be a finite number ≥ 0, got NaN");
    expect(() => c.rate(0)).toThrow("Counter.rate: elapsed must be a finite number > 0, got 0");
  });
});
