/**
 * The run index and the file server behind it: every fixture directory is listed — good runs with
 * their headline, broken ones with one sentence saying why — and only run files inside the reports
 * folder are ever served.
 * @module
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_BENCH, makeReportsDir } from "../test/fixture-reports.js";
import { runFileOnDisk } from "./reports-plugin.js";
import { scanBench } from "./scan-bench.js";
import { scanReports } from "./scan-reports.js";

const reports = makeReportsDir();
afterAll(() => reports.remove());

describe("scanReports", () => {
  const index = scanReports(reports.dir, "fixtures");
  const byId = new Map(index.runs.map((r) => [r.id, r]));

  it("lists every run directory, nested or not, hidden partial ones included", () => {
    expect([...byId.keys()].sort()).toEqual([
      "broken/.partial-history-short-1a2b3c4d",
      "broken/malformed-summary",
      "broken/no-manifest",
      "broken/truncated-csv",
      "history-short",
      "sweep-jlis-2016",
      "sweep-small",
    ]);
    expect(index.source).toBe("fixtures");
  });

  it("summarises a good run with its headline answer", () => {
    expect(byId.get("history-short")).toMatchObject({
      kind: "run",
      status: "ok",
      problem: null,
      scenario: "history",
      seed: 1,
      replications: 2,
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      period: { start: "2016-01-01", end: "2017-04-30" },
      headline: {
        targetCards: 87_000_000,
        targetDate: "2020-03-31",
        reached: false,
        reachedOn: null,
        bindingConstraint: "demand",
      },
      files: ["manifest.json", "summary.json", "timeseries.csv"],
      overrides: ["end=2017-04-30"],
    });
  });

  it("summarises a sweep with its own target and the --set flags of its command", () => {
    expect(byId.get("sweep-jlis-2016")).toMatchObject({
      kind: "sweep",
      status: "ok",
      scenario: "jlis-outage-2016",
      sweepTarget: { cards: 10_000_000, date: "2016-12-31" },
      overrides: ["end=2017-06-30"],
      sweep: { points: 6, reachedByTargetDate: 2 },
    });
    expect(byId.get("sweep-small")).toMatchObject({
      kind: "sweep",
      status: "ok",
      scenario: "plan-87m",
      sweep: {
        keys: ["factory.capacityPerDay[0].value", "counters.perTenThousandPerDay[0].value"],
        points: 4,
        reachedByTargetDate: 4,
      },
    });
  });

  it("says why each broken run cannot be shown", () => {
    expect(byId.get("broken/no-manifest")!.problem).toBe(
      "Incomplete run: there is no manifest.json (it is written last, so the run was interrupted or is still being written).",
    );
    expect(byId.get("broken/.partial-history-short-1a2b3c4d")!.problem).toMatch(
      /^Incomplete run: only a \.partial-/,
    );
    expect(byId.get("broken/malformed-summary")!.problem).toMatch(/^summary\.json is not valid JSON \(/);
    for (const id of [
      "broken/no-manifest",
      "broken/.partial-history-short-1a2b3c4d",
      "broken/malformed-summary",
    ])
      expect(byId.get(id)!.status).toBe("error");
    // the whole timeseries.csv is parsed, so a truncated one is never listed with an answer
    expect(byId.get("broken/truncated-csv")!.status).toBe("error");
    expect(byId.get("broken/truncated-csv")!.problem).toMatch(
      /^timeseries\.csv: line \d+ has \d+ of 22 fields/,
    );
  });

  it("lists an empty directory and survives a missing reports folder", () => {
    mkdirSync(join(reports.dir, "empty-scenario"));
    expect(scanReports(reports.dir).runs.find((r) => r.id === "empty-scenario")?.problem).toMatch(
      /^No run files here/,
    );
    expect(scanReports(join(reports.dir, "does-not-exist")).runs).toEqual([]);
  });

  it("leaves a compare output out of the run list (it is not a run)", () => {
    const dir = join(reports.dir, "compare", "20261201-000000");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "compare.json"), "{}");
    writeFileSync(join(dir, "compare.md"), "# compare\n");
    expect(scanReports(reports.dir).runs.some((r) => r.id.startsWith("compare"))).toBe(false);
  });
});

describe("runFileOnDisk", () => {
  it("maps allowed files inside the folder", () => {
    expect(runFileOnDisk(reports.dir, ["history-short", "summary.json"])).toBe(
      join(reports.dir, "history-short/summary.json"),
    );
    expect(runFileOnDisk(reports.dir, ["broken", "no-manifest", "timeseries.csv"])).toBe(
      join(reports.dir, "broken/no-manifest/timeseries.csv"),
    );
  });

  it.each([
    [["..", "history-short", "summary.json"]],
    [["history-short", "..", "..", "summary.json"]],
    [["%2e%2e", "summary.json"]],
    [["a%2Fb", "summary.json"]],
    [["broken", ".partial-history-short-1a2b3c4d", "timeseries.csv"]],
    [["history-short", "secret.txt"]],
    [["summary.json"]],
    [["history-short", "%E0%A4%A"]],
  ])("refuses %j", (segments) => {
    expect(runFileOnDisk(reports.dir, segments)).toBeNull();
  });
});

describe("scanBench", () => {
  it("reads good documents and explains bad ones", () => {
    const b = scanBench(FIXTURE_BENCH, "bench");
    expect(b.documents.map((d) => [d.file, d.status])).toEqual([
      ["des.json", "ok"],
      ["not-a-bench.json", "error"],
    ]);
    expect(b.documents[1]!.problem).toMatch(/^not-a-bench\.json: \S+: expected/);
    // target and quick reach the view as the document wrote them
    const hold = b.documents[0]!.document!.results.find((r) => r.name === "des.hold.process")!;
    expect(hold).toMatchObject({ target: 10, quick: false });
    expect(scanBench("/nonexistent/folder").documents).toEqual([]);
  });
});
