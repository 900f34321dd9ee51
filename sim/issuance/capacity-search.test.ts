/**
 * The capacity search (issue 9): the same answer and the same probes with 1 and 2 threads (the old
 * k-section answered ×0.805 with one thread and ×0.774 with two on this very scenario), an answer
 * that reaches the target while the grid point below does not, the baseline's cards at ×1 standing
 * in for a probe, and null when demand rather than capacity is short; the cheapest mix:
 * intake, factory and J-LIS as built and the least counter staffing meeting the same bounds, the
 * same on 1 and 2 threads, with fewer staff-days than the uniform answer. Short plan-87m runs
 * (2016-01-01 … 2016-06-30 or … 2016-03-31), seed 7.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runTasks } from "../../engine/pool/task-pool.js";
import { GRID_PER_DOUBLING, gridMultiplier, searchCapacity } from "./capacity-search.js";
import { scaleCapacities, scaleLever } from "./levers.js";
import type { IssuanceParams } from "./params.js";
import { REPLICATION_WORKER, runReplication } from "./replication.js";
import { histogramStats } from "./summary.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

function shortPlan(end: string, cards: number): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "plan-87m.yaml"), "utf8")) as IssuanceParams;
  delete p.cryptoSample;
  p.end = end;
  p.target = { cards, date: end, solveCapacity: true };
  return p;
}

/** Replication 0's cards on the last day at each multiplier. */
async function cardsAt(p: IssuanceParams, ks: number[]): Promise<number[]> {
  return (await runsAt(p, ks)).map((r) => r.cards);
}

/** Replication 0's cards on the last day and p90 lead time of the cards handed over, per multiplier. */
async function runsAt(p: IssuanceParams, ks: number[]): Promise<{ cards: number; p90: number }[]> {
  const results = await runTasks(
    ks.map((k) => ({
      params: scaleCapacities(p, k),
      seed: 7,
      replication: 0,
      dataDir: DATA,
      snapshotDays: [],
    })),
    { threads: 1, workerUrl: REPLICATION_WORKER, handler: runReplication },
  );
  return results.map((r) => ({
    cards: r.columns.cards_issued_cumulative[r.days - 1]!,
    p90: histogramStats(r.leadTimeHistogramToTarget).p90,
  }));
}

describe("searchCapacity on plan-87m, 10 M cards by 2016-06-30", () => {
  const p = shortPlan("2016-06-30", 10_000_000);

  it("answers the same, with the same probes, on 1 and 2 threads; the answer reaches and the grid point below does not", async () => {
    const rounds: Record<number, number[][]> = { 1: [], 2: [] };
    const one = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 1,
      dataDir: DATA,
      onRound: (k) => rounds[1]!.push(k),
    });
    const two = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 2,
      dataDir: DATA,
      onRound: (k) => rounds[2]!.push(k),
    });
    expect(two).toEqual(one);
    expect(rounds[2]).toEqual(rounds[1]);
    expect(one).not.toBeNull();
    const j = Math.round(GRID_PER_DOUBLING * Math.log2(one!.multiplier));
    expect(one!.multiplier).toBe(Number(gridMultiplier(j).toFixed(3)));
    expect(one!.multiplier).toBeLessThan(1);
    const [at, below] = await cardsAt(p, [gridMultiplier(j), gridMultiplier(j - 1)]);
    expect(at).toBeGreaterThanOrEqual(10_000_000);
    expect(below).toBeLessThan(10_000_000);
    expect(one!.factoryPerDayOnTargetDate).toBe(Math.round(110_000 * gridMultiplier(j)));
    // Fewer runs than bisection over the ≈140 grid points between ×1/4 and ×1 (8 probes).
    expect(rounds[1]!.flat().length).toBeLessThanOrEqual(6);
  });

  it("takes the baseline's cards at ×1 instead of probing ×1, with the same answer", async () => {
    const [atOne] = await cardsAt(p, [1]);
    const rounds: number[][] = [];
    const given = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 1,
      dataDir: DATA,
      cardsAtOne: atOne,
      onRound: (k) => rounds.push(k),
    });
    expect(rounds.flat()).not.toContain(1);
    expect(given).toEqual(
      await searchCapacity(p, { seed: 7, cheapestMix: false, threads: 1, dataDir: DATA }),
    );
  });
});

describe("searchCapacity when demand is short", () => {
  it("is null: even ×64 capacity does not give 60 M cards by 2016-03-31", async () => {
    const rounds: number[][] = [];
    const p = shortPlan("2016-03-31", 60_000_000);
    expect(
      await searchCapacity(p, {
        seed: 7,
        cheapestMix: false,
        threads: 1,
        dataDir: DATA,
        onRound: (k) => rounds.push(k),
      }),
    ).toBeNull();
    expect(rounds.flat()).toContain(64);
  });
});

