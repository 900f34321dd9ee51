import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateView } from "./certificate.js";
import { parseCertificate } from "./certificate.js";
import { appendSignature, randomSerial, serialFromBigInt } from "./certificate-builder.js";
import type { CrlSpec } from "./crl-builder.js";
import { CrlReason, NO_REASON, RevokedEntriesBuilder, buildCrl } from "./crl-builder.js";
import { REASON_ABSENT, isCrlReason, parseCrl, verifyCrlSignature } from "./crl-index.js";
import { DerReader } from "./der-reader.js";
import { DerWriter, Tag, contextTag, derOf } from "./der-writer.js";
import { DerError, PkiError } from "./errors.js";
import { authorityKeyIdentifier, crlNumber } from "./extensions.js";
import type { JpkiRoot } from "./jpki-profiles.js";
import {
  createJpkiRoot,
  crlPartitionName,
  issueAuthenticationCertificate,
  partitionLabel,
  serialPartition,
} from "./jpki-profiles.js";
import { MAX_CRL_BYTES, MAX_OID_OCTETS } from "./limits.js";
import { OID, encodeOid } from "./oids.js";
import { validatePath } from "./path-validation.js";
import type { GeneratedKey } from "./signer.js";
import { generateKey, writeAlgorithmIdentifier } from "./signer.js";
import { Scratch, openssl, pem } from "./test-support.js";

const NOW = Date.now();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let rootKey: GeneratedKey;
let otherKey: GeneratedKey;
let eeKey: GeneratedKey;
let root: JpkiRoot;
let otherGen: JpkiRoot;
let tmp: Scratch;
let rootPem: string;

interface Card {
  der: Uint8Array;
  view: CertificateView;
  file: string;
}
const cards: Card[] = [];

function card(i: number, partition?: string): Card {
  const der = issueAuthenticationCertificate({
    issuer: root,
    spki: eeKey.signer.spki,
    issuedAt: NOW - HOUR,
    birthDate: "1985-04-01",
    ...(partition !== undefined ? { crlPartition: partition } : {}),
  });
  return {
    der,
    view: parseCertificate(der),
    file: tmp.file(`card-${i}-${partition ?? "full"}.pem`, pem("CERTIFICATE", der)),
  };
}

function crl(
  spec: Partial<CrlSpec> & { revoked?: readonly [Card, number][] },
  signer = root.signer,
  name = "crl",
): { der: Uint8Array; file: string } {
  const b = new RevokedEntriesBuilder(20, 8);
  for (const [c, reason] of spec.revoked ?? []) b.add(c.view.serial, NOW - 2 * HOUR, reason);
  const der = buildCrl(
    {
      issuer: root.name,
      authorityKeyId: root.keyId,
      thisUpdate: NOW - HOUR,
      nextUpdate: NOW + DAY,
      crlNumber: 1,
      entries: b.build(),
      ...spec,
    },
    signer,
  );
  return { der, file: tmp.file(`${name}.pem`, pem("X509 CRL", der)) };
}

const verify = (c: Card, ...crlArgs: string[]): ReturnType<typeof openssl> =>
  openssl("verify", "-crl_check", "-CAfile", rootPem, ...crlArgs, c.file);

beforeAll(() => {
  rootKey = generateKey("rsa2048");
  otherKey = generateKey("rsa2048");
  eeKey = generateKey("rsa2048");
  root = createJpkiRoot({ kind: "auth", signer: rootKey.signer, notBefore: NOW - DAY, generation: 3 });
  otherGen = createJpkiRoot({ kind: "auth", signer: otherKey.signer, notBefore: NOW - DAY, generation: 2 });
  tmp = new Scratch();
  rootPem = tmp.file("root.pem", pem("CERTIFICATE", root.der));
  for (let i = 0; i < 4; i++) cards.push(card(i));
});
afterAll(() => tmp.dispose());

