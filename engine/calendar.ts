/**
 * Calendar arithmetic on epoch days (whole days since 1970-01-01, UTC), the simulation's time unit
 * for daily models. No time zones, no wall clock: ISO 8601 dates in, integers out.
 * @module
 */
import { InputError } from "./errors.js";

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * True when `text` is `YYYY-MM-DD` and a real day of the proleptic Gregorian calendar ("2019-13-45"
 * and "1990-02-30" are not). The project's one date check: parsers, schemas and views use it.
 */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= last;
}

/** Epoch day of a date already checked by {@link isCalendarDate} (no validation: hot paths). */
export function epochDayOf(isoDate: string): number {
  return (
    Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) /
    MS_PER_DAY
  );
}

/** Parses `YYYY-MM-DD` to an epoch day. @throws InputError naming `what` on a malformed or impossible date. */
export function parseIsoDate(text: string, what = "date"): number {
  if (!ISO_DATE.test(text))
    throw new InputError(`${what}: expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  if (!isCalendarDate(text)) throw new InputError(`${what}: ${text} is not a calendar date`);
  return epochDayOf(text);
}

/**
 * Parses `YYYY-MM-DDTHH:MM[:SS]` (Japan local time is the caller's convention; no zone is applied)
 * to fractional epoch days. @throws InputError naming `what`.
 */
export function parseIsoDateTime(text: string, what = "time"): number {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) throw new InputError(`${what}: expected a time YYYY-MM-DDTHH:MM, got ${JSON.stringify(text)}`);
  const day = parseIsoDate(`${m[1]}-${m[2]}-${m[3]}`, what);
  const h = Number(m[4]);
  const min = Number(m[5]);
  const s = Number(m[6] ?? 0);
  if (h > 23 || min > 59 || s > 59) throw new InputError(`${what}: ${text} is not a valid time of day`);
  return day + (h * 3600 + min * 60 + s) / 86_400;
}

/** Formats an epoch day as `YYYY-MM-DD`. */
export function formatIsoDate(epochDay: number): string {
  return new Date(Math.floor(epochDay) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of week of an epoch day: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(epochDay: number): number {
  return (((Math.floor(epochDay) + 4) % 7) + 7) % 7;
}

/** Adds whole calendar years (clamping Feb 29 to Feb 28). */
export function addYears(epochDay: number, years: number): number {
  const d = new Date(Math.floor(epochDay) * MS_PER_DAY);
  const y = d.getUTCFullYear() + years;
  const m = d.getUTCMonth();
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return Date.UTC(y, m, day) / MS_PER_DAY;
}
