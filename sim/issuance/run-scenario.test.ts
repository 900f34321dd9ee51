/**
 * runScenario end to end on a short period: the files do not depend on the thread count (the
 * threads: 2 path runs the replications, their paired runs and the capacity search on piscina
 * workers, which load replication-worker.ts through tsx), and the summary answers are sane.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LEVERS } from "./levers.js";
import type { IssuanceParams } from "./params.js";
import { runScenario, type RunScenarioOptions, type ScenarioRun } from "./run-scenario.js";
import { parsePrefecturesCsv } from "../run-format/prefectures-csv.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** scenarios/history.yaml as plain params, cut to a short period with the target date inside it. */
function shortHistory(): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  p.end = "2016-04-30";
  p.target = { cards: 87_000_000, date: "2016-04-15" };
  return p;
}

const options = (threads: number): RunScenarioOptions => ({
  seed: 7,
  replications: 2,
  threads,
  dataDir: join(ROOT, "data"),
  command: "myna-twin run test",
  runId: "test-run",
  versions: { "myna-twin": "test" },
});

describe("runScenario (2016-01-01 … 2016-04-30, 2 replications)", () => {
  const params = shortHistory();
  let one: ScenarioRun;
  let two: ScenarioRun;
  beforeAll(async () => {
    one = await runScenario(params, options(1));
    two = await runScenario(params, options(2));
  });

  it("writes byte-identical summary.json and timeseries.csv with 1 and 2 threads", () => {
    expect(two.files["summary.json"]).toBe(one.files["summary.json"]);
    expect(two.files["timeseries.csv"]).toBe(one.files["timeseries.csv"]);
    expect(one.results).toHaveLength(2);
    expect(two.results).toHaveLength(2);
    expect(Array.from(two.results[1]!.columns.cards_issued_cumulative)).toEqual(
      Array.from(one.results[1]!.columns.cards_issued_cumulative),
    );
  });

  it("writes prefectures.csv byte-identical with 1 and 2 threads, 47 rows a day, and states the uptake fit", () => {
    expect(two.files["prefectures.csv"]).toBe(one.files["prefectures.csv"]);
    const t = parsePrefecturesCsv(one.files["prefectures.csv"]!);
    expect(t.dates).toHaveLength(121);
    expect(t.dates[0]).toBe("2016-01-01");
    expect(t.issued).toHaveLength(121 * 47);
    // the official prefecture figures of the fit (2022-12-31: history.yaml is the full-series
    // calibration, fit date 2025-12-31) are outside this short run
    expect(one.summary.fidelity.uptakeFit).toEqual({
      fitDate: "2025-12-31",
      observedOn: "2022-12-31",
      shrinkage: 0,
      inSample: null,
    });
  });

  it("gives the two replications different random demand", () => {
    expect(Array.from(one.results[0]!.columns.applications_daily)).not.toEqual(
      Array.from(one.results[1]!.columns.applications_daily),
    );
  });

  it("writes one timeseries row per day plus a header, with the 95 % CI columns for 2 replications", () => {
    const lines = one.files["timeseries.csv"]!.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 121);
    expect(lines[0]).toMatch(/^date,/);
    expect(lines[0]).toContain("cards_issued_cumulative_ci95_lower");
    expect(lines[1]).toMatch(/^2016-01-01,/);
    expect(lines.at(-1)).toMatch(/^2016-04-30,/);
    expect(one.files["timeseries.csv"]).not.toMatch(/NaN|undefined/);
  });

  it("reports an unreached target sanely: reachedOn null, positive shortfall", () => {
    const s = one.summary;
    expect(s.replications).toBe(2);
    expect(s.seed).toBe(7);
    expect(s.period).toEqual({ start: "2016-01-01", end: "2016-04-30" });
    expect(s.target.reached).toBe(false);
    expect(s.target.reachedShare).toBe(0);
    expect(s.target.reachedOn).toBeNull();
    expect(s.target.reachedOnRange).toBeNull();
    expect(s.target.cardsOnTargetDate).not.toBeNull();
    const on = s.target.cardsOnTargetDate!;
    expect(on.lower).toBeLessThanOrEqual(on.mean);
    expect(on.mean).toBeLessThanOrEqual(on.upper);
    expect(on.mean).toBeGreaterThan(0);
    expect(s.target.shortfallOnTargetDate).toBeGreaterThan(0);
    expect(s.target.shortfallOnTargetDate).toBe(Math.round(87_000_000 - on.mean));
  });

  it("reports lead times in order and a known binding constraint", () => {
    const s = one.summary;
    const all = s.leadTimeDays.all;
    expect(all.p50!).toBeLessThanOrEqual(all.p90!);
    expect(all.p90!).toBeLessThanOrEqual(all.p99!);
    expect(all.mean).toBeGreaterThan(0);
    expect(["intake", "factory", "jlis", "counters", "demand"]).toContain(s.bindingConstraint.stage);
    expect(s.bindingConstraint.method).toBe(
      "marginal effect of +10 % capacity, paired runs with common random numbers",
    );
    expect(s.bindingConstraint.effects.map((e) => e.lever)).toEqual([...LEVERS]);
    expect(s.bindingConstraint.comparedOn).toBe("2016-04-15");
    expect(s.bindingConstraint.byPeriod.map((b) => b.until)).toEqual(["2016-03-31", "2016-04-30"]);
    // Two replications: each lever's change in cards has a 95 % CI around its mean.
    for (const e of s.bindingConstraint.effects) {
      expect(e.cardsOnTargetDateDelta.lower).toBeLessThanOrEqual(e.cardsOnTargetDateDelta.mean);
      expect(e.cardsOnTargetDateDelta.mean).toBeLessThanOrEqual(e.cardsOnTargetDateDelta.upper);
    }
    expect(one.files["report.md"]).toContain("What +10 % of each would buy");
    expect(s.outageMinutesInBusinessHours).toBeGreaterThan(0);
    const parsed = JSON.parse(one.files["summary.json"]!) as { target: { reachedOn: unknown } };
    expect(parsed.target.reachedOn).toBeNull();
  });

  // Regression: when the model left the last day unsimulated, summary.totals (taken from the last
  // row) reported 0 applications and 0 cards.
  it("reports totals from the last day, consistent with the lead-time histogram", () => {
    const s = one.summary;
    const r = one.results[0]!;
    expect(r.columns.cards_issued_cumulative[r.days - 1]).toBe(
      r.leadTimeHistogram.reduce((a, b) => a + b, 0),
    );
    expect(s.totals.applications).toBeGreaterThan(params.demand.initialBacklog.applications);
    expect(s.totals.cardsIssued).toBeGreaterThan(0);
  });
});

