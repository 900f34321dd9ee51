/**
 * Command-line flag parsing on node:util's strict `parseArgs`, with one clear message (and exit
 * code 2 via {@link InputError}) for unknown flags, missing values and malformed numbers.
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../engine/errors.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `argv` strictly. @throws InputError naming the offending flag. */
export function parse(
  command: string,
  argv: string[],
  options: Options,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // node:util adds advice on further lines ("To specify an option argument starting with a dash…").
    const msg = (e as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/s, "");
    throw new InputError(`${command}: ${msg} (see myna-twin ${command} --help)`);
  }
}

/** A non-negative integer flag value. @throws InputError */
export function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new InputError(`--${name}: expected a whole number, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max)
    throw new InputError(`--${name}: expected a whole number from ${min} to ${max}, got ${value}`);
  return n;
}

/** The flags `run` and `sweep` share: a scenario run's seed, replications, threads, output and overrides. */
export const RUN_FLAGS: Options = {
  seed: { type: "string" },
  replications: { type: "string" },
  threads: { type: "string" },
  out: { type: "string" },
  set: { type: "string", multiple: true },
};
