/**
 * Run directories are claimed atomically and written atomically (DESIGN.md §4, §9): exactly one
 * of concurrent claimants wins, a name that exists is never deleted or replaced, files are staged
 * and manifest.json comes last, and file-system failures are one-line OutputErrors.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { InputError, OutputError } from "../errors.js";
import { CLAIM_FILE, claimRunDirectory } from "./run-claim.js";
import { checkRunTarget, writeRunDirectory } from "./run-directory.js";

/** Every writeFileSync call, with what the final directory held at that moment. */
const spy = vi.hoisted(() => ({
  writes: [] as { path: string; targetHeld: string[] }[],
  target: null as string | null,
  /** A file name whose write fails with this errno code (simulates a full disk). */
  failOn: null as { name: string; code: string } | null,
}));
const writes = spy.writes;

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const writeFileSync: typeof actual.writeFileSync = (file, data, options) => {
    const target = spy.target;
    spy.writes.push({
      path: String(file),
      targetHeld: target !== null && actual.existsSync(target) ? actual.readdirSync(target) : [],
    });
    if (spy.failOn && String(file).endsWith(`/${spy.failOn.name}`)) {
      throw Object.assign(new Error(`${spy.failOn.code}: simulated, write '${String(file)}'`), {
        code: spy.failOn.code,
        path: String(file),
      });
    }
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
  spy.failOn = null;
});

const FILES = {
  "manifest.json": '{"run":1}\n',
  "summary.json": "{}\n",
  "timeseries.csv": "date\n",
  "report.md": "# r\n",
  "report.html": "<html></html>\n",
  "bytes.bin": Uint8Array.of(0, 1, 2, 255),
};

/** The error `f` throws. */
function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return expect.fail("expected an error");
}

const oneLine = (e: Error): string => {
  expect(e.message.split("\n"), e.message).toHaveLength(1);
  return e.message;
};

