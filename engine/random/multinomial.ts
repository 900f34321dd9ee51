/**
 * Multinomial variates by conditional binomials: X₁ ~ Bin(n, p₁), X₂ | X₁ ~ Bin(n − X₁, p₂/(1 − p₁)),
 * … (Devroye, "Non-Uniform Random Variate Generation", 1986, §XI.1.4; the method of numpy's and
 * GSL's `multinomial`). Cost is one O(1) binomial per category, so splitting 10⁸ applications over
 * 1,741 municipalities takes 1,741 draws, not 10⁸. The last category with positive weight takes the
 * remainder, so the counts always sum to n exactly.
 * @module
 */
import { binomial } from "./binomial.js";
import { checkCount, invalid } from "./_check.js";
import type { Random } from "./random.js";

const INT32_MAX = 2147483647;

/**
 * Splits n items over categories with probabilities proportional to `weights`.
 * @param r the stream to draw from.
 * @param n total count, an integer ≥ 0 (≤ 2^31 − 1 when `out` is an Int32Array).
 * @param weights finite, non-negative weights, at least one positive when n > 0; need not sum to 1.
 * @param out receives the counts; must have `weights.length` elements.
 * @returns `out`, whose elements sum to n.
 * @throws RandomError on an invalid n, a negative / non-finite weight, all-zero weights with n > 0,
 *   or a length mismatch.
 * @example multinomial(rng, 1_000_000, [0.5, 0.3, 0.2], new Float64Array(3))
 */
export function multinomial<T extends Int32Array | Float64Array>(
  r: Random,
  n: number,
  weights: ArrayLike<number>,
  out: T,
): T {
  checkCount(n, "multinomial", "n", out instanceof Int32Array ? INT32_MAX : Number.MAX_SAFE_INTEGER);
  const k = weights.length;
  if (out.length !== k) invalid("multinomial", "out.length", `weights.length (${k})`, out.length);
  let total = 0;
  let last = -1;
  for (let i = 0; i < k; i++) {
    const w = weights[i] as number;
    if (!(w >= 0 && w < Infinity)) invalid("multinomial", `weights[${i}]`, "a finite number ≥ 0", w);
    total += w;
    if (w > 0) last = i;
  }
  if (n > 0 && last < 0) invalid("multinomial", "weights", "not all zero when n > 0", "all zero");
  let remaining = n;
  let rest = total;
  for (let i = 0; i < k; i++) {
    const w = weights[i] as number;
    if (remaining === 0 || w === 0) {
      out[i] = 0;
    } else if (i === last) {
      out[i] = remaining;
      remaining = 0;
    } else {
      const p = w / rest;
      const x = p >= 1 ? remaining : binomial(r, remaining, p);
      out[i] = x;
      remaining -= x;
    }
    rest -= w;
  }
  return out;
}
