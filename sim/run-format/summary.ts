/**
 * summary.json — the headline answers of one issuance run (DESIGN.md §4): was the target reached,
 * when, what held the rollout back, how long residents waited, how far the run is from the official
 * series. The zod schema is the one definition; writers (sim/issuance/summary.ts), the report and the
 * dashboard use its inferred types.
 * @module
 */
import { UncertaintySummarySchema } from "./calibration.js";
import { NetworkSummarySchema } from "./network.js";
import { z } from "zod";
import { FormatVersionSchema, IntervalSchema, IsoDateSchema } from "./common.js";
import { CounterfactualEffectSchema } from "./compare.js";
import { RevocationSummarySchema } from "./revocation.js";
import { AuthSummarySchema } from "./auth.js";
import { PinResetSummarySchema } from "./pin-resets.js";

/** Stages whose capacity can bind, in pipeline order. */
export const STAGES = ["intake", "factory", "jlis", "counters"] as const;
export type Stage = (typeof STAGES)[number];

/** What held the rollout back: a stage, or the residents' demand. */
export const BindingStageSchema = z.enum([...STAGES, "demand"]);
export type BindingStage = z.infer<typeof BindingStageSchema>;

/** Lead-time percentiles and mean in days; null when no card was handed over. */
export const LeadTimesSchema = z.strictObject({
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  mean: z.number().nullable(),
});

const count = z.number().nonnegative();
const datedCount = z.strictObject({ count, date: IsoDateSchema });

/** One official date compared with the simulation. */
export const NationalFidelityRowSchema = z.strictObject({
  date: IsoDateSchema,
  official: count,
  simulated: count,
  errorPercent: z.number(),
});

/** One prefecture's share of the nation's cards and coverage, simulated and official. */
export const PrefectureRowSchema = z.strictObject({
  prefecture: z.string().min(1),
  officialShare: z.number(),
  simulatedShare: z.number(),
  officialCoverage: z.number(),
  simulatedCoverage: z.number(),
});

/** Each prefecture's share and coverage on one official date, simulated and official. */
export const PrefectureFidelitySchema = z.strictObject({
  date: IsoDateSchema,
  maxAbsShareErrorPoints: z.number(),
  maxAbsCoverageErrorPoints: z.number(),
  rows: z.array(PrefectureRowSchema),
});

/**
 * Municipal uptake fitted on official data up to `fitDate` (sim/issuance/uptake.ts): the official
 * date it used, the shrinkage, and the prefecture comparison on that date (in-sample).
 */
export const UptakeFitSchema = z.strictObject({
  fitDate: IsoDateSchema,
  observedOn: IsoDateSchema,
  shrinkage: z.number(),
  inSample: PrefectureFidelitySchema.nullable(),
});

/** A lever of the marginal-effect analysis: one stage's capacity, or demand. */
export const LeverSchema = BindingStageSchema;
export type Lever = BindingStage;

/** Saturated days per stage up to the target date (descriptive only: not what binds). */
const StageDaysSchema = z.strictObject({ intake: count, factory: count, jlis: count, counters: count });

/**
 * What one lever scaled by `multiplier` buys against the baseline, from paired runs (same seed, same
 * replication streams): the change in cards on the target date and in the date the target is reached.
 * Intervals are means over replications with a 95 % CI of the paired differences (lower = upper =
 * mean with one replication).
 */
export const LeverEffectSchema = z.strictObject({
  lever: LeverSchema,
  multiplier: z.number().positive(),
  cardsOnTargetDateDelta: IntervalSchema,
  /** Mean change over the baseline's mean cards on that date, in percent (null when that is 0). */
  cardsOnTargetDateDeltaPercent: z.number().nullable(),
  /** Mean date the target is reached with the lever (over the replications that reach it). */
  reachedOn: IsoDateSchema.nullable(),
  /** Change of the reach date in days (negative: earlier), over replications where both runs reach it. */
  reachDateDeltaDays: IntervalSchema.nullable(),
  /** Why the reach-date change is missing or partial (null when both runs reach it in every replication). */
  reachNote: z.string().nullable(),
});

