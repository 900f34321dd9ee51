/**
 * timeseries.csv: what the writer formats, the reader gives back exactly; a broken file (garbage
 * rows, a missing number where one is required, a gap between days, only a header) is refused with
 * one message naming the line and column — including under random corruption (fixed seed).
 * @module
 */
import { describe, expect, it } from "vitest";
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { RUN_DATA_ERROR, RunFormatError } from "./common.js";
import {
  CI_COLUMNS,
  formatTimeseriesCsv,
  OPTIONAL_VALUE_COLUMNS,
  parseTimeseriesCsv,
  TIMESERIES_COLUMNS,
  type TimeseriesColumn,
} from "./timeseries.js";

/** A plausible run of `n` days from `start`: cumulative cards grow, lead times missing on Sundays. */
function columns(n: number, start: number): Record<TimeseriesColumn, Float64Array> {
  const out = Object.fromEntries(TIMESERIES_COLUMNS.map((c) => [c, new Float64Array(n)])) as Record<
    TimeseriesColumn,
    Float64Array
  >;
  for (let i = 0; i < n; i++) {
    out.cards_issued_cumulative[i] = 1000 * i + 0.25;
    out.applications_cumulative[i] = 1200 * i;
    out.intake_utilisation[i] = (i % 10) / 10 + 0.00004;
    out.jlis_availability[i] = 1;
    const sunday = (start + i + 4) % 7 === 0;
    out.lead_time_p50_days[i] = sunday ? Number.NaN : 30 + (i % 5);
    out.lead_time_p90_days[i] = sunday ? Number.NaN : 60;
    out.lead_time_p99_days[i] = sunday ? Number.NaN : 120.5;
  }
  return out;
}

const START = parseIsoDate("2016-02-25");
const cols = columns(40, START);
const band = {
  lower: cols.cards_issued_cumulative.map((v) => v - 10),
  upper: cols.cards_issued_cumulative.map((v) => v + 10),
};
const good = formatTimeseriesCsv(START, cols, band);
const noBand = formatTimeseriesCsv(START, cols, null);
/** The header without the band: 20 fields. */
const header = noBand.slice(0, noBand.indexOf("\n"));
const row = (date: string, cells: (c: string) => string): string =>
  [date, ...TIMESERIES_COLUMNS.map(cells)].join(",");
const oneRow = (date: string, cells: (c: string) => string): string => `${header}\n${row(date, cells)}\n`;

describe("formatTimeseriesCsv → parseTimeseriesCsv", () => {
  it("gives back every value the writer wrote, across a leap day", () => {
    const t = parseTimeseriesCsv(good);
    expect(t.n).toBe(40);
    expect(t.startDay).toBe(START);
    expect(t.dates[4]).toBe("2016-02-29");
    expect(t.names).toEqual([...TIMESERIES_COLUMNS, ...CI_COLUMNS]);
    expect(Array.from(t.columns.get("cards_issued_cumulative")!)).toEqual(
      Array.from(cols.cards_issued_cumulative, (v) => Number(v.toFixed(2))),
    );
    expect(Array.from(t.columns.get("intake_utilisation")!)).toEqual(
      Array.from(cols.intake_utilisation, (v) => Number(v.toFixed(4))),
    );
    const p50 = t.columns.get("lead_time_p50_days")!;
    expect(Array.from(p50).filter(Number.isNaN)).toHaveLength(
      Array.from(cols.lead_time_p50_days).filter(Number.isNaN).length,
    );
    expect(Array.from(t.columns.get(CI_COLUMNS[0])!)).toEqual(Array.from(band.lower, (v) => Math.round(v)));
  });

  it("writes no band with one replication, and reads a file without one", () => {
    const t = parseTimeseriesCsv(noBand);
    expect(t.names).toEqual([...TIMESERIES_COLUMNS]);
  });

  it("accepts CRLF line ends, a byte-order mark and a trailing blank line", () => {
    const t = parseTimeseriesCsv(`\uFEFF${good.replace(/\n/g, "\r\n")}\r\n`);
    expect(t.n).toBe(40);
    expect(t.columns.get("lead_time_p99_days")![1]).toBe(120.5);
  });
});