describe("full CRL", () => {
  it("OpenSSL parses it, reports revoked certificates and passes good ones", () => {
    const c = crl(
      {
        crlNumber: 7,
        revoked: [
          [cards[0]!, CrlReason.affiliationChanged],
          [cards[1]!, NO_REASON],
        ],
      },
      root.signer,
      "full",
    );
    const text = openssl("crl", "-in", c.file, "-noout", "-text");
    expect(text.status).toBe(0);
    expect(text.out).toContain("X509v3 CRL Number: \n                7");
    expect(text.out).toContain("Affiliation Changed");
    expect(text.out).toContain("X509v3 Authority Key Identifier");
    expect(openssl("crl", "-in", c.file, "-noout", "-CAfile", rootPem).out).toContain("verify OK");
    expect(verify(cards[0]!, "-CRLfile", c.file).out).toContain("certificate revoked");
    expect(verify(cards[1]!, "-CRLfile", c.file).out).toContain("certificate revoked");
    expect(verify(cards[2]!, "-CRLfile", c.file).out).toContain(": OK");

    const parsed = parseCrl(c.der, { issuerSpki: root.certificate.spki });
    expect(parsed.crlNumber).toBe(7n);
    expect(parsed.entries.count).toBe(2);
    const s0 = parsed.entries.status(cards[0]!.view.serial);
    expect(s0).toEqual({
      revoked: true,
      reason: CrlReason.affiliationChanged,
      revokedAt: Math.floor((NOW - 2 * HOUR) / 1000) * 1000,
    });
    expect(parsed.entries.status(cards[1]!.view.serial)).toMatchObject({
      revoked: true,
      reason: REASON_ABSENT,
    });
    expect(parsed.entries.status(cards[2]!.view.serial)).toEqual({ revoked: false });

    const roots = [otherGen.certificate, root.certificate];
    expect(validatePath(cards[0]!.view, roots, [parsed], NOW)).toMatchObject({
      status: "revoked",
      reason: CrlReason.affiliationChanged,
    });
    expect(validatePath(cards[2]!.view, roots, [parsed], NOW)).toMatchObject({
      status: "ok",
      root: root.certificate,
    });
  });

  it("an empty CRL omits revokedCertificates and OpenSSL accepts it", () => {
    const c = crl({ crlNumber: 1 }, root.signer, "empty");
    expect(openssl("crl", "-in", c.file, "-noout", "-text").out).toContain("No Revoked Certificates");
    expect(verify(cards[0]!, "-CRLfile", c.file).out).toContain(": OK");
    expect(parseCrl(c.der).entries.count).toBe(0);
  });
});

describe("delta CRLs (RFC 5280 §5.2.4)", () => {
  it("openssl -use_deltas applies base + delta; validatePath does too", () => {
    const deltaName = crlPartitionName("auth", "delta");
    const base = crl(
      { crlNumber: 10, revoked: [[cards[0]!, CrlReason.keyCompromise]], freshestCrl: deltaName },
      root.signer,
      "base",
    );
    const delta = crl(
      { crlNumber: 11, deltaBaseCrlNumber: 10, revoked: [[cards[3]!, CrlReason.superseded]] },
      root.signer,
      "delta",
    );
    expect(openssl("crl", "-in", delta.file, "-noout", "-text").out).toMatch(
      /Delta CRL Indicator: critical\s+10/,
    );
    // without deltas card 3 is fine; with them it is revoked
    expect(verify(cards[3]!, "-CRLfile", base.file).out).toContain(": OK");
    const both = tmp.file("base+delta.pem", pem("X509 CRL", base.der) + pem("X509 CRL", delta.der));
    expect(verify(cards[3]!, "-use_deltas", "-CRLfile", both).out).toContain("certificate revoked");
    expect(verify(cards[0]!, "-use_deltas", "-CRLfile", both).out).toContain("certificate revoked");
    expect(verify(cards[2]!, "-use_deltas", "-CRLfile", both).out).toContain(": OK");

    const crls = [parseCrl(base.der), parseCrl(delta.der)];
    expect(crls[1]!.deltaBaseCrlNumber).toBe(10n);
    const roots = [root.certificate];
    expect(validatePath(cards[3]!.view, roots, crls, NOW)).toMatchObject({
      status: "revoked",
      reason: CrlReason.superseded,
    });
    expect(validatePath(cards[3]!.view, roots, crls, NOW, { useDeltas: false })).toMatchObject({
      status: "ok",
    });
    expect(validatePath(cards[2]!.view, roots, crls, NOW)).toMatchObject({ status: "ok", delta: crls[1] });
    // a delta alone is not a complete CRL
    expect(validatePath(cards[3]!.view, roots, [crls[1]!], NOW)).toEqual({
      status: "crlMissing",
      why: "deltaWithoutBase",
    });
  });
});