/** The binding stage on cumulative cards by one date within the run (from the same paired runs). */
export const PeriodBindingSchema = z.strictObject({
  until: IsoDateSchema,
  stage: BindingStageSchema,
  effects: z.array(
    z.strictObject({
      lever: LeverSchema,
      cardsDelta: z.number(),
      cardsDeltaPercent: z.number().nullable(),
    }),
  ),
});

/**
 * What binds: the capacity lever whose +10 % moves cards on the target date the most, or `demand`
 * when none moves them by `thresholdPercent` (DESIGN.md §7: paired runs, not days at capacity).
 */
export const BindingConstraintSchema = z.strictObject({
  stage: BindingStageSchema,
  method: z.string().min(1),
  /** The date cards are compared on: the target date, or the run's last day when it ends earlier. */
  comparedOn: IsoDateSchema,
  thresholdPercent: z.number().nonnegative(),
  effects: z.array(LeverEffectSchema),
  byPeriod: z.array(PeriodBindingSchema),
  explanation: z.string(),
});

/** Capacity multipliers per stage (issue 9 item 4). */
export const StageMultipliersSchema = z.strictObject({
  intake: z.number().positive(),
  factory: z.number().positive(),
  jlis: z.number().positive(),
  counters: z.number().positive(),
});

/** Yen by stage (card production, J-LIS, counter staff, postage) and in total. */
export const StageYenSchema = z.strictObject({
  cardProduction: count,
  jlis: count,
  counterStaff: count,
  postage: count,
  total: count,
});

/** Units of work the stages did. */
export const StageWorkSchema = z.strictObject({
  cardsMade: count,
  jlisTransactions: count,
  counterStaffDays: count,
  postcards: count,
  /** Days on which a municipality's J-LIS terminals, not its staff, bounded its hand-overs. */
  terminalBoundDays: count,
});

/**
 * The cheapest capacity mix found from the uniform answer: stages that bind stay at its multiplier,
 * every other stage is cut to the capacity it used at its busiest (so the run is unchanged), and the
 * mix is checked by one more run on replication 0.
 */
export const CheapestMixSchema = z.strictObject({
  multipliers: StageMultipliersSchema,
  /** The check run with the mix met the target (and the lead-time bound when set). */
  verified: z.boolean(),
  cardsOnTargetDate: count,
  leadTimeP90Days: z.number().nonnegative().nullable(),
  /** Counter staff-days up to the target date with the mix, and the yen of the run to then. */
  counterStaffDaysToTarget: count,
  yenToTarget: StageYenSchema.nullable(),
  /** The same for the uniform multiplier, to compare. */
  uniformCounterStaffDaysToTarget: count,
  uniformYenToTarget: StageYenSchema.nullable(),
  method: z.string().min(1),
});

/** The least capacity multiplier that still reaches the target by its date (plan scenarios). */
export const CapacitySolutionSchema = z.strictObject({
  /** Multiplier on every capacity schedule (intake, factory, J-LIS, counters). */
  multiplier: z.number().positive(),
  factoryPerDayOnTargetDate: count,
  countersPerTenThousandOnTargetDate: count,
  /**
   * Which bound kept the grid point below the answer from qualifying: the target's cards, the p90
   * lead-time bound (`target.maxLeadTimeP90Days`), or both (issue 9). Absent in older runs.
   */
  boundBy: z.enum(["cards", "leadTime", "cardsAndLeadTime"]).optional(),
  /** p90 lead time (days) of the cards handed over by the target date at the answer. */
  leadTimeP90Days: z.number().nonnegative().nullable().optional(),
  /** The scenario's bound on that p90, or null when it sets none. */
  maxLeadTimeP90Days: z.number().positive().nullable().optional(),
  /** The cheapest per-stage mix that meets the same bounds; absent in older runs. */
  cheapestMix: CheapestMixSchema.nullable().optional(),
});

