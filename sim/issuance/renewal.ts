/**
 * Card and certificate expiry (FACTS §1.4, issue 9 item 8). A card handed over on day d expires on the
 * holder's 10th birthday after issuance (5th for holders under 18), and both certificates on the 5th
 * birthday; birthdays are spread evenly over the year, so the cards handed over on day d reach expiry
 * evenly over (d + Y·(n − 1), d + Y·n] for an n-year validity. A per-municipality ring of daily
 * hand-overs over the last 10 years gives, by two moving-window sums, what falls due each day:
 *
 * - adults' certificates (5 years): a renewal at the counter, no new card (FACTS §1.4: renewal is a
 *   counter visit; an adult whose certificates were renewed at year 5 renews them again with the card
 *   at year 10, because the renewed certificates end with the card);
 * - minors' cards (5 years): a new application (card + certificates);
 * - adults' cards (10 years, `renewal.cardYears`): a new application.
 *
 * Holders renew `leadDays` before expiry (renewal opens 3 months before; FACTS §1.4), and every flow,
 * the old card leaving circulation included, is counted on that day. Holders who died
 * in the meantime do not come back: each flow is multiplied by the holders' survival over its years,
 * exp(−μ·years) with μ from population-dynamics.ts (1 without population dynamics). Fractions carry
 * over per municipality, so every flow is a whole number and deterministic (no random draws: paired
 * runs keep common random numbers).
 * @module
 */
import type { IssuanceParams } from "./params.js";

const YEAR = 365;

/** What falls due on one day, per municipality (vectors owned by the windows, valid until the next call). */
export interface ExpiryDue {
  /** Adults whose certificates expire and who come to the counter to renew them. */
  certificateRenewals: Float64Array;
  /** Minors' and adults' expired cards coming back as new applications. */
  cardReapplications: Float64Array;
  /** Cards (of living holders) that reach their expiry date today: they leave circulation. */
  cardsExpiring: Float64Array;
}

/** Renewal parameters with the defaults of FACTS §1.4 filled in. */
export interface RenewalRules {
  certificateYears: number;
  certificateRenewalShare: number;
  minorCardYears: number;
  minorCardRenewalShare: number;
  cardYears: number;
  cardRenewalShare: number;
  leadDays: number;
}

/** The scenario's renewal block with defaults: adult cards 10 years (FACTS §1.4), renewed like certificates. */
export function renewalRules(p: IssuanceParams["renewal"]): RenewalRules {
  return {
    certificateYears: p.certificateYears,
    certificateRenewalShare: p.certificateRenewalShare,
    minorCardYears: p.minorCardYears,
    minorCardRenewalShare: p.minorCardRenewalShare,
    cardYears: p.cardYears ?? 10,
    cardRenewalShare: p.cardRenewalShare ?? p.certificateRenewalShare,
    leadDays: p.leadDays ?? 0,
  };
}

/** A moving window over the ring: the hand-overs of days (t + lead − Y·n, t + lead − Y·(n − 1)]. */
class Window {
  readonly sum: Float64Array;
  constructor(
    m: number,
    /** Days from hand-over to the window's near edge (Y·(n − 1)) and far edge (Y·n). */
    readonly near: number,
    readonly far: number,
  ) {
    this.sum = new Float64Array(m);
  }
}

/** The hand-over ring and the three expiry windows of one run. */
export class ExpiryWindows {
  /** Ring of daily hand-overs per municipality (row (day mod ringDays) × m), written by the counters. */
  readonly ring: Int32Array;
  readonly ringDays: number;
  readonly #m: number;
  readonly #start: number;
  readonly #rules: RenewalRules;
  readonly #minorShare: number;
  readonly #short: Window;
  readonly #long: Window;
  readonly #survivalShort: number;
  readonly #survivalLong: number;
  readonly #carryRenew: Float64Array;
  readonly #carryReapply: Float64Array;
  readonly #carryExpire: Float64Array;
  readonly #due: ExpiryDue;

