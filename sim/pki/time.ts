/**
 * X.509 time values (RFC 5280 §4.1.2.5, §5.1.2.4–5.1.2.6): UTCTime `YYMMDDHHMMSSZ` for years 1950–2049,
 * GeneralizedTime `YYYYMMDDHHMMSSZ` otherwise; whole seconds, always Zulu. Encoding works from epoch
 * milliseconds with integer civil-date arithmetic (no `Date` objects, no strings), so a CRL writer can
 * stamp millions of entries cheaply.
 * @module
 */
import { DerError } from "./errors.js";

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
    if (y < 0 || y > 9999) throw new RangeError(`year ${y} cannot be encoded as GeneralizedTime`);
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

function digits(buf: Uint8Array, pos: number, n: number, what: string): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[pos + i]! - 0x30;
    if (c < 0 || c > 9) throw new DerError(what, pos + i, "time value has a non-digit character");
    v = v * 10 + c;
  }
  return v;
}

/**
 * Decode the value bytes `[start, end)` of a UTCTime or GeneralizedTime to epoch ms, enforcing the
 * RFC 5280 forms (seconds present, `Z`, no fractions).
 */
export function decodeTime(buf: Uint8Array, tag: number, start: number, end: number, what: string): number {
  let y: number;
  let p = start;
  if (tag === TAG_UTC_TIME) {
    if (end - start !== 13)
      throw new DerError(what, start, `UTCTime must be YYMMDDHHMMSSZ (13 bytes), got ${end - start}`);
    const yy = digits(buf, p, 2, what);
    y = yy >= 50 ? 1900 + yy : 2000 + yy;
    p += 2;
  } else if (tag === TAG_GENERALIZED_TIME) {
    if (end - start !== 15)
      throw new DerError(
        what,
        start,
        `GeneralizedTime must be YYYYMMDDHHMMSSZ (15 bytes), got ${end - start}`,
      );
    y = digits(buf, p, 4, what);
    p += 4;
  } else {
    throw new DerError(
      what,
      start - 2,
      `expected UTCTime or GeneralizedTime, found tag 0x${tag.toString(16)}`,
    );
  }
  const mo = digits(buf, p, 2, what);
  const d = digits(buf, p + 2, 2, what);
  const h = digits(buf, p + 4, 2, what);
  const mi = digits(buf, p + 6, 2, what);
  const s = digits(buf, p + 8, 2, what);
  if (buf[p + 10] !== 0x5a) throw new DerError(what, p + 10, "time value must end in 'Z'");
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    throw new DerError(what, start, "time value out of range");
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
}
