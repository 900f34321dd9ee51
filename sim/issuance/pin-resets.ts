/**
 * PIN lockouts as a load on the municipal counters (issue 10 item 1). FACTS §1.5: the authentication
 * PIN locks after 3 consecutive failures and a locked certificate is unlocked and its PIN
 * re-initialised only at the municipal counter with photo ID. Each simulated day, the holders in a
 * municipality (cards in circulation there) make PIN entries on card readers at sim/auth's per-card
 * rate for that date (load-model.ts `pinReaderAuthentications`), some lock out and some of those
 * come to the counter after a delay (sim/auth/lockouts.ts, the `auth.lockout` rates or their
 * defaults). At the counter a reset takes `counters.minutesPerPinReset` staff minutes (assumed,
 * labelled in parameter-labels.ts) before any hand-over: the day's hand-over capacity is what the
 * staff minutes left allow. Resets the day's staff minutes cannot absorb wait for the next day.
 * Hand-overs are whole, so a reset first uses the minutes too few for another hand-over: a reset
 * costs at most, not always, a hand-over's worth.
 *
 * The coupling is inside the day step, so lockouts come from the cards in circulation of this very
 * run (no second pass); it has no randomness, so the demand draws and their replay are unchanged.
 * @module
 */
import { AUTH_DEFAULTS, type AuthParams } from "../auth/params.js";
import { pinReaderAuthentications, type LoadOptions } from "../auth/load-model.js";
import { LockoutVisits } from "../auth/lockouts.js";

/** The PIN-reset series of one replication (per simulated day, nationally). */
export interface PinResetSeries {
  /** Lockouts of authentication PINs (cards in circulation × PIN entries × lockout probability). */
  lockoutsDaily: Float64Array;
  /** Locked-out holders arriving at the counters. */
  visitsDaily: Float64Array;
  /** Resets done (staff minutes spent: × `minutesPerPinReset`). */
  resetsDaily: Float64Array;
}

export class PinResetLoad {
  readonly #flow: LockoutVisits;
  readonly #load: LoadOptions;
  readonly #minutes: number;
  readonly #arrivals: Float64Array;
  readonly #waiting: Float64Array;
  readonly series: PinResetSeries;
  #today = 0;

  /**
   * @param minutesPerReset staff minutes of one reset at the counter (0: the visits are counted but
   *   take no counter time)
   * @param auth the scenario's `auth:` block, whose lockout rates and load options apply; absent:
   *   sim/auth's defaults
   */
  constructor(municipalities: number, days: number, minutesPerReset: number, auth: AuthParams | undefined) {
    const a = auth ?? AUTH_DEFAULTS;
    this.#flow = new LockoutVisits(municipalities, a.lockout);
    this.#load = {
      privatePerBusinessPerDay: a.privatePerBusinessPerDay,
      eTaxCardShareAtFullCoverage: a.eTaxCardShareAtFullCoverage,
    };
    this.#minutes = minutesPerReset;
    this.#arrivals = new Float64Array(municipalities);
    this.#waiting = new Float64Array(municipalities);
    this.series = {
      lockoutsDaily: new Float64Array(days),
      visitsDaily: new Float64Array(days),
      resetsDaily: new Float64Array(days),
    };
  }

  /** Staff minutes of one reset. */
  get minutesPerReset(): number {
    return this.#minutes;
  }

  /** Starts day `i` of the run: today's visitors join each municipality's waiting resets. */
  open(i: number): void {
    this.#today = i;
    if (!this.#flow.active) return;
    this.series.visitsDaily[i] = this.#flow.visits(this.#arrivals);
    for (let k = 0; k < this.#waiting.length; k++) this.#waiting[k] = this.#waiting[k]! + this.#arrivals[k]!;
  }

  /**
   * Staff minutes the resets take today in municipality `k` out of `staffMinutes` (the resets are
   * done first; those the minutes cannot absorb wait for tomorrow). 0 when nobody waits.
   */
  take(k: number, staffMinutes: number): number {
    const w = this.#waiting[k]!;
    if (w <= 0 || this.#minutes <= 0) {
      if (w > 0) {
        this.#waiting[k] = 0;
        this.series.resetsDaily[this.#today] = this.series.resetsDaily[this.#today]! + w;
      }
      return 0;
    }
    const done = Math.min(w, Math.max(0, staffMinutes) / this.#minutes);
    this.#waiting[k] = w - done;
    this.series.resetsDaily[this.#today] = this.series.resetsDaily[this.#today]! + done;
    return done * this.#minutes;
  }

  /** Ends day `t` (index `i`): today's lockouts from the cards in circulation per municipality. */
  close(t: number, i: number, holders: ArrayLike<number>): void {
    if (!this.#flow.active) return;
    this.series.lockoutsDaily[i] = this.#flow.lockOut(holders, pinReaderAuthentications(t, 1, this.#load));
  }
}
