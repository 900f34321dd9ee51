/**
 * A high-dynamic-range histogram after G. Tene's HdrHistogram (http://hdrhistogram.org/; layout of
 * `AbstractHistogram.java`): log-linear buckets — each power-of-two range of values split into
 * 2^⌈log₂(2·10^d)⌉⁻¹ equal sub-buckets — held in one Float64Array, so recording is O(1) with no
 * allocation and the memory is fixed by the range and the precision, not by the number of values.
 *
 * **Precision guarantee.** With d significant digits (1–5) and lowest discernible value L, every
 * value v is counted in a bucket [lo, lo + w) with w ≤ max(L, v·10^-d). Hence a reported quantile
 * differs from the exact sample quantile (nearest-rank definition) by less than max(L, q·10^-d), i.e.
 * relative error below 10^-d above L·10^d. `min`, `max`, `mean` and `totalCount` are exact (the mean
 * up to floating-point summation); counts are exact up to 2^53 per bucket.
 *
 * Two generalisations of the Java original: L may be fractional (it is rounded down to a power of
 * two, 2^k with k < 0 allowed), so values in seconds or days can be recorded as they are; and the
 * serialised form is a plain object of the non-zero buckets, structured-clone and msgpack friendly,
 * for results that travel between worker threads.
 * @module
 */
import { StatsError } from "./errors.js";

/** Options of {@link HdrHistogram}. */
export interface HdrHistogramOptions {
  /** Smallest value told apart from 0, > 0 (rounded down to a power of two). Default 1. */
  readonly lowestDiscernibleValue?: number;
  /**
   * Largest value that can be recorded, ≥ 2·lowestDiscernibleValue. When omitted the histogram
   * grows as needed (`autoResize` becomes true).
   */
  readonly highestTrackableValue?: number;
  /** Decimal digits of precision, an integer 1–5. Default 3 (0.1 % relative error). */
  readonly significantDigits?: number;
  /** Grow instead of throwing when a value exceeds the trackable range. */
  readonly autoResize?: boolean;
}

/** Plain-data form of a histogram (see {@link HdrHistogram.toJSON}). */
export interface HdrHistogramJSON {
  readonly format: "hdr-1";
  readonly lowestDiscernibleValue: number;
  readonly highestTrackableValue: number;
  readonly significantDigits: number;
  readonly autoResize: boolean;
  readonly totalCount: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  /** Non-zero buckets as flattened pairs `[index, count, index, count, …]`, ascending index. */
  readonly counts: readonly number[];
}

/** One non-zero bucket: values in [lowest, highest) were counted `count` times. */
export interface HdrBucket {
  readonly lowest: number;
  readonly highest: number;
  readonly count: number;
}

/** 2^k for k = −1074 … 1023, exact. */
const POW2: Float64Array = Float64Array.from({ length: 2098 }, (_, i) => Math.pow(2, i - 1074));
const pow2 = (k: number): number => POW2[k + 1074] as number;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * A log-linear histogram of non-negative values.
 * @example
 * const latency = new HdrHistogram({ highestTrackableValue: 3.6e9, significantDigits: 3 }); // µs, 1 h
 * latency.record(1234);
 * latency.valueAtPercentile(99);
 */
export class HdrHistogram {
  /** The lowest discernible value as configured. */
  readonly lowestDiscernibleValue: number;
  /** Digits of precision, 1–5. */
  readonly significantDigits: number;
  /** Whether the histogram grows past its trackable range. */
  readonly autoResize: boolean;

