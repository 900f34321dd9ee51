/**
 * Municipal uptake (uptake.ts): the relative propensity a municipality gets from its observed
 * coverage, that rows after the fit date are never read (poisoned rows change nothing), and that the
 * model turns a higher propensity into more cards per resident with the national total kept.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RandomStreams } from "../../engine/random/index.js";
import { runIssuance } from "./model.js";
import type { IssuanceParams } from "./params.js";
import type { Municipality } from "./population.js";
import { populationOf, propensityOf } from "./replication.js";
import {
  loadMunicipalSnapshot,
  municipalPropensity,
  relativePropensity,
  type MunicipalSnapshot,
} from "./uptake.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");
const dir = mkdtempSync(join(tmpdir(), "myna-uptake-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER =
  "date,municipality_code,prefecture,municipality,population,population_basis_date,cards_issued_cumulative";
const muni = (code: string, population: number): Municipality => ({
  code,
  prefecture: "P",
  name: code,
  population,
});

function snapshot(rows: [string, number, number][]): MunicipalSnapshot {
  return {
    date: "2021-10-01",
    byCode: new Map(rows.map(([code, population, cards]) => [code, { code, population, cards }])),
  };
}

describe("relative propensity", () => {
  it("gives a municipality with twice the coverage the stated relative hazard, and keeps the national mean at 1", () => {
    // A covers 40 %, B 20 %, equal populations: national 30 %.
    const s = snapshot([
      ["A", 1000, 400],
      ["B", 1000, 200],
    ]);
    const ms = [muni("A", 1000), muni("B", 1000)];
    const r = relativePropensity(s, ms, 0);
    const rawA = Math.log(1 - 0.4) / Math.log(1 - 0.3);
    const rawB = Math.log(1 - 0.2) / Math.log(1 - 0.3);
    const scale = 2 / (rawA + rawB);
    expect(r[0]).toBeCloseTo(rawA * scale, 12);
    expect(r[1]).toBeCloseTo(rawB * scale, 12);
    // twice the coverage → ln(1 − 2c) / ln(1 − c) times the propensity (≈ 2.29 at c = 20 %)
    expect(r[0]! / r[1]!).toBeCloseTo(Math.log(0.6) / Math.log(0.8), 12);
    expect((r[0]! * 1000 + r[1]! * 1000) / 2000).toBeCloseTo(1, 12);
  });

  it("shrinks toward 1 by the declared factor; 1 removes every difference; a missing municipality starts at 1", () => {
    const s = snapshot([
      ["A", 1000, 400],
      ["B", 1000, 200],
    ]);
    const ms = [muni("A", 1000), muni("B", 1000), muni("C", 2000)];
    const half = relativePropensity(s, ms, 0.5);
    const rawA = Math.log(0.6) / Math.log(0.7);
    const rawB = Math.log(0.8) / Math.log(0.7);
    const a = 1 + 0.5 * (rawA - 1);
    const b = 1 + 0.5 * (rawB - 1);
    const scale = 4000 / (1000 * a + 1000 * b + 2000);
    expect([...half]).toEqual(
      [a * scale, b * scale, scale].map((x) => expect.closeTo(x, 12) as unknown as number),
    );
    expect([...relativePropensity(s, ms, 1)]).toEqual([1, 1, 1]);
  });

  it("refuses a shrinkage outside [0, 1] with a typed error", () => {
    const s = snapshot([["A", 1000, 400]]);
    expect(() => relativePropensity(s, [muni("A", 1000)], 1.5)).toThrow(
      expect.objectContaining({ code: "E_INPUT", message: expect.stringContaining("shrinkage") }),
    );
  });
});

describe("the per-municipality series up to the fit date", () => {
  const early = ["2021-07-01,A01,P,A,1000,2021-01-01,300", "2021-07-01,B01,P,B,3000,2021-01-01,600"];
  const atFit = ["2021-10-01,A01,P,A,1000,2021-01-01,400", "2021-10-01,B01,P,B,3000,2021-01-01,700"];
  const write = (name: string, lines: string[]): string => {
    const d = mkdtempSync(join(dir, `${name}-`));
    writeFileSync(join(d, "issuance-by-municipality.csv"), `${[HEADER, ...lines].join("\n")}\n`);
    return d;
  };

  it("never reads a row after the fit date: poisoned later rows change nothing", () => {
    const clean = write("clean", [...early, ...atFit]);
    const poisoned = write("poisoned", [
      ...early,
      ...atFit,
      // later rows: garbage cells, a negative population, an impossible coverage
      "2022-01-01,A01,P,A,POISON,2021-01-01,not-a-number",
      "2022-01-01,B01,P,B,-5,2021-01-01,-1",
      "2022-12-31,A01,P,A,1000,2021-01-01,999999",
    ]);
    const a = loadMunicipalSnapshot(clean, "2021-12-31");
    const b = loadMunicipalSnapshot(poisoned, "2021-12-31");
    expect(b).toEqual(a);
    expect(b.date).toBe("2021-10-01");
    expect(b.byCode.get("A01")).toEqual({ code: "A01", population: 1000, cards: 400 });
    const ms = [muni("A01", 1000), muni("B01", 3000)];
    const params = { fitDate: "2021-12-31", shrinkage: 0, source: "test" };
    expect(municipalPropensity(poisoned, ms, params)).toEqual(municipalPropensity(clean, ms, params));
    // with the fit date past them, the poisoned rows are read and refused with one message
    expect(() => loadMunicipalSnapshot(poisoned, "2022-01-01")).toThrow(
      /issuance-by-municipality\.csv: line \d+, column population: expected a positive number/,
    );
  });

  it("uses the latest date on or before the fit date, and refuses a fit date before every row", () => {
    const d = write("dates", [...early, ...atFit]);
    expect(loadMunicipalSnapshot(d, "2021-09-30").date).toBe("2021-07-01");
    expect(loadMunicipalSnapshot(d, "2021-10-01").date).toBe("2021-10-01");
    expect(() => loadMunicipalSnapshot(d, "2020-01-01")).toThrow(
      expect.objectContaining({
        code: "E_DATA",
        message: expect.stringContaining("no official date on or before the fit date 2020-01-01"),
      }),
    );
  });

  it("reports a missing file as a data error naming it", () => {
    expect(() => loadMunicipalSnapshot(join(dir, "nowhere"), "2021-12-31")).toThrow(
      expect.objectContaining({
        code: "E_DATA",
        message: expect.stringContaining("issuance-by-municipality.csv"),
      }),
    );
  });
});

describe("the model with propensity by municipality (data/, history.yaml cut to 2016–2017)", () => {
  const params = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  params.end = "2017-12-31";

  it("history.yaml fits on data up to its fit date and the shipped propensities spread as the official coverage did", () => {
    const fit = propensityOf(params, DATA)!;
    // history.yaml is the full-series calibration (myna-twin calibrate --fit-until 2025-12-31): the
    // latest per-municipality table on or before it is 2022-12-31.
    expect(params.demand.municipalPropensity?.fitDate).toBe("2025-12-31");
    expect(fit.observedOn).toBe("2022-12-31");
    const pop = populationOf(DATA);
    const mean = fit.relative.reduce((a, r, i) => a + r * pop.municipalities[i]!.population, 0) / pop.total;
    expect(mean).toBeCloseTo(1, 9);
    expect(Math.min(...fit.relative)).toBeLessThan(0.8);
    expect(Math.max(...fit.relative)).toBeGreaterThan(1.2);
  });

  it("gives municipalities with higher propensity more applications per resident, with exact conservation per prefecture", () => {
    const pop = populationOf(DATA);
    const rel = propensityOf(params, DATA)!.relative;
    const r = runIssuance(params, pop, new RandomStreams(3).stream("issuance.demand", 0), {
      propensity: rel,
    });
    const flat = runIssuance(params, pop, new RandomStreams(3).stream("issuance.demand", 0));
    const np = pop.prefectures.length;
    const last = r.days - 1;
    // applications per resident follow the prefecture's mean propensity (cards lag them where counters,
    // sized by residents, bind): compare the top and bottom thirds
    const prefRel = new Float64Array(np);
    const prefPop = new Float64Array(np);
    pop.municipalities.forEach((m, i) => {
      const p = pop.prefectureOf[i]!;
      prefRel[p] = prefRel[p]! + rel[i]! * m.population;
      prefPop[p] = prefPop[p]! + m.population;
    });
    const order = [...prefRel.keys()].sort((a, b) => prefRel[a]! / prefPop[a]! - prefRel[b]! / prefPop[b]!);
    const third = Math.floor(np / 3);
    const ratio = (x: typeof r): number => {
      const perResident = (p: number) => x.prefectureDaily.applications[last * np + p]! / prefPop[p]!;
      const low = order.slice(0, third).reduce((a, p) => a + perResident(p), 0) / third;
      const high = order.slice(-third).reduce((a, p) => a + perResident(p), 0) / third;
      return high / low;
    };
    expect(ratio(r)).toBeGreaterThan(1.15);
    expect(Math.abs(ratio(flat) - 1)).toBeLessThan(0.03);
    // the national level moves little (normalised hazard): within 5 % of the flat run
    const cards = r.columns.cards_issued_cumulative[last]!;
    expect(Math.abs(cards / flat.columns.cards_issued_cumulative[last]! - 1)).toBeLessThan(0.05);
    // prefecture cumulative columns sum to the national ones on every day
    for (let d = 0; d < r.days; d++) {
      let a = 0;
      let c = 0;
      for (let p = 0; p < np; p++) {
        a += r.prefectureDaily.applications[d * np + p]!;
        c += r.prefectureDaily.issued[d * np + p]!;
      }
      expect(a).toBe(r.columns.applications_cumulative[d]);
      expect(c).toBe(r.columns.cards_issued_cumulative[d]);
    }
  });

  it("with shrinkage 1 runs exactly as population-proportional demand", () => {
    const pop = populationOf(DATA);
    const short = { ...params, end: "2016-03-31" };
    const ones = propensityOf(
      {
        ...short,
        demand: {
          ...short.demand,
          municipalPropensity: { fitDate: "2021-12-31", shrinkage: 1, source: "t" },
        },
      },
      DATA,
    )!.relative;
    expect(ones.every((x) => x === 1)).toBe(true);
    const a = runIssuance(short, pop, new RandomStreams(4).stream("issuance.demand", 0), {
      propensity: ones,
    });
    const b = runIssuance(short, pop, new RandomStreams(4).stream("issuance.demand", 0));
    expect(Array.from(a.columns.cards_issued_cumulative)).toEqual(
      Array.from(b.columns.cards_issued_cumulative),
    );
    expect(Array.from(a.prefectureDaily.applications)).toEqual(Array.from(b.prefectureDaily.applications));
  });

  it("refuses a propensity vector of the wrong length", () => {
    const pop = populationOf(DATA);
    expect(() =>
      runIssuance(params, pop, new RandomStreams(1).stream("issuance.demand", 0), {
        propensity: new Float64Array(3),
      }),
    ).toThrow(expect.objectContaining({ code: "E_DATA" }));
  });
});
