/**
 * X.509 time values (RFC 5280 §4.1.2.5, §5.1.2.4–5.1.2.6): UTCTime `YYMMDDHHMMSSZ` for years 1950–2049,
 * GeneralizedTime `YYYYMMDDHHMMSSZ` otherwise; whole seconds, always Zulu. Encoding works from epoch
 * milliseconds with integer civil-date arithmetic (no `Date` objects, no strings), so a CRL writer can
 * stamp millions of entries cheaply. Decoding accepts only real calendar instants (month 1–12, a day
 * that exists in that month, leap years by the Gregorian rule, 00:00:00–23:59:59), checked on the bytes.
 * @module
 */
import { DerError, PkiError } from "./errors.js";

/** DER tag of UTCTime. */
export const TAG_UTC_TIME = 0x17;
/** DER tag of GeneralizedTime. */
export const TAG_GENERALIZED_TIME = 0x18;

const MS_PER_DAY = 86_400_000;
/** Epoch ms of 1950-01-01T00:00:00Z. */
const UTC_MIN = -631_152_000_000;
/** Epoch ms of 2050-01-01T00:00:00Z. */
const UTC_END = 2_524_608_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Scratch for {@link civilFromDays}: [year, month, day]. */
const civil = new Int32Array(3);

/** Civil date of a day number; result in the returned shared `Int32Array` `[y, m, d]` (overwritten per call). */
export function civilFromDays(days: number): Int32Array {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  civil[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  civil[1] = m;
  civil[2] = d;
  return civil;
}

/** True when RFC 5280 requires UTCTime for this instant (years 1950 through 2049). */
export function usesUtcTime(epochMs: number): boolean {
  return epochMs >= UTC_MIN && epochMs < UTC_END;
}

/** Encoded TLV length of the time value for `epochMs`: 15 (UTCTime) or 17 (GeneralizedTime). */
export function timeTlvLength(epochMs: number): number {
  return usesUtcTime(epochMs) ? 15 : 17;
}

function put2(buf: Uint8Array, pos: number, v: number): void {
  buf[pos] = 0x30 + ((v / 10) | 0);
  buf[pos + 1] = 0x30 + (v % 10);
}

/**
 * Write the complete time TLV (tag, length, digits, `Z`) for `epochMs` (floored to the second) at `pos`.
 * The caller guarantees room for 17 bytes. Returns the position after the TLV.
 */
export function writeTimeAt(buf: Uint8Array, pos: number, epochMs: number): number {
  const utc = usesUtcTime(epochMs);
  const secs = Math.floor(epochMs / 1000);
  const days = Math.floor(secs / 86_400);
  let rem = secs - days * 86_400;
  const hh = (rem / 3600) | 0;
  rem -= hh * 3600;
  const mi = (rem / 60) | 0;
  const ss = rem - mi * 60;
  const c = civilFromDays(days);
  const y = c[0]!;
  let p = pos;
  if (utc) {
    buf[p++] = TAG_UTC_TIME;
    buf[p++] = 13;
    put2(buf, p, y % 100);
    p += 2;
  } else {
    if (y < 0 || y > 9999)
      throw new PkiError("E_PKI_INPUT", `year ${y} cannot be encoded as GeneralizedTime (0000–9999)`);
    buf[p++] = TAG_GENERALIZED_TIME;
    buf[p++] = 15;
    put2(buf, p, (y / 100) | 0);
    put2(buf, p + 2, y % 100);
    p += 4;
  }
  put2(buf, p, c[1]!);
  put2(buf, p + 2, c[2]!);
  put2(buf, p + 4, hh);
  put2(buf, p + 6, mi);
  put2(buf, p + 8, ss);
  buf[p + 10] = 0x5a; // 'Z'
  return p + 11;
}

/** Days in month `m` (1–12) of proleptic Gregorian year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const two = (buf: Uint8Array, p: number): number => (buf[p]! - 0x30) * 10 + (buf[p + 1]! - 0x30);

/** Two ASCII digits at `p` as a number, or 100 when either is not a digit (fails every range check). */
function twoOr100(buf: Uint8Array, p: number): number {
  const a = buf[p]! - 0x30;
  const b = buf[p + 1]! - 0x30;
  return a >>> 0 <= 9 && b >>> 0 <= 9 ? a * 10 + b : 100;
}

/**
 * True when `[start, end)` is a time value {@link checkTime} accepts — the same rules, as a small
 * branch-light predicate for hot loops (a CRL checks one per entry); call {@link checkTime} on false
 * to get the error.
 */
export function isValidTime(buf: Uint8Array, tag: number, start: number, end: number): boolean {
  let y: number;
  let p: number;
  if (tag === TAG_UTC_TIME && end - start === 13) {
    const yy = twoOr100(buf, start);
    if (yy > 99) return false;
    y = yy < 50 ? 2000 + yy : 1900 + yy;
    p = start + 2;
  } else if (tag === TAG_GENERALIZED_TIME && end - start === 15) {
    const cc = twoOr100(buf, start);
    const yy = twoOr100(buf, start + 2);
    if (cc > 99 || yy > 99) return false;
    y = cc * 100 + yy;
    p = start + 4;
  } else return false;
  const mo = twoOr100(buf, p);
  const d = twoOr100(buf, p + 2);
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    (d <= 28 || d <= daysInMonth(y, mo)) &&
    twoOr100(buf, p + 4) <= 23 &&
    twoOr100(buf, p + 6) <= 59 &&
    twoOr100(buf, p + 8) <= 59 &&
    buf[end - 1] === 0x5a
  );
}
const pad2 = (v: number): string => String(v).padStart(2, "0");

