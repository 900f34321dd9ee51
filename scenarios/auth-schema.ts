/**
 * The optional `auth:` block of a scenario (issue 10 items 1–3, 7): the authentication model's
 * parameters (sim/auth/params.ts). Every field has a default from `AUTH_DEFAULTS`, labelled there as
 * sourced or assumed; a scenario overrides what it needs. Unknown keys are errors. Field meanings:
 * scenarios/README.md § Authentication.
 * @module
 */
import { z } from "zod";
import { isoDate, share } from "./fields.js";
import { AUTH_DEFAULTS, type AuthParams } from "../sim/auth/params.js";

const ms = z.number().finite().nonnegative();
const D = AUTH_DEFAULTS;

const delay = (d: { meanMs: number; sdMs: number }) =>
  z.strictObject({ meanMs: ms.max(60_000), sdMs: ms.max(60_000) }).default(d);
const pool = (p: AuthParams["network"]["platform"]) =>
  z
    .strictObject({
      servers: z.number().int().min(1).max(4096),
      timeoutMs: z.number().finite().positive().max(600_000),
      maxRetries: z.number().int().min(0).max(10),
      backoffMs: ms.max(600_000),
    })
    .default(p);
const quantiles = z
  .array(ms)
  .length(21, "expected 21 quantiles in ms (0th, 5th … 100th percentile)")
  .refine((a) => a.every((v, i) => i === 0 || v >= a[i - 1]!), "expected quantiles in non-decreasing order");

export const authBlockSchema = z.strictObject({
  cardsSweep: z
    .array(z.number().int().positive().max(1_000_000_000))
    .min(1)
    .max(40, "at most 40 card counts")
    .default(D.cardsSweep),
  p99GoalMs: z.number().finite().positive().max(600_000).default(D.p99GoalMs),
  peakYear: z.number().int().min(2000).max(2100).optional(),
  validationDays: z.array(isoDate).max(10, "at most 10 validation days").optional(),
  network: z
    .strictObject({
      rpToPlatform: delay(D.network.rpToPlatform),
      platformToJlis: delay(D.network.platformToJlis),
      platform: pool(D.network.platform),
      jlis: pool(D.network.jlis),
      onlineShare: share.default(D.network.onlineShare),
    })
    .default(D.network),
  lockout: z
    .strictObject({
      firstErrorRate: share.default(D.lockout.firstErrorRate),
      repeatErrorRate: share.default(D.lockout.repeatErrorRate),
      counterVisitShare: share.default(D.lockout.counterVisitShare),
      meanDaysToVisit: z.number().finite().min(1).max(365).default(D.lockout.meanDaysToVisit),
    })
    .default(D.lockout),
  privatePerBusinessPerDay: z.number().finite().nonnegative().max(1e7).default(D.privatePerBusinessPerDay),
  eTaxCardShareAtFullCoverage: share.default(D.eTaxCardShareAtFullCoverage),
  serviceTimes: z
    .strictObject({ platformMs: quantiles, crlLookupMs: quantiles, jlisMs: quantiles })
    .optional(),
  measureSamples: z.number().int().min(20).max(100_000).optional(),
});

/** The validated block is exactly the model's parameters. */
export type AuthBlock = z.infer<typeof authBlockSchema>;
const _check: (b: AuthBlock) => AuthParams = (b) => b;
void _check;