describe("partitioned CRLs (issuingDistributionPoint)", () => {
  it("serial mod N sharding: each certificate names its partition and OpenSSL picks the matching CRL", () => {
    const N = 4;
    const partCards = [0, 1, 2].map((i) => {
      const probe = randomSerial();
      const p = serialPartition(probe, N);
      const der = issueAuthenticationCertificate({
        issuer: root,
        spki: eeKey.signer.spki,
        issuedAt: NOW - HOUR,
        birthDate: "1970-01-01",
        serial: probe,
        crlPartition: partitionLabel(p),
      });
      return {
        der,
        view: parseCertificate(der),
        file: tmp.file(`pcard-${i}.pem`, pem("CERTIFICATE", der)),
        p,
      };
    });
    const target = partCards[0]!;
    const shards = Array.from({ length: N }, (_, p) => {
      const revoked = partCards
        .filter((c) => c.p === p && c === target)
        .map((c) => [c, CrlReason.cessationOfOperation] as [Card, number]);
      return crl(
        {
          crlNumber: 20,
          distributionPoint: crlPartitionName("auth", partitionLabel(p)),
          onlyContainsUserCerts: true,
          revoked,
        },
        root.signer,
        `shard-${p}`,
      );
    });
    const text = openssl("crl", "-in", shards[target.p]!.file, "-noout", "-text");
    expect(text.out).toContain("Issuing Distribution Point: critical");
    expect(text.out).toContain(`CN = ${partitionLabel(target.p)} CRLDP`);
    const all = tmp.file("shards.pem", shards.map((s) => pem("X509 CRL", s.der)).join(""));
    expect(verify(target, "-CRLfile", all).out).toContain("certificate revoked");
    for (const c of partCards.slice(1)) expect(verify(c, "-CRLfile", all).out).toContain(": OK");
    // only another partition's CRL on hand: OpenSSL finds no CRL of the right scope
    const wrong = shards[(target.p + 1) % N]!;
    expect(verify(target, "-CRLfile", wrong.file).out).toContain("different CRL scope");

    const parsed = shards.map((s) => parseCrl(s.der));
    expect(validatePath(target.view, [root.certificate], parsed, NOW)).toMatchObject({
      status: "revoked",
      reason: CrlReason.cessationOfOperation,
    });
    expect(validatePath(target.view, [root.certificate], [parseCrl(wrong.der)], NOW)).toEqual({
      status: "crlMissing",
      why: "outOfScope",
    });
  });
});

describe("bad CRLs give typed results, never crashes", () => {
  it("bad signature, other issuer (same DN, other generation), stale, malformed", () => {
    const good = crl({ crlNumber: 30, revoked: [[cards[0]!, CrlReason.keyCompromise]] }, root.signer, "good");
    const tampered = Uint8Array.from(good.der);
    tampered[tampered.length - 5]! ^= 0xff; // inside the signature
    const tf = tmp.file("tampered.pem", pem("X509 CRL", tampered));
    expect(verify(cards[1]!, "-CRLfile", tf).out).toContain("CRL signature failure");
    const pt = parseCrl(tampered);
    expect(verifyCrlSignature(pt, root.certificate.spki)).toBe(false);
    expect(() => parseCrl(tampered, { issuerSpki: root.certificate.spki })).toThrow(PkiError);
    expect(validatePath(cards[1]!.view, [root.certificate], [pt], NOW)).toEqual({
      status: "crlBadSignature",
    });

    // same DN, signed by the previous-generation key with that key's AKI
    const foreign = buildCrl(
      {
        issuer: otherGen.name,
        authorityKeyId: otherGen.keyId,
        thisUpdate: NOW - HOUR,
        nextUpdate: NOW + DAY,
        crlNumber: 1,
      },
      otherGen.signer,
    );
    const ff = tmp.file("foreign.pem", pem("X509 CRL", foreign));
    expect(verify(cards[1]!, "-CRLfile", ff).status).not.toBe(0);
    expect(validatePath(cards[1]!.view, [root.certificate], [parseCrl(foreign)], NOW)).toEqual({
      status: "crlIssuerMismatch",
    });

    const stale = crl(
      { crlNumber: 31, thisUpdate: NOW - 3 * DAY, nextUpdate: NOW - DAY },
      root.signer,
      "stale",
    );
    expect(verify(cards[1]!, "-CRLfile", stale.file).out).toContain("CRL has expired");
    expect(validatePath(cards[1]!.view, [root.certificate], [parseCrl(stale.der)], NOW)).toMatchObject({
      status: "crlStale",
    });
    expect(validatePath(cards[1]!.view, [root.certificate], [], NOW)).toEqual({
      status: "crlMissing",
      why: "none",
    });

    expect(() => parseCrl(good.der.subarray(0, good.der.length - 1))).toThrow(DerError);
    expect(() => parseCrl(new Uint8Array([...good.der, 0]))).toThrow(/trailing/);
    const badLen = Uint8Array.from(good.der);
    badLen[1] = 0x84; // claims a 4-octet length
    expect(() => parseCrl(badLen)).toThrow(DerError);
  });

  it("path validation: expired, not yet valid, unknown issuer, bad signature, roots sharing one DN", () => {
    const full = parseCrl(crl({ crlNumber: 40 }, root.signer, "pv").der);
    const c = cards[2]!.view;
    expect(
      validatePath(c, [root.certificate], [full], c.notAfter + 1000, { checkRevocation: false }),
    ).toMatchObject({ status: "expired", depth: 0 });
    expect(validatePath(c, [root.certificate], [full], c.notBefore - 1000)).toMatchObject({
      status: "notYetValid",
      depth: 0,
    });
    const signRoot = createJpkiRoot({ kind: "sign", signer: rootKey.signer, notBefore: NOW - DAY });
    expect(validatePath(c, [signRoot.certificate], [full], NOW)).toEqual({ status: "unknownIssuer" });
    // only the other generation (same DN, different key) on hand
    expect(validatePath(c, [otherGen.certificate], [full], NOW)).toEqual({ status: "badSignature" });
    expect(validatePath(c, [otherGen.certificate, root.certificate], [full], NOW)).toMatchObject({
      status: "ok",
      root: root.certificate,
    });
  });
});

