/**
 * Long-mode scenario fuzzing (DESIGN.md §9; issue 7, reliability): the generators of the bounded
 * property test (scenarios/_fuzz-generators.ts, used by scenarios/load-scenario.fuzz.test.ts) with
 * many more inputs. It mutates the YAML text of plan-87m.yaml, history.yaml and
 * jlis-outage-2016.yaml (which extends history.yaml), and loads plan-87m.yaml with random `--set`
 * assignments, and prints for each how many inputs loaded and how many were rejected with an
 * InputError. Any other outcome (another error type, a message-less error, a change to
 * Object.prototype) is printed with its input and the run exits with status 1.
 *
 * Usage: `npx tsx bench/fuzz-scenario.ts [--iterations N] [--seed S]` (default 20,000 inputs per
 * generator, seed 1). ≈3 ms per input on the shared machine: the yaml parser dominates. Not a
 * timed benchmark.
 * @module
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../engine/random/small-prng.js";
import { fuzzOverrides, fuzzScenarioText, newTally, type FuzzTally } from "../scenarios/_fuzz-generators.js";

const USAGE = "usage: npx tsx bench/fuzz-scenario.ts [--iterations N] [--seed S]";

function parseArgs(argv: readonly string[]): { iterations: number; seed: number } {
  const out = { iterations: 20_000, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (flag !== "--iterations" && flag !== "--seed") {
      console.error(`fuzz-scenario: unknown argument ${JSON.stringify(a)}\n${USAGE}`);
      process.exit(2);
    }
    if (value === undefined || !/^\d+$/.test(value) || (flag === "--iterations" && Number(value) < 1)) {
      console.error(
        `fuzz-scenario: ${flag}: expected a whole number (≥ 1 for --iterations), got ${JSON.stringify(value ?? "")}\n${USAGE}`,
      );
      process.exit(2);
    }
    if (flag === "--iterations") out.iterations = Number(value);
    else out.seed = Number(value) >>> 0;
  }
  return out;
}

const { iterations, seed } = parseArgs(process.argv.slice(2));
const SCENARIOS = fileURLToPath(new URL("../scenarios/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-fuzz-scenario-"));
copyFileSync(join(SCENARIOS, "history.yaml"), join(dir, "history.yaml"));
const text = (name: string): string => readFileSync(join(SCENARIOS, name), "utf8");

const runs: [string, (rnd: () => number, tally: FuzzTally) => void][] = [
  [
    "mutated plan-87m.yaml",
    (rnd, t) => fuzzScenarioText(rnd, text("plan-87m.yaml"), dir, "plan-87m.yaml", iterations, t),
  ],
  [
    "mutated history.yaml",
    (rnd, t) => fuzzScenarioText(rnd, text("history.yaml"), dir, "history-mutant.yaml", iterations, t),
  ],
  [
    "mutated jlis-outage-2016.yaml (extends)",
    (rnd, t) =>
      fuzzScenarioText(rnd, text("jlis-outage-2016.yaml"), dir, "jlis-outage-2016.yaml", iterations, t),
  ],
  ["--set on plan-87m.yaml", (rnd, t) => fuzzOverrides(rnd, join(SCENARIOS, "plan-87m.yaml"), iterations, t)],
];

let failed = false;
let total = 0;
try {
  for (const [i, [name, run]] of runs.entries()) {
    const tally = newTally();
    const t0 = performance.now();
    run(mulberry32(seed + i), tally);
    const seconds = (performance.now() - t0) / 1000;
    total += tally.inputs;
    console.log(
      `${name}: ${tally.inputs.toLocaleString("en-US")} inputs, ${tally.loaded.toLocaleString("en-US")} loaded, ` +
        `${tally.rejected.toLocaleString("en-US")} rejected with an InputError, ${tally.failures.length} failures ` +
        `(${Math.round(tally.inputs / seconds).toLocaleString("en-US")} inputs/s, seed ${seed + i})`,
    );
    for (const f of tally.failures.slice(0, 5)) {
      failed = true;
      console.log(`  FAILURE ${f.error}\n  input: ${JSON.stringify(f.input).slice(0, 2000)}`);
    }
    if (tally.failures.length > 0) failed = true;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `${total.toLocaleString("en-US")} inputs in all; ${failed ? "FAILURES (see above)" : "no failures"}`,
);
process.exitCode = failed ? 1 : 0;
