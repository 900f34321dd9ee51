/**
 * PIN errors → lockouts → counter visits (issue 10 item 1; FACTS §1.5: the authentication PIN locks
 * after 3 consecutive failures, failures accumulate across sessions, and a locked certificate is
 * reset only at the municipal counter with photo ID). A holder entering the PIN on a card reader
 * errs with probability `firstErrorRate` after a correct entry and `repeatErrorRate` after a wrong
 * one; a lockout is three wrong entries in a row: p₁·p₂² per PIN authentication (assumed rates). A
 * share of the locked-out go to the counter after a geometric delay. The counter visits are a daily
 * series in the run's output; they are not yet fed into the issuance model's counters.
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
