/**
 * The authentication section of summary.json (issue 10 items 1–3, 7) and the files an auth run adds:
 * `auth-daily.csv` (authentications by relying-party class, PIN lockouts and the counter visits
 * they cause, per day) and `auth-hourly.csv` (the fluid model's hourly year). Written by
 * sim/auth/run-auth.ts; read by the report and the dashboard's run view, which both draw
 * {@link authLatencyChart}.
 * @module
 */
import { z } from "zod";
import { xyLineChart } from "../../engine/charts/xy-line-chart.js";
import { IsoDateSchema } from "./common.js";
import { millions } from "./format.js";

const ms = z.number().nonnegative();
const msOrNull = ms.nullable();
const count = z.number().nonnegative();
const share = z.number().min(0);

/** Files an auth run writes beside summary.json. */
export const AUTH_FILES = { daily: "auth-daily.csv", hourly: "auth-hourly.csv" } as const;

/** Columns of auth-daily.csv, after `date`. */
export const AUTH_DAILY_COLUMNS = [
  "cards_in_circulation",
  "auth_total",
  "auth_hospital",
  "auth_clinic",
  "auth_dental",
  "auth_pharmacy",
  "auth_convenience",
  "auth_portal",
  "auth_etax",
  "auth_private",
  "pin_reader_auth",
  "pin_lockouts",
  "lockout_counter_visits",
] as const;

/** Columns of auth-hourly.csv, after `hour` (ISO date and hour, JST, `YYYY-MM-DDTHH`). */
export const AUTH_HOURLY_COLUMNS = [
  "arrivals",
  "fluid_p50_ms",
  "fluid_p99_ms",
  "platform_utilisation",
  "jlis_utilisation",
] as const;

/** Service-time quantiles (ms): 21 points, 0th … 100th percentile by 5. */
const QuantilesSchema = z.array(ms).length(21);

export const AuthServiceTimesSchema = z.strictObject({
  source: z.enum(["measured", "pinned"]),
  samples: z.number().int().nonnegative(),
  crlEntries: z.number().int().nonnegative(),
  platformMs: QuantilesSchema,
  crlLookupMs: QuantilesSchema,
  jlisMs: QuantilesSchema,
});

/** One hour of a request-level day beside the fluid model's figures for it. */
export const AuthHourCompareSchema = z.strictObject({
  hour: z.number().int().min(0).max(23),
  arrivals: count,
  requestP50Ms: msOrNull,
  requestP99Ms: msOrNull,
  fluidP50Ms: ms,
  fluidP99Ms: ms,
});

/** A day run request by request. */
export const AuthDaySchema = z.strictObject({
  date: IsoDateSchema,
  cards: count,
  requests: count,
  completed: count,
  failed: count,
  retries: count,
  p50Ms: msOrNull,
  p90Ms: msOrNull,
  p99Ms: msOrNull,
  maxMs: msOrNull,
  platformUtilisation: share,
  jlisUtilisation: share,
  eventsProcessed: count,
  hours: z.array(AuthHourCompareSchema).length(24),
  /** Largest |fluid − request| / request of the hourly p99 over hours with ≥ 1,000 arrivals, %. */
  maxAbsP99ErrorPercent: z.number().nonnegative().nullable(),
});

/** Peak-hour latency at a card count (the chart "latency against cards in circulation"). */
export const AuthLatencyPointSchema = z.strictObject({
  cards: count,
  arrivalsPerS: count,
  p50Ms: msOrNull,
  p99Ms: msOrNull,
  fluidP99Ms: ms,
  failed: count,
});

export const AuthSummarySchema = z.strictObject({
  serviceTimes: AuthServiceTimesSchema,
  year: z.strictObject({
    year: z.number().int(),
    authentications: count,
    byClass: z.record(z.string(), count),
    busiestDay: z.strictObject({ date: IsoDateSchema, authentications: count }),
    peakHour: z.strictObject({ hour: z.string(), arrivalsPerS: count, fluidP99Ms: ms }),
  }),
  /**
   * Modelled volumes against the official figures they were calibrated on (FACTS §5), over the same
   * period; they differ by the run's cards in circulation against the official count.
   */
  fidelity: z
    .array(
      z.strictObject({
        what: z.string(),
        from: IsoDateSchema,
        to: IsoDateSchema,
        official: count,
        modelled: count,
        source: z.string(),
      }),
    )
    .optional(),
  peakDay: AuthDaySchema,
  validationDays: z.array(AuthDaySchema),
  latencyByCards: z.array(AuthLatencyPointSchema).min(1),
  /** The cards line the chart marks (the founding target). */
  targetCards: count,
  serversNeeded: z.strictObject({
    goalP99Ms: z.number().positive(),
    cards: count,
    platformServers: z.number().int().positive().nullable(),
    jlisServers: z.number().int().positive().nullable(),
    p99Ms: msOrNull,
    note: z.string(),
  }),
  lockouts: z.strictObject({
    probabilityPerPinAuthentication: share,
    lockouts: count,
    counterVisits: count,
    peakDailyCounterVisits: z.strictObject({ date: IsoDateSchema, count }),
    /** True when the issuance run's counters spent staff time on these visits (summary.json `pinResets`). */
    fedIntoIssuanceCounters: z.boolean(),
  }),
});
export type AuthSummary = z.infer<typeof AuthSummarySchema>;
export type AuthDay = z.infer<typeof AuthDaySchema>;
export type AuthLatencyPoint = z.infer<typeof AuthLatencyPointSchema>;

/** The chart "authentication latency against cards in circulation, with the target line". */
export function authLatencyChart(a: AuthSummary, id = "auth-latency-by-cards", width?: number): string {
  const pts = a.latencyByCards;
  return xyLineChart(
    {
      x: pts.map((p) => p.cards),
      series: [
        { name: "p99 (request level)", values: pts.map((p) => p.p99Ms) },
        { name: "p50 (request level)", values: pts.map((p) => p.p50Ms) },
        { name: "p99 (fluid model)", values: pts.map((p) => p.fluidP99Ms), dash: "5 4" },
      ],
      rules: [{ x: a.targetCards, label: `${millions(a.targetCards)} target` }],
    },
    {
      id,
      width,
      title: "Authentication latency at the peak hour against cards in circulation",
      xLabel: "cards in circulation (millions)",
      yLabel: "latency (ms)",
      xFormat: "millions",
    },
  );
}
