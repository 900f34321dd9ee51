/**
 * Number formats of what readers show from a run (report.md, report.html, the dashboard): grouped
 * integers, millions, percentages with a space, signed differences, "–" for no value. d3-format with
 * one fixed locale (ASCII minus, comma groups), so the same number gives the same bytes everywhere.
 * @module
 */
import { formatLocale } from "d3-format";

/** Shown for a missing or non-finite value. */
export const DASH = "–";

const locale = formatLocale({ decimal: ".", thousands: ",", grouping: [3], currency: ["", ""], minus: "-" });
const cache = new Map<string, (v: number) => string>();

/** A d3-format specifier in the fixed locale, e.g. `fmt(",.1f")(1234.5)` → "1,234.5". */
export function fmt(specifier: string): (v: number) => string {
  let f = cache.get(specifier);
  if (!f) {
    f = locale.format(specifier);
    cache.set(specifier, f);
  }
  return f;
}

/** True for a finite number (not null, undefined, NaN or ±Infinity). */
export const finite = (v: number | null | undefined): v is number =>
  typeof v === "number" && Number.isFinite(v);

/** Fixed decimals, no grouping, never "-0": 0.125 (2) → "0.13". */
export const fixed = (v: number, digits: number): string => fmt(`.${digits}f`)(v);

/** Grouped with `digits` decimals: 87000000 → "87,000,000", 1234.5 (1) → "1,234.5". */
export const grouped = (v: number | null | undefined, digits = 0): string =>
  finite(v) ? fmt(`,.${digits}f`)(v) : DASH;

/** A count, rounded and grouped: "87,000,000". */
export const int = (v: number | null | undefined): string => (finite(v) ? grouped(Math.round(v)) : DASH);

/** Millions with one decimal, two below 1 M, trailing zeros dropped: "87 M", "19.3 M", "0.25 M". */
export function millions(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  const m = v / 1e6;
  return `${grouped(m, Math.abs(m) < 1 ? 2 : 1).replace(/\.0+$/, "")} M`;
}

/** A value already in percent: "7.2 %". */
export const pct = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? `${grouped(v, digits)} %` : DASH;

/** A ratio shown as percent: 0.072 → "7.2 %". */
export const ratioPct = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? pct(v * 100, digits) : DASH;

/** A signed difference: "+1.2", "-0.4", "0.0". */
export const signed = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? `${v > 0 ? "+" : ""}${grouped(v, digits)}` : DASH;

/** A signed count, rounded and grouped: "+1,234", "-56", "0". */
export const signedCount = (v: number): string => signed(Math.round(v), 0);

/** Days, whole or with one decimal. */
export const days = (v: number | null | undefined): string =>
  finite(v) ? (Number.isInteger(v) ? grouped(v) : grouped(v, 1)) : DASH;

/** A multiplier with up to two decimals: "×4", "×4.5", "×1.25". */
export const multiplier = (v: number): string => `×${finite(v) ? fmt(",.2~f")(v) : DASH}`;
