/**
 * Turns the replications of one issuance run into what users read: the daily time series (mean over
 * replications, with a 95 % confidence interval of cumulative cards when there are several), and
 * the headline summary — was the target reached, when, what held the rollout back (decided by
 * marginal-effects.ts from paired runs), how long residents waited, and how far the run is from the
 * official series. Pure functions of the results:
 * the same results give byte-identical output whatever thread produced them.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { ReplicationSummary } from "../../engine/stats/index.js";
import {
  formatTimeseriesCsv,
  POPULATION_COLUMNS,
  RUN_FORMAT_VERSION,
  type PopulationColumn,
  type BindingConstraint,
  type Interval,
  type RunSummary,
} from "../run-format/index.js";
import {
  STAGES,
  TIMESERIES_COLUMNS,
  type IssuanceRunResult,
  type Stage,
  type TimeseriesColumn,
} from "./model.js";
import type { IssuanceParams } from "./params.js";
import type { Population } from "./population.js";
import { compareWithOfficial, prefecturePopulation } from "./prefecture-series.js";
import { round } from "./rounding.js";

/** An official observation to compare against (data/issuance-national.csv). */
export interface OfficialPoint {
  date: string;
  cardsIssuedCumulative: number;
}

/** Official cumulative cards per prefecture on one date (data/issuance-by-prefecture.csv). */
export interface OfficialPrefectureSnapshot {
  date: string;
  byPrefecture: Map<string, { population: number; cards: number }>;
}

export type { Interval, RunSummary } from "../run-format/index.js";

const BACKLOG_COLUMNS = TIMESERIES_COLUMNS.filter((c) => c.startsWith("backlog_"));

/** Mean of each column over replications (replication order fixed, so sums are deterministic). */
export function meanColumns(results: IssuanceRunResult[]): IssuanceRunResult["columns"] {
  const days = results[0]!.days;
  const out = {} as Record<TimeseriesColumn | PopulationColumn, Float64Array>;
  // The population columns (issue 9 item 8) when every replication has them.
  const population = results.every((r) => r.columns.cards_in_circulation) ? POPULATION_COLUMNS : [];
  for (const c of [...TIMESERIES_COLUMNS, ...population]) {
    const acc = new Float64Array(days);
    const seen = new Float64Array(days);
    for (const r of results) {
      const col = r.columns[c]!;
      for (let i = 0; i < days; i++) {
        const v = col[i]!;
        if (Number.isNaN(v)) continue;
        acc[i] = acc[i]! + v;
        seen[i] = seen[i]! + 1;
      }
    }
    for (let i = 0; i < days; i++) acc[i] = seen[i]! > 0 ? acc[i]! / seen[i]! : Number.NaN;
    out[c] = acc;
  }
  return out;
}

/** Cards in circulation at the end, expiries and holders' deaths over the run (population columns). */
function populationTotals(
  cols: IssuanceRunResult["columns"],
  days: number,
): { cardsInCirculation?: number; cardExpiries?: number; holderDeaths?: number } {
  const circulation = cols.cards_in_circulation;
  const expiries = cols.card_expiries_daily;
  const deaths = cols.holder_deaths_daily;
  if (!circulation || !expiries || !deaths) return {};
  const sum = (a: Float64Array): number => Math.round(a.reduce((x, y) => x + y, 0));
  return {
    cardsInCirculation: Math.round(circulation[days - 1]!),
    cardExpiries: sum(expiries),
    holderDeaths: sum(deaths),
  };
}

/** 95 % confidence band of cumulative cards across replications (null with one replication). */
export function cumulativeCi95(
  results: IssuanceRunResult[],
): { lower: Float64Array; upper: Float64Array } | null {
  if (results.length < 2) return null;
  const days = results[0]!.days;
  const lower = new Float64Array(days);
  const upper = new Float64Array(days);
  for (let i = 0; i < days; i++) {
    const ci = new ReplicationSummary(
      results.map((r) => r.columns.cards_issued_cumulative[i]!),
    ).confidenceInterval(0.95);
    lower[i] = ci.lower;
    upper[i] = ci.upper;
  }
  return { lower, upper };
}

