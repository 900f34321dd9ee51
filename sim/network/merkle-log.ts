/**
 * The provision-record log's Merkle tree, RFC 9162 §2.1 (= RFC 6962 §2.1): appends leaves, and gives
 * tree roots, inclusion proofs (PATH, §2.1.3.1) and consistency proofs (PROOF/SUBPROOF, §2.1.4.1)
 * for any earlier size. Node side (node:crypto SHA-256); the browser checks the proofs with
 * sim/portal/merkle-verify.ts.
 *
 * Storage: one growable byte array per level, level k holding the hashes of the complete aligned
 * subtrees of 2^k leaves — ≈ 2 × 32 bytes per leaf, no object per node. Every range hash a proof
 * needs is the right-to-left fold of at most 53 stored complete subtrees, so a proof costs
 * O(log² n) hashes at worst and no recursion (sizes come from untrusted requests; they are checked
 * to be safe integers within the log first).
 * @module
 */
import { createHash } from "node:crypto";
import { ProofRequestError } from "./network-errors.js";

const HASH = 32;

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

/** RFC 9162 leaf hash with node:crypto. */
export function leafHashNode(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

function nodeHashNode(l: Uint8Array, r: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, l, r);
}

/** Hashes of complete subtrees of one height, in a growable buffer. */
class Level {
  buf = new Uint8Array(HASH * 64);
  count = 0;

  push(h: Uint8Array): void {
    if ((this.count + 1) * HASH > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf.set(h, this.count * HASH);
    this.count++;
  }

  get(i: number): Uint8Array {
    return this.buf.subarray(i * HASH, (i + 1) * HASH);
  }
}

/** Largest power of two strictly below n (n ≥ 2), by arithmetic so sizes above 2^31 work. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** An append-only RFC 9162 Merkle tree over leaf hashes. */
export class MerkleLog {
  readonly #levels: Level[] = [new Level()];

  /** Number of leaves. */
  get size(): number {
    return (this.#levels[0] as Level).count;
  }

  /** Appends the leaf with this data; returns its index. */
  append(data: Uint8Array): number {
    return this.appendLeafHash(leafHashNode(data));
  }

  /** Appends an already computed leaf hash (e.g. when reloading a stored log); returns its index. */
  appendLeafHash(hash: Uint8Array): number {
    if (hash.length !== HASH)
      throw new ProofRequestError(`leaf hash: expected ${HASH} bytes, got ${hash.length}`);
    const index = this.size;
    let level = 0;
    let h = hash;
    for (;;) {
      let lv = this.#levels[level];
      if (lv === undefined) {
        lv = new Level();
        this.#levels.push(lv);
      }
      lv.push(h);
      if (lv.count % 2 === 1) break;
      h = nodeHashNode(lv.get(lv.count - 2), lv.get(lv.count - 1));
      level++;
    }
    return index;
  }

  /** Leaf hash at `index`. */
  leafHash(index: number): Uint8Array {
    this.#checkIndex(index, this.size, "index");
    return (this.#levels[0] as Level).get(index).slice();
  }

  #checkIndex(x: number, bound: number, field: string): void {
    if (!Number.isSafeInteger(x) || x < 0 || x >= bound) {
      throw new ProofRequestError(`${field}: expected an integer in [0, ${bound}), got ${String(x)}`);
    }
  }

  #checkSize(x: number, field: string): void {
    if (!Number.isSafeInteger(x) || x < 0 || x > this.size) {
      throw new ProofRequestError(
        `${field}: expected an integer in [0, ${this.size}] (the log's size), got ${String(x)}`,
      );
    }
  }

  /**
   * MTH(D[start:end]) for a range whose start is aligned to the largest power of two ≤ its length
   * (every range RFC 9162's split produces is): the complete subtrees from left to right, folded
   * right to left.
   */
  #rangeHash(start: number, end: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let s = start;
    while (s < end) {
      let width = 1;
      let level = 0;
      while (s % (width * 2) === 0 && s + width * 2 <= end) {
        width *= 2;
        level++;
      }
      parts.push((this.#levels[level] as Level).get(s / width));
      s += width;
    }
    let h = parts[parts.length - 1] as Uint8Array;
    for (let i = parts.length - 2; i >= 0; i--) h = nodeHashNode(parts[i] as Uint8Array, h);
    return h;
  }

  /** Root hash of the tree of the first `size` leaves (default: all). */
  root(size = this.size): Uint8Array {
    this.#checkSize(size, "tree size");
    if (size === 0) return sha256(new Uint8Array(0));
    return this.#rangeHash(0, size).slice();
  }

  /** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.#checkSize(size, "tree size");
    this.#checkIndex(index, size, "leaf index");
    const topDown: Uint8Array[] = [];
    let lo = 0;
    let hi = size;
    while (hi - lo > 1) {
      const k = largestPowerOfTwoBelow(hi - lo);
      if (index - lo < k) {
        topDown.push(this.#rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.push(this.#rangeHash(lo, lo + k));
        lo += k;
      }
    }
    return topDown.reverse().map((h) => h.slice());
  }

  /** RFC 9162 §2.1.4.1 consistency proof from the tree of `first` leaves to that of `second`. */
  consistencyProof(first: number, second = this.size): Uint8Array[] {
    this.#checkSize(second, "second tree size");
    this.#checkSize(first, "first tree size");
    if (first > second)
      throw new ProofRequestError(`first tree size ${first} exceeds second tree size ${second}`);
    if (first === 0 || first === second) return [];
    const topDown: Uint8Array[] = [];
    let lo = 0;
    let hi = second;
    let complete = true; // SUBPROOF's b: the subtree is still the whole old tree's left edge
    for (;;) {
      if (first === hi) {
        if (!complete) topDown.push(this.#rangeHash(lo, hi));
        break;
      }
      const k = largestPowerOfTwoBelow(hi - lo);
      if (first - lo <= k) {
        topDown.push(this.#rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.push(this.#rangeHash(lo, lo + k));
        lo += k;
        complete = false;
      }
    }
    return topDown.reverse().map((h) => h.slice());
  }
}