  readonly #unit: number; // 2^unitMagnitude ≤ lowestDiscernibleValue
  readonly #invUnit: number;
  readonly #halfMag: number;
  readonly #halfCount: number;
  readonly #subBucketCount: number;
  #counts: Float64Array;
  #maxAccepted: number;
  #total = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /**
   * @param options range and precision; see {@link HdrHistogramOptions}.
   * @throws StatsError on a non-positive lowest value, a highest value below 2·lowest or beyond
   *   2^53 units, or digits outside 1–5.
   */
  constructor(options: HdrHistogramOptions = {}) {
    const lowest = options.lowestDiscernibleValue ?? 1;
    const digits = options.significantDigits ?? 3;
    if (!(lowest > 0 && lowest < Infinity)) {
      throw new StatsError(`HdrHistogram: lowestDiscernibleValue must be a finite number > 0, got ${lowest}`);
    }
    if (!(Number.isInteger(digits) && digits >= 1 && digits <= 5)) {
      throw new StatsError(`HdrHistogram: significantDigits must be an integer 1–5, got ${digits}`);
    }
    let mag = Math.floor(Math.log2(lowest));
    while (pow2(mag) > lowest) mag--;
    while (pow2(mag + 1) <= lowest) mag++;
    this.#unit = pow2(mag);
    this.#invUnit = pow2(-mag);
    const subBucketCountMag = Math.ceil(Math.log2(2 * Math.pow(10, digits)));
    this.#halfMag = subBucketCountMag - 1;
    this.#halfCount = 2 ** this.#halfMag;
    this.#subBucketCount = 2 ** subBucketCountMag;
    this.lowestDiscernibleValue = lowest;
    this.significantDigits = digits;
    this.autoResize = options.autoResize ?? options.highestTrackableValue === undefined;
    const highest = options.highestTrackableValue ?? 2 * lowest;
    if (!(highest >= 2 * lowest && highest < TWO_POW_53 * this.#unit)) {
      throw new StatsError(
        `HdrHistogram: highestTrackableValue must be in [2·lowestDiscernibleValue, 2^53·${this.#unit}), got ${highest}`,
      );
    }
    this.#counts = new Float64Array(this.#lengthFor(highest));
    this.#maxAccepted = this.autoResize ? this.#limit() * (1 - 2 ** -53) : highest;
  }

  /** Length of the counts array whose range covers `value`. */
  #lengthFor(value: number): number {
    let untrackable = this.#subBucketCount * this.#unit;
    let buckets = 1;
    while (untrackable <= value) {
      untrackable *= 2;
      buckets++;
    }
    return (buckets + 1) * this.#halfCount;
  }

