/**
 * The information provision network section of summary.json (issue 12 item 1; DESIGN §4: one schema
 * module for every file a run writes). Written by sim/network/run-network.ts when the scenario has a
 * `network:` block. Also the chart of use against design that report.html and the dashboard share.
 * @module
 */
import { z } from "zod";
import { barChart } from "../../engine/charts/index.js";
import { fixed, grouped } from "./format.js";

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

/** "¥43.8 (¥35.3–62.1)": a cost per exchange with the range the yearly cost's range gives. */
export function yenPerExchange(n: NetworkSummary, exchanges: number): string {
  if (!(exchanges > 0)) return "–";
  const [lo, hi] = n.annualCostRangeYen;
  const digits = (v: number) => (v >= 100 ? 0 : 1);
  const y = (v: number) => grouped(v, digits(v));
  return `¥${y(n.annualCostYen / exchanges)} (¥${y(lo / exchanges)}–${y(hi / exchanges)})`;
}

/** "1.3 %", "0.25 %": a share of the design load, two decimals below 1 %. */
export function shareOfDesign(share: number): string {
  return `${fixed(share * 100, share < 0.01 ? 2 : 1)} %`;
}

/**
 * The chart "exchanges a year against the design": the run's load and each observed year (FACTS
 * §5.5) as bars on a log axis (8 M and 640 M on one axis), the design load as the reference line.
 */
export function networkUseChart(n: NetworkSummary, id: string, width?: number): string {
  const pct = (x: number) => `${shareOfDesign(x)} of design`;
  // A log axis needs positive values: a zero is drawn as "no value".
  const positive = (v: number) => (v > 0 ? v : null);
  const bars = [
    { label: "this run", value: positive(n.annualExchanges), note: pct(n.shareOfPlan) },
    ...n.observed.map((o) => ({
      label: `${o.year}, ${o.scope === "all-users" ? "all users" : "local governments"}`,
      value: positive(o.exchanges),
      color: "#9aa5b1",
      note: pct(o.shareOfPlan),
    })),
  ];
  // Bars start at the power of ten below the smallest, not at 1: 1.5 M and 640 M differ by 2.6
  // decades, which bars from 1 would draw as 6.2 against 8.8.
  const design = positive(n.designAnnualExchanges);
  const smallest = Math.min(design ?? Infinity, ...bars.map((b) => b.value ?? Infinity));
  const base = Number.isFinite(smallest) ? 10 ** Math.floor(Math.log10(smallest)) : 1;
  return barChart(bars, {
    id,
    width,
    title: "Information provision network: exchanges a year against the design",
    xLabel: "exchanges a year (log scale)",
    format: "si",
    scale: "log",
    base,
    sort: "none",
    rules: design === null ? [] : [{ value: design, label: "design" }],
  });
}
