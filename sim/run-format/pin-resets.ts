/**
 * summary.json's `pinResets` section (issue 10 item 1): PIN lockouts (FACTS §1.5) from the cards in
 * circulation, the counter visits they cause and the staff time the resets take from the issuance
 * counters, by year, with the effect on cards and lead time measured against the paired run without
 * the visits (the automatic counterfactual {@link PIN_RESET_COUNTERFACTUAL}). Written by
 * sim/issuance/pin-reset-summary.ts when the scenario sets `counters.minutesPerPinReset`.
 * @module
 */
import { z } from "zod";
import { IsoDateSchema } from "./common.js";

/** Name of the paired run without PIN-reset visits (scenarios/counterfactuals.ts adds it). */
export const PIN_RESET_COUNTERFACTUAL = "no-pin-reset-visits";

const count = z.number().nonnegative();

export const PinResetSummarySchema = z.strictObject({
  /** Staff minutes of one reset at the counter (assumed; parameter table). */
  minutesPerReset: count,
  /** Probability that one PIN entry on a card reader ends in a lockout (sim/auth lockout rates). */
  lockoutProbabilityPerPinEntry: count,
  /** Where the lockout rates come from: the scenario's `auth.lockout` or sim/auth's defaults. */
  lockoutRatesFrom: z.enum(["scenario auth.lockout", "sim/auth defaults"]),
  /** Over the run, mean over replications. */
  lockouts: count,
  counterVisits: count,
  resets: count,
  /** Counter staff hours the resets took. */
  staffHours: count,
  byYear: z.array(
    z.strictObject({
      year: z.number().int(),
      lockouts: count,
      counterVisits: count,
      resets: count,
      staffHours: count,
    }),
  ),
  peakDailyVisits: z.strictObject({ date: IsoDateSchema, count }),
  /**
   * Against the paired run without the visits (same seed and demand draws): cards the visits cost on
   * the target date and on the run's last day (positive: fewer cards with the visits), and the lead
   * time they added over all cards handed over. Null when the paired run was not made.
   */
  effect: z
    .strictObject({
      counterfactual: z.literal(PIN_RESET_COUNTERFACTUAL),
      cardsLostOnTargetDate: z.number().nullable(),
      cardsLostAtEnd: z.number(),
      endDate: IsoDateSchema,
      leadTimeDaysAdded: z.strictObject({
        p50: z.number().nullable(),
        p90: z.number().nullable(),
        p99: z.number().nullable(),
      }),
      residentDaysAdded: z.number(),
    })
    .nullable(),
});
export type PinResetSummary = z.infer<typeof PinResetSummarySchema>;
