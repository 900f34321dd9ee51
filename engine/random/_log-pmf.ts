/**
 * Numerically stable log-probabilities of the Poisson and binomial distributions, after C. Loader,
 * "Fast and accurate computation of binomial probabilities" (2000) — the saddle-point form used by
 * R's `dbinom`/`dpois`. Writing log p(k) through the Stirling error δ(n) and the deviance term
 * bd0(x, m) = x·log(x/m) + m − x avoids the catastrophic cancellation of
 * `k·log λ − λ − log k!` at large λ (≈ 2·10¹⁰ at λ = 10⁹), so the rejection tests of PTRS and BTRS
 * stay exact to double precision for any mean up to 2^53.
 * @module
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);

/** δ(n) = log n! − [(n + ½)·log n − n + ½·log 2π] for n = 0..15 (δ(0) is a placeholder). */
const STIRLERR_TABLE: Float64Array = (() => {
  const t = new Float64Array(16);
  let fact = 1;
  for (let n = 1; n < 16; n++) {
    fact *= n; // exact: 15! < 2^53
    t[n] = Math.log(fact) - (n + 0.5) * Math.log(n) + n - HALF_LOG_2PI;
  }
  return t;
})();

/** log n! for n = 0..15, exact to rounding. */
const LOG_FACT_TABLE: Float64Array = (() => {
  const t = new Float64Array(16);
  let fact = 1;
  for (let n = 1; n < 16; n++) {
    fact *= n;
    t[n] = Math.log(fact);
  }
  return t;
})();

/**
 * Stirling's error δ(n) = log n! − [(n + ½)·log n − n + ½·log 2π] for an integer n ≥ 1
 * (table below 16, asymptotic series 1/12n − 1/360n³ + … above, Loader 2000 §2).
 */
export function stirlerr(n: number): number {
  if (n < 16) return STIRLERR_TABLE[n] as number;
  const nn = n * n;
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/** log n! for an integer n ≥ 0. */
export function logFactorial(n: number): number {
  if (n < 16) return LOG_FACT_TABLE[n] as number;
  return (n + 0.5) * Math.log(n) - n + HALF_LOG_2PI + stirlerr(n);
}

/**
 * The deviance term bd0(x, m) = x·log(x/m) + m − x ≥ 0, by a series when x ≈ m (Loader 2000 §3).
 * @param x ≥ 0.
 * @param m > 0.
 */
export function bd0(x: number, m: number): number {
  if (x === 0) return m;
  const d = x - m;
  if (Math.abs(d) < 0.1 * (x + m)) {
    let v = d / (x + m);
    let s = d * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** log P(X = k) for X ~ Poisson(λ), integer k ≥ 0, λ > 0. */
export function logPoissonPmf(k: number, lambda: number): number {
  if (k === 0) return -lambda;
  return -stirlerr(k) - bd0(k, lambda) - HALF_LOG_2PI - 0.5 * Math.log(k);
}

/**
 * log P(X = k) for X ~ Binomial(n, p), integer 0 ≤ k ≤ n, 0 < p < 1, with q = 1 − p passed in
 * (so callers that know q more precisely than `1 - p` can supply it).
 */
export function logBinomialPmf(k: number, n: number, p: number, q: number): number {
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  return lc - 0.5 * (LOG_2PI + Math.log(k) + Math.log1p(-k / n));
}
