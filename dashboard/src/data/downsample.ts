/**
 * The points a time chart draws for a window of a run: the daily values, or for windows longer than
 * two years the mean of the finite daily values of each 7-day block, dated on the block's last day —
 * the rule the report writer uses (sim/issuance/report.ts), so the dashboard and report.html show
 * the same curves. Charts of cumulative cards stay daily: they are smooth and their exact value on a
 * given day is the question.
 * @module
 */

import type { TimeseriesTable } from "./timeseries-csv.js";

/** Windows longer than this many days are drawn as weekly means. */
export const WEEKLY_ABOVE_DAYS = 731;

/** A window of rows, ready for the chart functions. */
export interface ChartFrame {
  /** True when values are weekly means. */
  weekly: boolean;
  /** Dates of the points (daily dates, or the last day of each week). */
  dates: string[];
  /** The points of one column (`null` = no value); a missing column gives all `null`. */
  values(column: Float64Array | undefined): (number | null)[];
}

/**
 * @param table the parsed time series
 * @param from first row index (inclusive)
 * @param to last row index (exclusive)
 * @param weeklyAbove windows longer than this many days are averaged per week
 */
export function chartFrame(
  table: TimeseriesTable,
  from = 0,
  to = table.n,
  weeklyAbove = WEEKLY_ABOVE_DAYS,
): ChartFrame {
  const lo = Math.max(0, Math.min(from, table.n));
  const hi = Math.max(lo, Math.min(to, table.n));
  const n = hi - lo;
  if (n <= weeklyAbove) {
    return {
      weekly: false,
      dates: table.dates.slice(lo, hi),
      values: (col) => {
        const out: (number | null)[] = new Array<number | null>(n);
        for (let i = 0; i < n; i++) {
          const v = col === undefined ? Number.NaN : (col[lo + i] as number);
          out[i] = Number.isFinite(v) ? v : null;
        }
        return out;
      },
    };
  }
  const ends: number[] = [];
  for (let e = lo + 6; e < hi + 6; e += 7) ends.push(Math.min(e, hi - 1));
  return {
    weekly: true,
    dates: ends.map((e) => table.dates[e] as string),
    values: (col) =>
      ends.map((e, k) => {
        if (col === undefined) return null;
        const start = k === 0 ? lo : (ends[k - 1] as number) + 1;
        let s = 0;
        let m = 0;
        for (let i = start; i <= e; i++) {
          const v = col[i] as number;
          if (Number.isFinite(v)) {
            s += v;
            m++;
          }
        }
        return m > 0 ? s / m : null;
      }),
  };
}

/** The values of one column over rows `[from, to)`, daily, `null` where missing. */
export function dailyValues(
  column: Float64Array | undefined,
  from: number,
  to: number,
): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = from; i < to; i++) {
    const v = column === undefined ? Number.NaN : (column[i] as number);
    out.push(Number.isFinite(v) ? v : null);
  }
  return out;
}
