/**
 * Building blocks of the run-output format (DESIGN.md §4): the format version every JSON file of a
 * run carries, strict calendar dates, the typed error readers raise when a file does not parse, and
 * the first step of reading a CSV file. Pure data, zod and d3-dsv — no simulation code — so the
 * dashboard can import it.
 * @module
 */
import { csvParseRows } from "d3-dsv";
import { z } from "zod";
import { isCalendarDate } from "../../engine/calendar.js";
import { TwinError } from "../../engine/errors.js";

export { isCalendarDate };

/** Version of the run-output format; bumped when a file changes incompatibly. */
export const RUN_FORMAT_VERSION = 1;

/** `formatVersion` of summary.json, manifest.json and sweep.json. */
export const FormatVersionSchema = z.literal(RUN_FORMAT_VERSION, {
  error: `expected format version ${RUN_FORMAT_VERSION} (a run written by another myna-twin version: rerun it)`,
});

const DATE_EXPECTED = "expected a date YYYY-MM-DD";

/** A calendar date `YYYY-MM-DD` ('2019-13-45' is refused). */
export const IsoDateSchema = z
  .string({ error: DATE_EXPECTED })
  .refine(isCalendarDate, { error: DATE_EXPECTED });

/** A mean with its 95 % confidence interval across replications. */
export const IntervalSchema = z.strictObject({ mean: z.number(), lower: z.number(), upper: z.number() });

/** Error code of every file of a run that is missing, partial or malformed. */
export const RUN_DATA_ERROR = "E_RUN_DATA";

/** A run's file does not parse against the format. The message names the file and the field. */
export class RunFormatError extends TwinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(RUN_DATA_ERROR, message, options);
  }
}

/** Short rendering of an unexpected value: strings in single quotes, `nothing` for a missing field. */
export function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  let s: string;
  if (typeof v === "string") s = `'${v}'`;
  else if (typeof v === "number" && !Number.isFinite(v)) s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** `target.reachedOn`, `rows[3].point`: a zod path as a reader writes it. */
export function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`;
    else out += out === "" ? String(k) : `.${String(k)}`;
  }
  return out === "" ? "the document" : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const A: Record<string, string> = {
  number: "a finite number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

/** What one issue expected, in words. */
function expectation(issue: z.core.$ZodIssue): string {
  // the format's own words (its messages start with "expected"); zod's defaults are reworded
  if (issue.message.startsWith("expected")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${A[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => showValue(v)).join(" or ")}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

/**
 * One sentence for the first problem of a failed parse: `summary.json: target.reachedOn: expected a
 * date YYYY-MM-DD, got '2019-13-45'`.
 * @param file the file name the message starts with
 * @param error what zod reported
 * @param input the value that was parsed (to quote what was found)
 */
export function zodMessage(file: string, error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (!issue) return `${file}: does not match the run-output format`;
  const where = pathText(issue.path);
  const what = expectation(issue);
  if (issue.code === "unrecognized_keys") return `${file}: ${where}: ${what}`;
  return `${file}: ${where}: ${what}, got ${showValue(valueAt(input, issue.path))}`;
}

/**
 * Parses already-decoded JSON with `schema`.
 * @throws {RunFormatError} naming the file and the first wrong field
 */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown, file: string): z.output<S> {
  const r = schema.safeParse(json);
  if (!r.success) throw new RunFormatError(zodMessage(file, r.error, json), { cause: r.error });
  return r.data;
}

/**
 * Decodes JSON text and parses it with `schema`.
 * @throws {RunFormatError} "<file> is empty", "<file> is not valid JSON (…)" or the first wrong field
 */
export function parseJsonFile<S extends z.ZodType>(schema: S, text: string, file: string): z.output<S> {
  return parseWith(schema, decodeJson(text, file), file);
}

/**
 * JSON text to a value.
 * @throws {RunFormatError} "<file> is empty" or "<file> is not valid JSON (…)"
 */
export function decodeJson(text: string, file: string): unknown {
  if (text.trim() === "") throw new RunFormatError(`${file} is empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RunFormatError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The first step of reading a run's CSV file: drop a leading BOM, split into rows with d3-dsv, drop
 * the `\r` a Windows line end leaves on each row's last field and any blank lines at the end, and
 * trim the header cells. `rows[0]` is the header row as read.
 * @throws {RunFormatError} "<file> is empty"
 */
export function readCsvRows(text: string, file: string): { header: string[]; rows: string[][] } {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new RunFormatError(`${file} is empty`);
  const rows = csvParseRows(body);
  for (const r of rows) if (r.length > 0) r[r.length - 1] = r[r.length - 1]!.replace(/\r$/, "");
  while (rows.length > 1 && rows[rows.length - 1]!.join("") === "") rows.pop();
  return { header: rows[0]!.map((h) => h.trim()), rows };
}
