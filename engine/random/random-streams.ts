/**
 * Independent named random streams from one seed. Each stream's xoshiro128** state is a hash of
 * (seed, name, index) — SplitMix64 over the seed, FNV-1a 64 over the name, both folded through
 * SplitMix64's bijective mixer (Steele, Lea & Flood, OOPSLA 2014; seeding as recommended at
 * https://prng.di.unimi.it/) — rather than a position in one shared sequence. Hence:
 *
 * - adding, removing or reordering streams never shifts another stream's numbers;
 * - a stream's numbers do not depend on which worker thread, or how many threads, run the model;
 * - two distinct (name, index) pairs start at unrelated points of the 2^128-period cycle: the
 *   chance that any two of a million streams of 10¹² draws each overlap is below 2^-40.
 *
 * The derivation is versioned ({@link STREAM_DERIVATION}) and recorded in run manifests; changing
 * it changes every result, so it changes only with a new version string.
 * @module
 */
import { invalid } from "./_check.js";
import { add64, fnv1a64, GOLDEN_GAMMA, mix64, mul64, fromSafeInteger, xor64, type U64 } from "./_hash64.js";
import { Random, seedToU64, stateFromKey } from "./random.js";

/** Names the generator and stream-derivation scheme, for run manifests. */
export const STREAM_DERIVATION = "xoshiro128**/splitmix64+fnv1a64 v1";

/**
 * The stream factory of one run.
 * @example
 * const streams = new RandomStreams(20160101);
 * const demand = streams.stream("issuance.demand", replication);
 * const outages = streams.stream("jlis.outages", replication);
 */
export class RandomStreams {
  /** The seed as given. */
  readonly seed: number | bigint;
  readonly #key: U64;

  /**
   * @param seed integer in [0, 2^53) or bigint in [0, 2^64).
   * @throws RandomError on any other seed.
   */
  constructor(seed: number | bigint) {
    this.seed = seed;
    this.#key = mix64(add64(seedToU64(seed, "RandomStreams"), GOLDEN_GAMMA));
  }

  /**
   * A fresh stream for `name` and `index`, always starting at the same point: calling twice with the
   * same arguments gives two streams with identical sequences.
   * @param name the model component, e.g. `"issuance.demand"`; a non-empty string.
   * @param index replication (or any sub-stream) number, an integer in [0, 2^53); default 0.
   * @returns a new {@link Random}.
   * @throws RandomError on an empty name or an invalid index.
   */
  stream(name: string, index = 0): Random {
    return Random.fromState({ s: this.words(name, index), spare: null });
  }

  /**
   * The initial state words of `stream(name, index)` (for diagnostics and manifests).
   * @param name as for {@link RandomStreams.stream}.
   * @param index as for {@link RandomStreams.stream}.
   * @returns four unsigned 32-bit integers.
   * @throws RandomError on an empty name or an invalid index.
   */
  words(name: string, index = 0): [number, number, number, number] {
    if (typeof name !== "string" || name.length === 0) invalid("stream", "name", "a non-empty string", name);
    if (!Number.isSafeInteger(index) || index < 0)
      invalid("stream", "index", "an integer in [0, 2^53)", index);
    let k = mix64(xor64(this.#key, fnv1a64(name)));
    k = mix64(add64(k, mul64(fromSafeInteger(index + 1), GOLDEN_GAMMA)));
    return stateFromKey(k);
  }
}
