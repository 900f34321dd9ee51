/**
 * timeseries.csv — one row per simulated day (DESIGN.md §4): `date`, then the model's daily columns
 * (means over replications), then the 95 % band of cumulative cards when there are several
 * replications. The column list and the cell rules are defined here once; the writer formats with
 * them and readers parse with them (d3-dsv). A file with a garbage row, a missing or non-numeric
 * value where one is required, a gap between days, or only a header is refused with one message
 * naming the line and column.
 * @module
 */
import { csvFormatRows } from "d3-dsv";
import { epochDayOf, formatIsoDate } from "../../engine/calendar.js";
import { isCalendarDate, readCsvRows, RunFormatError, showValue } from "./common.js";

/** The daily columns after `date`, in file order. */
export const TIMESERIES_COLUMNS = [
  "applications_daily",
  "applications_cumulative",
  "cards_issued_daily",
  "cards_issued_cumulative",
  "certificate_renewals_daily",
  "backlog_in_post",
  "backlog_jlis_intake",
  "backlog_factory",
  "backlog_shipping",
  "backlog_awaiting_visit",
  "backlog_counter_queue",
  "backlog_renewals",
  "intake_utilisation",
  "factory_utilisation",
  "counter_utilisation",
  "jlis_availability",
  "lead_time_p50_days",
  "lead_time_p90_days",
  "lead_time_p99_days",
] as const;
export type TimeseriesColumn = (typeof TIMESERIES_COLUMNS)[number];

/**
 * Optional daily columns after {@link TIMESERIES_COLUMNS} (issue 9 item 8: population and renewals,
 * sim/issuance/population-dynamics.ts and renewal.ts). Runs from before them have none; a file has
 * all of them or none.
 */
export const POPULATION_COLUMNS = [
  "residents",
  "births_daily",
  "deaths_daily",
  "holder_deaths_daily",
  "moved_holder_visits_daily",
  "certificate_renewals_due_daily",
  "card_renewal_applications_daily",
  "card_expiries_daily",
  "cards_in_circulation",
] as const;
export type PopulationColumn = (typeof POPULATION_COLUMNS)[number];

/** The 95 % band of cumulative cards across replications (written with two or more replications). */
export const CI_COLUMNS = [
  "cards_issued_cumulative_ci95_lower",
  "cards_issued_cumulative_ci95_upper",
] as const;

/** Columns whose cell may be empty: lead-time percentiles on days without hand-overs. */
export const OPTIONAL_VALUE_COLUMNS: readonly string[] = [
  "lead_time_p50_days",
  "lead_time_p90_days",
  "lead_time_p99_days",
];

/** Columns a reader needs before anything else (the run list checks these first). */
export const REQUIRED_COLUMNS = ["date", "cards_issued_cumulative"] as const;

/** Decimals written per column: shares with 4, everything else with 2 (integers as they are). */
export function columnDigits(column: string): number {
  return column.endsWith("utilisation") || column === "jlis_availability" ? 4 : 2;
}

const FILE = "timeseries.csv";
/** A decimal number as the writer prints it (an exponent allowed); no `NaN`, hex or padding. */
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const cell = (v: number, digits: number): string =>
  Number.isNaN(v) ? "" : Number.isInteger(v) ? String(v) : v.toFixed(digits);

/**
 * The text of timeseries.csv.
 * @param startDay epoch day of the first row
 * @param columns every column of {@link TIMESERIES_COLUMNS}, one value per day (NaN = no value), and
 *   the {@link POPULATION_COLUMNS} when the run has them (all or none)
 * @param ci95 the band of cumulative cards, or null with one replication
 */
export function formatTimeseriesCsv(
  startDay: number,
  columns: Record<TimeseriesColumn, ArrayLike<number>> & Partial<Record<PopulationColumn, ArrayLike<number>>>,
  ci95: { lower: ArrayLike<number>; upper: ArrayLike<number> } | null,
): string {
  const days = columns.cards_issued_cumulative.length;
  const names: (TimeseriesColumn | PopulationColumn)[] = [...TIMESERIES_COLUMNS];
  if (columns.cards_in_circulation) names.push(...POPULATION_COLUMNS);
  const values = names.map((c) => {
    const v = columns[c];
    if (!v) throw new RunFormatError(`${FILE}: the run has some population columns but not "${c}"`);
    return v;
  });
  const header: string[] = ["date", ...names];
  if (ci95) header.push(...CI_COLUMNS);
  const rows: string[][] = [header];
  for (let i = 0; i < days; i++) {
    const row = [formatIsoDate(startDay + i)];
    for (let c = 0; c < names.length; c++) row.push(cell(values[c]![i]!, columnDigits(names[c]!)));
    if (ci95) row.push(ci95.lower[i]!.toFixed(0), ci95.upper[i]!.toFixed(0));
    rows.push(row);
  }
  return `${csvFormatRows(rows)}\n`;
}

