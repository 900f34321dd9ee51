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

/** One observed year of use against the design (FACTS §5.5). */
export const NetworkObservedSchema = z.strictObject({
  year: z.string().regex(/^FY\d{4}$/),
  scope: z.enum(["all-users", "local-government"]),
  exchanges: count,
  shareOfPlan: count,
  peakPerSecond: count,
  /** Null for local governments' inquiries, which are a part of the use. */
  costPerExchangeYen: count.nullable(),
});

/**
 * A network parameter with its label (sim/network/network-labels.ts); the shape of summary.ts's
 * `ParameterRowSchema`, restated here because summary.ts imports this module.
 */
export const NetworkParameterRowSchema = z.strictObject({
  path: z.string().min(1),
  value: z.number(),
  label: z.enum(["sourced", "assumed"]),
  source: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
});

export const NetworkSummarySchema = z.strictObject({
  annualExchanges: count,
  designAnnualExchanges: count,
  shareOfPlan: count,
  /** Exchanges per month, April → March. */
  monthly: z.array(count).length(12),
  /** Busiest-hour rate of each month, exchanges per second, April → March. */
  monthlyPeakPerSecond: z.array(count).length(12),
  byProcedure: z.record(z.string(), count),
  observed: z.array(NetworkObservedSchema),
  actual: NetworkLoadSchema,
  design: NetworkLoadSchema,
  coreHeadroomAtDesign: count,
  auditShareOfPlan: count,
  /** Build and operation cost a year, yen. */
  annualCostYen: count,
  costPerExchangeYen: z.strictObject({ actual: count, design: count, atAuditShare: count }),
  /** The assumed range of the yearly cost (its parameter row), for the cost-per-exchange ranges. */
  annualCostRangeYen: z.tuple([count, count]),
  /** Every numeric parameter of the block with its label. */
  parameters: z.array(NetworkParameterRowSchema),
  eventsProcessed: count,
});

export type NetworkSummary = z.infer<typeof NetworkSummarySchema>;
