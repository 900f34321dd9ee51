/**
 * The official national points a calibration is fitted to and judged on (issue 9 item 5): cumulative
 * cards issued from data/issuance-national.csv (MIC via Code for Japan) and cumulative applications
 * and cards issued from data/issuance-national-facts.csv (FACTS §4.1 "Later points", each row with
 * its source), split at the fit date. The objective only ever receives the in-sample part.
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseIsoDate } from "../../../engine/calendar.js";
import { InputError } from "../../../engine/errors.js";
import { readCsv } from "../population.js";

export type PointSeries = "cards_issued_cumulative" | "applications_cumulative";

/** One official figure on one date. */
export interface OfficialNationalPoint {
  date: string;
  series: PointSeries;
  value: number;
  /** Data file (and source for the facts file). */
  source: string;
}

/** Reads both files; rows are checked (date, positive numbers), blanks mean "not reported". */
export function loadOfficialPoints(dataDir: string): OfficialNationalPoint[] {
  const out: OfficialNationalPoint[] = [];
  const read = (
    file: string,
    columns: PointSeries[],
    sourceOf: (r: Record<string, string>) => string,
  ): void => {
    const path = join(dataDir, file);
    if (!existsSync(path)) return;
    readCsv(path).forEach((r, i) => {
      const date = r["date"] ?? "";
      parseIsoDate(date, `${path}: row ${i + 2}: date`);
      for (const series of columns) {
        const text = (r[series] ?? "").trim();
        if (text === "") continue;
        const value = Number(text);
        if (!Number.isFinite(value) || value <= 0)
          throw new InputError(
            `${path}: row ${i + 2}: ${series}: expected a positive number, got ${JSON.stringify(text)}`,
            "E_DATA",
          );
        out.push({ date, series, value, source: sourceOf(r) });
      }
    });
  };
  read("issuance-national.csv", ["cards_issued_cumulative"], () => "data/issuance-national.csv");
  read(
    "issuance-national-facts.csv",
    ["applications_cumulative", "cards_issued_cumulative"],
    (r) => r["source"] ?? "",
  );
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.series.localeCompare(b.series));
}

/** Points on or before `fitUntil` (in sample) and after it (out of sample). */
export function splitPoints(
  points: readonly OfficialNationalPoint[],
  fitUntil: string,
): { inSample: OfficialNationalPoint[]; outOfSample: OfficialNationalPoint[] } {
  const cut = parseIsoDate(fitUntil, "--fit-until");
  return {
    inSample: points.filter((p) => parseIsoDate(p.date) <= cut),
    outOfSample: points.filter((p) => parseIsoDate(p.date) > cut),
  };
}
