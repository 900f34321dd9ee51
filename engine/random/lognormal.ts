/**
 * Lognormal parameter conversion: from the mean m and standard deviation s of X to the parameters
 * (μ, σ) of log X, by σ² = log(1 + s²/m²), μ = log m − σ²/2 (moments of the lognormal, e.g.
 * Johnson, Kotz & Balakrishnan, "Continuous Univariate Distributions" vol. 1, ch. 14).
 * @module
 */
import { checkNonNegative, checkPositive } from "./_check.js";

/** Parameters of the normal distribution of log X. */
export interface LognormalParams {
  /** E[log X]. */
  readonly mu: number;
  /** SD[log X]. */
  readonly sigma: number;
}

/**
 * Converts a lognormal's mean and standard deviation to (μ, σ) of the underlying normal.
 * @param mean E[X], finite and > 0.
 * @param sd SD[X], finite and ≥ 0.
 * @returns `{ mu, sigma }` such that exp(N(mu, sigma²)) has the requested mean and sd.
 * @throws RandomError when mean ≤ 0 or sd < 0 (or either is not finite).
 * @example lognormalParams(6, 2) // { mu: 1.7391…, sigma: 0.3246… }
 */
export function lognormalParams(mean: number, sd: number): LognormalParams {
  checkPositive(mean, "lognormalMeanSd", "mean");
  checkNonNegative(sd, "lognormalMeanSd", "sd");
  const cv = sd / mean;
  const sigma2 = Math.log1p(cv * cv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}
