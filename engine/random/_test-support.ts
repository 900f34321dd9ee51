/**
 * Statistical checks shared by the engine/random test suites (not used by model code): sample
 * moments, and Pearson's χ² goodness-of-fit with the Wilson–Hilferty approximation of the χ²
 * critical value (E. B. Wilson & M. M. Hilferty, PNAS 17, 1931). Every suite draws from fixed seeds,
 * so these checks are deterministic — a failure means the sampler changed, not bad luck.
 * @module
 */

/** Sample mean and unbiased variance of `n` draws. */
export function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 1; i <= n; i++) {
    const x = draw();
    const d = x - mean;
    mean += d / i;
    m2 += d * (x - mean);
  }
  return { mean, variance: m2 / (n - 1) };
}

/**
 * Pearson χ² statistic of observed counts against expected probabilities, after merging adjacent
 * cells until each expects at least 5 (the tail mass not covered by `probs` is added to the last cell).
 * @returns the statistic, degrees of freedom and the critical value at significance `alpha`.
 */
export function chiSquare(
  observed: ArrayLike<number>,
  probs: ArrayLike<number>,
  alpha = 0.001,
): { stat: number; df: number; critical: number } {
  let n = 0;
  for (let i = 0; i < observed.length; i++) n += observed[i] as number;
  const cellsO: number[] = [];
  const cellsE: number[] = [];
  let o = 0;
  let e = 0;
  let pSum = 0;
  for (let i = 0; i < probs.length; i++) {
    o += observed[i] as number;
    e += n * (probs[i] as number);
    pSum += probs[i] as number;
    if (e >= 5) {
      cellsO.push(o);
      cellsE.push(e);
      o = 0;
      e = 0;
    }
  }
  for (let i = probs.length; i < observed.length; i++) o += observed[i] as number;
  e += n * Math.max(0, 1 - pSum);
  if (cellsE.length === 0 || e >= 5) {
    cellsO.push(o);
    cellsE.push(e);
  } else {
    cellsO[cellsO.length - 1] = (cellsO[cellsO.length - 1] as number) + o;
    cellsE[cellsE.length - 1] = (cellsE[cellsE.length - 1] as number) + e;
  }
  let stat = 0;
  for (let i = 0; i < cellsO.length; i++) {
    const d = (cellsO[i] as number) - (cellsE[i] as number);
    stat += (d * d) / (cellsE[i] as number);
  }
  const df = cellsO.length - 1;
  const z = normalUpperQuantile(alpha);
  const h = 2 / (9 * df);
  const critical = df * Math.pow(1 - h + z * Math.sqrt(h), 3);
  return { stat, df, critical };
}

function normalUpperQuantile(alpha: number): number {
  // Upper standard-normal quantiles for the significance levels the suites use.
  const table: Record<string, number> = { "0.01": 2.326347874, "0.001": 3.090232306, "0.0001": 3.719016485 };
  const z = table[String(alpha)];
  if (z === undefined) throw new Error(`no tabulated quantile for alpha=${alpha}`);
  return z;
}
