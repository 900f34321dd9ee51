/**
 * Gamma variates by G. Marsaglia & W. W. Tsang, "A simple method for generating gamma variables",
 * ACM TOMS 26(3), 2000: squeeze-and-reject on a transformed normal for shape ≥ 1, and the boost
 * X·U^(1/k) with X ~ Gamma(k + 1) for shape < 1 (same paper, §6). Erlang(k, mean) is
 * `gamma(k, mean / k)`.
 * @module
 */
import { checkPositive } from "./_check.js";
import type { Random } from "./random.js";

/**
 * Draws Gamma(shape, scale), mean shape·scale, variance shape·scale².
 * @param r the stream to draw from.
 * @param shape k, finite and > 0.
 * @param scale θ, finite and > 0.
 * @returns a value ≥ 0.
 * @throws RandomError on invalid shape or scale.
 * @example gamma(rng, 3, 2) // Erlang-3 with mean 6
 */
export function gamma(r: Random, shape: number, scale: number): number {
  checkPositive(shape, "gamma", "shape");
  checkPositive(scale, "gamma", "scale");
  if (shape < 1) {
    const x = standardGamma(r, shape + 1);
    return scale * x * Math.pow(1 - r.next(), 1 / shape);
  }
  return scale * standardGamma(r, shape);
}

function standardGamma(r: Random, a: number): number {
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = r.standardNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
