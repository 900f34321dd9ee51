/**
 * Births, deaths, ageing and moves (population-dynamics.ts) on a small synthetic population: people
 * are conserved (residents change by births − deaths only; ageing moves people between bands),
 * holders who die leave circulation, moved holders come to the counter at the yearly rate with the
 * spring peak, and a run without the block changes nothing.
 */
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { PopulationDynamics, type PopulationDynamicsParams } from "./population-dynamics.js";
import type { Population } from "./population.js";

const POP: Population = {
  municipalities: [
    { code: "1", prefecture: "A", name: "a", population: 600_000 },
    { code: "2", prefecture: "A", name: "b", population: 300_000 },
    { code: "3", prefecture: "B", name: "c", population: 100_000 },
  ],
  prefectures: ["A", "B"],
  prefectureOf: Int32Array.from([0, 0, 1]),
  total: 1_000_000,
  ageBands: [
    { name: "0-14", populationShare: 0.12, relativeHazard: 0.8, minorShare: 1 },
    { name: "15-19", populationShare: 0.05, relativeHazard: 0.9, minorShare: 0.6 },
    { name: "20+", populationShare: 0.83, relativeHazard: 1.05, minorShare: 0 },
  ],
};

const PARAMS: PopulationDynamicsParams = {
  birthsPerYear: 6_000,
  deathsPerYear: 12_500,
  movesPerYear: 40_000,
  moveSeasonality: [0.86, 0.86, 1.7, 1.7, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86],
  holderMortalityRatio: 1,
  source: "test",
};

/** The model's starting state: everyone in the pool by band, residents per municipality. */
function state() {
  const pool = new Float64Array(9);
  POP.municipalities.forEach((mu, k) => {
    pool[k * 3] = mu.population * 0.12;
    pool[k * 3 + 1] = mu.population * 0.05;
    pool[k * 3 + 2] = mu.population * 0.83;
  });
  const residents = Float64Array.from(POP.municipalities, (mu) => mu.population);
  return { pool, residents };
}

const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

/** Hands `perDay` cards over in every municipality each day, as the counters write the ring. */
function simulate(params: PopulationDynamicsParams | undefined, days: number, perDay: number, start = 0) {
  const { pool, residents } = state();
  const dyn = new PopulationDynamics(params, POP, pool, residents, 0.1);
  const ring = new Int32Array(3);
  const none = new Float64Array(3);
  let births = 0;
  let deaths = 0;
  let holderDeaths = 0;
  let handed = 0;
  const moved: number[] = [];
  for (let t = start; t < start + days; t++) {
    const f = dyn.step();
    births += f.births;
    deaths += f.deaths;
    holderDeaths += f.holderDeaths;
    moved.push(sum(dyn.movedHolders(t)));
    ring.fill(perDay);
    // Hand-overs come out of the pool (the model's applications), so people are not counted twice.
    for (let k = 0; k < 3; k++) pool[k * 3 + 2] = pool[k * 3 + 2]! - perDay;
    handed += 3 * perDay;
    dyn.book(ring, 0, none);
  }
  return { pool, residents, dyn, births, deaths, holderDeaths, handed, moved };
}

