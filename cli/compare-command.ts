/**
 * `myna-twin compare <runDirA> <runDirB> [--out DIR]` (issue 9 item 3): reads two run directories
 * through the run-format schemas (manifest.json, summary.json, timeseries.csv), prints the
 * differences B − A and writes them as compare.md and compare.json into a directory claimed
 * atomically like a run's (engine/run-output/run-claim.ts; default reports/compare/<id>/). A run
 * that is missing, incomplete or does not parse is refused with the schema's one-line message
 * (exit 2) and nothing is written.
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { claimRunDirectory } from "../engine/run-output/run-claim.js";
import { compareMarkdown, compareRuns, type LoadedRun } from "../sim/issuance/compare.js";
import {
  CompareDocumentSchema,
  parseJsonFile,
  parseTimeseriesCsv,
  RunFormatError,
  RunManifestSchema,
  RunSummarySchema,
} from "../sim/run-format/index.js";
import { parse } from "./args.js";
import { newRunId, ROOT } from "./context.js";

export const COMPARE_HELP = `Usage: myna-twin compare <runDirA> <runDirB> [options]

Prints the differences B − A between two run directories (written by myna-twin run) and writes
them as compare.md and compare.json: cumulative cards on the key dates (target dates, year-ends,
official dates), the date the target is reached, lead-time percentiles, backlogs (mean and peak)
and resident-days waited (the daily sum of applications not yet handed over). Cost is compared
only when the runs carry cost figures (none do yet).

Options:
  --out DIR    write into DIR (default reports/compare/<id>/); claimed like a run's directory
  -h, --help   this help

Exit codes: 0 ok, 2 bad input (a run that is missing, incomplete or malformed; --out taken),
3 --out not writable, 1 internal failure.`;

const FLAGS = { out: { type: "string" } } as const;

/** Reads one file of a run, or says which is missing. */
function readRunFile(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new InputError(
        `compare: ${dir}: no ${file}${file === "manifest.json" ? " (not a complete run: interrupted, still running, or not a run directory)" : ""}`,
      );
    throw new InputError(`compare: ${dir}: cannot read ${file} (${code ?? String(e)})`);
  }
}

/** A run directory parsed with the run-format schemas. @throws InputError with the schema's message */
export function readRun(dir: string): LoadedRun {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError(`compare: ${dir}: no such run directory`);
  }
  if (!isDir) throw new InputError(`compare: ${dir}: not a directory (expected a run directory)`);
  try {
    const manifest = parseJsonFile(RunManifestSchema, readRunFile(dir, "manifest.json"), "manifest.json");
    if (manifest.kind !== "run")
      throw new InputError(
        `compare: ${dir}: a ${manifest.kind} directory, not a run (compare needs two runs)`,
      );
    const summary = parseJsonFile(RunSummarySchema, readRunFile(dir, "summary.json"), "summary.json");
    const series = parseTimeseriesCsv(readRunFile(dir, "timeseries.csv"));
    return { dir, manifest, summary, series };
  } catch (e) {
    if (e instanceof RunFormatError) throw new InputError(`compare: ${dir}: ${e.message}`, e.code);
    throw e;
  }
}

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse("compare", argv, FLAGS);
  if (values.help) {
    console.log(COMPARE_HELP);
    return 0;
  }
  if (positionals.length !== 2)
    throw new InputError(
      `compare: expected two run directories, got ${positionals.length} (see myna-twin compare --help)`,
    );
  const a = readRun(positionals[0]!);
  const b = readRun(positionals[1]!);
  const doc = compareRuns(a, b);
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  // What readers will refuse is never written.
  parseJsonFile(CompareDocumentSchema, json, "compare.json");
  const md = compareMarkdown(doc);
  const id = `${newRunId(0).replace(/-s0$/, "")}-${a.summary.scenario}-vs-${b.summary.scenario}`;
  const outDir = (values.out as string | undefined) ?? join(ROOT, "reports", "compare", id);
  const claim = claimRunDirectory(outDir);
  process.once("exit", () => claim.abandon());
  claim.commit({ "compare.md": md, "compare.json": json });
  process.stdout.write(md);
  console.log(`Written: ${join(outDir, "compare.md")} and compare.json`);
  return 0;
}
