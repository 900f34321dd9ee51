import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { settingsOf } from "./load.js";

describe("bench:load settings", () => {
  it("takes each twin step's length from --twin-seconds, else three search steps", () => {
    expect(settingsOf([], false)).toMatchObject({ seconds: 4, twinSeconds: 12 });
    expect(settingsOf(["--seconds=2"], false)).toMatchObject({ seconds: 2, twinSeconds: 6 });
    expect(settingsOf(["--seconds=2", "--twin-seconds=60"], false)).toMatchObject({
      seconds: 2,
      twinSeconds: 60,
    });
    expect(settingsOf([], true)).toMatchObject({ seconds: 1, twinSeconds: 3 });
  });

  it.each(["--twin-seconds=0.1", "--twin-seconds=301", "--twin-seconds=x", "--seconds=61", "--threads=1.5"])(
    "rejects %s with one message naming the flag and the range",
    (flag) => {
      expect(() => settingsOf([flag], false)).toThrow(
        expect.objectContaining({
          code: "E_BENCH_ARGS",
          message: expect.stringContaining(`${flag}: expected a`),
        }),
      );
    },
  );
});

describe("bench/load.ts command line", () => {
  it("exits 2 with one line and no stack trace on a bad flag, before starting any server", () => {
    const script = fileURLToPath(new URL("./load.ts", import.meta.url));
    const run = spawnSync(process.execPath, ["--import", "tsx", script, "--twin-seconds=0"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([
      "bench: --twin-seconds=0: expected a number from 0.5 to 300",
    ]);
  });
});
