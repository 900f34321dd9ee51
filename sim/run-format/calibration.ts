/**
 * calibration.json — what `myna-twin calibrate` fitted and how well (issue 9 item 5): each free
 * parameter with its value, bounds and start (and whether the fit window could see it), the fit
 * window, the optimiser's work, the error at every official point on or before the fit date (in
 * sample) and after it (out of sample), prefecture coverage on the validation date, and the flows of
 * FACTS §4.1. PASS/FAIL is given for out-of-sample points only (±10 %): an in-sample error says how
 * well the fit went, not whether the model predicts.
 * @module
 */
import { z } from "zod";
import { FormatVersionSchema, IsoDateSchema } from "./common.js";

/** The tolerance of the out-of-sample check (issue 9 targets: ±10 %, goal ±5 %). */
export const OUT_OF_SAMPLE_TOLERANCE = 0.1;

export const CalibratedParameterSchema = z.strictObject({
  path: z.string().min(1),
  value: z.number(),
  min: z.number(),
  max: z.number(),
  start: z.number(),
  log: z.boolean(),
  /** False when no in-sample point moved with it: it stayed at its start (a prior, not a fit). */
  fitted: z.boolean(),
  source: z.string(),
});

export const PointErrorSchema = z.strictObject({
  date: IsoDateSchema,
  series: z.enum(["cards_issued_cumulative", "applications_cumulative"]),
  official: z.number(),
  simulated: z.number(),
  /** (simulated − official) / official. */
  relativeError: z.number(),
  source: z.string(),
});

export const OutOfSamplePointSchema = PointErrorSchema.extend({
  /** |relativeError| ≤ 10 %. */
  verdict: z.enum(["PASS", "FAIL"]),
});

export const PrefectureCoverageSchema = z.strictObject({
  date: IsoDateSchema,
  /** Whether the date is after the fit date (the per-municipality fit never read it). */
  outOfSample: z.boolean(),
  maxAbsErrorPoints: z.number(),
  rows: z.array(
    z.strictObject({
      prefecture: z.string(),
      officialPercent: z.number(),
      simulatedPercent: z.number(),
      errorPoints: z.number(),
    }),
  ),
});

export const FlowCheckSchema = z.strictObject({
  name: z.string(),
  official: z.number(),
  simulated: z.number(),
  relativeError: z.number(),
  /** Whether every day of the flow is after the fit date. */
  outOfSample: z.boolean(),
  unit: z.string(),
  source: z.string(),
});

export const CalibrationDocumentSchema = z.strictObject({
  formatVersion: FormatVersionSchema,
  scenario: z.string(),
  scenarioFile: z.string(),
  fitUntil: IsoDateSchema,
  seed: z.number().int().nonnegative(),
  /** The model runs the optimiser made (the final full run not counted). */
  evaluations: z.number().int().nonnegative(),
  iterations: z.number().int().nonnegative(),
  /** How the optimiser's runs were made (the coarse world and the expected-value draws). */
  surrogate: z.string(),
  /** Mean squared log error over the in-sample points at the optimum, in the optimiser's runs. */
  objective: z.number(),
  /** The same in the full model (1,741 municipalities, binomial draws): the surrogate's bias shows here. */
  objectiveFullModel: z.number(),
  parameters: z.array(CalibratedParameterSchema),
  inSample: z.array(PointErrorSchema),
  outOfSample: z.array(OutOfSamplePointSchema),
  /** Largest |relative error| in and out of sample (null when there is no point). */
  maxAbsErrorInSample: z.number().nullable(),
  maxAbsErrorOutOfSample: z.number().nullable(),
  prefectures: PrefectureCoverageSchema.nullable(),
  flows: z.array(FlowCheckSchema),
});

export type CalibrationDocument = z.infer<typeof CalibrationDocumentSchema>;
export type PointError = z.infer<typeof PointErrorSchema>;
export type FlowCheck = z.infer<typeof FlowCheckSchema>;

/** summary.json's `uncertainty`: which uncertainty the run's intervals cover (issue 9 item 6). */
export const UncertaintySummarySchema = z.strictObject({
  covers: z.enum(["sampling noise only", "sampling noise and parameter ranges"]),
  /** The parameters sampled by Latin hypercube, with their ranges (empty: sampling noise only). */
  parameters: z.array(
    z.strictObject({
      path: z.string(),
      min: z.number(),
      max: z.number(),
      label: z.enum(["fitted", "assumed"]),
    }),
  ),
  note: z.string(),
});
export type UncertaintySummary = z.infer<typeof UncertaintySummarySchema>;
