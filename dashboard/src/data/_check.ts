/**
 * How the dashboard refuses a run's files: every problem is one {@link RunDataError} (code
 * `E_RUN_DATA`) whose message names the file and the field or line
 * (`summary.json: target.reachedOn: expected a date YYYY-MM-DD, got '2019-13-45'`), so a malformed
 * run shows one clear sentence in the app instead of a broken chart. The checks themselves are the
 * run-output format's zod schemas (sim/run-format); this module only adapts them.
 * @module
 */

import type { z } from "zod";
import {
  decodeJson,
  parseWith,
  RUN_DATA_ERROR,
  RunFormatError,
  zodMessage,
} from "../../../sim/run-format/index.js";

export { RUN_DATA_ERROR, zodMessage };

/** A run's files are missing, partial or malformed. The message is meant for the user. */
export const RunDataError = RunFormatError;
export type RunDataError = RunFormatError;

/** Throws a {@link RunDataError}. */
export function fail(message: string): never {
  throw new RunDataError(message);
}

/**
 * Parses JSON text.
 * @throws {RunDataError} "<file> is empty" or "<file> is not valid JSON (…)"
 */
export function parseJson(text: string, file: string): unknown {
  return decodeJson(text, file);
}

/**
 * Checks parsed JSON against a schema and returns the typed value.
 * @throws {RunDataError} naming the file and the first wrong field
 */
export function check<S extends z.ZodType>(schema: S, json: unknown, file: string): z.output<S> {
  return parseWith(schema, json, file);
}
