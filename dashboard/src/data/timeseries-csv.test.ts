/**
 * The dashboard reads a run's timeseries.csv with the run-output format's parser and draws it with
 * the format's weekly-mean rule: the fixture run reads into typed columns exactly as written, a
 * cut-off file names its line, and chartFrame windows and averages like report.html.
 * (The parser's own tests, with random corruption, are in sim/run-format/timeseries.test.ts.)
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_RUNS } from "../../test/fixture-reports.js";
import { RunDataError } from "./_check.js";
import { chartFrame } from "./downsample.js";
import { parseTimeseriesCsv } from "./timeseries-csv.js";

const csv = readFileSync(join(FIXTURE_RUNS, "history-short/timeseries.csv"), "utf8");

describe("parseTimeseriesCsv", () => {
  it("reads the fixture run into typed columns, every number as written", () => {
    const t = parseTimeseriesCsv(csv);
    expect(t.n).toBe(486); // 2016-01-01 … 2017-04-30
    expect(t.dates[0]).toBe("2016-01-01");
    expect(t.dates[t.n - 1]).toBe("2017-04-30");
    expect(t.names).toContain("cards_issued_cumulative_ci95_lower");
    const cum = t.columns.get("cards_issued_cumulative")!;
    expect(cum).toBeInstanceOf(Float64Array);
    for (let i = 1; i < cum.length; i++) expect(cum[i]!).toBeGreaterThanOrEqual(cum[i - 1]!);
    // the first day has no hand-overs, so no lead time: an empty cell is NaN
    expect(Number.isNaN(t.columns.get("lead_time_p50_days")![0]!)).toBe(true);
    const lines = csv.trimEnd().split("\n");
    const head = lines[0]!.split(",");
    let cells = 0;
    for (let r = 1; r < lines.length; r++) {
      const f = lines[r]!.split(",");
      for (let c = 1; c < f.length; c++, cells++) {
        const want = f[c] === "" ? Number.NaN : Number(f[c]);
        expect(Object.is(t.columns.get(head[c]!)![r - 1], want)).toBe(true);
      }
    }
    expect(cells).toBe(486 * 21);
  });

  it("names the line of a run cut off mid-row, and refuses a header without rows", () => {
    const cut = csv.slice(0, csv.indexOf("\n", 30_000) + 40);
    expect(() => parseTimeseriesCsv(cut)).toThrow(
      /^timeseries\.csv: line \d+ has \d+ of 22 fields \(the file may be truncated\)$/,
    );
    expect(() => parseTimeseriesCsv(csv.slice(0, csv.indexOf("\n") + 1))).toThrow(RunDataError);
  });
});

describe("chartFrame", () => {
  const t = parseTimeseriesCsv(csv);

  it("keeps daily values up to two years", () => {
    const f = chartFrame(t);
    expect(f.weekly).toBe(false);
    expect(f.dates).toHaveLength(486);
    expect(f.values(t.columns.get("cards_issued_cumulative"))[485]).toBe(
      t.columns.get("cards_issued_cumulative")![485],
    );
  });

  it("averages each 7-day block, dated on its last day, like the report", () => {
    const f = chartFrame(t, 0, t.n, 100);
    expect(f.weekly).toBe(true);
    expect(f.dates[0]).toBe("2016-01-07");
    expect(f.dates.at(-1)).toBe("2017-04-30"); // the last, short block ends on the last day
    expect(f.dates).toHaveLength(Math.ceil(486 / 7));
    const daily = t.columns.get("cards_issued_daily")!;
    const mean = Array.from(daily.subarray(0, 7)).reduce((a, b) => a + b, 0) / 7;
    expect(f.values(daily)[0]).toBeCloseTo(mean, 9);
    expect(f.values(undefined).every((v) => v === null)).toBe(true);
  });

  it("slices a window", () => {
    const f = chartFrame(t, 366, 396);
    expect(f.dates[0]).toBe("2017-01-01");
    expect(f.dates).toHaveLength(30);
  });
});
