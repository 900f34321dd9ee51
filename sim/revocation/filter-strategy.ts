/**
 * Strategy (e) plugged into the comparison (strategies.ts {@link FilterSizer}) through the filter's
 * public API (sim/revocation/filter, H-filter's Ribbon/"clubcard"-style construction): a real filter
 * and a real delta are built on a sample universe, their size over the information-theoretic bound
 * log2 C(N, R) is measured, and every day's size is that measured ratio times the bound for the day's
 * universe and revoked count. Daily delta filters (issue 11 item 2e), a full filter every `fullEveryDays`.
 * @module
 */
import { mulberry32 } from "../../engine/random/small-prng.js";
import { boundBits, buildDeltaFilter, buildFilter, universeOf } from "./filter/index.js";
import type { FilterSizer } from "./strategies.js";

/** Measured build of the sample filters. */
export interface FilterSample {
  readonly universe: number;
  readonly revoked: number;
  readonly fullBytes: number;
  readonly fullRatio: number;
  readonly deltaChanged: number;
  readonly deltaBytes: number;
  readonly deltaRatio: number;
}

/**
 * Build a full filter over `universe` random certificate keys with `revoked` of them revoked, and a
 * delta that revokes `changed` more over a universe grown by `issued` new certificates; returns the
 * measured sizes (the delta's ratio is over the bound for the keys whose answer it flips).
 */
export function sampleFilter(
  seed: number,
  universe: number,
  revoked: number,
  changed: number,
  issued = 0,
): FilterSample {
  const rnd = mulberry32(seed);
  // the delta's universe also holds the certificates issued since the full filter (not revoked)
  const keys = new Uint32Array((universe + issued) * 2);
  for (let i = 0; i < keys.length; i++) keys[i] = Math.floor(rnd() * 2 ** 32) >>> 0;
  const flags = new Uint8Array(universe);
  for (let i = 0; i < revoked; i++) flags[i] = 1;
  const full = buildFilter(universeOf(keys.subarray(0, universe * 2), flags), { sequence: 1, seed });
  const next = new Uint8Array(universe + issued);
  next.set(flags);
  for (let i = revoked; i < Math.min(universe, revoked + changed); i++) next[i] = 1;
  const delta = buildDeltaFilter(full.filter, universeOf(keys, next), { sequence: 2, seed });
  return {
    universe,
    revoked,
    fullBytes: full.stats.bytes,
    fullRatio: full.stats.ratio,
    deltaChanged: changed,
    deltaBytes: delta.stats.bytes,
    deltaRatio: delta.stats.ratio,
  };
}

/** A {@link FilterSizer} scaled from a measured sample. */
export function filterSizer(sample: FilterSample, deltaHours = 24, fullEveryDays = 7): FilterSizer {
  return {
    label: "Ribbon filter cascade (sim/revocation/filter)",
    fullBytes: (n, k) => (sample.fullRatio * boundBits(Math.round(n), Math.round(k))) / 8,
    deltaBytes: (n, k) => (sample.deltaRatio * boundBits(Math.round(n), Math.max(1, Math.round(k)))) / 8,
    deltaHours,
    fullEveryDays,
    lookup: "one filter query (hash, two Ribbon rows) per check against the full filter and each delta since",
  };
}