/** One parameter with its label (sim/issuance/parameter-labels.ts). */
export const ParameterRowSchema = z.strictObject({
  path: z.string().min(1),
  value: z.number(),
  label: z.enum(["sourced", "assumed", "fitted"]),
  source: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
});

/** Staff and money of the run (sim/issuance/costs.ts), mean over replications. */
export const RunCostsSchema = z.strictObject({
  unitCosts: z.strictObject({
    cardProductionYenPerCard: count,
    jlisYenPerTransaction: count,
    counterStaffYenPerDay: count,
    postageYenPerCard: count,
  }),
  all: z.strictObject({ work: StageWorkSchema, yen: StageYenSchema }),
  /** Up to the target date (null when it is outside the run). */
  toTargetDate: z.strictObject({ work: StageWorkSchema, yen: StageYenSchema }).nullable(),
  /**
   * "How many counter staff-days and yen would the target's cards by its date have needed under the
   * demand that came": applications by then, and the work content (staff fully busy) of the target's
   * cards and of all the applications made by then.
   */
  target: z.strictObject({
    cards: count,
    date: IsoDateSchema,
    applicationsByDate: count.nullable(),
    cardsByDate: count.nullable(),
    /** Fewer applications than the target by its date: no capacity reaches it. */
    demandShort: z.boolean().nullable(),
    targetCards: z.strictObject({ counterStaffDays: count, yen: StageYenSchema }),
    applicationsMade: z.strictObject({ counterStaffDays: count, yen: StageYenSchema }).nullable(),
  }),
});

/** The target and the answer to "was it reached?". */
export const TargetAnswerSchema = z.strictObject({
  cards: count,
  date: IsoDateSchema,
  /** Reached by the target date in every replication. */
  reached: z.boolean(),
  /** Share of replications that reached the target by its date. */
  reachedShare: z.number().min(0).max(1),
  /** First day cumulative cards ≥ target (mean over the replications that reached it in the run). */
  reachedOn: IsoDateSchema.nullable(),
  reachedOnRange: z.strictObject({ earliest: IsoDateSchema, latest: IsoDateSchema }).nullable(),
  /** Cards on the target date (null when the date is outside the run). */
  cardsOnTargetDate: IntervalSchema.nullable(),
  shortfallOnTargetDate: count.nullable(),
});

