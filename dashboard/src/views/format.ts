/**
 * Number and date formats of the dashboard's text (cards, tables, headlines), kept in step with the
 * report writer: grouped integers, millions with one decimal, percentages with a space, "–" for no value.
 * @module
 */

import { format } from "d3-format";

const DASH = "–";
const grouped0 = format(",.0f");
const grouped1 = format(",.1f");
const grouped2 = format(",.2f");

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** A count, rounded and grouped: 87,000,000. */
export function int(v: number | null | undefined): string {
  return finite(v) ? grouped0(Math.round(v)).replace(/^-0$/, "0") : DASH;
}

/** Millions: "87 M", "19.3 M", "0.25 M". */
export function millions(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  const m = v / 1e6;
  return `${(Math.abs(m) < 1 ? grouped2(m) : grouped1(m)).replace(/\.0+$/, "")} M`;
}

/** A value already in percent: "7.2 %". */
export function pct(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${format(`,.${digits}f`)(v)} %` : DASH;
}

/** Signed value: "+1.20". */
export function signed(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${v > 0 ? "+" : ""}${format(`,.${digits}f`)(v)}` : DASH;
}

/** Days, whole or with one decimal. */
export function days(v: number | null | undefined): string {
  return finite(v) ? (Number.isInteger(v) ? grouped0(v) : grouped1(v)) : DASH;
}

/** A ratio as a multiplier: "×1.84". */
export function times(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return `×${v >= 100 ? grouped0(v) : v >= 10 ? grouped1(v) : format(".3~r")(v)}`;
}

/** A measured value with its unit: "46,012 ops/s", "1.25 ms". */
export function measured(v: number, unit: string): string {
  const a = Math.abs(v);
  const s = a >= 1000 ? grouped0(v) : a >= 1 ? format(",.4~r")(v) : format(".3~g")(v);
  return unit ? `${s} ${unit}` : s;
}

/** Stage names as the report writes them. */
export const STAGE_NAMES: Record<string, string> = {
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
