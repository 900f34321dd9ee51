/**
 * The revocation section of summary.json and the run's `revocation.csv` (issue 11; DESIGN §4: one
 * schema module for every file a run writes). Written by sim/revocation/run.ts when the scenario has
 * a `revocation:` block; read by the report section and the dashboard's revocation view.
 * @module
 */
import { z } from "zod";
import { timeSeriesChart } from "../../engine/charts/index.js";
import { IsoDateSchema } from "./common.js";
import { fixed, int } from "./format.js";

const count = z.number().nonnegative();

/** The strategies' ids, in table order ((e) present when the filter is built). */
export const REVOCATION_STRATEGY_IDS = [
  "a-full",
  "b-delta-hourly",
  "b-delta-daily",
  "c-partitions",
  "d-online",
  "e-filter",
] as const;

export const StalenessSchema = z.strictObject({ p50: count, p90: count, p99: count, max: count });

/** One row of the comparison table: a strategy for a relying-party class. */
export const StrategyRowSchema = z.strictObject({
  strategy: z.enum(REVOCATION_STRATEGY_IDS),
  label: z.string(),
  relyingParty: z.string(),
  verifiers: count,
  bytesPerVerifierPerDay: count,
  requestsPerVerifierPerDay: count,
  /** Revoked-to-known delay, hours. */
  stalenessHours: StalenessSchema,
  lookup: z.string(),
  peakRequestsPerSecond: count,
  peakBytesPerSecond: count,
  whenDown: z.string(),
  privacy: z.string(),
});

/** One CA (certificate type × root generation) over the horizon. */
export const CaSummarySchema = z.strictObject({
  type: z.enum(["auth", "sign"]),
  generation: z.number().int().positive(),
  peakEntries: count,
  peakDate: IsoDateSchema,
  peakFullCrlBytes: count,
  entriesAtEnd: count,
});

/** A real artefact built on a sampled day and its size against the size model. */
export const BuiltArtefactSchema = z.strictObject({
  date: IsoDateSchema,
  type: z.enum(["auth", "sign"]),
  generation: z.number().int().positive(),
  kind: z.enum(["full", "delta", "partition", "status", "filter", "filterDelta"]),
  entries: count,
  bytes: count,
  /** crlBytes() for the same entry count (must equal `bytes` for CRLs); the sizer's estimate for filters. */
  modelBytes: count,
});

export const MassRevocationSummarySchema = z.strictObject({
  date: IsoDateSchema,
  cards: count,
  suspendedCertificates: count,
  crlEntriesBefore: count,
  crlEntriesAfter: count,
  filterBytesBefore: count.nullable(),
  filterBytesAfter: count.nullable(),
  peakQueueRemote: count,
  peakQueueCounter: count,
  revokedAtDeadline: count,
  daysTo95Percent: z.number().int().nonnegative().nullable(),
  authFailuresTotal: count,
  authFailuresPeak: z.strictObject({ date: IsoDateSchema, count }),
  /** Failed authentications by sim/auth relying-party class (hospital … private), over the horizon. */
  authFailuresByClass: z.record(z.string(), count).optional(),
});

/** Bytes per verifier per day of each strategy over the horizon, weekly, for one relying-party class. */
export const RevocationChartSchema = z.strictObject({
  relyingParty: z.string(),
  dates: z.array(IsoDateSchema),
  series: z.array(
    z.strictObject({ strategy: z.enum(REVOCATION_STRATEGY_IDS), label: z.string(), bytes: z.array(count) }),
  ),
});

/** Revoked-and-unexpired entries of each CA over the horizon, weekly. */
export const CrlGrowthSchema = z.strictObject({
  dates: z.array(IsoDateSchema),
  series: z.array(
    z.strictObject({
      type: z.enum(["auth", "sign"]),
      generation: z.number().int().positive(),
      entries: z.array(count),
    }),
  ),
});

