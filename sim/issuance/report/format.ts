/**
 * Number and name formats of the issuance report: the run-output format's shared number formats
 * (d3-format, one fixed locale — sim/run-format/format.ts) plus the report's own words for stages,
 * ordinals and outage lengths. No locale, no clock: the same bytes everywhere.
 * @module
 */
import { parseIsoDateTime } from "../../../engine/calendar.js";
import { DASH, days, int } from "../../run-format/index.js";
import type { Stage } from "../model.js";

export {
  DASH,
  days,
  finite,
  fixed,
  grouped,
  int,
  millions,
  multiplier as times,
  pct,
  ratioPct,
  signed,
  signedCount,
} from "../../run-format/index.js";

/** The report's names of the stages that can bind (and of demand). */
export const STAGE_NAMES: Record<Stage | "demand", string> = {
  intake: "J-LIS application intake",
  factory: "card factory (manufacture and personalisation)",
  jlis: "J-LIS hand-over system",
  counters: "municipal counters",
  demand: "demand (residents' applications)",
};

/** Minutes between two `YYYY-MM-DDTHH:MM` times, grouped; "–" when either does not parse. */
export function outageMinutes(start: string, end: string): string {
  try {
    return int((parseIsoDateTime(end) - parseIsoDateTime(start)) * 1440);
  } catch {
    return DASH;
  }
}

/** "5th", "21st"; a fractional year as "2.5-year". */
export function ordinal(n: number): string {
  if (!Number.isInteger(n)) return `${days(n)}-year`;
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}
