/**
 * The Myna Portal's JSON on the wire (issue 12 item 6; contract: `GET /v1/portal/records`,
 * `/records/{index}`, `/consistency`): signed tree heads and records with their RFC 9162 inclusion
 * proofs, bytes as standard base64. One module for both ends — the routes encode with it, the page
 * (portal/main.ts) decodes with it — so the two cannot drift. Browser-safe: no node:*, no Buffer.
 * Decoding treats the server as untrusted: every field is checked, sizes are bounded, and a
 * malformed document throws {@link WireError} naming the field.
 * @module
 */
import type { SignedTreeHead } from "./tree-head.js";
import { HASH_BYTES, MAX_CONSISTENCY_PROOF, MAX_INCLUSION_PROOF } from "./merkle-verify.js";

/** Largest record accepted on the wire (the record encoding allows 4096 bytes). */
export const MAX_WIRE_RECORD_BYTES = 4096;

/** A malformed portal document. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireError";
  }
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding. */
export function toBase64(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i += 3) {
    const n = ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < b.length ? B64[(n >> 6) & 63]! : "=";
    out += i + 2 < b.length ? B64[n & 63]! : "=";
  }
  return out;
}

/** Strict standard base64 of at most `max` bytes. @throws WireError naming `field` */
export function fromBase64(text: unknown, field: string, max: number): Uint8Array {
  if (typeof text !== "string") throw new WireError(`${field}: expected a base64 string`);
  if (text.length > Math.ceil(max / 3) * 4) throw new WireError(`${field}: more than ${max} bytes`);
  if (!B64_RE.test(text)) throw new WireError(`${field}: not standard base64`);
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j]!;
      n = (n << 6) | (c === "=" ? 0 : B64.indexOf(c));
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** A signed tree head as JSON. */
export interface HeadJson {
  readonly size: number;
  readonly timestamp: number;
  readonly rootHash: string;
  readonly signature: string;
}

/** One record with its proof as JSON (`bytes` null: removed by retention, `leafHash` remains). */
export interface RecordJson {
  readonly index: number;
  readonly bytes: string | null;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly head: HeadJson;
}

/** `GET /v1/portal/records`. */
export interface RecordsJson {
  /** The current head (the one the page checks consistency to). */
  readonly head: HeadJson;
  /** The log's Ed25519 tree-head public key, 32 raw bytes. */
  readonly publicKey: string;
  /** The person's records in all. */
  readonly total: number;
  readonly offset: number;
  readonly records: readonly RecordJson[];
  /** Offset of the next page, or null when this was the last. */
  readonly next: number | null;
}

/** `GET /v1/portal/consistency`. */
export interface ConsistencyJson {
  readonly from: number;
  readonly to: number;
  readonly proof: readonly string[];
}

/** A record with its proof as the routes send it. */
export function recordToJson(r: {
  readonly index: number;
  readonly bytes: Uint8Array | null;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly head: SignedTreeHead;
}): RecordJson {
  return {
    index: r.index,
    bytes: r.bytes === null ? null : toBase64(r.bytes),
    leafHash: toBase64(r.leafHash),
    proof: r.proof.map(toBase64),
    head: headToJson(r.head),
  };
}

export function headToJson(h: SignedTreeHead): HeadJson {
  return {
    size: h.size,
    timestamp: h.timestamp,
    rootHash: toBase64(h.rootHash),
    signature: toBase64(h.signature),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function count(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw new WireError(`${field}: expected a safe non-negative integer`);
  return v;
}

function hashList(v: unknown, field: string, max: number): Uint8Array[] {
  if (!Array.isArray(v) || v.length > max) throw new WireError(`${field}: expected at most ${max} hashes`);
  return v.map((h, i) => {
    const b = fromBase64(h, `${field}[${i}]`, HASH_BYTES);
    if (b.length !== HASH_BYTES) throw new WireError(`${field}[${i}]: expected ${HASH_BYTES} bytes`);
    return b;
  });
}

export function headFromJson(v: unknown, field = "head"): SignedTreeHead {
  if (!isObject(v)) throw new WireError(`${field}: expected an object`);
  const rootHash = fromBase64(v.rootHash, `${field}.rootHash`, HASH_BYTES);
  if (rootHash.length !== HASH_BYTES) throw new WireError(`${field}.rootHash: expected 32 bytes`);
  return {
    size: count(v.size, `${field}.size`),
    timestamp: count(v.timestamp, `${field}.timestamp`),
    rootHash,
    signature: fromBase64(v.signature, `${field}.signature`, 64),
  };
}

/** A record as the page uses it. */
export interface WireRecord {
  readonly index: number;
  readonly bytes: Uint8Array | null;
  readonly leafHash: Uint8Array;
  readonly proof: Uint8Array[];
  readonly head: SignedTreeHead;
}

export function recordFromJson(v: unknown, field: string): WireRecord {
  if (!isObject(v)) throw new WireError(`${field}: expected an object`);
  const leafHash = fromBase64(v.leafHash, `${field}.leafHash`, HASH_BYTES);
  if (leafHash.length !== HASH_BYTES) throw new WireError(`${field}.leafHash: expected 32 bytes`);
  return {
    index: count(v.index, `${field}.index`),
    bytes: v.bytes === null ? null : fromBase64(v.bytes, `${field}.bytes`, MAX_WIRE_RECORD_BYTES),
    leafHash,
    proof: hashList(v.proof, `${field}.proof`, MAX_INCLUSION_PROOF),
    head: headFromJson(v.head, `${field}.head`),
  };
}

/** Decoded `GET /v1/portal/records`. */
export interface WireRecords {
  readonly head: SignedTreeHead;
  readonly publicKey: Uint8Array;
  readonly total: number;
  readonly records: WireRecord[];
  readonly next: number | null;
}

/** Largest page of records the page accepts. */
export const MAX_WIRE_PAGE = 1000;

export function recordsFromJson(v: unknown): WireRecords {
  if (!isObject(v)) throw new WireError("records: expected an object");
  const publicKey = fromBase64(v.publicKey, "publicKey", 32);
  if (publicKey.length !== 32) throw new WireError("publicKey: expected 32 bytes");
  if (!Array.isArray(v.records) || v.records.length > MAX_WIRE_PAGE)
    throw new WireError(`records: expected an array of at most ${MAX_WIRE_PAGE}`);
  return {
    head: headFromJson(v.head),
    publicKey,
    total: count(v.total, "total"),
    records: v.records.map((r, i) => recordFromJson(r, `records[${i}]`)),
    next: v.next === null ? null : count(v.next, "next"),
  };
}

export function consistencyFromJson(v: unknown): { from: number; to: number; proof: Uint8Array[] } {
  if (!isObject(v)) throw new WireError("consistency: expected an object");
  return {
    from: count(v.from, "from"),
    to: count(v.to, "to"),
    proof: hashList(v.proof, "proof", MAX_CONSISTENCY_PROOF),
  };
}
