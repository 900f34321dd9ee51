/**
 * A small J-LIS-style PKI for the `pki verify` tests, its OpenSSL cross-check and the verify fuzzer
 * (cli/pki-verify.test.ts, bench/fuzz-der.ts): a root, a second root generation sharing its DN, an
 * intermediate CA, end-entity certificates (good, revoked in the full CRL, revoked only in the
 * delta, in partitions P0001 / P0002, with an unknown critical extension, the intermediate's own),
 * and the CRLs: full with freshestCRL, delta, delta alone, partitioned, from the other generation,
 * stale, with an unknown critical extension, the root's CRL for the intermediate and the
 * intermediate's CRL — every one signed for real. Not part of the public API.
 * @module
 */
import { parseCertificate } from "./certificate.js";
import { appendSignature, buildCertificate, randomSerial } from "./certificate-builder.js";
import { CrlReason, RevokedEntriesBuilder, buildCrl } from "./crl-builder.js";
import type { CrlSpec } from "./crl-builder.js";
import { DerWriter, Tag } from "./der-writer.js";
import {
  KeyUsage,
  authorityKeyIdentifier,
  basicConstraints,
  crlDistributionPoints,
  crlNumber,
  directoryName,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
  writeExtensions,
} from "./extensions.js";
import type { JpkiIssuer, JpkiRoot } from "./jpki-profiles.js";
import { createJpkiRoot, crlPartitionName, issueAuthenticationCertificate } from "./jpki-profiles.js";
import { encodeName } from "./names.js";
import type { Signer } from "./signer.js";
import { generateKey, writeAlgorithmIdentifier } from "./signer.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every object of the fixture, DER. */
export interface VerifyFixture {
  /** Validation time every CRL is current at. */
  readonly now: number;
  readonly root: Uint8Array;
  readonly otherRoot: Uint8Array;
  readonly intermediate: Uint8Array;
  readonly certs: {
    readonly good: Uint8Array;
    readonly revoked: Uint8Array;
    readonly deltaRevoked: Uint8Array;
    readonly p1Good: Uint8Array;
    readonly p1Revoked: Uint8Array;
    readonly unknownCritical: Uint8Array;
    readonly underIntermediate: Uint8Array;
    readonly underIntermediateRevoked: Uint8Array;
  };
  readonly crls: {
    readonly full: Uint8Array;
    readonly delta: Uint8Array;
    readonly p1: Uint8Array;
    readonly p2: Uint8Array;
    readonly otherGeneration: Uint8Array;
    readonly stale: Uint8Array;
    readonly unknownCritical: Uint8Array;
    /** The root's CRL with the intermediate not revoked / revoked. */
    readonly rootForIntermediate: Uint8Array;
    readonly rootRevokingIntermediate: Uint8Array;
    readonly intermediate: Uint8Array;
  };
}

function crlOf(
  issuer: JpkiIssuer,
  spec: Partial<CrlSpec>,
  revoked: [Uint8Array, number, number][],
  now: number,
): Uint8Array {
  const b = new RevokedEntriesBuilder(20, 8);
  for (const [serial, reason, at] of revoked) b.add(serial, at, reason);
  return buildCrl(
    {
      issuer: issuer.name,
      authorityKeyId: issuer.keyId,
      thisUpdate: now - HOUR,
      nextUpdate: now + DAY,
      crlNumber: 10,
      entries: b.build(),
      ...spec,
    },
    issuer.signer,
  );
}

/** A CRL carrying a critical extension no verifier knows (RFC 5280 §5.2: it MUST NOT be used). */
function crlWithUnknownCritical(issuer: JpkiIssuer, now: number): Uint8Array {
  const w = new DerWriter(4096);
  w.begin(Tag.SEQUENCE);
  const tbsStart = w.pos;
  w.begin(Tag.SEQUENCE);
  w.integer(1);
  writeAlgorithmIdentifier(w, issuer.signer.algorithm);
  w.raw(issuer.name);
  w.time(now - HOUR);
  w.time(now + DAY);
  writeExtensions(
    w,
    [
      authorityKeyIdentifier(issuer.keyId),
      crlNumber(10),
      { oid: "1.3.6.1.4.1.99999.1", critical: true, value: Uint8Array.of(5, 0) },
    ],
    0,
  );
  w.end();
  appendSignature(w, tbsStart, issuer.signer);
  return w.buf.slice(0, w.pos);
}

/** The serial INTEGER content of a certificate DER (for CRL entries). */
const serialOf = (der: Uint8Array): Uint8Array =>
  parseCertificate(der, { allowUnknownCritical: true }).serial;

