/**
 * Finds the run directories under a reports folder and summarises each for the run list: scenario,
 * the `--set` overrides (manifest.json's `overrides`; for sweeps, read from the recorded command) and
 * a sweep's own target (sweep.json's `target`) for the run labels and verdicts,
 * date, seed, the headline answer (target reached or not, when, binding constraint) — or, for a run
 * that cannot be shown, one sentence saying why. Node-only (node:fs); used by the Vite plugin in
 * dev and at build time.
 *
 * A directory is a run when it holds any run file (`manifest.json`, `summary.json`, `timeseries.csv`,
 * `sweep.json`); other directories are searched up to four levels deep (`reports/<scenario>/<run-id>/`
 * is two). A hidden `.partial-…` directory is what an interrupted or unfinished run leaves behind
 * (engine/run-output/run-directory.ts) and is listed as such. Nothing here throws on bad input: every
 * problem becomes an entry with `status: "error"`, so one broken run never breaks the list.
 * @module
 */

import { asTarget } from "../src/views/answers.js";
import { setFlags } from "../src/views/run-label.js";
import type { IndexExtras } from "../src/views/run-label.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../src/data/_check.js";
import type { RunIndex, RunIndexEntry } from "../src/data/run-types.js";
import { parseTimeseriesCsv } from "../src/data/timeseries-csv.js";
import { validateManifest, validateSummary, validateSweep } from "../src/data/validate.js";

/** Files the server hands out from a run directory; nothing else is readable. */
export const RUN_FILES = [
  "manifest.json",
  "summary.json",
  "timeseries.csv",
  "prefectures.csv",
  "scenario.json",
  "sweep.json",
  "sweep.csv",
  "sweep.md",
  "report.html",
  "report.md",
] as const;

const MARKERS = new Set(["manifest.json", "summary.json", "timeseries.csv", "sweep.json"]);
const MAX_DEPTH = 4;
const RUN_ID = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function mtimeDate(path: string): string | null {
  try {
    return statSync(path).mtime.toISOString().slice(0, 16).replace("T", " ");
  } catch {
    return null;
  }
}

function blank(id: string, kind: RunIndexEntry["kind"], files: string[]): RunIndexEntry {
  return {
    id,
    kind,
    status: "error",
    problem: null,
    files,
    scenario: null,
    runId: null,
    date: null,
    seed: null,
    replications: null,
    period: null,
    headline: null,
    sweep: null,
  };
}

