/**
 * Entry point of the DES benchmarks (DESIGN.md §8): the kernel against SimPy (bench/des-kernel.ts),
 * then the wall time of full history runs (bench/history-run.ts).
 *
 * Usage: `npm run -s bench:des -- [--json] [--quick]` (builds, then runs `node dist/bench/des.js`).
 * @module
 */

import type { Measurement } from "./_shared.js";
import { isMain, runBenchmark } from "./_shared.js";
import { desKernelMeasurements } from "./des-kernel.js";
import { historyRunMeasurements } from "./history-run.js";

/** Measurements run by this entry point, in order. */
export const desMeasurements: readonly Measurement[] = [...desKernelMeasurements, ...historyRunMeasurements];

if (isMain(import.meta.url)) await runBenchmark(desMeasurements);
