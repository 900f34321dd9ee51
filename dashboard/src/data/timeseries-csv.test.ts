/**
 * timeseries.csv parsing: the fixture run's columns come out as typed arrays with empty cells as
 * NaN, and every kind of damage (truncation, bad date, gap, non-number, missing column) is one
 * message naming the line.
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import { FIXTURE_RUNS } from "../../test/fixture-reports.js";
import { chartFrame } from "./downsample.js";
import { parseTimeseriesCsv } from "./timeseries-csv.js";

const csv = readFileSync(join(FIXTURE_RUNS, "history-short/timeseries.csv"), "utf8");

describe("parseTimeseriesCsv", () => {
  it("reads the fixture run into typed columns", () => {
    const t = parseTimeseriesCsv(csv);
    expect(t.n).toBe(486); // 2016-01-01 … 2017-04-30
    expect(t.dates[0]).toBe("2016-01-01");
    expect(t.dates[t.n - 1]).toBe("2017-04-30");
    expect(t.names).toContain("cards_issued_cumulative");
    expect(t.names).toContain("cards_issued_cumulative_ci95_lower");
    const cum = t.columns.get("cards_issued_cumulative")!;
    expect(cum).toBeInstanceOf(Float64Array);
    expect(cum.length).toBe(486);
    for (let i = 1; i < cum.length; i++) expect(cum[i]!).toBeGreaterThanOrEqual(cum[i - 1]!);
    // the first day has no hand-overs, so no lead time: an empty cell is NaN
    expect(Number.isNaN(t.columns.get("lead_time_p50_days")![0]!)).toBe(true);
    // same numbers as the file
    const lastLine = csv.trimEnd().split("\n").at(-1)!.split(",");
    const header = csv.slice(0, csv.indexOf("\n")).split(",");
    expect(cum[t.n - 1]).toBe(Number(lastLine[header.indexOf("cards_issued_cumulative")]));
  });

  it("walks calendar days exactly, across leap days and centuries", () => {
    for (const [start, n] of [
      ["2016-02-27", 5],
      ["1999-12-30", 4],
      ["2099-12-30", 70],
      ["2000-02-28", 3],
    ] as const) {
      const day0 = parseIsoDate(start);
      const rows = Array.from({ length: n }, (_, i) => `${formatIsoDate(day0 + i)},${i}`);
      const t = parseTimeseriesCsv(`date,cards_issued_cumulative\n${rows.join("\n")}\n`);
      expect(t.startDay).toBe(day0);
      expect(t.n).toBe(n);
    }
    expect(() => parseTimeseriesCsv("date,cards_issued_cumulative\n2017-02-28,1\n2017-02-29,2\n")).toThrow(
      '"2017-02-29" is not a date',
    );
    expect(() => parseTimeseriesCsv("date,cards_issued_cumulative\n2100-02-29,1\n")).toThrow("is not a date");
  });

  it("reads every number exactly as Number() does", () => {
    const t = parseTimeseriesCsv(csv);
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
    const odd = parseTimeseriesCsv(
      "date,cards_issued_cumulative,a,b,c,d\n2016-01-01,1e5,-0.5,0.1234567890123456789,.5,NaN\n",
    ).columns;
    expect(["cards_issued_cumulative", "a", "b", "c", "d"].map((k) => odd.get(k)![0])).toEqual([
      1e5,
      -0.5,
      Number("0.1234567890123456789"),
      0.5,
      Number.NaN,
    ]);
  });

  it("accepts CRLF line ends and a trailing blank line", () => {
    const t = parseTimeseriesCsv("date,cards_issued_cumulative,x\r\n2016-01-01,0,\r\n2016-01-02,5,1.5\r\n\r\n");
    expect(t.n).toBe(2);
    expect(Array.from(t.columns.get("cards_issued_cumulative")!)).toEqual([0, 5]);
    expect(Number.isNaN(t.columns.get("x")![0]!)).toBe(true);
    expect(t.columns.get("x")![1]).toBe(1.5);
  });

  it.each([
    ["", "timeseries.csv is empty"],
    ["date,x\n2016-01-01,1\n", 'the header has no "cards_issued_cumulative" column'],
    ["date,cards_issued_cumulative\n", "has a header but no rows"],
    ["date,cards_issued_cumulative,x\n2016-01-01,1,2\n2016-01-02,3", "line 3 has 2 of 3 fields (the file may be truncated)"],
    ["date,cards_issued_cumulative\n2016-01-01,1\n2016-01-03,2\n", "2016-01-03 does not follow 2016-01-01"],
    ["date,cards_issued_cumulative\n2016-02-30,1\n", '"2016-02-30" is not a date'],
    ["date,cards_issued_cumulative\n2016-01-01,abc\n", 'line 2, column cards_issued_cumulative: "abc" is not a number'],
    ["date,cards_issued_cumulative\n2016-01-01,1,2\n", "line 2 has more than 2 fields"],
    ["date,cards_issued_cumulative\n2016-01-01,-\n", 'column cards_issued_cumulative: "-" is not a number'],
    ["date,cards_issued_cumulative\n2016-01-01,1.2.3\n", '"1.2.3" is not a number'],
    ["date,cards_issued_cumulative\n2016-01-01,1\n\n2016-01-02,2\n", "line 3 is empty"],
  ])("rejects %j", (text, message) => {
    expect(() => parseTimeseriesCsv(text)).toThrow(message);
  });

  it("names the line of a run cut off mid-row", () => {
    const cut = csv.slice(0, csv.indexOf("\n", 30_000) + 40);
    expect(() => parseTimeseriesCsv(cut)).toThrow(/timeseries\.csv: line \d+ has \d+ of 22 fields \(the file may be truncated\)/);
  });
});

describe("chartFrame", () => {
  const t = parseTimeseriesCsv(csv);

  it("keeps daily values up to two years", () => {
    const f = chartFrame(t);
    expect(f.weekly).toBe(false);
    expect(f.dates).toHaveLength(486);
    expect(f.values(t.columns.get("cards_issued_cumulative"))[485]).toBe(t.columns.get("cards_issued_cumulative")![485]);
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
