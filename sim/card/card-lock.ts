/**
 * The exclusive lock of a file-backed card: a card sits in one reader at a time, so one session
 * holds it from open to close and a second session on the same card is refused
 * ({@link CardBusyError}) instead of interleaving its PIN counter updates with the first (the lost
 * update of issue 7).
 *
 * The lock is a file created atomically with its content — written to a temporary name, then
 * hard-linked into place, which fails with `EEXIST` when the lock exists (link(2) is atomic, also
 * on NFS) — holding `{"pid", "host", "token", "since"}`. A lock left behind by a session that died
 * (kill -9, power cut) is stale when its host is this one and its pid is no longer alive
 * (`kill(pid, 0)` answers ESRCH). Breaking a stale lock is done under a second lock file
 * (`<lock>.break`, same protocol) and only if the lock still carries the stale token, so two
 * sessions that find the same stale lock cannot both take the card.
 *
 * Limits (docs/jpki.md): a lock from another host is never judged stale (remove it by hand); a pid
 * reused by an unrelated process keeps a stale lock alive until that process ends.
 * @module
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { CardBusyError } from "./errors.js";

/** The content of a lock file. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  /** ISO-8601 time the lock was taken. */
  readonly since: string;
}

/** True when a process with `pid` exists on this host. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(file: string): LockOwner | null | "missing" {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw e;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isSafeInteger(o.pid) && typeof o.host === "string" && typeof o.token === "string")
      return { pid: o.pid!, host: o.host, token: o.token, since: String(o.since ?? "") };
  } catch {
    // unreadable content: not ours to judge
  }
  return null;
}

/** Create `file` holding `owner`, atomically; false when it exists. */
function tryCreate(file: string, owner: LockOwner): boolean {
  const tmp = `${file}.${owner.pid}.${owner.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

function isStale(owner: LockOwner): boolean {
  return owner.host === hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid);
}

/** Remove `file` if it still carries `token`; under `<file>.break` so breakers do not race. */
function breakStale(file: string, stale: LockOwner, me: LockOwner): void {
  const breaker = `${file}.break`;
  if (!tryCreate(breaker, me)) {
    const b = readOwner(breaker);
    // a breaker that died within its few system calls leaves this behind
    if (b !== "missing" && b !== null && isStale(b)) unlinkIfToken(breaker, b.token);
    return;
  }
  try {
    unlinkIfToken(file, stale.token);
  } finally {
    unlinkIfToken(breaker, me.token);
  }
}

function unlinkIfToken(file: string, token: string): void {
  const o = readOwner(file);
  if (o !== "missing" && o !== null && o.token === token) {
    try {
      unlinkSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

/** A held card lock; {@link CardLock.release} gives it back. */
export class CardLock {
  /** The lock file. */
  readonly file: string;
  readonly #owner: LockOwner;
  #held = true;

  private constructor(file: string, owner: LockOwner) {
    this.file = file;
    this.#owner = owner;
  }

  /**
   * Take the lock `file` (its directory must exist), breaking it if its holder is dead.
   * @throws CardBusyError when a live session (or another host) holds it
   */
  static acquire(file: string): CardLock {
    const me: LockOwner = {
      pid: process.pid,
      host: hostname(),
      token: randomBytes(8).toString("hex"),
      since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 8; attempt++) {
      if (tryCreate(file, me)) return new CardLock(file, me);
      const owner = readOwner(file);
      if (owner === "missing") continue; // released meanwhile
      if (owner === null)
        throw new CardBusyError(
          `the lock file ${file} is not a lock this program wrote; remove it if no session uses the card`,
        );
      if (!isStale(owner)) {
        const where = owner.host === me.host ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
        throw new CardBusyError(
          `the card is in use by another session (${where}, since ${owner.since}); a card sits in one reader at a time${owner.host === me.host ? "" : ` — if that session is gone, remove ${file}`}`,
        );
      }
      breakStale(file, owner, me);
    }
    throw new CardBusyError(`could not take the lock ${file} (contended); try again`);
  }

  /** Whether the lock is still held by this object. */
  get held(): boolean {
    return this.#held;
  }

  /** Give the lock back (idempotent). Removes the file only if it still carries this lock's token. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    unlinkIfToken(this.file, this.#owner.token);
  }
}
