/**
 * Reads the answer fields of summary.json and sweep.json that the views need beyond the data
 * layer's current types — the sweep's own `target`, `target.reachedOnRange`, `requiredCapacity` —
 * by the names the run-output format writes (sim/issuance/summary.ts, sim/run-format/), each checked
 * before use, plus the check that a date really is a calendar day. A field that is absent or
 * malformed reads as null (not recorded), never as a default value.
 * @module
 */

import { isCalendarDate } from "../../../engine/calendar.js";
import type { RunSummary, SweepDocument } from "../data/run-types.js";

/** A target: cards by a date. */
export interface Target {
  cards: number;
  date: string;
}

/** The least capacity multiplier that still reaches the target by its date. */
export interface RequiredCapacity {
  multiplier: number;
  factoryPerDayOnTargetDate: number;
  countersPerTenThousandOnTargetDate: number;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A `{ cards, date }` object, checked; null otherwise. */
export function asTarget(v: unknown): Target | null {
  const o = obj(v);
  return o && finite(o.cards) && o.cards >= 0 && isCalendarDate(o.date)
    ? { cards: o.cards, date: o.date }
    : null;
}

/** The target recorded in sweep.json; null for a sweep written before sweeps recorded it. */
export function sweepTarget(doc: SweepDocument): Target | null {
  return asTarget((doc as SweepDocument & { target?: unknown }).target);
}

/** Earliest and latest day the target was reached across replications, or null. */
export function reachedOnRange(s: RunSummary): { earliest: string; latest: string } | null {
  const r = obj((s.target as RunSummary["target"] & { reachedOnRange?: unknown }).reachedOnRange);
  return r && isCalendarDate(r.earliest) && isCalendarDate(r.latest) && r.earliest <= r.latest
    ? { earliest: r.earliest, latest: r.latest }
    : null;
}

/**
 * The capacity search's answer: the multiplier (object), `null` when the search ran and no multiplier
 * within its range reaches the target, `undefined` when the run did not search.
 */
export function requiredCapacity(s: RunSummary): RequiredCapacity | null | undefined {
  const v = (s as RunSummary & { requiredCapacity?: unknown }).requiredCapacity;
  if (v === null) return null;
  const o = obj(v);
  if (!o || !finite(o.multiplier) || o.multiplier <= 0) return undefined;
  return {
    multiplier: o.multiplier,
    factoryPerDayOnTargetDate: finite(o.factoryPerDayOnTargetDate) ? o.factoryPerDayOnTargetDate : NaN,
    countersPerTenThousandOnTargetDate: finite(o.countersPerTenThousandOnTargetDate)
      ? o.countersPerTenThousandOnTargetDate
      : NaN,
  };
}
