/**
 * How the run's analyses (summary.ts, compare.ts, marginal-effects.ts, counterfactuals.ts,
 * prefecture-series.ts) store numbers: rounded to a fixed number of decimals, so the same results
 * give the same bytes in summary.json and compare.json, and means over replications summed in
 * replication order.
 * @module
 */

/** `v` rounded to `digits` decimals, as a number: `round(1.23456, 2)` → 1.23. */
export const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/** The arithmetic mean of `xs`, summed in array order. */
export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
