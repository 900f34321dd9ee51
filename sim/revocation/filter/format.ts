/**
 * The revocation filter's binary format, version 1 (strict, versioned decoding as in
 * mozilla/clubcard-crlite's query.rs: magic, version byte, zero reserved fields, exact length, no
 * trailing bytes, typed errors; ANCHORS "services, logs and filters"). Little-endian throughout:
 *
 * | offset | size | field |
 * |---:|---:|---|
 * | 0 | 4 | magic `MYNF` |
 * | 4 | 1 | version = 1 |
 * | 5 | 1 | kind: 0 full, 1 delta |
 * | 6 | 1 | r: level-1 fingerprint bits, 0–16 (0: no level 1) |
 * | 7 | 1 | reserved = 0 |
 * | 8 | 4 | blocks B, 1 … 2^24 |
 * | 12 | 4 | global seed (block hash) |
 * | 16 | 8 | universe size N (two uint32: low, high; ≤ 2^53 − 1) |
 * | 24 | 8 | target count R ≤ N (revoked, or for a delta: answers that flip) |
 * | 32 | 4 | sequence number of this filter |
 * | 36 | 4 | base sequence (delta only; 0 for a full filter) |
 * | 40 | 8 | reserved = 0 |
 * | 48 | 12·B | per block: m1, m2 (uint32 rows; 0 or 64 … 2^28), seed1, seed2 (uint16) |
 * | … | 4·W | solution words: per block, the r level-1 columns (interleaved word by word) then the level-2 column |
 * | end − 32 | 32 | SHA-256 of everything before it (also the ETag) |
 *
 * The parser is one bounded loop over the block table: no recursion, every length checked against
 * the bytes left before it is used, total size at most {@link MAX_FILTER_BYTES}.
 * @module
 */
import { createHash } from "node:crypto";
import { formatError } from "./errors.js";
import { columnWords } from "./ribbon.js";

/** Magic bytes "MYNF". */
export const FILTER_MAGIC = 0x464e594d;
/** The one format version this code reads and writes. */
export const FILTER_VERSION = 1;
/** Fixed header size. */
export const HEADER_BYTES = 48;
/** Bytes per block-table entry. */
export const BLOCK_ENTRY_BYTES = 12;
/** SHA-256 trailer. */
export const TRAILER_BYTES = 32;
/** Largest filter file accepted (1 GiB). */
export const MAX_FILTER_BYTES = 1 << 30;
/** Most blocks a filter may have. */
export const MAX_BLOCKS = 1 << 24;
/** Most rows of one block level. */
export const MAX_ROWS = 1 << 28;
/** Widest level-1 fingerprint. */
export const MAX_FINGERPRINT_BITS = 16;

/** Kind of filter. */
export type FilterKind = "full" | "delta";

/** Decoded header fields. */
export interface FilterHeader {
  readonly kind: FilterKind;
  /** Level-1 fingerprint bits (0: level 2 over the whole universe). */
  readonly r: number;
  readonly blocks: number;
  readonly seed: number;
  readonly universe: number;
  readonly targets: number;
  readonly sequence: number;
  readonly baseSequence: number;
}

