/**
 * Strategy (e) built for real on the sampled day through the filter's public API (sim/revocation/
 * filter, the Ribbon/"clubcard"-style construction): a full filter over a sample universe of
 * certificates and a daily delta over it grown by the day's new certificates. The comparison sizes
 * every day with the filter's own arithmetic (`revocationFilterSizer`, filter/sizer.ts); the run
 * reports these real builds beside that estimate.
 * @module
 */
import { mulberry32 } from "../../engine/random/small-prng.js";
import { buildDeltaFilter, buildFilter, universeOf } from "./filter/index.js";

/** Measured build of the sample filters. */
export interface FilterSample {
  readonly universe: number;
  readonly revoked: number;
  readonly fullBytes: number;
  readonly fullRatio: number;
  readonly deltaChanged: number;
  /** Certificates issued since the full filter (in the delta's universe, not revoked). */
  readonly issued: number;
  /** Keys whose answer the delta flips (newly revoked and new keys the full filter called revoked). */
  readonly deltaTargets: number;
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
    issued,
    deltaTargets: delta.stats.targets,
    deltaBytes: delta.stats.bytes,
    deltaRatio: delta.stats.ratio,
  };
}
