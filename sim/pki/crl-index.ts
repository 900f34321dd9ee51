/**
 * CRL parser and revocation index (RFC 5280 §5.1–5.3; ANCHORS.md §2.5 and §5: the Node libraries
 * that build one object per entry need seconds and a gigabyte for 10^5 entries). One strict
 * validation pass walks revokedCertificates by offsets, working on the bytes (no object or string per
 * entry): every revocationDate must be a real calendar instant in the RFC 5280 form, every reasonCode
 * a CRLReason (0–10 except 7), every entry extension well formed — a bad entry is a typed error naming
 * `revokedCertificates[i]` and the field, so nothing the index later decodes can fail. The input is
 * at most `MAX_CRL_BYTES`; a given issuer key is checked before the index is built. A second pass
 * hashes each serial (keyed per process) into a table of 64-byte, cache-line-aligned buckets of three
 * slots, each slot holding the serial itself (its last 16 octets) and the entry's byte offset (issue 11
 * item 6: "store the serial in the slot"), so a lookup reads one cache line, not the DER. Lookup is
 * O(1) and allocation-free; revocationDate and reasonCode are decoded lazily from the DER on a hit.
 * The index costs 32 bytes per entry against ≈ 49 bytes of DER per entry.
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

/**
 * Words per bucket: one 64-byte cache line — three serials (4 words each: the last 16 octets), their
 * three handles (`offset + 1`, +{@link LONG}; 0 = empty) and the bucket's reach ({@link REACH}).
 */
const BUCKET = 16;
/** Entries per bucket. */
const PER_BUCKET = 3;
/** Word of the first handle in a bucket. */
const HANDLES = 12;
/**
 * Word of the bucket's reach: how many buckets past this one hold entries whose home is this bucket
 * (0: none — the bucket never overflowed). A lookup walks no further.
 */
const REACH = 15;
/** Added to a slot's `handle + 1` when the serial is longer than 16 octets (its head is compared in the DER). */
const LONG = 0x80000000;
/**
 * Entries per bucket on average (load 0.67): 32 bytes of table per entry against ≈ 49 of DER. About
 * 89 % of entries then sit in their home bucket, so a hit reads one cache line; the rest are in the
 * next bucket(s).
 */
const ENTRIES_PER_BUCKET = 2;
/** Tables of at least this many bytes are cache-line aligned (see {@link lineAlignedWords}). */
const ALIGN_FROM_BYTES = 1 << 20;
/** Bytes of a WebAssembly page. */
const WASM_PAGE = 65_536;

/** The part of the WebAssembly API used here (Node has it; the project's TS lib does not declare it). */
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

/**
 * A zeroed `Uint32Array` of `words` words whose first element starts a cache line when the table is
 * large. `new ArrayBuffer` storage from Node's allocator is only 16-byte aligned (malloc), so a 64-byte
 * bucket would straddle two cache lines three times in four; a WebAssembly.Memory is page aligned.
 * Small tables (which stay in cache) and hosts without WebAssembly get a plain array.
 */
function lineAlignedWords(words: number): Uint32Array {
  const bytes = words * 4;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (bytes >= ALIGN_FROM_BYTES && wasm) {
    const pages = Math.ceil(bytes / WASM_PAGE);
    try {
      return new Uint32Array(new wasm.Memory({ initial: pages, maximum: pages }).buffer, 0, words);
    } catch {
      // address space refused (e.g. ulimit -v): fall back to unaligned storage, same behaviour
    }
  }
  return new Uint32Array(words);
}

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
 * First word of the home bucket of `hash` among `buckets`: the high part of `hash × buckets` (a
 * multiply, no division or modulo). Exact while the product is below 2^53; above, its rounding error
 * (< buckets × 2^-21) cannot carry it to `buckets`, which is `buckets` away from the largest product.
 */
function homeBucket(hash: number, buckets: number): number {
  return ((hash * buckets * 2.3283064365386963e-10) | 0) * BUCKET;
}

