/**
 * The points a time chart draws for a window of a run: the run-output format's rule
 * (sim/run-format/run-charts.ts — daily values, or weekly means for windows over two years), which
 * report.html uses too, applied to a parsed timeseries.csv.
 * @module
 */

import { chartFrame as framePoints, WEEKLY_ABOVE_DAYS, type ChartFrame } from "../../../sim/run-format/index.js";
import type { TimeseriesTable } from "./timeseries-csv.js";

export { dailyValues, WEEKLY_ABOVE_DAYS, type ChartFrame } from "../../../sim/run-format/index.js";

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
  return framePoints(table.dates, from, to, weeklyAbove);
}