describe("large CRLs", () => {
  it("10^5 entries: OpenSSL parses and verifies it; our index finds every serial", () => {
    const n = 100_000;
    const b = new RevokedEntriesBuilder(16, n);
    const serials = new Uint8Array(n * 16);
    for (let i = 0; i < n; i++) {
      const s = serials.subarray(i * 16, i * 16 + 16);
      s[0] = 0x40 | (i & 0x3f);
      s[1] = 0x80; // exercise the 0x00 sign octet on some and not others below
      s.set([i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff], 12);
      if (i % 2) s[0] = 0x80 | (i & 0x7f);
      b.add(s, NOW - (i % 5000) * 1000, i % 7);
    }
    b.add(cards[1]!.view.serial, NOW - HOUR, CrlReason.certificateHold);
    const der = buildCrl(
      {
        issuer: root.name,
        authorityKeyId: root.keyId,
        thisUpdate: NOW - HOUR,
        nextUpdate: NOW + DAY,
        crlNumber: 99,
        entries: b.build(),
      },
      root.signer,
    );
    const f = tmp.file("big.der", der);
    expect(openssl("crl", "-inform", "DER", "-in", f, "-noout", "-CAfile", rootPem).out).toContain(
      "verify OK",
    );
    const text = openssl("crl", "-inform", "DER", "-in", f, "-noout", "-text");
    expect(text.status).toBe(0);
    expect(text.out.match(/Serial Number:/g)).toHaveLength(n + 1);
    const pemFile = tmp.file("big.pem", pem("X509 CRL", der));
    expect(verify(cards[1]!, "-CRLfile", pemFile).out).toContain("certificate revoked");
    expect(verify(cards[2]!, "-CRLfile", pemFile).out).toContain(": OK");

    const parsed = parseCrl(der, { issuerSpki: root.certificate.spki });
    expect(parsed.entries.count).toBe(n + 1);
    expect(parsed.entries.duplicates).toBe(0);
    for (let i = 0; i < n; i += 97) {
      const h = parsed.entries.find(serials.subarray(i * 16, i * 16 + 16));
      expect(h).toBeGreaterThanOrEqual(0);
      // unspecified (0) is written as no reasonCode (RFC 5280 §5.3.1)
      expect(parsed.entries.reason(h)).toBe(i % 7 === 0 ? REASON_ABSENT : i % 7);
      expect(parsed.entries.revokedAt(h)).toBe(Math.floor((NOW - (i % 5000) * 1000) / 1000) * 1000);
    }
    const miss = Uint8Array.from(serials.subarray(0, 16));
    miss[15]! ^= 0xff;
    expect(parsed.entries.find(miss)).toBe(-1);
    // leading zeros of the query are ignored
    expect(parsed.entries.has(new Uint8Array([0, 0, ...cards[1]!.view.serial]))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Issue 7 (reliability): strict CRL entries at parse time, size limits, linear work on hostile input

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "latin1"));
/** A UTCTime (13 chars) or GeneralizedTime (15 chars) TLV, written verbatim (it may be impossible). */
const timeTlv = (s: string): Uint8Array =>
  latin1(String.fromCharCode(s.length <= 13 ? 0x17 : 0x18, s.length) + s);

/** Extension TLV with a verbatim extnValue. */
function extTlv(oidTlv: Uint8Array, critical: boolean, value: Uint8Array): Uint8Array {
  return derOf((w) => {
    w.begin(Tag.SEQUENCE);
    w.raw(oidTlv);
    if (critical) w.boolean(true);
    w.octetString(value);
    w.end();
  });
}
const reasonExt = (value: Uint8Array, critical = false): Uint8Array =>
  extTlv(encodeOid(OID.reasonCode), critical, value);

/** One revokedCertificates entry, written verbatim. */
function entryTlv(serial: bigint, time: string, ...exts: Uint8Array[]): Uint8Array {
  return derOf((w) => {
    w.begin(Tag.SEQUENCE);
    w.unsigned(serialFromBigInt(serial));
    w.raw(timeTlv(time));
    if (exts.length > 0) {
      w.begin(Tag.SEQUENCE);
      for (const x of exts) w.raw(x);
      w.end();
    }
    w.end();
  });
}

/** A CRL signed by the root, with verbatim thisUpdate, entries and extra CRL extension TLVs. */
function rawCrl(
  thisUpdate: string,
  entries: readonly Uint8Array[],
  extraExts: readonly Uint8Array[] = [],
): Uint8Array {
  const w = new DerWriter(1024);
  w.begin(Tag.SEQUENCE);
  const tbsStart = w.pos;
  w.begin(Tag.SEQUENCE);
  w.integer(1);
  writeAlgorithmIdentifier(w, root.signer.algorithm);
  w.raw(root.name);
  w.raw(timeTlv(thisUpdate));
  w.raw(timeTlv("491231235959Z"));
  if (entries.length > 0) {
    w.begin(Tag.SEQUENCE);
    for (const e of entries) w.raw(e);
    w.end();
  }
  w.begin(contextTag(0, true));
  w.begin(Tag.SEQUENCE);
  for (const x of [authorityKeyIdentifier(root.keyId), crlNumber(5)]) {
    w.begin(Tag.SEQUENCE);
    w.oid(x.oid);
    w.octetString(x.value);
    w.end();
  }
  for (const x of extraExts) w.raw(x);
  w.end();
  w.end();
  w.end();
  appendSignature(w, tbsStart, root.signer);
  return w.finishCopy();
}

const GOOD = entryTlv(1001n, "241201000000Z", reasonExt(Uint8Array.of(0x0a, 0x01, 0x01)));

/** The DerError `fn` throws (fails the test if it throws anything else or nothing). */
function derError(fn: () => unknown): DerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DerError);
    return e as DerError;
  }
  throw new Error("expected a DerError, nothing was thrown");
}

