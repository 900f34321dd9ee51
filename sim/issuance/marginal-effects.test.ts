/**
 * The binding constraint by marginal effect (issue 9): on short plan-87m runs where one stage
 * clearly binds it names that stage, in agreement with +25 % finite differences; with ample capacity
 * it names demand; capacity levers share the baseline's random draws (common random numbers); the
 * binding stage by period follows a change of capacity; and the combination of results (threshold,
 * reach dates, notes, confidence intervals) is checked on hand-made series.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseIsoDate } from "../../engine/calendar.js";
import { runTasks } from "../../engine/pool/task-pool.js";
import { CAPACITY_LEVERS, LEVERS, type Lever } from "./levers.js";
import { bindingLine, leverTasks, marginalEffects, periodEnds } from "./marginal-effects.js";
import type { IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { REPLICATION_WORKER, runReplication, type ReplicationTask } from "./replication.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

/** scenarios/plan-87m.yaml cut to 2016-01-01 … `end`, the target date on the last day. */
function shortPlan(end: string): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "plan-87m.yaml"), "utf8")) as IssuanceParams;
  delete p.cryptoSample;
  p.end = end;
  p.target = { cards: 10_000_000, date: end };
  return p;
}

const run = (tasks: ReplicationTask[]): Promise<IssuanceRunResult[]> =>
  runTasks(tasks, { threads: 1, workerUrl: REPLICATION_WORKER, handler: runReplication });

/** The baseline replications and the paired runs for `levers` × `multiplier` (seed 7). */
async function paired(p: IssuanceParams, multiplier: number, levers: readonly Lever[], replications = 1) {
  const setup = { seed: 7, replications, dataDir: DATA };
  const base = await run(
    Array.from({ length: replications }, (_, replication) => ({
      params: p,
      seed: 7,
      replication,
      dataDir: DATA,
      snapshotDays: [],
    })),
  );
  const runs = await run(leverTasks(p, setup, multiplier, levers));
  return { base, runs, bc: marginalEffects(p, base, runs, multiplier, levers) };
}

const percentOf = (bc: ReturnType<typeof marginalEffects>, lever: Lever): number =>
  bc.effects.find((e) => e.lever === lever)!.cardsOnTargetDateDeltaPercent!;

