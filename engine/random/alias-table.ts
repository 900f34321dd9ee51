/**
 * Discrete empirical distribution by the alias method: A. J. Walker, "An efficient method for
 * generating discrete random variables with general distributions", ACM TOMS 3(3), 1977, with the
 * numerically stable O(n) table construction of M. D. Vose, "A linear algorithm for generating
 * random numbers with a given distribution", IEEE TSE 17(9), 1991. Sampling costs one uniform, one
 * multiply and one comparison, whatever the number of categories.
 * @module
 */
import { invalid } from "./_check.js";
import type { Random } from "./random.js";

/**
 * A table for O(1) sampling of index i with probability weights[i] / Σ weights.
 * @example
 * const channel = new AliasTable([0.55, 0.3, 0.15]); // paper, online, photo booth
 * const i = channel.sample(rng);
 */
export class AliasTable {
  /** Number of categories. */
  readonly size: number;
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;
  readonly #p: Float64Array;

  /**
   * Builds the table (Vose's algorithm).
   * @param weights finite, non-negative weights, at least one positive; need not sum to 1.
   * @throws RandomError when weights is empty, has a negative / non-finite entry, or sums to 0.
   */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0 || n > 2147483647) invalid("AliasTable", "weights", "a non-empty array", `length ${n}`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0 && w < Infinity)) invalid("AliasTable", `weights[${i}]`, "a finite number ≥ 0", w);
      total += w;
    }
    if (!(total > 0 && total < Infinity)) invalid("AliasTable", "weights", "a positive, finite sum", total);
    this.size = n;
    this.#p = new Float64Array(n);
    this.#prob = new Float64Array(n);
    this.#alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      this.#p[i] = (weights[i] as number) / total;
      const s = ((weights[i] as number) * n) / total;
      scaled[i] = s;
      if (s < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const l = small[--ns] as number;
      const g = large[--nl] as number;
      this.#prob[l] = scaled[l] as number;
      this.#alias[l] = g;
      const rest = (scaled[g] as number) + (scaled[l] as number) - 1;
      scaled[g] = rest;
      if (rest < 1) small[ns++] = g;
      else large[nl++] = g;
    }
    while (nl > 0) {
      const g = large[--nl] as number;
      this.#prob[g] = 1;
      this.#alias[g] = g;
    }
    while (ns > 0) {
      const l = small[--ns] as number;
      this.#prob[l] = 1;
      this.#alias[l] = l;
    }
  }

  /**
   * Draws one index.
   * @param r the stream to draw from (one uniform per call).
   * @returns an integer in [0, size).
   */
  sample(r: Random): number {
    const u = r.next() * this.size;
    let i = Math.floor(u);
    if (i >= this.size) i = this.size - 1;
    return u - i < (this.#prob[i] as number) ? i : (this.#alias[i] as number);
  }

  /**
   * @param i a category index.
   * @returns its normalised probability weights[i] / Σ weights (0 for an out-of-range index).
   */
  probability(i: number): number {
    return this.#p[i] ?? 0;
  }
}
