/**
 * The code version a queued task and its result carry (issue 13 item 3): the project's package
 * version and git commit (`-dirty` when the tree has uncommitted changes;
 * engine/run-output/environment-info.ts). A worker refuses a task of another version and a
 * coordinator refuses a result of another version, so a run never mixes two versions' numbers.
 * @module
 */
import { InputError } from "../errors.js";
import { gitCommit, projectPackage } from "../run-output/environment-info.js";

/**
 * `myna-twin@0.1.0+<commit>` (`+no-git` outside a git checkout), or the value of
 * `MYNA_TWIN_CODE_VERSION` when set (a build id for deployments without git; every coordinator and
 * worker of one deployment must then be given the same value).
 */
export function codeVersion(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.MYNA_TWIN_CODE_VERSION;
  if (given !== undefined && given !== "") {
    if (!/^[\x21-\x7e]{1,200}$/.test(given))
      throw new InputError(
        `MYNA_TWIN_CODE_VERSION: expected 1 to 200 printable ASCII characters without spaces, got ${JSON.stringify(given.slice(0, 40))}`,
      );
    return given;
  }
  const pkg = projectPackage(root);
  return `myna-twin@${pkg?.version ?? "unknown"}+${gitCommit(root) ?? "no-git"}`;
}