describe("searchCapacity bounded by the p90 lead time (target.maxLeadTimeP90Days, issue 9)", () => {
  // Unbounded, 10 M cards by 2016-06-30 need ≈×0.77, where p90 is ≈150 days; at ×1 it is ≈129.
  const p = { ...shortPlan("2016-06-30", 10_000_000) };
  p.target = { ...p.target, maxLeadTimeP90Days: 130 };

  it("answers the least multiplier meeting both bounds, the same on 1 and 2 threads; lead time bound", async () => {
    const rounds: Record<number, number[][]> = { 1: [], 2: [] };
    const one = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 1,
      dataDir: DATA,
      onRound: (k) => rounds[1]!.push(k),
    });
    const two = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 2,
      dataDir: DATA,
      onRound: (k) => rounds[2]!.push(k),
    });
    expect(two).toEqual(one);
    expect(rounds[2]).toEqual(rounds[1]);
    expect(one).not.toBeNull();
    expect(one!.boundBy).toBe("leadTime");
    expect(one!.maxLeadTimeP90Days).toBe(130);
    const unbounded = await searchCapacity(shortPlan("2016-06-30", 10_000_000), {
      seed: 7,
      cheapestMix: false,
      threads: 1,
      dataDir: DATA,
    });
    expect(unbounded!.boundBy).toBe("cards");
    expect(unbounded!.maxLeadTimeP90Days).toBeNull();
    expect(one!.multiplier).toBeGreaterThan(unbounded!.multiplier);
    const j = Math.round(GRID_PER_DOUBLING * Math.log2(one!.multiplier));
    const [at, below] = await runsAt(p, [gridMultiplier(j), gridMultiplier(j - 1)]);
    expect(at!.cards).toBeGreaterThanOrEqual(10_000_000);
    expect(at!.p90).toBeLessThanOrEqual(130);
    expect(one!.leadTimeP90Days).toBe(at!.p90);
    expect(below!.cards).toBeGreaterThanOrEqual(10_000_000);
    expect(below!.p90).toBeGreaterThan(130);
  });

  it("takes the baseline's cards and p90 at ×1 instead of probing ×1, with the same answer", async () => {
    const [atOne] = await runsAt(p, [1]);
    const rounds: number[][] = [];
    const given = await searchCapacity(p, {
      seed: 7,
      cheapestMix: false,
      threads: 1,
      dataDir: DATA,
      cardsAtOne: atOne!.cards,
      leadTimeP90AtOne: atOne!.p90,
      onRound: (k) => rounds.push(k),
    });
    expect(rounds.flat()).not.toContain(1);
    expect(given).toEqual(
      await searchCapacity(p, { seed: 7, cheapestMix: false, threads: 1, dataDir: DATA }),
    );
  });

  it("is null when no multiplier up to ×64 keeps p90 within a bound shorter than the pickup delays", async () => {
    const q = shortPlan("2016-03-31", 1_000_000);
    q.target = { ...q.target, maxLeadTimeP90Days: 5 };
    const rounds: number[][] = [];
    expect(
      await searchCapacity(q, {
        seed: 7,
        cheapestMix: false,
        threads: 2,
        dataDir: DATA,
        onRound: (k) => rounds.push(k),
      }),
    ).toBeNull();
    expect(rounds.flat()).toContain(64);
  });
});

describe("the cheapest capacity mix (issue 9 item 4): 1 M cards by 2016-02-29", () => {
  // The lead-time bound enters the mix search through the same test as the uniform search (above).
  const p = shortPlan("2016-02-29", 1_000_000);

  it("holds intake, factory and J-LIS as built and finds the least counter staffing that meets the target", async () => {
    // One search on 2 threads: the mix is searched by the same grid code (searchGrid) whose answers
    // and probes the tests above show to be the same on 1 and 2 threads.
    const one = await searchCapacity(p, { seed: 7, threads: 2, dataDir: DATA });
    const mix = one!.cheapestMix!;
    expect(mix).not.toBeNull();
    const held = Math.max(1, one!.multiplier);
    expect(mix.multipliers.intake).toBe(Number(held.toFixed(3)));
    expect(mix.multipliers.factory).toBe(mix.multipliers.intake);
    expect(mix.multipliers.jlis).toBe(mix.multipliers.intake);
    // The mix meets the target, with counters on the grid and below the uniform multiplier …
    expect(mix.cardsOnTargetDate).toBeGreaterThanOrEqual(1_000_000);
    const j = Math.round(GRID_PER_DOUBLING * Math.log2(mix.multipliers.counters));
    expect(mix.multipliers.counters).toBe(Number(gridMultiplier(j).toFixed(3)));
    expect(mix.multipliers.counters).toBeLessThan(one!.multiplier);
    // … and one grid step less counter staffing does not (it is the least).
    const base = scaleCapacities(p, 1);
    const below = await runTasks(
      [
        {
          params: scaleLever(base, "counters", gridMultiplier(j - 1)),
          seed: 7,
          replication: 0,
          dataDir: DATA,
          snapshotDays: [],
        },
      ],
      { threads: 1, workerUrl: REPLICATION_WORKER, handler: runReplication },
    );
    const r = below[0]!;
    expect(r.columns.cards_issued_cumulative[r.days - 1]!).toBeLessThan(1_000_000);
    // Staff-days and yen: the mix needs no more counter staff-days than the uniform answer, and its
    // yen add up by stage.
    expect(mix.counterStaffDaysToTarget).toBeLessThanOrEqual(mix.uniformCounterStaffDaysToTarget);
    const y = mix.yenToTarget!;
    expect(y.total).toBeCloseTo(y.cardProduction + y.jlis + y.counterStaff + y.postage, 3);
    expect(y.counterStaff).toBeCloseTo(mix.counterStaffDaysToTarget * 25_000, 3);
  });
});
