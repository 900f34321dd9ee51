import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { parseCertificate } from "./certificate.js";
import { buildCertificate, serialFromBigInt } from "./certificate-builder.js";
import { DerReader } from "./der-reader.js";
import { Tag, contextTag, derOf } from "./der-writer.js";
import { DerError, PkiError } from "./errors.js";
import type { Extension } from "./extensions.js";
import { otherNameUtf8, subjectAltName } from "./extensions.js";
import { readJpkiSan } from "./jpki-profiles.js";
import {
  MAX_CERTIFICATE_BYTES,
  MAX_NAME_BYTES,
  MAX_OID_OCTETS,
  MAX_OID_SUBIDENTIFIER_OCTETS,
  MAX_STRING_BYTES,
} from "./limits.js";
import { decodeName, encodeName, formatName } from "./names.js";
import { OID, checkOid, decodeOid, encodeOid } from "./oids.js";
import type { GeneratedKey } from "./signer.js";
import { generateKey } from "./signer.js";
import { Scratch, openssl } from "./test-support.js";

const MB = 1 << 20;

/** The DerError `fn` throws; anything else (a RangeError, nothing) fails the test. */
function derError(fn: () => unknown): DerError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(DerError);
  return thrown as DerError;
}

/** One-RDN Name whose value is `content` under string tag `tag`, written verbatim. */
function nameWith(tag: number, content: Uint8Array, type: string = OID.serialNumber): Uint8Array {
  return derOf((w) => {
    w.begin(Tag.SEQUENCE);
    w.begin(Tag.SET);
    w.begin(Tag.SEQUENCE);
    w.oid(type);
    w.primitive(tag, content);
    w.end();
    w.end();
    w.end();
  }, content.length + 64);
}

let key: GeneratedKey;
let tmp: Scratch;
beforeAll(() => {
  key = generateKey("p256");
  tmp = new Scratch();
});
afterAll(() => tmp.dispose());

function certificate(subject: Uint8Array, extensions: readonly Extension[] = []): Uint8Array {
  return buildCertificate(
    {
      serial: serialFromBigInt(7n),
      issuer: encodeName([["CN", "limits test"]]),
      subject,
      notBefore: Date.UTC(2025, 0, 1),
      notAfter: Date.UTC(2026, 0, 1),
      spki: key.signer.spki,
      extensions,
    },
    key.signer,
  );
}