describe("parseTimeseriesCsv refuses a broken file", () => {
  const zeros = () => "0";
  it.each([
    ["", "timeseries.csv is empty"],
    [`${header}\n`, "timeseries.csv has a header but no rows"],
    ["garbage\n1,2,3\n", "timeseries.csv: line 1: the first column must be \"date\", got 'garbage'"],
    [
      `date,cards_issued_cumulative\n2016-01-01,1\n`,
      'timeseries.csv: line 1: the header has no "applications_daily" column',
    ],
    [`${header},extra\n`, "timeseries.csv: line 1: unknown column 'extra'"],
    [
      oneRow("2019-13-45", zeros),
      "timeseries.csv: line 2, column date: expected a date YYYY-MM-DD, got '2019-13-45'",
    ],
    [oneRow("2017-02-29", zeros), "got '2017-02-29'"],
    [
      oneRow("2016-01-01", (c) => (c === "cards_issued_cumulative" ? "NaN" : "0")),
      "line 2, column cards_issued_cumulative: expected a number, got 'NaN'",
    ],
    [
      oneRow("2016-01-01", (c) => (c === "backlog_factory" ? "" : "0")),
      "line 2, column backlog_factory: expected a number, got an empty cell",
    ],
    [
      oneRow("2016-01-01", (c) => (c === "factory_utilisation" ? "abc" : "0")),
      "expected a number, got 'abc'",
    ],
    [oneRow("2016-01-01", (c) => (c === "factory_utilisation" ? "0x10" : "0")), "got '0x10'"],
    [oneRow("2016-01-01", (c) => (c === "factory_utilisation" ? "Infinity" : "0")), "got 'Infinity'"],
    [
      `${header}\n${row("2016-01-01", zeros)}\n${row("2016-01-03", zeros)}\n`,
      "line 3: 2016-01-03 does not follow 2016-01-01",
    ],
    [
      `${header}\n${row("2016-01-01", zeros)}\nfoo,bar\n`,
      "timeseries.csv: line 3 has 2 of 20 fields (the file may be truncated)",
    ],
    [`${header}\n${row("2016-01-01", zeros)},9\n`, "timeseries.csv: line 2 has 21 of 20 fields"],
    [`${header}\n${row("2016-01-01", zeros)}\n\n${row("2016-01-02", zeros)}\n`, "line 3 has 1 of 20 fields"],
  ])("%#", (text, message) => {
    let err: unknown;
    try {
      parseTimeseriesCsv(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunFormatError);
    expect(err).toMatchObject({ code: RUN_DATA_ERROR });
    expect((err as Error).message).toContain(message);
  });

  it("leaves only lead times optional", () => {
    expect(OPTIONAL_VALUE_COLUMNS).toEqual([
      "lead_time_p50_days",
      "lead_time_p90_days",
      "lead_time_p99_days",
    ]);
    const t = parseTimeseriesCsv(oneRow("2016-01-01", (c) => (c.startsWith("lead_time") ? "" : "1")));
    expect(Number.isNaN(t.columns.get("lead_time_p90_days")![0]!)).toBe(true);
  });

  it("under 3,000 random corruptions either refuses the file or reads only finite required values (seed 8)", () => {
    const rnd = mulberry32(8);
    const lines = good.trimEnd().split("\n");
    const garbage = ["", "x", "NaN", "-", "1e999", "2019-13-45", "1,2", '"5"', " 7", "0.5.5", "\r"];
    let refused = 0;
    for (let k = 0; k < 3000; k++) {
      const ls = [...lines];
      const at = 1 + randomInt(rnd, ls.length - 1);
      const cells = ls[at]!.split(",");
      switch (randomInt(rnd, 5)) {
        case 0:
          cells[randomInt(rnd, cells.length)] = garbage[randomInt(rnd, garbage.length)]!;
          ls[at] = cells.join(",");
          break;
        case 1:
          ls[at] = cells.slice(0, randomInt(rnd, cells.length)).join(",");
          break;
        case 2:
          ls.splice(at, 1);
          break;
        case 3:
          ls.splice(at, 0, ls[at]!);
          break;
        default:
          ls.length = at;
      }
      let t: ReturnType<typeof parseTimeseriesCsv>;
      try {
        t = parseTimeseriesCsv(`${ls.join("\n")}\n`);
      } catch (e) {
        expect(e).toBeInstanceOf(RunFormatError);
        expect((e as Error).message).toMatch(/^timeseries\.csv[: ]/);
        refused++;
        continue;
      }
      for (const c of TIMESERIES_COLUMNS)
        if (!OPTIONAL_VALUE_COLUMNS.includes(c)) expect(t.columns.get(c)!.every(Number.isFinite)).toBe(true);
      for (let i = 1; i < t.n; i++) expect(parseIsoDate(t.dates[i]!)).toBe(parseIsoDate(t.dates[0]!) + i);
      expect(formatIsoDate(t.startDay)).toBe(t.dates[0]);
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
