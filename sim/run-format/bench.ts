/**
 * The benchmark results document (DESIGN.md §8, extended compatibly by issue 8 with `target` and
 * `quick`): what every `npm run bench:* -- --json` prints, what bench/results/*.json hold and what
 * the dashboard's bench view reads. Pure zod schema, no simulation code, so bench/, the dashboard
 * and tests share it.
 * @module
 */
import { z } from "zod";

/** The figure of another implementation doing the same work, measured in the same run. */
export const BenchReferenceSchema = z.strictObject({ name: z.string().min(1), value: z.number() });

/** One measured figure. */
export const BenchResultSchema = z.object({
  /** Dotted name, e.g. `des.hold.process`. */
  name: z.string().min(1),
  /** Unit of `value`, e.g. `events/s`, `ms`. */
  unit: z.string().min(1),
  value: z.number(),
  /** True when a larger value is better (throughput), false for times and sizes. */
  higherIsBetter: z.boolean(),
  /** The reference doing the same work, measured in the same run, or null (a plain figure). */
  reference: BenchReferenceSchema.nullable(),
  /** Ours over the reference, oriented so that above 1 means we are better; null without one. */
  ratio: z.number().nullable(),
  /** What the project aims for: a ratio when there is a reference, else a value; null if none. */
  target: z.number().nullable(),
  /** True when measured with `--quick` (smaller workload, figures less stable). */
  quick: z.boolean(),
  /** tinybench statistics when the figure is a micro-benchmark: relative margin of error (%) and samples. */
  rme: z.number().nonnegative().optional(),
  samples: z.number().int().nonnegative().optional(),
  /** Which implementation of ours produced the figure when there are several (e.g. `native`, `node:crypto`). */
  implementation: z.string().min(1).optional(),
});

export const BenchMachineSchema = z.looseObject({
  cpuModel: z.string(),
  cores: z.number(),
  memoryGiB: z.number(),
  os: z.string(),
  arch: z.string(),
  loadAverage: z.number(),
});

export const BenchVersionsSchema = z.looseObject({
  node: z.string(),
  v8: z.string(),
  openssl: z.string(),
  project: z.string(),
  packages: z.record(z.string(), z.string()),
  gitCommit: z.string().nullable(),
});

/** Latency percentiles of one load step's 2xx answers, ms (null when the step had none). */
export const LoadLatencySchema = z.looseObject({
  count: z.number(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  p999: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});

/**
 * One step of bench:load's latency-versus-throughput curve (issue 10 item 5; bench/load.ts
 * `CurvePoint`, which writes more fields): latencies corrected for coordinated omission (from the
 * intended send time) and raw (from the actual send).
 */
export const LoadCurvePointSchema = z.looseObject({
  /** `verify`, `bare`, `crl`, `bare-crl`. */
  target: z.string(),
  /** `search` (rising offered loads), `twin`, `overload`, `recovery`. */
  phase: z.string(),
  offeredRate: z.number(),
  achievedRate: z.number(),
  /** The generator fell behind its schedule: the step's figures are less exact. */
  void: z.boolean(),
  corrected: LoadLatencySchema,
  raw: LoadLatencySchema,
});

/** The whole `--json` document. */
export const BenchDocumentSchema = z.object({
  machine: BenchMachineSchema,
  versions: BenchVersionsSchema,
  results: z.array(BenchResultSchema),
  /** bench:load only: every step of its latency-versus-throughput curve. */
  curve: z.array(LoadCurvePointSchema).optional(),
});

export type BenchReference = z.infer<typeof BenchReferenceSchema>;
export type BenchResult = z.infer<typeof BenchResultSchema>;
export type BenchMachine = z.infer<typeof BenchMachineSchema>;
export type BenchVersions = z.infer<typeof BenchVersionsSchema>;
export type BenchDocument = z.infer<typeof BenchDocumentSchema>;
export type LoadCurvePoint = z.infer<typeof LoadCurvePointSchema>;

/** True when the result meets its target (null when it has none): ratio if it has a reference, else value. */
export function meetsTarget(r: BenchResult): boolean | null {
  if (r.target === null) return null;
  const measured = r.reference !== null ? r.ratio : r.value;
  if (measured === null) return null;
  return r.reference !== null || r.higherIsBetter ? measured >= r.target : measured <= r.target;
}
