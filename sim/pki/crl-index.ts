/**
 * CRL parser and revocation index (RFC 5280 §5.1–5.3; ANCHORS.md §2.5 and §5: the Node libraries
 * that build one object per entry need seconds and a gigabyte for 10^5 entries). One strict
 * validation pass walks revokedCertificates by offsets, working on the bytes (no object or string per
 * entry): every revocationDate must be a real calendar instant in the RFC 5280 form, every reasonCode
 * a CRLReason (0–10 except 7), every entry extension well formed — a bad entry is a typed error naming
 * `revokedCertificates[i]` and the field, so nothing the index later decodes can fail. The input is
 * at most `MAX_CRL_BYTES`; a given issuer key is checked before the index is built. A second pass
 * hashes each serial (keyed per process) into an open-addressing, linear-probing `Uint32Array` table
 * (1.4 slots per entry) whose slot holds the entry's byte offset and the serial
 * itself (issue 11 item 6: "store the serial in the slot"), so a lookup reads one slot, not the DER.
 * Lookup is O(1) and allocation-free; revocationDate and reasonCode are decoded lazily from the DER on
 * a hit. The index costs 28 bytes per entry against ≈ 49 bytes of DER per entry.
 * @module
 */
import { randomBytes } from "node:crypto";
import { DerReader, bytesEqual } from "./der-reader.js";
import { Tag } from "./der-writer.js";
import type { PkiErrorCode } from "./errors.js";
import { DerError, PkiError } from "./errors.js";
import type { ExtensionView } from "./certificate.js";
import { readDistributionPointName, readExtensionList } from "./certificate.js";
import { MAX_CRL_BYTES, checkSize } from "./limits.js";
import { checkName } from "./names.js";
import { OID } from "./oids.js";
import type { SignatureAlgorithm, SignatureVerifier } from "./signer.js";
import { defaultVerifier, readAlgorithmIdentifier, signatureAlgorithmFromOid } from "./signer.js";
import { REASON_EXT_PREFIX } from "./crl-builder.js";
import { checkTime, decodeTime, isValidTime } from "./time.js";

/** Sentinel reason for entries without a reasonCode extension. */
export const REASON_ABSENT = -1;

/** Random key of the index's hash, per process: serials chosen to collide cannot be precomputed. */
const HASH_KEY = randomBytes(4).readUInt32LE(0);

/** Words per table slot: handle + 1 (+ {@link LONG}) and the serial's last 16 octets as 4 words (the hash is recomputed from them). */
const SLOT = 5;
/** Added to a slot's `handle + 1` when the serial is longer than 16 octets (its head is compared in the DER). */
const LONG = 0x80000000;
/** Slots per entry (load ≤ 0.71): the table costs 28 bytes per entry against ≈ 49 of DER. */
const SLOTS_PER_ENTRY = 1.4;

/** murmur3's finaliser. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keyed mix of a serial's four words (murmur3 finaliser over a multiply-add of the words). */
function mixWords(w0: number, w1: number, w2: number, w3: number): number {
  return fmix(
    ((w3 ^ HASH_KEY) +
      Math.imul(w2 ^ (HASH_KEY >>> 7), 0x9e3779b1) +
      Math.imul(w1, 0x85ebca77) +
      Math.imul(w0, 0xc2b2ae3d)) >>>
      0,
  );
}

/**
 * The serial magnitude `buf[s, e)` (no leading zero octet) as four big-endian words of its last 16
 * octets, zero-padded on the left, into `out[0..3]`; returns the keyed hash over them and the length.
 */
function serialWords(buf: Uint8Array, s: number, e: number, out: Uint32Array): number {
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  for (let i = Math.max(s, e - 16); i < e; i++) {
    w0 = (w0 << 8) | (w1 >>> 24);
    w1 = (w1 << 8) | (w2 >>> 24);
    w2 = (w2 << 8) | (w3 >>> 24);
    w3 = (w3 << 8) | buf[i]!;
  }
  out[0] = w0;
  out[1] = w1;
  out[2] = w2;
  out[3] = w3;
  return mixWords(out[0]!, out[1]!, out[2]!, out[3]!);
}

