import { describe, expect, it } from "vitest";
import { DerReader, bytesEqual, toHex } from "./der-reader.js";
import { DerWriter, Tag, derOf } from "./der-writer.js";
import { DerError, PkiError } from "./errors.js";
import { InputError, TwinError } from "../../engine/errors.js";
import { decodeName, encodeName, formatName } from "./names.js";
import { decodeOid, encodeOid } from "./oids.js";
import { decodeTime } from "./time.js";

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("DerWriter", () => {
  it("encodes primitives per X.690 DER", () => {
    expect(toHex(derOf((w) => w.integer(0)))).toBe("020100");
    expect(toHex(derOf((w) => w.integer(127)))).toBe("02017f");
    expect(toHex(derOf((w) => w.integer(128)))).toBe("02020080");
    expect(toHex(derOf((w) => w.integer(-129)))).toBe("0202ff7f");
    expect(toHex(derOf((w) => w.unsigned(hex("00 00 80 01"))))).toBe("0203008001");
    expect(toHex(derOf((w) => w.unsigned(hex("7f ff"))))).toBe("02027fff");
    expect(toHex(derOf((w) => w.boolean(true)))).toBe("0101ff");
    expect(toHex(derOf((w) => w.null()))).toBe("0500");
    expect(toHex(derOf((w) => w.bitString(hex("06"), 1)))).toBe("03020106");
    expect(toHex(derOf((w) => w.oid("1.2.840.113549.1.1.11")))).toBe("06092a864886f70d01010b");
    expect(toHex(derOf((w) => w.utf8String("日本")))).toBe("0c06e697a5e69cac");
    expect(() => derOf((w) => w.printableString("日本"))).toThrow(PkiError);
  });

  it("uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)", () => {
    const t2049 = Date.UTC(2049, 11, 31, 23, 59, 59);
    const t2050 = Date.UTC(2050, 0, 1, 0, 0, 0);
    expect(Buffer.from(derOf((w) => w.time(t2049))).toString("latin1")).toBe("\x17\x0d491231235959Z");
    expect(Buffer.from(derOf((w) => w.time(t2050))).toString("latin1")).toBe("\x18\x0f20500101000000Z");
    expect(Buffer.from(derOf((w) => w.time(Date.UTC(1950, 0, 1)))).toString("latin1")).toBe(
      "\x17\x0d500101000000Z",
    );
    for (const t of [t2049, t2050, Date.UTC(2000, 1, 29, 12, 0, 1), Date.UTC(1969, 6, 20, 20, 17, 40)]) {
      const der = derOf((w) => w.time(t));
      expect(decodeTime(der, der[0]!, 2, der.length, "t")).toBe(t);
    }
  });

  it("back-patches lengths across the short/long boundary, with and without hints", () => {
    for (const n of [0, 1, 127, 128, 255, 256, 65_535, 65_536, 70_000]) {
      for (const hint of [0, n, 200, 70_000]) {
        const w = new DerWriter(16);
        w.begin(Tag.SEQUENCE, hint);
        w.octetString(new Uint8Array(n));
        w.end();
        const der = w.finish();
        const r = new DerReader(der);
        const end = r.expect(0, der.length, Tag.SEQUENCE, "seq");
        expect(end).toBe(der.length);
        r.expect(r.valueStart, end, Tag.OCTET_STRING, "os");
        expect(r.valueEnd - r.valueStart).toBe(n);
      }
    }
  });

  it("round-trips OIDs, including large arcs", () => {
    for (const o of [
      "2.5.29.19",
      "1.2.392.200149.8.5.5.1",
      "2.999.3",
      "1.3.6.1.4.1.311.21.20",
      "2.25.329800735698586629295641978511506172918",
    ])
      expect(decodeOid(encodeOid(o), 2, encodeOid(o).length)).toBe(o);
    expect(encodeOid("2.5.29.19")).toBe(encodeOid("2.5.29.19")); // cached
    expect(() => encodeOid("3.1")).toThrow(PkiError);
  });

  it("round-trips JPKI names", () => {
    const n = encodeName([
      ["C", "JP"],
      ["O", "JPKI"],
      ["OU", "JPKI for digital signature"],
      ["OU", "Japan Agency for Local Authority Information Systems"],
    ]);
    expect(formatName(n)).toBe(
      "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems",
    );
    expect(decodeName(encodeName([["L", "清瀬市"]]))).toEqual([["L", "清瀬市"]]);
  });
});

describe("DerReader strictness", () => {
  const fails = (bytes: Uint8Array, offset: number, pattern: RegExp): void => {
    const r = new DerReader(bytes);
    let err: unknown;
    try {
      const end = r.read(0, bytes.length, "test");
      if (r.tag === Tag.INTEGER) r.checkInteger("test");
      if (r.tag === Tag.BOOLEAN) r.boolean("test");
      r.done(end, bytes.length, "test");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DerError);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toBeInstanceOf(TwinError);
    const de = err as DerError;
    expect(de.code).toBe("E_DER");
    expect(de.offset).toBe(offset);
    expect(de.message).toMatch(pattern);
  };

  it("rejects truncation, bad lengths, trailing bytes and non-DER forms with the offset", () => {
    fails(hex(""), 0, /truncated/);
    fails(hex("30"), 1, /missing length/);
    fails(hex("30 05 02 01 00"), 0, /length 5 exceeds the 3 bytes/);
    fails(hex("30 80 00 00"), 1, /indefinite length/);
    fails(hex("04 81 05 0102030405"), 1, /non-minimal length: 5/);
    fails(hex("04 82 00 80"), 2, /leading zero/);
    fails(hex("04 85 01 00 00 00 00"), 1, /5 octets/);
    fails(hex("1f 81 00"), 0, /high-tag-number/);
    fails(hex("02 01 00 ff"), 3, /1 unexpected trailing byte/);
    fails(hex("02 02 00 7f"), 2, /not minimally encoded/);
    fails(hex("02 00"), 2, /no content/);
    fails(hex("01 01 01"), 2, /not DER/);
  });

  it("names the field in the message", () => {
    const r = new DerReader(hex("31 00"));
    expect(() => r.expect(0, 2, Tag.SEQUENCE, "TBSCertificate.issuer")).toThrow(
      /TBSCertificate\.issuer at byte 0: expected tag 0x30, found 0x31/,
    );
  });

  it("checks time syntax", () => {
    const bad = Buffer.from("\x17\x0b4912312359Z", "latin1");
    expect(() => decodeTime(bad, 0x17, 2, bad.length, "notAfter")).toThrow(DerError);
    const frac = Buffer.from("\x18\x1220500101000000.5Z", "latin1");
    expect(() => decodeTime(frac, 0x18, 2, frac.length, "notAfter")).toThrow(/YYYYMMDDHHMMSSZ/);
  });

  it("compares bytes", () => {
    expect(bytesEqual(hex("0102"), hex("0102"))).toBe(true);
    expect(bytesEqual(hex("0102"), hex("0103"))).toBe(false);
  });
});
