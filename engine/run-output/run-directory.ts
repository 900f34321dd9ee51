/**
 * Writes one run's output directory atomically (DESIGN.md §4, §9): every file goes into a hidden
 * `.partial-…` sibling first, manifest.json last, then one rename makes the run appear complete.
 * A crash or Ctrl-C leaves at most a `.partial-…` directory, never one that looks complete, and
 * never touches another run.
 * @module
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";

/** Files of a run; `manifest.json` (if present) is written last. */
export type RunFiles = Record<string, string | Uint8Array>;

/** Refuses a target that already holds files. @throws InputError */
export function checkRunTarget(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new InputError(`--out ${dir}: the directory exists and is not empty; choose a new one`, "E_OUTPUT");
  }
}

/** Writes `files` into `dir` atomically. @throws InputError if `dir` exists and is not empty. */
export function writeRunDirectory(dir: string, files: RunFiles): void {
  checkRunTarget(dir);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const partial = join(parent, `.partial-${basename(dir)}-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(partial);
    const names = Object.keys(files).sort(
      (a, b) => Number(a === "manifest.json") - Number(b === "manifest.json"),
    );
    for (const name of names) writeFileSync(join(partial, name), files[name]!);
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    renameSync(partial, dir);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}
