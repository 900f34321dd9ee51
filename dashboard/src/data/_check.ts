/**
 * Small run-time checks for the JSON a run directory holds. Each helper returns the value with its
 * type narrowed or throws a {@link RunDataError} whose message names the file and the field
 * (`summary.json: target.reachedOn must be a date YYYY-MM-DD or null, got 42`), so a malformed run
 * shows one clear sentence in the app instead of a broken chart.
 * @module
 */

import { TwinError } from "../../../engine/errors.js";

/** Error code of every problem found in a run's files. */
export const RUN_DATA_ERROR = "E_RUN_DATA";

/** A run's files are missing, partial or malformed. The message is meant for the user. */
export class RunDataError extends TwinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(RUN_DATA_ERROR, message, options);
  }
}

/** Throws a {@link RunDataError}. */
export function fail(message: string): never {
  throw new RunDataError(message);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Short, safe rendering of an unexpected value for messages. */
export function show(v: unknown): string {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A path-aware reader over parsed JSON. */
export class Checker {
  /** @param file the file name used at the start of every message */
  constructor(readonly file: string) {}

  private bad(where: string, expected: string, v: unknown): never {
    fail(`${this.file}: ${where} must be ${expected}, got ${show(v)}`);
  }

  object(v: unknown, where: string): Record<string, unknown> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) this.bad(where, "an object", v);
    return v as Record<string, unknown>;
  }

  array(v: unknown, where: string): unknown[] {
    if (!Array.isArray(v)) this.bad(where, "an array", v);
    return v;
  }

  number(v: unknown, where: string): number {
    if (typeof v !== "number" || !Number.isFinite(v)) this.bad(where, "a finite number", v);
    return v;
  }

  numberOrNull(v: unknown, where: string): number | null {
    if (v === null || v === undefined) return null;
    if (typeof v !== "number" || !Number.isFinite(v)) this.bad(where, "a finite number or null", v);
    return v;
  }

  string(v: unknown, where: string): string {
    if (typeof v !== "string") this.bad(where, "a string", v);
    return v;
  }

  stringOrNull(v: unknown, where: string): string | null {
    if (v === null || v === undefined) return null;
    if (typeof v !== "string") this.bad(where, "a string or null", v);
    return v;
  }

  boolean(v: unknown, where: string): boolean {
    if (typeof v !== "boolean") this.bad(where, "true or false", v);
    return v;
  }

  day(v: unknown, where: string): string {
    if (typeof v !== "string" || !ISO_DAY.test(v)) this.bad(where, "a date YYYY-MM-DD", v);
    return v;
  }

  dayOrNull(v: unknown, where: string): string | null {
    if (v === null || v === undefined) return null;
    if (typeof v !== "string" || !ISO_DAY.test(v)) this.bad(where, "a date YYYY-MM-DD or null", v);
    return v;
  }
}

/** Parses JSON text, turning a syntax error into a {@link RunDataError} naming the file. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (text.trim() === "") fail(`${file} is empty`);
    return fail(`${file} is not valid JSON (${why})`);
  }
}
