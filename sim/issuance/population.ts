/**
 * The population the issuance model serves: 1,741 municipalities with their residents
 * (data/municipalities.csv, MIC via Code for Japan, population basis 2022-01-01) and the national
 * age profile of card uptake (data/demographics-2022-12-31.csv) collapsed into three age bands that
 * matter to the card: children 0–14 (no signature certificate, 5-year card), 15–19 (5-year card
 * while under 18/20) and adults 20+. See data/SOURCES.md.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { InputError } from "../../engine/errors.js";

export interface Municipality {
  code: string;
  prefecture: string;
  name: string;
  population: number;
}

/** An age band: its share of residents and its uptake hazard relative to the whole population. */
export interface AgeBand {
  name: string;
  populationShare: number;
  relativeHazard: number;
  /** Share of the band holding a card that is under 18 (5-year card). */
  minorShare: number;
}

export interface Population {
  municipalities: Municipality[];
  prefectures: string[];
  /** Index into `prefectures` for each municipality. */
  prefectureOf: Int32Array;
  total: number;
  ageBands: AgeBand[];
}

/** Reads a CSV file with a header row into records keyed by column name (d3-dsv; blank lines skipped). */
export function readCsv(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read data file ${path}: ${(e as Error).message}`, "E_DATA");
  }
  // d3-dsv fills a short row's missing cells with ""
  return csvParse(text).filter((r) => Object.values(r).some((v) => v !== "")) as Record<string, string>[];
}

const BANDS: { name: string; rows: string[]; minorShare: number }[] = [
  { name: "0-14", rows: ["0～4歳", "5～9", "10～14"], minorShare: 1 },
  // Ages 15, 16, 17 of 15–19 are minors under the post-2022 rule: 3/5 of the band.
  { name: "15-19", rows: ["15～19"], minorShare: 0.6 },
  {
    name: "20+",
    rows: [
      "20～24",
      "25～29",
      "30～34",
      "35～39",
      "40～44",
      "45～49",
      "50～54",
      "55～59",
      "60～64",
      "65～69",
      "70～74",
      "75～79",
      "80～84",
      "85～89",
      "90歳以上",
    ],
    minorShare: 0,
  },
];

/** Derives the three age bands from the national 2022-12-31 uptake by age. */
export function loadAgeBands(dataDir: string): AgeBand[] {
  const rows = readCsv(join(dataDir, "demographics-2022-12-31.csv"));
  const byAge = new Map(rows.map((r) => [r["年齢"] ?? "", r]));
  const num = (age: string, col: string): number => {
    const v = Number(byAge.get(age)?.[col]);
    if (!Number.isFinite(v)) throw new InputError(`demographics: missing ${col} for age ${age}`, "E_DATA");
    return v;
  };
  const totalPop = num("全体", "人口(計)");
  const totalCards = num("全体", "交付件数(計)");
  // Uptake by 2022-12-31 as an exposure-equivalent hazard: H = −ln(1 − coverage).
  const hazardAll = -Math.log(1 - totalCards / totalPop);
  return BANDS.map((b) => {
    const pop = b.rows.reduce((s, r) => s + num(r, "人口(計)"), 0);
    const cards = b.rows.reduce((s, r) => s + num(r, "交付件数(計)"), 0);
    return {
      name: b.name,
      populationShare: pop / totalPop,
      relativeHazard: -Math.log(1 - cards / pop) / hazardAll,
      minorShare: b.minorShare,
    };
  });
}

/** Loads municipalities and age bands from `dataDir` (the project's data/ folder). */
export function loadPopulation(dataDir: string): Population {
  const rows = readCsv(join(dataDir, "municipalities.csv"));
  const municipalities = rows.map((r, i) => {
    const population = Number(r["population"]);
    if (!Number.isInteger(population) || population < 0) {
      throw new InputError(`municipalities.csv row ${i + 2}: population must be a whole number`, "E_DATA");
    }
    return {
      code: r["municipality_code"] ?? "",
      prefecture: r["prefecture"] ?? "",
      name: r["municipality"] ?? "",
      population,
    };
  });
  const prefectures: string[] = [];
  const index = new Map<string, number>();
  const prefectureOf = new Int32Array(municipalities.length);
  municipalities.forEach((m, i) => {
    let p = index.get(m.prefecture);
    if (p === undefined) {
      p = prefectures.length;
      prefectures.push(m.prefecture);
      index.set(m.prefecture, p);
    }
    prefectureOf[i] = p;
  });
  const total = municipalities.reduce((s, m) => s + m.population, 0);
  return { municipalities, prefectures, prefectureOf, total, ageBands: loadAgeBands(dataDir) };
}
