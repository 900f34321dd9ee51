/**
 * Run output directories (DESIGN.md §4, §9, issue 7): {@link checkRunTarget} says, without
 * touching anything, whether a directory could be claimed now, and {@link writeRunDirectory}
 * claims one and writes a run's files into it atomically (engine/run-output/run-claim.ts). An
 * existing run is never deleted or replaced, and a crash leaves nothing that looks complete.
 * Unusable locations are `InputError`s (exit 2) or one-line {@link OutputError}s (exit 3).
 * @module
 */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { OutputError } from "../errors.js";
import { checkPath, dangling, errno, fsFailure, isSymlink, show, throughFile } from "./output-path.js";
import { checkExistingTarget, claimRunDirectory, type RunFiles } from "./run-claim.js";

/**
 * Checks, without claiming or creating anything, that `dir` could be claimed now: a usable path,
 * not an existing non-empty directory, not a file, not a dangling link, under a directory.
 * @throws InputError (exit 2) or OutputError (exit 3)
 */
export function checkRunTarget(dir: string, label = "--out"): void {
  const abs = checkPath(label, dir);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    if (errno(e) === "ENOTDIR") throw throughFile(label, dir, abs, e);
    if (errno(e) !== "ENOENT") throw fsFailure(label, dir, "use", e);
    if (isSymlink(abs)) throw dangling(label, dir, abs);
    // Missing: its nearest existing ancestor must be a directory.
    for (let p = dirname(abs); ; p = dirname(p)) {
      try {
        if (!statSync(p).isDirectory())
          throw new OutputError(`${label} ${show(dir)}: ${show(p)} exists and is not a directory`, p);
        return;
      } catch (e2) {
        if (e2 instanceof OutputError) throw e2;
        if (errno(e2) === "ENOTDIR") throw throughFile(label, dir, p, e2);
        if (errno(e2) !== "ENOENT" || dirname(p) === p) throw fsFailure(label, dir, "use", e2);
        if (isSymlink(p)) throw dangling(label, dir, p);
      }
    }
  }
  checkExistingTarget(label, dir, abs, st);
}

/**
 * Claims `dir` and writes `files` into it in one step (see {@link claimRunDirectory}).
 * @throws InputError if `dir` exists and is not empty or is claimed; OutputError on file-system failures.
 */
export function writeRunDirectory(dir: string, files: RunFiles, label = "--out"): void {
  const claim = claimRunDirectory(dir, label);
  try {
    claim.commit(files);
  } finally {
    claim.abandon();
  }
}
