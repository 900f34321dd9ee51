/**
 * Encoders of the certificate and CRL extensions the JPKI profiles use (RFC 5280 §4.2.1 certificate
 * extensions, §5.2 CRL extensions, §5.3 CRL entry extensions) and of GeneralName (§4.2.1.6).
 * Each helper returns an {@link Extension}: OID, criticality and the DER of `extnValue`'s content.
 * @module
 */
import { createHash } from "node:crypto";
import { DerReader } from "./der-reader.js";
import type { DerWriter } from "./der-writer.js";
import { Tag, contextTag, derOf } from "./der-writer.js";
import { PkiError } from "./errors.js";
import { OID } from "./oids.js";

/** One extension: `extnValue` holds the DER of the extension's own value. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** KeyUsage bits (RFC 5280 §4.2.1.3), as bit numbers. */
export const KeyUsage = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

/** Write `[tag] Extensions` (tag 3 in a TBSCertificate, 0 in a TBSCertList, none for CRL entries). */
export function writeExtensions(w: DerWriter, exts: readonly Extension[], explicitTag?: number): void {
  if (exts.length === 0) return;
  if (explicitTag !== undefined) w.begin(contextTag(explicitTag, true));
  w.begin(Tag.SEQUENCE);
  for (const e of exts) {
    w.begin(Tag.SEQUENCE);
    w.oid(e.oid);
    if (e.critical) w.boolean(true);
    w.octetString(e.value);
    w.end();
  }
  w.end();
  if (explicitTag !== undefined) w.end();
}

/** keyUsage, critical (RFC 5280 §4.2.1.3: SHOULD be critical). `bits` are {@link KeyUsage} numbers. */
export function keyUsage(bits: readonly number[]): Extension {
  let mask = 0;
  for (const b of bits) mask |= 1 << b;
  if (mask === 0) throw new PkiError("E_PKI_INPUT", "keyUsage needs at least one bit");
  const highest = 31 - Math.clz32(mask);
  const nBytes = (highest >> 3) + 1;
  const bytes = new Uint8Array(nBytes);
  for (let b = 0; b <= highest; b++) if (mask & (1 << b)) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const unused = 7 - (highest & 7);
  return { oid: OID.keyUsage, critical: true, value: derOf((w) => w.bitString(bytes, unused)) };
}

/** basicConstraints (RFC 5280 §4.2.1.9), critical. `cA FALSE` is the DEFAULT and so omitted. */
export function basicConstraints(ca: boolean, pathLen?: number): Extension {
  return {
    oid: OID.basicConstraints,
    critical: true,
    value: derOf((w) => {
      w.begin(Tag.SEQUENCE);
      if (ca) w.boolean(true);
      if (ca && pathLen !== undefined) w.integer(pathLen);
      w.end();
    }),
  };
}

/**
 * Key identifier per RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value
 * (excluding tag, length and unused-bits octet) of a SubjectPublicKeyInfo DER.
 */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const r = new DerReader(spki);
  const end = r.expect(0, spki.length, Tag.SEQUENCE, "SubjectPublicKeyInfo");
  const algEnd = r.expect(r.valueStart, end, Tag.SEQUENCE, "SubjectPublicKeyInfo.algorithm");
  r.expect(algEnd, end, Tag.BIT_STRING, "SubjectPublicKeyInfo.subjectPublicKey");
  const start = r.bitStringOctets("SubjectPublicKeyInfo.subjectPublicKey");
  return new Uint8Array(createHash("sha1").update(spki.subarray(start, r.valueEnd)).digest());
}

/** subjectKeyIdentifier (RFC 5280 §4.2.1.2), non-critical. */
export function subjectKeyIdentifier(keyId: Uint8Array): Extension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: derOf((w) => w.octetString(keyId)) };
}

/** authorityKeyIdentifier with keyIdentifier only (RFC 5280 §4.2.1.1 / §5.2.1), non-critical. */
export function authorityKeyIdentifier(keyId: Uint8Array): Extension {
  return {
    oid: OID.authorityKeyIdentifier,
    critical: false,
    value: derOf((w) => {
      w.begin(Tag.SEQUENCE);
      w.primitive(contextTag(0, false), keyId);
      w.end();
    }),
  };
}

/** GeneralName `directoryName [4]` (EXPLICIT, since Name is a CHOICE) around a Name DER. */
export function directoryName(nameDer: Uint8Array): Uint8Array {
  return derOf((w) => {
    w.begin(contextTag(4, true));
    w.raw(nameDer);
    w.end();
  });
}

/** GeneralName `uniformResourceIdentifier [6]`. */
export function uriName(uri: string): Uint8Array {
  return derOf((w) => w.primitive(contextTag(6, false), new TextEncoder().encode(uri)));
}

/**
 * GeneralName `otherName [0] { type-id, [0] EXPLICIT UTF8String }` — the form the J-LIS signature
 * certificate uses for the 4 basic facts (as decoded by jpki/myna, libmyna/jpki_ap.go: an implicit [0]
 * SEQUENCE of the OID and an explicit [0] string; FACTS.md §1.3 says the values are UTF-8).
 */
