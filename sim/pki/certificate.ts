/**
 * X.509 certificate parser (RFC 5280 §4.1, §4.2): a light, zero-copy view over the DER — serial,
 * issuer/subject Name DER, validity, SubjectPublicKeyInfo, extensions with critical flags — plus
 * decoded values of the extensions path validation needs. An unknown critical extension is an error
 * (§4.2: "MUST reject"), unless the caller asks to collect them instead. Signatures are verified
 * through a {@link SignatureVerifier} (node:crypto by default).
 * @module
 */
import { DerReader, bytesEqual } from "./der-reader.js";
import { Tag } from "./der-writer.js";
import { DerError, PkiError } from "./errors.js";
import { MAX_CERTIFICATE_BYTES, checkSize } from "./limits.js";
import { checkName } from "./names.js";
import { OID } from "./oids.js";
import type { SignatureAlgorithm, SignatureVerifier } from "./signer.js";
import { defaultVerifier, readAlgorithmIdentifier, signatureAlgorithmFromOid } from "./signer.js";
import { decodeTime } from "./time.js";

/** One extension as it appears in the certificate; `value` is the extnValue content (a view). */
export interface ExtensionView {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Zero-copy view of a parsed certificate. All `Uint8Array`s are views into `der`. */
export interface CertificateView {
  readonly der: Uint8Array;
  /** The signed TBSCertificate TLV. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** Serial INTEGER content octets (DER two's complement; a leading 0x00 keeps it positive). */
  readonly serial: Uint8Array;
  readonly signatureAlgorithmOid: string;
  /** Undefined when the algorithm is not one the twin verifies. */
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  /** Issuer Name TLV. */
  readonly issuer: Uint8Array;
  /** Subject Name TLV. */
  readonly subject: Uint8Array;
  /** Epoch ms. */
  readonly notBefore: number;
  /** Epoch ms, inclusive (RFC 5280 §4.1.2.5). */
  readonly notAfter: number;
  /** SubjectPublicKeyInfo TLV. */
  readonly spki: Uint8Array;
  readonly extensions: readonly ExtensionView[];
  /** signatureValue octets. */
  readonly signature: Uint8Array;
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | undefined } | undefined;
  /** KeyUsage bit mask (bit n = KeyUsage n), undefined when the extension is absent. */
  readonly keyUsage: number | undefined;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  /** cRLDistributionPoints: per point, the GeneralName TLVs of its fullName. */
  readonly crlDistributionPoints: readonly (readonly Uint8Array[])[];
  /** freshestCRL points (delta CRL locations), same shape. */
  readonly freshestCrl: readonly (readonly Uint8Array[])[];
  /** subjectAltName GeneralName TLVs. */
  readonly subjectAltNames: readonly Uint8Array[];
  /** OIDs of critical extensions the parser does not understand (only when allowed by options). */
  readonly unknownCriticalExtensions: readonly string[];
}

/** Options of {@link parseCertificate}. */
export interface ParseCertificateOptions {
  /** Collect unknown critical extensions in the view instead of throwing (path validation reports them). */
  readonly allowUnknownCritical?: boolean;
}

/** Extensions this parser understands (their semantics are processed or are informational). */
const KNOWN = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.basicConstraints,
  OID.cRLDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.freshestCRL,
]);

/** Read `GeneralNames` content `[start, end)` into GeneralName TLV views. */
export function readGeneralNames(r: DerReader, start: number, end: number, what: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = start;
  while (p < end) {
    p = r.read(p, end, what);
    if ((r.tag & 0xc0) !== 0x80) throw new DerError(what, r.tlvStart, "GeneralName must be context-tagged");
    out.push(r.tlv());
  }
  if (out.length === 0) throw new DerError(what, start, "GeneralNames must not be empty");
  return out;
}

/** Read a DistributionPointName `[0]` at the reader's current TLV content: returns fullName or []. */
export function readDistributionPointName(
  r: DerReader,
  start: number,
  end: number,
  what: string,
): Uint8Array[] {
  const e = r.read(start, end, what);
  r.done(e, end, what);
  if (r.tag === 0xa0) return readGeneralNames(r, r.valueStart, r.valueEnd, `${what}.fullName`);
  if (r.tag === 0xa1) return []; // nameRelativeToCRLIssuer: not used by JPKI
  throw new DerError(what, start, `bad DistributionPointName tag 0x${r.tag.toString(16)}`);
}