/** Revocation state of one serial (allocated only by {@link CrlIndex.status}). */
export type RevocationStatus =
  | { readonly revoked: false }
  | { readonly revoked: true; readonly revokedAt: number; readonly reason: number };

/**
 * Hash index over the revokedCertificates of one CRL DER. Entries are identified by a *handle*: the
 * byte offset of the entry's SEQUENCE in the DER. Each table slot stores `handle + 1` and the serial
 * itself (its last 16 octets; JPKI serials are 16), so a lookup — hit or miss —
 * reads only the table; the DER is read only for serials longer than 16 octets (to compare the rest)
 * and for dates and reasons. Robin Hood linear probing keeps hits and misses to ≈ 2 slots at 0.71 load.
 */
export class CrlIndex {
  /** Number of entries (duplicates included). */
  readonly count: number;
  /** Entries whose serial appeared earlier (kept out of the table). */
  readonly duplicates: number;
  /**
   * Table slots visited while building (≈1.5–2 per entry at load ≤ 0.71). A diagnostic of hash
   * quality: the hash is keyed per process, so serials chosen to collide cannot push this towards
   * count²/2.
   */
  readonly probes: number;
  private readonly der: Uint8Array;
  private readonly table: Uint32Array;
  private readonly slots: number;
  private readonly listStart: number;
  private readonly listEnd: number;
  private readonly q = new Uint32Array(4);

  /** @internal built by {@link parseCrl} from the already-validated entry region `[listStart, listEnd)`. */
  constructor(der: Uint8Array, listStart: number, listEnd: number, count: number) {
    this.der = der;
    this.count = count;
    this.listStart = listStart;
    this.listEnd = listEnd;
    const slots = Math.max(16, Math.ceil(count * SLOTS_PER_ENTRY));
    const table = new Uint32Array(slots * SLOT);
    this.table = table;
    this.slots = slots;
    const w = this.q;
    let dups = 0;
    let probes = 0;
    let h = listStart;
    while (h < listEnd) {
      const l1 = der[h + 1]!;
      const hdr = l1 < 0x80 ? 2 : 2 + (l1 & 0x7f);
      let len = 0;
      if (l1 < 0x80) len = l1;
      else for (let k = 0; k < (l1 & 0x7f); k++) len = len * 256 + der[h + 2 + k]!;
      let s = h + hdr + 2;
      const e = s + der[h + hdr + 1]!;
      if (e - s > 1 && der[s] === 0) s++;
      const hash = serialWords(der, s, e, w);
      // Robin Hood insertion: an entry farther from its home slot takes the place of a nearer one,
      // so a lookup may stop as soon as it meets an entry nearer home than it has walked
      let c0 = (h + 1 + (e - s > 16 ? LONG : 0)) >>> 0;
      let c1 = w[0]!;
      let c2 = w[1]!;
      let c3 = w[2]!;
      let c4 = w[3]!;
      let slot = Math.floor((hash * slots) / 4294967296);
      let dist = 0;
      let original = true;
      for (;;) {
        probes++;
        const at = slot * SLOT;
        if (table[at] === 0) {
          table[at] = c0;
          table[at + 1] = c1;
          table[at + 2] = c2;
          table[at + 3] = c3;
          table[at + 4] = c4;
          break;
        }
        if (original && this.slotMatches(at, w, der, s, e)) {
          dups++;
          break;
        }
        const t1 = table[at + 1]!;
        const t2 = table[at + 2]!;
        const t3 = table[at + 3]!;
        const t4 = table[at + 4]!;
        const home = Math.floor((mixWords(t1, t2, t3, t4) * slots) / 4294967296);
        const rd = slot >= home ? slot - home : slot + slots - home;
        if (rd < dist) {
          const t0 = table[at]!;
          table[at] = c0;
          table[at + 1] = c1;
          table[at + 2] = c2;
          table[at + 3] = c3;
          table[at + 4] = c4;
          c0 = t0;
          c1 = t1;
          c2 = t2;
          c3 = t3;
          c4 = t4;
          dist = rd;
          original = false;
        }
        if (++slot === slots) slot = 0;
        dist++;
      }
      h += hdr + len;
    }
    this.duplicates = dups;
    this.probes = probes;
  }

