/**
 * Municipal uptake (issue 9 item 7): each municipality's relative propensity to apply, fitted to the
 * official per-municipality series (data/issuance-by-municipality.csv, MIC via Code for Japan; see
 * data/SOURCES.md) on the latest official date on or before a fit date the scenario declares. Rows
 * after the fit date are skipped before any of their cells is interpreted, so later data stays out
 * of sample.
 *
 * The mechanism has one free parameter, the shrinkage λ:
 *   - observed coverage c_m = cards_m / population_m (capped below 1), national c = Σ cards / Σ population;
 *   - the model applies a constant hazard, so coverage 1 − e^(−rH) inverts to the raw relative hazard
 *     r_m = ln(1 − c_m) / ln(1 − c);
 *   - shrunk toward 1: r_m ← 1 + (1 − λ)(r_m − 1), then scaled so the population-weighted mean is 1
 *     (the national hazard is unchanged; only its split between municipalities moves).
 * A municipality missing from the series on that date gets 1 before scaling. The national age profile
 * (data/demographics-2022-12-31.csv) stays a separate factor; data/ has no age structure by
 * municipality, so differences in age structure are part of r_m.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParseRows } from "d3-dsv";
import { isCalendarDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import type { MunicipalPropensityParams } from "./params.js";
import type { Municipality } from "./population.js";

/** The per-municipality official series file in data/. */
export const MUNICIPAL_ISSUANCE_FILE = "issuance-by-municipality.csv";

/** Coverage above this is treated as this (populations lag the cards count in a few small towns). */
const MAX_COVERAGE = 0.99;

/** One municipality's official cumulative cards on one date. */
export interface MunicipalObservation {
  code: string;
  population: number;
  cards: number;
}

/** The official observation the propensities are fitted on: the latest date on or before the fit date. */
export interface MunicipalSnapshot {
  date: string;
  byCode: Map<string, MunicipalObservation>;
}

/** The fitted propensity per municipality (index order of the population) and what it came from. */
export interface MunicipalPropensity {
  /** The official date the propensities were fitted on (≤ fit date). */
  observedOn: string;
  relative: Float64Array;
}

const fail = (file: string, message: string): never => {
  throw new InputError(`${file}: ${message}`, "E_DATA");
};

/**
 * Reads the per-municipality series up to `fitDate` and returns its latest date's rows. Cells of rows
 * dated after `fitDate` are never interpreted.
 * @throws {InputError} E_DATA when the file is missing, lacks a column, has a bad row on or before
 *   the fit date, or has no date on or before it
 */
export function loadMunicipalSnapshot(dataDir: string, fitDate: string): MunicipalSnapshot {
  const path = join(dataDir, MUNICIPAL_ISSUANCE_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return fail(path, `cannot read the per-municipality series: ${(e as Error).message}`);
  }
  const rows = csvParseRows(text.replace(/^\uFEFF/, ""));
  const header = (rows[0] ?? []).map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    return i >= 0 ? i : fail(path, `line 1: no "${name}" column`);
  };
  const iDate = col("date");
  const iCode = col("municipality_code");
  const iPop = col("population");
  const iCards = col("cards_issued_cumulative");
  let latest: string | null = null;
  const kept: { line: number; row: string[] }[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const date = (row[iDate] ?? "").trim();
    if (row.length === 1 && date === "") continue; // blank line
    if (!isCalendarDate(date)) fail(path, `line ${r + 1}, column date: expected a date YYYY-MM-DD`);
    if (date > fitDate) continue; // out of sample: nothing else of this row is read
    kept.push({ line: r + 1, row });
    if (latest === null || date > latest) latest = date;
  }
  if (latest === null) return fail(path, `no official date on or before the fit date ${fitDate}`);
  const byCode = new Map<string, MunicipalObservation>();
  for (const { line, row } of kept) {
    if (row[iDate]!.trim() !== latest) continue;
    const code = (row[iCode] ?? "").trim();
    const population = Number(row[iPop]);
    const cards = Number((row[iCards] ?? "").trim() || Number.NaN);
    if (code === "") fail(path, `line ${line}, column municipality_code: expected a code`);
    if (!Number.isFinite(population) || population <= 0)
      fail(path, `line ${line}, column population: expected a positive number`);
    if (!Number.isFinite(cards) || cards < 0)
      fail(path, `line ${line}, column cards_issued_cumulative: expected a number ≥ 0`);
    byCode.set(code, { code, population, cards });
  }
  return { date: latest, byCode };
}

/**
 * Relative propensity per municipality from an observed snapshot (the mechanism in the module note).
 * @param municipalities the model's municipalities (their populations weight the normalisation)
 * @param shrinkage λ in [0, 1]: 0 keeps the observed differences, 1 removes them
 */
export function relativePropensity(
  snapshot: MunicipalSnapshot,
  municipalities: readonly Municipality[],
  shrinkage: number,
): Float64Array {
  if (!(shrinkage >= 0 && shrinkage <= 1))
    throw new InputError(
      `demand.municipalPropensity.shrinkage: expected a number in [0, 1], got ${shrinkage}`,
    );
  let pop = 0;
  let cards = 0;
  for (const o of snapshot.byCode.values()) {
    pop += o.population;
    cards += o.cards;
  }
  const national = Math.min(MAX_COVERAGE, pop > 0 ? cards / pop : 0);
  const out = new Float64Array(municipalities.length);
  let weighted = 0;
  let residents = 0;
  municipalities.forEach((m, i) => {
    const o = snapshot.byCode.get(m.code);
    let r = 1;
    if (o && national > 0) {
      const c = Math.min(MAX_COVERAGE, o.cards / o.population);
      r = Math.log(1 - c) / Math.log(1 - national);
    }
    r = 1 + (1 - shrinkage) * (r - 1);
    out[i] = r;
    weighted += r * m.population;
    residents += m.population;
  });
  const scale = weighted > 0 ? residents / weighted : 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale;
  return out;
}

/** Loads the snapshot on or before `params.fitDate` and fits the propensities. */
export function municipalPropensity(
  dataDir: string,
  municipalities: readonly Municipality[],
  params: MunicipalPropensityParams,
): MunicipalPropensity {
  const snapshot = loadMunicipalSnapshot(dataDir, params.fitDate);
  return {
    observedOn: snapshot.date,
    relative: relativePropensity(snapshot, municipalities, params.shrinkage),
  };
}
