/**
 * `myna-twin compare` as a user meets it (child processes): two real short runs of the 2016 J-LIS
 * scenario (one with the outages removed) compared; compare.json parses against its schema and its
 * every difference equals the one computed here from the two runs' summary.json and timeseries.csv;
 * a broken or incomplete run is refused with one line and exit 2, writing nothing.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIsoDate } from "../engine/calendar.js";
import {
  CompareDocumentSchema,
  parseJsonFile,
  parseTimeseriesCsv,
  RunSummarySchema,
  type CompareDocument,
  type RunSummary,
  type TimeseriesTable,
} from "../sim/run-format/index.js";
import { expectOneCleanLine, ROOT, runCli } from "./_test-cli.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-compare-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** jlis-outage-2016 cut to its first quarter (its counterfactual included). */
const scenario = join(tmp, "short.yaml");
writeFileSync(
  scenario,
  [
    `extends: ${join(ROOT, "scenarios", "jlis-outage-2016.yaml")}`,
    "name: jlis-short",
    "end: 2016-03-31",
    "target: { cards: 1000000, date: 2016-03-15 }",
    "",
  ].join("\n"),
);

const runA = join(tmp, "a");
const runB = join(tmp, "b");

interface Run {
  summary: RunSummary;
  series: TimeseriesTable;
}
const read = (dir: string): Run => ({
  summary: parseJsonFile(RunSummarySchema, readFileSync(join(dir, "summary.json"), "utf8"), "summary.json"),
  series: parseTimeseriesCsv(readFileSync(join(dir, "timeseries.csv"), "utf8")),
});
const col = (r: Run, name: string): Float64Array => r.series.columns.get(name)!;
const at = (r: Run, name: string, date: string): number =>
  col(r, name)[parseIsoDate(date) - r.series.startDay]!;