describe("marginal effects on plan-87m, 2016-01-01 … 2016-03-31", () => {
  it("names the counters when they are cut hard, and +25 % finite differences agree", async () => {
    const p = shortPlan("2016-03-31");
    // 1 hand-over per 10,000 residents per weekday: staff per 100,000 × 525 / 20 min ÷ 10 = 1.
    p.counters.staffPerHundredThousand = [{ from: "2016-01-01", value: 1 / 2.625 }];
    const ten = await paired(p, 1.1, LEVERS);
    expect(ten.bc.stage).toBe("counters");
    expect(ten.bc.method).toBe("marginal effect of +10 % capacity, paired runs with common random numbers");
    expect(ten.bc.effects.map((e) => e.lever)).toEqual([...LEVERS]);
    expect(percentOf(ten.bc, "counters")).toBeGreaterThan(0.5);
    for (const lever of ["intake", "factory", "jlis"] as const)
      expect(percentOf(ten.bc, lever)).toBeLessThan(percentOf(ten.bc, "counters"));
    expect(bindingLine(ten.bc)).toMatch(
      /^counters \(\+10 % counters capacity: \+[\d,]+ cards on 2016-03-31, \+[\d.]+ %\)$/,
    );

    const fd = await paired(p, 1.25, CAPACITY_LEVERS);
    expect(fd.bc.stage).toBe(ten.bc.stage);
    expect(fd.bc.method).toBe("marginal effect of +25 % capacity, paired runs with common random numbers");
    // The counters' effect grows with the step, and roughly in proportion (within a factor 2).
    const ratio = percentOf(fd.bc, "counters") / percentOf(ten.bc, "counters");
    expect(ratio).toBeGreaterThan(2.5 / 2);
    expect(ratio).toBeLessThan(2.5 * 2);

    // Common random numbers: every capacity lever sees exactly the baseline's applications.
    const apps = Array.from(ten.base[0]!.columns.applications_daily);
    ten.runs.forEach((r, i) => {
      const same = Array.from(r.columns.applications_daily);
      if (LEVERS[i] === "demand") expect(same).not.toEqual(apps);
      else expect(same).toEqual(apps);
    });
  });

  it("names demand when every capacity is ample", async () => {
    const p = shortPlan("2016-03-31");
    for (const s of [
      p.intake.capacityPerDay,
      p.factory.capacityPerDay,
      p.counters.staffPerHundredThousand,
      p.jlis.designLoadPerDay,
    ])
      for (const e of s) e.value *= 10;
    const { bc } = await paired(p, 1.1, LEVERS);
    expect(bc.stage).toBe("demand");
    for (const lever of CAPACITY_LEVERS) expect(Math.abs(percentOf(bc, lever))).toBeLessThan(0.5);
    expect(percentOf(bc, "demand")).toBeGreaterThan(2);
    expect(bc.explanation).toMatch(/^No stage's \+10 % capacity moves cards on 2016-03-31 by 0.5 % or more/);
    expect(bindingLine(bc)).toMatch(
      /^demand \(no stage's \+10 % capacity moves cards on 2016-03-31 by 0.5 %/,
    );
  });
});

describe("binding stage by period", () => {
  it("follows the counters' capacity: counters until they are raised, then J-LIS hand-over", async () => {
    const p = shortPlan("2016-06-30");
    // 1, then 80 hand-overs per 10,000 residents per weekday (staff × 525 / 20 min ÷ 10).
    p.counters.staffPerHundredThousand = [
      { from: "2016-01-01", value: 1 / 2.625 },
      { from: "2016-04-01", value: 80 / 2.625 },
    ];
    const { bc } = await paired(p, 1.1, LEVERS);
    expect(bc.byPeriod.map((b) => [b.until, b.stage])).toEqual([
      ["2016-03-31", "counters"],
      ["2016-06-30", "jlis"],
    ]);
    expect(bc.stage).toBe("jlis");
    expect(bc.byPeriod.at(-1)!.effects).toEqual(
      bc.effects.map((e) => ({
        lever: e.lever,
        cardsDelta: e.cardsOnTargetDateDelta.mean,
        cardsDeltaPercent: e.cardsOnTargetDateDeltaPercent,
      })),
    );
    expect(bc.explanation).toContain("By date: 2016-03-31 counters, 2016-06-30 J-LIS hand-over.");
  });

  it("compares at year-ends in runs of two years or more and at quarter-ends in shorter ones", () => {
    const d = (s: string) => parseIsoDate(s);
    expect(periodEnds(d("2016-01-01"), 366 + 365 + 365)).toEqual([
      d("2016-12-31"),
      d("2017-12-31"),
      d("2018-12-31"),
    ]);
    expect(periodEnds(d("2016-02-10"), 200)).toEqual([d("2016-03-31"), d("2016-06-30"), d("2016-08-27")]);
    expect(periodEnds(d("2016-02-10"), 1)).toEqual([d("2016-02-10")]);
  });
});

/** A result whose cumulative cards are `cum` from 2016-01-01. */
function series(cum: number[]): IssuanceRunResult {
  return {
    startDay: parseIsoDate("2016-01-01"),
    days: cum.length,
    columns: { cards_issued_cumulative: Float64Array.from(cum) },
  } as unknown as IssuanceRunResult;
}

describe("marginalEffects on hand-made series", () => {
  const p = shortPlan("2016-01-05");
  p.target = { cards: 100, date: "2016-01-04" };
  const levers = LEVERS;
  // Baseline reaches 100 on day 4 (2016-01-04) with 100 cards.
  const base = [series([10, 40, 70, 100, 130])];
  const make = (onDay4: Record<Lever, number[]>) => levers.map((l) => series(onDay4[l]));

  it("names the capacity lever with the largest change, demand below 0.5 %, and measures reach dates", () => {
    const runs = make({
      intake: [10, 40, 70, 100, 130],
      factory: [10, 40, 70, 100.4, 130], // +0.4 %: below the threshold
      jlis: [10, 50, 100, 120, 140], // reached 2 days earlier, +20 %
      counters: [10, 40, 70, 100.5, 130], // +0.5 %
      demand: [10, 40, 60, 90, 99], // never reaches
    });
    const bc = marginalEffects(p, base, runs);
    expect(bc.stage).toBe("jlis");
    const jlis = bc.effects.find((e) => e.lever === "jlis")!;
    expect(jlis.cardsOnTargetDateDelta).toEqual({ mean: 20, lower: 20, upper: 20 });
    expect(jlis.cardsOnTargetDateDeltaPercent).toBe(20);
    expect(jlis.reachDateDeltaDays).toEqual({ mean: -1, lower: -1, upper: -1 });
    expect(jlis.reachedOn).toBe("2016-01-03");
    expect(jlis.reachNote).toBeNull();
    const demand = bc.effects.find((e) => e.lever === "demand")!;
    expect(demand.reachDateDeltaDays).toBeNull();
    expect(demand.reachedOn).toBeNull();
    expect(demand.reachNote).toBe(
      "the target is reached by 2016-01-05 in 0 of 1 replication(s) with +10 % demand and in 1 without; the change is over the 0 where both reach it",
    );
    expect(bc.comparedOn).toBe("2016-01-04");

    // Without J-LIS, counters' +0.5 % is just enough; factory's +0.4 % would not be.
    const noJlis = marginalEffects(p, base, [...runs.slice(0, 2), runs[0]!, ...runs.slice(3)]);
    expect(noJlis.stage).toBe("counters");
    const onlyFactory = marginalEffects(p, base, [runs[0]!, runs[1]!, runs[0]!, runs[0]!, runs[4]!]);
    expect(onlyFactory.stage).toBe("demand");
  });

  it("gives a 95 % CI of paired differences over replications and refuses mismatched inputs", () => {
    const base2 = [series([10, 40, 70, 100, 130]), series([10, 40, 70, 90, 95])];
    const runs = levers.flatMap((l) =>
      l === "counters"
        ? [series([10, 40, 70, 110, 130]), series([10, 40, 70, 110, 130])]
        : [base2[0]!, base2[1]!],
    );
    const bc = marginalEffects(p, base2, runs);
    const c = bc.effects.find((e) => e.lever === "counters")!;
    expect(c.cardsOnTargetDateDelta.mean).toBe(15);
    expect(c.cardsOnTargetDateDelta.lower).toBeLessThan(15);
    expect(c.cardsOnTargetDateDelta.upper).toBeGreaterThan(15);
    expect(c.reachNote).toBe(
      "the target is reached by 2016-01-05 in 2 of 2 replication(s) with +10 % counters and in 1 without; the change is over the 1 where both reach it",
    );
    expect(c.reachDateDeltaDays).toEqual({ mean: 0, lower: 0, upper: 0 });
    expect(() => marginalEffects(p, base2, runs.slice(1))).toThrow(/expected 5 × 2 paired runs, got 9/);
  });
});
