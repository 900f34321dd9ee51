/**
 * One seeded random stream: the xoshiro128** 1.0 generator (D. Blackman & S. Vigna, "Scrambled
 * linear pseudorandom number generators", ACM TOMS 47(4), 2021; reference code
 * https://prng.di.unimi.it/xoshiro128starstar.c) — 128 bits of state, period 2^128 − 1, 32-bit
 * output built from `Math.imul`, shifts and rotations only (no BigInt, no allocation per draw).
 *
 * On top of the raw generator sit the distributions the twin needs. Continuous ones are by inversion
 * or by the method named on each; Poisson, binomial, gamma, multinomial and the empirical
 * distributions live in their own modules and are reachable here as methods. Uniforms on [0, 1) have
 * 53 random bits (two 32-bit outputs, as in Vigna's `(x >>> 11) * 0x1.0p-53` recipe).
 *
 * A `Random` is created from a seed (`new Random(seed)`), from a named stream of
 * {@link RandomStreams}, or from a saved {@link RandomState}. It is deterministic: the same
 * construction gives the same sequence on every platform and thread.
 * @module
 */
import { binomial } from "./binomial.js";
import { checkFinite, checkNonNegative, checkPositive, checkProbability, invalid } from "./_check.js";
import { gamma } from "./gamma.js";
import { add64, fromBigInt, fromSafeInteger, GOLDEN_GAMMA, splitmix64, type U64 } from "./_hash64.js";
import { lognormalParams } from "./lognormal.js";
import { multinomial } from "./multinomial.js";
import { poisson } from "./poisson.js";

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_M53 = 1 / TWO_POW_53;

/** Plain-data snapshot of a stream (structured-clone and JSON safe). */
export interface RandomState {
  /** The four 32-bit state words of xoshiro128**, as unsigned integers. */
  readonly s: readonly [number, number, number, number];
  /** The cached second normal of the polar method, or null. */
  readonly spare: number | null;
}

/**
 * Derives the four xoshiro128** state words from a 64-bit key as the first two outputs of a
 * SplitMix64 generator whose state is the key, as Vigna recommends for seeding.
 * @param key 64-bit key (a hashed seed).
 * @returns four unsigned 32-bit words, never all zero.
 */
