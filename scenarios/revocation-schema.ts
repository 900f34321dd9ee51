/**
 * The optional `revocation:` block of a scenario (issue 11): the horizon, rate overrides, the
 * strategies' knobs, the sampled days for the real artefacts and the mass-revocation incident. zod
 * declarations producing sim/revocation/params.ts {@link RevocationBlock}; unknown keys are errors.
 * Defaults and sources: sim/revocation/params.ts; field meanings: scenarios/README.md.
 * @module
 */
import { z } from "zod";
import { isoDate, share } from "./fields.js";
import type { RevocationBlock } from "../sim/revocation/params.js";

const perYear = z.number().finite().min(0).max(50_000_000);

export const revocationBlockSchema = z
  .strictObject({
    /** Last day of the horizon; revocationDate is written as UTCTime, so before 2050. */
    through: isoDate
      .refine((s) => s < "2050-01-01", "expected a date before 2050-01-01 (CRL entries use UTCTime)")
      .optional(),
    rates: z
      .strictObject({
        intraMunicipalMovesPerYear: perYear.optional(),
        lossRatePerYear: share.optional(),
        returnRatePerYear: share.optional(),
        divorceNameChangeShare: share.optional(),
        renewalLeadDays: z.number().int().min(0).max(90).optional(),
        newCardsPerYearAfterRun: perYear.optional(),
        signShare: share.optional(),
      })
      .optional(),
    strategies: z
      .strictObject({
        partitions: z.number().int().min(1).max(4096).optional(),
        deltaBaseDays: z.number().int().min(1).max(31).optional(),
        fetchWindowMinutes: z.number().finite().min(1).max(1440).optional(),
        publicationLagMinutes: z.number().finite().min(0).max(1440).optional(),
        onlinePropagationMinutes: z.number().finite().min(0).max(1440).optional(),
        onlineRequestBytes: z.number().int().min(1).max(100_000).optional(),
        publishHour: z.number().int().min(0).max(23).optional(),
      })
      .optional(),
    sample: z
      .strictObject({
        days: z.array(isoDate).max(10, "at most 10 sampled days").optional(),
        entryRate: z
          .number()
          .finite()
          .positive("expected a share above 0")
          .max(0.05, "at most 0.05: the sample CRLs are built in memory")
          .optional(),
      })
      .optional(),
    massRevocation: z
      .strictObject({
        date: isoDate,
        cards: z.number().finite().positive().max(200_000_000),
        rekeyShare: share,
        arrivalMeanDays: z.number().finite().min(0.1).max(365),
        remoteShare: share,
        remoteCapacityPerDay: z.number().finite().min(0),
        remoteFailureRate: share,
        counterCapacityPerDay: z.number().finite().min(0),
        deadlineDays: z.number().int().min(0).max(3650),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    const m = b.massRevocation;
    if (m && m.remoteCapacityPerDay + m.counterCapacityPerDay <= 0)
      ctx.addIssue({
        code: "custom",
        path: ["massRevocation", "counterCapacityPerDay"],
        message: "remote and counter capacities are both 0: nobody could ever re-key",
      });
    if (b.through && m && m.date > b.through)
      ctx.addIssue({
        code: "custom",
        path: ["massRevocation", "date"],
        message: `must not be after through (${b.through})`,
      });
  });

/** The validated block is exactly the model's {@link RevocationBlock}. */
export type RevocationBlockInput = z.infer<typeof revocationBlockSchema>;
const _check: (b: RevocationBlockInput) => RevocationBlock = (b) => b;
void _check;