/** timeseries.csv: one row per simulated day (means over replications), plus the CI band if given. */
export function timeseriesCsv(
  results: IssuanceRunResult[],
  columns: IssuanceRunResult["columns"] = meanColumns(results),
  ci95: { lower: Float64Array; upper: Float64Array } | null = cumulativeCi95(results),
): string {
  return formatTimeseriesCsv(results[0]!.startDay, columns, ci95);
}

/** Percentiles and mean of a whole-day histogram. */
export function histogramStats(h: Float64Array): { p50: number; p90: number; p99: number; mean: number } {
  let total = 0;
  let sum = 0;
  for (let d = 0; d < h.length; d++) {
    total += h[d]!;
    sum += d * h[d]!;
  }
  const out = {
    p50: Number.NaN,
    p90: Number.NaN,
    p99: Number.NaN,
    mean: total > 0 ? sum / total : Number.NaN,
  };
  let cum = 0;
  const want: [keyof typeof out, number][] = [
    ["p50", 0.5],
    ["p90", 0.9],
    ["p99", 0.99],
  ];
  let q = 0;
  for (let d = 0; d < h.length && q < want.length; d++) {
    cum += h[d]!;
    while (q < want.length && cum >= want[q]![1] * total) out[want[q++]![0]] = d;
  }
  return out;
}

export function mergeHistograms(hs: Float64Array[]): Float64Array {
  const n = Math.max(0, ...hs.map((h) => h.length));
  const out = new Float64Array(n);
  for (const h of hs) for (let i = 0; i < h.length; i++) out[i] = out[i]! + h[i]!;
  return out;
}

/** Mean and 95 % CI across replications, rounded to `digits` (lower = upper = mean with one value). */
export function interval(values: number[], digits: number): Interval {
  if (values.length < 2) {
    const v = round(values[0]!, digits);
    return { mean: v, lower: v, upper: v };
  }
  const ci = new ReplicationSummary(values).confidenceInterval(0.95);
  return { mean: round(ci.mean, digits), lower: round(ci.lower, digits), upper: round(ci.upper, digits) };
}

/** First day (epoch) cumulative cards reach `cards`, or null within the run. */
export function reachDay(r: IssuanceRunResult, cards: number): number | null {
  const c = r.columns.cards_issued_cumulative;
  for (let i = 0; i < r.days; i++) if (c[i]! >= cards) return r.startDay + i;
  return null;
}

/**
 * Builds the headline summary. `official` and `officialPrefectures` may be empty; the binding
 * constraint comes from the paired runs of marginal-effects.ts.
 */