/**
 * The serial magnitude `buf[s, e)` (no leading zero octet) as four big-endian words of its last 16
 * octets, zero-padded on the left, into `out[0..3]`; returns the keyed hash over them.
 */
function serialWords(buf: Uint8Array, s: number, e: number, out: Uint32Array): number {
  if (e - s >= 16) {
    // the common case (JPKI serials are 16 octets): four independent big-endian loads
    const b = e - 16;
    out[0] = (buf[b]! << 24) | (buf[b + 1]! << 16) | (buf[b + 2]! << 8) | buf[b + 3]!;
    out[1] = (buf[b + 4]! << 24) | (buf[b + 5]! << 16) | (buf[b + 6]! << 8) | buf[b + 7]!;
    out[2] = (buf[b + 8]! << 24) | (buf[b + 9]! << 16) | (buf[b + 10]! << 8) | buf[b + 11]!;
    out[3] = (buf[b + 12]! << 24) | (buf[b + 13]! << 16) | (buf[b + 14]! << 8) | buf[b + 15]!;
  } else {
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    for (let i = s; i < e; i++) {
      w0 = (w0 << 8) | (w1 >>> 24);
      w1 = (w1 << 8) | (w2 >>> 24);
      w2 = (w2 << 8) | (w3 >>> 24);
      w3 = (w3 << 8) | buf[i]!;
    }
    out[0] = w0;
    out[1] = w1;
    out[2] = w2;
    out[3] = w3;
  }
  return mixWords(out[0]!, out[1]!, out[2]!, out[3]!);
}

/** Revocation state of one serial (allocated only by {@link CrlIndex.status}). */
export type RevocationStatus =
  | { readonly revoked: false }
  | { readonly revoked: true; readonly revokedAt: number; readonly reason: number };

/**
 * Hash index over the revokedCertificates of one CRL DER. Entries are identified by a *handle*: the
 * byte offset of the entry's SEQUENCE in the DER.
 *
 * The table is built once and never changes, so it is laid out for one cache miss per lookup: a
 * bucket is one 64-byte cache line (the table is line-aligned) holding three entries — each serial's
 * last 16 octets (JPKI serials are 16) and its handle — so a lookup computes the keyed hash from the
 * serial's bytes in hand (no allocation, no string), reads its home line and compares full serials
 * there. Building places every entry that fits in its home bucket first and only then the overflow
 * (≈ 11 % of entries at 2 entries per bucket) into the next bucket with room, recording in the home
 * bucket how far its overflow went ({@link REACH}): a hit in its home line (≈ 89 % of entries) and a
 * miss on a bucket that never overflowed (≈ 86 % of buckets) read exactly one line; otherwise the walk
 * goes on through the next lines, at most the home bucket's reach, and stops at the first bucket
 * with an empty slot (buckets only fill up, so nothing lies beyond). On average (random serials, 10^6
 * entries) a hit reads 1.23 lines and a miss 1.33, the extra ones consecutive. The DER is read only
 * for serials longer than 16 octets (to compare the rest) and for dates and reasons.
 */
export class CrlIndex {
  /** Number of entries (duplicates included). */
  readonly count: number;
  /** Entries whose serial appeared earlier (kept out of the table). */
  readonly duplicates: number;
  /**
   * Buckets visited while building (≈ 1.1 per entry). A diagnostic of hash quality: the hash is keyed
   * per process, so serials chosen to collide cannot push this towards count²/2.
   */
  readonly probes: number;
  /** Entries stored outside their home bucket (each costs a hit one more cache line). */
  readonly displaced: number;
  private readonly der: Uint8Array;
  private readonly table: Uint32Array;
  private readonly buckets: number;
  /** Some serial is longer than 16 octets (else a long query is a miss without probing). */
  private readonly anyLong: boolean;
  private readonly listStart: number;
  private readonly listEnd: number;
  private readonly q = new Uint32Array(4);

