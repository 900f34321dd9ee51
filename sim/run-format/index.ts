/**
 * The run-output format (DESIGN.md §4): one zod schema per file a run writes — summary.json,
 * manifest.json, sweep.json, timeseries.csv, prefectures.csv and the benchmark document — with the
 * format version, the readers' error message, the shared number formats and the run → chart mapping.
 * Pure data, zod, d3-format/d3-dsv and engine/ types: no simulation code, so the dashboard depends on
 * it alone.
 * @module
 */
export * from "./common.js";
export * from "./summary.js";
export * from "./manifest.js";
export * from "./sweep.js";
export * from "./compare.js";
export * from "./timeseries.js";
export * from "./backlog.js";
export * from "./bench.js";
export * from "./format.js";
export * from "./run-charts.js";
export * from "./prefectures.js";
export * from "./prefectures-csv.js";
export * from "./revocation.js";
export * from "./auth.js";
export * from "./pin-resets.js";
export * from "./network.js";
export * from "./calibration.js";
