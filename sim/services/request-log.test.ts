/**
 * Tests of the service's log sinks (request-log.ts): a log file that cannot be opened is one typed
 * OutputError naming the path (exit 3 from the CLI), not an internal failure with a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isOutputError } from "../../engine/errors.js";
import { FILE_BUFFER_BYTES, FILE_FLUSH_MS, ServiceLogger, fileSink } from "./request-log.js";

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

  it("keeps every line whole and in order across buffer flushes, multi-byte and oversized lines included", async () => {
    const path = join(dir, "many.log");
    const sink = fileSink(path);
    const log = new ServiceLogger(sink);
    const long = "長".repeat(FILE_BUFFER_BYTES); // one line bigger than the buffer
    const expected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const note = i === 1500 ? long : i % 7 === 0 ? `番号-${i}` : `n-${i}`;
      log.info("request", { i, note });
      expected.push(note);
    }
    await sink.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(3000);
    expect(lines.map((l) => (JSON.parse(l) as { note: string }).note)).toEqual(expected);
  });

  it("writes waiting lines on its timer, without being closed", async () => {
    const path = join(dir, "timer.log");
    const sink = fileSink(path);
    new ServiceLogger(sink).info("request", { status: 201 });
    // The timer's own wait, then polled (a loaded machine may run it late).
    await new Promise((r) => setTimeout(r, FILE_FLUSH_MS));
    for (let k = 0; k < 100 && !readFileSync(path, "utf8").includes('"status":201'); k++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(path, "utf8")).toContain('"status":201');
    await sink.close();
  });
});