export function otherNameUtf8(typeOid: string, value: string): Uint8Array {
  return derOf((w) => {
    w.begin(contextTag(0, true));
    w.oid(typeOid);
    w.begin(contextTag(0, true));
    w.utf8String(value);
    w.end();
    w.end();
  });
}

function generalNamesValue(names: readonly Uint8Array[]): Uint8Array {
  return derOf((w) => {
    w.begin(Tag.SEQUENCE);
    for (const n of names) w.raw(n);
    w.end();
  }, 1024);
}

/** subjectAltName over pre-encoded GeneralNames (non-critical; the subject DN is never empty here). */
export function subjectAltName(names: readonly Uint8Array[], critical = false): Extension {
  return { oid: OID.subjectAltName, critical, value: generalNamesValue(names) };
}

/** issuerAltName over pre-encoded GeneralNames, non-critical (RFC 5280 §4.2.1.7). */
export function issuerAltName(names: readonly Uint8Array[]): Extension {
  return { oid: OID.issuerAltName, critical: false, value: generalNamesValue(names) };
}

/** Write a DistributionPointName `[0] { fullName [0] GeneralNames }` (RFC 5280 §4.2.1.13). */
function writeDpName(w: DerWriter, fullName: readonly Uint8Array[]): void {
  w.begin(contextTag(0, true));
  w.begin(contextTag(0, true));
  for (const n of fullName) w.raw(n);
  w.end();
  w.end();
}

function distributionPoints(oid: string, points: readonly (readonly Uint8Array[])[]): Extension {
  return {
    oid,
    critical: false,
    value: derOf((w) => {
      w.begin(Tag.SEQUENCE);
      for (const p of points) {
        w.begin(Tag.SEQUENCE);
        writeDpName(w, p);
        w.end();
      }
      w.end();
    }, 512),
  };
}

/**
 * cRLDistributionPoints (RFC 5280 §4.2.1.13), non-critical: one DistributionPoint per entry, each a
 * `fullName` of GeneralNames (JPKI uses a directoryName, FACTS.md §1.1, §3.1).
 */
export function crlDistributionPoints(points: readonly (readonly Uint8Array[])[]): Extension {
  return distributionPoints(OID.cRLDistributionPoints, points);
}

/** freshestCRL (RFC 5280 §4.2.1.15 / §5.2.6): where the delta CRLs are; non-critical. */
export function freshestCrl(points: readonly (readonly Uint8Array[])[]): Extension {
  return distributionPoints(OID.freshestCRL, points);
}

/** certificatePolicies with bare policy OIDs (RFC 5280 §4.2.1.4), non-critical. */
export function certificatePolicies(policyOids: readonly string[]): Extension {
  return {
    oid: OID.certificatePolicies,
    critical: false,
    value: derOf((w) => {
      w.begin(Tag.SEQUENCE);
      for (const p of policyOids) {
        w.begin(Tag.SEQUENCE);
        w.oid(p);
        w.end();
      }
      w.end();
    }),
  };
}

/** cRLNumber (RFC 5280 §5.2.3), non-critical, 0 ≤ n < 2^159. */
export function crlNumber(n: bigint | number): Extension {
  const v = BigInt(n);
  if (v < 0n || v >= 1n << 159n) throw new PkiError("E_PKI_INPUT", `cRLNumber ${v} out of range`);
  return { oid: OID.cRLNumber, critical: false, value: derOf((w) => w.bigint(v)) };
}

/** deltaCRLIndicator (RFC 5280 §5.2.4), critical: the cRLNumber of the base CRL. */
export function deltaCrlIndicator(baseCrlNumber: bigint | number): Extension {
  return { oid: OID.deltaCRLIndicator, critical: true, value: derOf((w) => w.bigint(BigInt(baseCrlNumber))) };
}

/** Options of {@link issuingDistributionPoint} (RFC 5280 §5.2.5). */
export interface IssuingDistributionPointOptions {
  /** `fullName` GeneralNames of this CRL's distribution point (the partition's name). */
  readonly fullName?: readonly Uint8Array[];
  readonly onlyContainsUserCerts?: boolean;
  readonly onlyContainsCACerts?: boolean;
}

/** issuingDistributionPoint (RFC 5280 §5.2.5), critical: scopes a partitioned CRL. */
export function issuingDistributionPoint(o: IssuingDistributionPointOptions): Extension {
  return {
    oid: OID.issuingDistributionPoint,
    critical: true,
    value: derOf((w) => {
      w.begin(Tag.SEQUENCE);
      if (o.fullName) writeDpName(w, o.fullName);
      if (o.onlyContainsUserCerts) w.primitive(contextTag(1, false), Uint8Array.of(0xff));
      if (o.onlyContainsCACerts) w.primitive(contextTag(2, false), Uint8Array.of(0xff));
      w.end();
    }, 512),
  };
}