/** A decoded filter body: header, per-block rows and seeds, word offsets and the solution words. */
export interface FilterBody {
  readonly header: FilterHeader;
  readonly m1: Uint32Array;
  readonly m2: Uint32Array;
  readonly seed1: Uint16Array;
  readonly seed2: Uint16Array;
  /** Word offset of block b's level-1 columns (off1[b]) and level-2 column (off2[b]). */
  readonly off1: Uint32Array;
  readonly off2: Uint32Array;
  readonly words: Uint32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Word offsets of every block's columns, and the total word count. */
export function layout(
  r: number,
  m1: Uint32Array,
  m2: Uint32Array,
): { off1: Uint32Array; off2: Uint32Array; total: number } {
  const b = m1.length;
  const off1 = new Uint32Array(b);
  const off2 = new Uint32Array(b);
  let w = 0;
  for (let i = 0; i < b; i++) {
    off1[i] = w;
    w += r * columnWords(m1[i]!);
    off2[i] = w;
    w += columnWords(m2[i]!);
  }
  return { off1, off2, total: w };
}

/** SHA-256 of `bytes`. */
function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/** The strong ETag (RFC 9110 §8.8.3) of a filter: its SHA-256 trailer, base64url, quoted. */
export function etagOf(bytes: Uint8Array): string {
  const t = bytes.subarray(bytes.length - TRAILER_BYTES);
  return `"${Buffer.from(t.buffer, t.byteOffset, t.length).toString("base64url")}"`;
}

/** Serialise a filter body (header fields must already be in range). */
export function encodeFilter(body: FilterBody): Uint8Array {
  const h = body.header;
  const b = h.blocks;
  const dataAt = HEADER_BYTES + BLOCK_ENTRY_BYTES * b;
  const size = dataAt + body.words.length * 4 + TRAILER_BYTES;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, FILTER_MAGIC, true);
  out[4] = FILTER_VERSION;
  out[5] = h.kind === "full" ? 0 : 1;
  out[6] = h.r;
  dv.setUint32(8, b, true);
  dv.setUint32(12, h.seed, true);
  dv.setUint32(16, h.universe % 4294967296, true);
  dv.setUint32(20, Math.floor(h.universe / 4294967296), true);
  dv.setUint32(24, h.targets % 4294967296, true);
  dv.setUint32(28, Math.floor(h.targets / 4294967296), true);
  dv.setUint32(32, h.sequence, true);
  dv.setUint32(36, h.baseSequence, true);
  for (let i = 0; i < b; i++) {
    const p = HEADER_BYTES + BLOCK_ENTRY_BYTES * i;
    dv.setUint32(p, body.m1[i]!, true);
    dv.setUint32(p + 4, body.m2[i]!, true);
    dv.setUint16(p + 8, body.seed1[i]!, true);
    dv.setUint16(p + 10, body.seed2[i]!, true);
  }
  if (LITTLE_ENDIAN)
    out.set(new Uint8Array(body.words.buffer, body.words.byteOffset, body.words.length * 4), dataAt);
  else for (let i = 0; i < body.words.length; i++) dv.setUint32(dataAt + 4 * i, body.words[i]!, true);
  out.set(sha256(out.subarray(0, size - TRAILER_BYTES)), size - TRAILER_BYTES);
  return out;
}

/**
 * Decode and check a filter file. Throws {@link FilterError} `E_FILTER_FORMAT` naming the field and
 * byte offset on anything but a well-formed version-1 filter whose SHA-256 trailer matches.
 */
