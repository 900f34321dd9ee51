/**
 * Tests of the service's log sinks (request-log.ts): a log file that cannot be opened is one typed
 * OutputError naming the path (exit 3 from the CLI), not an internal failure with a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isOutputError } from "../../engine/errors.js";
import { ServiceLogger, fileSink } from "./request-log.js";

const dir = mkdtempSync(join(tmpdir(), "myna-request-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fileSink", () => {
  it("a path in a missing directory is an OutputError naming the path and the errno code", () => {
    const path = join(dir, "no-such-dir", "serve.log");
    let caught: unknown;
    try {
      fileSink(path);
    } catch (e) {
      caught = e;
    }
    expect(isOutputError(caught)).toBe(true);
    expect((caught as Error).message).toBe(`log file ${path}: cannot open it for appending (ENOENT)`);
  });

  it("appends JSON lines and writes them on close", async () => {
    const path = join(dir, "serve.log");
    const sink = fileSink(path);
    new ServiceLogger(sink).info("request", { status: 200 });
    await sink.close();
    const line = JSON.parse(readFileSync(path, "utf8").trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: "request", status: 200 });
  });
});
