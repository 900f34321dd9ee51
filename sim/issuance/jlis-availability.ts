/**
 * How much of each day's counter hours the J-LIS card management system was down. Outages arrive as
 * timed kernel events (down at t₀, up at t₁, fractional days); the daily step asks what fraction of
 * that day's business hours were lost, and scales the hand-over capacity by the rest
 * (FACTS §4.4: the 2016 stoppages stopped hand-over at every counter).
 * @module
 */

export class JlisAvailability {
  readonly #open: number;
  readonly #close: number;
  #downSince: number | null = null;
  /** Closed outage intervals not yet accounted to a day. */
  #intervals: [number, number][] = [];
  #downMinutesTotal = 0;

  /** @param open,close business hours as fractions of a day (e.g. 8.5/24, 17.25/24) */
  constructor(open: number, close: number) {
    this.#open = open;
    this.#close = close;
  }

  get isDown(): boolean {
    return this.#downSince !== null;
  }

  /** Business-hour minutes lost so far, over the whole run. */
  get downMinutesTotal(): number {
    return this.#downMinutesTotal;
  }

  down(now: number): void {
    if (this.#downSince === null) this.#downSince = now;
  }

  up(now: number): void {
    if (this.#downSince === null) return;
    this.#intervals.push([this.#downSince, now]);
    this.#downSince = null;
  }

  /** Fraction (0–1) of day `day`'s business hours that were down; forgets intervals before the day's end. */
  lostFraction(day: number): number {
    const open = day + this.#open;
    const close = day + this.#close;
    let lost = 0;
    const overlap = (a: number, b: number): number => Math.max(0, Math.min(b, close) - Math.max(a, open));
    for (const [a, b] of this.#intervals) lost += overlap(a, b);
    if (this.#downSince !== null) lost += overlap(this.#downSince, day + 1);
    this.#intervals = this.#intervals.filter(([, b]) => b > day + 1);
    const span = close - open;
    this.#downMinutesTotal += lost * 1440;
    return span > 0 ? Math.min(1, lost / span) : 0;
  }
}
