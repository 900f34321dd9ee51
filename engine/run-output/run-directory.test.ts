/**
 * writeRunDirectory writes atomically (DESIGN.md §4, §9): files go into a hidden `.partial-…`
 * sibling, manifest.json last, and one rename makes the run appear complete.
 */
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InputError } from "../errors.js";
import { checkRunTarget, writeRunDirectory } from "./run-directory.js";

/** Every writeFileSync call, with whether the final directory existed (non-empty) at that moment. */
const spy = vi.hoisted(() => ({
  writes: [] as { path: string; targetExisted: boolean }[],
  target: null as string | null,
}));
const writes = spy.writes;

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const writeFileSync: typeof actual.writeFileSync = (file, data, options) => {
    const target = spy.target;
    spy.writes.push({
      path: String(file),
      targetExisted: target !== null && actual.existsSync(target) && actual.readdirSync(target).length > 0,
    });
    actual.writeFileSync(file, data, options);
  };
  return { ...actual, writeFileSync, default: { ...actual, writeFileSync } };
});

const root = fs.mkdtempSync(join(tmpdir(), "myna-run-dir-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let parent: string;
let n = 0;
beforeEach(() => {
  parent = join(root, `case-${++n}`);
  fs.mkdirSync(parent);
  writes.length = 0;
  spy.target = null;
});
afterEach(() => {
  spy.target = null;
});

const FILES = {
  "manifest.json": '{"run":1}\n',
  "summary.json": "{}\n",
  "timeseries.csv": "date\n",
  "report.md": "# r\n",
  "report.html": "<html></html>\n",
  "bytes.bin": Uint8Array.of(0, 1, 2, 255),
};

describe("writeRunDirectory", () => {
  it("writes every file, manifest.json last, and the directory appears only complete", () => {
    const dir = join(parent, "run");
    spy.target = dir;
    writeRunDirectory(dir, FILES);
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(FILES).sort());
    expect(fs.readFileSync(join(dir, "manifest.json"), "utf8")).toBe('{"run":1}\n');
    expect([...fs.readFileSync(join(dir, "bytes.bin"))]).toEqual([0, 1, 2, 255]);
    expect(writes).toHaveLength(Object.keys(FILES).length);
    expect(writes.at(-1)!.path.endsWith("manifest.json")).toBe(true);
    // Every file was written elsewhere (a hidden .partial- sibling) while the run did not exist yet.
    for (const w of writes) {
      expect(w.targetExisted).toBe(false);
      expect(w.path.startsWith(join(parent, ".partial-run-"))).toBe(true);
    }
    // Nothing is left beside the run.
    expect(fs.readdirSync(parent)).toEqual(["run"]);
  });

  it("puts manifest.json last whatever the key order", () => {
    const dir = join(parent, "run");
    writeRunDirectory(dir, { "manifest.json": "{}", "a.txt": "a", "z.txt": "z" });
    expect(writes.map((w) => w.path.split("/").at(-1))).toEqual(["a.txt", "z.txt", "manifest.json"]);
  });

  it("creates missing parent directories", () => {
    const dir = join(parent, "deep", "er", "run");
    writeRunDirectory(dir, { "manifest.json": "{}" });
    expect(fs.readdirSync(dir)).toEqual(["manifest.json"]);
  });

  it("writes into an existing empty directory", () => {
    const dir = join(parent, "run");
    fs.mkdirSync(dir);
    writeRunDirectory(dir, { "summary.json": "{}", "manifest.json": "{}" });
    expect(fs.readdirSync(dir).sort()).toEqual(["manifest.json", "summary.json"]);
    expect(fs.readdirSync(parent)).toEqual(["run"]);
  });

  it("refuses a non-empty target and leaves it untouched", () => {
    const dir = join(parent, "run");
    fs.mkdirSync(dir);
    fs.writeFileSync(join(dir, "keep.txt"), "precious");
    writes.length = 0;
    let error: unknown;
    try {
      writeRunDirectory(dir, FILES);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("E_OUTPUT");
    expect((error as InputError).message).toContain(dir);
    expect(fs.readdirSync(dir)).toEqual(["keep.txt"]);
    expect(fs.readFileSync(join(dir, "keep.txt"), "utf8")).toBe("precious");
    expect(writes).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual(["run"]);
    expect(() => checkRunTarget(dir)).toThrow(InputError);
  });

  it("checkRunTarget accepts a missing or empty directory", () => {
    expect(() => checkRunTarget(join(parent, "nope"))).not.toThrow();
    fs.mkdirSync(join(parent, "empty"));
    expect(() => checkRunTarget(join(parent, "empty"))).not.toThrow();
  });

  it("leaves no partial directory and no run when a write fails", () => {
    const dir = join(parent, "run");
    // A file in a sub-directory that does not exist makes writeFileSync fail part-way.
    expect(() =>
      writeRunDirectory(dir, { "a.txt": "a", "missing-sub/b.txt": "b", "manifest.json": "{}" }),
    ).toThrow();
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
    // manifest.json was never written.
    expect(writes.some((w) => w.path.endsWith("manifest.json"))).toBe(false);
  });

  it("a failed write into an existing empty directory leaves it as it was", () => {
    const dir = join(parent, "run");
    fs.mkdirSync(dir);
    expect(() => writeRunDirectory(dir, { "missing-sub/b.txt": "b", "manifest.json": "{}" })).toThrow();
    expect(fs.readdirSync(parent)).toEqual(["run"]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