  /** Offset of the serial's first magnitude octet of entry `handle`, and its length packed as start*128+len. */
  private serialOf(handle: number): number {
    const d = this.der;
    const l1 = d[handle + 1]!;
    const hdr = l1 < 0x80 ? 2 : 2 + (l1 & 0x7f);
    let len = d[handle + hdr + 1]!;
    let s = handle + hdr + 2;
    if (len > 1 && d[s] === 0) {
      s++;
      len--;
    }
    return s * 128 + len;
  }

  /** Slot at word `at` holds the serial `q[qs, qe)` whose last 16 octets are the words `w`. */
  private slotMatches(at: number, w: Uint32Array, q: Uint8Array, qs: number, qe: number): boolean {
    const t = this.table;
    if (t[at + 1] !== w[0] || t[at + 2] !== w[1] || t[at + 3] !== w[2] || t[at + 4] !== w[3]) return false;
    const long = t[at]! >= LONG;
    if (long !== qe - qs > 16) return false;
    if (!long) return true;
    // longer than 16 octets: compare the length and the leading octets in the DER
    const packed = this.serialOf(t[at]! - LONG - 1);
    const len = packed % 128;
    if (len !== qe - qs) return false;
    const s = (packed - len) / 128;
    const d = this.der;
    for (let k = 0; k < len - 16; k++) if (d[s + k] !== q[qs + k]) return false;
    return true;
  }

  /**
   * Handle of the entry listing `serial` (unsigned big-endian magnitude; leading zeros ignored), or -1.
   * Allocation-free.
   */
  find(serial: Uint8Array): number {
    let qs = 0;
    const qe = serial.length;
    while (qs < qe - 1 && serial[qs] === 0) qs++;
    const w = this.q;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    for (let i = Math.max(qs, qe - 16); i < qe; i++) {
      w0 = (w0 << 8) | (w1 >>> 24);
      w1 = (w1 << 8) | (w2 >>> 24);
      w2 = (w2 << 8) | (w3 >>> 24);
      w3 = (w3 << 8) | serial[i]!;
    }
    w0 >>>= 0;
    w1 >>>= 0;
    w2 >>>= 0;
    w3 >>>= 0;
    const hash = mixWords(w0, w1, w2, w3);
    const table = this.table;
    const slots = this.slots;
    const long = qe - qs > 16;
    let slot = Math.floor((hash * slots) / 4294967296);
    for (let dist = 0; ; dist++) {
      const at = slot * SLOT;
      const h = table[at]!;
      if (h === 0) return -1;
      const t1 = table[at + 1]!;
      const t2 = table[at + 2]!;
      const t3 = table[at + 3]!;
      const t4 = table[at + 4]!;
      if (t1 === w0 && t2 === w1 && t3 === w2 && t4 === w3) {
        if (!long && h < LONG) return h - 1;
        w[0] = w0;
        w[1] = w1;
        w[2] = w2;
        w[3] = w3;
        if (this.slotMatches(at, w, serial, qs, qe)) return (h >= LONG ? h - LONG : h) - 1;
      }
      const home = Math.floor((mixWords(t1, t2, t3, t4) * slots) / 4294967296);
      if ((slot >= home ? slot - home : slot + slots - home) < dist) return -1; // Robin Hood: not here
      if (++slot === slots) slot = 0;
    }
  }

  /** True when `serial` is listed. */
  has(serial: Uint8Array): boolean {
    return this.find(serial) >= 0;
  }

