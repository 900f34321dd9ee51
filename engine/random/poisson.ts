/**
 * Poisson variates, exact for any mean up to 2^52 and O(1) expected time:
 *
 * - mean < 10: inversion by sequential search from k = 0 (Devroye, "Non-Uniform Random Variate
 *   Generation", 1986, §X.3.3); at most a few dozen multiplications.
 * - mean ≥ 10: PTRS, "transformed rejection with squeeze" — W. Hörmann, "The transformed rejection
 *   method for generating Poisson random variables", Insurance: Mathematics and Economics 12(1),
 *   1993, pp. 39–45. Two uniforms per try, acceptance ≈ 0.9 and a squeeze that skips the log-pmf
 *   on ≈ 85 % of tries; the rejection test uses Loader's stable log-pmf (see `_log-pmf.ts`) so it
 *   stays exact at λ = 10⁹ and beyond.
 *
 * The setup for the last mean is cached, so repeated draws with one λ skip the `sqrt`/`log`.
 * @module
 */
import { invalid } from "./_check.js";
import { logPoissonPmf } from "./_log-pmf.js";
import type { Random } from "./random.js";

/** Largest accepted Poisson mean, 2^52: beyond it integers near the mean stop being exact doubles. */
export const MAX_POISSON_MEAN = 4503599627370496;

/** Mean below which inversion is used. */
const INVERSION_LIMIT = 10;

let cMean = NaN;
let cA = 0;
let cB = 0;
let cLogInvAlpha = 0;
let cVr = 0;

/**
 * Draws a Poisson(mean) variate.
 * @param r the stream to draw from.
 * @param mean λ, in [0, 2^52].
 * @returns a non-negative integer.
 * @throws RandomError when mean is NaN, negative or above {@link MAX_POISSON_MEAN}.
 * @example poisson(rng, 3.2)
 */
export function poisson(r: Random, mean: number): number {
  if (!(mean >= 0 && mean <= MAX_POISSON_MEAN)) invalid("poisson", "mean", "a number in [0, 2^52]", mean);
  return mean < INVERSION_LIMIT ? inversion(r, mean) : ptrs(r, mean);
}

function inversion(r: Random, mean: number): number {
  const p0 = Math.exp(-mean);
  for (;;) {
    let u = r.next();
    let p = p0;
    let k = 0;
    // P(k > 200 | λ < 10) < 1e-150: the cap only catches round-off when U is within 1e-16 of 1.
    while (u >= p && k <= 200) {
      u -= p;
      k++;
      p *= mean / k;
    }
    if (k <= 200) return k;
  }
}

function ptrs(r: Random, mean: number): number {
  if (mean !== cMean) {
    const b = 0.931 + 2.53 * Math.sqrt(mean);
    cB = b;
    cA = -0.059 + 0.02483 * b;
    cLogInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
    cVr = 0.9277 - 3.6224 / (b - 2);
    cMean = mean;
  }
  const a = cA;
  const b = cB;
  for (;;) {
    const u = r.next() - 0.5;
    const v = r.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= cVr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + cLogInvAlpha - Math.log(a / (us * us) + b) <= logPoissonPmf(k, mean)) return k;
  }
}
