/**
 * Entry point of the DES benchmarks: the kernel against SimPy (bench/des-kernel.ts), then any
 * further measurements appended to {@link desMeasurements} — e.g. the wall time of a full history
 * run. Each measurement is an async function returning results in the DESIGN.md §8 shape.
 *
 * Usage: `npx tsx bench/des.ts [--json] [--quick]`
 * @module
 */

import type { Measurement } from "./_shared.js";
import { emit, isMain, parseBenchArgs, runMeasurements } from "./_shared.js";
import { desKernelMeasurements } from "./des-kernel.js";
import { historyRunMeasurements } from "./history-run.js";

/**
 * Measurements run by this entry point, in order. Append more here (or push from another module
 * before calling {@link runDes}); each returns one or more results.
 */
export const desMeasurements: Measurement[] = [...desKernelMeasurements, ...historyRunMeasurements];

/** Runs every DES measurement and prints the results (`--json` for the JSON document only). */
export async function runDes(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parseBenchArgs(argv);
  emit(await runMeasurements(desMeasurements, options), options);
}

if (isMain(import.meta.url)) await runDes();