  /** Call `fn` with the handle of every entry, in DER order. */
  forEach(fn: (handle: number) => void): void {
    const d = this.der;
    let h = this.listStart;
    while (h < this.listEnd) {
      const l1 = d[h + 1]!;
      let len = 0;
      if (l1 < 0x80) len = l1;
      else for (let k = 0; k < (l1 & 0x7f); k++) len = len * 256 + d[h + 2 + k]!;
      fn(h);
      h += (l1 < 0x80 ? 2 : 2 + (l1 & 0x7f)) + len;
    }
  }

  /** Serial magnitude of entry `handle` (a view into the DER). */
  serialAt(handle: number): Uint8Array {
    const packed = this.serialOf(handle);
    const len = packed % 128;
    const s = (packed - len) / 128;
    return this.der.subarray(s, s + len);
  }

  /** revocationDate of entry `handle`, epoch ms (decoded from the DER). */
  revokedAt(handle: number): number {
    const r = new DerReader(this.der);
    const entryEnd = r.read(handle, this.listEnd, "revokedCertificates");
    const s = r.read(r.valueStart, entryEnd, "revokedCertificates.userCertificate");
    r.read(s, entryEnd, "revokedCertificates.revocationDate");
    return decodeTime(this.der, r.tag, r.valueStart, r.valueEnd, "revokedCertificates.revocationDate");
  }

  /** CRLReason of entry `handle`, or {@link REASON_ABSENT}. */
  reason(handle: number): number {
    const r = new DerReader(this.der);
    const end = r.read(handle, this.listEnd, "revokedCertificates");
    const s = r.read(r.valueStart, end, "revokedCertificates.userCertificate");
    const t = r.read(s, end, "revokedCertificates.revocationDate");
    if (t === end) return REASON_ABSENT;
    const extEnd = r.expect(t, end, Tag.SEQUENCE, "revokedCertificates.crlEntryExtensions");
    let p = r.valueStart;
    while (p < extEnd) {
      const eEnd = r.expect(p, extEnd, Tag.SEQUENCE, "crlEntryExtension");
      const oEnd = r.expect(r.valueStart, eEnd, Tag.OID, "crlEntryExtension.extnID");
      if (r.oid("crlEntryExtension.extnID") === OID.reasonCode) {
        let q = oEnd;
        if (r.peek(q, eEnd) === Tag.BOOLEAN) q = r.read(q, eEnd, "crlEntryExtension.critical");
        r.expect(q, eEnd, Tag.OCTET_STRING, "reasonCode");
        r.expect(r.valueStart, r.valueEnd, Tag.ENUMERATED, "reasonCode");
        return r.small("reasonCode");
      }
      p = eEnd;
    }
    return REASON_ABSENT;
  }

  /** Revocation status of `serial` (one small object; use {@link find} in hot loops). */
  status(serial: Uint8Array): RevocationStatus {
    const h = this.find(serial);
    if (h < 0) return { revoked: false };
    return { revoked: true, revokedAt: this.revokedAt(h), reason: this.reason(h) };
  }
}

/** A parsed, indexed CRL; `Uint8Array`s are views into `der`. */
export interface ParsedCrl {
  readonly der: Uint8Array;
  /** The signed TBSCertList TLV. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  readonly signature: Uint8Array;
  /** Issuer Name TLV. */
  readonly issuer: Uint8Array;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly crlNumber: bigint | undefined;
  /** Set on delta CRLs: the base CRL number (deltaCRLIndicator). */
  readonly deltaBaseCrlNumber: bigint | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  /** issuingDistributionPoint present (the CRL is scoped). */
  readonly hasIssuingDistributionPoint: boolean;
  /** IDP fullName GeneralName TLVs ([] when the IDP has no distributionPoint). */
  readonly distributionPoint: readonly Uint8Array[];
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  /** IDP onlySomeReasons present: the CRL covers only some revocation reasons (RFC 5280 §5.2.5). */
  readonly onlySomeReasons: boolean;
  /** IDP indirectCRL: entries may belong to other issuers (RFC 5280 §5.2.5, §5.3.3). */
  readonly indirectCrl: boolean;
  /** IDP onlyContainsAttributeCerts: covers no public-key certificate at all. */
  readonly onlyContainsAttributeCerts: boolean;
  readonly extensions: readonly ExtensionView[];
  readonly entries: CrlIndex;
}

