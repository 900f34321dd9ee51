/**
 * Municipal counters as a mechanism (issue 9 item 2): hand-overs a day = staff on duty × the
 * counter's opening minutes ÷ staff minutes per hand-over. Staff on duty is a readable staffing
 * level — `counters.staffPerHundredThousand` residents on a weekday, at least `minimumStaff` in the
 * smallest municipality — times `weekendFactor` on Saturdays and Sundays. The same staffing gives
 * the staff-days the run costs (costs.ts), whether or not residents came.
 * @module
 */
import { dayOfWeek } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import type { IssuanceParams } from "./params.js";
import { Schedule } from "./schedule.js";

export class CounterCapacity {
  readonly #staff: Schedule;
  readonly #minutesPerHandover: number;
  readonly #openMinutes: number;
  readonly #weekendFactor: number;
  readonly #minimumStaff: number;

  /** @param openDayFraction the counters' opening hours as a fraction of a day */
  constructor(counters: IssuanceParams["counters"], openDayFraction: number) {
    if (!(counters.minutesPerHandover > 0))
      throw new InputError("counters.minutesPerHandover: expected a positive number of minutes");
    this.#staff = new Schedule(counters.staffPerHundredThousand, "counters.staffPerHundredThousand");
    this.#minutesPerHandover = counters.minutesPerHandover;
    this.#openMinutes = Math.max(0, openDayFraction) * 1440;
    this.#weekendFactor = counters.weekendFactor;
    this.#minimumStaff = counters.minimumStaff;
  }

  /** 1 on weekdays, the weekend factor on Saturdays and Sundays. */
  dayFactor(day: number): number {
    const dow = dayOfWeek(day);
    return dow !== 0 && dow !== 6 ? 1 : this.#weekendFactor;
  }

  // The day's staffing rate and weekday factor, computed once a day: the model asks for every
  // municipality (1,741 calls a day, each a schedule lookup and a Date without this).
  #memoDay = Number.NaN;
  #memoRate = 0;
  #memoFactor = 1;

  /** Staff on duty on `day` in a municipality of `residents`. */
  staff(day: number, residents: number): number {
    if (day !== this.#memoDay) {
      this.#memoDay = day;
      this.#memoRate = this.#staff.at(day);
      this.#memoFactor = this.dayFactor(day);
    }
    return Math.max(this.#minimumStaff, (this.#memoRate * residents) / 100_000) * this.#memoFactor;
  }

  /** Hand-overs one staff member completes in a full opening day. */
  get handoversPerStaffDay(): number {
    return this.#openMinutes / this.#minutesPerHandover;
  }

  /** Hand-overs (cards and certificate renewals) a municipality of `residents` can do on `day`. */
  capacity(day: number, residents: number): number {
    return this.staff(day, residents) * this.handoversPerStaffDay;
  }

  /** Staff minutes `staff` people give in an opening day of which the share `available` is usable. */
  staffMinutes(staff: number, available: number): number {
    return staff * this.#openMinutes * available;
  }

  /**
   * Hand-overs left in a day when other counter work (PIN resets, sim/issuance/pin-resets.ts) took
   * `minutesTaken` of the staff minutes: the whole hand-overs the remaining minutes allow.
   */
  handoversAfter(staff: number, available: number, minutesTaken: number): number {
    return Math.floor(
      Math.max(0, this.staffMinutes(staff, available) - minutesTaken) / this.#minutesPerHandover,
    );
  }

  /** Weekday hand-overs per 10,000 residents the staffing on `day` gives (above the minimum). */
  perTenThousandOnWeekday(day: number): number {
    return (this.#staff.at(day) / 10) * this.handoversPerStaffDay;
  }
}
