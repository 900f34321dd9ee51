/**
 * The levers a planner can pull on an issuance scenario, one scaling function each: the capacity of
 * J-LIS intake, of the card factory, of the J-LIS hand-over system and of the municipal counters, and
 * demand (the residents' application hazard) as a lever of its own. The marginal-effect analysis
 * (marginal-effects.ts) and the capacity search (capacity-search.ts) both scale parameters through
 * these functions only, so "+10 % counters" means the same thing everywhere (DESIGN.md §7: causes
 * come from paired runs that change one mechanism).
 * @module
 */
import type { IssuanceParams, ScheduleEntry } from "./params.js";

/** Stages whose capacity can be scaled, in pipeline order (the order effects are reported in). */
export const CAPACITY_LEVERS = ["intake", "factory", "jlis", "counters"] as const;
export type CapacityLever = (typeof CAPACITY_LEVERS)[number];

/** Every lever: the four capacities and demand. */
export const LEVERS = [...CAPACITY_LEVERS, "demand"] as const;
export type Lever = (typeof LEVERS)[number];

const scaleSchedule = (s: ScheduleEntry[], k: number): ScheduleEntry[] =>
  s.map((e) => ({ from: e.from, value: e.value * k }));

/** J-LIS application intake: every `intake.capacityPerDay` entry × k. */
export function scaleIntake(p: IssuanceParams, k: number): IssuanceParams {
  return { ...p, intake: { capacityPerDay: scaleSchedule(p.intake.capacityPerDay, k) } };
}

/** Card factory: every `factory.capacityPerDay` entry × k. */
export function scaleFactory(p: IssuanceParams, k: number): IssuanceParams {
  return { ...p, factory: { capacityPerDay: scaleSchedule(p.factory.capacityPerDay, k) } };
}

/**
 * J-LIS hand-over system: every `jlis.designLoadPerDay` and `jlis.terminalsPerMunicipality` entry × k
 * (transaction times, slowdowns and outages unchanged).
 */
export function scaleJlis(p: IssuanceParams, k: number): IssuanceParams {
  return {
    ...p,
    jlis: {
      ...p.jlis,
      designLoadPerDay: scaleSchedule(p.jlis.designLoadPerDay, k),
      terminalsPerMunicipality: scaleSchedule(p.jlis.terminalsPerMunicipality, k),
    },
  };
}

/**
 * Municipal counters: every `counters.staffPerHundredThousand` entry × k. Minutes per hand-over and
 * the weekend factor stay; so does the minimum staff of the smallest municipality.
 */
export function scaleCounters(p: IssuanceParams, k: number): IssuanceParams {
  return {
    ...p,
    counters: {
      ...p.counters,
      staffPerHundredThousand: scaleSchedule(p.counters.staffPerHundredThousand, k),
    },
  };
}

/**
 * Demand: every `demand.baseAnnualPropensity` entry × k, so the daily application hazard (base ×
 * shocks) is k times as high. The initial backlog (applications already made) is unchanged.
 */
export function scaleDemand(p: IssuanceParams, k: number): IssuanceParams {
  return {
    ...p,
    demand: { ...p.demand, baseAnnualPropensity: scaleSchedule(p.demand.baseAnnualPropensity, k) },
  };
}

const SCALERS: Record<Lever, (p: IssuanceParams, k: number) => IssuanceParams> = {
  intake: scaleIntake,
  factory: scaleFactory,
  jlis: scaleJlis,
  counters: scaleCounters,
  demand: scaleDemand,
};

/** Short names of the levers for one-line explanations. */
export const LEVER_LABELS: Record<Lever, string> = {
  intake: "J-LIS intake",
  factory: "factory",
  jlis: "J-LIS hand-over",
  counters: "counters",
  demand: "demand",
};

/** `params` with one lever scaled by k. */
export function scaleLever(p: IssuanceParams, lever: Lever, k: number): IssuanceParams {
  return SCALERS[lever](p, k);
}

/** Every capacity schedule (intake, factory, J-LIS, counters) × k — the capacity search's lever. */
export function scaleCapacities(p: IssuanceParams, k: number): IssuanceParams {
  return CAPACITY_LEVERS.reduce((q, lever) => SCALERS[lever](q, k), p);
}
