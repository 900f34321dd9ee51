/**
 * Reads every `*.json` document in the benchmark results folder (DESIGN.md §8; `bench/results/` by
 * default) for the bench view. A file that is not a benchmark document is listed with the reason
 * instead of its results. Each document is checked against the run-output format's zod schema
 * (sim/run-format/bench.ts, through the data layer's validateBench), so `target` and `quick` reach
 * the view as written. Node-only; used by the Vite plugin.
 * @module
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../src/data/_check.js";
import type { BenchEntry, BenchIndex } from "../src/data/run-types.js";
import { validateBench } from "../src/data/validate.js";

/**
 * @param benchDir the folder of `--json` documents (missing folder → no documents)
 * @param source how the folder is named in the app
 */
export function scanBench(benchDir: string, source = benchDir): BenchIndex {
  let files: string[];
  try {
    files = readdirSync(benchDir, { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith(".json"))
      .map((d) => d.name)
      .sort();
  } catch {
    files = [];
  }
  const documents: BenchEntry[] = files.map((file) => {
    try {
      const document = validateBench(parseJson(readFileSync(join(benchDir, file), "utf8"), file), file);
      return { file, status: "ok", problem: null, document };
    } catch (e) {
      return { file, status: "error", problem: e instanceof Error ? e.message : String(e), document: null };
    }
  });
  return { source, documents };
}
