/**
 * Loads the two indexes the Vite plugin serves (and writes into a static build): `data/index.json`,
 * the run directories under the reports folder with their headline answers, and `data/bench.json`,
 * the benchmark documents beside their references.
 * @module
 */

import { Checker, parseJson } from "./_check.js";
import { BENCH_PATH, fetchText, INDEX_PATH } from "./fetcher.js";
import type { Fetcher } from "./fetcher.js";
import type { BenchIndex, RunIndex, RunIndexEntry } from "./run-types.js";

/**
 * @throws {RunDataError} when the index is missing or not the expected shape
 */
export async function loadRunIndex(fetcher: Fetcher): Promise<RunIndex> {
  const json = parseJson(await fetchText(fetcher, INDEX_PATH, "the run index (data/index.json)"), "index.json");
  const c = new Checker("index.json");
  const o = c.object(json, "the document");
  const runs = c.array(o.runs, "runs").map((r, i) => {
    const e = c.object(r, `runs[${i}]`);
    c.string(e.id, `runs[${i}].id`);
    c.string(e.status, `runs[${i}].status`);
    return e as unknown as RunIndexEntry;
  });
  return { source: c.string(o.source, "source"), runs };
}

/**
 * @throws {RunDataError} when the index is missing or not the expected shape
 */
export async function loadBenchIndex(fetcher: Fetcher): Promise<BenchIndex> {
  const json = parseJson(await fetchText(fetcher, BENCH_PATH, "the benchmark index (data/bench.json)"), "bench.json");
  const c = new Checker("bench.json");
  const o = c.object(json, "the document");
  c.array(o.documents, "documents");
  return json as BenchIndex;
}
