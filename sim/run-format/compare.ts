/**
 * compare.json — the differences B − A between two runs (`myna-twin compare`, issue 9 item 3), and
 * the `counterfactuals` entries of summary.json (a scenario's built-in "what if" runs, paired with
 * the baseline on common random numbers). One definition of "resident-days waited" for both.
 * Cost is not in the format yet: runs carry no cost figures, so none is compared (never invented).
 * @module
 */
import { z } from "zod";
import { BACKLOG_LABELS } from "./backlog.js";
import { FormatVersionSchema, IntervalSchema, IsoDateSchema } from "./common.js";

/**
 * What resident-days waited sums: for every simulated day, the applications not yet handed over at
 * the end of that day — the backlog columns of timeseries.csv from the post to the counter queue
 * (certificate renewals excluded) — added up over the days compared.
 */
export const RESIDENT_DAYS_COLUMNS = BACKLOG_LABELS.map(([column]) => column).filter(
  (column) => column !== "backlog_renewals",
);

export const RESIDENT_DAYS_DEFINITION =
  "sum over the days compared of the applications not yet handed over at the end of each day (timeseries.csv backlog_in_post + backlog_jlis_intake + backlog_factory + backlog_shipping + backlog_awaiting_visit + backlog_counter_queue; certificate renewals excluded)";

/** Why a date is among the compared ones. */
export const KeyDateReasonSchema = z.enum([
  "target date",
  "year-end",
  "official date",
  "declared",
  "last day",
]);

const nullableNumber = z.number().nullable();

/** Run A's value, run B's value and B − A (null where either is missing). */
export const PairSchema = z.strictObject({ a: nullableNumber, b: nullableNumber, delta: nullableNumber });

/** One side of the comparison: which run it is. */
export const ComparedRunSchema = z.strictObject({
  dir: z.string().min(1),
  runId: z.string().min(1),
  scenario: z.string().min(1),
  seed: z.number().int().nonnegative(),
  replications: z.number().int().positive(),
  period: z.strictObject({ start: IsoDateSchema, end: IsoDateSchema }),
});

/** compare.json. */
export const CompareDocumentSchema = z.strictObject({
  formatVersion: FormatVersionSchema,
  kind: z.literal("compare"),
  a: ComparedRunSchema,
  b: ComparedRunSchema,
  /** The days both runs cover; means and sums are over these. */
  overlap: z.strictObject({ start: IsoDateSchema, end: IsoDateSchema, days: z.number().int().positive() }),
  /** Cumulative cards (timeseries.csv means) on the key dates within the overlap. */
  cardsOnDates: z.array(
    z.strictObject({
      date: IsoDateSchema,
      reasons: z.array(KeyDateReasonSchema).min(1),
      a: z.number(),
      b: z.number(),
      delta: z.number(),
      deltaPercent: nullableNumber,
    }),
  ),
  /** The date A's target number of cards is reached in each run (summary.json, or timeseries.csv). */
  reach: z.strictObject({
    cards: z.number().nonnegative(),
    a: IsoDateSchema.nullable(),
    b: IsoDateSchema.nullable(),
    deltaDays: nullableNumber,
  }),
  /** Application → hand-over lead time over all cards of each run (summary.json leadTimeDays.all). */
  leadTimeDays: z.strictObject({ p50: PairSchema, p90: PairSchema, p99: PairSchema, mean: PairSchema }),
  /** Each backlog column of timeseries.csv over the overlap: its mean and its peak. */
  backlogs: z.array(
    z.strictObject({ column: z.string().min(1), label: z.string(), mean: PairSchema, peak: PairSchema }),
  ),
  residentDaysWaited: z.strictObject({
    definition: z.string().min(1),
    a: z.number(),
    b: z.number(),
    delta: z.number(),
  }),
  /** What was not compared and why (e.g. cost: the runs carry no cost figures). */
  notes: z.array(z.string()),
});

/** A declared counterfactual's effect against the baseline (counterfactual − baseline). */
export const CounterfactualEffectSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  /** The overrides that make it, key path → value, as declared in the scenario. */
  set: z.record(z.string(), z.unknown()),
  /** Mean paired difference in cards on the target date (null when that date is outside the run). */
  cardsOnTargetDateDelta: IntervalSchema.nullable(),
  cardsOnTargetDateDeltaPercent: nullableNumber,
  /** Mean date the target is reached in the counterfactual (over the replications that reach it). */
  reachedOn: IsoDateSchema.nullable(),
  /** Change of the reach date in days (negative: earlier), over replications where both reach it. */
  reachDateDeltaDays: IntervalSchema.nullable(),
  reachNote: z.string().nullable(),
  /** Cumulative cards on the key dates: baseline and counterfactual means, paired difference. */
  cardsOnDates: z.array(
    z.strictObject({
      date: IsoDateSchema,
      reasons: z.array(KeyDateReasonSchema).min(1),
      baseline: z.number(),
      counterfactual: z.number(),
      delta: IntervalSchema,
    }),
  ),
  /** Lead time over all cards handed over (replications merged): counterfactual − baseline, days. */
  leadTimeDaysDelta: z.strictObject({ p50: nullableNumber, p90: nullableNumber, p99: nullableNumber }),
  /** Resident-days waited over the whole run ({@link RESIDENT_DAYS_DEFINITION}). */
  residentDaysWaited: z.strictObject({
    baseline: z.number(),
    counterfactual: z.number(),
    delta: IntervalSchema,
  }),
});

export type KeyDateReason = z.infer<typeof KeyDateReasonSchema>;
export type Pair = z.infer<typeof PairSchema>;
export type ComparedRun = z.infer<typeof ComparedRunSchema>;
export type CompareDocument = z.infer<typeof CompareDocumentSchema>;
export type CounterfactualEffect = z.infer<typeof CounterfactualEffectSchema>;
