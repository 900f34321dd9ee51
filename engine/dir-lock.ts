/**
 * An exclusive lock on a directory, held by one live process — a pid file, as PostgreSQL's
 * `postmaster.pid`: `DIR/LOCK` names the holder (pid, its start time, host, command, since). The
 * file is made whole or not at all (written under a temporary name, then hard-linked into place:
 * `link` fails when the lock exists). A lock whose holder is gone — no such process on this host,
 * or the pid now belongs to a process started at another time (Linux `/proc/PID/stat` start time)
 * — is stale and taken over, so a crash or `kill -9` never leaves a dead end. A holder on another
 * host cannot be checked: its lock is refused, and the message says which file to remove.
 * Limit: two processes taking over the same stale lock at the same instant may both succeed (not
 * guarded: the processes that lock are started by hand).
 * @module
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { OutputError } from "./errors.js";

/** The lock file's name in the locked directory. */
export const LOCK_FILE = "LOCK";

/** What the lock file says. */
export interface LockHolder {
  readonly pid: number;
  /** Start time of the process (clock ticks since boot, /proc/PID/stat field 22); null off Linux. */
  readonly started: number | null;
  readonly host: string;
  readonly command: string;
  /** ISO-8601 time the lock was taken. */
  readonly since: string;
}

/** A lock taken by {@link lockDirectory}. */
export interface DirectoryLock {
  readonly path: string;
  /** Removes the lock file if it is still this process's (idempotent). */
  release(): void;
}

/** Start time of process `pid` (clock ticks since boot), or null when /proc cannot tell. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const started = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return Number.isFinite(started) ? started : null;
  } catch {
    return null;
  }
}

function readHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isSafeInteger(h.pid) && h.pid > 0 && typeof h.host === "string") return h;
  } catch {
    // falls through: not a lock this module wrote
  }
  throw new OutputError(
    `${path}: not a lock file this program wrote; remove it if no process uses the directory`,
    path,
  );
}

/** Whether the lock's holder may still be running (true when it cannot be checked). */
function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    // ESRCH: no such process. EPERM: it exists, owned by someone else.
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // The pid exists: the same process only if it started when the holder did.
  const now = processStartTime(h.pid);
  return h.started === null || now === null || now === h.started;
}

/**
 * Takes the lock of `dir` for this process. `label` names the directory in messages (e.g.
 * `--hub DIR`), `command` says what holds it.
 * @throws OutputError `E_DIR_LOCKED` when a live process holds it; OutputError when the lock file
 *   cannot be written or is not one of ours
 */
export function lockDirectory(dir: string, label: string, command: string): DirectoryLock {
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    started: processStartTime(process.pid),
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  const temp = join(dir, `.${LOCK_FILE}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  } catch (e) {
    throw new OutputError(`${label}: cannot write its lock file ${path} (${(e as Error).message})`, path, {
      cause: e,
    });
  }
  try {
    // Twice at most: the second after a stale lock is removed.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(temp, path);
        return {
          path,
          release: () => {
            const h = readHolderQuietly(path);
            if (h?.pid === me.pid && h.started === me.started && h.since === me.since) unlinkQuietly(path);
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const holder = readHolder(path);
      if (holder === undefined) continue;
      if (holderAlive(holder))
        throw new OutputError(
          `${label}: in use by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since}); stop it first — if that process is gone, remove ${path}`,
          path,
          { code: "E_DIR_LOCKED" },
        );
      unlinkQuietly(path);
    }
    throw new OutputError(`${label}: its lock ${path} was taken by another process meanwhile`, path, {
      code: "E_DIR_LOCKED",
    });
  } finally {
    unlinkQuietly(temp);
  }
}

function readHolderQuietly(path: string): LockHolder | undefined {
  try {
    return readHolder(path);
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
