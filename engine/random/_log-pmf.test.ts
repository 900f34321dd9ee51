import { describe, expect, it } from "vitest";
import { bd0, logBinomialPmf, logFactorial, logPoissonPmf, stirlerr } from "./_log-pmf.js";

function naiveLogFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

describe("Loader's stable log-pmf", () => {
  it("stirlerr matches R's sferr_halves table at integers", () => {
    // values from R's src/nmath/stirlerr.c (sferr_halves), rounded to double
    expect(stirlerr(1)).toBeCloseTo(0.08106146679532726, 14);
    expect(stirlerr(2)).toBeCloseTo(0.04134069595540929, 14);
    expect(stirlerr(10)).toBeCloseTo(0.008330563433362871, 14);
    expect(stirlerr(15)).toBeCloseTo(0.005554733551962801, 14);
  });

  it("logFactorial agrees with Σ log i, across the table/series switch", () => {
    for (const n of [0, 1, 5, 15, 16, 17, 35, 36, 80, 81, 500, 501, 2000]) {
      expect(logFactorial(n)).toBeCloseTo(naiveLogFactorial(n), 9);
    }
  });

  it("bd0 is the deviance x log(x/m) + m − x on both branches", () => {
    for (const [x, m] of [
      [0, 3],
      [10, 10.5],
      [100, 101],
      [50, 200],
      [1e9 + 3e4, 1e9],
    ] as const) {
      const direct = x === 0 ? m : x * Math.log(x / m) + m - x;
      // the direct form itself carries a rounding error of order ε·(x + m)
      expect(Math.abs(bd0(x, m) - direct)).toBeLessThan(1e-13 * (x + m) + 1e-15);
    }
  });

  it("bd0 keeps full precision near x = m at λ = 1e9", () => {
    // (m + d)·log(1 + d/m) − d = Σ_{j≥2} (−1)^j d^j / (j (j − 1) m^(j−1))
    const m = 1e9;
    const d = 3e4;
    let series = 0;
    for (let j = 2; j < 8; j++) series += ((-1) ** j * d ** j) / (j * (j - 1) * m ** (j - 1));
    expect(Math.abs(bd0(m + d, m) - series)).toBeLessThan(1e-15);
  });

  it("Poisson and binomial log-pmfs agree with the textbook formula at moderate sizes", () => {
    for (const k of [0, 1, 7, 40, 80]) {
      const naive = k * Math.log(40) - 40 - naiveLogFactorial(k);
      expect(logPoissonPmf(k, 40)).toBeCloseTo(naive, 10);
    }
    const n = 200;
    const p = 0.3;
    for (const k of [0, 1, 60, 150, 200]) {
      const naive =
        naiveLogFactorial(n) -
        naiveLogFactorial(k) -
        naiveLogFactorial(n - k) +
        k * Math.log(p) +
        (n - k) * Math.log1p(-p);
      expect(logBinomialPmf(k, n, p, 1 - p)).toBeCloseTo(naive, 9);
    }
  });

  it("the pmfs sum to 1 in the huge regimes (λ = 1e9, n = 1e9)", () => {
    const lam = 1e9;
    const sd = Math.sqrt(lam);
    let s = 0;
    for (let k = Math.floor(lam - 9 * sd); k <= lam + 9 * sd; k++) s += Math.exp(logPoissonPmf(k, lam));
    expect(s).toBeCloseTo(1, 10);
    const n = 1e9;
    const p = 0.3;
    const sdb = Math.sqrt(n * p * (1 - p));
    let t = 0;
    for (let k = Math.floor(n * p - 9 * sdb); k <= n * p + 9 * sdb; k++)
      t += Math.exp(logBinomialPmf(k, n, p, 1 - p));
    expect(t).toBeCloseTo(1, 10);
  });
});