/** Summarises one run directory. Never throws. */
export function describeRunDirectory(dir: string, id: string): RunIndexEntry {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name);
  } catch (e) {
    const entry = blank(id, "run", []);
    entry.problem = `The run directory cannot be read (${message(e)}).`;
    return entry;
  }
  const has = (f: string) => names.includes(f);
  const files = RUN_FILES.filter(has);
  const entry = blank(id, has("sweep.json") ? "sweep" : "run", files);
  entry.date = mtimeDate(dir);
  const what = entry.kind === "sweep" ? "sweep" : "run";
  try {
    if (!has("manifest.json"))
      throw new Error(
        `Incomplete ${what}: there is no manifest.json (it is written last, so the ${what} was interrupted or is still being written).`,
      );
    const manifestJson = parseJson(readFileSync(join(dir, "manifest.json"), "utf8"), "manifest.json");
    const manifest = validateManifest(manifestJson);
    const extras = entry as RunIndexEntry & IndexExtras;
    const rawOverrides = (manifestJson as { overrides?: unknown } | null)?.overrides;
    extras.overrides =
      Array.isArray(rawOverrides) && rawOverrides.every((x) => typeof x === "string")
        ? rawOverrides
        : setFlags(manifest.command);
    entry.runId = manifest.runId;
    entry.seed = manifest.seed;
    entry.replications = manifest.replications;
    const m = manifest.runId === null ? null : RUN_ID.exec(manifest.runId);
    if (m) entry.date = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
    if (entry.kind === "sweep") {
      const sweepJson = parseJson(readFileSync(join(dir, "sweep.json"), "utf8"), "sweep.json");
      const sweep = validateSweep(sweepJson);
      extras.sweepTarget = asTarget((sweepJson as { target?: unknown } | null)?.target);
      entry.scenario = sweep.scenario;
      entry.seed = sweep.seed;
      entry.replications = sweep.replications;
      entry.sweep = {
        keys: sweep.vary.map((v) => v.key),
        points: sweep.rows.length,
        reachedByTargetDate: sweep.rows.filter((r) => r.reachedByTargetDate).length,
      };
    } else {
      if (!has("summary.json")) throw new Error("summary.json is missing.");
      const summary = validateSummary(
        parseJson(readFileSync(join(dir, "summary.json"), "utf8"), "summary.json"),
      );
      entry.scenario = summary.scenario;
      entry.seed = summary.seed;
      entry.replications = summary.replications;
      entry.period = summary.period;
      entry.headline = {
        targetCards: summary.target.cards,
        targetDate: summary.target.date,
        reached: summary.target.reached,
        reachedShare: summary.target.reachedShare,
        reachedOn: summary.target.reachedOn,
        cardsOnTargetDate: summary.target.cardsOnTargetDate?.mean ?? null,
        bindingConstraint: summary.bindingConstraint.stage,
      };
      if (!has("timeseries.csv")) throw new Error("timeseries.csv is missing.");
      // the whole file, so a run with a broken series is never listed as an answer
      parseTimeseriesCsv(readFileSync(join(dir, "timeseries.csv"), "utf8"));
    }
    entry.status = "ok";
  } catch (e) {
    const msg = message(e);
    entry.problem = /[.)]$/.test(msg) ? msg : `${msg}.`;
  }
  return entry;
}

function walk(dir: string, rel: string, depth: number, out: RunIndexEntry[]): void {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (rel === "") return; // the caller reports a missing reports folder
    const entry = blank(rel, "run", []);
    entry.problem = `The directory cannot be read (${message(e)}).`;
    out.push(entry);
    return;
  }
  // A `myna-twin compare` output (compare.json) is not a run: the list shows runs and sweeps only.
  if (dirents.some((d) => d.isFile() && d.name === "compare.json")) return;
  if (rel !== "" && dirents.some((d) => d.isFile() && MARKERS.has(d.name))) {
    out.push(describeRunDirectory(dir, rel));
    return;
  }
  const subdirs = dirents.filter((d) => d.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (rel !== "" && subdirs.length === 0) {
    const entry = blank(rel, "run", []);
    entry.date = mtimeDate(dir);
    entry.problem = "No run files here (no manifest.json, summary.json or timeseries.csv).";
    out.push(entry);
    return;
  }
  for (const d of subdirs) {
    const childRel = rel === "" ? d.name : `${rel}/${d.name}`;
    if (d.name.startsWith(".partial-")) {
      const entry = blank(childRel, "run", []);
      entry.date = mtimeDate(join(dir, d.name));
      entry.problem =
        "Incomplete run: only a .partial-… directory exists (the run was interrupted or is still being written).";
      out.push(entry);
      continue;
    }
    if (d.name.startsWith(".") || d.name === "node_modules") continue;
    if (depth + 1 > MAX_DEPTH) continue;
    walk(join(dir, d.name), childRel, depth + 1, out);
  }
}

/**
 * Lists the run directories under `reportsDir`, newest first (by run date, then id).
 * @param reportsDir the reports folder (absolute)
 * @param source how the folder is named in the app
 */
export function scanReports(reportsDir: string, source = reportsDir): RunIndex {
  const runs: RunIndexEntry[] = [];
  walk(reportsDir, "", 0, runs);
  runs.sort((a, b) => {
    const da = a.date ?? "";
    const db = b.date ?? "";
    if (da !== db) return da < db ? 1 : -1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return { source, runs };
}
