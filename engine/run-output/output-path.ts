/**
 * Output locations as the file system sees them (DESIGN.md §4, §9, issue 7): a path checked before
 * anything touches the disk (not empty, no NUL byte), missing parent directories created one
 * `mkdir` at a time (Node's recursive mkdir spins forever under /proc), and every file-system
 * failure (EACCES, EROFS, ENOSPC, ENOTDIR, ELOOP, a dangling symbolic link, …) turned into one
 * one-line {@link OutputError} naming the path and the cause (exit 3).
 * @module
 */
import { lstatSync, mkdirSync, readlinkSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError, OutputError } from "../errors.js";

/** Errno codes as short reasons, for messages. */
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
export const show = (p: string): string => (/^[\x20-\x7e\u00a0-\uffff]*$/.test(p) ? p : JSON.stringify(p));

/** The error code of a Node file-system error, if it has one. */
export const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** A file-system failure as a one-line OutputError naming the path and the cause. */
export function fsFailure(label: string, dir: string, action: string, e: unknown): OutputError {
  const err = e as NodeJS.ErrnoException;
  const code = errno(e);
  const at = typeof err?.path === "string" ? err.path : dir;
  const reason = code ? `${REASONS[code] ?? err.message.split(":")[0]} (${code})` : String(err?.message ?? e);
  return new OutputError(`${label} ${show(dir)}: cannot ${action} ${show(at)}: ${reason}`, at, { cause: e });
}

/** Refuses an empty or NUL-containing path before anything touches the file system. */
export function checkPath(label: string, dir: string): string {
  if (dir.trim() === "")
    throw new InputError(`${label}: expected a directory path, got an empty string`, "E_OUTPUT");
  if (dir.includes("\0"))
    throw new InputError(`${label} ${show(dir)}: a path cannot contain a NUL byte`, "E_OUTPUT");
  return resolve(dir);
}

/** The error for a symbolic link whose target does not exist. */
export function dangling(label: string, dir: string, link: string): OutputError {
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
export function ensureDirectory(label: string, shown: string, dir: string): void {
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
export function throughFile(label: string, shown: string, p: string, e: unknown): OutputError {
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

/** True when `p` itself is a symbolic link (whether or not its target exists). */
export function isSymlink(p: string): boolean {
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
