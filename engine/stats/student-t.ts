/**
 * Student's t distribution: CDF through the regularized incomplete beta function,
 * P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.7.1 / 26.5.27), and the quantile by
 * G. W. Hill, "Algorithm 396: Student's t-quantiles", CACM 13(10), 1970 — the starting value —
 * refined by two-term Taylor (Newton–Halley) steps on the exact CDF, as R's `qt` does (Hill 1981).
 * ν = 1 and ν = 2 use their closed forms; ν > 10⁴ uses the Cornish–Fisher expansion in 1/ν up to
 * ν⁻⁴ (A&S 26.7.5), whose truncation error there is below 1e-17.
 * @module
 */
import { logBetaHalf, regularizedBeta } from "./_special.js";
import { StatsError } from "./errors.js";
import { normalCdf, normalQuantile } from "./normal-distribution.js";

const LARGE_DF = 1e4;

function checkDf(df: number, where: string, min: number): void {
  if (!(df >= min)) throw new StatsError(`${where}: df must be a number ≥ ${min} (or Infinity), got ${df}`);
}

/** P(T > t) for t ≥ 0. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
}

/**
 * The CDF of Student's t with ν degrees of freedom.
 * @param t any number.
 * @param df ν > 0 (Infinity gives the normal).
 * @returns P(T ≤ t).
 * @throws StatsError when df is not > 0.
 * @example studentTCdf(2.262157162798205, 9) // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new StatsError(`studentTCdf: df must be a number > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalCdf(t);
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

function density(t: number, df: number): number {
  return Math.exp(-logBetaHalf(df / 2) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Hill's (1970) starting value for the upper quantile with two-sided tail probability P = 2·tail. */
function hillStart(P: number, df: number): number {
  const a = 1 / (df - 0.5);
  const b = 48 / (a * a);
  let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * df;
  let y = Math.pow(d * P, 2 / df);
  if ((df < 2.1 && P > 0.5) || y > 0.05 + a) {
    const x = normalQuantile(0.5 * P);
    y = x * x;
    if (df < 5) c += 0.3 * (df - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y =
      (((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) *
        (df + 1)) /
        (df + 2) +
      1 / y;
  }
  return Math.sqrt(df * y);
}

/** Cornish–Fisher expansion of the upper quantile around the normal one (A&S 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * The quantile of Student's t with ν degrees of freedom.
 * @param p a probability in [0, 1] (e.g. 0.975 for a two-sided 95 % interval).
 * @param df ν ≥ 1, not necessarily an integer; Infinity gives the normal quantile.
 * @returns t with P(T ≤ t) = p (∓∞ at p = 0 and 1).
 * @throws StatsError when p ∉ [0, 1] or df < 1.
 * @example studentTQuantile(0.975, 4) // 2.7764451051977987
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1))
    throw new StatsError(`studentTQuantile: p must be a probability in [0, 1], got ${p}`);
  checkDf(df, "studentTQuantile", 1);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const sign = p < 0.5 ? -1 : 1;
  const tail = p < 0.5 ? p : 1 - p;
  if (df === Infinity) return -sign * normalQuantile(tail);
  if (df === 1) return sign / Math.tan(Math.PI * tail);
  const P = 2 * tail;
  if (df === 2) return sign * Math.sqrt(2 / (P * (2 - P)) - 2);
  if (df > LARGE_DF) return sign * cornishFisher(-normalQuantile(tail), df);
  let q = hillStart(P, df);
  for (let it = 0; it < 20; it++) {
    const f = density(q, df);
    if (!(f > 0)) break;
    const x = (upperTail(q, df) - tail) / f;
    if (!Number.isFinite(x)) break;
    q += x * (1 + (x * q * (df + 1)) / (2 * (q * q + df)));
    if (Math.abs(x) <= 1e-14 * Math.abs(q)) break;
  }
  return sign * q;
}
