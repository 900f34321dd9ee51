/**
 * How a run is named in lists and legends: its scenario and the `--set` overrides it ran with
 * ("history · end=2017-04-30"), so two runs of one scenario are told apart without their ids. Runs
 * record the overrides in manifest.json (`overrides`, copied into the run index by the server);
 * sweeps' manifests record only the command line, so their `--set` flags are read from it.
 * @module
 */

import type { RunIndexEntry } from "../data/run-types.js";

/** Fields the server adds to an index entry beyond the data layer's type (dashboard/server/scan-reports.ts). */
export interface IndexExtras {
  /** `--set` overrides of the run (manifest.json), or of the sweep (its command line); null if unknown. */
  overrides?: string[] | null;
  /** The target recorded in sweep.json, or null when the sweep does not record it. */
  sweepTarget?: { cards: number; date: string } | null;
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string");

/** The overrides the server found for an index entry (null: not recorded). */
function entryOverrides(e: RunIndexEntry): string[] | null {
  const v = (e as RunIndexEntry & IndexExtras).overrides;
  return isStringArray(v) ? v : null;
}

/** "scenario · a=1, b=2"; the scenario alone without overrides; "–" when nothing is known. */
export function runLabel(scenario: string | null | undefined, overrides: readonly string[] | null): string {
  const name = scenario && scenario !== "" ? scenario : "–";
  return overrides && overrides.length > 0 ? `${name} · ${overrides.join(", ")}` : name;
}

/** The label of an index entry. */
export function entryLabel(e: RunIndexEntry): string {
  return runLabel(e.scenario, entryOverrides(e));
}

/**
 * The `--set` values of a command line as the manifest records it (`--set 'a=1' --set b=2`,
 * `--set=a=1`), in order; single and double quotes are removed.
 */
export function setFlags(command: string | null | undefined): string[] {
  if (!command) return [];
  const out: string[] = [];
  const re = /--set(?:=|\s+)(?:'([^']*)'|"([^"]*)"|(\S+))/g;
  for (let m = re.exec(command); m !== null; m = re.exec(command)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out.filter((s) => s !== "");
}
