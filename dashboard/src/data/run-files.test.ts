/**
 * One format from writer to reader: `myna-twin run` and `myna-twin sweep` (the real CLI, a shipped
 * scenario cut to a short horizon) write summary.json, manifest.json, timeseries.csv and sweep.json;
 * the dashboard's scanner and loaders read them back through the run-output format's schemas and
 * get what was written. A run whose timeseries.csv is broken — a garbage row, NaN where a number is
 * required, only a header — is listed as an error with one message, never with an answer.
 * @module
 */

import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRunDirectory } from "../../server/scan-reports.js";
import type { Fetcher } from "./fetcher.js";
import { loadRun, loadSweep } from "./run-loader.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });

let dir = "";
const at = (id: string, file: string): string => join(dir, id, file);
const fetcher: Fetcher = async (path) => {
  const m = /^data\/runs\/(.+)\/([^/]+)$/.exec(path);
  try {
    return { status: 200, text: readFileSync(join(dir, ...m![1]!.split("/").map(decodeURIComponent), decodeURIComponent(m![2]!)), "utf8") };
  } catch {
    return { status: 404, text: "" };
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "myna-run-files-"));
  const scenario = "scenarios/jlis-outage-2016.yaml";
  await Promise.all([
    cli(["run", scenario, "--set", "end=2016-03-31", "--replications", "2", "--threads", "1", "--seed", "5", "--out", at("run", "")]),
    cli(["sweep", scenario, "--set", "end=2016-02-29", "--vary", "factory.capacityPerDay[0].value=80000,140000", "--threads", "1", "--out", at("sweep", "")]),
  ]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a run written by myna-twin run, read by the dashboard", () => {
  it("is listed with its answer and loads as written", async () => {
    const entry = describeRunDirectory(at("run", ""), "run");
    expect(entry.problem).toBeNull();
    expect(entry.status).toBe("ok");
    expect(entry.headline).toMatchObject({ targetCards: 10_000_000, targetDate: "2016-12-31" });
    const loaded = await loadRun(entry, fetcher);
    const written = JSON.parse(readFileSync(at("run", "summary.json"), "utf8")) as unknown;
    expect(loaded.summary).toEqual(written);
    expect(loaded.summary.formatVersion).toBe(1);
    expect(loaded.summary.target.reachedOnRange === null || typeof loaded.summary.target.reachedOnRange.earliest === "string").toBe(true);
    expect(loaded.summary.totals.cardsIssued).toBeGreaterThan(0);
    expect(loaded.manifest).toMatchObject({ formatVersion: 1, kind: "run", seed: 5, replications: 2 });
    const csv = readFileSync(at("run", "timeseries.csv"), "utf8").trimEnd().split("\n");
    expect(loaded.table.n).toBe(csv.length - 1);
    expect(loaded.table.dates[0]).toBe("2016-01-01");
    expect(loaded.table.dates.at(-1)).toBe("2016-03-31");
    const head = csv[0]!.split(",");
    const last = csv.at(-1)!.split(",");
    for (const [i, name] of head.entries())
      if (i > 0) expect(loaded.table.columns.get(name)![loaded.table.n - 1]).toBe(last[i] === "" ? Number.NaN : Number(last[i]));
  });

  it("loads prefectures.csv: 47 prefectures a day with romanised names, cards summing to the national column; a run without it loads with none, a broken one is refused", async () => {
    const entry = describeRunDirectory(at("run", ""), "run");
    const loaded = await loadRun(entry, fetcher);
    const t = loaded.prefectures!;
    expect(t.dates).toEqual(loaded.table.dates);
    expect(t.prefectures).toHaveLength(47);
    expect(t.prefectures[12]).toMatchObject({ code: "13", en: "Tokyo", ja: "東京都" });
    const national = loaded.table.columns.get("cards_issued_cumulative")!;
    for (let d = 0; d < t.dates.length; d++) {
      let sum = 0;
      for (let k = 0; k < 47; k++) sum += t.issued[d * 47 + k]!;
      expect(Math.abs(sum - national[d]!)).toBeLessThanOrEqual(0.005 * 48); // two replications: means to 2 decimals
    }
    cpSync(at("run", ""), at("no-prefectures", ""), { recursive: true });
    rmSync(at("no-prefectures", "prefectures.csv"));
    const without = describeRunDirectory(at("no-prefectures", ""), "no-prefectures");
    expect(without.files).not.toContain("prefectures.csv");
    expect((await loadRun(without, fetcher)).prefectures).toBeNull();
    cpSync(at("run", ""), at("bad-prefectures", ""), { recursive: true });
    writeFileSync(at("bad-prefectures", "prefectures.csv"), readFileSync(at("run", "prefectures.csv"), "utf8").replace(",01,Hokkaido,", ",01,,"));
    await expect(loadRun({ ...entry, id: "bad-prefectures" }, fetcher)).rejects.toThrow(
      "Run bad-prefectures: prefectures.csv: line 2, column prefecture_en: expected the romanised name",
    );
  });

  it.each([
    ["a garbage row", (t: string) => t.replace(/\n2016-02-10,[^\n]*/, "\nthis,is,not,a,row"), "timeseries.csv: line 42 has 5 of 31 fields"],
    ["NaN in a required column", (t: string) => t.replace(/\n(2016-02-10),\d+(\.\d+)?/, "\n$1,NaN"), "timeseries.csv: line 42, column applications_daily: expected a number, got 'NaN'"],
    ["only a header", (t: string) => t.slice(0, t.indexOf("\n") + 1), "timeseries.csv has a header but no rows"],
  ])("with %s in timeseries.csv is listed as an error, not an answer", async (what, corrupt, message) => {
    const id = `broken-${what.replace(/\W+/g, "-")}`;
    cpSync(at("run", ""), at(id, ""), { recursive: true });
    writeFileSync(at(id, "timeseries.csv"), corrupt(readFileSync(at("run", "timeseries.csv"), "utf8")));
    const entry = describeRunDirectory(at(id, ""), id);
    expect(entry.status).toBe("error");
    expect(entry.problem).toContain(message);
    await expect(loadRun({ ...entry, status: "ok", problem: null }, fetcher)).rejects.toThrow(`Run ${id}: ${message}`);
  });
});

describe("a sweep written by myna-twin sweep, read by the dashboard", () => {
  it("loads with the scenario's target (not a default)", async () => {
    const entry = describeRunDirectory(at("sweep", ""), "sweep");
    expect(entry.problem).toBeNull();
    const loaded = await loadSweep(entry, fetcher);
    expect(loaded.sweep.target).toEqual({ cards: 10_000_000, date: "2016-12-31" });
    expect(loaded.sweep.rows.map((r) => r.point["factory.capacityPerDay[0].value"])).toEqual(["80000", "140000"]);
    expect(loaded.sweep).toEqual(JSON.parse(readFileSync(at("sweep", "sweep.json"), "utf8")));
    expect(loaded.manifest).toMatchObject({ formatVersion: 1, kind: "sweep" });
  });
});
