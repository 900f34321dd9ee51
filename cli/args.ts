/**
 * Command-line flag parsing on node:util's strict `parseArgs`, with one clear message (and exit
 * code 2 via {@link InputError}) for unknown flags, missing values and malformed numbers.
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../engine/errors.js";
import { checkThreads, defaultThreads } from "../engine/pool/task-pool.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `argv` strictly. @throws InputError naming the offending flag. */
export function parse(
  command: string,
  argv: string[],
  options: Options,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  // A negative number after a value-taking flag (`--replications -1`) is that flag's value: node
  // calls it ambiguous; joined as `--replications=-1` it reaches the flag's own range check.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const long = /^--([\w-]+)$/.exec(a)?.[1];
    if (long && options[long]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const ambiguous = /^Option '(--[\w-]+)(?: <value>)?' argument is ambiguous/.exec(
      (e as Error).message,
    )?.[1];
    if (ambiguous) {
      const value = args[args.indexOf(ambiguous) + 1] ?? "";
      throw new InputError(
        `${command}: ${ambiguous}: the value ${JSON.stringify(value)} starts with a dash; write ${ambiguous}=${value} if you mean it`,
      );
    }
    // node:util adds advice on further lines ("To specify an option argument starting with a dash…").
    const msg = (e as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/s, "");
    throw new InputError(`${command}: ${msg} (see myna-twin ${command} --help)`);
  }
}

/** An integer flag value from `min` to `max`; the message says the range. @throws InputError */
export function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const range = `from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "2^53-1" : max}`;
  if (!/^-?\d+$/.test(value))
    throw new InputError(`--${name}: expected a whole number ${range}, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(`--${name}: expected a whole number ${range}, got ${value}`);
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

/**
 * The seed, replications and threads of {@link RUN_FLAGS}, checked: seed 0 to 2^53-1 (default 1),
 * replications 1 to 1000 (default 1), threads 1 to 256 (default: every core).
 * @throws InputError naming the flag
 */
export function runFlagValues(values: Record<string, unknown>): {
  seed: number;
  replications: number;
  threads: number;
} {
  const seed = integerFlag("seed", values.seed as string | undefined, 1, 0, 2 ** 53 - 1);
  const replications = integerFlag("replications", values.replications as string | undefined, 1, 1, 1000);
  const threads = checkThreads(
    integerFlag("threads", values.threads as string | undefined, defaultThreads(), 1, 256),
  );
  return { seed, replications, threads };
}