/**
 * Check the value bytes `[start, end)` of a UTCTime (`tag` 0x17) or GeneralizedTime (0x18) without
 * decoding it: the RFC 5280 §4.1.2.5 forms `YYMMDDHHMMSSZ` / `YYYYMMDDHHMMSSZ` (seconds present, `Z`,
 * no fractions) and a real calendar instant — month 1–12, a day that exists in that month (leap years
 * included), hour 0–23, minute and second 0–59. Allocation-free unless it throws a {@link DerError}
 * naming `what`, the offset and the offending field. Returns the year.
 */
export function checkTime(buf: Uint8Array, tag: number, start: number, end: number, what: string): number {
  const n = end - start;
  if (tag === TAG_UTC_TIME) {
    if (n !== 13) throw new DerError(what, start, `UTCTime must be YYMMDDHHMMSSZ (13 bytes), got ${n}`);
  } else if (tag === TAG_GENERALIZED_TIME) {
    if (n !== 15)
      throw new DerError(what, start, `GeneralizedTime must be YYYYMMDDHHMMSSZ (15 bytes), got ${n}`);
  } else {
    throw new DerError(
      what,
      start - 2,
      `expected UTCTime or GeneralizedTime, found tag 0x${tag.toString(16)}`,
    );
  }
  for (let k = start; k < end - 1; k++) {
    const c = buf[k]!;
    if (c < 0x30 || c > 0x39) throw new DerError(what, k, "time value has a non-digit character");
  }
  if (buf[end - 1] !== 0x5a) throw new DerError(what, end - 1, "time value must end in 'Z'");
  let y: number;
  let p: number;
  if (n === 13) {
    const yy = two(buf, start);
    y = yy >= 50 ? 1900 + yy : 2000 + yy;
    p = start + 2;
  } else {
    y = two(buf, start) * 100 + two(buf, start + 2);
    p = start + 4;
  }
  const mo = two(buf, p);
  if (mo < 1 || mo > 12) throw new DerError(what, p, `month ${pad2(mo)} is not 01–12`);
  const d = two(buf, p + 2);
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim)
    throw new DerError(what, p + 2, `day ${pad2(d)} does not exist in ${y}-${pad2(mo)} (01–${dim})`);
  if (two(buf, p + 4) > 23) throw new DerError(what, p + 4, `hour ${two(buf, p + 4)} is not 00–23`);
  if (two(buf, p + 6) > 59) throw new DerError(what, p + 6, `minute ${two(buf, p + 6)} is not 00–59`);
  if (two(buf, p + 8) > 59) throw new DerError(what, p + 8, `second ${two(buf, p + 8)} is not 00–59`);
  return y;
}

/**
 * Decode the value bytes `[start, end)` of a UTCTime or GeneralizedTime to epoch ms after
 * {@link checkTime} (RFC 5280 forms, real calendar dates).
 */
export function decodeTime(buf: Uint8Array, tag: number, start: number, end: number, what: string): number {
  const y = checkTime(buf, tag, start, end, what);
  const p = end - 11;
  const mo = two(buf, p);
  const d = two(buf, p + 2);
  const h = two(buf, p + 4);
  const mi = two(buf, p + 6);
  const s = two(buf, p + 8);
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
}
