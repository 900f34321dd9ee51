import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relativeMarginOfError, timeProcess, timeProcesses } from "./_process-timer.js";

describe("relativeMarginOfError", () => {
  it("is 0 for one sample and for identical samples", () => {
    expect(relativeMarginOfError([5])).toBe(0);
    expect(relativeMarginOfError([5, 5, 5])).toBe(0);
  });

  it("is t(0.975, n-1) × standard error over the mean, in percent", () => {
    // mean 10, sample sd √2, n = 2: standard error 1, t = 12.706 → 127.06 %
    expect(relativeMarginOfError([9, 11])).toBeCloseTo(127.06, 2);
    // mean 10, sample sd √(16/3), n = 4: 3.182 × 2.3094 / 2 / 10 = 36.74 %
    expect(relativeMarginOfError([8, 8, 12, 12])).toBeCloseTo(36.74, 2);
  });
});

describe("timeProcess", () => {
  it("runs a process the given number of times and returns its output", () => {
    const t = timeProcess(process.execPath, ["-e", "process.stdout.write('42')"], 2, (out) => out === "42");
    expect(t).not.toBeNull();
    expect(t!.runs).toBe(2);
    expect(t!.stdout).toBe("42");
    expect(t!.meanMs).toBeGreaterThan(0);
  });

  it("returns null when a run fails its check or exits non-zero", () => {
    expect(timeProcess(process.execPath, ["-e", "process.exit(3)"], 1)).toBeNull();
    expect(timeProcess(process.execPath, ["-e", "0"], 1, () => false)).toBeNull();
  });
});

describe("timeProcesses", () => {
  it("lets the commands take turns, run by run", () => {
    const dir = mkdtempSync(join(tmpdir(), "myna-process-timer-"));
    try {
      const log = join(dir, "order");
      const append = (tag: string) => ({
        command: process.execPath,
        args: ["-e", `require("fs").appendFileSync(${JSON.stringify(log)}, "${tag}")`],
      });
      const [a, b] = timeProcesses([append("a"), append("b")], 2);
      expect(readFileSync(log, "utf8")).toBe("abab");
      expect(a?.runs).toBe(2);
      expect(b?.runs).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