function readDistributionPoints(buf: Uint8Array, what: string): Uint8Array[][] {
  const r = new DerReader(buf);
  const end = r.expect(0, buf.length, Tag.SEQUENCE, what);
  r.done(end, buf.length, what);
  const out: Uint8Array[][] = [];
  let p = r.valueStart;
  while (p < end) {
    const dpEnd = r.expect(p, end, Tag.SEQUENCE, `${what}.point`);
    let q = r.valueStart;
    let names: Uint8Array[] = [];
    if (r.peek(q, dpEnd) === 0xa0) {
      const nEnd = r.read(q, dpEnd, `${what}.point.distributionPoint`);
      names = readDistributionPointName(r, r.valueStart, nEnd, `${what}.point.distributionPoint`);
      q = nEnd;
    }
    while (q < dpEnd) q = r.read(q, dpEnd, `${what}.point`); // reasons [1], cRLIssuer [2]
    out.push(names);
    p = dpEnd;
  }
  return out;
}

/**
 * Parse a DER certificate of at most {@link MAX_CERTIFICATE_BYTES}. Throws {@link DerError} on malformed
 * DER (issuer and subject included: they always decode with `decodeName`) or a broken size limit and
 * {@link PkiError} on RFC 5280 violations (mismatched signature
 * algorithms, duplicate or unknown critical extensions…).
 */
export function parseCertificate(der: Uint8Array, options: ParseCertificateOptions = {}): CertificateView {
  checkSize("Certificate", der.length, MAX_CERTIFICATE_BYTES, "MAX_CERTIFICATE_BYTES");
  const r = new DerReader(der);
  const certEnd = r.expect(0, der.length, Tag.SEQUENCE, "Certificate");
  r.done(certEnd, der.length, "Certificate");
  const tbsStart = r.valueStart;
  const tbsEnd = r.expect(tbsStart, certEnd, Tag.SEQUENCE, "TBSCertificate");
  const tbs = r.tlv();
  let p = r.valueStart;
  let version = 1;
  if (r.peek(p, tbsEnd) === 0xa0) {
    const vEnd = r.read(p, tbsEnd, "TBSCertificate.version");
    const iEnd = r.expect(r.valueStart, vEnd, Tag.INTEGER, "TBSCertificate.version");
    r.done(iEnd, vEnd, "TBSCertificate.version");
    version = r.small("TBSCertificate.version") + 1;
    if (version < 2 || version > 3)
      throw new DerError("TBSCertificate.version", p, `bad version v${version}`);
    p = vEnd;
  }
  p = r.expect(p, tbsEnd, Tag.INTEGER, "TBSCertificate.serialNumber");
  r.checkInteger("TBSCertificate.serialNumber");
  const serial = r.value();
  const innerAlgStart = p;
  const innerAlg = readAlgorithmIdentifier(r, p, tbsEnd, "TBSCertificate.signature");
  const innerAlgDer = der.subarray(innerAlgStart, innerAlg.end);
  p = r.expect(innerAlg.end, tbsEnd, Tag.SEQUENCE, "TBSCertificate.issuer");
  const issuer = r.tlv();
  checkName(issuer, "TBSCertificate.issuer");
  const valEnd = r.expect(p, tbsEnd, Tag.SEQUENCE, "TBSCertificate.validity");
  let q = r.read(r.valueStart, valEnd, "Validity.notBefore");
  const notBefore = decodeTime(der, r.tag, r.valueStart, r.valueEnd, "Validity.notBefore");
  q = r.read(q, valEnd, "Validity.notAfter");
  const notAfter = decodeTime(der, r.tag, r.valueStart, r.valueEnd, "Validity.notAfter");
  r.done(q, valEnd, "Validity");
  p = r.expect(valEnd, tbsEnd, Tag.SEQUENCE, "TBSCertificate.subject");
  const subject = r.tlv();
  checkName(subject, "TBSCertificate.subject");
  p = r.expect(p, tbsEnd, Tag.SEQUENCE, "TBSCertificate.subjectPublicKeyInfo");
  const spki = r.tlv();
  if (r.peek(p, tbsEnd) === 0x81) p = r.read(p, tbsEnd, "TBSCertificate.issuerUniqueID");
  if (r.peek(p, tbsEnd) === 0x82) p = r.read(p, tbsEnd, "TBSCertificate.subjectUniqueID");

  const extensions: ExtensionView[] = [];
  if (r.peek(p, tbsEnd) === 0xa3) {
    if (version !== 3) throw new PkiError("E_PKI_PROFILE", "extensions are only allowed in v3 certificates");
    const wrapEnd = r.read(p, tbsEnd, "TBSCertificate.extensions");
    const seqEnd = r.expect(r.valueStart, wrapEnd, Tag.SEQUENCE, "TBSCertificate.extensions");
    r.done(seqEnd, wrapEnd, "TBSCertificate.extensions");
    readExtensionList(r, r.valueStart, seqEnd, "Extension", extensions);
    if (extensions.length === 0)
      throw new DerError("TBSCertificate.extensions", p, "Extensions must not be empty");
    p = wrapEnd;
  }
  r.done(p, tbsEnd, "TBSCertificate");

  const outer = readAlgorithmIdentifier(r, tbsEnd, certEnd, "Certificate.signatureAlgorithm");
  if (!bytesEqual(der.subarray(tbsEnd, outer.end), innerAlgDer))
    throw new PkiError(
      "E_PKI_PROFILE",
      "signatureAlgorithm differs from TBSCertificate.signature (RFC 5280 §4.1.1.2)",
    );
  const sigEnd = r.expect(outer.end, certEnd, Tag.BIT_STRING, "Certificate.signatureValue");
  const signature = der.subarray(r.bitStringOctets("Certificate.signatureValue"), sigEnd);
  r.done(sigEnd, certEnd, "Certificate");

  return {
    der,
    tbs,
    version,
    serial,
    signatureAlgorithmOid: outer.oid,
    signatureAlgorithm: signatureAlgorithmFromOid(outer.oid),
    issuer,
    subject,
    notBefore,
    notAfter,
    spki,
    extensions,
    signature,
    ...decodeKnownExtensions(extensions, KNOWN, options.allowUnknownCritical === true),
  };
}