describe("OBJECT IDENTIFIER: linear decoding with bounds (issue 7)", () => {
  it("a 1 MB OID with one huge sub-identifier is rejected by MAX_OID_OCTETS before any octet is scanned", () => {
    const buf = new Uint8Array(MB + 10).fill(0xff);
    buf[MB + 9] = 0x7f;
    const e = derError(() => decodeOid(buf, 10, MB + 10, "Extension.extnID"));
    expect(e.limit).toBe(MAX_OID_OCTETS);
    expect(e.offset).toBe(10);
    expect(e.message).toBe(
      "DER error in Extension.extnID at byte 10: OBJECT IDENTIFIER of 1048576 octets exceeds the limit MAX_OID_OCTETS = 127",
    );
  });

  it("a sub-identifier longer than MAX_OID_SUBIDENTIFIER_OCTETS stops the scan at that octet", () => {
    // 0x2a, then 126 continuation octets: scanned to the end this would be "truncated"; the bound
    // stops the scan after 20 octets of the sub-identifier
    const content = new Uint8Array(127).fill(0xff);
    content[0] = 0x2a;
    const e = derError(() => decodeOid(content, 0, 127));
    expect(e.limit).toBe(MAX_OID_SUBIDENTIFIER_OCTETS);
    expect(e.offset).toBe(1);
    expect(e.message).toMatch(/longer than the limit MAX_OID_SUBIDENTIFIER_OCTETS = 20 octets/);
    // 21 octets exactly: rejected too
    const c21 = Uint8Array.of(0x2a, ...new Array<number>(20).fill(0xff), 0x7f);
    expect(derError(() => decodeOid(c21, 0, c21.length)).limit).toBe(MAX_OID_SUBIDENTIFIER_OCTETS);
  });

  it("just under the bounds decodes exactly: a 20-octet arc (2^140 - 1, as openssl asn1parse prints it) and a 127-octet OID", () => {
    const c20 = Uint8Array.of(0x2a, ...new Array<number>(19).fill(0xff), 0x7f);
    const dotted = `1.2.${(1n << 140n) - 1n}`;
    expect(decodeOid(c20, 0, c20.length)).toBe(dotted);
    const tlv = Uint8Array.of(0x06, c20.length, ...c20);
    expect(openssl("asn1parse", "-inform", "DER", "-in", tmp.file("oid20.der", tlv)).out).toContain(
      `OBJECT            :${dotted}`,
    );
    expect(encodeOid(dotted)).toEqual(tlv);
    // 127 octets: 1.2 then 126 arcs
    const c127 = new Uint8Array(127).fill(0x05);
    c127[0] = 0x2a;
    expect(decodeOid(c127, 0, 127)).toBe(`1.2${".5".repeat(126)}`);
    expect(derError(() => decodeOid(new Uint8Array(128).fill(0x05), 0, 128)).limit).toBe(MAX_OID_OCTETS);
    // the first sub-identifier as a big number (2.25.<UUID> style) still splits into two arcs
    const uuid = encodeOid("2.25.329800735698586629295641978511506172918");
    expect(decodeOid(uuid, 2, uuid.length)).toBe("2.25.329800735698586629295641978511506172918");
  });

  it("the writer refuses what the reader would reject", () => {
    expect(() => encodeOid(`1.2.${1n << 140n}`)).toThrow(PkiError);
    expect(encodeOid(`1.2${".5".repeat(126)}`)).toHaveLength(129);
    expect(() => encodeOid(`1.2${".5".repeat(127)}`)).toThrow(/MAX_OID_OCTETS = 127/);
  });
});

