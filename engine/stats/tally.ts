/**
 * Observation statistics — count, mean, variance, min, max — by B. P. Welford's one-pass update
 * ("Note on a method for calculating corrected sums of squares and products", Technometrics 4(3),
 * 1962), with the pairwise merge of T. F. Chan, G. H. Golub & R. J. LeVeque ("Updating formulae and
 * a pairwise algorithm for computing sample variances", 1979) so per-worker tallies combine exactly
 * as if one tally had seen every observation. Observations are shifted by the first one before the
 * update (the "shifted data" device of Chan, Golub & LeVeque, §3), so a large common offset — epoch
 * days, 10⁹-scale counts — costs no precision in the variance.
 * @module
 */
import { StatsError } from "./errors.js";

/** Plain-data form of a {@link Tally} (structured-clone and JSON safe). */
export interface TallyJSON {
  readonly count: number;
  readonly mean: number;
  /** Σ (x − mean)². */
  readonly m2: number;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * Running statistics of observations (waiting times, batch sizes, …).
 * @example
 * const wait = new Tally();
 * for (const w of [3, 5, 4]) wait.add(w);
 * wait.mean; // 4
 * wait.variance; // 1
 */
export class Tally {
  #n = 0;
  #shift = 0;
  /** Mean of (x − shift). */
  #mean = 0;
  #m2 = 0;
  #min = Infinity;
  #max = -Infinity;

  /**
   * Records one observation.
   * @param x a finite number.
   * @returns this tally.
   * @throws StatsError when x is NaN or infinite.
   */
  add(x: number): this {
    if (!Number.isFinite(x)) throw new StatsError(`Tally.add: x must be a finite number, got ${x}`);
    if (this.#n === 0) this.#shift = x;
    const y = x - this.#shift;
    const n = ++this.#n;
    const d = y - this.#mean;
    this.#mean += d / n;
    this.#m2 += d * (y - this.#mean);
    if (x < this.#min) this.#min = x;
    if (x > this.#max) this.#max = x;
    return this;
  }

  /** Number of observations. */
  get count(): number {
    return this.#n;
  }

  /** Sample mean (NaN when empty). */
  get mean(): number {
    return this.#n > 0 ? this.#shift + this.#mean : NaN;
  }

  /** Sum of the observations. */
  get sum(): number {
    return (this.#shift + this.#mean) * this.#n;
  }

  /** Unbiased sample variance, Σ(x − x̄)²/(n − 1) (NaN below two observations). */
  get variance(): number {
    return this.#n > 1 ? this.#m2 / (this.#n - 1) : NaN;
  }

  /** Population variance, Σ(x − x̄)²/n (NaN when empty). */
  get populationVariance(): number {
    return this.#n > 0 ? this.#m2 / this.#n : NaN;
  }

  /** Sample standard deviation, √variance (NaN below two observations). */
  get sd(): number {
    return Math.sqrt(this.variance);
  }

  /** Smallest observation (NaN when empty). */
  get min(): number {
    return this.#n > 0 ? this.#min : NaN;
  }

  /** Largest observation (NaN when empty). */
  get max(): number {
    return this.#n > 0 ? this.#max : NaN;
  }

  /**
   * Folds another tally into this one (Chan, Golub & LeVeque).
   * @param other the tally to add; unchanged.
   * @returns this tally.
   */
  merge(other: Tally): this {
    const nb = other.#n;
    if (nb === 0) return this;
    const na = this.#n;
    if (na === 0) {
      this.#shift = other.#shift;
      this.#mean = other.#mean;
      this.#m2 = other.#m2;
      this.#n = nb;
      this.#min = other.#min;
      this.#max = other.#max;
      return this;
    }
    const n = na + nb;
    const d = other.#shift - this.#shift + (other.#mean - this.#mean);
    this.#mean += (d * nb) / n;
    this.#m2 += other.#m2 + ((d * d * na) / n) * nb;
    this.#n = n;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /** Forgets every observation. */
  reset(): void {
    this.#n = 0;
    this.#shift = 0;
    this.#mean = 0;
    this.#m2 = 0;
    this.#min = Infinity;
    this.#max = -Infinity;
  }

  /** @returns the plain-data form; {@link Tally.fromJSON} restores it. */
  toJSON(): TallyJSON {
    const empty = this.#n === 0;
    return {
      count: this.#n,
      mean: this.#shift + this.#mean,
      m2: this.#m2,
      min: empty ? null : this.#min,
      max: empty ? null : this.#max,
    };
  }

  /**
   * Restores a tally from {@link Tally.toJSON} output (e.g. received from a worker).
   * @param json the plain-data form.
   * @returns a new tally.
   * @throws StatsError when the form is malformed.
   */
  static fromJSON(json: TallyJSON): Tally {
    const t = new Tally();
    const ok =
      json !== null &&
      typeof json === "object" &&
      Number.isSafeInteger(json.count) &&
      json.count >= 0 &&
      Number.isFinite(json.mean) &&
      json.m2 >= 0 &&
      json.m2 < Infinity &&
      (json.count === 0 ||
        (Number.isFinite(json.min) && Number.isFinite(json.max) && json.min! <= json.max!));
    if (!ok)
      throw new StatsError(`Tally.fromJSON: json must be a TallyJSON object, got ${JSON.stringify(json)}`);
    t.#n = json.count;
    t.#mean = json.mean;
    t.#m2 = json.m2;
    if (json.count > 0) {
      t.#min = json.min!;
      t.#max = json.max!;
    }
    return t;
  }
}
