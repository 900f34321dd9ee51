/**
 * summary.json's `pinResets` section (issue 10 item 1; format: sim/run-format/pin-resets.ts): the
 * replications' PIN lockouts, counter visits and resets (pin-resets.ts) by year, and what the visits
 * cost — cards on the target date and at the end, lead time and resident-days — read from the paired
 * run without them (the automatic counterfactual `no-pin-reset-visits`, same seed and demand draws).
 * Means over replications, summed in replication order, so the section does not depend on threads.
 * @module
 */
import { formatIsoDate } from "../../engine/calendar.js";
import { lockoutProbability } from "../auth/lockouts.js";
import { AUTH_DEFAULTS } from "../auth/params.js";
import {
  PIN_RESET_COUNTERFACTUAL,
  type CounterfactualEffect,
  type PinResetSummary,
} from "../run-format/index.js";
import type { IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { round } from "./rounding.js";

/** Mean over replications of a PIN-reset series, day by day. */
function meanSeries(
  results: readonly IssuanceRunResult[],
  key: "lockoutsDaily" | "visitsDaily" | "resetsDaily",
) {
  const days = results[0]!.days;
  const out = new Float64Array(days);
  for (const r of results) {
    const a = r.pinResets![key];
    for (let i = 0; i < days; i++) out[i] = out[i]! + a[i]!;
  }
  for (let i = 0; i < days; i++) out[i] = out[i]! / results.length;
  return out;
}

/**
 * The section, or null when the scenario leaves PIN resets out of the counters.
 * @param counterfactuals the run's counterfactual effects (the paired run's among them, if made)
 */
export function pinResetSummary(
  params: IssuanceParams,
  results: readonly IssuanceRunResult[],
  counterfactuals: readonly CounterfactualEffect[] = [],
): PinResetSummary | null {
  const minutes = params.counters.minutesPerPinReset;
  if (minutes === undefined || results.length === 0 || results.some((r) => !r.pinResets)) return null;
  const start = results[0]!.startDay;
  const lockouts = meanSeries(results, "lockoutsDaily");
  const visits = meanSeries(results, "visitsDaily");
  const resets = meanSeries(results, "resetsDaily");
  const hours = (x: number): number => (x * minutes) / 60;

  const byYear: PinResetSummary["byYear"] = [];
  let peak = 0;
  const total = { lockouts: 0, visits: 0, resets: 0 };
  for (let i = 0; i < lockouts.length; i++) {
    const year = Number(formatIsoDate(start + i).slice(0, 4));
    let row = byYear[byYear.length - 1];
    if (!row || row.year !== year)
      byYear.push((row = { year, lockouts: 0, counterVisits: 0, resets: 0, staffHours: 0 }));
    row.lockouts += lockouts[i]!;
    row.counterVisits += visits[i]!;
    row.resets += resets[i]!;
    total.lockouts += lockouts[i]!;
    total.visits += visits[i]!;
    total.resets += resets[i]!;
    if (visits[i]! > visits[peak]!) peak = i;
  }
  for (const row of byYear) {
    row.staffHours = round(hours(row.resets), 0);
    row.lockouts = round(row.lockouts, 0);
    row.counterVisits = round(row.counterVisits, 0);
    row.resets = round(row.resets, 0);
  }

  const cf = counterfactuals.find((c) => c.name === PIN_RESET_COUNTERFACTUAL);
  const lastDate = cf?.cardsOnDates[cf.cardsOnDates.length - 1];
  const negate = (x: number | null): number | null => (x === null ? null : round(-x, 2));
  const lockout = params.auth?.lockout ?? AUTH_DEFAULTS.lockout;
  return {
    minutesPerReset: minutes,
    lockoutProbabilityPerPinEntry: Number(lockoutProbability(lockout).toPrecision(6)),
    lockoutRatesFrom: params.auth ? "scenario auth.lockout" : "sim/auth defaults",
    lockouts: round(total.lockouts, 0),
    counterVisits: round(total.visits, 0),
    resets: round(total.resets, 0),
    staffHours: round(hours(total.resets), 0),
    byYear,
    peakDailyVisits: { date: formatIsoDate(start + peak), count: round(visits[peak]!, 1) },
    effect:
      cf && lastDate
        ? {
            counterfactual: PIN_RESET_COUNTERFACTUAL,
            // counterfactual − baseline = the cards the visits cost
            cardsLostOnTargetDate: cf.cardsOnTargetDateDelta
              ? round(cf.cardsOnTargetDateDelta.mean, 1)
              : null,
            cardsLostAtEnd: round(lastDate.delta.mean, 1),
            endDate: lastDate.date,
            leadTimeDaysAdded: {
              p50: negate(cf.leadTimeDaysDelta.p50),
              p90: negate(cf.leadTimeDaysDelta.p90),
              p99: negate(cf.leadTimeDaysDelta.p99),
            },
            residentDaysAdded: round(-cf.residentDaysWaited.delta.mean, 1),
          }
        : null,
  };
}