  /** Exclusive upper end of the values the counts array covers. */
  #limit(): number {
    const buckets = this.#counts.length / this.#halfCount - 1;
    return this.#subBucketCount * this.#unit * pow2(buckets - 1);
  }

  #indexOf(v: number): number {
    const t = Math.floor(v * this.#invUnit);
    if (t < this.#subBucketCount) return t;
    const msb = t < TWO_POW_32 ? 31 - Math.clz32(t) : 63 - Math.clz32(Math.floor(t / TWO_POW_32));
    const bucket = msb - this.#halfMag;
    return bucket * this.#halfCount + Math.floor(t / pow2(bucket));
  }

  /** Lowest value and width of the bucket at `index`. */
  #bucketAt(index: number): [lowest: number, width: number] {
    let bucket = Math.floor(index / this.#halfCount) - 1;
    let sub = (index % this.#halfCount) + this.#halfCount;
    if (bucket < 0) {
      sub -= this.#halfCount;
      bucket = 0;
    }
    const width = pow2(bucket) * this.#unit;
    return [sub * width, width];
  }

  /** The value reported for a bucket: its highest value at resolution min(1, unit), as in Java. */
  #highestEquivalent(index: number): number {
    const [lo, w] = this.#bucketAt(index);
    return lo + w - Math.min(1, this.#unit);
  }

  #grow(v: number, where: string): void {
    if (this.autoResize && v >= 0 && v < TWO_POW_53 * this.#unit) {
      const counts = new Float64Array(this.#lengthFor(v));
      counts.set(this.#counts);
      this.#counts = counts;
      this.#maxAccepted = this.#limit() * (1 - 2 ** -53);
      return;
    }
    throw new StatsError(
      `HdrHistogram.${where}: value must be a number in [0, ${this.#maxAccepted}] (highestTrackableValue), got ${v}`,
    );
  }

  /**
   * Counts a value.
   * @param value a number in [0, highestTrackableValue] (any size below 2^53 units with autoResize).
   * @param count how many times, a non-negative safe integer (default 1).
   * @returns this histogram.
   * @throws StatsError when value is NaN, negative or too large, or count is not a non-negative integer.
   */
  record(value: number, count = 1): this {
    if (!(value >= 0 && value <= this.#maxAccepted)) this.#grow(value, "record");
    if (count !== 1) {
      if (!(Number.isSafeInteger(count) && count >= 0)) {
        throw new StatsError(`HdrHistogram.record: count must be a non-negative safe integer, got ${count}`);
      }
      if (count === 0) return this;
    }
    const i = this.#indexOf(value);
    this.#counts[i] = (this.#counts[i] as number) + count;
    this.#total += count;
    this.#sum += value * count;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    return this;
  }

  /**
   * Records a value measured by a load generator that waits for each response, adding the
   * values a fixed-rate generator would have seen during the stall (HdrHistogram's
   * `recordValueWithExpectedInterval`; corrects coordinated omission): value, value − interval,
   * value − 2·interval, … while ≥ interval.
   * @param value the measured value.
   * @param expectedInterval the intended interval between requests, > 0.
   * @returns this histogram.
   * @throws StatsError as {@link HdrHistogram.record}, or on an invalid interval.
   */
  recordCorrected(value: number, expectedInterval: number): this {
    if (!(expectedInterval > 0 && expectedInterval < Infinity)) {
      throw new StatsError(
        `HdrHistogram.recordCorrected: expectedInterval must be a finite number > 0, got ${expectedInterval}`,
      );
    }
    this.record(value);
    for (let v = value - expectedInterval; v >= expectedInterval; v -= expectedInterval) this.record(v);
    return this;
  }

  /** Number of values recorded. */
  get totalCount(): number {
    return this.#total;
  }

  /** Smallest recorded value, exact (NaN when empty). */
  get min(): number {
    return this.#total > 0 ? this.#min : NaN;
  }

  /** Largest recorded value, exact (NaN when empty). */
  get max(): number {
    return this.#total > 0 ? this.#max : NaN;
  }

  /** Mean of the recorded values, from their exact running sum (NaN when empty). */
  get mean(): number {
    return this.#total > 0 ? this.#sum / this.#total : NaN;
  }

  /** Population standard deviation, from bucket mid-points (error below the bucket widths). */
  get stdDeviation(): number {
    if (this.#total === 0) return NaN;
    const mean = this.mean;
    let s = 0;
    const c = this.#counts;
    for (let i = 0; i < c.length; i++) {
      const n = c[i] as number;
      if (n === 0) continue;
      const [lo, w] = this.#bucketAt(i);
      const d = lo + w / 2 - mean;
      s += n * d * d;
    }
    return Math.sqrt(s / this.#total);
  }

  /** The current highest trackable value (grows with autoResize). */
  get highestTrackableValue(): number {
    return this.#maxAccepted;
  }

  /**
   * The value at a percentile: the highest value equivalent to the bucket holding the
   * ⌈p/100·N⌉-th smallest recorded value, clipped to [min, max].
   * @param percentile p in [0, 100]; 0 gives min, 100 gives max.
   * @returns the value (NaN when empty).
   * @throws StatsError when p ∉ [0, 100].
   */
  valueAtPercentile(percentile: number): number {
    return this.valuesAtPercentiles([percentile])[0] as number;
  }

  /**
   * Several percentiles in one pass over the buckets.
   * @param percentiles values in [0, 100], any order.
   * @returns the values, in the order asked.
   * @throws StatsError when any p ∉ [0, 100].
   */
  valuesAtPercentiles(percentiles: readonly number[]): number[] {
    for (const p of percentiles) {
      if (!(p >= 0 && p <= 100)) {
        throw new StatsError(`HdrHistogram.valueAtPercentile: percentile must be in [0, 100], got ${p}`);
      }
    }
    const out = new Array<number>(percentiles.length).fill(NaN);
    if (this.#total === 0) return out;
    const order = percentiles
      .map((_, i) => i)
      .sort((a, b) => (percentiles[a] as number) - (percentiles[b] as number));
    const c = this.#counts;
    let cum = 0;
    let i = -1;
    for (const k of order) {
      const p = percentiles[k] as number;
      if (p === 0) {
        out[k] = this.#min;
        continue;
      }
      const x = (p / 100) * this.#total;
      const rank = Math.max(1, Math.ceil(x - x * 1e-12));
      while (cum < rank && i < c.length - 1) cum += c[++i] as number;
      out[k] = Math.min(this.#max, Math.max(this.#min, this.#highestEquivalent(i)));
    }
    return out;
  }

  /**
   * Number of recorded values in the buckets that cover [lo, hi] (both ends rounded to their
   * buckets).
   * @param lo lower value, ≥ 0.
   * @param hi upper value, ≥ lo.
   * @returns the count.
   */
  countBetween(lo: number, hi: number): number {
    if (!(lo >= 0 && hi >= lo))
      throw new StatsError(`HdrHistogram.countBetween: need 0 ≤ lo ≤ hi, got ${lo}, ${hi}`);
    const c = this.#counts;
    const a = this.#indexOf(lo);
    const b = Math.min(c.length - 1, this.#indexOf(Math.min(hi, this.#limit() * (1 - 2 ** -53))));
    let s = 0;
    for (let i = a; i <= b; i++) s += c[i] as number;
    return s;
  }

  /** @returns the non-zero buckets in ascending value order, e.g. for plotting. */
  *buckets(): IterableIterator<HdrBucket> {
    const c = this.#counts;
    for (let i = 0; i < c.length; i++) {
      const n = c[i] as number;
      if (n === 0) continue;
      const [lo, w] = this.#bucketAt(i);
      yield { lowest: lo, highest: lo + w, count: n };
    }
  }

  #compatible(other: HdrHistogram): boolean {
    return this.#unit === other.#unit && this.#halfMag === other.#halfMag;
  }

  /**
   * Adds another histogram's counts (e.g. from another worker).
   * @param other a histogram with the same lowest discernible unit and significant digits.
   * @returns this histogram.
   * @throws StatsError when the layouts differ or other's values exceed this range (without autoResize).
   */
  merge(other: HdrHistogram): this {
    if (!this.#compatible(other)) {
      throw new StatsError(
        `HdrHistogram.merge: other must have the same lowestDiscernibleValue unit and significantDigits ` +
          `(${this.#unit}, ${this.significantDigits}), got (${other.#unit}, ${other.significantDigits})`,
      );
    }
    if (other.#total === 0) return this;
    if (!(other.#max <= this.#maxAccepted)) this.#grow(other.#max, "merge");
    const a = this.#counts;
    const b = other.#counts;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i] = (a[i] as number) + (b[i] as number);
    this.#total += other.#total;
    this.#sum += other.#sum;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /** Forgets every value, keeping range and precision. */
  reset(): void {
    this.#counts.fill(0);
    this.#total = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
  }

  /** @returns an independent copy. */
  copy(): HdrHistogram {
    return HdrHistogram.fromJSON(this.toJSON());
  }

  /**
   * The compact plain-data form: configuration, exact summary and the non-zero buckets.
   * @returns a {@link HdrHistogramJSON}; {@link HdrHistogram.fromJSON} restores it exactly.
   */
  toJSON(): HdrHistogramJSON {
    const pairs: number[] = [];
    const c = this.#counts;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) pairs.push(i, c[i] as number);
    const empty = this.#total === 0;
    return {
      format: "hdr-1",
      lowestDiscernibleValue: this.lowestDiscernibleValue,
      highestTrackableValue: this.#maxAccepted,
      significantDigits: this.significantDigits,
      autoResize: this.autoResize,
      totalCount: this.#total,
      sum: this.#sum,
      min: empty ? null : this.#min,
      max: empty ? null : this.#max,
      counts: pairs,
    };
  }

  /**
   * Rebuilds a histogram from {@link HdrHistogram.toJSON} output.
   * @param json the plain-data form (e.g. received from a worker or read from a run directory).
   * @returns a new histogram equal to the one serialised.
   * @throws StatsError when the form is malformed or inconsistent.
   */
  static fromJSON(json: HdrHistogramJSON): HdrHistogram {
    const bad = (what: string): never => {
      throw new StatsError(`HdrHistogram.fromJSON: ${what}`);
    };
    if (json === null || typeof json !== "object" || json.format !== "hdr-1")
      bad('json.format must be "hdr-1"');
    const h = new HdrHistogram({
      lowestDiscernibleValue: json.lowestDiscernibleValue,
      highestTrackableValue: json.highestTrackableValue,
      significantDigits: json.significantDigits,
      autoResize: json.autoResize === true,
    });
    const pairs = json.counts;
    if (!Array.isArray(pairs) || pairs.length % 2 !== 0)
      bad("json.counts must be an array of [index, count] pairs");
    let total = 0;
    let prev = -1;
    for (let k = 0; k < pairs.length; k += 2) {
      const i = pairs[k] as number;
      const n = pairs[k + 1] as number;
      if (!(Number.isInteger(i) && i > prev && i < h.#counts.length))
        bad(`json.counts index ${i} out of order or range`);
      if (!(Number.isSafeInteger(n) && n > 0)) bad(`json.counts count ${n} must be a positive integer`);
      h.#counts[i] = n;
      total += n;
      prev = i;
    }
    if (total !== json.totalCount)
      bad(`json.totalCount ${json.totalCount} differs from the bucket sum ${total}`);
    if (total > 0) {
      const { min, max, sum } = json;
      if (!(typeof min === "number" && typeof max === "number" && min <= max && Number.isFinite(sum))) {
        bad("json.min, json.max and json.sum must be numbers with min ≤ max");
      }
      h.#min = min as number;
      h.#max = max as number;
      h.#sum = sum;
      h.#total = total;
    }
    return h;
  }
}
