/**
 * The schema of an issuance scenario file (YAML), as zod declarations that produce
 * {@link IssuanceParams}. Every field is required unless it has a default here; unknown keys are
 * errors. Cross-field rules (dates in order, shares summing to 1) are checked in `refineScenario`.
 * Field meanings: scenarios/README.md.
 * @module
 */
import { z } from "zod";
import { isoDate, isoDateTime, share } from "./fields.js";
import { revocationBlockSchema } from "./revocation-schema.js";
import { authBlockSchema } from "./auth-schema.js";
import { networkBlockSchema } from "./network-schema.js";
import { parseIsoDate, parseIsoDateTime } from "../engine/calendar.js";
import type { IssuanceParams, ScheduleEntry } from "../sim/issuance/params.js";
import { CAMPAIGN_KINDS, campaignProblems } from "../sim/issuance/campaigns.js";
import { blockProblems } from "../sim/issuance/calibration/blocks.js";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time of day HH:MM");
const nonNegative = z.number().finite().nonnegative();
const positive = z.number().finite().positive();

const schedule = (what: string) =>
  z.array(z.strictObject({ from: isoDate, value: nonNegative })).min(1, `${what} needs at least one entry`);

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lower-case name like plan-87m"),
  description: z.string(),
  start: isoDate,
  end: isoDate,
  target: z.strictObject({
    cards: z.number().int().positive(),
    date: isoDate,
    solveCapacity: z.boolean().optional(),
    maxLeadTimeP90Days: z.number().int().min(1).max(3650).optional(),
  }),
  compareWithOfficial: z.boolean().optional(),
  revocation: revocationBlockSchema.optional(),
  auth: authBlockSchema.optional(),
  network: networkBlockSchema.optional(),
  counterfactuals: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a lower-case name like no-2016-failure"),
        description: z.string(),
        set: z
          .record(z.string(), z.unknown())
          .refine((o) => Object.keys(o).length > 0, "expected at least one key path → value"),
        dates: z.array(isoDate).optional(),
      }),
    )
    .max(20, "at most 20 counterfactuals")
    .optional(),
  cryptoSample: z
    .strictObject({ cards: z.number().int().min(0).max(100_000), profile: z.enum(["current", "nextGen"]) })
    .optional(),
  demand: z.strictObject({
    baseAnnualPropensity: z.array(z.strictObject({ from: isoDate, value: share })).min(1),
    ageProfile: z.boolean(),
    municipalPropensity: z
      .strictObject({ fitDate: isoDate, shrinkage: z.number().finite().min(0).max(1), source: z.string() })
      .optional(),
    initialBacklog: z.strictObject({
      applications: z.number().int().nonnegative(),
      from: isoDate,
      to: isoDate,
      source: z.string(),
    }),
    channels: z
      .array(z.strictObject({ name: z.string(), share, delayDays: z.number().int().min(0).max(60) }))
      .min(1),
    shocks: z.array(
      z.strictObject({
        name: z.string(),
        start: isoDate,
        end: isoDate,
        multiplier: z.number().finite().positive(),
        rush: z
          .strictObject({
            deadline: isoDate,
            peakMultiplier: z.number().finite().min(1),
            tauDays: z.number().finite().positive(),
          })
          .optional(),
        decay: z
          .strictObject({
            peakMultiplier: z.number().finite().min(1),
            tauDays: z.number().finite().positive(),
          })
          .optional(),
        source: z.string(),
      }),
    ),
    // Campaigns through one response function per kind (sim/issuance/campaigns.ts, issue 9 item 5).
    campaigns: z
      .array(
        z.strictObject({
          name: z.string(),
          kind: z.enum(CAMPAIGN_KINDS),
          start: isoDate,
          end: isoDate.optional(),
          deadline: isoDate.optional(),
          yen: schedule("yen").optional(),
          source: z.string(),
        }),
      )
      .optional(),
    response: z
      .strictObject({
        points: z
          .strictObject({
            level: nonNegative,
            referenceYen: positive,
            yenExponent: nonNegative,
            rushAmplitude: nonNegative,
            rushTauDays: positive,
          })
          .optional(),
        handout: z.strictObject({ level: nonNegative }).optional(),
        mandate: z
          .strictObject({ level: nonNegative, rushAmplitude: nonNegative, rushTauDays: positive })
          .optional(),
        licence: z.strictObject({ level: nonNegative }).optional(),
        launch: z.strictObject({ peak: nonNegative, tauDays: positive }).optional(),
      })
      .optional(),
  }),
  // Free parameters of `myna-twin calibrate` and LHS ranges (sim/issuance/calibration/blocks.ts).
  calibrate: z
    .strictObject({
      parameters: z
        .array(
          z.strictObject({
            path: z.string(),
            min: z.number().finite(),
            max: z.number().finite(),
            start: z.number().finite().optional(),
            log: z.boolean().optional(),
            source: z.string(),
          }),
        )
        .min(1)
        .max(20, "at most 20 free parameters"),
      maxEvaluations: z.number().int().min(1).max(10_000).optional(),
      fittedUntil: isoDate.optional(),
    })
    .optional(),
  uncertainty: z
    .strictObject({
      parameters: z
        .array(
          z.strictObject({
            path: z.string(),
            min: z.number().finite(),
            max: z.number().finite(),
            label: z.enum(["fitted", "assumed"]),
            source: z.string(),
          }),
        )
        .min(1)
        .max(20, "at most 20 uncertain parameters"),
    })
    .optional(),
  intake: z.strictObject({ capacityPerDay: schedule("intake.capacityPerDay") }),
  factory: z.strictObject({ capacityPerDay: schedule("factory.capacityPerDay") }),
  shipping: z.strictObject({ days: z.number().int().min(0).max(60) }),
  notification: z.strictObject({ days: z.number().int().min(0).max(60) }),
  pickup: z.strictObject({
    delayDays: z
      .array(
        z.strictObject({ days: z.number().int().min(0).max(730), share: z.number().finite().positive() }),
      )
      .min(1),
  }),
  // Capacity blocks (issue 9 items 2 and 4): counters as staff × hours ÷ minutes per
  // hand-over, J-LIS as design load and terminals at a transaction time, costs in yen per unit.
  counters: z.strictObject({
    staffPerHundredThousand: schedule("counters.staffPerHundredThousand"),
    minutesPerHandover: z.number().finite().min(1).max(240),
    weekendFactor: share,
    minimumStaff: z.number().finite().min(0).max(1000),
    // Staff minutes of one PIN reset (sim/issuance/pin-resets.ts); absent: lockouts do not load the counters.
    minutesPerPinReset: z.number().finite().min(0).max(240).optional(),
  }),
  jlis: z.strictObject({
    designLoadPerDay: schedule("jlis.designLoadPerDay"),
    transactionSeconds: z.number().finite().min(0.1).max(600),
    terminalsPerMunicipality: schedule("jlis.terminalsPerMunicipality"),
    slowdowns: z.array(
      z.strictObject({
        start: isoDate,
        end: isoDate,
        transactionSeconds: z.number().finite().min(0.1).max(3600),
        source: z.string(),
      }),
    ),
    businessHours: z.strictObject({ open: clock, close: clock }),
    outages: z.array(z.strictObject({ start: isoDateTime, end: isoDateTime, source: z.string() })),
  }),
  costs: z
    .strictObject({
      cardProductionYenPerCard: nonNegative,
      jlisYenPerTransaction: nonNegative,
      counterStaffYenPerDay: nonNegative,
      postageYenPerCard: nonNegative,
    })
    .optional(),
  parameterLabels: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z][\w.[\]]*$/, "expected a key path like jlis.slowdowns[0].transactionSeconds"),
      z.strictObject({
        label: z.enum(["sourced", "assumed", "fitted"]),
        source: z.string().optional(),
        range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
      }),
    )
    .optional(),
  renewal: z.strictObject({
    certificateYears: z.number().int().min(1).max(10),
    certificateRenewalShare: share,
    minorCardYears: z.number().int().min(1).max(10),
    minorCardRenewalShare: share,
    cardYears: z.number().int().min(1).max(10).optional(),
    cardRenewalShare: share.optional(),
    leadDays: z.number().int().min(0).max(90).optional(),
  }),
  populationDynamics: z
    .strictObject({
      birthsPerYear: nonNegative,
      deathsPerYear: nonNegative,
      movesPerYear: nonNegative,
      moveSeasonality: z
        .array(z.number().finite().min(0).max(12))
        .length(12, "expected 12 monthly factors, January first"),
      holderMortalityRatio: z.number().finite().min(0).max(5),
      source: z.string(),
    })
    .optional(),
});