export function decodeFilter(bytes: Uint8Array): FilterBody {
  const n = bytes.length;
  if (n > MAX_FILTER_BYTES)
    throw formatError("file", 0, `${n} bytes is more than the limit of ${MAX_FILTER_BYTES}`);
  if (n < HEADER_BYTES + TRAILER_BYTES)
    throw formatError(
      "header",
      n,
      `truncated: ${n} bytes, a filter has at least ${HEADER_BYTES + TRAILER_BYTES}`,
    );
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  if (dv.getUint32(0, true) !== FILTER_MAGIC) throw formatError("magic", 0, 'expected "MYNF"');
  if (bytes[4] !== FILTER_VERSION)
    throw formatError(
      "version",
      4,
      `version ${bytes[4]} is not supported (this reader knows ${FILTER_VERSION})`,
    );
  if (bytes[5]! > 1) throw formatError("kind", 5, `${bytes[5]} is neither 0 (full) nor 1 (delta)`);
  const kind: FilterKind = bytes[5] === 0 ? "full" : "delta";
  const r = bytes[6]!;
  if (r > MAX_FINGERPRINT_BITS)
    throw formatError("r", 6, `${r} fingerprint bits, at most ${MAX_FINGERPRINT_BITS}`);
  if (bytes[7] !== 0) throw formatError("reserved", 7, "must be 0");
  const blocks = dv.getUint32(8, true);
  if (blocks < 1 || blocks > MAX_BLOCKS)
    throw formatError("blocks", 8, `${blocks} blocks, expected 1 to ${MAX_BLOCKS}`);
  const seed = dv.getUint32(12, true);
  const u64 = (at: number, field: string): number => {
    const hi = dv.getUint32(at + 4, true);
    if (hi >= 1 << 21) throw formatError(field, at, "more than 2^53 − 1");
    return hi * 4294967296 + dv.getUint32(at, true);
  };
  const universe = u64(16, "universe");
  const targets = u64(24, "targets");
  if (targets > universe) throw formatError("targets", 24, `${targets} targets in a universe of ${universe}`);
  const sequence = dv.getUint32(32, true);
  const baseSequence = dv.getUint32(36, true);
  if (kind === "full" && baseSequence !== 0)
    throw formatError("baseSequence", 36, "must be 0 in a full filter");
  if (dv.getUint32(40, true) !== 0 || dv.getUint32(44, true) !== 0)
    throw formatError("reserved", 40, "must be 0");
  const tableEnd = HEADER_BYTES + BLOCK_ENTRY_BYTES * blocks;
  if (tableEnd + TRAILER_BYTES > n)
    throw formatError(
      "block table",
      HEADER_BYTES,
      `truncated: ${blocks} blocks need ${tableEnd + TRAILER_BYTES} bytes, the file has ${n}`,
    );
  const m1 = new Uint32Array(blocks);
  const m2 = new Uint32Array(blocks);
  const seed1 = new Uint16Array(blocks);
  const seed2 = new Uint16Array(blocks);
  for (let i = 0; i < blocks; i++) {
    const p = HEADER_BYTES + BLOCK_ENTRY_BYTES * i;
    const a = dv.getUint32(p, true);
    const c = dv.getUint32(p + 4, true);
    if ((a !== 0 && (a < 64 || a > MAX_ROWS)) || (r === 0 && a !== 0))
      throw formatError(
        `block[${i}].m1`,
        p,
        r === 0 ? "must be 0 when r = 0" : `${a} rows, expected 0 or 64 to ${MAX_ROWS}`,
      );
    if (c !== 0 && (c < 64 || c > MAX_ROWS))
      throw formatError(`block[${i}].m2`, p + 4, `${c} rows, expected 0 or 64 to ${MAX_ROWS}`);
    m1[i] = a;
    m2[i] = c;
    seed1[i] = dv.getUint16(p + 8, true);
    seed2[i] = dv.getUint16(p + 10, true);
  }
  const { off1, off2, total } = layout(r, m1, m2);
  const expected = tableEnd + total * 4 + TRAILER_BYTES;
  if (expected !== n)
    throw formatError(
      expected > n ? "solution words" : "trailer",
      expected > n ? tableEnd : expected,
      expected > n
        ? `truncated: the block table needs ${expected} bytes, the file has ${n}`
        : `${n - expected} trailing bytes`,
    );
  const digest = sha256(bytes.subarray(0, n - TRAILER_BYTES));
  for (let i = 0; i < TRAILER_BYTES; i++)
    if (digest[i] !== bytes[n - TRAILER_BYTES + i])
      throw formatError("trailer", n - TRAILER_BYTES, "SHA-256 does not match the contents");
  const words = new Uint32Array(total);
  if (LITTLE_ENDIAN) new Uint8Array(words.buffer).set(bytes.subarray(tableEnd, tableEnd + total * 4));
  else for (let i = 0; i < total; i++) words[i] = dv.getUint32(tableEnd + 4 * i, true);
  return {
    header: { kind, r, blocks, seed, universe, targets, sequence, baseSequence },
    m1,
    m2,
    seed1,
    seed2,
    off1,
    off2,
    words,
  };
}
