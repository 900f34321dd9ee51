/**
 * 64-bit integer arithmetic on pairs of unsigned 32-bit halves, and the hashes built on it:
 * SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
 * constants as in Vigna's reference `splitmix64.c`) and FNV-1a 64 (Fowler–Noll–Vo, IETF draft
 * draft-eastlake-fnv). Used only to derive stream states, never on the per-draw hot path, and kept
 * BigInt-free so deriving a stream costs well under a microsecond.
 * @module
 */

/** An unsigned 64-bit integer as `[hi, lo]`, each an unsigned 32-bit integer. */
export type U64 = readonly [hi: number, lo: number];

/** The SplitMix64 increment, 0x9E3779B97F4A7C15 (2^64 / golden ratio). */
export const GOLDEN_GAMMA: U64 = [0x9e3779b9, 0x7f4a7c15];

const FNV_OFFSET: U64 = [0xcbf29ce4, 0x84222325];
const FNV_PRIME: U64 = [0x00000100, 0x000001b3];
const MIX_1: U64 = [0xbf58476d, 0x1ce4e5b9];
const MIX_2: U64 = [0x94d049bb, 0x133111eb];

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers (Hacker's Delight §8-2). */
export function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t0 = a0 * b0;
  const t1 = a1 * b0 + (t0 >>> 16);
  const t2 = a0 * b1 + (t1 & 0xffff);
  return (a1 * b1 + (t1 >>> 16) + (t2 >>> 16)) >>> 0;
}

/** `a * b mod 2^64`. */
export function mul64(a: U64, b: U64): U64 {
  const lo = Math.imul(a[1], b[1]) >>> 0;
  const hi = (Math.imul(a[0], b[1]) + Math.imul(a[1], b[0]) + mulHi32(a[1], b[1])) >>> 0;
  return [hi, lo];
}

/** `a + b mod 2^64`. */
export function add64(a: U64, b: U64): U64 {
  const lo = a[1] + b[1];
  const carry = lo > 0xffffffff ? 1 : 0;
  return [(a[0] + b[0] + carry) >>> 0, lo >>> 0];
}

/** `a XOR b`. */
export function xor64(a: U64, b: U64): U64 {
  return [(a[0] ^ b[0]) >>> 0, (a[1] ^ b[1]) >>> 0];
}

/** `a >>> k` for 0 < k < 32. */
function shr64(a: U64, k: number): U64 {
  return [a[0] >>> k, ((a[1] >>> k) | (a[0] << (32 - k))) >>> 0];
}

/** SplitMix64's output mix (Stafford's "Mix13" variant): a bijection on 64-bit integers. */
export function mix64(z: U64): U64 {
  z = mul64(xor64(z, shr64(z, 30)), MIX_1);
  z = mul64(xor64(z, shr64(z, 27)), MIX_2);
  return xor64(z, shr64(z, 31));
}

/** One SplitMix64 step: the output for state `s`, i.e. `mix64(s + GOLDEN_GAMMA)`. */
export function splitmix64(s: U64): U64 {
  return mix64(add64(s, GOLDEN_GAMMA));
}

/** FNV-1a 64 over the UTF-16 code units of `text` (each unit fed as one 16-bit symbol). */
export function fnv1a64(text: string): U64 {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h = mul64([h[0], (h[1] ^ text.charCodeAt(i)) >>> 0], FNV_PRIME);
  }
  return h;
}

/** A non-negative safe integer as a U64. */
export function fromSafeInteger(x: number): U64 {
  return [Math.floor(x / 4294967296) >>> 0, x >>> 0];
}

/** A bigint in [0, 2^64) as a U64 (BigInt is used here only, at stream creation). */
export function fromBigInt(x: bigint): U64 {
  return [Number((x >> 32n) & 0xffffffffn), Number(x & 0xffffffffn)];
}

/** A U64 as a bigint (for tests and diagnostics). */
export function toBigInt(x: U64): bigint {
  return (BigInt(x[0]) << 32n) | BigInt(x[1]);
}
