/**
 * A monotone event counter (arrivals, cards issued, CRL downloads), the simplest of the observers
 * of DESIGN.md §4 "Statistics". Counts are doubles, exact up to 2^53.
 * @module
 */
import { StatsError } from "./errors.js";

/**
 * Counts events.
 * @example
 * const issued = new Counter();
 * issued.increment(); issued.increment(1200);
 * issued.value; // 1201
 */
export class Counter {
  #value = 0;

  /**
   * Adds to the count.
   * @param by a finite number ≥ 0 (default 1).
   * @returns this counter.
   * @throws StatsError when `by` is negative, NaN or infinite.
   */
  increment(by = 1): this {
    if (!(by >= 0 && by < Infinity))
      throw new StatsError(`Counter.increment: by must be a finite number ≥ 0, got ${by}`);
    this.#value += by;
    return this;
  }

  /** The count so far. */
  get value(): number {
    return this.#value;
  }

  /**
   * Events per unit time over an interval.
   * @param elapsed length of the interval, > 0.
   * @returns value / elapsed.
   * @throws StatsError when elapsed is not a finite number > 0.
   */
  rate(elapsed: number): number {
    if (!(elapsed > 0 && elapsed < Infinity)) {
      throw new StatsError(`Counter.rate: elapsed must be a finite number > 0, got ${elapsed}`);
    }
    return this.#value / elapsed;
  }

  /** Sets the count back to zero (e.g. after a warm-up period). */
  reset(): void {
    this.#value = 0;
  }

  /** @returns the count, for JSON output. */
  toJSON(): { value: number } {
    return { value: this.#value };
  }
}
