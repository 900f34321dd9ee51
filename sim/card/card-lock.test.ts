import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CardLock, isProcessAlive } from "./card-lock.js";
import { CardBusyError } from "./errors.js";

const dir = mkdtempSync(join(tmpdir(), "myna-card-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has ended (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}

describe("CardLock", () => {
  it("is exclusive while held, and free again once released", () => {
    const file = join(dir, "a.lock");
    const lock = CardLock.acquire(file);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => CardLock.acquire(file)).toThrow(CardBusyError);
    expect(() => CardLock.acquire(file)).toThrow(/in use by another session \(pid \d+/);
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(file)).toBe(false);
    CardLock.acquire(file).release();
  });

  it("breaks a lock whose process is dead (kill -9 leaves one behind)", () => {
    const file = join(dir, "stale.lock");
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    writeFileSync(file, JSON.stringify({ pid, host: hostname(), token: "dead", since: "then" }));
    const lock = CardLock.acquire(file);
    expect(JSON.parse(readFileSync(file, "utf8")).pid).toBe(process.pid);
    expect(existsSync(`${file}.break`)).toBe(false);
    lock.release();
  });

  it("never breaks a live holder's lock, another host's lock or a file it did not write", () => {
    const live = join(dir, "live.lock");
    writeFileSync(live, JSON.stringify({ pid: process.ppid, host: hostname(), token: "x", since: "s" }));
    expect(() => CardLock.acquire(live)).toThrow(CardBusyError);
    const foreign = join(dir, "foreign.lock");
    writeFileSync(
      foreign,
      JSON.stringify({ pid: deadPid(), host: `${hostname()}-elsewhere`, token: "y", since: "s" }),
    );
    expect(() => CardLock.acquire(foreign)).toThrow(/on .*-elsewhere.*remove/);
    const junk = join(dir, "junk.lock");
    writeFileSync(junk, "not json");
    expect(() => CardLock.acquire(junk)).toThrow(/not a lock this program wrote/);
    expect(readFileSync(junk, "utf8")).toBe("not json");
  });

  it("release does not remove a lock that is no longer its own", () => {
    const file = join(dir, "taken.lock");
    const lock = CardLock.acquire(file);
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname(), token: "other", since: "s" }));
    lock.release();
    expect(existsSync(file)).toBe(true);
  });
});
