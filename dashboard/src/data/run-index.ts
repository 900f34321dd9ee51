/**
 * The two indexes the dashboard's Vite plugin serves (and writes into a static build):
 * `data/index.json`, the run directories under the reports folder with their headline answers, and
 * `data/bench.json`, the benchmark documents. Not run files — the dashboard's own summary of them —
 * but checked the same way, with zod schemas built from the run-output format's parts.
 * @module
 */

import { z } from "zod";
import {
  BenchDocumentSchema,
  CapacitySolutionSchema,
  IsoDateSchema,
  SweepTargetSchema,
} from "../../../sim/run-format/index.js";

/** The headline of a run as the run list shows it. */
export const RunHeadlineSchema = z.looseObject({
  targetCards: z.number(),
  targetDate: IsoDateSchema,
  reached: z.boolean(),
  reachedShare: z.number(),
  reachedOn: IsoDateSchema.nullable(),
  cardsOnTargetDate: z.number().nullable(),
  bindingConstraint: z.string(),
  reachedOnRange: z.object({ earliest: IsoDateSchema, latest: IsoDateSchema }).nullable().optional(),
  shortfallOnTargetDate: z.number().nullable().optional(),
  requiredCapacity: CapacitySolutionSchema.nullable().optional(),
});

/** One directory under the reports folder, as the index lists it. */
export const RunIndexEntrySchema = z.looseObject({
  /** Path relative to the reports folder, `/`-separated; also the URL path under `data/runs/`. */
  id: z.string().min(1),
  kind: z.enum(["run", "sweep"]),
  /** `ok`: every file the dashboard needs is present and parses. */
  status: z.enum(["ok", "error"]),
  /** Why the run cannot be shown (status `error`), in one sentence. */
  problem: z.string().nullable(),
  /** Files the server will hand out for this run. */
  files: z.array(z.string()),
  scenario: z.string().nullable(),
  runId: z.string().nullable(),
  /** When the run was made, `YYYY-MM-DD HH:MM` UTC (from the run id, else the directory's time). */
  date: z.string().nullable(),
  seed: z.number().nullable(),
  replications: z.number().nullable(),
  period: z.object({ start: IsoDateSchema, end: IsoDateSchema }).nullable(),
  headline: RunHeadlineSchema.nullable(),
  /** For sweeps: the varied keys, the number of grid points and how many reached the target by its date. */
  sweep: z
    .looseObject({
      keys: z.array(z.string()),
      points: z.number(),
      reachedByTargetDate: z.number(),
      target: SweepTargetSchema.optional(),
    })
    .nullable(),
});

/** `data/index.json`. */
export const RunIndexSchema = z.looseObject({
  /** The reports folder, for display. */
  source: z.string(),
  runs: z.array(RunIndexEntrySchema),
});

/** One file of the benchmark results folder. */
export const BenchEntrySchema = z.looseObject({
  file: z.string(),
  status: z.enum(["ok", "error"]),
  problem: z.string().nullable(),
  document: BenchDocumentSchema.nullable(),
});

/** `data/bench.json`. */
export const BenchIndexSchema = z.looseObject({ source: z.string(), documents: z.array(BenchEntrySchema) });

export type RunHeadline = z.infer<typeof RunHeadlineSchema>;
export type RunIndexEntry = z.infer<typeof RunIndexEntrySchema>;
export type RunIndex = z.infer<typeof RunIndexSchema>;
export type BenchEntry = z.infer<typeof BenchEntrySchema>;
export type BenchIndex = z.infer<typeof BenchIndexSchema>;
