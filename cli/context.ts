/**
 * What every command needs from its surroundings: the project root (for data/ and versions), the
 * run-id clock, and the manifest common to runs and sweeps. The only place the CLI reads the wall
 * clock; models never do.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STREAM_DERIVATION } from "../engine/random/index.js";
import { RUN_FORMAT_VERSION } from "../sim/run-format/index.js";
import { findPackageRoot, gitCommit, machineInfo, versions } from "../engine/run-output/environment-info.js";

export const ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const DATA_DIR = join(ROOT, "data");

/** `20261124-104512-s1`: sortable, unique enough per scenario and seed. */
export function newRunId(seed: number, now = new Date()): string {
  const iso = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${iso}-s${seed}`;
}

export function baseManifest(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    formatVersion: RUN_FORMAT_VERSION,
    tool: "myna-twin",
    ...extra,
    randomStreams: STREAM_DERIVATION,
    versions: versions(ROOT),
    gitCommit: gitCommit(ROOT),
    machine: machineInfo(),
  };
}

/** The command line as the user would retype it. */
export function commandLine(argv: string[]): string {
  return ["myna-twin", ...argv]
    .map((a) => (/^[\w./=,:@+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(" ");
}
