/**
 * Puts several runs on one date axis for the compare view: the union of their days, daily, or — when
 * that span is longer than two years — weeks counted from the first day of the union, so every run's
 * weekly means fall on the same dates and no line breaks where another run's weeks would start.
 * @module
 */

import { formatIsoDate } from "../../../engine/calendar.js";
import { WEEKLY_ABOVE_DAYS } from "./downsample.js";
import type { TimeseriesTable } from "./timeseries-csv.js";

/** A shared axis. */
export interface SharedAxis {
  /** Epoch day of the first day of the union. */
  startDay: number;
  /** Days in the union. */
  days: number;
  /** True when points are weekly means. */
  weekly: boolean;
  /** Dates of the points: every day, or the last day of each week. */
  dates: string[];
}

/** The union axis of `tables` (daily up to `weeklyAbove` days, else weekly). */
export function sharedAxis(tables: readonly TimeseriesTable[], weeklyAbove = WEEKLY_ABOVE_DAYS): SharedAxis {
  if (tables.length === 0) return { startDay: 0, days: 0, weekly: false, dates: [] };
  const startDay = Math.min(...tables.map((t) => t.startDay));
  const endDay = Math.max(...tables.map((t) => t.startDay + t.n - 1));
  const days = endDay - startDay + 1;
  const weekly = days > weeklyAbove;
  const dates: string[] = [];
  if (weekly) for (let d = startDay + 6; d < endDay + 7; d += 7) dates.push(formatIsoDate(Math.min(d, endDay)));
  else for (let d = startDay; d <= endDay; d++) dates.push(formatIsoDate(d));
  return { startDay, days, weekly, dates };
}

/**
 * One column of one run on the shared axis: the day's value, or the mean of the week's finite values;
 * `null` outside the run or where it has no value. For daily cumulative series build the axis with
 * `weeklyAbove = Infinity`.
 */
export function alignColumn(table: TimeseriesTable, column: Float64Array | undefined, axis: SharedAxis): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(axis.dates.length).fill(null);
  if (column === undefined) return out;
  const offset = table.startDay - axis.startDay;
  if (!axis.weekly) {
    for (let i = 0; i < table.n; i++) {
      const v = column[i] as number;
      if (Number.isFinite(v)) out[offset + i] = v;
    }
    return out;
  }
  const sum = new Float64Array(out.length);
  const count = new Uint16Array(out.length);
  for (let i = 0; i < table.n; i++) {
    const v = column[i] as number;
    if (!Number.isFinite(v)) continue;
    const k = Math.floor((offset + i) / 7);
    sum[k] = (sum[k] as number) + v;
    count[k] = (count[k] as number) + 1;
  }
  for (let k = 0; k < out.length; k++) if ((count[k] as number) > 0) out[k] = (sum[k] as number) / (count[k] as number);
  return out;
}
