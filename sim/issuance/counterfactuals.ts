/**
 * A scenario's built-in counterfactuals (issue 9 item 3): each declared "what if" — the scenario
 * with some key paths set, resolved and validated by scenarios/counterfactuals.ts — runs paired with
 * the baseline on common random numbers: the same seed and the same replication index, so each
 * draws from the baseline's stream `RandomStreams(seed).stream("issuance.demand", replication)`
 * (replication.ts), as the marginal-effect runs do (marginal-effects.ts). The effects (counterfactual
 * − baseline: cards on key dates, reach date, lead times, resident-days waited) are pure functions of
 * the results combined in counterfactual and replication order, so they do not depend on threads.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { TwinError } from "../../engine/errors.js";
import type { CounterfactualEffect } from "../run-format/index.js";
import { keyDates, residentDaysWaited } from "./compare.js";
import type { PairedRunSetup } from "./marginal-effects.js";
import type { IssuanceRunResult } from "./model.js";
import type { CounterfactualSpec, IssuanceParams } from "./params.js";
import type { ReplicationTask } from "./replication.js";
import { histogramStats, interval, mergeHistograms, reachDay } from "./summary.js";
import { round, mean } from "./rounding.js";

/** A declared counterfactual with the parameters it runs with (the baseline with `set` applied). */
export interface ResolvedCounterfactual extends CounterfactualSpec {
  params: IssuanceParams;
}

/** The paired runs' tasks, counterfactual-major, replication-minor, on the baseline's seed and streams. */
export function counterfactualTasks(
  counterfactuals: readonly ResolvedCounterfactual[],
  setup: PairedRunSetup,
): ReplicationTask[] {
  return counterfactuals.flatMap((c) =>
    Array.from({ length: setup.replications }, (_, replication) => ({
      params: c.params,
      seed: setup.seed,
      replication,
      dataDir: setup.dataDir,
      snapshotDays: [],
    })),
  );
}

/**
 * summary.json's `counterfactuals`: each counterfactual's runs (as {@link counterfactualTasks}
 * ordered them) against the baseline's replications.
 * @param officialDates dates of the official series to compare cards on too (within the run)
 */
export function counterfactualEffects(
  params: IssuanceParams,
  baseline: IssuanceRunResult[],
  paired: IssuanceRunResult[],
  counterfactuals: readonly ResolvedCounterfactual[],
  officialDates: string[] = [],
): CounterfactualEffect[] {
  const reps = baseline.length;
  if (reps === 0 || paired.length !== counterfactuals.length * reps)
    throw new TwinError(
      "E_INTERNAL",
      `counterfactualEffects: expected ${counterfactuals.length} × ${reps} paired runs, got ${paired.length}`,
    );
  const start = baseline[0]!.startDay;
  const cards = params.target.cards;
  const targetDay = parseIsoDate(params.target.date);
  const baseReach = baseline.map((r) => reachDay(r, cards));
  const baseLead = histogramStats(mergeHistograms(baseline.map((r) => r.leadTimeHistogram)));
  const waited = (r: IssuanceRunResult, days: number): number =>
    residentDaysWaited((c) => r.columns[c], 0, days - 1);

  return counterfactuals.map((c, k) => {
    const runs = baseline.map((_, rep) => paired[k * reps + rep]!);
    if (runs.some((r) => r.startDay !== start))
      throw new TwinError("E_INTERNAL", `counterfactual ${c.name} starts on another day than its baseline`);
    // Both runs cover these days (a counterfactual keeps the baseline's period).
    const days = Math.min(baseline[0]!.days, runs[0]!.days);
    const last = start + days - 1;
    const at = (r: IssuanceRunResult, day: number): number => r.columns.cards_issued_cumulative[day - start]!;
    const deltasOn = (day: number): number[] => runs.map((r, rep) => at(r, day) - at(baseline[rep]!, day));

    const inRun = targetDay >= start && targetDay <= last;
    const baseOnTarget = inRun ? mean(baseline.map((r) => at(r, targetDay))) : 0;
    const targetDeltas = inRun ? deltasOn(targetDay) : [];
    const reach = runs.map((r) => reachDay(r, cards));
    const both = reach.flatMap((d, rep) => {
      const b = baseReach[rep];
      return d !== null && b !== null && b !== undefined ? [d - b] : [];
    });
    const withIt = reach.filter((d): d is number => d !== null);
    const without = baseReach.filter((d) => d !== null).length;
    let reachNote: string | null = null;
    if (withIt.length === 0 && without === 0)
      reachNote = `${cards.toLocaleString("en-US")} cards are not reached by ${formatIsoDate(last)} in either run`;
    else if (both.length < reps)
      reachNote = `${cards.toLocaleString("en-US")} cards are reached by ${formatIsoDate(last)} in ${withIt.length} of ${reps} replication(s) with "${c.name}" and in ${without} without; the change is over the ${both.length} where both reach them`;

    const lead = histogramStats(mergeHistograms(runs.map((r) => r.leadTimeHistogram)));
    const leadDelta = (q: "p50" | "p90" | "p99"): number | null =>
      Number.isFinite(lead[q]) && Number.isFinite(baseLead[q]) ? round(lead[q] - baseLead[q], 2) : null;
    const baseWaited = baseline.map((r) => waited(r, days));
    const cfWaited = runs.map((r) => waited(r, days));

    return {
      name: c.name,
      description: c.description,
      set: c.set,
      cardsOnTargetDateDelta: inRun ? interval(targetDeltas, 1) : null,
      cardsOnTargetDateDeltaPercent:
        inRun && baseOnTarget > 0 ? round((mean(targetDeltas) / baseOnTarget) * 100, 3) : null,
      reachedOn: withIt.length ? formatIsoDate(Math.round(mean(withIt))) : null,
      reachDateDeltaDays: both.length ? interval(both, 1) : null,
      reachNote,
      cardsOnDates: keyDates(start, last, {
        target: [params.target.date],
        official: officialDates,
        declared: c.dates ?? [],
      }).map(({ day, reasons }) => ({
        date: formatIsoDate(day),
        reasons,
        baseline: round(mean(baseline.map((r) => at(r, day))), 1),
        counterfactual: round(mean(runs.map((r) => at(r, day))), 1),
        delta: interval(deltasOn(day), 1),
      })),
      leadTimeDaysDelta: { p50: leadDelta("p50"), p90: leadDelta("p90"), p99: leadDelta("p99") },
      residentDaysWaited: {
        baseline: round(mean(baseWaited), 1),
        counterfactual: round(mean(cfWaited), 1),
        delta: interval(
          cfWaited.map((w, rep) => w - baseWaited[rep]!),
          1,
        ),
      },
    };
  });
}
