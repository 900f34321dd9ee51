/**
 * Object identifiers used by the twin (RFC 5280 §4.1.1.2, §4.2.1, §5.2, §5.3; RFC 4055; RFC 5758;
 * RFC 5480; FACTS.md §1.2–1.3 for the J-LIS arc 1.2.392.200149.8.5) and their DER encoding
 * (X.690 §8.19) with a cache, so hot writers pay the dotted-string parse once per OID.
 * @module
 */
import { DerError, PkiError } from "./errors.js";
import { MAX_OID_OCTETS, MAX_OID_SUBIDENTIFIER_OCTETS } from "./limits.js";

/** Well-known OIDs, dotted. */
export const OID = {
  // Algorithms
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  sha384WithRSAEncryption: "1.2.840.113549.1.1.12",
  sha512WithRSAEncryption: "1.2.840.113549.1.1.13",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  ecdsaWithSHA384: "1.2.840.10045.4.3.3",
  ecdsaWithSHA512: "1.2.840.10045.4.3.4",
  prime256v1: "1.2.840.10045.3.1.7",
  secp384r1: "1.3.132.0.34",
  // Attribute types (X.520)
  commonName: "2.5.4.3",
  serialNumber: "2.5.4.5",
  countryName: "2.5.4.6",
  localityName: "2.5.4.7",
  stateOrProvinceName: "2.5.4.8",
  organizationName: "2.5.4.10",
  organizationalUnitName: "2.5.4.11",
  // Certificate extensions (RFC 5280 §4.2.1)
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  cRLDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  freshestCRL: "2.5.29.46",
  // CRL and CRL entry extensions (RFC 5280 §5.2, §5.3)
  cRLNumber: "2.5.29.20",
  reasonCode: "2.5.29.21",
  invalidityDate: "2.5.29.24",
  deltaCRLIndicator: "2.5.29.27",
  issuingDistributionPoint: "2.5.29.28",
  certificateIssuer: "2.5.29.29",
  // J-LIS subjectAltName otherName types of the signature certificate (FACTS §1.3)
  jpkiName: "1.2.392.200149.8.5.5.1",
  jpkiNameSubstitute: "1.2.392.200149.8.5.5.2",
  jpkiSex: "1.2.392.200149.8.5.5.3",
  jpkiDateOfBirth: "1.2.392.200149.8.5.5.4",
  jpkiAddress: "1.2.392.200149.8.5.5.5",
  jpkiAddressSubstitute: "1.2.392.200149.8.5.5.6",
  // J-LIS certificate policies (signature class 20, authentication class 30)
  jpkiPolicySign: "1.2.392.200149.8.5.1.1.20",
  jpkiPolicyAuth: "1.2.392.200149.8.5.1.3.30",
} as const;

/** Short names for display (RFC 4514 keywords where they exist). */
export const OID_NAMES: ReadonlyMap<string, string> = new Map([
  [OID.commonName, "CN"],
  [OID.serialNumber, "serialNumber"],
  [OID.countryName, "C"],
  [OID.localityName, "L"],
  [OID.stateOrProvinceName, "ST"],
  [OID.organizationName, "O"],
  [OID.organizationalUnitName, "OU"],
]);

const cache = new Map<string, Uint8Array>();

/** Full DER TLV (tag 0x06, length, content) of a dotted OID; cached, do not mutate the result. */
export function encodeOid(dotted: string): Uint8Array {
  const hit = cache.get(dotted);
  if (hit) return hit;
  const parts = dotted.split(".").map((p) => {
    if (!/^\d+$/.test(p)) throw new PkiError("E_PKI_INPUT", `bad OID "${dotted}"`);
    return BigInt(p);
  });
  if (parts.length < 2 || parts[0]! > 2n || (parts[0]! < 2n && parts[1]! > 39n))
    throw new PkiError("E_PKI_INPUT", `bad OID "${dotted}"`);
  const arcs = [parts[0]! * 40n + parts[1]!, ...parts.slice(2)];
  const content: number[] = [];
  for (const arc of arcs) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.push(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    if (groups.length > MAX_OID_SUBIDENTIFIER_OCTETS)
      throw new PkiError(
        "E_PKI_INPUT",
        `OID "${dotted}" has an arc longer than MAX_OID_SUBIDENTIFIER_OCTETS = ${MAX_OID_SUBIDENTIFIER_OCTETS} octets`,
      );
    for (let i = groups.length - 1; i >= 0; i--) content.push(groups[i]! | (i > 0 ? 0x80 : 0));
  }
  if (content.length > MAX_OID_OCTETS)
    throw new PkiError(
      "E_PKI_INPUT",
      `OID "${dotted}" is longer than MAX_OID_OCTETS = ${MAX_OID_OCTETS} octets`,
    );
  const tlv = Uint8Array.from([0x06, content.length, ...content]);
  cache.set(dotted, tlv);
  return tlv;
}

