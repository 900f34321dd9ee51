/**
 * Statistics for simulation output (DESIGN.md §4, "Statistics"): counters, observation tallies,
 * time-weighted levels, HDR histograms for latencies, and Student-t confidence intervals across
 * replications. Every collector has a plain-data form for transfer between worker threads.
 * @module
 */
export { Counter } from "./counter.js";
export { StatsError } from "./errors.js";
export {
  HdrHistogram,
  type HdrBucket,
  type HdrHistogramJSON,
  type HdrHistogramOptions,
} from "./hdr-histogram.js";
export { normalCdf, normalQuantile } from "./normal-distribution.js";
export { ReplicationSummary, type ConfidenceInterval } from "./replication-summary.js";
export { studentTCdf, studentTQuantile } from "./student-t.js";
export { Tally, type TallyJSON } from "./tally.js";
export { TimeWeighted } from "./time-weighted.js";