/** The parsed file. */
export interface TimeseriesTable {
  /** Number of days (rows). */
  n: number;
  /** Epoch day (days since 1970-01-01) of the first row. */
  startDay: number;
  /** ISO dates of the rows, `YYYY-MM-DD`. */
  dates: string[];
  /** Header names after `date`, in file order. */
  names: string[];
  /** Values by column name; `NaN` where the cell was empty. */
  columns: Map<string, Float64Array>;
}

const fail = (message: string): never => {
  throw new RunFormatError(`${FILE}: ${message}`);
};

/** Checks the header: `date` first, every column of the format once, the CI band both or neither. */
function checkHeader(header: string[]): void {
  if (header[0] !== "date") fail(`line 1: the first column must be "date", got ${showValue(header[0])}`);
  const known = new Set<string>([...TIMESERIES_COLUMNS, ...POPULATION_COLUMNS, ...CI_COLUMNS]);
  const seen = new Set<string>();
  for (const h of header.slice(1)) {
    if (!known.has(h)) fail(`line 1: unknown column ${showValue(h)}`);
    if (seen.has(h)) fail(`line 1: the header names column "${h}" twice`);
    seen.add(h);
  }
  for (const c of TIMESERIES_COLUMNS) if (!seen.has(c)) fail(`line 1: the header has no "${c}" column`);
  const population = POPULATION_COLUMNS.filter((c) => seen.has(c));
  if (population.length > 0 && population.length < POPULATION_COLUMNS.length)
    fail(
      `line 1: the header has ${population.length} of the ${POPULATION_COLUMNS.length} population columns; missing "${POPULATION_COLUMNS.find((c) => !seen.has(c))}"`,
    );
  if (seen.has(CI_COLUMNS[0]) !== seen.has(CI_COLUMNS[1]))
    fail(`line 1: the header has only one of ${CI_COLUMNS.join(" and ")}`);
}

/**
 * @param text the file's contents
 * @returns the columns as typed arrays
 * @throws {RunFormatError} on an empty file, a header without rows, a bad header, a row with too few
 *   or too many fields, a bad or non-consecutive date, or a cell that is not a number where one is
 *   required (the message names the line and column)
 */
export function parseTimeseriesCsv(text: string): TimeseriesTable {
  const { header, rows } = readCsvRows(text, FILE);
  checkHeader(header);
  const n = rows.length - 1;
  if (n === 0) throw new RunFormatError(`${FILE} has a header but no rows`);
  const ncol = header.length;
  const cols = header.slice(1).map(() => new Float64Array(n));
  const optional = header.map((h) => OPTIONAL_VALUE_COLUMNS.includes(h));
  const dates: string[] = new Array<string>(n);
  let startDay = 0;
  for (let r = 0; r < n; r++) {
    const row = rows[r + 1]!;
    const line = r + 2;
    if (row.length !== ncol)
      fail(
        `line ${line} has ${row.length} of ${ncol} fields${row.length < ncol ? " (the file may be truncated)" : ""}`,
      );
    const date = row[0]!;
    if (!isCalendarDate(date))
      fail(`line ${line}, column date: expected a date YYYY-MM-DD, got ${showValue(date)}`);
    const day = epochDayOf(date);
    if (r === 0) startDay = day;
    else if (day !== startDay + r)
      fail(`line ${line}: ${date} does not follow ${dates[r - 1]} (rows must be consecutive days)`);
    dates[r] = date;
    for (let c = 1; c < ncol; c++) {
      const s = row[c]!;
      let v: number;
      if (s === "") {
        if (!optional[c]) fail(`line ${line}, column ${header[c]}: expected a number, got an empty cell`);
        v = Number.NaN;
      } else {
        v = NUMBER.test(s) ? Number(s) : Number.NaN;
        if (!Number.isFinite(v))
          fail(`line ${line}, column ${header[c]}: expected a number, got ${showValue(s)}`);
      }
      cols[c - 1]![r] = v;
    }
  }
  const columns = new Map<string, Float64Array>();
  header.slice(1).forEach((name, i) => columns.set(name, cols[i]!));
  return { n, startDay, dates, names: header.slice(1), columns };
}
