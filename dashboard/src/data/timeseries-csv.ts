/**
 * Parses a run's `timeseries.csv` (one row per simulated day: `date` then numeric columns, empty =
 * no value) into one `Float64Array` per column. A 10-year run is ≈3,650 rows × 21 columns; parsing
 * scans the text once with `indexOf`, without splitting it into a string per line or a row object
 * per day, and takes a few milliseconds.
 *
 * Rows must be consecutive calendar days. A truncated file (short last row), an unknown date, a
 * non-numeric cell or a missing required column throws a {@link RunDataError} naming the line.
 * @module
 */

import { formatIsoDate } from "../../../engine/calendar.js";
import { fail } from "./_check.js";

/** Columns every run must have; the others are optional and their charts are left out when absent. */
export const REQUIRED_COLUMNS = ["date", "cards_issued_cumulative"] as const;

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

const FILE = "timeseries.csv";

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch day of `text[from, from + 10)` as `YYYY-MM-DD`, or null when it is not a calendar date.
 * Arithmetic only (days-from-civil), no `Date` or regex per row: it runs once per line.
 */
function epochDayAt(text: string, from: number, to: number): number | null {
  if (to - from !== 10 || text.charCodeAt(from + 4) !== 45 || text.charCodeAt(from + 7) !== 45) return null;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = text.charCodeAt(from + i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m < 1 || m > 12 || d < 1 || d > (DAYS_IN_MONTH[m - 1] as number) || (m === 2 && d === 29 && !leap))
    return null;
  // days from civil (H. Hinnant), proleptic Gregorian
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The number in `text[from, to)`: plain decimals (`-12`, `0.8125`) are read digit by digit — an exact
 * integer divided once by an exact power of ten, which IEEE 754 rounds exactly as `Number()` would —
 * and anything else (exponents, long fractions, `NaN`) goes through `Number()`. Empty → NaN.
 * Returns undefined when the text is not a number.
 */
function numberAt(text: string, from: number, to: number): number | undefined {
  if (from === to) return Number.NaN;
  let i = from;
  let neg = false;
  if (text.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else break;
  }
  if (i === to && digits > 0 && digits <= 15 && scale !== 0 && scale < POW10.length) {
    const r = scale > 0 ? v / (POW10[scale] as number) : v;
    return neg ? -r : r;
  }
  const cell = text.slice(from, to);
  const n = Number(cell);
  return Number.isNaN(n) && cell !== "NaN" ? undefined : n;
}

/**
 * @param text the file's contents
 * @returns the columns as typed arrays
 * @throws {RunDataError} on an empty file, a missing required column, a short or long row, a bad date,
 *   a gap between days or a non-numeric cell (the message names the line and column)
 * @example
 * parseTimeseriesCsv("date,cards_issued_cumulative\n2016-01-01,0\n2016-01-02,1200\n").columns.get("cards_issued_cumulative")
 * // Float64Array [0, 1200]
 */
export function parseTimeseriesCsv(text: string): TimeseriesTable {
  const len = text.length;
  let headerEnd = text.indexOf("\n");
  if (headerEnd < 0) headerEnd = len;
  const header = text
    .slice(0, headerEnd)
    .replace(/\r$/, "")
    .replace(/^\uFEFF/, "")
    .split(",")
    .map((h) => h.trim());
  if (header.length === 1 && header[0] === "") fail(`${FILE} is empty`);
  for (const r of REQUIRED_COLUMNS)
    if (!header.includes(r)) fail(`${FILE}: the header has no "${r}" column (found: ${header.join(", ")})`);
  if (header[0] !== "date") fail(`${FILE}: the first column must be "date", got "${header[0]}"`);
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) fail(`${FILE}: the header names column "${dup}" twice`);
  const ncol = header.length;

  // upper bound on the row count: the number of line breaks after the header, plus one
  let cap = 1;
  for (let p = text.indexOf("\n", headerEnd + 1); p >= 0; p = text.indexOf("\n", p + 1)) cap++;
  const cols: Float64Array[] = [];
  for (let c = 1; c < ncol; c++) cols.push(new Float64Array(cap));
  const dates: string[] = [];

  let pos = headerEnd + 1;
  let line = 1;
  let startDay = 0;
  let prevDay = 0;
  while (pos < len) {
    line++;
    let end = text.indexOf("\n", pos);
    if (end < 0) end = len;
    let stop = end;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--; // \r
    if (stop === pos) {
      // blank line: allowed only at the very end
      if (text.slice(end).trim() !== "") fail(`${FILE}: line ${line} is empty`);
      break;
    }
    const row = dates.length;
    let fieldStart = pos;
    for (let c = 0; c < ncol; c++) {
      let comma = text.indexOf(",", fieldStart);
      if (comma < 0 || comma > stop) comma = stop;
      if (c < ncol - 1 && comma === stop)
        fail(`${FILE}: line ${line} has ${c + 1} of ${ncol} fields (the file may be truncated)`);
      if (c === 0) {
        const cell = text.slice(fieldStart, comma);
        const day = epochDayAt(text, fieldStart, comma);
        if (day === null) fail(`${FILE}: line ${line}: "${cell.slice(0, 20)}" is not a date YYYY-MM-DD`);
        if (row === 0) startDay = day;
        else if (day !== prevDay + 1)
          fail(
            `${FILE}: line ${line}: ${cell} does not follow ${formatIsoDate(prevDay)} (rows must be consecutive days)`,
          );
        prevDay = day;
        dates.push(cell);
      } else {
        const v = numberAt(text, fieldStart, comma);
        if (v === undefined)
          fail(
            `${FILE}: line ${line}, column ${header[c]}: "${text.slice(fieldStart, Math.min(comma, fieldStart + 20))}" is not a number`,
          );
        (cols[c - 1] as Float64Array)[row] = v;
      }
      fieldStart = comma + 1;
    }
    if (fieldStart <= stop) fail(`${FILE}: line ${line} has more than ${ncol} fields`);
    pos = end + 1;
  }
  const n = dates.length;
  if (n === 0) fail(`${FILE} has a header but no rows`);
  const columns = new Map<string, Float64Array>();
  header.slice(1).forEach((name, i) => columns.set(name, (cols[i] as Float64Array).subarray(0, n)));
  return { n, startDay, dates, names: header.slice(1), columns };
}