describe("CRL entries are checked at parse time (issue 7)", () => {
  it("a revocationDate in month 13 is rejected by parseCrl, naming the entry index and field", () => {
    const der = rawCrl("250201120000Z", [GOOD, entryTlv(1002n, "241301000000Z")]);
    const e = derError(() => parseCrl(der));
    expect(e.what).toBe("TBSCertList.revokedCertificates[1].revocationDate");
    expect(e.message).toMatch(/month 13 is not 01–12/);
    // OpenSSL's time parser refuses it too
    const f = tmp.file("m13.pem", pem("X509 CRL", der));
    expect(openssl("crl", "-in", f, "-noout", "-text").out).toMatch(/Revocation Date: Bad time value/);
  });

  it("impossible dates and times in revocationDate: day 31 of a 30-day month, 29 Feb of a common year, 24h, 60 min", () => {
    for (const [t, pattern] of [
      ["240431000000Z", /day 31 does not exist in 2024-04 \(01–30\)/],
      ["230229000000Z", /day 29 does not exist in 2023-02 \(01–28\)/],
      ["21000229000000Z", /day 29 does not exist in 2100-02 \(01–28\)/],
      ["240100000000Z", /day 00/],
      ["241201240000Z", /hour 24/],
      ["241201006000Z", /minute 60/],
      ["241201000060Z", /second 60/],
      ["2412010000Z", /YYMMDDHHMMSSZ \(13 bytes\), got 11/],
    ] as const) {
      const der = rawCrl("250201120000Z", [entryTlv(1n, t)]);
      const e = derError(() => parseCrl(der));
      expect(e.what).toBe("TBSCertList.revokedCertificates[0].revocationDate");
      expect(e.message).toMatch(pattern);
    }
    // leap days that exist are accepted: 2024-02-29 (UTCTime), 2000-02-29 (÷400), 2400-02-29 (GeneralizedTime)
    const ok = parseCrl(
      rawCrl("250201120000Z", [
        entryTlv(1n, "240229235959Z"),
        entryTlv(2n, "000229000000Z"),
        entryTlv(3n, "24000229000000Z"),
      ]),
    );
    const dates: number[] = [];
    ok.entries.forEach((h) => dates.push(ok.entries.revokedAt(h)));
    expect(dates).toEqual([Date.UTC(2024, 1, 29, 23, 59, 59), Date.UTC(2000, 1, 29), Date.UTC(2400, 1, 29)]);
  });

  it("a thisUpdate of 30 February is rejected, not read as 2 March; OpenSSL agrees it is no date", () => {
    const der = rawCrl("250230120000Z", [GOOD]);
    const e = derError(() => parseCrl(der));
    expect(e.what).toBe("TBSCertList.thisUpdate");
    expect(e.message).toMatch(/day 30 does not exist in 2025-02 \(01–28\)/);
    const f = tmp.file("feb30.pem", pem("X509 CRL", der));
    expect(openssl("crl", "-in", f, "-noout", "-text").out).toMatch(/Last Update: Bad time value/);
    // the same CRL on 28 February parses, with the right instant
    expect(parseCrl(rawCrl("250228120000Z", [GOOD])).thisUpdate).toBe(Date.UTC(2025, 1, 28, 12));
  });

  it("reasonCode 11 (and 7) is rejected at parse time; the accepted set is exactly the one OpenSSL names", () => {
    const e = derError(() =>
      parseCrl(
        rawCrl("250201120000Z", [
          GOOD,
          GOOD,
          entryTlv(3n, "241201000000Z", reasonExt(Uint8Array.of(0x0a, 1, 11))),
        ]),
      ),
    );
    expect(e.what).toBe("TBSCertList.revokedCertificates[2].crlEntryExtensions.reasonCode");
    expect(e.message).toMatch(/reasonCode 11 is not a CRLReason \(RFC 5280 §5\.3\.1: 0–10 except 7\)/);
    for (let v = 0; v <= 12; v++) {
      const der = rawCrl("250201120000Z", [
        entryTlv(9n, "241201000000Z", reasonExt(Uint8Array.of(0x0a, 1, v))),
      ]);
      const text = openssl(
        "crl",
        "-in",
        tmp.file(`reason-${v}.pem`, pem("X509 CRL", der)),
        "-noout",
        "-text",
      ).out;
      const opensslNamesIt = /CRL Reason Code: \n\s+[A-Z][A-Za-z ]+\n/.test(text);
      expect(opensslNamesIt, `reason ${v}`).toBe(isCrlReason(v));
      if (isCrlReason(v)) {
        const c = parseCrl(der);
        expect(c.entries.reason(c.entries.find(Uint8Array.of(9)))).toBe(v);
      } else expect(() => parseCrl(der), `reason ${v}`).toThrow(DerError);
    }
  });

  it("reasonCode off the fast path is checked too: critical, long, negative, trailing bytes, wrong type", () => {
    const bad: [Uint8Array, RegExp][] = [
      [reasonExt(Uint8Array.of(0x0a, 1, 11), true), /reasonCode 11 is not a CRLReason/],
      [reasonExt(Uint8Array.of(0x0a, 2, 0x01, 0x01)), /reasonCode of 2 octets is not a CRLReason/],
      [reasonExt(Uint8Array.of(0x0a, 1, 0xff)), /reasonCode 255 is not a CRLReason/],
      [reasonExt(Uint8Array.of(0x0a, 2, 0x00, 0x01)), /not minimally encoded/],
      [reasonExt(Uint8Array.of(0x0a, 1, 1, 0)), /trailing/],
      [reasonExt(Uint8Array.of(0x02, 1, 1)), /expected tag 0x0a/],
      [reasonExt(Uint8Array.of()), /truncated/],
    ];
    for (const [x, pattern] of bad) {
      const e = derError(() => parseCrl(rawCrl("250201120000Z", [GOOD, entryTlv(2n, "241201000000Z", x)])));
      expect(e.what).toMatch(/^TBSCertList\.revokedCertificates\[1\]\.crlEntryExtensions\.reasonCode$/);
      expect(e.message).toMatch(pattern);
    }
    // a well-formed critical reasonCode parses and the index reads it
    const c = parseCrl(
      rawCrl("250201120000Z", [entryTlv(2n, "241201000000Z", reasonExt(Uint8Array.of(0x0a, 1, 6), true))]),
    );
    expect(c.entries.status(Uint8Array.of(2))).toEqual({
      revoked: true,
      reason: 6,
      revokedAt: Date.UTC(2024, 11, 1),
    });
  });

  it("malformed entry extensions are rejected with the entry index: invalidityDate, explicit FALSE, empty, duplicates, unknown critical", () => {
    const inv = (t: string): Uint8Array => extTlv(encodeOid(OID.invalidityDate), false, timeTlv(t));
    const cases: [Uint8Array, string, RegExp][] = [
      [
        entryTlv(2n, "241201000000Z", inv("20240230000000Z")),
        "crlEntryExtensions.invalidityDate",
        /day 30 does not exist in 2024-02/,
      ],
      [
        entryTlv(2n, "241201000000Z", inv("241101000000Z")),
        "crlEntryExtensions.invalidityDate",
        /expected tag 0x18, found 0x17/,
      ],
      [
        entryTlv(
          2n,
          "241201000000Z",
          derOf((w) => {
            w.begin(Tag.SEQUENCE);
            w.oid(OID.reasonCode);
            w.boolean(false);
            w.octetString(Uint8Array.of(0x0a, 1, 1));
            w.end();
          }),
        ),
        "crlEntryExtensions.critical",
        /critical FALSE is the DEFAULT/,
      ],
      [
        derOf((w) => {
          w.begin(Tag.SEQUENCE);
          w.integer(2);
          w.raw(timeTlv("241201000000Z"));
          w.begin(Tag.SEQUENCE);
          w.end();
          w.end();
        }),
        "crlEntryExtensions",
        /empty Extensions/,
      ],
      [
        entryTlv(2n, "241201000000Z", extTlv(latin1("\x06\x00"), false, Uint8Array.of(5, 0))),
        "crlEntryExtensions.extnID",
        /empty OBJECT IDENTIFIER/,
      ],
    ];
    for (const [entry, field, pattern] of cases) {
      const e = derError(() => parseCrl(rawCrl("250201120000Z", [GOOD, GOOD, GOOD, entry])));
      expect(e.what).toBe(`TBSCertList.revokedCertificates[3].${field}`);
      expect(e.message).toMatch(pattern);
    }
    const r1 = reasonExt(Uint8Array.of(0x0a, 1, 1));
    expect(() => parseCrl(rawCrl("250201120000Z", [GOOD, entryTlv(2n, "241201000000Z", r1, r1)]))).toThrow(
      /revokedCertificates\[1\]: duplicate extension 2\.5\.29\.21/,
    );
    const unknown = extTlv(encodeOid("1.2.3.4"), true, Uint8Array.of(5, 0));
    expect(() =>
      parseCrl(rawCrl("250201120000Z", [GOOD, GOOD, entryTlv(2n, "241201000000Z", unknown)])),
    ).toThrow(/unknown critical CRL entry extension 1\.2\.3\.4 in TBSCertList\.revokedCertificates\[2\]/);
    // a valid invalidityDate and an unknown non-critical extension are fine
    const ok = parseCrl(
      rawCrl("250201120000Z", [
        entryTlv(
          2n,
          "241201000000Z",
          inv("20241130000000Z"),
          extTlv(encodeOid("1.2.3.4"), false, Uint8Array.of(5, 0)),
        ),
      ]),
    );
    expect(ok.entries.status(Uint8Array.of(2))).toMatchObject({ revoked: true, reason: REASON_ABSENT });
  });

  it("the builder refuses the unused CRLReason 7", () => {
    const b = new RevokedEntriesBuilder(4, 1);
    b.add(Uint8Array.of(1), NOW, 7);
    expect(() => crl({ entries: b.build() })).toThrow(/bad CRLReason 7 at entry 0/);
  });
});

