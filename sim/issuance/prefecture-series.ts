/**
 * The per-prefecture daily series of a run (prefectures.csv, sim/run-format/prefectures-csv.ts):
 * cumulative applications and cards issued per prefecture per day, means over replications summed
 * in replication order (deterministic whatever the thread count), with each prefecture's residents;
 * and the comparison of prefecture shares and coverage with an official snapshot (summary.json's
 * `fidelity.prefectures` and `fidelity.uptakeFit.inSample`).
 * @module
 */
import { epochDayOf } from "../../engine/calendar.js";
import type { IssuanceRunResult } from "./model.js";
import type { OfficialPrefectureSnapshot } from "./summary.js";
import type { Population } from "./population.js";
import type { PrefectureSeries } from "../run-format/prefectures-csv.js";
import type { PrefectureFidelity } from "../run-format/summary.js";
import { round } from "./rounding.js";

/** Residents per prefecture (the model's population), in `population.prefectures` order. */
export function prefecturePopulation(population: Population): Float64Array {
  const out = new Float64Array(population.prefectures.length);
  population.municipalities.forEach((m, i) => {
    const p = population.prefectureOf[i]!;
    out[p] = out[p]! + m.population;
  });
  return out;
}

/** The replication means of the daily per-prefecture columns. */
export function prefectureSeries(results: IssuanceRunResult[], population: Population): PrefectureSeries {
  const first = results[0]!;
  const n = first.prefectureDaily.applications.length;
  const applications = new Float64Array(n);
  const issued = new Float64Array(n);
  for (const r of results) {
    const a = r.prefectureDaily.applications;
    const c = r.prefectureDaily.issued;
    for (let i = 0; i < n; i++) {
      applications[i] = applications[i]! + a[i]!;
      issued[i] = issued[i]! + c[i]!;
    }
  }
  if (results.length > 1) {
    for (let i = 0; i < n; i++) {
      applications[i] = applications[i]! / results.length;
      issued[i] = issued[i]! / results.length;
    }
  }
  return {
    startDay: first.startDay,
    days: first.days,
    prefectures: population.prefectures,
    population: prefecturePopulation(population),
    applications,
    issued,
  };
}

/**
 * Each prefecture's share of the nation's cards and coverage on the official snapshot's date,
 * simulated (from the series) and official; null when the date is outside the run.
 */
export function prefectureFidelity(
  series: PrefectureSeries,
  official: OfficialPrefectureSnapshot,
): PrefectureFidelity | null {
  const i = epochDayOf(official.date) - series.startDay;
  if (i < 0 || i >= series.days) return null;
  const np = series.prefectures.length;
  const sim = Array.from({ length: np }, (_, p) => series.issued[i * np + p]!);
  return compareWithOfficial(series.prefectures, sim, series.population, official);
}

/**
 * Each prefecture's share of the nation's cards and coverage, simulated against official, and the
 * largest differences (shares to 3 decimals, coverage to 2).
 * @param prefectures the prefectures' names, in the order of `simulated` and `population`
 * @param simulated cumulative cards per prefecture on `official.date`
 * @param population residents per prefecture
 */
export function compareWithOfficial(
  prefectures: readonly string[],
  simulated: ArrayLike<number>,
  population: ArrayLike<number>,
  official: OfficialPrefectureSnapshot,
): PrefectureFidelity {
  let simTotal = 0;
  for (let p = 0; p < simulated.length; p++) simTotal += simulated[p]!;
  const offTotal = [...official.byPrefecture.values()].reduce((a, b) => a + b.cards, 0);
  const rows = prefectures.map((name, p) => {
    const off = official.byPrefecture.get(name) ?? { population: Number.NaN, cards: Number.NaN };
    return {
      prefecture: name,
      officialShare: round((off.cards / offTotal) * 100, 3),
      simulatedShare: round((simulated[p]! / simTotal) * 100, 3),
      officialCoverage: round((off.cards / off.population) * 100, 2),
      simulatedCoverage: round((simulated[p]! / population[p]!) * 100, 2),
    };
  });
  return {
    date: official.date,
    maxAbsShareErrorPoints: round(
      Math.max(...rows.map((r) => Math.abs(r.simulatedShare - r.officialShare))),
      3,
    ),
    maxAbsCoverageErrorPoints: round(
      Math.max(...rows.map((r) => Math.abs(r.simulatedCoverage - r.officialCoverage))),
      2,
    ),
    rows,
  };
}
