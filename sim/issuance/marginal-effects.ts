/**
 * What binds the rollout, by marginal effect (DESIGN.md §7, issue 9): for each lever — J-LIS intake,
 * factory, J-LIS hand-over and counter capacity, and demand as its own lever — a paired run with that
 * lever × 1.10 against the baseline, on common random numbers: the same seed and the same replication
 * index, so each paired run draws from the same stream `RandomStreams(seed).stream("issuance.demand",
 * replication)` (replication.ts). The model draws randomness only for applications, so a capacity
 * lever sees exactly the baseline's applications and every difference in cards is the lever's doing.
 *
 * The binding stage is the capacity lever with the largest change in cards on the target date;
 * `demand` when none moves them by 0.5 % or more. The same comparison on cumulative cards at each
 * year-end (quarter-end in runs under two years; from the same runs, no extra ones) gives the
 * binding stage by period. Pure functions of
 * the results, combined in lever and replication order, so the answer does not depend on threads.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { TwinError } from "../../engine/errors.js";
import {
  DASH,
  signed,
  type BindingConstraint,
  type LeverEffect,
  type PeriodBinding,
} from "../run-format/index.js";
import { CAPACITY_LEVERS, LEVER_LABELS, LEVERS, scaleLever, type Lever } from "./levers.js";
import type { IssuanceRunResult } from "./model.js";
import { interval, reachDay } from "./summary.js";
import type { IssuanceParams } from "./params.js";
import type { ReplicationTask } from "./replication.js";
import { round, mean } from "./rounding.js";

/** The lever step of the analysis: +10 %. */
export const MARGINAL_MULTIPLIER = 1.1;

/** Below this change in cards on the target date (percent) no capacity binds: demand does. */
export const DEMAND_THRESHOLD_PERCENT = 0.5;

/** How a multiplier's analysis is described in summary.json. */
export function bindingMethod(multiplier: number): string {
  const pctText = Number(((multiplier - 1) * 100).toFixed(2));
  return `marginal effect of ${pctText >= 0 ? "+" : ""}${pctText} % capacity, paired runs with common random numbers`;
}

/** Where the runs come from: the baseline's seed, replications and data. */
export interface PairedRunSetup {
  seed: number;
  replications: number;
  dataDir: string;
}

/**
 * The paired runs' tasks, lever-major (LEVERS order), replication-minor: the baseline's seed and
 * replication indices with one lever scaled, so each shares its baseline replication's random stream.
 */
export function leverTasks(
  params: IssuanceParams,
  setup: PairedRunSetup,
  multiplier = MARGINAL_MULTIPLIER,
  levers: readonly Lever[] = LEVERS,
): ReplicationTask[] {
  return levers.flatMap((lever) =>
    Array.from({ length: setup.replications }, (_, replication) => ({
      params: scaleLever(params, lever, multiplier),
      seed: setup.seed,
      replication,
      dataDir: setup.dataDir,
      snapshotDays: [],
    })),
  );
}

/** The capacity lever with the largest percent change, or demand when none reaches the threshold. */
function pickStage(percents: Record<Lever, number | null>): Lever {
  let best: Lever | null = null;
  for (const lever of CAPACITY_LEVERS) {
    const v = percents[lever];
    if (v === null || v < DEMAND_THRESHOLD_PERCENT) continue;
    if (best === null || v > percents[best]!) best = lever;
  }
  return best ?? "demand";
}

/**
 * The dates cards are compared on by period: year-ends within the run (quarter-ends when the run is
 * shorter than two years), and the run's last day.
 */
export function periodEnds(start: number, days: number): number[] {
  const last = start + days - 1;
  const ends = days >= 730 ? ["12-31"] : ["03-31", "06-30", "09-30", "12-31"];
  const out: number[] = [];
  const firstYear = Number(formatIsoDate(start).slice(0, 4));
  const lastYear = Number(formatIsoDate(last).slice(0, 4));
  for (let y = firstYear; y <= lastYear; y++)
    for (const md of ends) {
      const d = parseIsoDate(`${y}-${md}`);
      if (d >= start && d < last) out.push(d);
    }
  out.push(last);
  return out;
}

