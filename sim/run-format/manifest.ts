/**
 * manifest.json — what was run, how and where (DESIGN.md §4): the last file of a run or sweep
 * directory, so its presence marks a complete run. The fields every reader relies on are typed;
 * the rest (resolved scenario, machine, package versions) passes through as written.
 * @module
 */
import { z } from "zod";
import { FormatVersionSchema, IsoDateSchema } from "./common.js";

/** One `--vary key=a,b,c` of a sweep. */
export const VaryAxisSchema = z.strictObject({
  key: z.string().min(1),
  values: z.array(z.string()).min(1),
});

/** manifest.json of a run (`kind` absent) or a sweep (`kind: "sweep"`). */
export const RunManifestSchema = z.looseObject({
  formatVersion: FormatVersionSchema,
  tool: z.literal("myna-twin"),
  kind: z.enum(["run", "sweep"]).default("run"),
  runId: z.string().min(1),
  command: z.string().min(1),
  seed: z.number().int().nonnegative(),
  replications: z.number().int().positive(),
  threads: z.number().int().positive(),
  wallSeconds: z.number().nonnegative(),
  gitCommit: z.string().nullable(),
  versions: z.record(z.string(), z.string()),
  machine: z.looseObject({}),
  randomStreams: z.string().optional(),
  /** Runs: the scenario file, the `--set` overrides and the resolved scenario. */
  scenarioFile: z.string().optional(),
  overrides: z.array(z.string()).optional(),
  /** Runs and sweeps: the scenario's plausibility warnings, `file:line:column: field: message`. */
  warnings: z.array(z.string()).optional(),
  scenario: z.looseObject({ name: z.string() }).optional(),
  eventsProcessed: z.number().nonnegative().optional(),
  cohortOperations: z.number().nonnegative().optional(),
  simulatedDays: z.number().int().nonnegative().optional(),
  period: z.strictObject({ start: IsoDateSchema, end: IsoDateSchema, lastDay: IsoDateSchema }).optional(),
  /** The factory's crypto sample (counts and the CA signing rate measured in the run), or null. */
  cryptoSample: z.looseObject({}).nullable().optional(),
  /** Files of the run directory besides manifest.json. */
  files: z.array(z.string()).optional(),
  /** Sweeps: the varied keys and values. */
  vary: z.array(VaryAxisSchema).optional(),
});

export type VaryAxis = z.infer<typeof VaryAxisSchema>;
export type RunManifest = z.infer<typeof RunManifestSchema>;