describe("directory strings, Names and J-LIS subjectAltName values (issue 7)", () => {
  it("a ≈1 MB PrintableString Name gives a typed error from decodeName and formatName, not a RangeError", () => {
    const name = nameWith(0x13, new Uint8Array(MB).fill(0x41));
    for (const f of [decodeName, formatName]) {
      const e = derError(() => f(name));
      expect(e.limit).toBe(MAX_NAME_BYTES);
      expect(e.message).toMatch(/exceeds the limit MAX_NAME_BYTES = 65536 bytes/);
    }
    // under the Name bound, the string bound applies
    const e = derError(() => decodeName(nameWith(0x13, new Uint8Array(60_000).fill(0x41))));
    expect(e.limit).toBe(MAX_STRING_BYTES);
    expect(e.what).toBe("Name.rdn.atv.value");
    expect(e.message).toMatch(/string of 60000 bytes exceeds the limit MAX_STRING_BYTES = 4096/);
  });

  it("every string type decodes up to MAX_STRING_BYTES and is rejected one byte beyond", () => {
    const ascii = (n: number): Uint8Array => new Uint8Array(n).fill(0x41);
    for (const tag of [0x0c, 0x13, 0x14, 0x16]) {
      expect(decodeName(nameWith(tag, ascii(MAX_STRING_BYTES)))).toEqual([
        ["serialNumber", "A".repeat(4096)],
      ]);
      expect(derError(() => decodeName(nameWith(tag, ascii(MAX_STRING_BYTES + 1)))).limit).toBe(
        MAX_STRING_BYTES,
      );
    }
    const bmp = new Uint8Array(MAX_STRING_BYTES);
    for (let i = 0; i < bmp.length; i += 2) bmp.set([0x65, 0xe5], i); // 日
    expect(decodeName(nameWith(0x1e, bmp))).toEqual([["serialNumber", "日".repeat(2048)]]);
    expect(derError(() => decodeName(nameWith(0x1e, new Uint8Array(MAX_STRING_BYTES + 2)))).limit).toBe(
      MAX_STRING_BYTES,
    );
  });

  it("a ≈1 MB PrintableString in a J-LIS otherName: readJpkiSan throws DerError; a certificate carrying it is over MAX_CERTIFICATE_BYTES", () => {
    const big = new Uint8Array(MB).fill(0x41);
    const otherName = derOf((w) => {
      w.begin(contextTag(0, true));
      w.oid(OID.jpkiName);
      w.begin(contextTag(0, true));
      w.primitive(0x13, big);
      w.end();
      w.end();
    }, MB + 64);
    const small = parseCertificate(
      certificate(encodeName([["CN", "x"]]), [subjectAltName([otherNameUtf8(OID.jpkiName, "山田")])]),
    );
    expect(readJpkiSan(small)).toEqual({ name: "山田" });
    const e = derError(() => readJpkiSan({ ...small, subjectAltNames: [otherName] }));
    expect(e.limit).toBe(MAX_STRING_BYTES);
    expect(e.what).toBe("otherName.value");

    const der = certificate(encodeName([["CN", "x"]]), [subjectAltName([otherName])]);
    const ce = derError(() => parseCertificate(der));
    expect(ce.limit).toBe(MAX_CERTIFICATE_BYTES);
    expect(ce.message).toMatch(/input of \d+ bytes exceeds the limit MAX_CERTIFICATE_BYTES = 65536 bytes/);
    // the ≈1 MB PrintableString subject: rejected by parseCertificate (before the fix it was accepted
    // and decodeName threw a RangeError)
    const subj = nameWith(0x13, big);
    expect(derError(() => parseCertificate(certificate(subj))).limit).toBe(MAX_CERTIFICATE_BYTES);
  });

  it("certificates up to MAX_CERTIFICATE_BYTES parse; readJpkiSan on a 60 KB value is a typed error", () => {
    const value = "A".repeat(60_000);
    const der = certificate(encodeName([["CN", "x"]]), [
      subjectAltName([otherNameUtf8(OID.jpkiAddress, value)]),
    ]);
    expect(der.length).toBeGreaterThan(60_000);
    expect(der.length).toBeLessThanOrEqual(MAX_CERTIFICATE_BYTES);
    const c = parseCertificate(der);
    expect(derError(() => readJpkiSan(c)).limit).toBe(MAX_STRING_BYTES);
    const ok = parseCertificate(
      certificate(encodeName([["CN", "x"]]), [
        subjectAltName([otherNameUtf8(OID.jpkiAddress, "東".repeat(1365))]),
      ]),
    );
    expect(readJpkiSan(ok).address).toBe("東".repeat(1365)); // 4095 UTF-8 bytes
  });
});

