/**
 * What an issuance report is written from: the resolved scenario, the summary (summary.json's
 * schema, sim/run-format), the daily mean columns and 95 % band, the official series, how the run
 * was made and the factory's crypto sample.
 * @module
 */
import type { RunSummary } from "../../run-format/index.js";
import type { CryptoSampleResult } from "../crypto-sample.js";
import type { TimeseriesColumn } from "../model.js";
import type { IssuanceParams } from "../params.js";
import type { OfficialPoint } from "../summary.js";
import type { RevocationReport } from "../../revocation/run.js";

/** Everything the report is written from. */
export interface ReportInput {
  /** The resolved scenario. */
  params: IssuanceParams;
  /** From summary.ts. */
  summary: RunSummary;
  /** Epoch day of the first row. */
  startDay: number;
  /** Mean over replications (`meanColumns`). */
  columns: Record<TimeseriesColumn, Float64Array>;
  /** Cumulative cards 95 % band when replications > 1. */
  ci95?: { lower: Float64Array; upper: Float64Array } | null;
  /** Official cumulative series within the run period (may be empty). */
  official: OfficialPoint[];
  run: {
    command: string;
    seed: number;
    replications: number;
    threads: number;
    runId: string;
    versions: Record<string, string>;
    dataSources: { file: string; source: string }[];
  };
  /** The factory's crypto sample, when the scenario asks for one. */
  crypto?: CryptoSampleResult | null;
  /** The revocation model (sim/revocation), when the scenario has a `revocation:` block. */
  revocation?: RevocationReport | null;
}