const pctText = (v: number | null): string => (v === null ? DASH : `${signed(v, 2)} %`);
const cardsText = (v: number): string => signed(Math.round(v), 0);

/**
 * Combines the baseline's replications with the paired runs (as {@link leverTasks} ordered them)
 * into summary.json's `bindingConstraint`.
 */
export function marginalEffects(
  params: IssuanceParams,
  baseline: IssuanceRunResult[],
  paired: IssuanceRunResult[],
  multiplier = MARGINAL_MULTIPLIER,
  levers: readonly Lever[] = LEVERS,
): BindingConstraint {
  const reps = baseline.length;
  if (reps === 0 || paired.length !== levers.length * reps)
    throw new TwinError(
      "E_INTERNAL",
      `marginalEffects: expected ${levers.length} × ${reps} paired runs, got ${paired.length}`,
    );
  const start = baseline[0]!.startDay;
  const days = baseline[0]!.days;
  const last = start + days - 1;
  const targetDay = parseIsoDate(params.target.date);
  const compared = Math.min(Math.max(targetDay, start), last);
  const at = compared - start;
  const runOf = (lever: number, rep: number): IssuanceRunResult => paired[lever * reps + rep]!;
  const cardsAt = (r: IssuanceRunResult, i: number): number => r.columns.cards_issued_cumulative[i]!;
  const pct = (delta: number, base: number): number | null =>
    base > 0 ? round((delta / base) * 100, 3) : null;

  const baseCards = mean(baseline.map((r) => cardsAt(r, at)));
  const baseReach = baseline.map((r) => reachDay(r, params.target.cards));
  const percents = {} as Record<Lever, number | null>;
  const effects: LeverEffect[] = levers.map((lever, l) => {
    const runs = baseline.map((_, rep) => runOf(l, rep));
    const deltas = runs.map((r, rep) => cardsAt(r, at) - cardsAt(baseline[rep]!, at));
    const delta = interval(deltas, 1);
    const percent = pct(mean(deltas), baseCards);
    percents[lever] = percent;
    const reach = runs.map((r) => reachDay(r, params.target.cards));
    const both = reach.flatMap((d, rep) => {
      const b = baseReach[rep];
      return d !== null && b !== null && b !== undefined ? [d - b] : [];
    });
    const withLever = reach.filter((d): d is number => d !== null);
    const withoutLever = baseReach.filter((d) => d !== null).length;
    const name = `${round((multiplier - 1) * 100, 2)} % ${LEVER_LABELS[lever]}`;
    let reachNote: string | null = null;
    if (withLever.length === 0 && withoutLever === 0)
      reachNote = `the target is not reached by ${formatIsoDate(last)} with or without +${name}`;
    else if (both.length < reps)
      reachNote = `the target is reached by ${formatIsoDate(last)} in ${withLever.length} of ${reps} replication(s) with +${name} and in ${withoutLever} without; the change is over the ${both.length} where both reach it`;
    return {
      lever,
      multiplier,
      cardsOnTargetDateDelta: delta,
      cardsOnTargetDateDeltaPercent: percent,
      reachedOn: withLever.length ? formatIsoDate(Math.round(mean(withLever))) : null,
      reachDateDeltaDays: both.length ? interval(both, 1) : null,
      reachNote,
    };
  });
  const stage = pickStage(fill(percents));

  const byPeriod: PeriodBinding[] = periodEnds(start, days).map((d) => {
    const i = d - start;
    const base = mean(baseline.map((r) => cardsAt(r, i)));
    const p = {} as Record<Lever, number | null>;
    const periodEffects = levers.map((lever, l) => {
      const delta = mean(baseline.map((r, rep) => cardsAt(runOf(l, rep), i) - cardsAt(r, i)));
      p[lever] = pct(delta, base);
      return { lever, cardsDelta: round(delta, 1), cardsDeltaPercent: p[lever] };
    });
    return { until: formatIsoDate(d), stage: pickStage(fill(p)), effects: periodEffects };
  });

  const on = formatIsoDate(compared);
  const step = `+${round((multiplier - 1) * 100, 2)} %`;
  const capacity = effects
    .filter((e) => e.lever !== "demand")
    .sort(
      (a, b) =>
        (b.cardsOnTargetDateDeltaPercent ?? -Infinity) - (a.cardsOnTargetDateDeltaPercent ?? -Infinity),
    );
  const demand = effects.find((e) => e.lever === "demand");
  const demandText = demand
    ? ` ${step} demand: ${cardsText(demand.cardsOnTargetDateDelta.mean)} cards (${pctText(demand.cardsOnTargetDateDeltaPercent)}).`
    : "";
  let explanation: string;
  if (stage === "demand") {
    const top = capacity[0];
    explanation =
      `No stage's ${step} capacity moves cards on ${on} by ${DEMAND_THRESHOLD_PERCENT} % or more` +
      (top
        ? ` (the largest: ${LEVER_LABELS[top.lever]} ${pctText(top.cardsOnTargetDateDeltaPercent)})`
        : "") +
      `: residents' applications set the pace.${demandText}`;
  } else {
    const top = capacity[0]!;
    const next = capacity[1];
    explanation =
      `${step} ${LEVER_LABELS[top.lever]} capacity gives ${cardsText(top.cardsOnTargetDateDelta.mean)} cards on ${on} (${pctText(top.cardsOnTargetDateDeltaPercent)}), the most of any stage` +
      (next ? `; next: ${LEVER_LABELS[next.lever]} ${pctText(next.cardsOnTargetDateDeltaPercent)}.` : ".") +
      demandText;
  }
  if (byPeriod.some((b) => b.stage !== byPeriod[0]!.stage))
    explanation += ` By date: ${byPeriod.map((b) => `${b.until} ${LEVER_LABELS[b.stage]}`).join(", ")}.`;

  return {
    stage,
    method: bindingMethod(multiplier),
    comparedOn: on,
    thresholdPercent: DEMAND_THRESHOLD_PERCENT,
    effects,
    byPeriod,
    explanation,
  };
}