/** Read a SEQUENCE OF Extension body `[start, end)` into `out`, rejecting duplicates (RFC 5280 §4.2). */
export function readExtensionList(
  r: DerReader,
  start: number,
  end: number,
  what: string,
  out: ExtensionView[],
): void {
  let seen: Set<string> | undefined;
  let p = start;
  while (p < end) {
    const eEnd = r.expect(p, end, Tag.SEQUENCE, what);
    let q = r.expect(r.valueStart, eEnd, Tag.OID, `${what}.extnID`);
    const oid = r.oid(`${what}.extnID`);
    let critical = false;
    if (r.peek(q, eEnd) === Tag.BOOLEAN) {
      q = r.read(q, eEnd, `${what}.critical`);
      critical = r.boolean(`${what}.critical`);
      if (!critical)
        throw new DerError(
          `${what}.critical`,
          r.tlvStart,
          "critical FALSE is the DEFAULT and must be omitted in DER",
        );
    }
    q = r.expect(q, eEnd, Tag.OCTET_STRING, `${what}.extnValue`);
    const value = r.value();
    r.done(q, eEnd, what);
    // duplicate check: a scan while the list is short, a set beyond that (linear on hostile lists)
    let dup = false;
    if (seen) dup = seen.has(oid);
    else for (let k = 0; k < out.length && !dup; k++) dup = out[k]!.oid === oid;
    if (dup) throw new PkiError("E_PKI_PROFILE", `duplicate extension ${oid} (RFC 5280 §4.2)`);
    out.push({ oid, critical, value });
    if (seen) seen.add(oid);
    else if (out.length > 8) seen = new Set(out.map((e) => e.oid));
    p = eEnd;
  }
}

function decodeKnownExtensions(
  exts: readonly ExtensionView[],
  known: ReadonlySet<string>,
  allowUnknownCritical: boolean,
): Pick<
  CertificateView,
  | "basicConstraints"
  | "keyUsage"
  | "subjectKeyId"
  | "authorityKeyId"
  | "crlDistributionPoints"
  | "freshestCrl"
  | "subjectAltNames"
  | "unknownCriticalExtensions"