export function summarise(
  params: IssuanceParams,
  seed: number,
  results: IssuanceRunResult[],
  population: Population,
  official: OfficialPoint[],
  officialPrefectures: OfficialPrefectureSnapshot | null,
  bindingConstraint: BindingConstraint,
): RunSummary {
  const first = results[0]!;
  const start = first.startDay;
  const days = first.days;
  const cols = meanColumns(results);
  const targetDay = parseIsoDate(params.target.date);
  const targetIndex = targetDay - start;
  const inRun = targetIndex >= 0 && targetIndex < days;

  const reachedDays = results.map((r) => reachDay(r, params.target.cards));
  const reachedByDate = reachedDays.filter((d) => d !== null && d <= targetDay).length;
  const reachedAny = reachedDays.filter((d): d is number => d !== null);
  const onTarget = inRun ? results.map((r) => r.columns.cards_issued_cumulative[targetIndex]!) : [];
  const cardsOnTargetDate = inRun ? interval(onTarget, 2) : null;

  // Descriptive only: days at capacity say where queues formed, not what binds (DESIGN.md §7).
  const saturatedDaysToTarget = Object.fromEntries(
    STAGES.map((s) => [
      s,
      results.reduce((a, r) => a + r.stages[s].saturatedDaysToTarget, 0) / results.length,
    ]),
  ) as Record<Stage, number>;

  const peak = (c: Float64Array): { cards: number; date: string } => {
    let best = 0;
    let at = 0;
    for (let i = 0; i < c.length; i++) if (c[i]! > best) [best, at] = [c[i]!, i];
    return { cards: Math.round(best), date: formatIsoDate(start + at) };
  };
  const peakBacklogs = Object.fromEntries(
    BACKLOG_COLUMNS.map((c) => [c.replace("backlog_", ""), peak(cols[c])]),
  );
  const apps = peak(cols.applications_daily);
  const issued = peak(cols.cards_issued_daily);

  const national = official
    .map((o) => ({ o, i: parseIsoDate(o.date) - start }))
    .filter(({ i }) => i >= 0 && i < days)
    .map(({ o, i }) => {
      const sim = cols.cards_issued_cumulative[i]!;
      return {
        date: o.date,
        official: o.cardsIssuedCumulative,
        simulated: Math.round(sim),
        errorPercent: round(((sim - o.cardsIssuedCumulative) / o.cardsIssuedCumulative) * 100, 2),
      };
    });

  let prefectures: RunSummary["fidelity"]["prefectures"] = null;
  if (officialPrefectures) {
    const snapIndex = first.prefectureSnapshots.days.indexOf(parseIsoDate(officialPrefectures.date));
    if (snapIndex >= 0) {
      const np = population.prefectures.length;
      const simByPref = new Float64Array(np);
      for (const r of results) {
        for (let p = 0; p < np; p++)
          simByPref[p] = simByPref[p]! + r.prefectureSnapshots.issued[snapIndex * np + p]! / results.length;
      }
      prefectures = compareWithOfficial(
        population.prefectures,
        simByPref,
        prefecturePopulation(population),
        officialPrefectures,
      );
    }
  }

  const all = histogramStats(mergeHistograms(results.map((r) => r.leadTimeHistogram)));
  const toTarget = inRun
    ? histogramStats(mergeHistograms(results.map((r) => r.leadTimeHistogramToTarget)))
    : null;
  const sumLast = (c: TimeseriesColumn): number => Math.round(cols[c][days - 1]!);
  const sumAll = (c: TimeseriesColumn): number => Math.round(cols[c].reduce((a, b) => a + b, 0));
  const mean = (f: (r: IssuanceRunResult) => number): number =>
    results.reduce((a, r) => a + f(r), 0) / results.length;
  const reachedOnMean = reachedAny.length
    ? Math.round(reachedAny.reduce((a, b) => a + b, 0) / reachedAny.length)
    : null;

  return {
    formatVersion: RUN_FORMAT_VERSION,
    scenario: params.name,
    seed,
    replications: results.length,
    period: { start: params.start, end: params.end },
    target: {
      cards: params.target.cards,
      date: params.target.date,
      reached: reachedByDate === results.length,
      reachedShare: round(reachedByDate / results.length, 4),
      reachedOn: reachedOnMean === null ? null : formatIsoDate(reachedOnMean),
      reachedOnRange: reachedAny.length
        ? { earliest: formatIsoDate(Math.min(...reachedAny)), latest: formatIsoDate(Math.max(...reachedAny)) }
        : null,
      cardsOnTargetDate,
      shortfallOnTargetDate: cardsOnTargetDate
        ? Math.max(0, Math.round(params.target.cards - cardsOnTargetDate.mean))
        : null,
    },
    bindingConstraint,
    saturatedDaysToTarget,
    totals: {
      applications: sumLast("applications_cumulative"),
      cardsIssued: sumLast("cards_issued_cumulative"),
      certificateRenewals: sumAll("certificate_renewals_daily"),
      ...populationTotals(cols, days),
    },
    peakBacklogs,
    peakDailyApplications: { count: apps.cards, date: apps.date },
    peakDailyIssuance: { count: issued.cards, date: issued.date },
    leadTimeDays: { all, toTargetDate: toTarget },
    outageMinutesInBusinessHours: round(
      mean((r) => r.outageMinutesInBusinessHours),
      1,
    ),
    fidelity: {
      national,
      maxAbsErrorPercent: national.length ? Math.max(...national.map((n) => Math.abs(n.errorPercent))) : null,
      prefectures,
    },
    engine: {
      eventsProcessed: Math.round(mean((r) => r.eventsProcessed)),
      cohortOperations: Math.round(mean((r) => r.cohortOperations)),
    },
  };
}
