/**
 * Signed tree heads of the provision-record log (the role of RFC 9162 §4.10's signed tree head, in the
 * twin's own compact encoding): the log signs (tree size, timestamp, root hash) with Ed25519 (RFC 8032),
 * and the Myna Portal page checks the signature with @noble/curves before it trusts a root for
 * inclusion and consistency proofs. Browser-safe: plain Uint8Array, no node:*. The node side that
 * signs is sim/network/signed-tree-head.ts; both use {@link encodeTreeHead}.
 *
 * Signed bytes: ASCII "myna-twin/tree-head/v1" ‖ 0x00 ‖ u64be size ‖ u64be timestamp (ms since the
 * epoch) ‖ 32-byte root — fixed length, so no two heads share an encoding.
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";

const LABEL = new TextEncoder().encode("myna-twin/tree-head/v1\u0000");
/** Length of the signed encoding. */
export const TREE_HEAD_BYTES = LABEL.length + 8 + 8 + 32;

/** A tree head: what the log commits to at one size. */
export interface TreeHead {
  /** Number of records in the tree. */
  readonly size: number;
  /** When the head was signed, ms since 1970-01-01T00:00Z (given by the caller, never read from a clock here). */
  readonly timestamp: number;
  /** RFC 9162 root hash, 32 bytes. */
  readonly rootHash: Uint8Array;
}

/** A tree head with the log's Ed25519 signature over {@link encodeTreeHead}. */
export interface SignedTreeHead extends TreeHead {
  readonly signature: Uint8Array;
}

function putU64(view: DataView, offset: number, x: number): void {
  view.setUint32(offset, Math.floor(x / 2 ** 32));
  view.setUint32(offset + 4, x % 2 ** 32);
}

/** The exact bytes signed for a tree head; throws RangeError on sizes or roots that are not valid. */
export function encodeTreeHead(head: TreeHead): Uint8Array {
  for (const [name, v] of [
    ["size", head.size],
    ["timestamp", head.timestamp],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`tree head ${name}: expected a safe non-negative integer, got ${String(v)}`);
  }
  if (!(head.rootHash instanceof Uint8Array) || head.rootHash.length !== 32) {
    throw new RangeError("tree head rootHash: expected 32 bytes");
  }
  const out = new Uint8Array(TREE_HEAD_BYTES);
  out.set(LABEL, 0);
  const view = new DataView(out.buffer);
  putU64(view, LABEL.length, head.size);
  putU64(view, LABEL.length + 8, head.timestamp);
  out.set(head.rootHash, LABEL.length + 16);
  return out;
}

/**
 * True when `sth` carries a valid Ed25519 signature by `publicKey` (32 raw bytes) over its encoding.
 * Malformed heads, keys or signatures give false, never an exception.
 */
export function verifyTreeHead(sth: SignedTreeHead, publicKey: Uint8Array): boolean {
  try {
    if (!(sth.signature instanceof Uint8Array) || sth.signature.length !== 64) return false;
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
    return ed25519.verify(sth.signature, encodeTreeHead(sth), publicKey);
  } catch {
    return false;
  }
}
