/**
 * The test reports folder: a temporary copy of `fixtures/runs/` (a 486-day history run with two
 * replications, a 2 × 2 sweep without a recorded target, a 3 × 2 jlis-outage-2016 sweep with its
 * 10 M by 2016-12-31 target, a run without manifest.json and a `.partial-…` directory, all written
 * by the real CLI or cut from its output) plus two broken runs made here because their files are not
 * valid JSON or CSV and so cannot sit in the formatted tree: a summary.json cut off mid-object and a
 * timeseries.csv cut off mid-row. Also a {@link Fetcher} that serves the folder as the Vite plugin does.
 * @module
 */

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { scanBench } from "../server/scan-bench.js";
import { runFileOnDisk } from "../server/reports-plugin.js";
import { scanReports } from "../server/scan-reports.js";
import { BENCH_PATH, INDEX_PATH } from "../src/data/fetcher.js";
import type { Fetcher } from "../src/data/fetcher.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The committed fixture runs. */
export const FIXTURE_RUNS = resolve(here, "fixtures/runs");
/** The committed benchmark documents. */
export const FIXTURE_BENCH = resolve(here, "fixtures/bench");
/** Id of the good run. */
export const GOOD_RUN = "history-short";
/** Id of the sweep written before sweep.json recorded its target (plan-87m with a 5 M target by 2016-06-30). */
export const SWEEP = "sweep-small";
/** Id of a jlis-outage-2016 sweep (target 10 M by 2016-12-31, recorded in sweep.json), 3 × 2 points. */
export const SWEEP_JLIS = "sweep-jlis-2016";

/** A temporary reports folder; `remove()` deletes it. */
export interface ReportsDir {
  dir: string;
  remove(): void;
}

/** Copies the fixtures into a fresh temporary folder and adds the malformed runs. */
export function makeReportsDir(): ReportsDir {
  const dir = mkdtempSync(join(tmpdir(), "myna-dash-"));
  cpSync(FIXTURE_RUNS, dir, { recursive: true });
  const good = join(FIXTURE_RUNS, GOOD_RUN);
  const manifest = readFileSync(join(good, "manifest.json"), "utf8");
  const summary = readFileSync(join(good, "summary.json"), "utf8");
  const csv = readFileSync(join(good, "timeseries.csv"), "utf8");

  const malformed = join(dir, "broken/malformed-summary");
  mkdirSync(malformed, { recursive: true });
  writeFileSync(join(malformed, "manifest.json"), manifest);
  writeFileSync(join(malformed, "summary.json"), summary.slice(0, 200));
  writeFileSync(join(malformed, "timeseries.csv"), csv);

  const truncated = join(dir, "broken/truncated-csv");
  mkdirSync(truncated, { recursive: true });
  writeFileSync(join(truncated, "manifest.json"), manifest);
  writeFileSync(join(truncated, "summary.json"), summary);
  const cut = csv.indexOf("\n", Math.floor(csv.length / 2)) + 40;
  writeFileSync(join(truncated, "timeseries.csv"), csv.slice(0, cut));

  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Serves `data/` from a reports folder and a bench folder, like the Vite plugin. */
export function fixtureFetcher(reportsDir: string, benchDir = FIXTURE_BENCH): Fetcher {
  return async (path) => {
    if (path === INDEX_PATH)
      return { status: 200, text: JSON.stringify(scanReports(reportsDir, "fixtures")) };
    if (path === BENCH_PATH)
      return { status: 200, text: JSON.stringify(scanBench(benchDir, "fixtures/bench")) };
    if (path.startsWith("data/runs/")) {
      const file = runFileOnDisk(reportsDir, path.slice("data/runs/".length).split("/"));
      if (file !== null && existsSync(file)) return { status: 200, text: readFileSync(file, "utf8") };
    }
    return { status: 404, text: "not found" };
  };
}
