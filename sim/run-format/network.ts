/**
 * The information provision network section of summary.json (issue 12 item 1; DESIGN §4: one schema
 * module for every file a run writes). Written by sim/network/run-network.ts when the scenario has a
 * `network:` block.
 * @module
 */
import { z } from "zod";

const count = z.number().nonnegative();

/** One load level of the busiest hour. */
export const NetworkLoadSchema = z.strictObject({
  offeredPerSecond: count,
  throughputPerSecond: count,
  completed: count,
  latencyMs: z.strictObject({ mean: count, p50: count, p99: count, max: count }),
  coreUtilisation: count,
  intermediateUtilisation: count,
});

export const NetworkSummarySchema = z.strictObject({
  annualExchanges: count,
  designAnnualExchanges: count,
  shareOfPlan: count,
  /** Exchanges per month, April → March. */
  monthly: z.array(count).length(12),
  byProcedure: z.record(z.string(), count),
  actual: NetworkLoadSchema,
  design: NetworkLoadSchema,
  coreHeadroomAtDesign: count,
  costPerExchangeYen: z.strictObject({ actual: count, design: count }),
  eventsProcessed: count,
});

export type NetworkSummary = z.infer<typeof NetworkSummarySchema>;