/** Options of {@link parseCrl}. */
export interface ParseCrlOptions {
  /** Verify the signature with this SubjectPublicKeyInfo; throws E_PKI_BAD_SIGNATURE on failure. */
  readonly issuerSpki?: Uint8Array;
  readonly verifier?: SignatureVerifier;
}

const KNOWN_CRL_EXTS = new Set<string>([
  OID.authorityKeyIdentifier,
  OID.cRLNumber,
  OID.deltaCRLIndicator,
  OID.issuingDistributionPoint,
  OID.freshestCRL,
  OID.issuerAltName,
]);

/** Field-name prefix of per-entry errors while walking; replaced by `revokedCertificates[i]` on the way out. */
const W_ENTRY = "revokedCertificates.entry";
const W_SERIAL = `${W_ENTRY}.userCertificate`;
const W_DATE = `${W_ENTRY}.revocationDate`;
const W_EXTS = `${W_ENTRY}.crlEntryExtensions`;
const W_REASON = `${W_EXTS}.reasonCode`;
const W_INVALIDITY = `${W_EXTS}.invalidityDate`;

/** 1 at the CRLReason values RFC 5280 §5.3.1 defines (0–10; 7 is not used), 0 elsewhere. */
const REASON_OK = Uint8Array.from({ length: 256 }, (_, v) => (v <= 10 && v !== 7 ? 1 : 0));

/** True when `v` is a CRLReason RFC 5280 §5.3.1 defines (0–10 except 7). */
export function isCrlReason(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 10 && v !== 7;
}

const badReason = (v: number | string, offset: number): DerError =>
  new DerError(W_REASON, offset, `reasonCode ${v} is not a CRLReason (RFC 5280 §5.3.1: 0–10 except 7)`);

/** Check a reasonCode extnValue: exactly one minimal ENUMERATED holding a CRLReason. */
function checkReasonCode(v: Uint8Array): void {
  const r = new DerReader(v);
  r.done(r.expect(0, v.length, Tag.ENUMERATED, W_REASON), v.length, W_REASON);
  const n = r.checkInteger(W_REASON);
  if (n !== 1) throw badReason(`of ${n} octets`, r.valueStart);
  if (!REASON_OK[v[r.valueStart]!]) throw badReason(v[r.valueStart]!, r.valueStart);
}

/** Check an invalidityDate extnValue: one GeneralizedTime (RFC 5280 §5.3.2) that is a real instant. */
function checkInvalidityDate(v: Uint8Array): void {
  const r = new DerReader(v);
  r.done(r.expect(0, v.length, 0x18, W_INVALIDITY), v.length, W_INVALIDITY);
  checkTime(v, r.tag, r.valueStart, r.valueEnd, W_INVALIDITY);
}

/** The per-entry error `e` thrown while walking entry `index`, re-attributed to `revokedCertificates[index]`. */
function atEntry(e: unknown, index: number): unknown {
  const where = `TBSCertList.revokedCertificates[${index}]`;
  if (e instanceof DerError && e.what.startsWith(W_ENTRY))
    return e.renamed(where + e.what.slice(W_ENTRY.length));
  if (e instanceof PkiError) return new PkiError(e.code as PkiErrorCode, `${where}: ${e.message}`);
  return e;
}

/** RFC 5280 §5.2.3: a CRL number (and so a delta's base CRL number) is a non-negative INTEGER of at most 20 octets. */
function checkCrlNumberLength(r: DerReader, what: string): void {
  const n = r.checkInteger(what);
  if (r.buf[r.valueStart]! & 0x80) throw new DerError(what, r.valueStart, "CRL number must not be negative");
  if (n > 21 || (n === 21 && r.buf[r.valueStart] !== 0))
    throw new DerError(what, r.valueStart, "CRL number longer than 20 octets (RFC 5280 §5.2.3)");
}

