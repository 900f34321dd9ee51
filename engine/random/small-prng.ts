/**
 * A tiny seeded PRNG (mulberry32, T. Ettinger 2017) for tests, fuzzers and benchmark inputs: fast,
 * 32-bit state, good enough to drive mutations and workloads, not for model randomness (models draw
 * from engine/random's named streams). The project's one copy: tests, bench/ and fuzzers import it.
 * @module
 */

/** Uniform draws in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer draws in [0, n) from a mulberry32 stream. */
export function randomInt(rnd: () => number, n: number): number {
  return Math.floor(rnd() * n);
}
