/**
 * Loads the two indexes the Vite plugin serves (and writes into a static build): `data/index.json`,
 * the run directories under the reports folder with their headline answers, and `data/bench.json`,
 * the benchmark documents beside their references. Both are checked against run-index.ts.
 * @module
 */

import { check, parseJson } from "./_check.js";
import { BENCH_PATH, fetchText, INDEX_PATH } from "./fetcher.js";
import type { Fetcher } from "./fetcher.js";
import { BenchIndexSchema, RunIndexSchema } from "./run-index.js";
import type { BenchIndex, RunIndex } from "./run-types.js";

/**
 * @throws {RunDataError} when the index is missing or not the expected shape
 */
export async function loadRunIndex(fetcher: Fetcher): Promise<RunIndex> {
  const text = await fetchText(fetcher, INDEX_PATH, "the run index (data/index.json)");
  return check(RunIndexSchema, parseJson(text, "index.json"), "index.json");
}

/**
 * @throws {RunDataError} when the index is missing or not the expected shape
 */
export async function loadBenchIndex(fetcher: Fetcher): Promise<BenchIndex> {
  const text = await fetchText(fetcher, BENCH_PATH, "the benchmark index (data/bench.json)");
  return check(BenchIndexSchema, parseJson(text, "bench.json"), "bench.json");
}
