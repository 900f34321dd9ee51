/**
 * Streaming DER writer (ITU-T X.690 §8 and §10, the Distinguished Encoding Rules) built for scale:
 * everything is written into one growable `Uint8Array`; constructed values are opened with
 * {@link DerWriter.begin} and closed with {@link DerWriter.end}, which back-patches the minimal
 * definite length. A caller that knows (or can compute) the content length passes it as a hint so the
 * right number of length octets is reserved up front and nothing is moved; otherwise the content is
 * shifted once with `copyWithin`. No object is created per node, so a 10^7-entry CRL is one buffer.
 * @module
 */
import { PkiError } from "./errors.js";
import { encodeOid } from "./oids.js";
import { writeTimeAt } from "./time.js";

/** Universal tags used by X.509 (X.680 §8.4). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Tag octet of a context-specific `[n]` tag; `constructed` for SEQUENCE-like or EXPLICIT content. */
export function contextTag(n: number, constructed: boolean): number {
  if (n < 0 || n > 30)
    throw new PkiError("E_PKI_INPUT", `context tag [${n}] is outside the low-tag-number form`);
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** Number of octets of a DER length field for a content of `n` bytes (X.690 §10.1: minimal). */
export function lengthOfLength(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

/** Total size of a TLV with a one-octet tag and `contentLength` content octets. */
export function tlvSize(contentLength: number): number {
  return 1 + lengthOfLength(contentLength) + contentLength;
}

/** Write a length field of exactly `lenBytes` octets (as given by {@link lengthOfLength}). */
function putLength(buf: Uint8Array, pos: number, n: number, lenBytes: number): void {
  if (lenBytes === 1) {
    buf[pos] = n;
    return;
  }
  const k = lenBytes - 1;
  buf[pos] = 0x80 | k;
  for (let i = k; i >= 1; i--) {
    buf[pos + i] = n & 0xff;
    n = Math.floor(n / 256);
  }
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8 = new TextEncoder();
const MAX_DEPTH = 64;

/** Streaming DER writer. Create one per artefact; reuse across artefacts with {@link DerWriter.reset}. */
export class DerWriter {
  /** Backing buffer; only `[0, pos)` is meaningful. Replaced when it grows. */
  buf: Uint8Array;
  /** Write position. */
  pos = 0;
  private readonly stackStart = new Int32Array(MAX_DEPTH);
  private readonly stackLenBytes = new Uint8Array(MAX_DEPTH);
  private depth = 0;

  /** @param capacity initial size in bytes; pass the expected total to avoid regrowth. */
  constructor(capacity = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** Forget all content (keeps the buffer). */
  reset(): void {
    this.pos = 0;
    this.depth = 0;
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Append one raw byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Append raw bytes (e.g. a pre-encoded TLV such as a Name or SubjectPublicKeyInfo). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Append a tag and a minimal length header. */
  header(tag: number, length: number): void {
    const lb = lengthOfLength(length);
    this.ensure(1 + lb);
    this.buf[this.pos] = tag;
    putLength(this.buf, this.pos + 1, length, lb);
    this.pos += 1 + lb;
  }

  /** Append a primitive TLV. */
  primitive(tag: number, content: Uint8Array): void {
    this.header(tag, content.length);
    this.raw(content);
  }

  /**
   * Open a constructed value (SEQUENCE, SET, `[n]` constructed, or an OCTET/BIT STRING whose content
   * is DER). `contentHint` sizes the reserved length field; an exact hint means {@link end} moves nothing.
   */
  begin(tag: number, contentHint = 0): void {
    if (this.depth >= MAX_DEPTH) throw new PkiError("E_PKI_INPUT", `DER nesting deeper than ${MAX_DEPTH}`);
    const lb = lengthOfLength(contentHint);
    this.ensure(1 + lb);
    this.buf[this.pos] = tag;
    this.stackStart[this.depth] = this.pos + 1;
    this.stackLenBytes[this.depth] = lb;
    this.depth++;
    this.pos += 1 + lb;
  }

  /** Close the innermost {@link begin}: back-patch its length, shifting the content if the hint was off. */
  end(): void {
    if (this.depth === 0) throw new PkiError("E_PKI_INPUT", "DerWriter.end() without begin()");
    this.depth--;
    const lenPos = this.stackStart[this.depth]!;
    const reserved = this.stackLenBytes[this.depth]!;
    const contentStart = lenPos + reserved;
    const len = this.pos - contentStart;
    const need = lengthOfLength(len);
    if (need !== reserved) {
      const delta = need - reserved;
      if (delta > 0) this.ensure(delta);
      this.buf.copyWithin(contentStart + delta, contentStart, this.pos);
      this.pos += delta;
    }
    putLength(this.buf, lenPos, len, need);
  }

  /** Open-container count (0 when the artefact is complete). */
  get openCount(): number {
    return this.depth;
  }

  /** BOOLEAN (DER: TRUE is 0xFF). */
  boolean(v: boolean): void {
    this.ensure(3);
    this.buf[this.pos++] = Tag.BOOLEAN;
    this.buf[this.pos++] = 1;
    this.buf[this.pos++] = v ? 0xff : 0;
  }

  /** NULL. */
  null(): void {
    this.ensure(2);
    this.buf[this.pos++] = Tag.NULL;
    this.buf[this.pos++] = 0;
  }

  /** INTEGER from a safe JS integer (may be negative). */
  integer(n: number, tag: number = Tag.INTEGER): void {
    if (!Number.isSafeInteger(n)) throw new PkiError("E_PKI_INPUT", `INTEGER ${n} is not a safe integer`);
    this.bigint(BigInt(n), tag);
  }

  /** INTEGER from a bigint (two's complement, minimal). */
  bigint(n: bigint, tag: number = Tag.INTEGER): void {
    const bytes: number[] = [];
    let v = n;
    for (;;) {
      const b = Number(v & 0xffn);
      bytes.push(b);
      v >>= 8n;
      if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
    }
    bytes.reverse();
    this.primitive(tag, Uint8Array.from(bytes));
  }

  /**
   * INTEGER from unsigned big-endian magnitude bytes (e.g. a 20-octet serial): leading zeros are
   * stripped and a 0x00 is prepended when the top bit is set, so the value stays positive and minimal.
   */
  unsigned(magnitude: Uint8Array, tag: number = Tag.INTEGER): void {
    let s = 0;
    while (s < magnitude.length - 1 && magnitude[s] === 0) s++;
    const pad = magnitude.length === 0 || (magnitude[s]! & 0x80) !== 0 ? 1 : 0;
    const len = magnitude.length - s + pad;
    this.header(tag, len);
    this.ensure(len);
    if (pad) this.buf[this.pos++] = 0;
    this.buf.set(magnitude.subarray(s), this.pos);
    this.pos += magnitude.length - s;
  }

  /** OBJECT IDENTIFIER from dotted form (encodings are cached). */
  oid(dotted: string): void {
    this.raw(encodeOid(dotted));
  }

  /** BIT STRING with `unusedBits` (0–7) unused trailing bits in the last octet. */
  bitString(content: Uint8Array, unusedBits = 0): void {
    this.header(Tag.BIT_STRING, content.length + 1);
    this.byte(unusedBits);
    this.raw(content);
  }

  /** OCTET STRING. */
  octetString(content: Uint8Array): void {
    this.primitive(Tag.OCTET_STRING, content);
  }

  /** UTF8String. */
  utf8String(s: string): void {
    this.primitive(Tag.UTF8_STRING, utf8.encode(s));
  }

  /** PrintableString (X.680 §41.4 character set, checked). */
  printableString(s: string): void {
    if (!PRINTABLE.test(s)) throw new PkiError("E_PKI_INPUT", `"${s}" is not a PrintableString`);
    this.primitive(Tag.PRINTABLE_STRING, utf8.encode(s));
  }

  /** IA5String (ASCII). */
  ia5String(s: string): void {
    for (let i = 0; i < s.length; i++)
      if (s.charCodeAt(i) > 0x7f) throw new PkiError("E_PKI_INPUT", `"${s}" is not an IA5String`);
    this.primitive(Tag.IA5_STRING, utf8.encode(s));
  }

  /** Time per RFC 5280: UTCTime through 2049, GeneralizedTime from 2050 (seconds precision). */
  time(at: number | Date): void {
    const ms = typeof at === "number" ? at : at.getTime();
    if (!Number.isFinite(ms)) throw new PkiError("E_PKI_INPUT", "invalid time");
    this.ensure(17);
    this.pos = writeTimeAt(this.buf, this.pos, ms);
  }

  /** The encoding so far (a view, not a copy). All containers must be closed. */
  finish(): Uint8Array {
    if (this.depth !== 0)
      throw new PkiError("E_PKI_INPUT", `DerWriter.finish() with ${this.depth} open container(s)`);
    return this.buf.subarray(0, this.pos);
  }

  /** Like {@link finish} but returns an exact-size copy (lets the big buffer be collected). */
  finishCopy(): Uint8Array {
    return new Uint8Array(this.finish());
  }
}

/** Encode one value with a fresh small writer: `derOf(w => { w.begin(0x30); …; w.end(); })`. */
export function derOf(fn: (w: DerWriter) => void, capacity = 256): Uint8Array {
  const w = new DerWriter(capacity);
  fn(w);
  return w.finishCopy();
}