describe("parsers check Names when they accept them", () => {
  it("parseCertificate rejects an issuer or subject that decodeName would reject (5,000-byte CN, bad UTF-8)", () => {
    const long = nameWith(0x0c, new Uint8Array(5000).fill(0x41), OID.commonName);
    const e = derError(() => parseCertificate(certificate(long)));
    expect(e.what).toBe("TBSCertificate.subject.rdn.atv.value");
    expect(e.limit).toBe(MAX_STRING_BYTES);
    const badUtf8 = nameWith(0x0c, Uint8Array.of(0x41, 0xc3, 0x28), OID.commonName);
    expect(derError(() => parseCertificate(certificate(badUtf8))).message).toMatch(
      /TBSCertificate\.subject\.rdn\.atv\.value at byte \d+: UTF8String is not valid UTF-8/,
    );
    const badOid = derOf((w) => {
      w.begin(Tag.SEQUENCE);
      w.begin(Tag.SET);
      w.begin(Tag.SEQUENCE);
      w.primitive(Tag.OID, Uint8Array.of(0x55, 0x84));
      w.utf8String("x");
      w.end();
      w.end();
      w.end();
    });
    expect(derError(() => parseCertificate(certificate(badOid))).message).toMatch(
      /TBSCertificate\.subject\.rdn\.atv\.type .*truncated OID sub-identifier/,
    );
    // what it accepts, formatName displays
    const ok = parseCertificate(certificate(nameWith(0x0c, new Uint8Array(4096).fill(0x42), OID.commonName)));
    expect(formatName(ok.subject)).toBe(`CN=${"B".repeat(4096)}`);
  });

  it("checkOid and checkString accept exactly what decodeOid and string() decode (5,000 seeded random values)", () => {
    const rnd = mulberry32(690);
    const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });
    const mismatches: string[] = [];
    const throwsDer = (fn: () => unknown): boolean => {
      try {
        fn();
        return false;
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
        return true;
      }
    };
    for (let i = 0; i < 5_000; i++) {
      const n = randomInt(rnd, i % 50 === 0 ? 200 : 24);
      const bytes = Uint8Array.from({ length: n }, () =>
        rnd() < 0.5
          ? randomInt(rnd, 256)
          : [0x80, 0xff, 0x7f, 0x41, 0xc3, 0xa9, 0xe6, 0x00][randomInt(rnd, 8)]!,
      );
      if (throwsDer(() => checkOid(bytes, 0, n)) !== throwsDer(() => decodeOid(bytes, 0, n)))
        mismatches.push(`oid ${Buffer.from(bytes).toString("hex")}`);
      for (const tag of [0x0c, 0x13, 0x1e]) {
        const der = derOf((w) => w.primitive(tag, bytes), n + 8);
        const r = new DerReader(der);
        r.read(0, der.length, "s");
        const strict = throwsDer(() => r.checkString("s"));
        const decoded = throwsDer(() => r.string("s"));
        let reference = false;
        try {
          fatalUtf8.decode(bytes);
        } catch {
          reference = true;
        }
        if (strict !== decoded || (tag === 0x0c && strict !== reference))
          mismatches.push(`string ${tag} ${Buffer.from(bytes).toString("hex")}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe("INTEGERs and extension lists: no super-linear work (issue 7)", () => {
  it("small() rejects long, negative and unsafe values before arithmetic; bigint() is exact on long INTEGERs", () => {
    const int = (content: Uint8Array): DerReader => {
      const der = derOf((w) => w.primitive(Tag.INTEGER, content), content.length + 8);
      const r = new DerReader(der);
      r.expect(0, der.length, Tag.INTEGER, "n");
      return r;
    };
    expect(int(Uint8Array.of(0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)).small("n")).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(() => int(Uint8Array.of(0x20, 0, 0, 0, 0, 0, 0)).small("n")).toThrow(/out of range/);
    expect(() => int(Uint8Array.of(0x80)).small("n")).toThrow(/negative/);
    const long = new Uint8Array(100_000).fill(0x5a);
    const e = derError(() => int(long).small("version"));
    expect(e.message).toMatch(/value of 100000 octets out of range/);
    expect(int(long).bigint("n")).toBe(BigInt(`0x${"5a".repeat(100_000)}`));
    expect(int(Uint8Array.of(0xff, 0x7f)).bigint("n")).toBe(-129n);
  });

  it("duplicate extensions are found in long lists too (a set replaces the scan beyond 8)", () => {
    const exts: Extension[] = Array.from({ length: 3000 }, (_, i) => ({
      oid: `1.2.3.${i}`,
      critical: false,
      value: Uint8Array.of(5, 0),
    }));
    expect(parseCertificate(certificate(encodeName([["CN", "x"]]), exts)).extensions).toHaveLength(3000);
    for (const dupAt of [1, 5, 2999]) {
      const withDup = [...exts.slice(0, dupAt), exts[0]!, ...exts.slice(dupAt)];
      expect(() => parseCertificate(certificate(encodeName([["CN", "x"]]), withDup))).toThrow(
        /duplicate extension 1\.2\.3\.0/,
      );
    }
  });
});