> {
  let basicConstraints: CertificateView["basicConstraints"];
  let keyUsage: number | undefined;
  let subjectKeyId: Uint8Array | undefined;
  let authorityKeyId: Uint8Array | undefined;
  let crlDistributionPoints: Uint8Array[][] = [];
  let freshestCrl: Uint8Array[][] = [];
  let subjectAltNames: Uint8Array[] = [];
  const unknownCriticalExtensions: string[] = [];
  for (const e of exts) {
    const v = e.value;
    const r = new DerReader(v);
    switch (e.oid) {
      case OID.basicConstraints: {
        const end = r.expect(0, v.length, Tag.SEQUENCE, "basicConstraints");
        r.done(end, v.length, "basicConstraints");
        let p = r.valueStart;
        let ca = false;
        let pathLen: number | undefined;
        if (r.peek(p, end) === Tag.BOOLEAN) {
          p = r.read(p, end, "basicConstraints.cA");
          ca = r.boolean("basicConstraints.cA");
          if (!ca)
            throw new DerError(
              "basicConstraints.cA",
              r.tlvStart,
              "cA FALSE is the DEFAULT and must be omitted",
            );
        }
        if (p < end) {
          p = r.expect(p, end, Tag.INTEGER, "basicConstraints.pathLenConstraint");
          pathLen = r.small("basicConstraints.pathLenConstraint");
        }
        r.done(p, end, "basicConstraints");
        basicConstraints = { ca, pathLen };
        break;
      }
      case OID.keyUsage: {
        const end = r.expect(0, v.length, Tag.BIT_STRING, "keyUsage");
        r.done(end, v.length, "keyUsage");
        keyUsage = r.namedBits("keyUsage");
        break;
      }
      case OID.subjectKeyIdentifier: {
        const end = r.expect(0, v.length, Tag.OCTET_STRING, "subjectKeyIdentifier");
        r.done(end, v.length, "subjectKeyIdentifier");
        subjectKeyId = r.value();
        break;
      }
      case OID.authorityKeyIdentifier: {
        const end = r.expect(0, v.length, Tag.SEQUENCE, "authorityKeyIdentifier");
        r.done(end, v.length, "authorityKeyIdentifier");
        let p = r.valueStart;
        while (p < end) {
          p = r.read(p, end, "authorityKeyIdentifier");
          if (r.tag === 0x80) authorityKeyId = r.value();
        }
        break;
      }
      case OID.cRLDistributionPoints:
        crlDistributionPoints = readDistributionPoints(v, "cRLDistributionPoints");
        break;
      case OID.freshestCRL:
        freshestCrl = readDistributionPoints(v, "freshestCRL");
        break;
      case OID.subjectAltName: {
        const end = r.expect(0, v.length, Tag.SEQUENCE, "subjectAltName");
        r.done(end, v.length, "subjectAltName");
        subjectAltNames = readGeneralNames(r, r.valueStart, end, "subjectAltName");
        break;
      }
      default:
        if (known.has(e.oid)) {
          const end = r.read(0, v.length, e.oid);
          r.done(end, v.length, e.oid);
        } else if (e.critical) {
          if (!allowUnknownCritical)
            throw new PkiError(
              "E_PKI_UNKNOWN_CRITICAL_EXTENSION",
              `unknown critical extension ${e.oid} (RFC 5280 §4.2)`,
            );
          unknownCriticalExtensions.push(e.oid);
        }
    }
  }
  return {
    basicConstraints,
    keyUsage,
    subjectKeyId,
    authorityKeyId,
    crlDistributionPoints,
    freshestCrl,
    subjectAltNames,
    unknownCriticalExtensions,
  };
}

/** Verify `cert`'s signature with the issuer's SubjectPublicKeyInfo. False on any mismatch. */
export function verifyCertificateSignature(
  cert: CertificateView,
  issuerSpki: Uint8Array,
  verifier: SignatureVerifier = defaultVerifier,
): boolean {
  if (!cert.signatureAlgorithm) return false;
  return verifier.verify(cert.signatureAlgorithm, issuerSpki, cert.tbs, cert.signature);
}

/** True when the certificate is valid at `atMs` (both bounds inclusive, RFC 5280 §4.1.2.5). */
export function isWithinValidity(cert: CertificateView, atMs: number): boolean {
  return atMs >= cert.notBefore && atMs <= cert.notAfter;
}
