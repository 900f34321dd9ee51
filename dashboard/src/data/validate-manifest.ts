/**
 * Checks a parsed `manifest.json` (the last file a run writes, so its presence marks a complete run)
 * and keeps what the dashboard shows: run id, command, seed, replications, wall time, git commit.
 * @module
 */

import { Checker } from "./_check.js";
import type { RunManifest } from "./run-types.js";

/**
 * @param json the parsed file
 * @returns the typed manifest
 * @throws {RunDataError} when it is not an object or a shown field has the wrong type
 */
export function validateManifest(json: unknown): RunManifest {
  const c = new Checker("manifest.json");
  const m = c.object(json, "the document");
  const kind = m.kind === undefined ? "run" : c.string(m.kind, "kind");
  if (kind !== "run" && kind !== "sweep") c.string(0, `kind ("run" or "sweep")`);
  return {
    runId: c.stringOrNull(m.runId, "runId"),
    command: c.stringOrNull(m.command, "command"),
    kind: kind as "run" | "sweep",
    seed: c.numberOrNull(m.seed, "seed"),
    replications: c.numberOrNull(m.replications, "replications"),
    wallSeconds: c.numberOrNull(m.wallSeconds, "wallSeconds"),
    gitCommit: c.stringOrNull(m.gitCommit, "gitCommit"),
  };
}
