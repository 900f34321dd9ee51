/**
 * The checks of the JSON files a run, a sweep or a benchmark writes — summary.json, manifest.json,
 * sweep.json and the DESIGN.md §8 benchmark document — against the run-output format's schemas
 * (sim/run-format). The dashboard refuses what does not parse, with one message naming the file and
 * the field.
 * @module
 */

import {
  BenchDocumentSchema,
  RunManifestSchema,
  RunSummarySchema,
  SweepDocumentSchema,
} from "../../../sim/run-format/index.js";
import { check } from "./_check.js";
import type { BenchDocument, RunManifest, RunSummary, SweepDocument } from "./run-types.js";

/** @throws {RunDataError} "summary.json: <field>: expected …, got …" */
export function validateSummary(json: unknown): RunSummary {
  return check(RunSummarySchema, json, "summary.json");
}

/** @throws {RunDataError} "manifest.json: <field>: expected …, got …" */
export function validateManifest(json: unknown): RunManifest {
  return check(RunManifestSchema, json, "manifest.json");
}

/** @throws {RunDataError} "sweep.json: <field>: expected …, got …" */
export function validateSweep(json: unknown): SweepDocument {
  return check(SweepDocumentSchema, json, "sweep.json");
}

/**
 * @param file the document's name, for messages
 * @throws {RunDataError} "<file>: <field>: expected …, got …"
 */
export function validateBench(json: unknown, file: string): BenchDocument {
  return check(BenchDocumentSchema, json, file);
}
