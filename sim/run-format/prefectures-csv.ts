/**
 * prefectures.csv — one row per prefecture per simulated day (DESIGN.md §4, issue 9 item 7):
 * `date, prefecture_code, prefecture_en, prefecture_ja, population, applications_cumulative,
 * cards_issued_cumulative`, prefectures in JIS X 0401 order (codes 01–47) within each day, values the
 * means over replications (integers with one replication, two decimals otherwise, as timeseries.csv).
 * The columns and the row schema (zod) are defined here once; the writer formats with them and
 * readers parse with them. A file with a bad header, a bad cell, a prefecture missing on a day, or a
 * gap between days is refused with one message naming the line and column.
 * @module
 */
import { csvFormatRows } from "d3-dsv";
import { z } from "zod";
import { epochDayOf, formatIsoDate } from "../../engine/calendar.js";
import { isCalendarDate, pathText, readCsvRows, RunFormatError, showValue } from "./common.js";
import { prefectureCode, romanisedPrefecture } from "./prefectures.js";

const FILE = "prefectures.csv";

/** The columns, in file order. */
export const PREFECTURES_CSV_COLUMNS = [
  "date",
  "prefecture_code",
  "prefecture_en",
  "prefecture_ja",
  "population",
  "applications_cumulative",
  "cards_issued_cumulative",
] as const;

const NUMBER = /^-?\d+(\.\d+)?$/;
const CODE = /^(0[1-9]|[1-3]\d|4[0-7])$/;
const count = z
  .string()
  .regex(NUMBER, { error: "expected a number ≥ 0" })
  .transform(Number)
  .pipe(z.number().finite().nonnegative({ error: "expected a number ≥ 0" }));

/** One row as read from the file (all cells strings), with its checks and conversions. */
export const PrefectureCsvRowSchema = z.strictObject({
  date: z.string().refine(isCalendarDate, { error: "expected a date YYYY-MM-DD" }),
  prefecture_code: z.string().regex(CODE, { error: "expected a code 01–47" }),
  prefecture_en: z.string().min(1, { error: "expected the romanised name" }),
  prefecture_ja: z.string().min(1, { error: "expected the name in Japanese" }),
  population: count,
  applications_cumulative: count,
  cards_issued_cumulative: count,
});
export type PrefectureCsvRow = z.infer<typeof PrefectureCsvRowSchema>;

/** What the writer needs: the prefectures in the model's order and the daily cumulative values. */
export interface PrefectureSeries {
  /** Epoch day of the first simulated day. */
  startDay: number;
  days: number;
  /** Kanji names in the order of the value arrays' columns. */
  prefectures: readonly string[];
  population: ArrayLike<number>;
  /** Row-major day × prefecture, cumulative (means over replications). */
  applications: ArrayLike<number>;
  issued: ArrayLike<number>;
}

const cell = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/**
 * The text of prefectures.csv.
 * @throws {RunFormatError} when a prefecture name is not one of the 47
 */