  /** @internal built by {@link parseCrl} from the already-validated entry region `[listStart, listEnd)`. */
  constructor(der: Uint8Array, listStart: number, listEnd: number, count: number) {
    this.der = der;
    this.count = count;
    this.listStart = listStart;
    this.listEnd = listEnd;
    const buckets = Math.max(4, Math.ceil(count / ENTRIES_PER_BUCKET));
    const table = lineAlignedWords(buckets * BUCKET);
    this.table = table;
    this.buckets = buckets;
    const w = this.q;
    let dups = 0;
    let probes = 0;
    let anyLong = false;
    // pass 1: every entry whose home bucket has room goes there, in DER order; the rest wait
    let waiting = new Uint32Array(Math.max(16, count >>> 3));
    let nWaiting = 0;
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
      if (e - s > 16) anyLong = true;
      const at = homeBucket(serialWords(der, s, e, w), buckets);
      probes++;
      let k = 0;
      while (k < PER_BUCKET && table[at + HANDLES + k] !== 0 && !this.slotMatches(at, k, w, der, s, e)) k++;
      if (k === PER_BUCKET) {
        if (nWaiting === waiting.length) {
          const grown = new Uint32Array(waiting.length * 2);
          grown.set(waiting);
          waiting = grown;
        }
        waiting[nWaiting++] = h;
      } else if (table[at + HANDLES + k] !== 0) dups++;
      else this.put(at, k, w, h, e - s > 16);
      h += hdr + len;
    }
    this.anyLong = anyLong;
    // pass 2: the overflow, in DER order, into the first bucket after home with room
    let displaced = 0;
    const end = buckets * BUCKET;
    for (let i = 0; i < nWaiting; i++) {
      const h2 = waiting[i]!;
      const l1 = der[h2 + 1]!;
      const hdr = l1 < 0x80 ? 2 : 2 + (l1 & 0x7f);
      let s = h2 + hdr + 2;
      const e = s + der[h2 + hdr + 1]!;
      if (e - s > 1 && der[s] === 0) s++;
      const home = homeBucket(serialWords(der, s, e, w), buckets);
      let at = home;
      for (let reach = 0; ; reach++) {
        probes++;
        let k = 0;
        while (k < PER_BUCKET && table[at + HANDLES + k] !== 0 && !this.slotMatches(at, k, w, der, s, e)) k++;
        if (k < PER_BUCKET) {
          if (table[at + HANDLES + k] !== 0) dups++;
          else {
            this.put(at, k, w, h2, e - s > 16);
            displaced++;
            if (reach > table[home + REACH]!) table[home + REACH] = reach;
          }
          break;
        }
        at += BUCKET;
        if (at === end) at = 0;
      }
    }
    this.duplicates = dups;
    this.probes = probes;
    this.displaced = displaced;
  }

  /** Store the serial words `w` and handle `h` in slot `k` of the bucket at word `at`. */
  private put(at: number, k: number, w: Uint32Array, h: number, long: boolean): void {
    const t = this.table;
    const s = at + k * 4;
    t[s] = w[0]!;
    t[s + 1] = w[1]!;
    t[s + 2] = w[2]!;
    t[s + 3] = w[3]!;
    t[at + HANDLES + k] = (h + 1 + (long ? LONG : 0)) >>> 0;
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

  /** Slot `k` of the bucket at word `at` holds the serial `q[qs, qe)` whose last 16 octets are the words `w`. */
  private slotMatches(at: number, k: number, w: Uint32Array, q: Uint8Array, qs: number, qe: number): boolean {
    const t = this.table;
    const s = at + k * 4;
    if (t[s] !== w[0] || t[s + 1] !== w[1] || t[s + 2] !== w[2] || t[s + 3] !== w[3]) return false;
    return this.headMatches(t[at + HANDLES + k]!, q, qs, qe);
  }

  /**
   * The stored entry `slotHandle` (`handle + 1`, +{@link LONG}), whose last 16 octets equal those of the
   * serial `q[qs, qe)`, is that serial: same side of 16 octets and, when longer, the same length and
   * leading octets (compared in the DER).
   */
  private headMatches(slotHandle: number, q: Uint8Array, qs: number, qe: number): boolean {
    const long = slotHandle >= LONG;
    if (long !== qe - qs > 16) return false;
    if (!long) return true;
    const packed = this.serialOf(slotHandle - LONG - 1);
    const len = packed % 128;
    if (len !== qe - qs) return false;
    const s = (packed - len) / 128;
    const d = this.der;
    for (let k = 0; k < len - 16; k++) if (d[s + k] !== q[qs + k]) return false;
    return true;
  }

  /**
   * Handle of the entry listing `serial` (unsigned big-endian magnitude; leading zeros ignored), or -1.
   * Allocation-free; reads one cache line of the table unless the serial's home bucket overflowed.
   */
  find(serial: Uint8Array): number {
    const qe = serial.length;
    let qs = 0;
    while (qs < qe - 1 && serial[qs] === 0) qs++;
    const long = qe - qs > 16;
    if (long && !this.anyLong) return -1;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    if (qe - qs >= 16) {
      // the common case (JPKI serials are 16 octets): four independent big-endian loads
      const b = qe - 16;
      w0 = ((serial[b]! << 24) | (serial[b + 1]! << 16) | (serial[b + 2]! << 8) | serial[b + 3]!) >>> 0;
      w1 = ((serial[b + 4]! << 24) | (serial[b + 5]! << 16) | (serial[b + 6]! << 8) | serial[b + 7]!) >>> 0;
      w2 = ((serial[b + 8]! << 24) | (serial[b + 9]! << 16) | (serial[b + 10]! << 8) | serial[b + 11]!) >>> 0;
      w3 =
        ((serial[b + 12]! << 24) | (serial[b + 13]! << 16) | (serial[b + 14]! << 8) | serial[b + 15]!) >>> 0;
    } else {
      for (let i = qs; i < qe; i++) {
        w0 = (w0 << 8) | (w1 >>> 24);
        w1 = (w1 << 8) | (w2 >>> 24);
        w2 = (w2 << 8) | (w3 >>> 24);
        w3 = (w3 << 8) | serial[i]!;
      }
      w0 >>>= 0;
      w1 >>>= 0;
      w2 >>>= 0;
      w3 >>>= 0;
    }
    const t = this.table;
    const home = homeBucket(mixWords(w0, w1, w2, w3), this.buckets);
    let at = home;
    for (let left = t[home + REACH]!; ; left--) {
      // the three slots of one line, unrolled; an empty slot ends the walk (buckets fill in order)
      let h = t[at + HANDLES]!;
      if (h === 0) return -1;
      if (t[at] === w0 && t[at + 1] === w1 && t[at + 2] === w2 && t[at + 3] === w3) {
        if (h < LONG && !long) return h - 1;
        if (this.headMatches(h, serial, qs, qe)) return (h >= LONG ? h - LONG : h) - 1;
      }
      h = t[at + HANDLES + 1]!;
      if (h === 0) return -1;
      if (t[at + 4] === w0 && t[at + 5] === w1 && t[at + 6] === w2 && t[at + 7] === w3) {
        if (h < LONG && !long) return h - 1;
        if (this.headMatches(h, serial, qs, qe)) return (h >= LONG ? h - LONG : h) - 1;
      }
      h = t[at + HANDLES + 2]!;
      if (h === 0) return -1;
      if (t[at + 8] === w0 && t[at + 9] === w1 && t[at + 10] === w2 && t[at + 11] === w3) {
        if (h < LONG && !long) return h - 1;
        if (this.headMatches(h, serial, qs, qe)) return (h >= LONG ? h - LONG : h) - 1;
      }
      if (left === 0) return -1;
      at += BUCKET;
      if (at === this.buckets * BUCKET) at = 0;
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
