/**
 * The optimiser's coarse world (issue 9 item 5, "reduce evaluations smartly"): the data folder with
 * every prefecture merged into one municipality — populations summed, the per-municipality series
 * summed by prefecture and date (rows after the fit date are not even read), the other files copied —
 * so a model run has 47 municipalities instead of 1,741 and costs a few per cent of a full run. What
 * it keeps: national capacities, the age profile, propensity differences between prefectures and the
 * depletion of each prefecture's pool. What it loses: propensity differences within a prefecture and
 * the per-municipality floors (minimum counter staff, J-LIS terminals per municipality), which bind
 * only in small municipalities or in the 2016 slowdowns. The calibrated scenario is judged on the
 * full world; calibration.json reports the surrogate's and the full model's objective side by side.
 * @module
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { csvFormatRows } from "d3-dsv";
import { InputError } from "../../../engine/errors.js";
import { readCsv } from "../population.js";

const COPIED = [
  "demographics-2022-12-31.csv",
  "issuance-national.csv",
  "issuance-national-facts.csv",
  "issuance-by-prefecture.csv",
  "issuance-national-flows.csv",
];

/** Writes the coarse copy of `dataDir` into `outDir` (created); per-municipality rows up to `fitUntil` only. */
export function writeCoarseWorld(dataDir: string, outDir: string, fitUntil: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const f of COPIED) if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), join(outDir, f));
  const municipalities = readCsv(join(dataDir, "municipalities.csv"));
  const byPrefecture = new Map<string, { population: number; basis: string }>();
  for (const r of municipalities) {
    const pref = r["prefecture"] ?? "";
    const e = byPrefecture.get(pref) ?? { population: 0, basis: r["population_basis_date"] ?? "" };
    e.population += Number(r["population"]);
    byPrefecture.set(pref, e);
  }
  writeFileSync(
    join(outDir, "municipalities.csv"),
    `${csvFormatRows([
      ["municipality_code", "prefecture", "municipality", "population", "population_basis_date"],
      ...[...byPrefecture].map(([pref, e]) => [pref, pref, pref, String(e.population), e.basis]),
    ])}\n`,
  );
  const series = join(dataDir, "issuance-by-municipality.csv");
  if (!existsSync(series)) return;
  const sums = new Map<
    string,
    { date: string; pref: string; population: number; basis: string; cards: number }
  >();
  // Only the date column of a later row is looked at (the hold-out), as in uptake.ts.
  for (const r of readCsv(series)) {
    const date = r["date"] ?? "";
    if (date > fitUntil) continue;
    const pref = r["prefecture"] ?? "";
    const key = `${date}\u0000${pref}`;
    const e = sums.get(key) ?? {
      date,
      pref,
      population: 0,
      basis: r["population_basis_date"] ?? "",
      cards: 0,
    };
    const population = Number(r["population"]);
    const cards = Number(r["cards_issued_cumulative"]);
    if (!Number.isFinite(population) || !Number.isFinite(cards))
      throw new InputError(
        `${series}: ${date} ${r["municipality_code"]}: population and cards must be numbers`,
        "E_DATA",
      );
    e.population += population;
    e.cards += cards;
    sums.set(key, e);
  }
  writeFileSync(
    join(outDir, "issuance-by-municipality.csv"),
    `${csvFormatRows([
      [
        "date",
        "municipality_code",
        "prefecture",
        "municipality",
        "population",
        "population_basis_date",
        "cards_issued_cumulative",
      ],
      ...[...sums.values()].map((e) => [
        e.date,
        e.pref,
        e.pref,
        e.pref,
        String(e.population),
        e.basis,
        String(e.cards),
      ]),
    ])}\n`,
  );
}