export function stateFromKey(key: U64): [number, number, number, number] {
  const a = splitmix64(key);
  const b = splitmix64(add64(key, GOLDEN_GAMMA));
  const s: [number, number, number, number] = [a[0], a[1], b[0], b[1]];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

/**
 * Checks a seed and returns it as 64 bits.
 * @param seed the seed to check.
 * @param where the caller, for the error message.
 * @returns the seed as a {@link U64}.
 * @throws RandomError unless `seed` is an integer in [0, 2^53) (number) or [0, 2^64) (bigint).
 */
export function seedToU64(seed: number | bigint, where = "Random"): U64 {
  if (typeof seed === "bigint") {
    if (seed < 0n || seed >= 1n << 64n) invalid(where, "seed", "an integer in [0, 2^64)", seed);
    return fromBigInt(seed);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) invalid(where, "seed", "an integer in [0, 2^53)", seed);
  return fromSafeInteger(seed);
}

/**
 * A seeded stream of random numbers and variates.
 * @example
 * const rng = new Random(42);
 * const arrivals = rng.poisson(1200); // today's applications at one counter
 * const service = rng.lognormalMeanSd(6, 2); // minutes
 */
export class Random {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #spare = 0;
  #hasSpare = false;

  /**
   * A stream seeded directly from `seed` (SplitMix64-expanded). For model code prefer a named
   * stream of {@link RandomStreams}, so that components do not share one sequence.
   * @param seed integer in [0, 2^53) or bigint in [0, 2^64).
   * @throws RandomError on any other seed.
   */
  constructor(seed: number | bigint) {
    this.#set(stateFromKey(seedToU64(seed)), null);
  }

  /**
   * Rebuilds a stream from a snapshot taken with {@link Random.getState}.
   * @param state a {@link RandomState}.
   * @returns a stream that continues exactly where the snapshot was taken.
   * @throws RandomError when the words are not four unsigned 32-bit integers, not all zero.
   */
  static fromState(state: RandomState): Random {
    const r = new Random(0);
    const s = state?.s;
    if (
      !Array.isArray(s) ||
      s.length !== 4 ||
      !s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)
    ) {
      invalid("Random.fromState", "state.s", "four unsigned 32-bit integers", JSON.stringify(s));
    }
    if ((s[0] | s[1] | s[2] | s[3]) === 0)
      invalid("Random.fromState", "state.s", "not all zero", "[0,0,0,0]");
    const spare = state.spare;
    if (spare !== null && !Number.isFinite(spare))
      invalid("Random.fromState", "state.spare", "a number or null", spare);
    r.#set(s as [number, number, number, number], spare);
    return r;
  }

  #set(s: readonly [number, number, number, number], spare: number | null): void {
    this.#s0 = s[0] | 0;
    this.#s1 = s[1] | 0;
    this.#s2 = s[2] | 0;
    this.#s3 = s[3] | 0;
    this.#hasSpare = spare !== null;
    this.#spare = spare ?? 0;
  }

  /**
   * Snapshot of the stream (plain data), e.g. to checkpoint a run or hand a stream to a worker.
   * @returns the state; {@link Random.fromState} resumes from it.
   */
  getState(): RandomState {
    return {
      s: [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0],
      spare: this.#hasSpare ? this.#spare : null,
    };
  }

  /** @returns an independent copy that will produce the same sequence as this stream from now on. */
  clone(): Random {
    return Random.fromState(this.getState());
  }

  /** @returns the next raw output, an unsigned 32-bit integer. */
  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    let s2 = this.#s2;
    let s3 = this.#s3;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    this.#s1 = s1 ^ s2;
    this.#s0 = s0 ^ s3;
    this.#s2 = s2 ^ t;
    this.#s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** @returns a uniform double in [0, 1) with 53 random bits (multiples of 2^-53). */
  next(): number {
    // Two xoshiro128** steps, inlined (this is the hottest method of the engine).
    let s0 = this.#s0;
    let s1 = this.#s1;
    let s2 = this.#s2;
    let s3 = this.#s3;
    let x = Math.imul(s1, 5);
    const hi = Math.imul((x << 7) | (x >>> 25), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    x = Math.imul(s1, 5);
    const lo = Math.imul((x << 7) | (x >>> 25), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    this.#s1 = s1 ^ s2;
    this.#s0 = s0 ^ s3;
    this.#s2 = s2 ^ t;
    this.#s3 = (s3 << 11) | (s3 >>> 21);
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /**
   * A uniform integer in [0, n), unbiased (rejection of the short final interval).
   * @param n integer in [1, 2^53].
   * @returns an integer 0 ≤ k < n.
   * @throws RandomError when n is not an integer in [1, 2^53].
   * @example rng.int(6) + 1 // a die
   */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_53 && Number.isInteger(n)))
      invalid("int", "n", "an integer in [1, 2^53]", n);
    if (n <= TWO_POW_32) {
      const reject = TWO_POW_32 % n;
      let r = this.nextUint32();
      while (r < reject) r = this.nextUint32();
      return r % n;
    }
    const reject = TWO_POW_53 % n;
    for (;;) {
      const x = (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
      if (x >= reject) return x % n;
    }
  }

  /**
   * A uniform integer in [min, max], both ends included.
   * @param min lowest value, an integer.
   * @param max highest value, an integer ≥ min with max − min < 2^53.
   * @returns an integer min ≤ k ≤ max.
   * @throws RandomError on non-integers or max < min.
   */
  intBetween(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      invalid("intBetween", "min/max", "safe integers with min ≤ max", `${min}, ${max}`);
    }
    return min + this.int(max - min + 1);
  }

  /**
   * A Bernoulli trial.
   * @param p probability of `true`, in [0, 1].
   * @returns true with probability p.
   * @throws RandomError when p ∉ [0, 1].
   */
  bernoulli(p: number): boolean {
    checkProbability(p, "bernoulli", "p");
    return this.next() < p;
  }

  /**
   * Continuous uniform on [a, b).
   * @param a lower end (finite).
   * @param b upper end (finite, ≥ a).
   * @returns a + (b − a)·U.
   * @throws RandomError when a or b is not finite or b < a.
   */
  uniform(a: number, b: number): number {
    checkFinite(a, "uniform", "a");
    checkFinite(b, "uniform", "b");
    if (b < a) invalid("uniform", "b", `≥ a (${a})`, b);
    return a + (b - a) * this.next();
  }

  /**
   * Exponential by inversion, −mean·log(1 − U).
   * @param mean the mean (= 1/rate), finite and > 0.
   * @returns a value ≥ 0.
   * @throws RandomError when mean is not finite and > 0.
   * @example rng.exponential(90) // seconds between arrivals at 40/hour
   */
  exponential(mean: number): number {
    checkPositive(mean, "exponential", "mean");
    return -mean * Math.log1p(-this.next());
  }

  /**
   * Exponential parameterised by its rate λ (mean 1/λ).
   * @param rate events per unit time, finite and > 0.
   * @returns a value ≥ 0.
   * @throws RandomError when rate is not finite and > 0.
   */
  exponentialRate(rate: number): number {
    checkPositive(rate, "exponentialRate", "rate");
    return -Math.log1p(-this.next()) / rate;
  }

  /**
   * Standard normal by Marsaglia's polar method (Marsaglia & Bray, SIAM Review 6(3), 1964); the
   * second variate of each pair is cached and is part of {@link RandomState}.
   * @returns a N(0, 1) variate.
   */
  standardNormal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * m;
    this.#hasSpare = true;
    return u * m;
  }

  /**
   * Normal (Gaussian).
   * @param mean location, finite (default 0).
   * @param sd standard deviation, finite and ≥ 0 (default 1).
   * @returns mean + sd·Z.
   * @throws RandomError on a non-finite mean or a negative / non-finite sd.
   */
  normal(mean = 0, sd = 1): number {
    checkFinite(mean, "normal", "mean");
    checkNonNegative(sd, "normal", "sd");
    return mean + sd * this.standardNormal();
  }

  /**
   * Lognormal from the parameters of the underlying normal: exp(mu + sigma·Z).
   * @param mu mean of log X, finite.
   * @param sigma standard deviation of log X, finite and ≥ 0.
   * @returns a value > 0.
   * @throws RandomError on invalid mu or sigma.
   */
  lognormal(mu: number, sigma: number): number {
    checkFinite(mu, "lognormal", "mu");
    checkNonNegative(sigma, "lognormal", "sigma");
    return Math.exp(mu + sigma * this.standardNormal());
  }

  /**
   * Lognormal with the given mean and standard deviation of X itself (see {@link lognormalParams}).
   * @param mean E[X], > 0.
   * @param sd SD[X], ≥ 0.
   * @returns a value > 0.
   * @throws RandomError on invalid mean or sd.
   * @example rng.lognormalMeanSd(6, 2) // counter service time, mean 6 min, sd 2 min
   */
  lognormalMeanSd(mean: number, sd: number): number {
    const { mu, sigma } = lognormalParams(mean, sd);
    return Math.exp(mu + sigma * this.standardNormal());
  }

  /**
   * Gamma by Marsaglia & Tsang (2000); see {@link gamma}.
   * @param shape k > 0.
   * @param scale θ > 0 (mean k·θ), default 1.
   * @returns a value ≥ 0.
   * @throws RandomError on invalid shape or scale.
   */
  gamma(shape: number, scale = 1): number {
    return gamma(this, shape, scale);
  }

  /**
   * Weibull by inversion, scale·(−log(1 − U))^(1/shape).
   * @param shape k > 0.
   * @param scale λ > 0.
   * @returns a value ≥ 0.
   * @throws RandomError on invalid shape or scale.
   */
  weibull(shape: number, scale: number): number {
    checkPositive(shape, "weibull", "shape");
    checkPositive(scale, "weibull", "scale");
    return scale * Math.pow(-Math.log1p(-this.next()), 1 / shape);
  }

  /**
   * Triangular on [min, max] with the given mode, by inversion.
   * @param min lower end.
   * @param mode most likely value, min ≤ mode ≤ max.
   * @param max upper end, > min.
   * @returns a value in [min, max].
   * @throws RandomError unless min ≤ mode ≤ max, min < max, all finite.
   */
  triangular(min: number, mode: number, max: number): number {
    if (!(Number.isFinite(min) && Number.isFinite(max) && min < max && mode >= min && mode <= max)) {
      invalid(
        "triangular",
        "min/mode/max",
        "finite with min ≤ mode ≤ max and min < max",
        `${min}, ${mode}, ${max}`,
      );
    }
    const u = this.next();
    const w = max - min;
    const f = (mode - min) / w;
    return u < f ? min + Math.sqrt(u * w * (mode - min)) : max - Math.sqrt((1 - u) * w * (max - mode));
  }

  /**
   * Poisson, exact for any mean up to 2^52; O(1) expected time (see {@link poisson}).
   * @param mean λ ≥ 0.
   * @returns a non-negative integer.
   * @throws RandomError when mean is negative, NaN or above 2^52.
   * @example rng.poisson(1e7)
   */
  poisson(mean: number): number {
    return poisson(this, mean);
  }

  /**
   * Binomial, exact for n up to 2^53 − 1; O(1) expected time (see {@link binomial}).
   * @param n number of trials, an integer ≥ 0.
   * @param p success probability in [0, 1].
   * @returns the number of successes, 0..n.
   * @throws RandomError on invalid n or p.
   * @example rng.binomial(100_000_000, 0.3)
   */
  binomial(n: number, p: number): number {
    return binomial(this, n, p);
  }

  /**
   * Geometric: the number of Bernoulli(p) trials up to and including the first success, by
   * inversion ⌊log(1 − U)/log(1 − p)⌋ + 1.
   * @param p success probability in (0, 1].
   * @returns an integer ≥ 1 (mean 1/p).
   * @throws RandomError when p ∉ (0, 1].
   */
  geometric(p: number): number {
    if (!(p > 0 && p <= 1)) invalid("geometric", "p", "a probability in (0, 1]", p);
    if (p === 1) return 1;
    return Math.floor(Math.log1p(-this.next()) / Math.log1p(-p)) + 1;
  }

  /**
   * Multinomial by conditional binomials (see {@link multinomial}); writes the counts into `out`.
   * @param n total count, integer ≥ 0.
   * @param weights non-negative category weights (need not sum to 1).
   * @param out array of the same length as weights that receives the counts.
   * @returns `out`.
   * @throws RandomError on invalid n, weights or out.
   */
  multinomial<T extends Int32Array | Float64Array>(n: number, weights: ArrayLike<number>, out: T): T {
    return multinomial(this, n, weights, out);
  }

  /**
   * Shuffles `array` in place (Fisher–Yates / Durstenfeld).
   * @param array the array to permute.
   * @returns the same array.
   */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
    return array;
  }

  /**
   * A uniformly chosen element.
   * @param array a non-empty array.
   * @returns one of its elements.
   * @throws RandomError when the array is empty.
   */
  pick<T>(array: readonly T[]): T {
    if (array.length === 0) invalid("pick", "array", "non-empty", "an empty array");
    return array[this.int(array.length)] as T;
  }
}