  /**
   * @param m municipalities
   * @param start first simulated day (no hand-overs before it)
   * @param minorShare share of hand-overs that go to holders under 18
   * @param holderDeathRate holders' deaths per holder per day (0 without population dynamics)
   */
  constructor(m: number, start: number, rules: RenewalRules, minorShare: number, holderDeathRate: number) {
    this.#m = m;
    this.#start = start;
    this.#rules = rules;
    this.#minorShare = minorShare;
    const shortFar = Math.round(Math.min(rules.certificateYears, rules.minorCardYears) * YEAR);
    const longFar = Math.round(rules.cardYears * YEAR);
    // The near edge is at least a day: today's hand-overs are written after today's call.
    this.#short = new Window(m, Math.max(1, shortFar - YEAR), shortFar);
    this.#long = new Window(m, Math.max(1, longFar - YEAR), longFar);
    this.ringDays = Math.max(shortFar, longFar) + 1;
    this.ring = new Int32Array(this.ringDays * m);
    this.#survivalShort = Math.exp(-holderDeathRate * shortFar);
    this.#survivalLong = Math.exp(-holderDeathRate * longFar);
    this.#carryRenew = new Float64Array(m);
    this.#carryReapply = new Float64Array(m);
    this.#carryExpire = new Float64Array(m);
    this.#due = {
      certificateRenewals: new Float64Array(m),
      cardReapplications: new Float64Array(m),
      cardsExpiring: new Float64Array(m),
    };
  }

  /** Moves a window to day `t` (`lead` days ahead); false while the window is still before the start. */
  #advance(w: Window, t: number, lead: number): boolean {
    const enter = t + lead - w.near;
    if (enter < this.#start) return false;
    const m = this.#m;
    // The entering day has been written (enter < t); the leaving day's row is still intact, because
    // the ring holds ringDays > far days and today's row is written after this call.
    const enterRow = (enter % this.ringDays) * m;
    const leave = t + lead - w.far;
    const ring = this.ring;
    const sum = w.sum;
    if (leave >= this.#start) {
      const leaveRow = (leave % this.ringDays) * m;
      for (let k = 0; k < m; k++) sum[k] = sum[k]! + ring[enterRow + k]! - ring[leaveRow + k]!;
    } else {
      for (let k = 0; k < m; k++) sum[k] = sum[k]! + ring[enterRow + k]!;
    }
    return true;
  }

  /** What falls due on day `t` (call once a day, before the counters write day t's hand-overs). */
  due(t: number): ExpiryDue {
    const m = this.#m;
    const r = this.#rules;
    const d = this.#due;
    d.certificateRenewals.fill(0);
    d.cardReapplications.fill(0);
    d.cardsExpiring.fill(0);
    const lead = Math.max(0, Math.min(r.leadDays, this.#short.near - 1));
    const shortOn = this.#advance(this.#short, t, lead);
    const longOn = this.#advance(this.#long, t, lead);
    if (!shortOn && !longOn) return d;
    const minor = this.#minorShare;
    const adult = 1 - minor;
    const sS = this.#survivalShort;
    const sL = this.#survivalLong;
    const short = this.#short.sum;
    const long = this.#long.sum;
    for (let k = 0; k < m; k++) {
      const perDayShort = short[k]! / YEAR;
      const perDayLong = long[k]! / YEAR;
      // Minors' card expiry ≈ no deaths (child mortality is negligible beside adults').
      const minorsDue = perDayShort * minor;
      const adultsCertDue = perDayShort * adult * sS;
      const adultsCardDue = perDayLong * adult * sL;
      const renew = adultsCertDue * r.certificateRenewalShare + this.#carryRenew[k]!;
      const renewN = Math.floor(renew);
      this.#carryRenew[k] = renew - renewN;
      d.certificateRenewals[k] = renewN;
      const reapply =
        minorsDue * r.minorCardRenewalShare + adultsCardDue * r.cardRenewalShare + this.#carryReapply[k]!;
      const reapplyN = Math.floor(reapply);
      this.#carryReapply[k] = reapply - reapplyN;
      d.cardReapplications[k] = reapplyN;
      const expire = minorsDue + adultsCardDue + this.#carryExpire[k]!;
      const expireN = Math.floor(expire);
      this.#carryExpire[k] = expire - expireN;
      d.cardsExpiring[k] = expireN;
    }
    return d;
  }
}