describe("PopulationDynamics", () => {
  it("conserves people: residents change by births − deaths; pool + holders = residents", () => {
    const r = simulate(PARAMS, 3 * 365, 50);
    expect(sum(r.residents)).toBe(1_000_000 + r.births - r.deaths);
    expect(sum(r.pool) + sum(r.dyn.holders)).toBe(sum(r.residents));
    expect(r.births).toBeGreaterThan(3 * 6_000 - 3);
    expect(r.births).toBeLessThanOrEqual(3 * 6_000);
    // Deaths at the 2023 rate fall on adults: about 1.25 % of residents a year.
    expect(r.deaths / 3).toBeGreaterThan(10_000);
    expect(r.deaths / 3).toBeLessThan(12_600);
    for (const v of r.pool) expect(Number.isInteger(v) && v >= 0).toBe(true);
  });

  it("holders who die leave circulation", () => {
    const r = simulate(PARAMS, 2 * 365, 100);
    expect(r.holderDeaths).toBeGreaterThan(0);
    expect(r.dyn.circulation).toBe(r.handed - r.holderDeaths);
    expect(sum(r.dyn.holders)).toBe(r.dyn.circulation);
    // Holders die at the adults' rate × their adult share (90 %): μ·holder-days, within rounding.
    const holderDays = (r.handed / 2) * 2 * 365; // holders grow linearly: mean handed/2 over the days
    expect(r.holderDeaths).toBeCloseTo(r.dyn.holderDeathRate * holderDays, -2);
  });

  it("ageing moves residents without a card up a band and keeps the pool's total", () => {
    const { pool, residents } = state();
    const dyn = new PopulationDynamics(
      { ...PARAMS, birthsPerYear: 0, deathsPerYear: 0 },
      POP,
      pool,
      residents,
      0,
    );
    const before = pool.slice();
    for (let t = 0; t < 365; t++) dyn.step();
    expect(sum(pool)).toBe(sum(before));
    // 1/15 of 0–14 a year moves into 15–19 (compounded daily), and 1/5 of 15–19 into 20+.
    expect(before[0]! - pool[0]!).toBeCloseTo(72_000 * (1 - (1 - 1 / (15 * 365)) ** 365), -1);
    expect(pool[2]! - before[2]!).toBeGreaterThan(0);
  });

  it("moved holders come to the counter at the yearly rate, more in April than in May", () => {
    const { pool, residents } = state();
    const dyn = new PopulationDynamics(
      { ...PARAMS, birthsPerYear: 0, deathsPerYear: 0 },
      POP,
      pool,
      residents,
      0,
    );
    dyn.book(Int32Array.from([60_000, 30_000, 10_000]), 0, new Float64Array(3));
    const start = parseIsoDate("2021-01-01");
    const moved: number[] = [];
    for (let t = start; t < start + 365; t++) moved.push(sum(dyn.movedHolders(t)));
    const month = (from: string, to: string): number =>
      moved.slice(parseIsoDate(from) - start, parseIsoDate(to) - start + 1).reduce((a, b) => a + b, 0);
    // 100,000 holders, 4 % of residents move a year: 4,000 holder visits, 1.7 / 0.86 as many a day in April.
    expect(moved.reduce((a, b) => a + b, 0)).toBeCloseTo(4_000, -1);
    expect(month("2021-04-01", "2021-04-30") / month("2021-05-01", "2021-05-30")).toBeCloseTo(1.7 / 0.86, 1);
  });

  it("without the block nothing changes but the cards in circulation", () => {
    const r = simulate(undefined, 400, 10);
    const { pool, residents } = state();
    for (let k = 0; k < 3; k++) pool[k * 3 + 2] = pool[k * 3 + 2]! - 4000;
    expect([...r.pool]).toEqual([...pool]);
    expect([...r.residents]).toEqual([...residents]);
    expect(r.births + r.deaths + sum(Float64Array.from(r.moved))).toBe(0);
    expect(r.dyn.circulation).toBe(r.handed);
  });

  it("is deterministic", () => {
    const a = simulate(PARAMS, 500, 30);
    const b = simulate(PARAMS, 500, 30);
    expect([...a.pool]).toEqual([...b.pool]);
    expect(a.moved).toEqual(b.moved);
    expect(a.holderDeaths).toBe(b.holderDeaths);
  });
});

describe("PopulationDynamics: age bands", () => {
  it("a band name without ages is one InputError when the population moves, and no problem when it does not", () => {
    const odd: Population = {
      ...POP,
      ageBands: POP.ageBands.map((b, j) => (j === 0 ? { ...b, name: "children" } : b)),
    };
    const { pool, residents } = state();
    expect(() => new PopulationDynamics(PARAMS, odd, pool, residents, 0)).toThrow(
      /age band "children": expected a name like 15-19/,
    );
    expect(() => new PopulationDynamics(undefined, odd, pool, residents, 0)).not.toThrow();
  });
});
