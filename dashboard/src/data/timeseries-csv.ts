/**
 * A run's `timeseries.csv` as the dashboard reads it: the run-output format's parser
 * (sim/run-format/timeseries.ts, d3-dsv with row validation), which refuses a file with a garbage
 * row, a missing number where one is required, a gap between days or only a header.
 * @module
 */

export {
  parseTimeseriesCsv,
  REQUIRED_COLUMNS,
  type TimeseriesTable,
} from "../../../sim/run-format/index.js";
