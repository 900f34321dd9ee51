/**
 * Hostile-input generators for the scenario loader (DESIGN.md §9), shared by the bounded property
 * test (scenarios/load-scenario.fuzz.test.ts) and the long-mode fuzzer (bench/fuzz-scenario.ts):
 * byte-level mutations of a shipped scenario's YAML text and random `--set` assignments, both
 * driven by the project's mulberry32 PRNG so every run with a seed sees the same inputs. Each
 * `check…` function runs one input and classifies the outcome; anything but a load or an
 * InputError is returned as a failure.
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { randomInt } from "../engine/random/small-prng.js";
import { loadScenario } from "./load-scenario.js";

type Rnd = () => number;

/** Characters that matter to YAML, plus some that do not. */
const ALPHABET = ":-[]{}&*!|>'\"#%@,?\n\t 0123456789aZ_.~\\\u00e9\u3042\u0000";

const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[randomInt(rnd, xs.length)]!;

/** One to three random edits of `text`: byte flips, truncation, duplication, deletion, YAML tokens. */
export function mutateText(rnd: Rnd, text: string): string {
  let t = text;
  const edits = 1 + randomInt(rnd, 3);
  for (let e = 0; e < edits; e++) {
    const at = randomInt(rnd, t.length + 1);
    switch (randomInt(rnd, 7)) {
      case 0: {
        // flip one character
        t = t.slice(0, at) + ALPHABET[randomInt(rnd, ALPHABET.length)]! + t.slice(at + 1);
        break;
      }
      case 1: // truncate
        t = t.slice(0, at);
        break;
      case 2: {
        // duplicate a slice (often whole lines: duplicate keys, repeated blocks)
        const len = 1 + randomInt(rnd, 200);
        t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
        break;
      }
      case 3: {
        // delete a slice
        t = t.slice(0, at) + t.slice(at + 1 + randomInt(rnd, 50));
        break;
      }
      case 4: {
        // duplicate a whole line somewhere else
        const lines = t.split("\n");
        const from = randomInt(rnd, lines.length);
        lines.splice(randomInt(rnd, lines.length + 1), 0, lines[from]!);
        t = lines.join("\n");
        break;
      }
      case 5: {
        // insert a YAML construct
        const token = pick(rnd, [
          " &a ",
          " *a",
          " *nowhere",
          " !!binary ",
          " !!js/function ",
          "\n__proto__: { x: 1 }\n",
          "\nconstructor: 1\n",
          " [",
          " {",
          "<<: *a\n",
          "\n---\n",
          " ? ",
          "\n...\n",
          " |\n",
          " 1e999",
          " .nan",
          ` "${"x".repeat(randomInt(rnd, 50))}`,
        ]);
        t = t.slice(0, at) + token + t.slice(at);
        break;
      }
      default: {
        // swap two random lines
        const lines = t.split("\n");
        const i = randomInt(rnd, lines.length);
        const j = randomInt(rnd, lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        t = lines.join("\n");
      }
    }
  }
  return t;
}

/** Keys of a loaded scenario's raw fields, as `--set` paths, for realistic overrides. */
const KEY_PARTS = [
  "name",
  "end",
  "start",
  "target",
  "cards",
  "demand",
  "channels",
  "shocks",
  "factory",
  "capacityPerDay",
  "value",
  "share",
  "shipping",
  "days",
  "jlis",
  "outages",
  "counters",
  "length",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
];

const VALUES = [
  "1",
  "-1",
  "0",
  "4294967295",
  "1e308",
  "2016-06-30",
  "[]",
  "{}",
  "[1,2,3]",
  "{ from: 2016-01-01, value: 1 }",
  "&a [*a]",
  "*nowhere",
  "[&a x, *a, *a]",
  "{ __proto__: { polluted: 1 } }",
  "{ constructor: 1 }",
  "null",
  "~",
  "'",
  "[",
  "!!binary aGk=",
  "x".repeat(100),
];

/** A random `key=value` assignment: real and hostile key parts, indexes from small to huge. */
export function randomAssignment(rnd: Rnd): string {
  const parts: string[] = [];
  const n = 1 + randomInt(rnd, 4);
  for (let i = 0; i < n; i++) {
    const r = randomInt(rnd, 10);
    if (r < 6 || i === 0) parts.push(pick(rnd, KEY_PARTS));
    else if (r < 8)
      parts.push(`[${pick(rnd, ["0", "1", "9", "9999", "10000", "4294967295", "99999999999999999999"])}]`);
    else parts.push(String(randomInt(rnd, 3)));
  }
  const key = parts.reduce((k, p) => (p.startsWith("[") ? k + p : k === "" ? p : `${k}.${p}`), "");
  const value =
    randomInt(rnd, 4) === 0
      ? Array.from({ length: randomInt(rnd, 20) }, () => ALPHABET[randomInt(rnd, ALPHABET.length)]).join("")
      : pick(rnd, VALUES);
  return randomInt(rnd, 20) === 0 ? key : `${key}=${value}`;
}

export interface FuzzTally {
  inputs: number;
  loaded: number;
  rejected: number;
  /** Inputs whose outcome was neither a load nor an InputError with a message (should be none). */
  failures: { input: string; error: string }[];
}

export const newTally = (): FuzzTally => ({ inputs: 0, loaded: 0, rejected: 0, failures: [] });

/** Runs `load`; counts a load or an InputError with a one-line-or-more message; anything else fails. */
function classify(tally: FuzzTally, input: string, load: () => unknown): void {
  tally.inputs++;
  try {
    load();
    tally.loaded++;
  } catch (e) {
    if (e instanceof InputError && e.message.length > 0 && !/^\s+at /m.test(e.message)) tally.rejected++;
    else tally.failures.push({ input, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

/** Loads `count` mutations of `text` written as `dir/<name>` (beside whatever it extends). */
export function fuzzScenarioText(
  rnd: Rnd,
  text: string,
  dir: string,
  name: string,
  count: number,
  tally: FuzzTally,
): void {
  const file = join(dir, name);
  for (let i = 0; i < count; i++) {
    const mutated = mutateText(rnd, text);
    writeFileSync(file, mutated);
    classify(tally, mutated, () => loadScenario(file));
  }
}

/** What Object.prototype looks like: every own property and its value. */
export function prototypeSnapshot(): Map<string | symbol, unknown> {
  return new Map(Reflect.ownKeys(Object.prototype).map((k) => [k, Reflect.get(Object.prototype, k)]));
}

/** True when Object.prototype has exactly the properties and values of `before`. */
export function prototypeUnchanged(before: Map<string | symbol, unknown>): boolean {
  const now = prototypeSnapshot();
  if (now.size !== before.size) return false;
  for (const [k, v] of now) if (before.get(k) !== v) return false;
  return ({} as Record<string, unknown>)["polluted"] === undefined;
}

/** Loads `file` with `count` random sets of 1–3 `--set` assignments; fails on prototype changes. */
export function fuzzOverrides(rnd: Rnd, file: string, count: number, tally: FuzzTally): void {
  const before = prototypeSnapshot();
  for (let i = 0; i < count; i++) {
    const sets = Array.from({ length: 1 + randomInt(rnd, 3) }, () => randomAssignment(rnd));
    classify(tally, sets.join(" "), () => loadScenario(file, sets));
    if (!prototypeUnchanged(before)) {
      tally.failures.push({ input: sets.join(" "), error: "Object.prototype was modified" });
      return;
    }
  }
}
