/**
 * Lead-time percentiles over time: p50 (bold), p90 and p99 (dashed) in days, optionally with the
 * p50–p90 or p50–p99 range shaded. A thin layer over {@link timeSeriesChart}, so it shares its axes,
 * tooltips and reference lines; pass the same `xDomain`, `width` and `margin` as the chart above it
 * and the dates line up pixel for pixel.
 * @module
 */

import { chartError } from "./_svg.js";
import { timeSeriesChart } from "./time-series-chart.js";
import type { TimeSeriesChartOptions, TimeSeriesData } from "./time-series-chart.js";

/** Input of {@link percentileBandChart}: one value per date for each percentile, `null` = no completions that day. */
export interface PercentileData {
  /** ISO days, strictly increasing. */
  dates: readonly string[];
  p50: ReadonlyArray<number | null | undefined>;
  p90: ReadonlyArray<number | null | undefined>;
  p99: ReadonlyArray<number | null | undefined>;
}

/** Options of {@link percentileBandChart}. */
export interface PercentileBandChartOptions extends TimeSeriesChartOptions {
  /** Shaded range (default `"p50-p90"`). */
  shade?: "none" | "p50-p90" | "p50-p99";
  /** Series names (default "p50", "p90", "p99"). */
  names?: { p50?: string; p90?: string; p99?: string };
  /** Line colour (default Tableau blue); p90/p99 use the same hue, thinner and dashed. */
  color?: string;
}

/**
 * Draws lead-time percentiles over time.
 * @param data dates and the three percentile arrays (same length as `dates`)
 * @param options every {@link TimeSeriesChartOptions} option (defaults: `yLabel` "lead time (days)",
 *   `tooltipFormat` `",.1~f"`), plus `shade`, `names`, `color`
 * @returns a standalone `<svg>` document as a string
 * @throws {TwinError} `E_CHART` on malformed dates or lengths
 * @example
 * percentileBandChart(
 *   { dates: ["2016-01-01", "2016-01-02"], p50: [21, 22], p90: [40, 41], p99: [60, 65] },
 *   { title: "Application-to-hand-over lead time", xDomain: ["2016-01-01", "2025-12-31"] },
 * );
 */
export function percentileBandChart(data: PercentileData, options: PercentileBandChartOptions = {}): string {
  if (data === null || typeof data !== "object")
    chartError("data must be an object { dates, p50, p90, p99 }");
  const { shade = "p50-p90", names = {}, color = "#4e79a7", ...rest } = options;
  if (shade !== "none" && shade !== "p50-p90" && shade !== "p50-p99")
    chartError(`options.shade must be "none", "p50-p90" or "p50-p99", got ${JSON.stringify(shade)}`);
  const n50 = names.p50 ?? "p50";
  const n90 = names.p90 ?? "p90";
  const n99 = names.p99 ?? "p99";
  const ts: TimeSeriesData = {
    dates: data.dates,
    series: [
      { name: n50, values: data.p50, color, strokeWidth: 3 },
      { name: n90, values: data.p90, color, strokeWidth: 1.5, dash: "6 3" },
      { name: n99, values: data.p99, color, strokeWidth: 1.25, dash: "2 3" },
    ],
  };
  if (shade !== "none") {
    ts.band = {
      name: shade === "p50-p90" ? `${n50}–${n90}` : `${n50}–${n99}`,
      lower: data.p50,
      upper: shade === "p50-p90" ? data.p90 : data.p99,
      color,
      opacity: 0.15,
    };
  }
  return timeSeriesChart(ts, {
    yLabel: "lead time (days)",
    tooltipFormat: ",.1~f",
    ...rest,
  });
}
