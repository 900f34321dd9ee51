/**
 * Number formats of the dashboard's text (cards, tables, headlines): the report's own formats
 * (sim/run-format/format.ts — grouped integers, millions with one decimal, percentages with a space,
 * "–" for no value), plus the bench view's ratios and measured values.
 * @module
 */

import { fmt, finite, DASH } from "../../../sim/run-format/index.js";

/** Counts, millions, percentages, signed differences and days exactly as report.html writes them. */
export { days, int, millions, pct, signed, signedCount } from "../../../sim/run-format/index.js";

const grouped0 = fmt(",.0f");
const grouped1 = fmt(",.1f");

/** A ratio as a multiplier: "×1.84". */
export function times(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return `×${v >= 100 ? grouped0(v) : v >= 10 ? grouped1(v) : fmt(".3~r")(v)}`;
}

/** A measured value with its unit: "46,012 ops/s", "1.25 ms". */
export function measured(v: number, unit: string): string {
  const a = Math.abs(v);
  const s = a >= 1000 ? grouped0(v) : a >= 1 ? fmt(",.4~r")(v) : fmt(".3~g")(v);
  return unit ? `${s} ${unit}` : s;
}

/** Stage names as the report writes them. */
const STAGE_NAMES: Record<string, string> = {
  intake: "J-LIS application intake",
  factory: "card factory",
  jlis: "J-LIS hand-over system",
  counters: "municipal counters",
  demand: "demand (residents' applications)",
};

/** Human name of a binding-constraint stage. */
export function stageName(stage: string): string {
  return STAGE_NAMES[stage] ?? stage;
}
