/**
 * Continuous empirical distribution: inversion of a piecewise-linear CDF. Built either from a sample
 * (the interpolated empirical CDF of A. M. Law, "Simulation Modeling and Analysis", 5th ed., §6.2.4:
 * F(x₍ᵢ₎) = (i − 1)/(n − 1) at the order statistics) or from tabulated (x, F(x)) points, e.g. a
 * published lead-time distribution. Sampling is one uniform and a binary search, O(log n).
 * @module
 */
import { invalid } from "./_check.js";
import type { Random } from "./random.js";

/**
 * A piecewise-linear CDF through points (xs[i], cdf[i]); a positive cdf[0] is an atom at xs[0].
 * @example
 * const leadTime = ContinuousEmpirical.fromCdf([14, 21, 30, 60], [0, 0.5, 0.9, 1]);
 * const days = leadTime.sample(rng);
 */
export class ContinuousEmpirical {
  readonly #xs: Float64Array;
  readonly #cdf: Float64Array;

  private constructor(xs: Float64Array, cdf: Float64Array) {
    this.#xs = xs;
    this.#cdf = cdf;
  }

  /**
   * From observations (any order; a sorted copy is kept). With one observation the distribution is
   * that constant.
   * @param sample finite values, at least one.
   * @returns the interpolated empirical distribution, support [min, max].
   * @throws RandomError when the sample is empty or has a non-finite value.
   */
  static fromSample(sample: ArrayLike<number>): ContinuousEmpirical {
    const n = sample.length;
    if (n === 0) invalid("ContinuousEmpirical.fromSample", "sample", "non-empty", "an empty array");
    const xs = Float64Array.from(sample as ArrayLike<number>);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(xs[i])) invalid("ContinuousEmpirical.fromSample", `sample[${i}]`, "finite", xs[i]);
    }
    xs.sort();
    const cdf = new Float64Array(n);
    if (n === 1) cdf[0] = 1;
    for (let i = 1; i < n; i++) cdf[i] = i / (n - 1);
    return new ContinuousEmpirical(xs, cdf);
  }

  /**
   * From tabulated CDF points.
   * @param xs finite, non-decreasing abscissae.
   * @param cdf F(xs[i]): non-decreasing, in [0, 1], last element 1 (±1e-9; it is set to exactly 1).
   * @returns the piecewise-linear distribution through the points.
   * @throws RandomError on mismatched lengths, fewer than one point, non-monotone values or a last
   *   cdf value other than 1.
   */
  static fromCdf(xs: ArrayLike<number>, cdf: ArrayLike<number>): ContinuousEmpirical {
    const where = "ContinuousEmpirical.fromCdf";
    const n = xs.length;
    if (n === 0) invalid(where, "xs", "non-empty", "an empty array");
    if (cdf.length !== n) invalid(where, "cdf.length", `xs.length (${n})`, cdf.length);
    const x = Float64Array.from(xs);
    const c = Float64Array.from(cdf);
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const ci = c[i] as number;
      if (!Number.isFinite(xi)) invalid(where, `xs[${i}]`, "finite", xi);
      if (!(ci >= 0 && ci <= 1 + 1e-9)) invalid(where, `cdf[${i}]`, "in [0, 1]", ci);
      if (i > 0 && !(xi >= (x[i - 1] as number))) invalid(where, `xs[${i}]`, `≥ xs[${i - 1}]`, xi);
      if (i > 0 && !(ci >= (c[i - 1] as number))) invalid(where, `cdf[${i}]`, `≥ cdf[${i - 1}]`, ci);
    }
    if (Math.abs((c[n - 1] as number) - 1) > 1e-9) invalid(where, `cdf[${n - 1}]`, "1", c[n - 1]);
    c[n - 1] = 1;
    return new ContinuousEmpirical(x, c);
  }

  /** Smallest value in the support. */
  get min(): number {
    return this.#xs[0] as number;
  }

  /** Largest value in the support. */
  get max(): number {
    return this.#xs[this.#xs.length - 1] as number;
  }

  /** The distribution's exact mean (atom at xs[0] plus the mid-points of the linear pieces). */
  get mean(): number {
    const x = this.#xs;
    const c = this.#cdf;
    let m = (c[0] as number) * (x[0] as number);
    for (let i = 1; i < x.length; i++) {
      m += ((c[i] as number) - (c[i - 1] as number)) * 0.5 * ((x[i] as number) + (x[i - 1] as number));
    }
    return m;
  }

  /**
   * The inverse CDF.
   * @param u a probability in [0, 1).
   * @returns the value x with F(x) = u (the lowest such x on flat stretches).
   * @throws RandomError when u ∉ [0, 1].
   */
  quantile(u: number): number {
    if (!(u >= 0 && u <= 1)) invalid("ContinuousEmpirical.quantile", "u", "in [0, 1]", u);
    const x = this.#xs;
    const c = this.#cdf;
    const n = x.length;
    if (u < (c[0] as number) || n === 1) return x[0] as number;
    if (u >= 1) return x[n - 1] as number;
    // smallest i ≥ 1 with c[i] > u
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    const c0 = c[lo - 1] as number;
    const x0 = x[lo - 1] as number;
    return x0 + ((u - c0) / ((c[lo] as number) - c0)) * ((x[lo] as number) - x0);
  }

  /**
   * Draws one value.
   * @param r the stream to draw from (one uniform per call).
   * @returns a value in [min, max].
   */
  sample(r: Random): number {
    return this.quantile(r.next());
  }
}
