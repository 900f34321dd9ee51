import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { crlSizes } from "./crl.js";

describe("crlSizes", () => {
  it("reads --sizes=, else the quick or full list", () => {
    expect(crlSizes({ json: false, quick: false, rest: ["--sizes=10,2000"] })).toEqual([10, 2000]);
    expect(crlSizes({ json: false, quick: true, rest: [] })).toEqual([10_000, 100_000]);
  });

  it.each(["--sizes=", "--sizes=1e4", "--sizes=0", "--sizes=20000000", "--sizes=10,x"])(
    "rejects %s with one message naming the flag and what is expected",
    (flag) => {
      expect(() => crlSizes({ json: false, quick: false, rest: [flag] })).toThrow(
        expect.objectContaining({ code: "E_BENCH_ARGS", message: expect.stringContaining(flag) }),
      );
    },
  );
});

describe("bench/crl.ts command line", () => {
  it("exits 2 with one line and no stack trace on a bad argument, before doing any work", () => {
    const script = fileURLToPath(new URL("./crl.ts", import.meta.url));
    const run = spawnSync(process.execPath, ["--import", "tsx", script, "--sizes=abc"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([
      "bench: --sizes=abc: expected a comma-separated list of entry counts from 1 to 10000000, e.g. --sizes=10000,1000000",
    ]);
  });
});
