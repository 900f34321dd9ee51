/**
 * Counterfactual runs on common random numbers: a counterfactual that changes only J-LIS (no 2016
 * outages, the 115 k/day design load) draws the baseline's applications — the model's only random
 * draws — replication by replication, and only its cards differ; its effects are exactly the paired
 * differences; runScenario with a counterfactual writes byte-identical summary.json with 1 and 2
 * threads, and a run without counterfactuals has no `counterfactuals` field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseIsoDate } from "../../engine/calendar.js";
import { TwinError } from "../../engine/errors.js";
import { RESIDENT_DAYS_COLUMNS } from "../run-format/index.js";
import {
  counterfactualEffects,
  counterfactualTasks,
  type ResolvedCounterfactual,
} from "./counterfactuals.js";
import type { IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { runReplication } from "./replication.js";
import { runScenario, type RunScenarioOptions } from "./run-scenario.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

/** history.yaml cut to 2016-01-01 … 2016-04-30 (the J-LIS failure's months). */
function shortHistory(): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  p.end = "2016-04-30";
  p.target = { cards: 3_000_000, date: "2016-04-15" };
  return p;
}

/** The no-failure counterfactual as scenarios/counterfactuals.ts resolves it: no outages, no slowdowns. */
function noFailure(p: IssuanceParams): ResolvedCounterfactual {
  const q = structuredClone(p);
  q.jlis.outages = [];
  q.jlis.slowdowns = [];
  return {
    name: "no-failure",
    description: "no outages, design load",
    set: { "jlis.outages": [] },
    dates: ["2016-03-27"],
    params: q,
  };
}

const SEED = 11;
const REPS = 2;

describe("counterfactual paired runs (seed 11, 2 replications, 2016-01-01 … 2016-04-30)", () => {
  const params = shortHistory();
  const cf = noFailure(params);
  let baseline: IssuanceRunResult[];
  let paired: IssuanceRunResult[];
  beforeAll(() => {
    baseline = Array.from({ length: REPS }, (_, replication) =>
      runReplication({ params, seed: SEED, replication, dataDir: DATA, snapshotDays: [] }),
    );
    paired = counterfactualTasks([cf], { seed: SEED, replications: REPS, dataDir: DATA }).map((t) =>
      runReplication(t),
    );
  });

  it("run on the baseline's seed and replication indices, in replication order", () => {
    const tasks = counterfactualTasks([cf, { ...cf, name: "again" }], {
      seed: SEED,
      replications: REPS,
      dataDir: DATA,
    });
    expect(tasks.map((t) => [t.seed, t.replication])).toEqual([
      [SEED, 0],
      [SEED, 1],
      [SEED, 0],
      [SEED, 1],
    ]);
    expect(tasks[0]!.params).toBe(cf.params);
  });

  it("draw the baseline's applications in every replication; only the cards differ", () => {
    for (let rep = 0; rep < REPS; rep++) {
      const b = baseline[rep]!.columns;
      const c = paired[rep]!.columns;
      expect(Array.from(c.applications_daily)).toEqual(Array.from(b.applications_daily));
      expect(Array.from(c.applications_cumulative)).toEqual(Array.from(b.applications_cumulative));
      expect(Array.from(c.cards_issued_cumulative)).not.toEqual(Array.from(b.cards_issued_cumulative));
    }
    // The equality is not trivial: the two replications draw different applications.
    expect(Array.from(baseline[1]!.columns.applications_daily)).not.toEqual(
      Array.from(baseline[0]!.columns.applications_daily),
    );
  });

  it("report effects equal to the paired differences", () => {
    const [e] = counterfactualEffects(params, baseline, paired, [cf]);
    const start = baseline[0]!.startDay;
    const cards = (r: IssuanceRunResult, d: string): number =>
      r.columns.cards_issued_cumulative[parseIsoDate(d) - start]!;
    const meanDelta = (d: string): number =>
      (cards(paired[0]!, d) - cards(baseline[0]!, d) + cards(paired[1]!, d) - cards(baseline[1]!, d)) / 2;
    expect(e!.name).toBe("no-failure");
    expect(e!.cardsOnTargetDateDelta!.mean).toBeCloseTo(meanDelta("2016-04-15"), 1);
    expect(e!.cardsOnDates.map((r) => [r.date, r.reasons])).toEqual([
      ["2016-03-27", ["declared"]],
      ["2016-04-15", ["target date"]],
      ["2016-04-30", ["last day"]],
    ]);
    const on27 = e!.cardsOnDates[0]!;
    expect(on27.delta.mean).toBeCloseTo(meanDelta("2016-03-27"), 1);
    expect(on27.counterfactual - on27.baseline).toBeCloseTo(on27.delta.mean, 0);
    // Lifting the slowed hand-over to its design load hands over more cards by the end of March.
    expect(on27.delta.mean).toBeGreaterThan(100_000);
    const waited = (r: IssuanceRunResult): number =>
      RESIDENT_DAYS_COLUMNS.reduce((s, c) => s + r.columns[c].reduce((x, v) => x + v, 0), 0);
    const dw = (waited(paired[0]!) - waited(baseline[0]!) + waited(paired[1]!) - waited(baseline[1]!)) / 2;
    expect(e!.residentDaysWaited.delta.mean).toBeCloseTo(dw, 0);
    expect(e!.residentDaysWaited.delta.mean).toBeLessThan(0);
  });

  it("refuse paired results that do not match the counterfactuals × replications", () => {
    expect(() => counterfactualEffects(params, baseline, paired.slice(1), [cf])).toThrow(TwinError);
  });
});

describe("runScenario with a counterfactual", () => {
  const params = shortHistory();
  const options = (threads: number, withCf: boolean): RunScenarioOptions => ({
    seed: 5,
    replications: 2,
    threads,
    dataDir: DATA,
    command: "myna-twin run test",
    runId: "test-run",
    versions: { "myna-twin": "test" },
    counterfactuals: withCf ? [noFailure(params)] : [],
  });

  it("writes byte-identical summary.json with 1 and 2 threads, with the counterfactual's effects and report section", async () => {
    const one = await runScenario(params, options(1, true));
    const two = await runScenario(params, options(2, true));
    expect(two.files["summary.json"]).toBe(one.files["summary.json"]);
    expect(one.summary.counterfactuals?.map((c) => c.name)).toEqual(["no-failure"]);
    expect(one.files["report.md"]).toMatch(/## What if …/);
    expect(one.files["report.md"]).toMatch(/What if: no-failure\./);
  }, 120_000);

  it("writes no counterfactuals field when the scenario declares none", async () => {
    const run = await runScenario(params, { ...options(1, false), replications: 1 });
    expect(run.files["summary.json"]).not.toContain('"counterfactuals"');
    expect(run.files["report.md"]).not.toMatch(/What if/);
  }, 60_000);
});
