/**
 * Browser-side verification of the provision-record log's Merkle proofs, RFC 9162 §2.1 (the RFC 6962
 * tree): leaf hash SHA-256(0x00 ‖ data), node hash SHA-256(0x01 ‖ left ‖ right), inclusion proof
 * verification §2.1.3.2 and consistency proof verification §2.1.4.2, exactly as the RFC states the
 * iterative algorithms. Uses @noble/hashes and plain Uint8Array only (no node:*, no Buffer), so the
 * Myna Portal page runs this very file and trusts no server's word (DESIGN §5 network/, portal/).
 *
 * Sizes and indices come from untrusted input: they must be safe non-negative integers, bit
 * operations are done with arithmetic (JS `>>` is 32-bit), and proofs longer than any tree of a
 * safe-integer size can need are refused before hashing anything.
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";

/** Bytes of a SHA-256 hash. */
export const HASH_BYTES = 32;
/** Longest inclusion proof accepted: ⌈log2(2^53)⌉ = 53 hashes for any safe-integer tree size. */
export const MAX_INCLUSION_PROOF = 53;
/** Longest consistency proof accepted (≤ 2 · 53 + 1 for safe-integer sizes). */
export const MAX_CONSISTENCY_PROOF = 107;

/** Outcome of a verification: ok, or the reason it failed (for the page and the logs). */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: VerifyResult = { ok: true };
const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/** RFC 9162 leaf hash: SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(Uint8Array.of(0));
  h.update(data);
  return h.digest();
}

/** RFC 9162 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(Uint8Array.of(1));
  h.update(left);
  h.update(right);
  return h.digest();
}

/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Constant-time-ish equality of two byte strings (lengths are public). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return d === 0;
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);
const isSize = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_BYTES;
const isPowerOfTwo = (x: number): boolean => {
  let v = x;
  while (v > 1 && !odd(v)) v = half(v);
  return v === 1;
};

/**
 * RFC 9162 §2.1.3.2: verifies that the leaf with hash `leaf` sits at `index` of the tree of `size`
 * leaves whose root is `root`, given the inclusion `proof` (bottom-up sibling hashes).
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): VerifyResult {
  if (!isSize(index) || !isSize(size)) return fail("index and size must be safe non-negative integers");
  if (index >= size) return fail(`index ${index} is not below tree size ${size}`);
  if (!Array.isArray(proof) || proof.length > MAX_INCLUSION_PROOF) return fail("inclusion proof too long");
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash))
    return fail("hashes must be 32-byte Uint8Arrays");
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail("inclusion proof longer than the tree needs");
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail("inclusion proof shorter than the tree needs");
  return bytesEqual(r, root) ? OK : fail("inclusion proof does not lead to the root");
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of `second` leaves with root `secondRoot` extends the
 * tree of `first` leaves with root `firstRoot` (the log only grew). `first` = `second` holds with an
 * empty proof and equal roots; `first` = 0 holds with an empty proof (anything extends the empty log).
 */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): VerifyResult {
  if (!isSize(first) || !isSize(second)) return fail("sizes must be safe non-negative integers");
  if (first > second) return fail(`first size ${first} exceeds second size ${second}`);
  if (!Array.isArray(proof) || proof.length > MAX_CONSISTENCY_PROOF)
    return fail("consistency proof too long");
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) {
    return fail("hashes must be 32-byte Uint8Arrays");
  }
  if (first === 0) return proof.length === 0 ? OK : fail("a proof from the empty tree must be empty");
  if (first === second) {
    if (proof.length !== 0) return fail("a proof between equal sizes must be empty");
    return bytesEqual(firstRoot, secondRoot) ? OK : fail("equal sizes with different roots");
  }
  if (proof.length === 0) return fail("consistency proof is empty");
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const head = path[0] as Uint8Array;
  let fr = head;
  let sr = head;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return fail("consistency proof longer than the trees need");
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail("consistency proof shorter than the trees need");
  if (!bytesEqual(fr, firstRoot)) return fail("consistency proof does not lead to the first root");
  if (!bytesEqual(sr, secondRoot)) return fail("consistency proof does not lead to the second root");
  return OK;
}
