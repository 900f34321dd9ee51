/**
 * The types the dashboard's views use, under the names they import. Each is `z.infer` of a schema:
 * the run files' schemas are the run-output format (sim/run-format — the one definition the writers,
 * the report and the dashboard share), the indexes' are in run-index.ts. Nothing is declared here.
 * @module
 */

export type {
  BenchDocument,
  BenchResult,
  RunManifest,
  RunSummary,
  SweepDocument,
  SweepRow,
} from "../../../sim/run-format/index.js";
export type { BenchEntry, BenchIndex, RunIndex, RunIndexEntry } from "./run-index.js";
