/**
 * Checks a parsed `summary.json` and returns the typed {@link RunSummary} the views draw. Fields the
 * dashboard does not use are ignored; a missing or mistyped field it needs throws a
 * {@link RunDataError} naming it.
 * @module
 */

import { Checker } from "./_check.js";
import type { LeadTimes, NationalFidelityRow, PrefectureRow, RunSummary } from "./run-types.js";

const FILE = "summary.json";

function leadTimes(c: Checker, v: unknown, where: string): LeadTimes {
  const o = c.object(v, where);
  // percentiles are NaN (written as null) when no card was handed over
  const n = (k: string) => c.numberOrNull(o[k], `${where}.${k}`) ?? Number.NaN;
  return { p50: n("p50"), p90: n("p90"), p99: n("p99"), mean: n("mean") };
}

/**
 * @param json the parsed file
 * @returns the typed summary
 * @throws {RunDataError} naming the first field that is missing or has the wrong type
 */
export function validateSummary(json: unknown): RunSummary {
  const c = new Checker(FILE);
  const s = c.object(json, "the document");
  const period = c.object(s.period, "period");
  const target = c.object(s.target, "target");
  const cot = target.cardsOnTargetDate;
  let cardsOnTargetDate: RunSummary["target"]["cardsOnTargetDate"] = null;
  if (cot !== null && cot !== undefined) {
    const o = c.object(cot, "target.cardsOnTargetDate");
    cardsOnTargetDate = {
      mean: c.number(o.mean, "target.cardsOnTargetDate.mean"),
      lower: c.numberOrNull(o.lower, "target.cardsOnTargetDate.lower") ?? Number.NaN,
      upper: c.numberOrNull(o.upper, "target.cardsOnTargetDate.upper") ?? Number.NaN,
    };
  }
  const bc = c.object(s.bindingConstraint, "bindingConstraint");
  const lt = c.object(s.leadTimeDays, "leadTimeDays");
  const fid = c.object(s.fidelity, "fidelity");
  const national: NationalFidelityRow[] = c.array(fid.national, "fidelity.national").map((r, i) => {
    const w = `fidelity.national[${i}]`;
    const o = c.object(r, w);
    return {
      date: c.day(o.date, `${w}.date`),
      official: c.number(o.official, `${w}.official`),
      simulated: c.number(o.simulated, `${w}.simulated`),
      errorPercent: c.number(o.errorPercent, `${w}.errorPercent`),
    };
  });
  let prefectures: RunSummary["fidelity"]["prefectures"] = null;
  if (fid.prefectures !== null && fid.prefectures !== undefined) {
    const p = c.object(fid.prefectures, "fidelity.prefectures");
    const rows: PrefectureRow[] = c.array(p.rows, "fidelity.prefectures.rows").map((r, i) => {
      const w = `fidelity.prefectures.rows[${i}]`;
      const o = c.object(r, w);
      return {
        prefecture: c.string(o.prefecture, `${w}.prefecture`),
        officialShare: c.number(o.officialShare, `${w}.officialShare`),
        simulatedShare: c.number(o.simulatedShare, `${w}.simulatedShare`),
        officialCoverage: c.number(o.officialCoverage, `${w}.officialCoverage`),
        simulatedCoverage: c.number(o.simulatedCoverage, `${w}.simulatedCoverage`),
      };
    });
    prefectures = {
      date: c.day(p.date, "fidelity.prefectures.date"),
      maxAbsShareErrorPoints: c.number(p.maxAbsShareErrorPoints, "fidelity.prefectures.maxAbsShareErrorPoints"),
      maxAbsCoverageErrorPoints: c.number(
        p.maxAbsCoverageErrorPoints,
        "fidelity.prefectures.maxAbsCoverageErrorPoints",
      ),
      rows,
    };
  }
  const peakBacklogs: RunSummary["peakBacklogs"] = {};
  if (s.peakBacklogs !== undefined) {
    for (const [k, v] of Object.entries(c.object(s.peakBacklogs, "peakBacklogs"))) {
      const o = c.object(v, `peakBacklogs.${k}`);
      peakBacklogs[k] = {
        cards: c.number(o.cards, `peakBacklogs.${k}.cards`),
        date: c.day(o.date, `peakBacklogs.${k}.date`),
      };
    }
  }
  return {
    scenario: c.string(s.scenario, "scenario"),
    seed: c.number(s.seed, "seed"),
    replications: c.number(s.replications, "replications"),
    period: { start: c.day(period.start, "period.start"), end: c.day(period.end, "period.end") },
    target: {
      cards: c.number(target.cards, "target.cards"),
      date: c.day(target.date, "target.date"),
      reached: c.boolean(target.reached, "target.reached"),
      reachedShare: c.numberOrNull(target.reachedShare, "target.reachedShare") ?? (target.reached ? 1 : 0),
      reachedOn: c.dayOrNull(target.reachedOn, "target.reachedOn"),
      cardsOnTargetDate,
      shortfallOnTargetDate: c.numberOrNull(target.shortfallOnTargetDate, "target.shortfallOnTargetDate"),
    },
    bindingConstraint: {
      stage: c.string(bc.stage, "bindingConstraint.stage"),
      explanation: c.stringOrNull(bc.explanation, "bindingConstraint.explanation") ?? "",
    },
    leadTimeDays: {
      all: leadTimes(c, lt.all, "leadTimeDays.all"),
      toTargetDate:
        lt.toTargetDate === null || lt.toTargetDate === undefined
          ? null
          : leadTimes(c, lt.toTargetDate, "leadTimeDays.toTargetDate"),
    },
    peakBacklogs,
    fidelity: {
      national,
      maxAbsErrorPercent: c.numberOrNull(fid.maxAbsErrorPercent, "fidelity.maxAbsErrorPercent"),
      prefectures,
    },
  };
}
