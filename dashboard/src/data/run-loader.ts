/**
 * Loads one run directory for the run and compare views: `summary.json`, `timeseries.csv`,
 * `manifest.json` and `prefectures.csv` in parallel, each checked against the run-output format
 * (sim/run-format). Anything missing, partial or malformed becomes one {@link RunDataError} whose
 * message the view shows in place of the run — except `prefectures.csv`, read only when the index lists it (runs written
 * before the format had it lack it): the run then loads with `prefectures: null`.
 * @module
 */

import { fail, parseJson, RunDataError } from "./_check.js";
import { fetchText, runFilePath } from "./fetcher.js";
import type { Fetcher } from "./fetcher.js";
import type { RunIndexEntry, RunManifest, RunSummary, SweepDocument } from "./run-types.js";
import { parsePrefecturesCsv, type PrefecturesTable } from "./prefectures-csv.js";
import { parseTimeseriesCsv } from "./timeseries-csv.js";
import type { TimeseriesTable } from "./timeseries-csv.js";
import { validateManifest, validateSummary, validateSweep } from "./validate.js";

/** A run ready to draw. */
export interface LoadedRun {
  kind: "run";
  entry: RunIndexEntry;
  summary: RunSummary;
  manifest: RunManifest;
  table: TimeseriesTable;
  /** prefectures.csv; null for a run written before the format had it. */
  prefectures: PrefecturesTable | null;
  /** Milliseconds spent fetching and parsing (shown in the footer of the run view). */
  loadMs: number;
}

/** A sweep ready to draw. */
export interface LoadedSweep {
  kind: "sweep";
  entry: RunIndexEntry;
  sweep: SweepDocument;
  manifest: RunManifest;
}

const now = (): number => globalThis.performance?.now() ?? 0;

/** Prefixes a problem with the run's id so a message in a list of runs says which run it is. */
function inRun(id: string, e: unknown): RunDataError {
  const msg = e instanceof Error ? e.message : String(e);
  return new RunDataError(`Run ${id}: ${msg}`, { cause: e });
}

/**
 * @param entry the run's index entry (its `status` must be `ok`)
 * @param fetcher how files are read
 * @throws {RunDataError} "Run <id>: <what is wrong>"
 */
export async function loadRun(entry: RunIndexEntry, fetcher: Fetcher): Promise<LoadedRun> {
  const t0 = now();
  try {
    if (entry.status !== "ok") fail(entry.problem ?? "the run directory is incomplete");
    if (entry.kind !== "run") fail("this is a sweep, not a single run");
    const [summaryText, csvText, manifestText, prefecturesText] = await Promise.all([
      fetchText(fetcher, runFilePath(entry.id, "summary.json"), "summary.json"),
      fetchText(fetcher, runFilePath(entry.id, "timeseries.csv"), "timeseries.csv"),
      fetchText(fetcher, runFilePath(entry.id, "manifest.json"), "manifest.json"),
      // Fetched only when the index lists it: a static server may answer a missing file with its
      // index page (status 200), which must not be read as a broken prefectures.csv.
      entry.files.includes("prefectures.csv")
        ? fetchText(fetcher, runFilePath(entry.id, "prefectures.csv"), "prefectures.csv")
        : null,
    ]);
    const manifest = validateManifest(parseJson(manifestText, "manifest.json"));
    const summary = validateSummary(parseJson(summaryText, "summary.json"));
    const table = parseTimeseriesCsv(csvText);
    const prefectures = prefecturesText === null ? null : parsePrefecturesCsv(prefecturesText);
    return { kind: "run", entry, summary, manifest, table, prefectures, loadMs: now() - t0 };
  } catch (e) {
    throw inRun(entry.id, e);
  }
}

/**
 * @param entry the sweep's index entry
 * @param fetcher how files are read
 * @throws {RunDataError} "Run <id>: <what is wrong>"
 */
export async function loadSweep(entry: RunIndexEntry, fetcher: Fetcher): Promise<LoadedSweep> {
  try {
    if (entry.status !== "ok") fail(entry.problem ?? "the sweep directory is incomplete");
    if (entry.kind !== "sweep") fail("this is a single run, not a sweep");
    const [sweepText, manifestText] = await Promise.all([
      fetchText(fetcher, runFilePath(entry.id, "sweep.json"), "sweep.json"),
      fetchText(fetcher, runFilePath(entry.id, "manifest.json"), "manifest.json"),
    ]);
    return {
      kind: "sweep",
      entry,
      sweep: validateSweep(parseJson(sweepText, "sweep.json")),
      manifest: validateManifest(parseJson(manifestText, "manifest.json")),
    };
  } catch (e) {
    throw inRun(entry.id, e);
  }
}
