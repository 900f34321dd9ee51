/**
 * The comparison of two runs (compare.ts): the key dates cards are compared on, resident-days
 * waited as the sum of the six application backlogs, compareRuns on a real run (the dashboard's
 * history-short fixture) against itself and against a copy cut to a later start, and two runs
 * that share no day refused with an InputError.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import {
  CompareDocumentSchema,
  parseJsonFile,
  parseTimeseriesCsv,
  RunManifestSchema,
  RunSummarySchema,
  type TimeseriesTable,
} from "../run-format/index.js";
import { compareMarkdown, compareRuns, keyDates, residentDaysWaited, type LoadedRun } from "./compare.js";

const FIXTURE = join(
  fileURLToPath(new URL("../../", import.meta.url)),
  "dashboard/test/fixtures/runs/history-short",
);
const file = (name: string): string => readFileSync(join(FIXTURE, name), "utf8");

function fixture(dir = "a"): LoadedRun {
  return {
    dir,
    manifest: parseJsonFile(RunManifestSchema, file("manifest.json"), "manifest.json"),
    summary: parseJsonFile(RunSummarySchema, file("summary.json"), "summary.json"),
    series: parseTimeseriesCsv(file("timeseries.csv")),
  };
}

/** The same run with its first `k` rows dropped. */
function dropRows(run: LoadedRun, k: number): LoadedRun {
  const s = run.series;
  const series: TimeseriesTable = {
    n: s.n - k,
    startDay: s.startDay + k,
    dates: s.dates.slice(k),
    names: s.names,
    columns: new Map([...s.columns].map(([name, c]) => [name, c.slice(k)])),
  };
  return { ...run, dir: "b", series };
}

const day = (d: string): number => parseIsoDate(d);

describe("keyDates", () => {
  it("lists target dates, year-ends, official and declared dates within the range and the last day, once each", () => {
    const got = keyDates(day("2016-01-01"), day("2017-04-30"), {
      target: ["2016-12-31", "2020-03-31"],
      official: ["2017-03-08", "2015-12-01"],
      declared: ["2016-03-27", "2017-03-08"],
    }).map((k) => [k.day, k.reasons]);
    expect(got).toEqual([
      [day("2016-03-27"), ["declared"]],
      [day("2016-12-31"), ["target date", "year-end"]],
      [day("2017-03-08"), ["official date", "declared"]],
      [day("2017-04-30"), ["last day"]],
    ]);
  });
});

describe("residentDaysWaited", () => {
  it("sums the six application backlogs over the given rows, renewals excluded", () => {
    const cols: Record<string, number[]> = {
      backlog_in_post: [1, 2, 3],
      backlog_jlis_intake: [10, 20, 30],
      backlog_factory: [100, 0, 0],
      backlog_shipping: [0, 0, 1000],
      backlog_awaiting_visit: [5, 5, 5],
      backlog_counter_queue: [0, 7, 0],
      backlog_renewals: [1e9, 1e9, 1e9],
    };
    expect(residentDaysWaited((c) => cols[c]!, 0, 2)).toBe(1 + 2 + 3 + 60 + 100 + 1000 + 15 + 7);
    expect(residentDaysWaited((c) => cols[c]!, 1, 1)).toBe(2 + 20 + 5 + 7);
  });
});

describe("compareRuns", () => {
  it("a run against itself: every difference is zero, and the document parses", () => {
    const doc = compareRuns(fixture("a"), fixture("b"));
    expect(() => parseJsonFile(CompareDocumentSchema, JSON.stringify(doc), "compare.json")).not.toThrow();
    expect(doc.cardsOnDates.length).toBeGreaterThan(0);
    for (const r of doc.cardsOnDates) expect(r.delta).toBe(0);
    expect(doc.cardsOnDates.map((r) => r.date)).toContain("2016-12-31");
    expect(doc.residentDaysWaited.delta).toBe(0);
    expect(doc.residentDaysWaited.a).toBeGreaterThan(0);
    for (const b of doc.backlogs) expect([b.mean.delta, b.peak.delta]).toEqual([0, 0]);
    expect(doc.notes).toEqual([expect.stringMatching(/^cost: neither run carries cost figures/)]);
    expect(compareMarkdown(doc)).toMatch(/## Resident-days waited/);
  });

  it("runs over different periods are compared over the days both cover, and say so", () => {
    const a = fixture("a");
    const b = dropRows(a, 100);
    const doc = compareRuns(a, b);
    expect(doc.overlap.start).toBe(b.series.dates[0]);
    expect(doc.overlap.days).toBe(a.series.n - 100);
    expect(doc.notes.some((n) => /different periods/.test(n))).toBe(true);
    const rdw = residentDaysWaited((c) => a.series.columns.get(c)!, 100, a.series.n - 1);
    expect(doc.residentDaysWaited.a).toBeCloseTo(rdw, 1);
    expect(doc.residentDaysWaited.delta).toBe(0);
  });

  it("refuses two runs that share no day", () => {
    const a = fixture("a");
    const short: LoadedRun = {
      ...a,
      series: { ...a.series, n: 10, dates: a.series.dates.slice(0, 10) },
    };
    expect(() => compareRuns(short, dropRows(a, 20))).toThrow(InputError);
    expect(() => compareRuns(short, dropRows(a, 20))).toThrow(/the runs share no day/);
  });
});