describe("writeRunDirectory", () => {
  it("writes every file, manifest.json last, staged while the run holds no manifest", () => {
    const dir = join(parent, "run");
    spy.target = dir;
    writeRunDirectory(dir, FILES);
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(FILES).sort());
    expect(fs.readFileSync(join(dir, "manifest.json"), "utf8")).toBe('{"run":1}\n');
    expect([...fs.readFileSync(join(dir, "bytes.bin"))]).toEqual([0, 1, 2, 255]);
    expect(writes).toHaveLength(Object.keys(FILES).length);
    expect(writes.at(-1)!.path.endsWith("manifest.json")).toBe(true);
    for (const w of writes) {
      // Every file went into the hidden staging directory of the claimed run, which held only
      // the claim and the staging directory: nothing that looks like a run.
      expect(w.path.startsWith(join(dir, ".partial-run-"))).toBe(true);
      expect(w.targetHeld.filter((f) => !f.startsWith(".partial-"))).toEqual([CLAIM_FILE]);
    }
    // Nothing is left beside or inside the run: no claim, no staging directory.
    expect(fs.readdirSync(parent)).toEqual(["run"]);
  });

  it("puts manifest.json last whatever the key order", () => {
    writeRunDirectory(join(parent, "run"), { "manifest.json": "{}", "a.txt": "a", "z.txt": "z" });
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
    const e = errorOf(() => writeRunDirectory(dir, FILES));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe("E_OUTPUT");
    expect(oneLine(e)).toBe(`--out ${dir}: the directory exists and is not empty; choose a new one`);
    expect(fs.readdirSync(dir)).toEqual(["keep.txt"]);
    expect(fs.readFileSync(join(dir, "keep.txt"), "utf8")).toBe("precious");
    expect(writes).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual(["run"]);
    expect(() => checkRunTarget(dir)).toThrow(InputError);
  });

  it("checkRunTarget accepts a missing or empty directory and creates nothing", () => {
    expect(() => checkRunTarget(join(parent, "nope", "deeper"))).not.toThrow();
    fs.mkdirSync(join(parent, "empty"));
    expect(() => checkRunTarget(join(parent, "empty"))).not.toThrow();
    expect(fs.readdirSync(parent)).toEqual(["empty"]);
  });

  it("a full disk part-way (ENOSPC) is one OutputError naming the path; no run, no leftovers", () => {
    const dir = join(parent, "run");
    spy.failOn = { name: "report.md", code: "ENOSPC" };
    const e = errorOf(() => writeRunDirectory(dir, FILES));
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).code).toBe("E_OUTPUT_FS");
    expect(oneLine(e)).toMatch(
      new RegExp(
        `^--out ${dir}: cannot write ${dir}/\\.partial-run-[0-9a-f]+/report\\.md: no space left on device \\(ENOSPC\\)$`,
      ),
    );
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
    // manifest.json was never written.
    expect(writes.some((w) => w.path.endsWith("manifest.json"))).toBe(false);
  });

  it("a failed write into an existing empty directory leaves it as it was", () => {
    const dir = join(parent, "run");
    fs.mkdirSync(dir);
    spy.failOn = { name: "b.txt", code: "EIO" };
    expect(() => writeRunDirectory(dir, { "b.txt": "b", "manifest.json": "{}" })).toThrow(OutputError);
    expect(fs.readdirSync(parent)).toEqual(["run"]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("claimRunDirectory: one winner, nothing replaced", () => {
  it("the second claimant of the same directory fails at once; the winner's files are intact", () => {
    const dir = join(parent, "run");
    const a = claimRunDirectory(dir);
    expect(fs.readdirSync(dir).sort()[0]).toBe(CLAIM_FILE);
    const e = errorOf(() => claimRunDirectory(dir));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe("E_OUTPUT_CLAIMED");
    expect(oneLine(e)).toMatch(
      new RegExp(
        `^--out ${dir}: already claimed by run pid ${process.pid} on .*, which is writing into it; choose another directory$`,
      ),
    );
    a.commit({ "summary.json": "A", "manifest.json": "{}" });
    expect(fs.readdirSync(dir).sort()).toEqual(["manifest.json", "summary.json"]);
    expect(fs.readFileSync(join(dir, "summary.json"), "utf8")).toBe("A");
    // A finished run is not empty: a third claimant is refused and changes nothing.
    expect(errorOf(() => claimRunDirectory(dir)).message).toContain("exists and is not empty");
    expect(fs.readFileSync(join(dir, "summary.json"), "utf8")).toBe("A");
  });

  it("abandon gives back a directory it created, and an existing empty one as it was", () => {
    const dir = join(parent, "run");
    claimRunDirectory(dir).abandon();
    expect(fs.readdirSync(parent)).toEqual([]);
    fs.mkdirSync(dir);
    const c = claimRunDirectory(dir);
    c.abandon();
    c.abandon();
    expect(fs.readdirSync(dir)).toEqual([]);
    // And it can be claimed again.
    claimRunDirectory(dir).commit({ "manifest.json": "{}" });
    expect(fs.readdirSync(dir)).toEqual(["manifest.json"]);
  });

  it("commit never replaces a file that appeared in the directory meanwhile", () => {
    const dir = join(parent, "run");
    const c = claimRunDirectory(dir);
    fs.writeFileSync(join(dir, "summary.json"), "someone else's");
    const e = errorOf(() => c.commit({ "summary.json": "mine", "manifest.json": "{}" }));
    expect(e).toBeInstanceOf(OutputError);
    expect(e.message).toMatch(/already exists \(EEXIST\)$/);
    expect(fs.readFileSync(join(dir, "summary.json"), "utf8")).toBe("someone else's");
    expect(fs.readdirSync(dir)).toEqual(["summary.json"]);
  });

  it("a claim left by a process that died is refused with a message saying so", () => {
    const dir = join(parent, "run");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.mkdirSync(dir);
    fs.writeFileSync(
      join(dir, CLAIM_FILE),
      JSON.stringify({ pid: dead, host: hostname(), started: "2026-01-01T00:00:00.000Z", nonce: "x" }),
    );
    const e = errorOf(() => claimRunDirectory(dir));
    expect((e as InputError).code).toBe("E_OUTPUT_CLAIMED");
    expect(oneLine(e)).toBe(
      `--out ${dir}: claimed by run pid ${dead} on ${hostname()}, started 2026-01-01T00:00:00.000Z, which is no longer running (interrupted); remove ${dir} to reuse it, or choose another directory`,
    );
    expect(() => checkRunTarget(dir)).toThrow(/no longer running/);
    expect(fs.readdirSync(dir)).toEqual([CLAIM_FILE]);
  });

  it("six processes racing for one directory: exactly one wins, the others fail with the claim error", async () => {
    const dir = join(parent, "race");
    const module = fileURLToPath(new URL("./run-claim.ts", import.meta.url));
    // Each child claims as soon as it reads "go" on stdin, writes its id, and reports.
    const script = `
      import { claimRunDirectory } from ${JSON.stringify(module)};
      process.stdout.write("ready\\n");
      process.stdin.once("data", () => {
        let claim;
        try { claim = claimRunDirectory(process.argv[2]); }
        catch (e) { process.stdout.write(JSON.stringify({ lost: e.code, message: e.message }) + "\\n"); process.exit(0); }
        claim.commit({ "summary.json": process.argv[3], "manifest.json": JSON.stringify({ id: process.argv[3] }) });
        process.stdout.write(JSON.stringify({ won: process.argv[3] }) + "\\n");
        process.exit(0);
      });`;
    const file = join(parent, "child.mts");
    fs.writeFileSync(file, script);
    const children = Array.from({ length: 6 }, (_, i) => {
      const child = spawn(process.execPath, ["--import", "tsx", file, dir, `child-${i}`], {
        cwd: fileURLToPath(new URL("../../", import.meta.url)),
      });
      let out = "";
      const ready = new Promise<void>((r) =>
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.startsWith("ready\n")) r();
        }),
      );
      const done = new Promise<string>((r) => child.on("close", () => r(out)));
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.write("go\n");
    const results = (await Promise.all(children.map((c) => c.done))).map(
      (o) => JSON.parse(o.split("\n")[1]!) as { won?: string; lost?: string; message?: string },
    );
    const winners = results.filter((r) => r.won);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => !x.won)) {
      // Refused while the winner held its claim, or after it finished: either way nothing replaced.
      expect(["E_OUTPUT_CLAIMED", "E_OUTPUT"]).toContain(r.lost);
      expect(r.message).toMatch(/already claimed by (run pid|another run)|exists and is not empty/);
    }
    const id = winners[0]!.won!;
    expect(fs.readdirSync(dir).sort()).toEqual(["manifest.json", "summary.json"]);
    expect(fs.readFileSync(join(dir, "summary.json"), "utf8")).toBe(id);
    expect(JSON.parse(fs.readFileSync(join(dir, "manifest.json"), "utf8"))).toEqual({ id });
  }, 60_000);
});

