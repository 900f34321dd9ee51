import { describe, expect, it } from "vitest";
import { StatsError } from "./errors.js";
import { normalCdf, normalQuantile } from "./normal-distribution.js";
import { studentTCdf, studentTQuantile } from "./student-t.js";

/** P(T ≤ t) for integer ν from the finite trigonometric series of A&S 26.7.3 (odd ν) and 26.7.4 (even ν). */
function closedFormCdf(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const c2 = Math.cos(theta) ** 2;
  let a: number; // P(|T| ≤ |t|) with the sign of t
  if (df % 2 === 1) {
    let term = Math.cos(theta);
    let sum = df > 1 ? term : 0;
    for (let k = 3; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    a = (2 / Math.PI) * (theta + Math.sin(theta) * sum);
  } else {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    a = Math.sin(theta) * sum;
  }
  return 0.5 + a / 2;
}

describe("Student t quantile", () => {
  it("matches the textbook table t_{0.975, ν}", () => {
    const table: [number, number][] = [
      [1, 12.706],
      [4, 2.776],
      [9, 2.262],
      [30, 2.042],
      [1e9, 1.96],
      [Infinity, 1.96],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it("matches high-precision reference values", () => {
    // R: qt(p, df), printed with digits = 15
    const ref: [number, number, number][] = [
      [0.975, 1, 12.7062047361747],
      [0.975, 2, 4.30265272974946],
      [0.975, 4, 2.77644510519779],
      [0.975, 9, 2.2621571627982],
      [0.975, 30, 2.04227245630124],
      [0.995, 10, 3.16927267261695],
      [0.95, 5, 2.01504837333302],
      [0.9, 3, 1.63774435369621],
    ];
    for (const [p, df, t] of ref) expect(studentTQuantile(p, df)).toBeCloseTo(t, 11);
  });

  it("agrees with the closed-form CDF for integer ν (Abramowitz & Stegun 26.7.3–4)", () => {
    for (let df = 1; df <= 40; df++) {
      for (const p of [0.6, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995]) {
        expect(Math.abs(closedFormCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-14);
      }
    }
  });

  it("inverts the CDF for integer and fractional ν, in both tails", () => {
    for (const df of [1, 1.5, 2, 2.5, 3, 7.3, 29, 120, 999, 9999, 10_001, 1e6]) {
      for (const p of [1e-8, 0.001, 0.025, 0.1, 0.4, 0.6, 0.9, 0.975, 0.999]) {
        const t = studentTQuantile(p, df);
        expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-12 + 1e-10 * p);
        expect(studentTQuantile(1 - p, df) / -t).toBeCloseTo(1, 7); // 1 − p itself is rounded
      }
    }
  });

  it("is continuous across the Cornish–Fisher switch at ν = 10⁴", () => {
    const a = studentTQuantile(0.975, 10_000);
    const b = studentTQuantile(0.975, 10_000.0001);
    expect(Math.abs(a - b)).toBeLessThan(1e-11);
  });

  it("handles the ends and the centre", () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0, 7)).toBe(-Infinity);
    expect(studentTQuantile(1, 7)).toBe(Infinity);
    expect(studentTCdf(0, 3)).toBe(0.5);
  });

  it("validates p and df", () => {
    expect(() => studentTQuantile(1.2, 3)).toThrow(
      "studentTQuantile: p must be a probability in [0, 1], got 1.2",
    );
    expect(() => studentTQuantile(0.9, 0.5)).toThrow(/df must be a number ≥ 1/);
    expect(() => studentTQuantile(0.9, NaN)).toThrow(StatsError);
    expect(() => studentTCdf(1, 0)).toThrow(/studentTCdf: df must be a number > 0/);
  });
});

describe("normal distribution", () => {
  it("matches reference values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.95996398454005, 13);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.524400512708041, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.36134090240406, 11);
    expect(normalCdf(-6) / 9.86587645037698e-10).toBeCloseTo(1, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it("quantile and CDF are inverse", () => {
    for (let p = 1e-12; p < 1; p = p < 0.01 ? p * 10 : p + 0.0731) {
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-15 + 1e-12 * p);
    }
  });

  it("validates p", () => {
    expect(() => normalQuantile(-0.1)).toThrow("normalQuantile: p must be a probability in [0, 1], got -0.1");
  });
});
