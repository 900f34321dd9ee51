/**
 * X.501 distinguished names as used by JPKI (RFC 5280 §4.1.2.4, §4.1.2.6; FACTS.md §1.2–1.3):
 * single-valued RDNs, `countryName` and `serialNumber` as PrintableString, everything else as
 * UTF8String (the encoding the published J-LIS roots use). Names travel as their DER bytes; two
 * names are compared byte-for-byte, which is exact for names this module encodes (RFC 5280 §7.1
 * allows it when both sides use the same encoding).
 * @module
 */
import { DerReader } from "./der-reader.js";
import { DerError } from "./errors.js";
import { DerWriter, Tag } from "./der-writer.js";
import { MAX_NAME_BYTES, checkSize } from "./limits.js";
import { OID, OID_NAMES, checkOid, decodeOid } from "./oids.js";

/** Attribute type: a short name (`C`, `O`, `OU`, `CN`, `L`, `ST`, `serialNumber`) or a dotted OID. */
export type AttributeType = "C" | "O" | "OU" | "CN" | "L" | "ST" | "serialNumber" | (string & {});

/** One single-valued RDN: `[type, value]`. */
export type Rdn = readonly [AttributeType, string];

const SHORT: Readonly<Record<string, string>> = {
  C: OID.countryName,
  O: OID.organizationName,
  OU: OID.organizationalUnitName,
  CN: OID.commonName,
  L: OID.localityName,
  ST: OID.stateOrProvinceName,
  serialNumber: OID.serialNumber,
};

/** Write a Name (RDNSequence) into `w`. */
export function writeName(w: DerWriter, rdns: readonly Rdn[]): void {
  w.begin(Tag.SEQUENCE);
  for (const [type, value] of rdns) {
    const oid = SHORT[type] ?? type;
    w.begin(Tag.SET);
    w.begin(Tag.SEQUENCE);
    w.oid(oid);
    if (oid === OID.countryName || oid === OID.serialNumber) w.printableString(value);
    else w.utf8String(value);
    w.end();
    w.end();
  }
  w.end();
}

/** DER of a Name, e.g. `encodeName([["C", "JP"], ["CN", "997794E9AGCIEG13221003A"]])`. */
export function encodeName(rdns: readonly Rdn[]): Uint8Array {
  const w = new DerWriter(256);
  writeName(w, rdns);
  return w.finishCopy();
}

/**
 * Walk a Name TLV (the whole of `der`, at most {@link MAX_NAME_BYTES}): RDNSequence → SET → one or
 * more AttributeTypeAndValue { OID, directory string }. Calls `atv` with the reader positioned on
 * each value, after its type OID was checked. Linear and iterative. Throws {@link DerError}.
 */
function walkName(
  der: Uint8Array,
  what: string,
  atv: (r: DerReader, typeStart: number, typeEnd: number, whatValue: string) => void,
): void {
  checkSize(what, der.length, MAX_NAME_BYTES, "MAX_NAME_BYTES");
  const wRdn = `${what}.rdn`;
  const wAtv = `${what}.rdn.atv`;
  const wType = `${what}.rdn.atv.type`;
  const wValue = `${what}.rdn.atv.value`;
  const r = new DerReader(der);
  const end = r.expect(0, der.length, Tag.SEQUENCE, what);
  r.done(end, der.length, what);
  let p = r.valueStart;
  while (p < end) {
    const setEnd = r.expect(p, end, Tag.SET, wRdn);
    let q = r.valueStart;
    if (q === setEnd) throw new DerError(wRdn, q, "empty RelativeDistinguishedName");
    while (q < setEnd) {
      const atvEnd = r.expect(q, setEnd, Tag.SEQUENCE, wAtv);
      const tEnd = r.expect(r.valueStart, atvEnd, Tag.OID, wType);
      const ts = r.valueStart;
      checkOid(der, ts, tEnd, wType);
      const vEnd = r.read(tEnd, atvEnd, wValue);
      r.done(vEnd, atvEnd, wAtv);
      atv(r, ts, tEnd, wValue);
      q = atvEnd;
    }
    p = setEnd;
  }
}

const checkValue = (r: DerReader, _ts: number, _te: number, whatValue: string): void =>
  r.checkString(whatValue);

/**
 * Check that a Name TLV decodes with {@link decodeName} — same rules, without decoding the values
 * (no strings built). Certificate and CRL parsers call it on issuer and subject, so a Name they
 * accept can always be displayed.
 */
export function checkName(der: Uint8Array, what = "Name"): void {
  walkName(der, what, checkValue);
}

/**
 * Decode a Name TLV of at most {@link MAX_NAME_BYTES} into its RDNs (multi-valued RDNs are flattened in
 * order). Linear and iterative; each value at most `MAX_STRING_BYTES`. Throws {@link DerError}.
 */
export function decodeName(der: Uint8Array, what = "Name"): Rdn[] {
  const out: [string, string][] = [];
  walkName(der, what, (r, ts, te, whatValue) => {
    const oid = decodeOid(der, ts, te, `${what}.rdn.atv.type`);
    out.push([OID_NAMES.get(oid) ?? oid, r.string(whatValue)]);
  });
  return out;
}

/** RFC 4514-like display in X.509 order: `C=JP, O=JPKI, OU=…` (the form `openssl -nameopt` prints). */
export function formatName(der: Uint8Array): string {
  return decodeName(der)
    .map(([t, v]) => `${t}=${v}`)
    .join(", ");
}