/** Build the fixture (four RSA-2048 keys; about a second). */
export function buildVerifyFixture(now = Date.now()): VerifyFixture {
  const rootKey = generateKey("rsa2048").signer;
  const otherKey = generateKey("rsa2048").signer;
  const interKey = generateKey("rsa2048").signer;
  const ee = generateKey("rsa2048").signer;
  const root: JpkiRoot = createJpkiRoot({
    kind: "auth",
    signer: rootKey,
    notBefore: now - 30 * DAY,
    generation: 3,
  });
  const other: JpkiRoot = createJpkiRoot({
    kind: "auth",
    signer: otherKey,
    notBefore: now - 30 * DAY,
    generation: 2,
  });
  const issue = (partition?: string): Uint8Array =>
    issueAuthenticationCertificate({
      issuer: root,
      spki: ee.spki,
      issuedAt: now - 2 * DAY,
      birthDate: "1985-04-01",
      ...(partition ? { crlPartition: partition } : {}),
    });
  const good = issue();
  const revoked = issue();
  const deltaRevoked = issue();
  const p1Good = issue("P0001");
  const p1Revoked = issue("P0001");
  const unknownCritical = buildCertificate(
    {
      serial: randomSerial(16),
      issuer: root.name,
      subject: encodeName([
        ["C", "JP"],
        ["CN", "unknown critical"],
      ]),
      notBefore: now - DAY,
      notAfter: now + 300 * DAY,
      spki: ee.spki,
      extensions: [
        authorityKeyIdentifier(root.keyId),
        crlDistributionPoints([[directoryName(root.name)]]),
        { oid: "1.3.6.1.4.1.99999.2", critical: true, value: Uint8Array.of(5, 0) },
      ],
    },
    rootKey,
  );
  const interName = encodeName([
    ["C", "JP"],
    ["O", "JPKI test"],
    ["CN", "Intermediate CA"],
  ]);
  const interId = keyIdentifier(interKey.spki);
  const intermediate = buildCertificate(
    {
      serial: randomSerial(8),
      issuer: root.name,
      subject: interName,
      notBefore: now - 10 * DAY,
      notAfter: now + 900 * DAY,
      spki: interKey.spki,
      extensions: [
        basicConstraints(true, 0),
        keyUsage([KeyUsage.keyCertSign, KeyUsage.cRLSign]),
        subjectKeyIdentifier(interId),
        authorityKeyIdentifier(root.keyId),
        crlDistributionPoints([[directoryName(root.name)]]),
      ],
    },
    rootKey,
  );
  const interIssuer: JpkiIssuer = {
    kind: "auth",
    name: interName,
    keyId: interId,
    signer: interKey as Signer,
  };
  const underInter = (): Uint8Array =>
    buildCertificate(
      {
        serial: randomSerial(16),
        issuer: interName,
        subject: encodeName([
          ["C", "JP"],
          ["CN", "end entity under intermediate"],
        ]),
        notBefore: now - DAY,
        notAfter: now + 300 * DAY,
        spki: ee.spki,
        extensions: [
          keyUsage([KeyUsage.digitalSignature]),
          authorityKeyIdentifier(interId),
          subjectKeyIdentifier(keyIdentifier(ee.spki)),
          crlDistributionPoints([[directoryName(interName)]]),
        ],
      },
      interKey,
    );
  const underIntermediate = underInter();
  const underIntermediateRevoked = underInter();
  const t = now - 3 * HOUR;
  const deltaName = crlPartitionName("auth", "delta");
  return {
    now,
    root: root.der,
    otherRoot: other.der,
    intermediate,
    certs: {
      good,
      revoked,
      deltaRevoked,
      p1Good,
      p1Revoked,
      unknownCritical,
      underIntermediate,
      underIntermediateRevoked,
    },
    crls: {
      full: crlOf(root, { freshestCrl: deltaName }, [[serialOf(revoked), CrlReason.keyCompromise, t]], now),
      delta: crlOf(
        root,
        { crlNumber: 11, deltaBaseCrlNumber: 10 },
        [[serialOf(deltaRevoked), CrlReason.affiliationChanged, t + HOUR]],
        now,
      ),
      p1: crlOf(
        root,
        { distributionPoint: crlPartitionName("auth", "P0001") },
        [[serialOf(p1Revoked), CrlReason.cessationOfOperation, t]],
        now,
      ),
      p2: crlOf(root, { distributionPoint: crlPartitionName("auth", "P0002") }, [], now),
      otherGeneration: crlOf(other, {}, [], now),
      stale: crlOf(root, { thisUpdate: now - 3 * DAY, nextUpdate: now - DAY, crlNumber: 9 }, [], now),
      unknownCritical: crlWithUnknownCritical(root, now),
      rootForIntermediate: crlOf(root, { crlNumber: 12 }, [], now),
      rootRevokingIntermediate: crlOf(
        root,
        { crlNumber: 13 },
        [[serialOf(intermediate), CrlReason.cACompromise, t]],
        now,
      ),
      intermediate: crlOf(
        interIssuer,
        { crlNumber: 1 },
        [[serialOf(underIntermediateRevoked), CrlReason.keyCompromise, t]],
        now,
      ),
    },
  };
}
