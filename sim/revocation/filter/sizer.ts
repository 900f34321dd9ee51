/**
 * Size of a revocation filter without building it (for the strategy comparison of issue 11 item 2,
 * sim/revocation/strategies.ts `FilterSizer`): the builder's own arithmetic (builder.ts) with the
 * level-1 false positives at their expected count (N − R)·2^−r and every block solved at its first
 * row count. Agrees with real builds to within about 1 % (sizer.test.ts); retried blocks make real
 * files a little larger.
 * @module
 */
import { optimalFingerprintBits } from "./builder.js";
import { BLOCK_ENTRY_BYTES, HEADER_BYTES, TRAILER_BYTES } from "./format.js";
import { columnWords } from "./ribbon.js";
import type { FilterSizer } from "../strategies.js";

/** Builder defaults the estimate follows. */
const OVERHEAD = 0.04;
const BLOCK_EQUATIONS = 1 << 15;

/** Rows of a level with `n` equations (0 when empty). */
const rows = (n: number): number => (n <= 0 ? 0 : Math.ceil(n * (1 + OVERHEAD)) + 64);

/** Expected bytes of a filter over `universe` keys of which `targets` answer true. */
export function estimateFilterBytes(universe: number, targets: number): number {
  if (universe <= 0) return HEADER_BYTES + BLOCK_ENTRY_BYTES + TRAILER_BYTES;
  const k = Math.min(Math.max(0, targets), universe);
  const r = optimalFingerprintBits(universe, k);
  const e2 = r === 0 ? universe : k + (universe - k) * 2 ** -r;
  const blocks = Math.max(1, Math.ceil(e2 / BLOCK_EQUATIONS));
  const words = blocks * (r * columnWords(rows(k / blocks)) + columnWords(rows(e2 / blocks)));
  return HEADER_BYTES + BLOCK_ENTRY_BYTES * blocks + 4 * words + TRAILER_BYTES;
}

/** A sizer in the shape strategies.ts takes (`FilterSizer`): full filters and daily deltas. */
export function revocationFilterSizer(o: { deltaHours?: number; fullEveryDays?: number } = {}): FilterSizer {
  return {
    label: "CRLite-style two-level Ribbon filter (sim/revocation/filter)",
    fullBytes: (universe, revoked) => estimateFilterBytes(universe, revoked),
    deltaBytes: (universe, changed) => estimateFilterBytes(universe, changed),
    deltaHours: o.deltaHours ?? 24,
    fullEveryDays: o.fullEveryDays ?? 30,
    lookup: "local: two Ribbon evaluations, no network",
  };
}