describe("CRL size and work bounds (issue 7)", () => {
  it("the 503 KiB CRL whose extension OID is one huge sub-identifier is rejected by the OID limit, not decoded", () => {
    // the reported input: 82 s to parse before the fix; now rejected at the OID's first octet
    const n = 503 * 1024;
    const content = new Uint8Array(n).fill(0xff);
    content[n - 1] = 0x7f;
    const oid = derOf((w) => w.primitive(Tag.OID, content), n + 8);
    const der = rawCrl("250201120000Z", [GOOD], [extTlv(oid, false, Uint8Array.of(5, 0))]);
    expect(der.length).toBeGreaterThan(n);
    const e = derError(() => parseCrl(der));
    expect(e.what).toBe("crlExtension.extnID");
    expect(e.limit).toBe(MAX_OID_OCTETS);
    expect(e.message).toMatch(/OBJECT IDENTIFIER of 515072 octets exceeds the limit MAX_OID_OCTETS = 127/);
    // rejected where the content starts: no octet of it was scanned
    expect(e.offset).toBe(der.indexOf(0xff, der.length - n - 300));
  });

  it("a CRL over MAX_CRL_BYTES is rejected before it is read, naming the limit", () => {
    const big = new Uint8Array(MAX_CRL_BYTES + 1); // untouched pages: no real memory
    const e = derError(() => parseCrl(big));
    expect(e.limit).toBe(MAX_CRL_BYTES);
    expect(e.message).toMatch(/input of 2147483649 bytes exceeds the limit MAX_CRL_BYTES = 2147483648 bytes/);
  });

  it("a 1 MB version INTEGER and a 21-octet cRLNumber are rejected without big-number work", () => {
    const good = crl({ crlNumber: 3 }).der;
    const r = new DerReader(good);
    r.expect(0, good.length, Tag.SEQUENCE, "CertificateList");
    const tbsEnd = r.expect(r.valueStart, good.length, Tag.SEQUENCE, "TBSCertList");
    const v = r.valueStart;
    expect(Array.from(good.subarray(v, v + 3))).toEqual([2, 1, 1]); // version v2
    // the same CRL with a 1 MB version INTEGER
    const huge = new Uint8Array(1 << 20).fill(0x7f);
    const ver = derOf((w) => w.primitive(Tag.INTEGER, huge), huge.length + 8);
    const tbsBody = concatBytes(ver, good.subarray(v + 3, tbsEnd));
    const tbs = derOf((w) => w.primitive(Tag.SEQUENCE, tbsBody), tbsBody.length + 8);
    const outer = concatBytes(tbs, good.subarray(tbsEnd));
    const der = derOf((w) => w.primitive(Tag.SEQUENCE, outer), outer.length + 8);
    const e = derError(() => parseCrl(der));
    expect(e.what).toBe("TBSCertList.version");
    expect(e.message).toMatch(/value of 1048576 octets out of range/);
    const r2 = new DerReader(der);
    r2.expect(0, der.length, Tag.SEQUENCE, "CertificateList");
    r2.expect(r2.valueStart, der.length, Tag.SEQUENCE, "TBSCertList");
    r2.read(r2.valueStart, der.length, "version");
    expect(e.offset).toBe(r2.valueStart); // at the first content octet: none was summed

    const n21 = derOf((w) => w.bigint(1n << 160n)); // 21 content octets
    const cn = extTlv(encodeOid(OID.cRLNumber), false, n21);
    expect(() => parseCrl(rawCrlWithNumber(cn))).toThrow(
      /CRL number longer than 20 octets \(RFC 5280 §5\.2\.3\)/,
    );
    const n20 = extTlv(
      encodeOid(OID.cRLNumber),
      false,
      derOf((x) => x.bigint((1n << 160n) - 1n)),
    );
    expect(parseCrl(rawCrlWithNumber(n20)).crlNumber).toBe((1n << 160n) - 1n);
  });

  it("serials stored in the slot: 20-octet serials sharing their last 16 octets stay apart; short ones too", () => {
    const b = new RevokedEntriesBuilder(20, 8);
    const tail = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const long = (head: number): Uint8Array => Uint8Array.of(head, 0, 0, 9, ...tail);
    b.add(long(0x11), NOW - HOUR, CrlReason.keyCompromise);
    b.add(long(0x22), NOW - HOUR, CrlReason.superseded);
    b.add(tail, NOW - HOUR, CrlReason.affiliationChanged);
    b.add(Uint8Array.of(0x80), NOW - HOUR, CrlReason.cACompromise); // DER 00 80: a sign octet
    const c = parseCrl(crl({ entries: b.build() }).der);
    expect(c.entries.reason(c.entries.find(long(0x11)))).toBe(CrlReason.keyCompromise);
    expect(c.entries.reason(c.entries.find(long(0x22)))).toBe(CrlReason.superseded);
    expect(c.entries.reason(c.entries.find(tail))).toBe(CrlReason.affiliationChanged);
    expect(c.entries.reason(c.entries.find(Uint8Array.of(0, 0, 0x80)))).toBe(CrlReason.cACompromise);
    expect(c.entries.find(long(0x33))).toBe(-1);
    expect(c.entries.find(Uint8Array.of(0, ...tail))).toBeGreaterThanOrEqual(0);
    expect(c.entries.find(Uint8Array.of(1, ...tail))).toBe(-1);
    expect(c.entries.find(Uint8Array.of(0x81))).toBe(-1);
    expect(c.entries.duplicates).toBe(0);
  });

  it("serials chosen to collide under the unkeyed hash do not make the index quadratic (probes stay ≈ linear)", () => {
    // 3-byte serials whose unkeyed FNV-1a lands in one table slot: before the keyed hash, building the
    // index made count²/2 probes (2 million here); now about 1.5 per entry
    const count = 2000;
    const mask = 4095; // the table size for 2000 entries
    const unkeyed = (s: Uint8Array): number => {
      let h = 0x811c9dc5;
      for (const b of s) h = Math.imul(h ^ b, 0x01000193);
      return ((h ^ (h >>> 15)) >>> 0) & mask;
    };
    const b = new RevokedEntriesBuilder(3, count);
    const s = new Uint8Array(3);
    for (let x = 0x010000; b.count < count; x++) {
      s[0] = x >>> 16;
      s[1] = (x >>> 8) & 0xff;
      s[2] = x & 0xff;
      if (unkeyed(s) === 0) b.add(s, NOW - HOUR, CrlReason.keyCompromise);
    }
    const c = parseCrl(crl({ entries: b.build() }).der);
    expect(c.entries.count).toBe(count);
    expect(c.entries.duplicates).toBe(0);
    expect(c.entries.probes).toBeLessThan(4 * count);
    expect(c.entries.has(s)).toBe(true);
  });
});

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** rawCrl with the given cRLNumber extension instead of the default one. */
function rawCrlWithNumber(crlNumberExt: Uint8Array): Uint8Array {
  const w = new DerWriter(1024);
  w.begin(Tag.SEQUENCE);
  const tbsStart = w.pos;
  w.begin(Tag.SEQUENCE);
  w.integer(1);
  writeAlgorithmIdentifier(w, root.signer.algorithm);
  w.raw(root.name);
  w.raw(timeTlv("250201120000Z"));
  w.begin(contextTag(0, true));
  w.begin(Tag.SEQUENCE);
  w.raw(crlNumberExt);
  w.end();
  w.end();
  w.end();
  appendSignature(w, tbsStart, root.signer);
  return w.finishCopy();
}
