import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileDurably } from "./durable-file.js";

const dir = mkdtempSync(join(tmpdir(), "myna-durable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileDurably", () => {
  it("replaces a file whole, 0600 by default, leaving no temporary file", () => {
    const file = join(dir, "a");
    writeFileSync(file, "old", { mode: 0o644 });
    writeFileDurably(file, "new");
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileDurably(file, Uint8Array.of(1, 2, 3), { mode: 0o644 });
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(["a"]);
  });

  it("with exclusive, never replaces an existing file and cleans up after itself", () => {
    const file = join(dir, "b");
    writeFileDurably(file, "first", { exclusive: true });
    expect(() => writeFileDurably(file, "second", { exclusive: true })).toThrow(/EEXIST/);
    expect(readFileSync(file, "utf8")).toBe("first");
    expect(readdirSync(dir).sort()).toEqual(["a", "b"]);
  });

  it("fails with the file system's error for a missing directory", () => {
    expect(() => writeFileDurably(join(dir, "missing", "c"), "x")).toThrow(/ENOENT/);
  });
});