export type ScenarioInput = z.infer<typeof scenarioSchema>;

/** A cross-field rule that failed: the path of the offending field and what was expected. */
export interface ScenarioRuleError {
  path: (string | number)[];
  message: string;
}

const MAX_DAYS = 366 * 30;

/** Checks the rules one field alone cannot express. */
export function refineScenario(s: ScenarioInput): ScenarioRuleError[] {
  const errors: ScenarioRuleError[] = [];
  const start = parseIsoDate(s.start);
  const end = parseIsoDate(s.end);
  if (end < start) errors.push({ path: ["end"], message: `must not be before start (${s.start})` });
  if (end - start > MAX_DAYS) errors.push({ path: ["end"], message: "runs are limited to 30 years" });
  if (s.target.maxLeadTimeP90Days !== undefined && !s.target.solveCapacity) {
    errors.push({
      path: ["target", "maxLeadTimeP90Days"],
      message: "bounds the capacity search only: set target.solveCapacity: true as well",
    });
  }
  const b = s.demand.initialBacklog;
  if (parseIsoDate(b.to) < parseIsoDate(b.from)) {
    errors.push({ path: ["demand", "initialBacklog", "to"], message: "must not be before from" });
  }
  if (b.applications > 0 && parseIsoDate(b.to) >= start) {
    errors.push({ path: ["demand", "initialBacklog", "to"], message: "must be before start" });
  }
  errors.push(...scheduleOrder(s), ...sharesSumToOne(s.pickup.delayDays, ["pickup", "delayDays"], "pickup"));
  const shareSum = s.demand.channels.reduce((a, c) => a + c.share, 0);
  if (Math.abs(shareSum - 1) > 1e-6) {
    errors.push({ path: ["demand", "channels"], message: `channel shares must sum to 1, got ${shareSum}` });
  }
  s.demand.shocks.forEach((k, i) => {
    if (parseIsoDate(k.end) < parseIsoDate(k.start)) {
      errors.push({ path: ["demand", "shocks", i, "end"], message: "must not be before start" });
    }
    if (k.rush) {
      const d = parseIsoDate(k.rush.deadline);
      if (d < parseIsoDate(k.start) || d > parseIsoDate(k.end)) {
        errors.push({
          path: ["demand", "shocks", i, "rush", "deadline"],
          message: "must lie within start..end",
        });
      }
    }
  });
  errors.push(...campaignProblems(s.demand.campaigns ?? [], s.demand.response));
  errors.push(...blockProblems(s.calibrate, s.uncertainty));
  s.jlis.outages.forEach((o, i) => {
    if (parseIsoDateTime(o.end) <= parseIsoDateTime(o.start)) {
      errors.push({ path: ["jlis", "outages", i, "end"], message: "must be after start" });
    }
  });
  errors.push(...capacityRules(s));
  (s.counterfactuals ?? []).forEach((c, i, all) => {
    if (all.findIndex((o) => o.name === c.name) < i) {
      errors.push({ path: ["counterfactuals", i, "name"], message: `"${c.name}" is declared twice` });
    }
  });
  if (s.jlis.businessHours.close <= s.jlis.businessHours.open) {
    errors.push({ path: ["jlis", "businessHours", "close"], message: "must be after open" });
  }
  // Monthly move factors are relative to the yearly mean, so movesPerYear stays the year's total.
  const season = s.populationDynamics?.moveSeasonality ?? [];
  const seasonMean = season.reduce((a, b) => a + b, 0) / 12;
  if (season.length === 12 && Math.abs(seasonMean - 1) > 1e-3) {
    errors.push({
      path: ["populationDynamics", "moveSeasonality"],
      message: `the 12 monthly factors must average 1 (movesPerYear is the year's total), got ${Number(seasonMean.toPrecision(6))}`,
    });
  }
  return errors;
}

