/**
 * Test helper: runs the `myna-twin` CLI from its TypeScript sources in a child process (through
 * tsx), at most two at a time per test file (the machine is shared and each start costs ≈1 s of
 * CPU), and checks the one-line error contract. Used by the cli/*.test.ts files only.
 * @module
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/** The project root (the CLI runs with it as its working directory). */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SLOTS = 2;
let busy = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(f: () => Promise<T>): Promise<T> {
  if (busy >= SLOTS) await new Promise<void>((r) => waiting.push(r));
  else busy++;
  try {
    return await f();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}

/** Starts `myna-twin ...args` without waiting (for tests that signal it); outside the two slots. */
export function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

/** A `myna-twin serve …` child process started by {@link startServe}. */
export interface ServeChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** The base URL from its `listening on http://HOST:PORT` line; rejects if it ends first. */
  readonly url: Promise<string>;
  /** Its exit code once it has closed. */
  readonly exited: Promise<number | null>;
  /** What it has written to stderr so far. */
  stderr(): string;
}

/** Starts `myna-twin serve ...args` (DESIGN.md §5: one `listening on` line once it accepts requests). */
export function startServe(args: string[]): ServeChild {
  const child = startCli(["serve", ...args]);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("close", () => reject(new Error(`serve ended early: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

/** Runs `myna-twin ...args` with `input` on stdin and extra environment variables. */
export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Outcome> {
  return withSlot(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
          cwd: ROOT,
          env: { ...process.env, NO_COLOR: "1", ...options.env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(options.input ?? "");
      }),
  );
}

/** One line of stderr, starting `myna-twin: `, and no stack trace. */
export function expectOneCleanLine(o: Outcome): void {
  const lines = o.stderr.trimEnd().split("\n");
  expect(lines, o.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^myna-twin: /);
  expect(o.stderr).not.toMatch(/^\s+at /m);
}
