/**
 * Time-weighted statistics of a piecewise-constant level — queue length, busy servers, cards in
 * stock — that changes at event times: the time average (1/T)∫ L(t) dt, minimum and maximum
 * (A. M. Law, "Simulation Modeling and Analysis", 5th ed., §1.4.5, "time-average number in
 * queue"). The integral uses Neumaier's compensated summation (A. Neumaier, ZAMM 54, 1974), so a
 * year of one-second updates loses no precision.
 * @module
 */
import { StatsError } from "./errors.js";

/**
 * The time average of a level.
 * @example
 * const queue = new TimeWeighted(0, 0); // time 0, empty queue
 * queue.update(2, 3); // three people from t = 2
 * queue.update(6, 1); // one from t = 6
 * queue.mean(10); // (0·2 + 3·4 + 1·4) / 10 = 1.6
 */
export class TimeWeighted {
  #start: number;
  #last: number;
  #value: number;
  #area = 0;
  #comp = 0;
  #min: number;
  #max: number;

  /**
   * @param startTime time at which observation starts (default 0), finite.
   * @param initialValue the level at startTime (default 0), finite.
   * @throws StatsError when either is not finite.
   */
  constructor(startTime = 0, initialValue = 0) {
    if (!Number.isFinite(startTime))
      throw new StatsError(`TimeWeighted: startTime must be finite, got ${startTime}`);
    if (!Number.isFinite(initialValue)) {
      throw new StatsError(`TimeWeighted: initialValue must be finite, got ${initialValue}`);
    }
    this.#start = startTime;
    this.#last = startTime;
    this.#value = initialValue;
    this.#min = initialValue;
    this.#max = initialValue;
  }

  #advance(now: number, where: string): void {
    if (!(now >= this.#last && now < Infinity)) {
      throw new StatsError(`TimeWeighted.${where}: now must be a finite time ≥ ${this.#last}, got ${now}`);
    }
    const term = this.#value * (now - this.#last);
    const t = this.#area + term;
    if (Math.abs(this.#area) >= Math.abs(term)) this.#comp += this.#area - t + term;
    else this.#comp += term - t + this.#area;
    this.#area = t;
    this.#last = now;
  }

  /**
   * The level changes to `value` at time `now`.
   * @param now current time, ≥ the previous update's time.
   * @param value the new level, finite.
   * @returns this statistic.
   * @throws StatsError when time goes backwards or either argument is not finite.
   */
  update(now: number, value: number): this {
    if (!Number.isFinite(value))
      throw new StatsError(`TimeWeighted.update: value must be finite, got ${value}`);
    this.#advance(now, "update");
    this.#value = value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    return this;
  }

  /**
   * The level changes by `delta` at time `now` (e.g. +1 on arrival, −1 on departure).
   * @param now current time, ≥ the previous update's time.
   * @param delta change of level, finite.
   * @returns this statistic.
   * @throws StatsError as {@link TimeWeighted.update}.
   */
  add(now: number, delta: number): this {
    return this.update(now, this.#value + delta);
  }

  /** The current level. */
  get value(): number {
    return this.#value;
  }

  /** Start of the observation window (after the last reset). */
  get startTime(): number {
    return this.#start;
  }

  /** Time of the last update. */
  get lastTime(): number {
    return this.#last;
  }

  /** Smallest level seen in the window. */
  get min(): number {
    return this.#min;
  }

  /** Largest level seen in the window. */
  get max(): number {
    return this.#max;
  }

  /**
   * ∫ L(t) dt from the start of the window to `now`.
   * @param now ≥ the last update's time (default: that time).
   * @returns the area under the level.
   * @throws StatsError when now is before the last update.
   */
  integral(now = this.#last): number {
    if (!(now >= this.#last && now < Infinity)) {
      throw new StatsError(`TimeWeighted.integral: now must be a finite time ≥ ${this.#last}, got ${now}`);
    }
    return this.#area + this.#comp + this.#value * (now - this.#last);
  }

  /**
   * Time-average level over [startTime, now]; for a zero-length window, the current level.
   * @param now ≥ the last update's time (default: that time).
   * @returns the time average.
   * @throws StatsError when now is before the last update.
   */
  mean(now = this.#last): number {
    const area = this.integral(now);
    const span = now - this.#start;
    return span > 0 ? area / span : this.#value;
  }

  /**
   * Starts a new observation window at `now`, keeping the current level — the usual way to drop a
   * warm-up period.
   * @param now ≥ the last update's time.
   * @returns this statistic.
   * @throws StatsError when now is before the last update.
   */
  reset(now: number): this {
    this.#advance(now, "reset");
    this.#start = now;
    this.#area = 0;
    this.#comp = 0;
    this.#min = this.#value;
    this.#max = this.#value;
    return this;
  }
}
