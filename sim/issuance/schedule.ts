/**
 * Piecewise-constant schedules (capacities, propensities that change on given dates) and the demand
 * hazard with its documented shocks, all evaluated on epoch days.
 * @module
 */
import { parseIsoDate } from "../../engine/calendar.js";
import type { DemandShock, ScheduleEntry } from "./params.js";

/** A step function of the day, built from entries sorted by `from`. */
export class Schedule {
  readonly #from: Float64Array;
  readonly #value: Float64Array;

  constructor(entries: ScheduleEntry[], what: string) {
    const sorted = entries
      .map((e, i) => ({ from: parseIsoDate(e.from, `${what}[${i}].from`), value: e.value }))
      .sort((a, b) => a.from - b.from);
    this.#from = Float64Array.from(sorted, (e) => e.from);
    this.#value = Float64Array.from(sorted, (e) => e.value);
  }

  /** The value in force on `day` (the first entry's value before it begins). */
  at(day: number): number {
    let v = this.#value[0] ?? 0;
    for (let i = 0; i < this.#from.length && this.#from[i]! <= day; i++) v = this.#value[i]!;
    return v;
  }
}

interface CompiledShock {
  start: number;
  end: number;
  multiplier: number;
  deadline: number;
  peak: number;
  tau: number;
  decayPeak: number;
  decayTau: number;
}

/** The application hazard multiplier from every active shock (they multiply). */
export class ShockProfile {
  readonly #shocks: CompiledShock[];

  constructor(shocks: DemandShock[]) {
    this.#shocks = shocks.map((s, i) => ({
      start: parseIsoDate(s.start, `demand.shocks[${i}].start`),
      end: parseIsoDate(s.end, `demand.shocks[${i}].end`),
      multiplier: s.multiplier,
      deadline: s.rush ? parseIsoDate(s.rush.deadline, `demand.shocks[${i}].rush.deadline`) : Number.NaN,
      peak: s.rush?.peakMultiplier ?? 1,
      tau: s.rush?.tauDays ?? 1,
      decayPeak: s.decay?.peakMultiplier ?? 1,
      decayTau: s.decay?.tauDays ?? 1,
    }));
  }

  /** Product of the multipliers of the shocks active on `day`. */
  at(day: number): number {
    let m = 1;
    for (const s of this.#shocks) {
      if (day < s.start || day > s.end) continue;
      let f = s.multiplier;
      if (day <= s.deadline) f *= 1 + (s.peak - 1) * Math.exp(-(s.deadline - day) / s.tau);
      if (s.decayPeak !== 1) f *= 1 + (s.decayPeak - 1) * Math.exp(-(day - s.start) / s.decayTau);
      m *= f;
    }
    return m;
  }
}
