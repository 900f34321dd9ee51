import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import {
  checkQuantileTable,
  medianOfThree,
  quantileTable,
  resolveServiceTimes,
  sampleQuantile,
  tableMoments,
} from "./service-times.js";

describe("service-time tables", () => {
  it("one preempted run of three does not become a sample (regression: 11 ms p95 under load)", () => {
    for (const runs of [
      [0.25, 11, 0.26],
      [11, 0.25, 0.26],
      [0.26, 0.25, 11],
    ]) {
      let i = 0;
      expect(medianOfThree(() => runs[i++]!)).toBe(0.26);
    }
  });

  it("quantiles of a sample, and draws that reproduce them", () => {
    const t = quantileTable(Array.from({ length: 101 }, (_, i) => i));
    expect(t).toHaveLength(21);
    expect(t[0]).toBe(0);
    expect(t[10]).toBe(50);
    expect(t[20]).toBe(100);
    expect(sampleQuantile(t, 0.5)).toBe(50);
    expect(sampleQuantile(t, 0.975)).toBeCloseTo(97.5, 10);
    const m = tableMoments(t);
    expect(m.mean).toBeCloseTo(50, 10);
    expect(m.scv).toBeCloseTo(100 ** 2 / 12 / 2500, 6);
  });

  it("refuses malformed pinned tables with the field named", () => {
    expect(() => checkQuantileTable([1, 2], "auth.serviceTimes.jlisMs")).toThrow(
      /jlisMs: expected 21 quantiles/,
    );
    const dec = Array.from({ length: 21 }, (_, i) => 21 - i);
    expect(() => checkQuantileTable(dec, "x")).toThrow(InputError);
    const neg = Array.from({ length: 21 }, (_, i) => i - 1);
    expect(() => checkQuantileTable(neg, "x")).toThrow(/x\[0\]: expected a number ≥ 0/);
    const ok = Array.from({ length: 21 }, (_, i) => i / 10);
    expect(resolveServiceTimes({ platformMs: ok, crlLookupMs: ok, jlisMs: ok }).source).toBe("pinned");
  });
});
