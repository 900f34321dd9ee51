/**
 * Claiming a run's output directory (DESIGN.md §4, §9, issue 7). {@link claimRunDirectory} runs
 * before any simulation: it creates the missing parents, creates the target with a plain `mkdir`
 * (or accepts an existing empty directory) and claims it by creating `.claim` with
 * `O_CREAT|O_EXCL` — exactly one of any number of concurrent runs succeeds; every other one fails
 * at once with {@link InputError} `E_OUTPUT_CLAIMED` (exit 2). Writing `.claim` and creating the
 * `.partial-…` staging directory inside the target also proves the location writable up front.
 * {@link RunClaim.commit} writes every file into the staging directory, manifest.json last, then
 * hard-links each into place (link(2) never replaces a file; rename is the fallback only where
 * hard links are unsupported) and removes `.claim`. A name that exists is never deleted or
 * replaced: the only things ever removed are files and directories this claim created.
 *
 * A crash or Ctrl-C leaves the target holding `.claim` (and perhaps `.partial-…`), never a
 * manifest.json: nothing that looks complete. Such a directory is refused with a message saying
 * which process claimed it and whether it is still running ({@link claimedError}).
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";
import { checkPath, dangling, ensureDirectory, errno, fsFailure, isSymlink, show } from "./output-path.js";

/** Files of a run by plain file name; `manifest.json` (if present) is written and linked last. */
export type RunFiles = Record<string, string | Uint8Array>;

/** The marker a run creates exclusively inside its target directory while it owns it. */
export const CLAIM_FILE = ".claim";

/** What `.claim` records about its owner. */
interface ClaimRecord {
  pid: number;
  host: string;
  started: string;
  nonce: string;
}

/** The record in `dir`'s `.claim`, or null when it is absent or unreadable. */
function readClaim(dir: string): ClaimRecord | null {
  try {
    const r = JSON.parse(readFileSync(join(dir, CLAIM_FILE), "utf8")) as Partial<ClaimRecord>;
    return typeof r.pid === "number" && typeof r.host === "string" ? (r as ClaimRecord) : null;
  } catch {
    return null;
  }
}

/** True unless `pid` surely no longer runs on this host. */
function alive(record: ClaimRecord): boolean {
  if (record.host !== hostname()) return true;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== "ESRCH";
  }
}

/** The refusal for a directory another run has claimed (exit 2). */
function claimedError(label: string, shown: string, dir: string): InputError {
  const r = readClaim(dir);
  const who = r ? `run pid ${r.pid} on ${r.host}, started ${r.started}` : "another run (starting)";
  const message =
    r && !alive(r)
      ? `${label} ${show(shown)}: claimed by ${who}, which is no longer running (interrupted); remove ${show(dir)} to reuse it, or choose another directory`
      : `${label} ${show(shown)}: already claimed by ${who}, which is writing into it; choose another directory`;
  return new InputError(message, "E_OUTPUT_CLAIMED");
}

/** The refusal for an existing directory that holds anything (exit 2). */
const notEmpty = (label: string, shown: string): InputError =>
  new InputError(
    `${label} ${show(shown)}: the directory exists and is not empty; choose a new one`,
    "E_OUTPUT",
  );

/**
 * Refuses an existing target (`st` is its stat) unless it is an empty directory that no run has
 * claimed. @throws InputError (exit 2) or OutputError (exit 3)
 */
export function checkExistingTarget(label: string, dir: string, abs: string, st: Stats): void {
  if (!st.isDirectory())
    throw new InputError(
      `${label} ${show(dir)}: exists and is not a directory; choose a new one`,
      "E_OUTPUT",
    );
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch (e) {
    throw fsFailure(label, dir, "list", e);
  }
  if (entries.includes(CLAIM_FILE)) throw claimedError(label, dir, abs);
  if (entries.length > 0) throw notEmpty(label, dir);
}

/** An output directory this process owns until it commits or abandons it. */
export interface RunClaim {
  /** The directory as given. */
  readonly dir: string;
  /**
   * Writes `files` (plain file names) into the directory: staged, manifest.json last, then linked
   * into place; the claim ends. @throws OutputError on a file-system failure (nothing is left behind)
   */
  commit(files: RunFiles): void;
  /** Gives the directory back: removes what this claim created (idempotent, never throws). */
  abandon(): void;
}

/**
 * Claims `dir` for one run before anything is simulated (see the module comment).
 * @param label how the user named the location in messages (`--out`).
 * @throws InputError if the path is empty, the directory is not empty or already claimed (exit 2);
 *   OutputError if the location cannot be created or written (exit 3).
 */
