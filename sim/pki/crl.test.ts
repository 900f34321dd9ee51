import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateView } from "./certificate.js";
import { parseCertificate } from "./certificate.js";
import { randomSerial } from "./certificate-builder.js";
import type { CrlSpec } from "./crl-builder.js";
import { CrlReason, NO_REASON, RevokedEntriesBuilder, buildCrl } from "./crl-builder.js";
import { REASON_ABSENT, parseCrl, verifyCrlSignature } from "./crl-index.js";
import { DerError, PkiError } from "./errors.js";
import type { JpkiRoot } from "./jpki-profiles.js";
import {
  createJpkiRoot,
  crlPartitionName,
  issueAuthenticationCertificate,
  partitionLabel,
  serialPartition,
} from "./jpki-profiles.js";
import { validatePath } from "./path-validation.js";
import type { GeneratedKey } from "./signer.js";
import { generateKey } from "./signer.js";
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
    expect(validatePath(cards[3]!.view, roots, [crls[1]!], NOW)).toEqual({ status: "crlMissing" });
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
    expect(validatePath(cards[1]!.view, [root.certificate], [], NOW)).toEqual({ status: "crlMissing" });

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
      expect(parsed.entries.reason(h)).toBe(i % 7);
      expect(parsed.entries.revokedAt(h)).toBe(Math.floor((NOW - (i % 5000) * 1000) / 1000) * 1000);
    }
    const miss = Uint8Array.from(serials.subarray(0, 16));
    miss[15]! ^= 0xff;
    expect(parsed.entries.find(miss)).toBe(-1);
    // leading zeros of the query are ignored
    expect(parsed.entries.has(new Uint8Array([0, 0, ...cards[1]!.view.serial]))).toBe(true);
  });
});
