/**
 * Finds the run directories under a reports folder and summarises each for the run list: scenario,
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

import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "../src/data/_check.js";
import type { RunIndex, RunIndexEntry } from "../src/data/run-types.js";
import { REQUIRED_COLUMNS } from "../src/data/timeseries-csv.js";
import { validateManifest } from "../src/data/validate-manifest.js";
import { validateSummary } from "../src/data/validate-summary.js";
import { validateSweep } from "../src/data/validate-sweep.js";

/** Files the server hands out from a run directory; nothing else is readable. */
export const RUN_FILES = [
  "manifest.json",
  "summary.json",
  "timeseries.csv",
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

/** The first line of a file, reading at most 8 KiB. */
function firstLine(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString("utf8");
    const nl = text.indexOf("\n");
    return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, "");
  } finally {
    closeSync(fd);
  }
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
    const manifest = validateManifest(
      parseJson(readFileSync(join(dir, "manifest.json"), "utf8"), "manifest.json"),
    );
    entry.runId = manifest.runId;
    entry.seed = manifest.seed;
    entry.replications = manifest.replications;
    const m = manifest.runId === null ? null : RUN_ID.exec(manifest.runId);
    if (m) entry.date = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
    if (entry.kind === "sweep") {
      const sweep = validateSweep(parseJson(readFileSync(join(dir, "sweep.json"), "utf8"), "sweep.json"));
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
      const header = firstLine(join(dir, "timeseries.csv")).split(",");
      for (const r of REQUIRED_COLUMNS)
        if (!header.includes(r)) throw new Error(`timeseries.csv: the header has no "${r}" column.`);
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
