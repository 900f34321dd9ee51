/**
 * Zero-copy DER reader (X.690 §8, §10): a TLV walker over one `Uint8Array` that works with offsets,
 * not node objects. {@link DerReader.read} decodes one header in place and leaves `tag`, `valueStart`
 * and `valueEnd` on the reader; callers walk siblings by feeding back the returned end offset.
 * Strict DER: definite lengths only, minimal length octets, low-tag-number form, values within their
 * parent, no trailing bytes ({@link DerReader.done}), minimal INTEGERs, canonical BOOLEANs and
 * BIT STRING padding. Every violation is a {@link DerError} naming the field and the byte offset.
 * Value decoders are linear in the value's length and iterative, and bounded (limits.ts): strings at
 * `MAX_STRING_BYTES`, OIDs at `MAX_OID_OCTETS`, small INTEGERs at 8 octets — checked before any work.
 * @module
 */
import { isUtf8 } from "node:buffer";
import { DerError } from "./errors.js";
import { MAX_STRING_BYTES } from "./limits.js";
import { decodeOid } from "./oids.js";

const utf8 = new TextDecoder("utf-8");
const hex = (b: number): string => `0x${b.toString(16).padStart(2, "0")}`;

/** Cursor over a DER buffer. Reuse one reader for many reads; it allocates nothing per TLV. */
export class DerReader {
  /** Tag octet of the last TLV read. */
  tag = 0;
  /** Offset of the last TLV's tag octet. */
  tlvStart = 0;
  /** Offset of the last TLV's first content octet. */
  valueStart = 0;
  /** Offset just past the last TLV's content. */
  valueEnd = 0;

  constructor(readonly buf: Uint8Array) {}

  /**
   * Decode the TLV header at `pos`, which must lie within `[pos, limit)`. Sets {@link tag},
   * {@link valueStart}, {@link valueEnd} and returns `valueEnd` (the offset of the next sibling).
   */
  read(pos: number, limit: number, what: string): number {
    const buf = this.buf;
    if (pos >= limit) throw new DerError(what, pos, "truncated: expected a TLV, found end of data");
    const tag = buf[pos]!;
    if ((tag & 0x1f) === 0x1f)
      throw new DerError(what, pos, `high-tag-number form (${hex(tag)}) is not used in X.509`);
    let p = pos + 1;
    if (p >= limit) throw new DerError(what, p, "truncated: missing length octet");
    const b = buf[p++]!;
    let len: number;
    if (b < 0x80) len = b;
    else if (b === 0x80) throw new DerError(what, p - 1, "indefinite length is not allowed in DER");
    else {
      const n = b & 0x7f;
      if (n > 4) throw new DerError(what, p - 1, `length field of ${n} octets is not supported`);
      if (p + n > limit) throw new DerError(what, p, "truncated: length octets run past the end");
      if (buf[p] === 0) throw new DerError(what, p, "non-minimal length (leading zero octet)");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
      if (len < 0x80) throw new DerError(what, p - 1, `non-minimal length: ${len} must use the short form`);
      p += n;
    }
    if (p + len > limit)
      throw new DerError(what, pos, `truncated: length ${len} exceeds the ${limit - p} bytes available`);
    this.tag = tag;
    this.tlvStart = pos;
    this.valueStart = p;
    this.valueEnd = p + len;
    return p + len;
  }

  /** {@link read}, then require `tag`. */
  expect(pos: number, limit: number, tag: number, what: string): number {
    const end = this.read(pos, limit, what);
    if (this.tag !== tag) throw new DerError(what, pos, `expected tag ${hex(tag)}, found ${hex(this.tag)}`);
    return end;
  }

  /** Tag octet at `pos` if `pos < limit`, else -1 (for OPTIONAL fields). */
  peek(pos: number, limit: number): number {
    return pos < limit ? this.buf[pos]! : -1;
  }

  /** Require that a walk ended exactly at `limit` (no trailing bytes inside the parent). */
  done(pos: number, limit: number, what: string): void {
    if (pos !== limit) throw new DerError(what, pos, `${limit - pos} unexpected trailing byte(s)`);
  }

  /** The last TLV, header included, as a zero-copy view. */
  tlv(): Uint8Array {
    return this.buf.subarray(this.tlvStart, this.valueEnd);
  }

  /** The last TLV's content as a zero-copy view. */
  value(): Uint8Array {
    return this.buf.subarray(this.valueStart, this.valueEnd);
  }

  /** Check the last TLV is a minimal INTEGER (X.690 §8.3.2); returns its content length. */
  checkInteger(what: string): number {
    const { buf, valueStart: s, valueEnd: e } = this;
    if (e === s) throw new DerError(what, s, "INTEGER has no content octets");
    if (
      e - s > 1 &&
      ((buf[s] === 0 && (buf[s + 1]! & 0x80) === 0) || (buf[s] === 0xff && (buf[s + 1]! & 0x80) !== 0))
    )
      throw new DerError(what, s, "INTEGER is not minimally encoded");
    return e - s;
  }

  /** Decode the last TLV (an INTEGER) as a bigint, in linear time (hex parse, no per-octet shifts). */
  bigint(what: string): bigint {
    this.checkInteger(what);
    const { buf, valueStart: s, valueEnd: e } = this;
    const v = BigInt(`0x${toHex(buf.subarray(s, e))}`);
    return buf[s]! & 0x80 ? v - (1n << BigInt(8 * (e - s))) : v;
  }

