/**
 * The optional `network:` block of a scenario (issue 12 item 1): the information provision network
 * model's parameters (sim/network/params.ts). Every field defaults from `NETWORK_DEFAULTS`, labelled
 * there as sourced or assumed; unknown keys are errors.
 * @module
 */
import { z } from "zod";
import { NETWORK_DEFAULTS, type NetworkParams } from "../sim/network/params.js";

const D = NETWORK_DEFAULTS;
const tier = (t: NetworkParams["core"]) =>
  z
    .strictObject({
      servers: z.number().int().min(1).max(100_000),
      serviceMs: z.number().finite().positive().max(600_000),
    })
    .default(t);

export const networkBlockSchema = z.strictObject({
  annualExchanges: z.number().finite().positive().max(1e11).default(D.annualExchanges),
  designAnnualExchanges: z.number().finite().positive().max(1e11).default(D.designAnnualExchanges),
  annualCostYen: z.number().finite().nonnegative().max(1e14).default(D.annualCostYen),
  auditShareOfPlan: z.number().finite().positive().max(1).default(D.auditShareOfPlan),
  observedUse: z
    .array(
      z.strictObject({
        year: z.string().regex(/^FY(19|20)\d\d$/, "expected a fiscal year like FY2022"),
        scope: z.enum(["all-users", "local-government"]),
        exchanges: z.number().finite().nonnegative().max(1e11),
        source: z.string().min(1, "expected where the figure comes from"),
      }),
    )
    .max(100)
    .default(D.observedUse.map((o) => ({ ...o }))),
  monthShares: z
    .array(z.number().finite().nonnegative())
    .length(12, "expected 12 monthly shares, April to March")
    .refine((a) => Math.abs(a.reduce((s, x) => s + x, 0) - 1) < 1e-6, "expected monthly shares summing to 1")
    .default([...D.monthShares]),
  workingDaysPerMonth: z.number().finite().min(1).max(31).default(D.workingDaysPerMonth),
  peakHourShare: z.number().finite().positive().max(1).default(D.peakHourShare),
  procedureShares: z
    .record(z.string().min(1).max(64), z.number().finite().nonnegative())
    .refine(
      (r) => Object.keys(r).length > 0 && Object.values(r).some((v) => v > 0),
      "expected at least one positive share",
    )
    .default({ ...D.procedureShares }),
  networkDelayMs: z.number().finite().nonnegative().max(60_000).default(D.networkDelayMs),
  core: tier(D.core),
  intermediate: tier(D.intermediate),
  simulatedSeconds: z.number().int().min(10).max(3600).default(D.simulatedSeconds),
});

/** The validated block is exactly the model's parameters. */
export type NetworkBlock = z.infer<typeof networkBlockSchema>;
const _check: (b: NetworkBlock) => NetworkParams = (b) => b;
void _check;
