/**
 * sweep.json — one row per grid point of `myna-twin sweep` (DESIGN.md §4), with the scenario's
 * target, so a reader judges every point against the target the sweep ran with (never a default).
 * @module
 */
import { z } from "zod";
import { FormatVersionSchema, IsoDateSchema } from "./common.js";
import { VaryAxisSchema } from "./manifest.js";
import { BindingStageSchema } from "./summary.js";

/** The scenario's target as the sweep ran it. */
export const SweepTargetSchema = z.strictObject({
  cards: z.number().nonnegative(),
  date: IsoDateSchema,
  solveCapacity: z.boolean().optional(),
  maxLeadTimeP90Days: z.number().positive().optional(),
});

/** One grid point. */
export const SweepRowSchema = z.strictObject({
  /** Varied key → value, as written on the command line. */
  point: z.record(z.string(), z.string()),
  reachedByTargetDate: z.boolean(),
  reachedOn: IsoDateSchema.nullable(),
  cardsOnTargetDate: z.number().nonnegative().nullable(),
  bindingConstraint: BindingStageSchema,
  leadTimeP50: z.number().nullable(),
  leadTimeP90: z.number().nullable(),
  leadTimeP99: z.number().nullable(),
  maxAbsErrorPercent: z.number().nullable(),
});

/** sweep.json. */
export const SweepDocumentSchema = z
  .strictObject({
    formatVersion: FormatVersionSchema,
    scenario: z.string().min(1),
    target: SweepTargetSchema,
    seed: z.number().int().nonnegative(),
    replications: z.number().int().positive(),
    vary: z.array(VaryAxisSchema).min(1),
    rows: z.array(SweepRowSchema),
  })
  .superRefine((s, ctx) => {
    s.rows.forEach((r, i) => {
      for (const v of s.vary)
        if (r.point[v.key] === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["rows", i, "point", v.key],
            message: `expected a value of the varied key ${v.key}`,
          });
    });
  });

export type SweepTarget = z.infer<typeof SweepTargetSchema>;
export type SweepRow = z.infer<typeof SweepRowSchema>;
export type SweepDocument = z.infer<typeof SweepDocumentSchema>;