/** summary.json. */
export const RunSummarySchema = z
  .strictObject({
    formatVersion: FormatVersionSchema,
    scenario: z.string().min(1),
    seed: z.number().int().nonnegative(),
    replications: z.number().int().positive(),
    period: z.strictObject({ start: IsoDateSchema, end: IsoDateSchema }),
    target: TargetAnswerSchema,
    bindingConstraint: BindingConstraintSchema,
    /** Days each stage worked at capacity with work left over, up to the target date (descriptive). */
    saturatedDaysToTarget: StageDaysSchema,
    totals: z.strictObject({
      applications: count,
      cardsIssued: count,
      certificateRenewals: count,
      /** Cards handed over, not expired, holder alive, at the end of the run (issue 9 item 8). */
      cardsInCirculation: count.optional(),
      /** Cards that reached expiry and holders' cards that left circulation by death, over the run. */
      cardExpiries: count.optional(),
      holderDeaths: count.optional(),
    }),
    /** Peak of each backlog column of timeseries.csv, keyed by the column name without `backlog_`. */
    peakBacklogs: z.record(z.string(), z.strictObject({ cards: count, date: IsoDateSchema })),
    peakDailyApplications: datedCount,
    peakDailyIssuance: datedCount,
    leadTimeDays: z.strictObject({ all: LeadTimesSchema, toTargetDate: LeadTimesSchema.nullable() }),
    outageMinutesInBusinessHours: count,
    fidelity: z.strictObject({
      national: z.array(NationalFidelityRowSchema),
      maxAbsErrorPercent: z.number().nullable(),
      prefectures: PrefectureFidelitySchema.nullable(),
      /** Present when the scenario fits propensity by municipality; `prefectures` is then out of sample if later. */
      uptakeFit: UptakeFitSchema.nullable().optional(),
    }),
    engine: z.strictObject({ eventsProcessed: count, cohortOperations: count }),
    /** The information provision network model (sim/network), when the scenario has a `network:` block. */
    network: NetworkSummarySchema.optional(),
    /** Present when the scenario asks for the capacity search; null when no multiplier reaches it. */
    requiredCapacity: CapacitySolutionSchema.nullable().optional(),
    /** The scenario's declared counterfactuals against this run, on common random numbers (issue 9). */
    counterfactuals: z.array(CounterfactualEffectSchema).optional(),
    /** Every numeric parameter with its label: sourced, assumed or fitted (issue 9 item 2). */
    parameters: z.array(ParameterRowSchema).optional(),
    /** Counter staff-days and yen by stage, when the scenario has a `costs:` block (issue 9 item 4). */
    costs: RunCostsSchema.optional(),
    /** Which uncertainty the intervals cover: sampling noise only, or parameter ranges too (issue 9 item 6). */
    uncertainty: UncertaintySummarySchema.optional(),
    /** The revocation model (sim/revocation), when the scenario has a `revocation:` block. */
    revocation: RevocationSummarySchema.optional(),
    /** The authentication model (sim/auth), when the scenario has an `auth:` block. */
    auth: AuthSummarySchema.optional(),
    /** PIN lockouts' counter visits loading the counters, when the scenario sets `counters.minutesPerPinReset`. */
    pinResets: PinResetSummarySchema.optional(),
  })
  .superRefine((s, ctx) => {
    const t = s.target;
    if (t.reached && t.reachedOn === null)
      ctx.addIssue({
        code: "custom",
        path: ["target", "reachedOn"],
        message: "expected the date the target was reached (target.reached is true)",
      });
    if (t.reached && t.reachedOn !== null && t.reachedOn > t.date)
      ctx.addIssue({
        code: "custom",
        path: ["target", "reachedOn"],
        message: `expected a date on or before the target date ${t.date} (target.reached is true)`,
      });
    if (t.reachedOnRange && t.reachedOnRange.earliest > t.reachedOnRange.latest)
      ctx.addIssue({
        code: "custom",
        path: ["target", "reachedOnRange", "earliest"],
        message: "expected a date on or before reachedOnRange.latest",
      });
    if (s.period.start > s.period.end)
      ctx.addIssue({
        code: "custom",
        path: ["period", "end"],
        message: "expected a date on or after period.start",
      });
  });

export type Interval = z.infer<typeof IntervalSchema>;
export type LeadTimes = z.infer<typeof LeadTimesSchema>;
export type NationalFidelityRow = z.infer<typeof NationalFidelityRowSchema>;
export type PrefectureRow = z.infer<typeof PrefectureRowSchema>;
export type PrefectureFidelity = z.infer<typeof PrefectureFidelitySchema>;
export type UptakeFit = z.infer<typeof UptakeFitSchema>;
export type CapacitySolution = z.infer<typeof CapacitySolutionSchema>;
export type LeverEffect = z.infer<typeof LeverEffectSchema>;
export type PeriodBinding = z.infer<typeof PeriodBindingSchema>;
export type BindingConstraint = z.infer<typeof BindingConstraintSchema>;
export type TargetAnswer = z.infer<typeof TargetAnswerSchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
export type CheapestMix = z.infer<typeof CheapestMixSchema>;
export type ParameterRowOut = z.infer<typeof ParameterRowSchema>;
export type RunCosts = z.infer<typeof RunCostsSchema>;
