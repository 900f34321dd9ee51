import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { DerError, PkiError } from "./errors.js";
import {
  TAG_GENERALIZED_TIME,
  TAG_UTC_TIME,
  checkTime,
  daysInMonth,
  decodeTime,
  isValidTime,
  writeTimeAt,
} from "./time.js";

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "latin1"));
const p2 = (n: number): string => String(n).padStart(2, "0");

/** The instant `Date.UTC` gives for these fields, or undefined when it rolls them over (30 Feb → 2 Mar). */
function realInstant(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (y < 100) back.setUTCFullYear(y);
  return back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s
    ? t
    : undefined;
}

describe("X.509 times are real calendar instants (RFC 5280 §4.1.2.5; issue 7)", () => {
  it("UTCTime: every (year 1950–2049, month 0–13, day 0–32) is accepted exactly when it is a real date", () => {
    let accepted = 0;
    const wrong: string[] = [];
    const tryDecode = (v: Uint8Array): number | undefined => {
      try {
        return decodeTime(v, TAG_UTC_TIME, 0, 13, "t");
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
        return undefined;
      }
    };
    for (let y = 1950; y < 2050; y++)
      for (let mo = 0; mo <= 13; mo++)
        for (let d = 0; d <= 32; d++) {
          const text = `${p2(y % 100)}${p2(mo)}${p2(d)}120000Z`;
          const want = mo >= 1 && mo <= 12 ? realInstant(y, mo, d, 12, 0, 0) : undefined;
          const got = tryDecode(bytes(text));
          if (got !== want) wrong.push(`${text}: ${got} != ${want}`);
          if (got !== undefined) accepted++;
        }
    expect(wrong).toEqual([]);
    expect(accepted).toBe(36_524 + 1); // the days of 1950–2049 (25 leap years)
  });

  it("GeneralizedTime: leap years by the Gregorian rule, checked on 2,000 seeded random fields", () => {
    expect([1900, 2000, 2024, 2100, 2400].map((y) => daysInMonth(y, 2))).toEqual([28, 29, 29, 28, 29]);
    const rnd = mulberry32(20_240_229);
    for (let i = 0; i < 2000; i++) {
      const [y, mo, d, h, mi, s] = [
        1600 + randomInt(rnd, 1000),
        1 + randomInt(rnd, 12),
        1 + randomInt(rnd, 31),
        randomInt(rnd, 25),
        randomInt(rnd, 61),
        randomInt(rnd, 61),
      ] as const;
      const v = bytes(`${y}${p2(mo)}${p2(d)}${p2(h)}${p2(mi)}${p2(s)}Z`);
      const want = realInstant(y, mo, d, h, mi, s);
      if (want === undefined || s === 60)
        expect(() => decodeTime(v, TAG_GENERALIZED_TIME, 0, 15, "t")).toThrow(DerError);
      else expect(decodeTime(v, TAG_GENERALIZED_TIME, 0, 15, "t")).toBe(want);
    }
  });

  it("isValidTime (the CRL hot path) agrees with checkTime on 30,000 seeded near-valid values", () => {
    const rnd = mulberry32(5280);
    const accepts = (v: Uint8Array, tag: number): boolean => {
      try {
        checkTime(v, tag, 0, v.length, "t");
        return true;
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
        return false;
      }
    };
    let valid = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const tag = rnd() < 0.5 ? TAG_UTC_TIME : TAG_GENERALIZED_TIME;
      const fields = [
        randomInt(rnd, 100),
        1 + randomInt(rnd, 13),
        randomInt(rnd, 32),
        randomInt(rnd, 25),
        randomInt(rnd, 61),
        randomInt(rnd, 61),
      ];
      let text =
        (tag === TAG_GENERALIZED_TIME ? p2(randomInt(rnd, 100)) : "") + fields.map(p2).join("") + "Z";
      const k = randomInt(rnd, 8);
      if (k === 0)
        text =
          text.slice(0, randomInt(rnd, text.length)) +
          String.fromCharCode(randomInt(rnd, 128)) +
          text.slice(randomInt(rnd, text.length) + 1);
      else if (k === 1) text = text.slice(0, -1) + (rnd() < 0.5 ? "z" : "0Z");
      const v = bytes(text);
      const ok = accepts(v, tag);
      if (isValidTime(v, tag, 0, v.length) !== ok) mismatches.push(`${tag} ${text}`);
      if (ok) valid++;
    }
    expect(mismatches).toEqual([]);
    expect(valid).toBeGreaterThan(3_000);
    expect(valid).toBeLessThan(27_000);
  });

  it("the writer refuses years GeneralizedTime cannot hold with a typed error", () => {
    const buf = new Uint8Array(17);
    expect(() => writeTimeAt(buf, 0, Date.UTC(10_000, 0, 1))).toThrow(PkiError);
    expect(() => writeTimeAt(buf, 0, Date.UTC(-1, 0, 1))).toThrow(/year -1 cannot be encoded/);
    expect(writeTimeAt(buf, 0, Date.UTC(9999, 11, 31, 23, 59, 59))).toBe(17);
    expect(decodeTime(buf, buf[0]!, 2, 17, "t")).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
  });

  it("names the field, the offset and what was wrong", () => {
    const err = (s: string, tag = TAG_UTC_TIME): DerError => {
      try {
        checkTime(bytes(s), tag, 0, s.length, "TBSCertList.thisUpdate");
      } catch (e) {
        return e as DerError;
      }
      throw new Error("accepted");
    };
    expect(err("250230120000Z").message).toBe(
      "DER error in TBSCertList.thisUpdate at byte 4: day 30 does not exist in 2025-02 (01–28)",
    );
    expect(err("241301000000Z").message).toMatch(/at byte 2: month 13 is not 01–12/);
    expect(err("241201000000+0900").message).toMatch(/got 17/);
    expect(err("2412010000000Z").message).toMatch(/YYMMDDHHMMSSZ \(13 bytes\), got 14/);
    expect(err("241201000000z").message).toMatch(/at byte 12: time value must end in 'Z'/);
    expect(err("20241201000000.5Z", TAG_GENERALIZED_TIME).message).toMatch(
      /YYYYMMDDHHMMSSZ \(15 bytes\), got 17/,
    );
    expect(err("24120100000aZ").message).toMatch(/at byte 11: time value has a non-digit character/);
    expect(checkTime(bytes("491231235959Z"), TAG_UTC_TIME, 0, 13, "t")).toBe(2049);
  });
});
