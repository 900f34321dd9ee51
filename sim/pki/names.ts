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
import { OID, OID_NAMES } from "./oids.js";

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
 * Decode a Name TLV of at most {@link MAX_NAME_BYTES} into its RDNs (multi-valued RDNs are flattened in
 * order). Linear and iterative; each value at most `MAX_STRING_BYTES`. Throws {@link DerError}.
 */
export function decodeName(der: Uint8Array, what = "Name"): Rdn[] {
  checkSize(what, der.length, MAX_NAME_BYTES, "MAX_NAME_BYTES");
  const r = new DerReader(der);
  const end = r.expect(0, der.length, Tag.SEQUENCE, what);
  r.done(end, der.length, what);
  const out: [string, string][] = [];
  let p = r.valueStart;
  while (p < end) {
    const setEnd = r.expect(p, end, Tag.SET, `${what}.rdn`);
    let q = r.valueStart;
    if (q === setEnd) throw new DerError(`${what}.rdn`, q, "empty RelativeDistinguishedName");
    while (q < setEnd) {
      const atvEnd = r.expect(q, setEnd, Tag.SEQUENCE, `${what}.rdn.atv`);
      const tEnd = r.expect(r.valueStart, atvEnd, Tag.OID, `${what}.rdn.atv.type`);
      const oid = r.oid(`${what}.rdn.atv.type`);
      const vEnd = r.read(tEnd, atvEnd, `${what}.rdn.atv.value`);
      r.done(vEnd, atvEnd, `${what}.rdn.atv`);
      out.push([OID_NAMES.get(oid) ?? oid, r.string(`${what}.rdn.atv.value`)]);
      q = atvEnd;
    }
    p = setEnd;
  }
  return out;
}

/** RFC 4514-like display in X.509 order: `C=JP, O=JPKI, OU=…` (the form `openssl -nameopt` prints). */
export function formatName(der: Uint8Array): string {
  return decodeName(der)
    .map(([t, v]) => `${t}=${v}`)
    .join(", ");
}
