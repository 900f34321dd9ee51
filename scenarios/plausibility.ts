/**
 * Plausibility warnings for a valid scenario (issue 9, DESIGN.md §7): magnitudes no real rollout
 * came near — a factory, J-LIS or intake far beyond anything recorded, counters serving more than
 * 1 % of residents a day, demand at which more residents would apply within a year than there are,
 * a launch backlog larger than the population. A warning does not stop a run (a planner may mean
 * it); the CLI prints each on stderr as `file:line:column: field: …` and the manifest records it.
 * Each bound cites the figure in /work/shared/FACTS.md it is drawn from.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../engine/calendar.js";
import { Schedule, ShockProfile } from "../sim/issuance/schedule.js";
import type { ScheduleEntry } from "../sim/issuance/params.js";
import type { ScenarioInput } from "./schema.js";

/** The bounds above which a value is reported as implausible, with their sources. */
export const PLAUSIBLE = {
  /** 5 × the highest card production recorded, ≈140 k/day in Jan–Mar 2023 (FACTS §0, §4.1, §6). */
  factoryPerDay: 700_000,
  /** 5 × the card-management system's design load of 115 k/day (FACTS §4.4, §6). */
  jlisPerDay: 575_000,
  /** The record day of applications, 1.19 M on 2023-02-28 (FACTS §0, §4.1), every day. */
  intakePerDay: 1_190_000,
  /**
   * 1 % of residents a day; the national peak of ≈140 k hand-overs/day (FACTS §4.1) is ≈11 per
   * 10,000 of ≈125 M residents.
   */
  countersPerTenThousand: 100,
  /** Japan's population, ≈126–128 M on 1 January of the years FACTS §4.1 reports against. */
  population: 128_000_000,
  /** Applications a year as a share of the residents without a card: above 1, more than all of them. */
  annualApplicationHazard: 1,
} as const;

/** One warning: the field it concerns and what is implausible about it. */
export interface ScenarioWarning {
  path: (string | number)[];
  message: string;
}

const grouped = (n: number): string => Math.round(n).toLocaleString("en-US");

function scheduleAbove(
  entries: ScheduleEntry[],
  path: (string | number)[],
  bound: number,
  why: string,
): ScenarioWarning[] {
  return entries.flatMap((e, i) =>
    e.value > bound
      ? [{ path: [...path, i, "value"], message: `${grouped(e.value)} is implausibly high: ${why}` }]
      : [],
  );
}

/**
 * The application hazard over each 365-day window of the run: base propensity × shock multipliers,
 * summed over the window. The first window above 1 is reported at the shock (or the propensity
 * entry) with the largest multiplier in it.
 */
function demandWarnings(s: ScenarioInput): ScenarioWarning[] {
  const start = parseIsoDate(s.start);
  const end = parseIsoDate(s.end);
  const base = new Schedule(s.demand.baseAnnualPropensity, "demand.baseAnnualPropensity");
  const shocks = new ShockProfile(s.demand.shocks);
  const daily: number[] = [];
  for (let d = start; d <= end; d++) daily.push((base.at(d) * shocks.at(d)) / 365);
  let sum = 0;
  for (let i = 0; i < daily.length; i++) {
    sum += daily[i]! - (i >= 365 ? daily[i - 365]! : 0);
    if (sum <= PLAUSIBLE.annualApplicationHazard + 1e-9) continue;
    const from = start + Math.max(0, i - 364);
    const to = start + i;
    // Blame the shock with the largest peak active in the window, else the propensity.
    let blame: (string | number)[] = ["demand", "baseAnnualPropensity"];
    let top = 1;
    s.demand.shocks.forEach((k, j) => {
      if (parseIsoDate(k.end) < from || parseIsoDate(k.start) > to) return;
      const peak = k.multiplier * (k.rush?.peakMultiplier ?? 1) * (k.decay?.peakMultiplier ?? 1);
      if (peak > top) {
        top = peak;
        blame = ["demand", "shocks", j, "multiplier"];
      }
    });
    return [
      {
        path: blame,
        message:
          `demand is implausibly high: from ${formatIsoDate(from)} to ${formatIsoDate(to)}, propensity × shocks sum to ` +
          `${sum.toFixed(2)} applications per resident without a card (more than all of them would apply within a year)`,
      },
    ];
  }
  return [];
}

/** The counters' opening minutes a day (jlis.businessHours). */
function countersOpenMinutes(s: ScenarioInput): number {
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return minutes(s.jlis.businessHours.close) - minutes(s.jlis.businessHours.open);
}

/** Counter staffing whose hand-overs (staff × opening minutes ÷ minutes per hand-over) exceed the bound. */
function counterWarnings(s: ScenarioInput): ScenarioWarning[] {
  const perStaff = countersOpenMinutes(s) / s.counters.minutesPerHandover;
  return s.counters.staffPerHundredThousand.flatMap((e, i) => {
    const perTenThousand = (e.value / 10) * perStaff;
    if (perTenThousand <= PLAUSIBLE.countersPerTenThousand) return [];
    return [
      {
        path: ["counters", "staffPerHundredThousand", i, "value"],
        message:
          `${e.value} staff per 100,000 residents is implausibly high: it gives ${grouped(perTenThousand)} hand-overs per 10,000 residents ` +
          `per day (staff × opening minutes ÷ ${s.counters.minutesPerHandover} min), above ${PLAUSIBLE.countersPerTenThousand}, 1 % of residents a day ` +
          "(the national peak of ≈140 k/day is ≈11 per 10,000, FACTS §4.1)",
      },
    ];
  });
}

/** The warnings for a scenario that passed the schema and its rules. */
export function plausibilityWarnings(s: ScenarioInput): ScenarioWarning[] {
  const perDay = (what: string, fact: string): string => `${what} (${fact})`;
  return [
    ...scheduleAbove(
      s.intake.capacityPerDay,
      ["intake", "capacityPerDay"],
      PLAUSIBLE.intakePerDay,
      perDay(
        `above ${grouped(PLAUSIBLE.intakePerDay)} cards/day`,
        "the record day of applications was 1.19 M on 2023-02-28, FACTS §0",
      ),
    ),
    ...scheduleAbove(
      s.factory.capacityPerDay,
      ["factory", "capacityPerDay"],
      PLAUSIBLE.factoryPerDay,
      perDay(
        `above ${grouped(PLAUSIBLE.factoryPerDay)} cards/day, 5 × the most ever produced`,
        "≈140 k/day in Jan–Mar 2023, FACTS §0, §4.1",
      ),
    ),
    ...scheduleAbove(
      s.jlis.designLoadPerDay,
      ["jlis", "designLoadPerDay"],
      PLAUSIBLE.jlisPerDay,
      perDay(
        `above ${grouped(PLAUSIBLE.jlisPerDay)} cards/day, 5 × the system's design load`,
        "115 k/day, FACTS §4.4, §6",
      ),
    ),
    ...counterWarnings(s),
    ...(s.demand.initialBacklog.applications > PLAUSIBLE.population
      ? [
          {
            path: ["demand", "initialBacklog", "applications"],
            message: `${grouped(s.demand.initialBacklog.applications)} is implausibly high: more than Japan's population (≈126–128 M, FACTS §4.1)`,
          },
        ]
      : []),
    ...demandWarnings(s),
  ];
}
