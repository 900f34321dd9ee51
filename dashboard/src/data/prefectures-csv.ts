/**
 * A run's `prefectures.csv` as the dashboard reads it: the run-output format's parser
 * (sim/run-format/prefectures-csv.ts), which refuses a bad header, a bad cell, a prefecture missing
 * on a day or a gap between days.
 * @module
 */

export { parsePrefecturesCsv, type PrefecturesTable } from "../../../sim/run-format/prefectures-csv.js";