describe("claimRunDirectory: unusable locations are one-line errors, before anything is written", () => {
  it("an empty --out is bad input", () => {
    for (const bad of ["", "  "]) {
      const e = errorOf(() => claimRunDirectory(bad));
      expect(e).toBeInstanceOf(InputError);
      expect(oneLine(e)).toBe("--out: expected a directory path, got an empty string");
    }
    expect(() => checkRunTarget("")).toThrow(InputError);
  });

  it("a path through a regular file (ENOTDIR)", () => {
    const file = join(parent, "file");
    fs.writeFileSync(file, "x");
    const e = errorOf(() => claimRunDirectory(join(file, "sub", "run")));
    expect(e).toBeInstanceOf(OutputError);
    expect(oneLine(e)).toBe(`--out ${file}/sub/run: ${file} exists and is not a directory`);
    expect(() => checkRunTarget(join(file, "run"))).toThrow(OutputError);
    expect(fs.readFileSync(file, "utf8")).toBe("x");
  });

  it("a target that is a regular file is refused and untouched", () => {
    const file = join(parent, "file");
    fs.writeFileSync(file, "x");
    const e = errorOf(() => claimRunDirectory(file));
    expect(e).toBeInstanceOf(InputError);
    expect(oneLine(e)).toBe(`--out ${file}: exists and is not a directory; choose a new one`);
    expect(fs.readFileSync(file, "utf8")).toBe("x");
  });

  it("a dangling symbolic link as the target or as a parent", () => {
    const link = join(parent, "link");
    fs.symlinkSync(join(parent, "nowhere"), link);
    const e = errorOf(() => claimRunDirectory(link));
    expect(e).toBeInstanceOf(OutputError);
    expect(oneLine(e)).toBe(
      `--out ${link}: ${link} is a dangling symbolic link (to ${join(parent, "nowhere")}, which does not exist)`,
    );
    const e2 = errorOf(() => claimRunDirectory(join(link, "run")));
    expect(e2).toBeInstanceOf(OutputError);
    expect(oneLine(e2)).toContain("is a dangling symbolic link");
    expect(() => checkRunTarget(link)).toThrow(/dangling symbolic link/);
    expect(fs.readdirSync(parent)).toEqual(["link"]);
    expect(fs.existsSync(join(parent, "nowhere"))).toBe(false);
  });

  it("a symbolic-link loop (ELOOP)", () => {
    const a = join(parent, "a");
    fs.symlinkSync(join(parent, "b"), a);
    fs.symlinkSync(a, join(parent, "b"));
    const e = errorOf(() => claimRunDirectory(join(a, "run")));
    expect(e).toBeInstanceOf(OutputError);
    expect(oneLine(e)).toMatch(/too many levels of symbolic links \(ELOOP\)$/);
  });

  it("under /proc (where a recursive mkdir never returns): a prompt ENOENT, even for root", () => {
    const e = errorOf(() => claimRunDirectory("/proc/no-such-process-dir/run"));
    expect(e).toBeInstanceOf(OutputError);
    expect(oneLine(e)).toBe(
      "--out /proc/no-such-process-dir/run: cannot create directory /proc/no-such-process-dir: no such file or directory (ENOENT)",
    );
  });
});