/** The capacity blocks' cross-field rules: slowdowns in order, labels' ranges and paths. */
function capacityRules(s: ScenarioInput): ScenarioRuleError[] {
  const errors: ScenarioRuleError[] = [];
  s.jlis.slowdowns.forEach((w, i, all) => {
    if (parseIsoDate(w.end) < parseIsoDate(w.start)) {
      errors.push({ path: ["jlis", "slowdowns", i, "end"], message: "must not be before start" });
    }
    const prev = all[i - 1];
    if (prev && parseIsoDate(w.start) <= parseIsoDate(prev.end)) {
      errors.push({
        path: ["jlis", "slowdowns", i, "start"],
        message: `slowdowns must not overlap and must be in date order: ${w.start} is not after ${prev.end} (entry [${i - 1}])`,
      });
    }
  });
  for (const [path, spec] of Object.entries(s.parameterLabels ?? {})) {
    if (spec.range && spec.range[0] > spec.range[1]) {
      errors.push({
        path: ["parameterLabels", path, "range"],
        message: "expected [low, high] with low ≤ high",
      });
    }
    if (spec.label === "sourced" && !spec.source) {
      errors.push({
        path: ["parameterLabels", path, "source"],
        message: "a sourced parameter needs its source",
      });
    }
    if (spec.label !== "sourced" && !spec.range) {
      errors.push({
        path: ["parameterLabels", path, "range"],
        message: `${spec.label === "fitted" ? "a fitted parameter needs its bounds" : "an assumed parameter needs its range"} [low, high]`,
      });
    }
  }
  return errors;
}

