/**
 * PIN errors → lockouts → counter visits (issue 10 item 1; FACTS §1.5: the authentication PIN locks
 * after 3 consecutive failures, failures accumulate across sessions, and a locked certificate is
 * reset only at the municipal counter with photo ID). A holder entering the PIN on a card reader
 * errs with probability `firstErrorRate` after a correct entry and `repeatErrorRate` after a wrong
 * one; a lockout is three wrong entries in a row: p₁·p₂² per PIN authentication (assumed rates). A
 * share of the locked-out go to the counter after a geometric delay. {@link lockoutFlow} gives the
 * national daily series of the authentication section; {@link LockoutVisits} steps the same flow
 * per municipality inside the issuance model, whose counters then spend staff minutes on the visits
 * (sim/issuance/pin-resets.ts, scenario field `counters.minutesPerPinReset`).
 * @module
 */
import type { LockoutParams } from "./params.js";

/** Auth-PIN tries before lockout ([S] FACTS §1.5). */
export const AUTH_PIN_TRIES = 3;

/** Probability that one PIN authentication ends in a lockout. */
export function lockoutProbability(p: LockoutParams): number {
  return p.firstErrorRate * p.repeatErrorRate ** (AUTH_PIN_TRIES - 1);
}

/** Expected lockouts per day and the counter visits they cause, day by day. */
export function lockoutFlow(
  pinAuthenticationsPerDay: ArrayLike<number>,
  p: LockoutParams,
): { lockouts: Float64Array; counterVisits: Float64Array } {
  const n = pinAuthenticationsPerDay.length;
  const q = lockoutProbability(p);
  const lockouts = new Float64Array(n);
  const visits = new Float64Array(n);
  // Geometric delay on {1, 2, …} with mean `meanDaysToVisit`.
  const g = 1 / Math.max(1, p.meanDaysToVisit);
  let pending = 0;
  for (let d = 0; d < n; d++) {
    // Those waiting visit today with probability g; today's lockouts join the queue for tomorrow on.
    const today = pending * g;
    visits[d] = today;
    pending -= today;
    const l = pinAuthenticationsPerDay[d]! * q;
    lockouts[d] = l;
    pending += l * p.counterVisitShare;
  }
  return { lockouts, counterVisits: visits };
}

/**
 * The same flow as {@link lockoutFlow}, one day at a time and per municipality, for the issuance
 * model: {@link visits} before the day's counters open (those locked out on earlier days who come
 * today), {@link lockOut} at the end of the day with the cards then in circulation. With one
 * municipality it reproduces {@link lockoutFlow} exactly (same operations in the same order).
 */
export class LockoutVisits {
  readonly #pending: Float64Array;
  readonly #g: number;
  readonly #q: number;
  readonly #share: number;

  constructor(municipalities: number, p: LockoutParams) {
    this.#pending = new Float64Array(municipalities);
    this.#g = 1 / Math.max(1, p.meanDaysToVisit);
    this.#q = lockoutProbability(p);
    this.#share = p.counterVisitShare;
  }

  /** Whether anyone can ever lock out (a zero error rate or visit share: never). */
  get active(): boolean {
    return this.#q > 0 && this.#share > 0;
  }

  /** Writes today's counter visits per municipality into `out`; returns their sum. */
  visits(out: Float64Array): number {
    const pending = this.#pending;
    const g = this.#g;
    let total = 0;
    for (let k = 0; k < pending.length; k++) {
      const today = pending[k]! * g;
      out[k] = today;
      pending[k] = pending[k]! - today;
      total += today;
    }
    return total;
  }

  /**
   * Today's lockouts: `cards[k] × pinPerCard` PIN entries on a card reader in municipality k, each
   * locking with {@link lockoutProbability}; the share who will visit the counter joins the pending.
   * @returns the day's lockouts nationally
   */
  lockOut(cards: ArrayLike<number>, pinPerCard: number): number {
    const pending = this.#pending;
    const q = this.#q;
    const share = this.#share;
    let total = 0;
    for (let k = 0; k < pending.length; k++) {
      const l = cards[k]! * pinPerCard * q;
      total += l;
      pending[k] = pending[k]! + l * share;
    }
    return total;
  }
}