export function claimRunDirectory(dir: string, label = "--out"): RunClaim {
  const abs = checkPath(label, dir);
  ensureDirectory(label, dir, dirname(abs));
  let created = false;
  try {
    mkdirSync(abs);
    created = true;
  } catch (e) {
    if (errno(e) !== "EEXIST") throw fsFailure(label, dir, "create directory", e);
    let st;
    try {
      st = statSync(abs);
    } catch (e2) {
      if (errno(e2) === "ENOENT" && isSymlink(abs)) throw dangling(label, dir, abs);
      throw fsFailure(label, dir, "use", e2);
    }
    checkExistingTarget(label, dir, abs, st);
  }

  const claimPath = join(abs, CLAIM_FILE);
  const record: ClaimRecord = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    nonce: randomBytes(8).toString("hex"),
  };
  const removeDir = (): void => {
    if (!created) return;
    try {
      rmdirSync(abs); // only ever succeeds on the empty directory this claim created
    } catch {
      // not empty or already gone: leave it
    }
  };
  let fd: number;
  try {
    fd = openSync(claimPath, "wx", 0o644);
  } catch (e) {
    if (errno(e) === "EEXIST") throw claimedError(label, dir, abs);
    removeDir();
    throw fsFailure(label, dir, "create", e);
  }
  const staging = join(abs, `.partial-${basename(abs)}-${randomBytes(4).toString("hex")}`);
  const release = (keepDir = false): void => {
    try {
      rmdirSync(staging);
    } catch {
      // absent or holding files this claim already removed
    }
    try {
      if (readClaim(abs)?.nonce === record.nonce) unlinkSync(claimPath);
    } catch {
      // already gone
    }
    if (!keepDir) removeDir();
  };
  try {
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    } finally {
      closeSync(fd);
    }
    // Something that does not follow the protocol may have written here meanwhile.
    if (readdirSync(abs).some((f) => f !== CLAIM_FILE)) {
      release();
      throw notEmpty(label, dir);
    }
    mkdirSync(staging);
  } catch (e) {
    if (e instanceof InputError) throw e;
    release();
    throw fsFailure(label, dir, "write", e);
  }

  let done = false;
  return {
    dir,
    commit(files: RunFiles): void {
      if (done) throw new Error("run directory already committed or abandoned");
      const names = Object.keys(files).sort(
        (a, b) =>
          Number(a === "manifest.json") - Number(b === "manifest.json") || (a < b ? -1 : a > b ? 1 : 0),
      );
      for (const n of names) {
        if (
          n === "" ||
          n === "." ||
          n === ".." ||
          n.includes("/") ||
          n.includes("\\") ||
          n.startsWith(".claim")
        )
          throw new Error(`run file name must be a plain file name, got ${JSON.stringify(n)}`);
      }
      if (readClaim(abs)?.nonce !== record.nonce) {
        done = true;
        throw new InputError(
          `${label} ${show(dir)}: this run's claim (${CLAIM_FILE}) was removed or replaced while it ran; nothing was written`,
          "E_OUTPUT_CLAIMED",
        );
      }
      const staged: string[] = [];
      const placed: string[] = [];
      try {
        for (const n of names) {
          writeFileSync(join(staging, n), files[n]!, { flag: "wx" });
          staged.push(n);
        }
        for (const n of names) {
          const linked = place(join(staging, n), join(abs, n));
          placed.push(n);
          staged.splice(staged.indexOf(n), 1);
          if (linked) unlinkSync(join(staging, n));
        }
      } catch (e) {
        // Remove only what this claim wrote; manifest.json goes first so nothing looks complete.
        for (const n of placed.reverse()) tryUnlink(join(abs, n));
        for (const n of staged) tryUnlink(join(staging, n));
        done = true;
        release();
        throw fsFailure(label, dir, "write", e);
      }
      done = true;
      release(true);
    },
    abandon(): void {
      if (done) return;
      done = true;
      release();
    },
  };
}

/**
 * Moves a staged file to its final name without ever replacing an existing file: true when hard-
 * linked (the staged name is still to be unlinked), false when renamed.
 */
function place(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (e) {
    const code = errno(e);
    if (
      code !== "EPERM" &&
      code !== "ENOTSUP" &&
      code !== "EOPNOTSUPP" &&
      code !== "ENOSYS" &&
      code !== "EXDEV"
    )
      throw e;
    // No hard links here (some FUSE/FAT mounts): a rename, after checking the name is free.
    let exists = true;
    try {
      lstatSync(to);
    } catch {
      exists = false;
    }
    if (exists)
      throw Object.assign(new Error(`EEXIST: file already exists, rename '${to}'`), {
        code: "EEXIST",
        path: to,
      });
    renameSync(from, to);
    return false;
  }
}

function tryUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}