/**
 * Schedules (`{ from, value }` lists, wherever they are) must list their dates in increasing order:
 * the latest entry on or before a day applies, so an entry out of order is a mistake, not a choice.
 */
function scheduleOrder(s: ScenarioInput): ScenarioRuleError[] {
  const errors: ScenarioRuleError[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: s, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    const isSchedule =
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((e) => e !== null && typeof e === "object" && "from" in e && "value" in e);
    if (isSchedule) {
      const entries = v as ScheduleEntry[];
      for (let i = 1; i < entries.length; i++) {
        const prev = entries[i - 1]!.from;
        if (parseIsoDate(entries[i]!.from) <= parseIsoDate(prev)) {
          errors.push({
            path: [...path, i, "from"],
            message: `schedule dates must increase: ${entries[i]!.from} is not after ${prev} (entry [${i - 1}])`,
          });
          break;
        }
      }
      continue;
    }
    for (const [k, x] of Object.entries(v))
      stack.push({ v: x, path: [...path, Array.isArray(v) ? Number(k) : k] });
  }
  return errors.sort((a, b) => a.path.join(".").localeCompare(b.path.join(".")));
}

/** Shares of one distribution must sum to 1 (a hint when they look like percentages). */
function sharesSumToOne(
  entries: { share: number }[],
  path: (string | number)[],
  what: string,
): ScenarioRuleError[] {
  const sum = entries.reduce((a, e) => a + e.share, 0);
  if (Math.abs(sum - 1) <= 1e-6) return [];
  const hint = Math.abs(sum - 100) <= 1e-4 ? " (written as percentages? write 0.25 for 25 %)" : "";
  return [{ path, message: `${what} shares must sum to 1, got ${Number(sum.toPrecision(12))}${hint}` }];
}

/** The model's parameter type is exactly the validated scenario. */
export function toIssuanceParams(s: ScenarioInput): IssuanceParams {
  return s;
}