export function formatPrefecturesCsv(s: PrefectureSeries): string {
  const np = s.prefectures.length;
  const order = s.prefectures
    .map((ja, p) => {
      const code = prefectureCode(ja);
      if (code === null) throw new RunFormatError(`${FILE}: unknown prefecture ${showValue(ja)}`);
      return { p, ja, code, en: romanisedPrefecture(ja)! };
    })
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  // The fixed cells of each prefecture, formatted (and quoted where needed) once.
  const fixed = order.map((o) => csvFormatRows([[o.code, o.en, o.ja, String(s.population[o.p])]]));
  const lines: string[] = [PREFECTURES_CSV_COLUMNS.join(",")];
  for (let d = 0; d < s.days; d++) {
    const date = formatIsoDate(s.startDay + d);
    for (let k = 0; k < order.length; k++) {
      const i = d * np + order[k]!.p;
      lines.push(`${date},${fixed[k]!},${cell(s.applications[i]!)},${cell(s.issued[i]!)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A row checked by hand with exactly the schema's rules (a file has ~47 × days rows: zod per row
 * would make a 10-year run's file take seconds to read); null when any cell fails, and the schema
 * then names it.
 */
function fastRow(f: string[]): PrefectureCsvRow | null {
  const [date, code, en, ja, pop, apps, cards] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isCalendarDate(date) || !CODE.test(code) || en === "" || ja === "") return null;
  if (!NUMBER.test(pop) || !NUMBER.test(apps) || !NUMBER.test(cards)) return null;
  const population = Number(pop);
  const applications = Number(apps);
  const issued = Number(cards);
  if (!(population >= 0 && applications >= 0 && issued >= 0)) return null;
  if (!Number.isFinite(population + applications + issued)) return null;
  return {
    date,
    prefecture_code: code,
    prefecture_en: en,
    prefecture_ja: ja,
    population,
    applications_cumulative: applications,
    cards_issued_cumulative: issued,
  };
}

/** A row through the schema: its value, or the one message naming the line and column. */
function schemaRow(fields: string[], line: number): PrefectureCsvRow {
  const raw = Object.fromEntries(PREFECTURES_CSV_COLUMNS.map((c, i) => [c, fields[i]!]));
  const parsed = PrefectureCsvRowSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const column = pathText(issue.path);
  return fail(`line ${line}, column ${column}: ${issue.message}, got ${showValue(raw[column])}`);
}

/** The parsed file: prefectures once, values row-major day × prefecture in file order. */
export interface PrefecturesTable {
  dates: string[];
  prefectures: { code: string; en: string; ja: string; population: number }[];
  applications: Float64Array;
  issued: Float64Array;
}

const fail = (message: string): never => {
  throw new RunFormatError(`${FILE}: ${message}`);
};

/**
 * @param text the file's contents
 * @throws {RunFormatError} on an empty file, a header without rows, a bad header, a row with too few
 *   or too many fields, a bad cell, days that are not consecutive, or a day whose prefectures differ
 *   from the first day's (the message names the line and column)
 */
export function parsePrefecturesCsv(text: string): PrefecturesTable {
  const { header, rows } = readCsvRows(text, FILE);
  if (header.join(",") !== PREFECTURES_CSV_COLUMNS.join(","))
    fail(
      `line 1: expected the header ${PREFECTURES_CSV_COLUMNS.join(",")}, got ${showValue(header.join(","))}`,
    );
  if (rows.length < 2) throw new RunFormatError(`${FILE} has a header but no rows`);
  const ncol = header.length;
  const dates: string[] = [];
  const prefectures: PrefecturesTable["prefectures"] = [];
  const applications: number[] = [];
  const issued: number[] = [];
  let np = 0;
  let startDay = 0;
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const fields = rows[r]!;
    if (fields.length !== ncol)
      fail(
        `line ${line} has ${fields.length} of ${ncol} fields${fields.length < ncol ? " (the file may be truncated)" : ""}`,
      );
    const row = fastRow(fields) ?? schemaRow(fields, line);
    if (dates.length === 0 || row.date !== dates[dates.length - 1]) {
      if (dates.length === 0) startDay = epochDayOf(row.date);
      else {
        if (np === 0) np = prefectures.length;
        if (applications.length !== dates.length * np)
          fail(
            `line ${line}: ${dates[dates.length - 1]} has ${applications.length - (dates.length - 1) * np} of ${np} prefectures`,
          );
        if (epochDayOf(row.date) !== startDay + dates.length)
          fail(
            `line ${line}: ${row.date} does not follow ${dates[dates.length - 1]} (days must be consecutive)`,
          );
      }
      dates.push(row.date);
    }
    const k = applications.length - (dates.length - 1) * np;
    if (np === 0) {
      if (prefectures.some((p) => p.code === row.prefecture_code))
        fail(`line ${line}, column prefecture_code: ${row.prefecture_code} appears twice on ${row.date}`);
      prefectures.push({
        code: row.prefecture_code,
        en: row.prefecture_en,
        ja: row.prefecture_ja,
        population: row.population,
      });
    } else {
      const want = prefectures[k];
      if (!want || want.code !== row.prefecture_code)
        fail(
          `line ${line}, column prefecture_code: expected ${want ? want.code : "a new day"} (the first day's order), got ${showValue(row.prefecture_code)}`,
        );
    }
    applications.push(row.applications_cumulative);
    issued.push(row.cards_issued_cumulative);
  }
  if (np === 0) np = prefectures.length;
  if (applications.length !== dates.length * np)
    fail(
      `${dates[dates.length - 1]} has ${applications.length - (dates.length - 1) * np} of ${np} prefectures`,
    );
  return {
    dates,
    prefectures,
    applications: Float64Array.from(applications),
    issued: Float64Array.from(issued),
  };
}
