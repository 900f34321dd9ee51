/**
 * The directory lock (engine/dir-lock.ts): one live holder at a time, a second taker refused with
 * E_DIR_LOCKED naming the holder; a lock left by a process that is gone (a dead pid, or a pid now
 * used by a process started at another time) is taken over; another host's lock is refused; a
 * release removes only the releaser's own lock.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCK_FILE, lockDirectory, processStartTime, type LockHolder } from "./dir-lock.js";
import { OutputError } from "./errors.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "myna-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const holder = (over: Partial<LockHolder>): LockHolder => ({
  pid: process.pid,
  started: processStartTime(process.pid),
  host: hostname(),
  command: "myna-twin serve --hub x",
  since: "2026-12-02T00:00:00.000Z",
  ...over,
});
const writeLock = (h: LockHolder) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(h));

function refusal(f: () => unknown): OutputError {
  try {
    f();
  } catch (e) {
    if (e instanceof OutputError) return e;
    throw e;
  }
  throw new Error("expected an OutputError");
}

describe("lockDirectory", () => {
  it("holds the directory for one holder at a time, and names the holder to the next", () => {
    const lock = lockDirectory(dir, "--hub d", "first");
    const h = JSON.parse(readFileSync(lock.path, "utf8")) as LockHolder;
    expect([h.pid, h.command, h.host]).toEqual([process.pid, "first", hostname()]);
    const e = refusal(() => lockDirectory(dir, "--hub d", "second"));
    expect(e.code).toBe("E_DIR_LOCKED");
    expect(e.message).toContain(`--hub d: in use by process ${process.pid}`);
    expect(e.message).toContain("(first, since ");
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(lock.path)).toBe(false);
    lockDirectory(dir, "--hub d", "second").release();
    // no temporary file is left behind
    expect(spawnSync("ls", ["-A", dir]).stdout.toString()).toBe("");
  });

  it("takes over a lock whose process is gone", () => {
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const gone = Number(child.stdout.toString());
    writeLock(holder({ pid: gone, started: null }));
    const lock = lockDirectory(dir, "--hub d", "after a crash");
    expect((JSON.parse(readFileSync(lock.path, "utf8")) as LockHolder).command).toBe("after a crash");
    lock.release();
  });

  it.runIf(processStartTime(process.pid) !== null)(
    "takes over a lock whose pid now belongs to a process started at another time",
    () => {
      writeLock(holder({ started: processStartTime(process.pid)! - 1 }));
      lockDirectory(dir, "--hub d", "new").release();
    },
  );

  it("refuses another host's lock (it cannot be checked), saying which file to remove", () => {
    writeLock(holder({ host: `${hostname()}-elsewhere`, pid: 1 }));
    const e = refusal(() => lockDirectory(dir, "--hub d", "x"));
    expect(e.code).toBe("E_DIR_LOCKED");
    expect(e.message).toContain(`remove ${join(dir, LOCK_FILE)}`);
  });

  it("refuses a lock file it did not write, and leaves it", () => {
    writeFileSync(join(dir, LOCK_FILE), "garbage");
    const e = refusal(() => lockDirectory(dir, "--hub d", "x"));
    expect(e.message).toContain("not a lock file this program wrote");
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe("garbage");
  });

  it("a release leaves a lock that another holder has taken since", () => {
    const lock = lockDirectory(dir, "--hub d", "mine");
    writeLock(holder({ since: "2030-01-01T00:00:00.000Z", command: "theirs" }));
    lock.release();
    expect((JSON.parse(readFileSync(lock.path, "utf8")) as LockHolder).command).toBe("theirs");
  });

  it("says which directory cannot be written", () => {
    const e = refusal(() => lockDirectory(join(dir, "missing"), "--hub m", "x"));
    expect(e.code).toBe("E_OUTPUT_FS");
    expect(e.message).toContain("--hub m: cannot write its lock file");
  });
});
