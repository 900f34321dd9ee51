/**
 * Test and benchmark helper: a throw-away `redis-server` on a free port of 127.0.0.1, with no
 * persistence (`--save '' --appendonly no`) and its working directory in a temporary folder, and a
 * way to stop it (or kill it, to test a Redis that goes away). Needs Debian's `redis-server`
 * (.ci/run installs it). Used by the engine/queue and cli tests and by bench/queue.ts only.
 * @module
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestRedis {
  port: number;
  /** `redis://127.0.0.1:PORT/0`. */
  url: string;
  process: ChildProcess;
  /** Stops the server (SIGTERM) and removes its directory. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * True when `redis-server` runs here. `npm test` must pass without Redis (issue 13: nothing but the
 * queue needs it), so the queue's tests are skipped without it on a developer machine — and fail
 * when `CI` is set, where .ci/run installs it.
 */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** What a queue test file says when redis-server is missing (CI: a failure; elsewhere: a skip). */
export const MISSING_REDIS =
  "redis-server is missing: install it (apt-get install --no-install-recommends redis-server); .ci/run does";

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "myna-redis-"));
    try {
      const child = await launch(port, dir);
      const stop = async (): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((r) => child.once("exit", () => r()));
          child.kill("SIGTERM");
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      };
      return { port, url: `redis://127.0.0.1:${port}/0`, process: child, stop };
    } catch (e) {
      lastError = e;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.resume();
    child.once("error", (e) =>
      reject(
        new Error(
          `cannot start redis-server (${e.message}); install it: apt-get install --no-install-recommends redis-server`,
        ),
      ),
    );
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${out}`)),
    );
  });
}