/** Levers the analysis left out count as no effect. */
function fill(p: Partial<Record<Lever, number | null>>): Record<Lever, number | null> {
  return Object.fromEntries(LEVERS.map((l) => [l, p[l] ?? null])) as Record<Lever, number | null>;
}

/**
 * The binding constraint with its effect in one line, e.g. `counters (+10 % counters capacity:
 * +1,234,567 cards on 2020-03-31, +1.41 %; target reached 12 days earlier)`.
 */
export function bindingLine(bc: BindingConstraint): string {
  const capacity = bc.effects.filter((e) => e.lever !== "demand");
  const effectOf = (lever: Lever) => bc.effects.find((e) => e.lever === lever);
  const step = (e: LeverEffect) => `+${round((e.multiplier - 1) * 100, 2)} %`;
  const demand = effectOf("demand");
  const demandText = demand
    ? `${step(demand)} demand: ${cardsText(demand.cardsOnTargetDateDelta.mean)} cards, ${pctText(demand.cardsOnTargetDateDeltaPercent)}`
    : "";
  if (bc.stage === "demand") {
    const top = [...capacity].sort(
      (a, b) =>
        (b.cardsOnTargetDateDeltaPercent ?? -Infinity) - (a.cardsOnTargetDateDeltaPercent ?? -Infinity),
    )[0];
    const parts = [
      top
        ? `no stage's ${step(top)} capacity moves cards on ${bc.comparedOn} by ${bc.thresholdPercent} % (largest: ${LEVER_LABELS[top.lever]} ${pctText(top.cardsOnTargetDateDeltaPercent)})`
        : `no capacity lever was tried`,
      ...(demandText ? [demandText] : []),
    ];
    return `demand (${parts.join("; ")})`;
  }
  const e = effectOf(bc.stage)!;
  const reach = e.reachDateDeltaDays;
  const reachText =
    reach === null
      ? ""
      : reach.mean === 0
        ? "; reach date unchanged"
        : `; target reached ${Math.abs(reach.mean)} days ${reach.mean < 0 ? "earlier" : "later"}`;
  return `${bc.stage} (${step(e)} ${LEVER_LABELS[bc.stage]} capacity: ${cardsText(e.cardsOnTargetDateDelta.mean)} cards on ${bc.comparedOn}, ${pctText(e.cardsOnTargetDateDeltaPercent)}${reachText})`;
}
