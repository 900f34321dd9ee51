/**
 * The arithmetic of a shared date crosshair over time charts drawn by `_time.ts` (the dashboard's
 * instant readout): reading a chart's plot box and x domain from its root `data-plot` and
 * `data-x-domain` attributes, turning an x position into a day and back, and picking, among a
 * chart's tooltip strips (`data-date`), the one that holds a day. Pure functions, no DOM: the page
 * passes attribute strings and numbers in.
 * @module
 */

import { chartError } from "./_svg.js";
import { DAY_MS, formatDay, parseDay } from "./_time.js";

/** Plot box and x domain of one time chart, in viewBox units and epoch-ms days. */
export interface CrosshairFrame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** First and last day of the x domain (ms at UTC midnight). */
  t0: number;
  t1: number;
}

/**
 * Reads a chart's frame from its root attributes.
 * @throws {TwinError} `E_CHART` when either attribute is missing or malformed
 */
export function crosshairFrame(plot: string | null, xDomain: string | null): CrosshairFrame {
  const p = (plot ?? "").trim().split(/\s+/).map(Number);
  if (p.length !== 4 || p.some((v) => !Number.isFinite(v)) || p[2]! <= p[0]! || p[3]! <= p[1]!)
    chartError(`data-plot must be "left top right bottom", got ${JSON.stringify(plot)}`);
  const d = (xDomain ?? "").trim().split(/\s+/);
  if (d.length !== 2) chartError(`data-x-domain must be "first last", got ${JSON.stringify(xDomain)}`);
  const t0 = parseDay(d[0]!, "data-x-domain[0]");
  const t1 = parseDay(d[1]!, "data-x-domain[1]");
  if (t1 < t0) chartError(`data-x-domain must be increasing, got ${JSON.stringify(xDomain)}`);
  return { left: p[0]!, top: p[1]!, right: p[2]!, bottom: p[3]!, t0, t1 };
}

/** The day under viewBox x (clamped into the domain), as ISO `YYYY-MM-DD`. */
export function dayAtX(f: CrosshairFrame, x: number): string {
  const u = f.right > f.left ? (x - f.left) / (f.right - f.left) : 0;
  const t = f.t0 + Math.min(1, Math.max(0, u)) * (f.t1 - f.t0);
  return formatDay(Math.round(t / DAY_MS) * DAY_MS);
}

/** The viewBox x of an ISO day (may fall outside the plot when the day is outside the domain). */
export function xOfDay(f: CrosshairFrame, day: string): number {
  const t = parseDay(day, "day");
  if (f.t1 === f.t0) return (f.left + f.right) / 2;
  return f.left + ((t - f.t0) / (f.t1 - f.t0)) * (f.right - f.left);
}

/**
 * Index of the strip that holds `day` among strips whose days are sorted ascending: the last strip
 * dated on or before the day (strips are representative days of runs of days), else the first;
 * -1 when there is no strip.
 */
export function stripFor(stripDays: readonly string[], day: string): number {
  if (stripDays.length === 0) return -1;
  let lo = 0;
  let hi = stripDays.length - 1;
  if (day < (stripDays[0] as string)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((stripDays[mid] as string) <= day) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The day `steps` days from `day` (negative: earlier), clamped into the frame's domain. */
export function stepDay(f: CrosshairFrame, day: string, steps: number): string {
  const t = parseDay(day, "day") + Math.round(steps) * DAY_MS;
  return formatDay(Math.min(f.t1, Math.max(f.t0, t)));
}