/** Value of the sub-identifier in octets `[s, e)` (continuation bits set on all but the last). */
function subIdentifier(buf: Uint8Array, s: number, e: number): number | bigint {
  if (e - s <= 7) {
    // at most 49 bits: exact in a double
    let v = 0;
    for (let k = s; k < e; k++) v = v * 128 + (buf[k]! & 0x7f);
    return v;
  }
  let v = 0n; // at most MAX_OID_SUBIDENTIFIER_OCTETS octets: constant work
  for (let k = s; k < e; k++) v = (v << 7n) | BigInt(buf[k]! & 0x7f);
  return v;
}

/**
 * Check OID content octets `[start, end)` (X.690 §8.19) without decoding them: not empty, at most
 * {@link MAX_OID_OCTETS}, every sub-identifier minimal, complete and at most
 * {@link MAX_OID_SUBIDENTIFIER_OCTETS} long. One linear pass, allocation-free unless it throws a
 * {@link DerError} (naming the limit when one is broken, found before the octets beyond it are read).
 */
export function checkOid(buf: Uint8Array, start: number, end: number, what = "OBJECT IDENTIFIER"): void {
  if (end <= start) throw new DerError(what, start, "empty OBJECT IDENTIFIER");
  if (end - start > MAX_OID_OCTETS)
    throw new DerError(
      what,
      start,
      `OBJECT IDENTIFIER of ${end - start} octets exceeds the limit MAX_OID_OCTETS = ${MAX_OID_OCTETS}`,
      MAX_OID_OCTETS,
    );
  let sub = start;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (i === sub && b === 0x80) throw new DerError(what, i, "non-minimal OID sub-identifier");
    if (b & 0x80) {
      if (i === end - 1) throw new DerError(what, i, "truncated OID sub-identifier");
      if (i - sub + 2 > MAX_OID_SUBIDENTIFIER_OCTETS)
        throw new DerError(
          what,
          sub,
          `OID sub-identifier longer than the limit MAX_OID_SUBIDENTIFIER_OCTETS = ${MAX_OID_SUBIDENTIFIER_OCTETS} octets`,
          MAX_OID_SUBIDENTIFIER_OCTETS,
        );
    } else sub = i + 1;
  }
}

/**
 * Decode OID content octets `[start, end)` to dotted form after {@link checkOid}: linear in the
 * content length (at most {@link MAX_OID_OCTETS}), big-number arithmetic only on sub-identifiers of
 * more than 7 octets (at most {@link MAX_OID_SUBIDENTIFIER_OCTETS}).
 */
export function decodeOid(buf: Uint8Array, start: number, end: number, what = "OBJECT IDENTIFIER"): string {
  checkOid(buf, start, end, what);
  let out = "";
  let sub = start;
  for (let i = start; i < end; i++) {
    if (buf[i]! & 0x80) continue;
    const v = subIdentifier(buf, sub, i + 1);
    if (sub === start) {
      // the first sub-identifier packs the first two arcs: 40 * x + y (X.690 §8.19.4)
      const top = v < 40 ? 0 : v < 80 ? 1 : 2;
      out = typeof v === "number" ? `${top}.${v - top * 40}` : `${top}.${v - BigInt(top * 40)}`;
    } else out += `.${v}`;
    sub = i + 1;
  }
  return out;
}

/** True when OID content octets `[start, end)` of `buf` equal the encoding of `dotted` (no allocation). */
export function oidEquals(buf: Uint8Array, start: number, end: number, dotted: string): boolean {
  const tlv = encodeOid(dotted);
  if (tlv.length - 2 !== end - start) return false;
  for (let i = 0; i < end - start; i++) if (buf[start + i] !== tlv[i + 2]) return false;
  return true;
}
