/**
 * The official statistics a run is compared with: the national cumulative series
 * (data/issuance-national.csv) and cumulative cards per prefecture (data/issuance-by-prefecture.csv),
 * both MIC releases via Code for Japan (data/SOURCES.md).
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readCsv } from "./population.js";
import type { OfficialPoint, OfficialPrefectureSnapshot } from "./summary.js";

export function loadOfficialNational(dataDir: string): OfficialPoint[] {
  const file = join(dataDir, "issuance-national.csv");
  if (!existsSync(file)) return [];
  return readCsv(file).map((r) => ({
    date: r["date"] ?? "",
    cardsIssuedCumulative: Number(r["cards_issued_cumulative"]),
  }));
}

/** Cumulative cards per prefecture on `date`, or null when the file has no such date. */
export function loadOfficialPrefectures(dataDir: string, date: string): OfficialPrefectureSnapshot | null {
  const file = join(dataDir, "issuance-by-prefecture.csv");
  if (!existsSync(file)) return null;
  const byPrefecture = new Map<string, { population: number; cards: number }>();
  for (const r of readCsv(file)) {
    if (r["date"] !== date) continue;
    byPrefecture.set(r["prefecture"] ?? "", {
      population: Number(r["population"]),
      cards: Number(r["cards_issued_cumulative"]),
    });
  }
  return byPrefecture.size ? { date, byPrefecture } : null;
}

/** The latest date of the per-prefecture file (the validation date). */
export function latestPrefectureDate(dataDir: string): string | null {
  const file = join(dataDir, "issuance-by-prefecture.csv");
  if (!existsSync(file)) return null;
  const dates = readCsv(file).map((r) => r["date"] ?? "");
  return dates.sort().at(-1) ?? null;
}
