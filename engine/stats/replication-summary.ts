/**
 * Across-replication summary and Student-t confidence intervals, the standard output analysis of
 * independent replications: x̄ ± t_{n−1, 1−α/2}·s/√n (A. M. Law, "Simulation Modeling and
 * Analysis", 5th ed., §9.4.1), plus Law's sequential estimate of the replications needed for a
 * relative precision γ (§9.4.1, "relative error" procedure, using γ' = γ/(1 + γ)).
 * @module
 */
import { StatsError } from "./errors.js";
import { studentTQuantile } from "./student-t.js";
import { Tally, type TallyJSON } from "./tally.js";

/** A two-sided confidence interval for the mean. */
export interface ConfidenceInterval {
  /** Confidence level, e.g. 0.95. */
  readonly level: number;
  /** Number of replications. */
  readonly count: number;
  /** Sample mean x̄. */
  readonly mean: number;
  /** Sample standard deviation s. */
  readonly sd: number;
  /** t_{n−1, (1+level)/2}·s/√n (NaN below two replications). */
  readonly halfWidth: number;
  /** x̄ − halfWidth. */
  readonly lower: number;
  /** x̄ + halfWidth. */
  readonly upper: number;
}

function checkLevel(level: number, where: string): void {
  if (!(level > 0 && level < 1)) throw new StatsError(`${where}: level must be in (0, 1), got ${level}`);
}

/**
 * One output measure (e.g. "cards issued by 2020-03-31") over independent replications.
 * @example
 * const s = new ReplicationSummary([86.1e6, 87.4e6, 85.9e6, 86.8e6]);
 * s.confidenceInterval(0.95); // { mean: 86.55e6, halfWidth: 1.09e6, … }
 */
export class ReplicationSummary {
  readonly #tally: Tally;

  /**
   * @param values replication results to start with (finite numbers).
   * @throws StatsError on a non-finite value.
   */
  constructor(values: Iterable<number> = []) {
    this.#tally = new Tally();
    for (const v of values) this.add(v);
  }

  /**
   * Adds one replication's result.
   * @param x a finite number.
   * @returns this summary.
   * @throws StatsError when x is not finite.
   */
  add(x: number): this {
    if (!Number.isFinite(x))
      throw new StatsError(`ReplicationSummary.add: x must be a finite number, got ${x}`);
    this.#tally.add(x);
    return this;
  }

  /** Number of replications. */
  get count(): number {
    return this.#tally.count;
  }

  /** Sample mean (NaN when empty). */
  get mean(): number {
    return this.#tally.mean;
  }

  /** Sample standard deviation with n − 1 (NaN below two replications). */
  get sd(): number {
    return this.#tally.sd;
  }

  /** Standard error of the mean, s/√n (NaN below two replications). */
  get standardError(): number {
    return this.#tally.sd / Math.sqrt(this.#tally.count);
  }

  /**
   * Half-width of the two-sided Student-t interval.
   * @param level confidence level in (0, 1), default 0.95.
   * @returns t_{n−1, (1+level)/2}·s/√n, or NaN below two replications.
   * @throws StatsError when level ∉ (0, 1).
   */
  halfWidth(level = 0.95): number {
    checkLevel(level, "ReplicationSummary.halfWidth");
    const n = this.#tally.count;
    if (n < 2) return NaN;
    return studentTQuantile((1 + level) / 2, n - 1) * this.standardError;
  }

  /**
   * The two-sided Student-t confidence interval for the mean.
   * @param level confidence level in (0, 1), default 0.95.
   * @returns the interval (halfWidth, lower and upper are NaN below two replications).
   * @throws StatsError when level ∉ (0, 1).
   */
  confidenceInterval(level = 0.95): ConfidenceInterval {
    const h = this.halfWidth(level);
    const mean = this.mean;
    return { level, count: this.count, mean, sd: this.sd, halfWidth: h, lower: mean - h, upper: mean + h };
  }

  /**
   * halfWidth / |mean|.
   * @param level confidence level in (0, 1), default 0.95.
   * @returns the relative half-width (NaN below two replications, Infinity when the mean is 0).
   * @throws StatsError when level ∉ (0, 1).
   */
  relativeHalfWidth(level = 0.95): number {
    return this.halfWidth(level) / Math.abs(this.mean);
  }

  /**
   * Law's estimate of the total number of replications for a relative error γ: the smallest
   * i ≥ n with t_{i−1, (1+level)/2}·√(s²/i) / |x̄| ≤ γ/(1 + γ), treating x̄ and s² as fixed.
   * @param relativeError γ in (0, 1), e.g. 0.05 for ±5 %.
   * @param level confidence level in (0, 1), default 0.95.
   * @param max upper bound of the search (default 1e6).
   * @returns the estimate (≥ the current count), or Infinity if above `max` or the mean is 0.
   * @throws StatsError when γ or level ∉ (0, 1), or fewer than two replications exist.
   */
  replicationsNeeded(relativeError: number, level = 0.95, max = 1e6): number {
    if (!(relativeError > 0 && relativeError < 1)) {
      throw new StatsError(
        `ReplicationSummary.replicationsNeeded: relativeError must be in (0, 1), got ${relativeError}`,
      );
    }
    checkLevel(level, "ReplicationSummary.replicationsNeeded");
    const n = this.count;
    if (n < 2) {
      throw new StatsError(`ReplicationSummary.replicationsNeeded: needs at least 2 replications, got ${n}`);
    }
    const target = (relativeError / (1 + relativeError)) * Math.abs(this.mean);
    const s = this.sd;
    const ok = (i: number): boolean =>
      studentTQuantile((1 + level) / 2, i - 1) * Math.sqrt((s * s) / i) <= target;
    if (ok(n)) return n;
    if (!(target > 0) || !ok(max)) return Infinity;
    let lo = n; // fails
    let hi = max; // passes; the criterion is monotone in i
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ok(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** @returns the plain-data form (a {@link TallyJSON}) for transfer between threads. */
  toJSON(): TallyJSON {
    return this.#tally.toJSON();
  }

  /**
   * Restores a summary from {@link ReplicationSummary.toJSON} output.
   * @param json the plain-data form.
   * @returns a new summary.
   * @throws StatsError when the form is malformed.
   */
  static fromJSON(json: TallyJSON): ReplicationSummary {
    const s = new ReplicationSummary();
    s.#tally.merge(Tally.fromJSON(json));
    return s;
  }

  /**
   * Combines two summaries of the same measure (e.g. replications run on different workers).
   * @param other the summary to add; unchanged.
   * @returns this summary.
   */
  merge(other: ReplicationSummary): this {
    this.#tally.merge(other.#tally);
    return this;
  }
}
