/**
 * The code version a queued task and its result carry (issue 13 item 3): the project's package
 * version and git commit (`-dirty` when the tree has uncommitted changes;
 * engine/run-output/environment-info.ts). A worker refuses a task of another version and a
 * coordinator refuses a result of another version, so a run never mixes two versions' numbers.
 * @module
 */
import { gitCommit, projectPackage } from "../run-output/environment-info.js";

/** `myna-twin@0.1.0+<commit>` (`+no-git` outside a git checkout). */
export function codeVersion(root: string): string {
  const pkg = projectPackage(root);
  return `myna-twin@${pkg?.version ?? "unknown"}+${gitCommit(root) ?? "no-git"}`;
}