  /**
   * Decode the last TLV (an INTEGER or ENUMERATED) as a small non-negative number (at most
   * `Number.MAX_SAFE_INTEGER`); longer contents are rejected before any arithmetic.
   */
  small(what: string): number {
    const n = this.checkInteger(what);
    const { buf, valueStart: s } = this;
    if (buf[s]! & 0x80) throw new DerError(what, s, "negative value where a non-negative one is required");
    if (n > 8) throw new DerError(what, s, `value of ${n} octets out of range (at most 2^53 - 1)`);
    let v = 0;
    for (let i = s; i < s + n; i++) v = v * 256 + buf[i]!;
    if (v > Number.MAX_SAFE_INTEGER) throw new DerError(what, s, "value out of range (at most 2^53 - 1)");
    return v;
  }

  /** Decode the last TLV (a BOOLEAN); DER allows only 0x00 and 0xFF. */
  boolean(what: string): boolean {
    if (this.valueEnd - this.valueStart !== 1)
      throw new DerError(what, this.valueStart, "BOOLEAN must have one octet");
    const b = this.buf[this.valueStart]!;
    if (b !== 0 && b !== 0xff)
      throw new DerError(what, this.valueStart, `BOOLEAN ${hex(b)} is not DER (0x00 or 0xFF)`);
    return b === 0xff;
  }

  /** Decode the last TLV (an OBJECT IDENTIFIER) to dotted form. */
  oid(what: string): string {
    return decodeOid(this.buf, this.valueStart, this.valueEnd, what);
  }

  /** For the last BIT STRING: check it has no unused bits and return the offset of its first data octet. */
  bitStringOctets(what: string): number {
    if (this.valueEnd === this.valueStart)
      throw new DerError(what, this.valueStart, "BIT STRING has no content octets");
    if (this.buf[this.valueStart] !== 0)
      throw new DerError(what, this.valueStart, "BIT STRING must have 0 unused bits here");
    return this.valueStart + 1;
  }

  /**
   * Decode the last BIT STRING as named bits (KeyUsage style): bit 0 is the most significant bit of
   * the first octet. DER requires unused bits to be zero and no trailing zero bits.
   */
  namedBits(what: string): number {
    const { buf, valueStart: s, valueEnd: e } = this;
    if (e === s) throw new DerError(what, s, "BIT STRING has no content octets");
    const unused = buf[s]!;
    if (unused > 7 || (e - s === 1 && unused !== 0))
      throw new DerError(what, s, `bad unused-bit count ${unused}`);
    if (e - s > 1) {
      const last = buf[e - 1]!;
      if (last & ((1 << unused) - 1))
        throw new DerError(what, e - 1, "unused bits of BIT STRING are not zero");
      if (last === 0) throw new DerError(what, e - 1, "named BIT STRING has trailing zero octet");
      if (unused > 0 && (last & (1 << unused)) === 0)
        throw new DerError(what, s, "named BIT STRING is not minimal");
    }
    if (e - s > 5) throw new DerError(what, s, "named BIT STRING longer than 32 bits");
    let mask = 0;
    for (let i = s + 1; i < e; i++)
      for (let bit = 0; bit < 8; bit++) if (buf[i]! & (0x80 >> bit)) mask |= 1 << ((i - s - 1) * 8 + bit);
    return mask >>> 0;
  }

  /**
   * Check the last TLV is a directory string {@link string} can decode (UTF8String that is valid UTF-8,
   * PrintableString / IA5String / TeletexString in ASCII, BMPString of even length), of at most
   * {@link MAX_STRING_BYTES} content octets, without decoding it: one pass, allocation-free unless it
   * throws a {@link DerError} (naming the limit when that is what was broken).
   */
  checkString(what: string): void {
    const { buf, valueStart: s, valueEnd: e, tag } = this;
    if (tag !== 0x0c && tag !== 0x13 && tag !== 0x14 && tag !== 0x16 && tag !== 0x1e)
      throw new DerError(what, this.tlvStart, `expected a string type, found ${hex(tag)}`);
    if (e - s > MAX_STRING_BYTES)
      throw new DerError(
        what,
        s,
        `string of ${e - s} bytes exceeds the limit MAX_STRING_BYTES = ${MAX_STRING_BYTES}`,
        MAX_STRING_BYTES,
      );
    if (tag === 0x0c) {
      if (!isUtf8(buf.subarray(s, e))) throw new DerError(what, s, "UTF8String is not valid UTF-8");
    } else if (tag === 0x1e) {
      if ((e - s) % 2) throw new DerError(what, s, "BMPString has odd length");
    } else
      for (let i = s; i < e; i++)
        if (buf[i]! > 0x7f) throw new DerError(what, i, "non-ASCII octet in string");
  }

  /**
   * Decode the last TLV as a directory string after {@link checkString}. Linear and iterative (no
   * argument spreads, no recursion).
   */
  string(what: string): string {
    this.checkString(what);
    const { buf, valueStart: s, valueEnd: e, tag } = this;
    if (tag === 0x1e) {
      let out = "";
      for (let i = s; i < e; i += 2) out += String.fromCharCode((buf[i]! << 8) | buf[i + 1]!);
      return out;
    }
    const bytes = Buffer.from(buf.buffer, buf.byteOffset + s, e - s);
    return tag === 0x0c ? utf8.decode(bytes) : bytes.toString("latin1");
  }
}

/** Lowercase hex of a byte range. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Byte-wise equality of two views. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
