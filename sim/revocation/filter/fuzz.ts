/**
 * Mutation fuzzing of the filter parser (issue 11, bad input): truncations, bit flips, byte runs and
 * header-field rewrites of a valid filter, drawn from mulberry32. Every input must parse to a
 * filter (whose lookups then run) or throw a {@link FilterError}; anything else is rethrown as a
 * finding. Shared by format.test.ts (a bounded count) and bench/fuzz-filter.ts (≥ 10^5).
 * @module
 */
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import { FilterError } from "./errors.js";
import { RevocationFilter } from "./filter.js";

/** Outcome counts of a fuzz run. */
export interface FilterFuzzCounts {
  inputs: number;
  rejected: number;
  accepted: number;
}

/** One mutation of `good` drawn from `rnd`. */
export function mutateFilter(good: Uint8Array, rnd: () => number): Uint8Array {
  const kind = randomInt(rnd, 5);
  if (kind === 0) return good.subarray(0, randomInt(rnd, good.length));
  const b = good.slice();
  if (kind === 1) {
    const flips = 1 + randomInt(rnd, 4);
    for (let i = 0; i < flips; i++) b[randomInt(rnd, b.length)]! ^= 1 << randomInt(rnd, 8);
  } else if (kind === 2) {
    const at = randomInt(rnd, 48 + 12 * 4);
    b[at % b.length] = randomInt(rnd, 256);
  } else if (kind === 3) {
    const at = randomInt(rnd, b.length);
    const len = Math.min(b.length - at, 1 + randomInt(rnd, 16));
    b.fill(randomInt(rnd, 2) ? 0xff : 0, at, at + len);
  } else {
    const extra = new Uint8Array(b.length + 1 + randomInt(rnd, 8));
    extra.set(b);
    return extra;
  }
  return b;
}

/** Run `count` mutated inputs derived from `good` through the parser (and a few lookups). */
export function fuzzFilterBytes(good: Uint8Array, count: number, seed: number): FilterFuzzCounts {
  const rnd = mulberry32(seed);
  const counts: FilterFuzzCounts = { inputs: 0, rejected: 0, accepted: 0 };
  for (let i = 0; i < count; i++) {
    const input = mutateFilter(good, rnd);
    counts.inputs++;
    try {
      const f = RevocationFilter.parse(input);
      for (let k = 0; k < 8; k++) f.has(randomInt(rnd, 2 ** 32), randomInt(rnd, 2 ** 32));
      counts.accepted++;
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      counts.rejected++;
    }
  }
  return counts;
}
