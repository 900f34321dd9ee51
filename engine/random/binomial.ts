/**
 * Binomial variates, exact for n up to 2^53 − 1 and O(1) expected time. With p folded to ≤ ½
 * (X = n − Y when p > ½):
 *
 * - n·p < 10: BINV, inversion by sequential search — V. Kachitvichyanukul & B. W. Schmeiser,
 *   "Binomial random variate generation", CACM 31(2), 1988.
 * - n·p ≥ 10: BTRS, transformed rejection with squeeze — W. Hörmann, "The generation of binomial
 *   random variates", J. Statist. Comput. Simul. 46, 1993, pp. 101–110. The rejection test compares
 *   against log f(k)/f(m) computed with Loader's saddle-point form (see `_log-pmf.ts`), so it is
 *   exact at n = 10⁹ where the textbook `log k! + log (n−k)!` form loses six digits.
 *
 * The setup of each method for the last (n, p) it saw is cached.
 * @module
 */
import { checkCount, checkProbability } from "./_check.js";
import { logBinomialPmf } from "./_log-pmf.js";
import type { Random } from "./random.js";

/** n·p below which inversion is used. */
const INVERSION_LIMIT = 10;

let iN = -1;
let iP = -1;
let iS = 0;
let iA = 0;
let iF0 = 0;
let cN = -1;
let cP = -1;
let cA = 0;
let cB = 0;
let cC = 0;
let cAlpha = 0;
let cVr = 0;
let cM = 0;
let cLogFm = 0;

/**
 * Draws a Binomial(n, p) variate: the number of successes in n independent trials.
 * @param r the stream to draw from.
 * @param n number of trials, an integer in [0, 2^53 − 1].
 * @param p success probability in [0, 1].
 * @returns an integer in [0, n].
 * @throws RandomError when n is not a non-negative safe integer or p ∉ [0, 1].
 * @example binomial(rng, 100_000_000, 0.3)
 */
export function binomial(r: Random, n: number, p: number): number {
  // The checks of _check.ts, written out on the fast path (this is the model's hottest call); the
  // helpers only run to throw their message.
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) checkCount(n, "binomial", "n");
  if (!(p >= 0 && p <= 1)) checkProbability(p, "binomial", "p");
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p > 0.5) {
    const q = 1 - p;
    return n - (n * q < INVERSION_LIMIT ? binv(r, n, q) : btrs(r, n, q, p));
  }
  return n * p < INVERSION_LIMIT ? binv(r, n, p) : btrs(r, n, p, 1 - p);
}

function binv(r: Random, n: number, p: number): number {
  if (n !== iN || p !== iP) {
    iS = p / (1 - p);
    iA = (n + 1) * iS;
    iF0 = Math.exp(n * Math.log1p(-p));
    iN = n;
    iP = p;
  }
  const s = iS;
  const a = iA;
  const f0 = iF0;
  // n·p < 10 ⇒ P(X > 110) < 1e-60: the cap only catches round-off when U is within 1e-16 of 1.
  const cap = Math.min(n, 110);
  for (;;) {
    let u = r.next();
    let f = f0;
    let x = 0;
    while (u >= f && x < cap) {
      u -= f;
      x++;
      f *= a / x - s;
    }
    if (u < f) return x;
  }
}

function btrs(r: Random, n: number, p: number, q: number): number {
  if (n !== cN || p !== cP) {
    const spq = Math.sqrt(n * p * q);
    cB = 1.15 + 2.53 * spq;
    cA = -0.0873 + 0.0248 * cB + 0.01 * p;
    cC = n * p + 0.5;
    cAlpha = (2.83 + 5.1 / cB) * spq;
    cVr = 0.92 - 4.2 / cB;
    cM = Math.floor((n + 1) * p);
    cLogFm = logBinomialPmf(cM, n, p, q);
    cN = n;
    cP = p;
  }
  const a = cA;
  const b = cB;
  for (;;) {
    const u = r.next() - 0.5;
    const v = r.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + cC);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= cVr) return k;
    if (Math.log((v * cAlpha) / (a / (us * us) + b)) <= logBinomialPmf(k, n, p, q) - cLogFm) return k;
  }
}
