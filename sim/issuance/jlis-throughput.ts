/**
 * The J-LIS card management system's hand-over throughput as a mechanism (issue 9 item 2), replacing
 * fitted daily caps. FACTS §4.4 and §6: the system was built for a design load of 115,000 cards a
 * day; municipal integrated terminals reach it through relay servers, at most 30 simultaneous
 * terminals per municipality (raised to 42 in spring 2016); through March–May 2016 responses took
 * tens of seconds. Two bounds follow from one transaction time T:
 *  - national: the relay tier serves a fixed number of transactions at once, so its throughput is
 *    the design load (at the normal time T₀) × T₀ / T — a slowdown to T cuts it in proportion;
 *  - per municipality: its terminals × the business seconds of the day / T.
 * Both are scaled by the share of the day's business hours the system was up (outages,
 * jlis-availability.ts). Slowdowns are day-long events (start..end) that set T to their mean
 * transaction time; the normal time applies otherwise.
 * @module
 */
import { parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import type { IssuanceParams } from "./params.js";
import { Schedule } from "./schedule.js";

export class JlisThroughput {
  readonly #designLoad: Schedule;
  readonly #terminals: Schedule;
  readonly #normalSeconds: number;
  readonly #businessSeconds: number;
  readonly #slowdowns: { start: number; end: number; seconds: number }[];

  /** @param businessDayFraction the counters' opening hours as a fraction of a day */
  constructor(jlis: IssuanceParams["jlis"], businessDayFraction: number) {
    this.#designLoad = new Schedule(jlis.designLoadPerDay, "jlis.designLoadPerDay");
    this.#terminals = new Schedule(jlis.terminalsPerMunicipality, "jlis.terminalsPerMunicipality");
    if (!(jlis.transactionSeconds > 0))
      throw new InputError("jlis.transactionSeconds: expected a positive number of seconds");
    this.#normalSeconds = jlis.transactionSeconds;
    this.#businessSeconds = Math.max(0, businessDayFraction) * 86_400;
    this.#slowdowns = jlis.slowdowns.map((w, i) => {
      if (!(w.transactionSeconds > 0))
        throw new InputError(
          `jlis.slowdowns[${i}].transactionSeconds: expected a positive number of seconds`,
        );
      return {
        start: parseIsoDate(w.start, `jlis.slowdowns[${i}].start`),
        end: parseIsoDate(w.end, `jlis.slowdowns[${i}].end`),
        seconds: w.transactionSeconds,
      };
    });
  }

  /** The mean transaction time on `day`, seconds: a slowdown's, else the normal one. */
  transactionSeconds(day: number): number {
    for (const w of this.#slowdowns) if (day >= w.start && day <= w.end) return w.seconds;
    return this.#normalSeconds;
  }

  /** National hand-overs the system serves on `day` with `available` (0–1) of its business hours up. */
  nationalCapacity(day: number, available: number): number {
    return (
      ((this.#designLoad.at(day) * this.#normalSeconds) / this.transactionSeconds(day)) *
      Math.max(0, available)
    );
  }

  /** Hand-overs one municipality's terminals can complete on `day` (business seconds ÷ T per terminal). */
  terminalCapacity(day: number, available: number): number {
    return (
      ((this.#terminals.at(day) * this.#businessSeconds) / this.transactionSeconds(day)) *
      Math.max(0, available)
    );
  }
}