export const RevocationSummarySchema = z.strictObject({
  period: z.strictObject({ start: IsoDateSchema, runEnd: IsoDateSchema, end: IsoDateSchema }),
  /** Revocations per calendar year by certificate type and reason. */
  byYear: z.array(
    z.strictObject({
      year: z.number().int(),
      type: z.enum(["auth", "sign"]),
      issued: count,
      expired: count,
      revoked: z.record(z.string(), count),
    }),
  ),
  peakDailyRevocations: z.strictObject({ date: IsoDateSchema, count }),
  cas: z.array(CaSummarySchema),
  /** Bytes per CRL entry (serial, revocationDate, reasonCode). */
  bytesPerEntry: count,
  sample: z.strictObject({
    entryRate: z.number().positive().max(1),
    artefacts: z.array(BuiltArtefactSchema),
  }),
  /** The comparison on the day the CRLs are largest. */
  comparison: z.strictObject({ date: IsoDateSchema, rows: z.array(StrategyRowSchema) }),
  massRevocation: MassRevocationSummarySchema.nullable(),
  chart: RevocationChartSchema,
  crlGrowth: CrlGrowthSchema,
  /** The flow against published figures (null reference: outside the horizon). */
  checks: z.array(
    z.strictObject({ what: z.string(), model: count.nullable(), reference: count, source: z.string() }),
  ),
});
export type RevocationSummary = z.infer<typeof RevocationSummarySchema>;

/** revocation.csv: one row per day of the horizon. */
export const REVOCATION_CSV_FIXED = [
  "date",
  "auth_issued",
  "sign_issued",
  "auth_valid",
  "sign_valid",
  "auth_crl_entries",
  "sign_crl_entries",
  "auth_full_crl_bytes",
  "sign_full_crl_bytes",
] as const;

/** The file names a revocation run adds. */
export const REVOCATION_FILES = { daily: "revocation.csv", massRevocation: "mass-revocation.csv" } as const;

/** mass-revocation.csv columns: the failure counts per day the authentication model consumes. */
export const MASS_REVOCATION_CSV_COLUMNS = [
  "date",
  "requests_remote",
  "requests_counter",
  "rekeyed_remote",
  "rekeyed_counter",
  "remote_failures",
  "queue_remote",
  "queue_counter",
  "suspended_cards",
  "auth_failures",
  // by sim/auth relying-party class (sim/auth/load-model.ts AUTH_CLASSES)
  "auth_failures_hospital",
  "auth_failures_clinic",
  "auth_failures_dental",
  "auth_failures_pharmacy",
  "auth_failures_convenience",
  "auth_failures_portal",
  "auth_failures_etax",
  "auth_failures_private",
] as const;

/** Bytes in B / kB / MB / GB (decimal units). */
export function formatBytes(v: number): string {
  if (v < 1e3) return `${int(v)} B`;
  if (v < 1e6) return `${fixed(v / 1e3, 1)} kB`;
  if (v < 1e9) return `${fixed(v / 1e6, 1)} MB`;
  return `${fixed(v / 1e9, 2)} GB`;
}

/**
 * The revocation chart of report.html and the dashboard: bytes each verifier of one class downloads
 * per day under each strategy, on a log scale (log10 of bytes; the axis is labelled in bytes).
 */
export function revocationStrategyChart(s: RevocationSummary, id: string, width: number): string {
  const c = s.chart;
  const log = (v: number) => (v > 0 ? Math.log10(v) : null);
  return timeSeriesChart(
    { dates: c.dates, series: c.series.map((x) => ({ name: x.label, values: x.bytes.map(log) })) },
    {
      id,
      title: `Bytes per verifier per day by strategy: ${c.relyingParty} (weekly, log scale)`,
      yLabel: "bytes per verifier per day",
      yFormat: (v: number) => formatBytes(10 ** v),
      tooltipFormat: (v: number) => formatBytes(10 ** v),
      yTicks: [3, 4, 5, 6, 7, 8, 9, 10],
      yDomain: [2.5, 10.5],
      height: 400,
      width,
    },
  );
}

/** CRL entries of each CA (certificate type × J-LIS root generation) over the horizon. */
export function crlGrowthChart(s: RevocationSummary, id: string, width: number): string {
  const g = s.crlGrowth;
  return timeSeriesChart(
    {
      dates: g.dates,
      series: g.series.map((x) => ({
        name: `${x.type === "auth" ? "authentication" : "signature"} CA gen ${x.generation}`,
        values: x.entries,
        ...(x.type === "auth" ? { dash: "6 3" } : {}),
      })),
    },
    {
      id,
      title: `CRL entries (revoked, unexpired) per CA, ${s.period.start} … ${s.period.end} (weekly)`,
      yLabel: "entries (millions)",
      yFormat: "millions",
      tooltipFormat: "integer",
      vRules: [{ date: s.period.runEnd, label: "issuance run ends" }],
      height: 360,
      width,
    },
  );
}
