/**
 * Run output directories, claimed atomically and written atomically (DESIGN.md §4, §9).
 *
 * {@link claimRunDirectory} runs before any simulation: it creates the missing parents (its own
 * loop — Node's recursive mkdir spins forever under /proc), creates the target with a plain
 * `mkdir` (or accepts an existing empty directory) and claims it by creating `.claim` with
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
 * which process claimed it and that it is no longer running. File-system failures (EACCES, EROFS,
 * ENOSPC, ENOTDIR, ELOOP, a dangling symbolic link, …) become one-line {@link OutputError}s
 * naming the path and the cause (exit 3).
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
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { InputError, OutputError } from "../errors.js";

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

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a component of the path is not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  ENOENT: "no such file or directory",
  EEXIST: "already exists",
  EISDIR: "is a directory",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EMLINK: "too many links",
  EFBIG: "file too large",
  EBUSY: "resource busy",
  EINVAL: "invalid argument",
};

/** A path as it can be shown on one line. */
const show = (p: string): string => (/^[\x20-\x7e\u00a0-\uffff]*$/.test(p) ? p : JSON.stringify(p));

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** A file-system failure as a one-line OutputError naming the path and the cause. */
function fsFailure(label: string, dir: string, action: string, e: unknown): OutputError {
  const err = e as NodeJS.ErrnoException;
  const code = errno(e);
  const at = typeof err?.path === "string" ? err.path : dir;
  const reason = code ? `${REASONS[code] ?? err.message.split(":")[0]} (${code})` : String(err?.message ?? e);
  return new OutputError(`${label} ${show(dir)}: cannot ${action} ${show(at)}: ${reason}`, at, { cause: e });
}

/** Refuses an empty or NUL-containing path before anything touches the file system. */
function checkPath(label: string, dir: string): string {
  if (dir.trim() === "")
    throw new InputError(`${label}: expected a directory path, got an empty string`, "E_OUTPUT");
  if (dir.includes("\0"))
    throw new InputError(`${label} ${show(dir)}: a path cannot contain a NUL byte`, "E_OUTPUT");
  return resolve(dir);
}

/** The error for a symbolic link whose target does not exist. */
function dangling(label: string, dir: string, link: string): OutputError {
  let to = "?";
  try {
    to = readlinkSync(link);
  } catch {
    // unreadable link: say so without its target
  }
  return new OutputError(
    `${label} ${show(dir)}: ${show(link)} is a dangling symbolic link (to ${show(to)}, which does not exist)`,
    link,
  );
}

/**
 * Makes sure `dir` is a directory, creating it and its missing ancestors one `mkdir` at a time
 * (bounded by the number of path components). @throws OutputError
 */
function ensureDirectory(label: string, shown: string, dir: string): void {
  const missing: string[] = [];
  for (let p = dir; ;) {
    try {
      if (!statSync(p).isDirectory()) {
        throw new OutputError(`${label} ${show(shown)}: ${show(p)} exists and is not a directory`, p);
      }
      break;
    } catch (e) {
      if (e instanceof OutputError) throw e;
      if (errno(e) === "ENOTDIR") throw throughFile(label, shown, p, e);
      if (errno(e) !== "ENOENT") throw fsFailure(label, shown, "use", e);
      if (isSymlink(p)) throw dangling(label, shown, p);
      missing.push(p);
      const up = dirname(p);
      if (up === p) throw fsFailure(label, shown, "use", e);
      p = up;
    }
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      if (errno(e) === "EEXIST" && isDirectory(p)) continue;
      throw fsFailure(label, shown, "create directory", e);
    }
  }
}

/** ENOTDIR at `p`: names the ancestor that is a file, not a directory. */
function throughFile(label: string, shown: string, p: string, e: unknown): OutputError {
  for (let q = dirname(p); dirname(q) !== q; q = dirname(q)) {
    try {
      if (!statSync(q).isDirectory())
        return new OutputError(`${label} ${show(shown)}: ${show(q)} exists and is not a directory`, q);
    } catch {
      // keep looking upwards
    }
  }
  return fsFailure(label, shown, "use", e);
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

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

const notEmpty = (label: string, shown: string): InputError =>
  new InputError(
    `${label} ${show(shown)}: the directory exists and is not empty; choose a new one`,
    "E_OUTPUT",
  );

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
    if (!st.isDirectory())
      throw new InputError(
        `${label} ${show(dir)}: exists and is not a directory; choose a new one`,
        "E_OUTPUT",
      );
    let entries: string[];
    try {
      entries = readdirSync(abs);
    } catch (e2) {
      throw fsFailure(label, dir, "list", e2);
    }
    if (entries.includes(CLAIM_FILE)) throw claimedError(label, dir, abs);
    if (entries.length > 0) throw notEmpty(label, dir);
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