describe("myna-twin compare <runA> <runB>", () => {
  let a: Run;
  let b: Run;
  let doc: CompareDocument;
  let stdout: string;
  const out = join(tmp, "cmp");
  beforeAll(async () => {
    const [oa, ob] = await Promise.all([
      runCli(["run", scenario, "--threads", "1", "--out", runA]),
      runCli(["run", scenario, "--threads", "1", "--out", runB, "--set", "jlis.outages=[]"]),
    ]);
    expect(oa.code, oa.stderr).toBe(0);
    expect(ob.code, ob.stderr).toBe(0);
    a = read(runA);
    b = read(runB);
    const o = await runCli(["compare", runA, runB, "--out", out]);
    expect(o.code, o.stderr).toBe(0);
    stdout = o.stdout;
    doc = parseJsonFile(
      CompareDocumentSchema,
      readFileSync(join(out, "compare.json"), "utf8"),
      "compare.json",
    );
  }, 120_000);

  it("prints compare.md and writes compare.md and compare.json (no .claim left)", () => {
    const md = readFileSync(join(out, "compare.md"), "utf8");
    expect(stdout.startsWith(md)).toBe(true);
    expect(md).toMatch(/^# Compare: jlis-short \(B\) − jlis-short \(A\)/);
    expect(existsSync(join(out, ".claim"))).toBe(false);
    expect(doc.a.dir).toBe(runA);
    expect(doc.b.dir).toBe(runB);
    expect(doc.overlap).toEqual({ start: "2016-01-01", end: "2016-03-31", days: 91 });
  });

  it("compares cards on the target date, the year-ends within the runs and the last day", () => {
    expect(doc.cardsOnDates.map((r) => [r.date, r.reasons])).toEqual([
      ["2016-03-15", ["target date"]],
      ["2016-03-31", ["last day"]],
    ]);
    for (const r of doc.cardsOnDates) {
      const va = at(a, "cards_issued_cumulative", r.date);
      const vb = at(b, "cards_issued_cumulative", r.date);
      expect([r.a, r.b]).toEqual([va, vb]);
      expect(r.delta).toBeCloseTo(vb - va, 6);
    }
  });

  it("reach date and lead-time differences are those of the two summaries", () => {
    const ra = a.summary.target.reachedOn;
    const rb = b.summary.target.reachedOn;
    expect(doc.reach.a).toBe(ra);
    expect(doc.reach.b).toBe(rb);
    expect(doc.reach.deltaDays).toBe(ra && rb ? parseIsoDate(rb) - parseIsoDate(ra) : null);
    for (const k of ["p50", "p90", "p99", "mean"] as const) {
      const x = a.summary.leadTimeDays.all[k]!;
      const y = b.summary.leadTimeDays.all[k]!;
      expect(doc.leadTimeDays[k].a).toBe(x);
      expect(doc.leadTimeDays[k].b).toBe(y);
      expect(doc.leadTimeDays[k].delta).toBeCloseTo(y - x, 2);
    }
  });

  it("backlog means and peaks, and resident-days waited, are those of the two timeseries", () => {
    const sum = (r: Run, names: string[]): number =>
      names.reduce((s, n) => s + col(r, n).reduce((x, v) => x + v, 0), 0);
    const waiting = [
      "backlog_in_post",
      "backlog_jlis_intake",
      "backlog_factory",
      "backlog_shipping",
      "backlog_awaiting_visit",
      "backlog_counter_queue",
    ];
    expect(doc.residentDaysWaited.a).toBeCloseTo(sum(a, waiting), 1);
    expect(doc.residentDaysWaited.b).toBeCloseTo(sum(b, waiting), 1);
    expect(doc.residentDaysWaited.delta).toBeCloseTo(sum(b, waiting) - sum(a, waiting), 1);
    expect(doc.residentDaysWaited.definition).toMatch(/certificate renewals excluded/);
    expect(doc.backlogs).toHaveLength(7);
    for (const x of doc.backlogs) {
      const peak = (r: Run) => Math.max(...col(r, x.column));
      expect(x.peak.a).toBe(peak(a));
      expect(x.peak.delta).toBeCloseTo(peak(b) - peak(a), 2);
      expect(x.mean.b).toBeCloseTo(sum(b, [x.column]) / 91, 2);
    }
  });

  it("compares no cost (the runs carry none) and says so", () => {
    expect(JSON.stringify(doc)).not.toMatch(/"cost"|yen/i);
    expect(doc.notes.some((n) => /^cost: neither run carries cost figures/.test(n))).toBe(true);
  });

  it("refuses a run whose summary.json breaks the schema: one line, exit 2, nothing written", async () => {
    const broken = join(tmp, "broken");
    cpSync(runA, broken, { recursive: true });
    const s = JSON.parse(readFileSync(join(broken, "summary.json"), "utf8")) as RunSummary;
    s.target.reachedOn = "2016-13-45";
    writeFileSync(join(broken, "summary.json"), JSON.stringify(s));
    const where = join(tmp, "cmp-broken");
    const o = await runCli(["compare", runA, broken, "--out", where]);
    expect(o.code).toBe(2);
    expectOneCleanLine(o);
    expect(o.stderr).toContain(
      `compare: ${broken}: summary.json: target.reachedOn: expected a date YYYY-MM-DD, got '2016-13-45'`,
    );
    expect(existsSync(where)).toBe(false);
  });

  it("refuses an incomplete run (no manifest.json) and a missing directory: one line, exit 2", async () => {
    const partial = join(tmp, "partial");
    cpSync(runA, partial, { recursive: true });
    rmSync(join(partial, "manifest.json"));
    const [o1, o2] = await Promise.all([
      runCli(["compare", partial, runB, "--out", join(tmp, "cmp-partial")]),
      runCli(["compare", runA, join(tmp, "nope"), "--out", join(tmp, "cmp-nope")]),
    ]);
    for (const o of [o1, o2]) {
      expect(o.code).toBe(2);
      expectOneCleanLine(o);
    }
    expect(o1.stderr).toMatch(/partial: no manifest\.json \(not a complete run/);
    expect(o2.stderr).toMatch(/nope: no such run directory/);
  });

  it("--help exits 0; one run directory is a usage error (exit 2)", async () => {
    const [h, one] = await Promise.all([runCli(["compare", "--help"]), runCli(["compare", runA])]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: myna-twin compare <runDirA> <runDirB>/);
    expect(one.code).toBe(2);
    expectOneCleanLine(one);
    expect(one.stderr).toMatch(/expected two run directories, got 1/);
  });
});