describe("runScenario with the capacity search (plan-87m, 2016-01-01 … 2016-06-30, 10 M cards)", () => {
  // Regression (issue 9): the capacity search probed `threads` points per round, so its answer
  // changed with --threads (×0.805 on 1 thread, ×0.774 on 2 for this scenario).
  it("writes byte-identical summary.json and reports with 1 and 2 threads, capacity search included", async () => {
    const p = parse(readFileSync(join(ROOT, "scenarios", "plan-87m.yaml"), "utf8")) as IssuanceParams;
    delete p.cryptoSample;
    p.end = "2016-06-30";
    p.target = { cards: 10_000_000, date: "2016-06-30", solveCapacity: true };
    const a = await runScenario(p, { ...options(1), replications: 1 });
    const b = await runScenario(p, { ...options(2), replications: 1 });
    expect(a.summary.requiredCapacity).toBeTruthy();
    expect(b.files["summary.json"]).toBe(a.files["summary.json"]);
    // The report names the thread count it was run with (Reproduce); nothing else may differ.
    const report = (r: ScenarioRun) =>
      r.files["report.md"]!.replace(/--threads \d+/g, "").replace(/\| threads \| \d+ \|/, "");
    expect(report(b)).toBe(report(a));
    expect(b.files["timeseries.csv"]).toBe(a.files["timeseries.csv"]);
  });
});

describe("runScenario with the target date after the run", () => {
  it("has no cards-on-target-date and no shortfall, and reachedOn null", async () => {
    const p = shortHistory();
    p.end = "2016-02-15";
    p.target = { cards: 87_000_000, date: "2020-03-31" };
    const run = await runScenario(p, { ...options(1), replications: 1 });
    const t = run.summary.target;
    expect(t.reached).toBe(false);
    expect(t.reachedOn).toBeNull();
    expect(t.cardsOnTargetDate).toBeNull();
    expect(t.shortfallOnTargetDate).toBeNull();
    expect(run.summary.leadTimeDays.toTargetDate).toBeNull();
    expect(run.files["timeseries.csv"]).not.toContain("ci95");
  });
});