/**
 * Parse a DER CRL of at most {@link MAX_CRL_BYTES}, check it strictly, and index its entries. Throws
 * {@link DerError} on malformed DER, a broken size limit, an impossible time (thisUpdate, nextUpdate,
 * revocationDate, invalidityDate) or a reasonCode outside RFC 5280 §5.3.1 — entry errors name
 * `TBSCertList.revokedCertificates[i]` and the field; {@link PkiError} on an unknown critical (entry)
 * extension (RFC 5280 §5.2, §5.3: such a CRL MUST NOT be used) or, when `issuerSpki` is given, on a
 * bad signature (checked before the index is built).
 */
export function parseCrl(der: Uint8Array, options: ParseCrlOptions = {}): ParsedCrl {
  checkSize("CertificateList", der.length, MAX_CRL_BYTES, "MAX_CRL_BYTES");
  const r = new DerReader(der);
  const certListEnd = r.expect(0, der.length, Tag.SEQUENCE, "CertificateList");
  r.done(certListEnd, der.length, "CertificateList");
  const tbsEnd = r.expect(r.valueStart, certListEnd, Tag.SEQUENCE, "TBSCertList");
  const tbs = r.tlv();
  let p = r.valueStart;
  if (r.peek(p, tbsEnd) === Tag.INTEGER) {
    p = r.read(p, tbsEnd, "TBSCertList.version");
    if (r.small("TBSCertList.version") !== 1)
      throw new DerError("TBSCertList.version", r.tlvStart, "only v2 CRLs have a version field");
  }
  const innerAlgStart = p;
  const inner = readAlgorithmIdentifier(r, p, tbsEnd, "TBSCertList.signature");
  p = r.expect(inner.end, tbsEnd, Tag.SEQUENCE, "TBSCertList.issuer");
  const issuer = r.tlv();
  checkName(issuer, "TBSCertList.issuer");
  p = r.read(p, tbsEnd, "TBSCertList.thisUpdate");
  const thisUpdate = decodeTime(der, r.tag, r.valueStart, r.valueEnd, "TBSCertList.thisUpdate");
  let nextUpdate: number | undefined;
  const t = r.peek(p, tbsEnd);
  if (t === 0x17 || t === 0x18) {
    p = r.read(p, tbsEnd, "TBSCertList.nextUpdate");
    nextUpdate = decodeTime(der, r.tag, r.valueStart, r.valueEnd, "TBSCertList.nextUpdate");
  }

  // revokedCertificates: one strict validation pass; the index is built in a second, lean pass
  let count = 0;
  let listStart = 0;
  let listEnd = 0;
  let unknownCriticalEntryExt: string | undefined;
  let unknownCriticalEntryIndex = 0;
  if (r.peek(p, tbsEnd) === Tag.SEQUENCE) {
    const revEnd = r.read(p, tbsEnd, "TBSCertList.revokedCertificates");
    const revStart = r.valueStart;
    if (revStart === revEnd)
      throw new DerError("TBSCertList.revokedCertificates", p, "must be absent rather than empty");
    listStart = revStart;
    listEnd = revEnd;
    let q = revStart;
    const exts: ExtensionView[] = [];
    try {
      while (q < revEnd) {
        const eEnd = r.expect(q, revEnd, Tag.SEQUENCE, W_ENTRY);
        const sEnd = r.expect(r.valueStart, eEnd, Tag.INTEGER, W_SERIAL);
        const len = r.checkInteger(W_SERIAL);
        if (len > 127) throw new DerError(W_SERIAL, r.tlvStart, "serial longer than 127 octets");
        const tEnd = r.read(sEnd, eEnd, W_DATE);
        if (!isValidTime(der, r.tag, r.valueStart, r.valueEnd)) {
          checkTime(der, r.tag, r.valueStart, r.valueEnd, W_DATE); // throws the precise error
          throw new DerError(W_DATE, r.valueStart, "invalid time value");
        }
        if (tEnd < eEnd) {
          const xEnd = r.expect(tEnd, eEnd, Tag.SEQUENCE, W_EXTS);
          r.done(xEnd, eEnd, W_ENTRY);
          const xs = r.valueStart;
          // fast path: exactly one non-critical reasonCode, checked on its bytes
          let fast = xEnd - tEnd === 14;
          for (let k = 0; fast && k < 13; k++) if (der[tEnd + k] !== REASON_EXT_PREFIX[k]) fast = false;
          if (fast) {
            if (!REASON_OK[der[tEnd + 13]!]) throw badReason(der[tEnd + 13]!, tEnd + 13);
          } else {
            if (xs === xEnd) throw new DerError(W_EXTS, tEnd, "empty Extensions");
            exts.length = 0;
            readExtensionList(r, xs, xEnd, W_EXTS, exts);
            for (const x of exts) {
              if (x.oid === OID.reasonCode) checkReasonCode(x.value);
              else if (x.oid === OID.invalidityDate) checkInvalidityDate(x.value);
              else if (x.critical && unknownCriticalEntryExt === undefined) {
                unknownCriticalEntryExt = x.oid;
                unknownCriticalEntryIndex = count;
              }
            }
          }
        }
        count++;
        q = eEnd;
      }
    } catch (e) {
      throw atEntry(e, count);
    }
    p = revEnd;
  }

  const extensions: ExtensionView[] = [];
  if (r.peek(p, tbsEnd) === 0xa0) {
    const wEnd = r.read(p, tbsEnd, "TBSCertList.crlExtensions");
    const sEnd = r.expect(r.valueStart, wEnd, Tag.SEQUENCE, "TBSCertList.crlExtensions");
    r.done(sEnd, wEnd, "TBSCertList.crlExtensions");
    readExtensionList(r, r.valueStart, sEnd, "crlExtension", extensions);
    p = wEnd;
  }
  r.done(p, tbsEnd, "TBSCertList");
  const outer = readAlgorithmIdentifier(r, tbsEnd, certListEnd, "CertificateList.signatureAlgorithm");
  if (!bytesEqual(der.subarray(tbsEnd, outer.end), der.subarray(innerAlgStart, inner.end)))
    throw new PkiError(
      "E_PKI_PROFILE",
      "signatureAlgorithm differs from TBSCertList.signature (RFC 5280 §5.1.1.2)",
    );
  const sigEnd = r.expect(outer.end, certListEnd, Tag.BIT_STRING, "CertificateList.signatureValue");
  const signature = der.subarray(r.bitStringOctets("CertificateList.signatureValue"), sigEnd);
  r.done(sigEnd, certListEnd, "CertificateList");

  if (unknownCriticalEntryExt !== undefined)
    throw new PkiError(
      "E_PKI_UNKNOWN_CRITICAL_EXTENSION",
      `unknown critical CRL entry extension ${unknownCriticalEntryExt} in TBSCertList.revokedCertificates[${unknownCriticalEntryIndex}] (RFC 5280 §5.3)`,
    );

  let crlNumberV: bigint | undefined;
  let deltaBase: bigint | undefined;
  let authorityKeyId: Uint8Array | undefined;
  let hasIdp = false;
  let distributionPoint: Uint8Array[] = [];
  let onlyUser = false;
  let onlyCA = false;
  let someReasons = false;
  let indirect = false;
  let onlyAttr = false;
  for (const x of extensions) {
    const v = x.value;
    const xr = new DerReader(v);
    switch (x.oid) {
      case OID.cRLNumber:
        xr.done(xr.expect(0, v.length, Tag.INTEGER, "cRLNumber"), v.length, "cRLNumber");
        checkCrlNumberLength(xr, "cRLNumber");
        crlNumberV = xr.bigint("cRLNumber");
        break;
      case OID.deltaCRLIndicator:
        xr.done(xr.expect(0, v.length, Tag.INTEGER, "deltaCRLIndicator"), v.length, "deltaCRLIndicator");
        checkCrlNumberLength(xr, "deltaCRLIndicator");
        deltaBase = xr.bigint("deltaCRLIndicator");
        break;
      case OID.authorityKeyIdentifier: {
        const end = xr.expect(0, v.length, Tag.SEQUENCE, "authorityKeyIdentifier");
        let q = xr.valueStart;
        while (q < end) {
          q = xr.read(q, end, "authorityKeyIdentifier");
          if (xr.tag === 0x80) authorityKeyId = xr.value();
        }
        break;
      }
      case OID.issuingDistributionPoint: {
        hasIdp = true;
        const end = xr.expect(0, v.length, Tag.SEQUENCE, "issuingDistributionPoint");
        xr.done(end, v.length, "issuingDistributionPoint");
        let q = xr.valueStart;
        while (q < end) {
          const fEnd = xr.read(q, end, "issuingDistributionPoint");
          const tag = xr.tag;
          if (tag === 0xa0)
            distributionPoint = readDistributionPointName(
              xr,
              xr.valueStart,
              fEnd,
              "issuingDistributionPoint.distributionPoint",
            );
          else if (tag === 0x81) onlyUser = xr.boolean("issuingDistributionPoint.onlyContainsUserCerts");
          else if (tag === 0x82) onlyCA = xr.boolean("issuingDistributionPoint.onlyContainsCACerts");
          else if (tag === 0x83) someReasons = true;
          else if (tag === 0x84) indirect = xr.boolean("issuingDistributionPoint.indirectCRL");
          else if (tag === 0x85) onlyAttr = xr.boolean("issuingDistributionPoint.onlyContainsAttributeCerts");
          q = fEnd;
        }
        break;
      }
      default:
        if (x.critical && !KNOWN_CRL_EXTS.has(x.oid))
          throw new PkiError(
            "E_PKI_UNKNOWN_CRITICAL_EXTENSION",
            `unknown critical CRL extension ${x.oid} (RFC 5280 §5.2)`,
          );
    }
  }

  // the signature is checked before the index is built: an unsigned CRL never reaches the hash table
  const signatureAlgorithm = signatureAlgorithmFromOid(outer.oid);
  if (options.issuerSpki) {
    const verifier = options.verifier ?? defaultVerifier;
    if (!signatureAlgorithm || !verifier.verify(signatureAlgorithm, options.issuerSpki, tbs, signature))
      throw new PkiError("E_PKI_BAD_SIGNATURE", "CRL signature does not verify with the given issuer key");
  }
  return {
    der,
    tbs,
    signatureAlgorithmOid: outer.oid,
    signatureAlgorithm,
    signature,
    issuer,
    thisUpdate,
    nextUpdate,
    crlNumber: crlNumberV,
    deltaBaseCrlNumber: deltaBase,
    authorityKeyId,
    hasIssuingDistributionPoint: hasIdp,
    distributionPoint,
    onlyContainsUserCerts: onlyUser,
    onlyContainsCACerts: onlyCA,
    onlySomeReasons: someReasons,
    indirectCrl: indirect,
    onlyContainsAttributeCerts: onlyAttr,
    extensions,
    entries: new CrlIndex(der, listStart, listEnd, count),
  };
}

/** Verify a CRL's signature over its TBSCertList with the issuer's SubjectPublicKeyInfo. */
export function verifyCrlSignature(
  crl: ParsedCrl,
  issuerSpki: Uint8Array,
  verifier: SignatureVerifier = defaultVerifier,
): boolean {
  if (!crl.signatureAlgorithm) return false;
  return verifier.verify(crl.signatureAlgorithm, issuerSpki, crl.tbs, crl.signature);
}
