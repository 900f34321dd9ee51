/**
 * Long-mode fuzzing of the simulated card (issue 7; DESIGN.md §9): the same generators and oracles
 * as the bounded CI tests (sim/card/apdu-fuzz.ts — random and mutated APDUs, each must get exactly
 * one well-formed status word, never an exception; sim/card/card-file-fuzz.ts — mutated card files,
 * each refused with a typed error or loaded unchanged), run for many more inputs, with counts printed.
 *
 * Usage: `node --import tsx bench/fuzz-apdu.ts [--apdus N] [--files M] [--seed S] [--json]`
 * (defaults N = 200,000, M = 5,000, S = 7). Exit 0 when no oracle was violated, 1 otherwise, 2 on a
 * bad flag. The card is a demo card with fresh keys (sim/jpki/demo-card.ts); a fresh copy takes over
 * every 500 inputs so blocked PINs do not hide the paths behind them.
 * @module
 */
import { parseArgs } from "node:util";
import { fuzzApdus } from "../sim/card/apdu-fuzz.js";
import { fuzzCardFile } from "../sim/card/card-file-fuzz.js";
import { loadCard, saveCard } from "../sim/card/card-store.js";
import { issueDemoCard } from "../sim/jpki/demo-card.js";
import { demoResident } from "../sim/jpki/resident.js";

const FAST_SCRYPT = { N: 1 << 10, r: 8, p: 1 };
const PASSPHRASE = "fuzz";

function count(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    process.stderr.write(`fuzz-apdu: --${name}: expected a whole number ≥ 0, got ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return Number(v);
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      apdus: { type: "string" },
      files: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean" },
    },
  }).values;
} catch (e) {
  process.stderr.write(`fuzz-apdu: ${(e as Error).message}\n`);
  process.exit(2);
}
const apdus = count("apdus", values.apdus as string | undefined, 200_000);
const files = count("files", values.files as string | undefined, 5_000);
const seed = count("seed", values.seed as string | undefined, 7);

const demo = await issueDemoCard({
  resident: demoResident(1),
  pins: { auth: "1234", text: "5678", sign: "ABC123XYZ" },
  issuedAt: Date.now(),
});
const saved = saveCard(demo.card, PASSPHRASE, FAST_SCRYPT);

const t0 = performance.now();
const apduReport = fuzzApdus(() => loadCard(saved, PASSPHRASE), seed, apdus, 500);
const t1 = performance.now();
const fileReport = fuzzCardFile(demo.card, saved, PASSPHRASE, seed, files);
const t2 = performance.now();

const result = {
  seed,
  apdus: {
    inputs: apduReport.inputs,
    stateChanges: apduReport.stateChanges,
    statusWords: Object.fromEntries([...apduReport.statusWords].sort((a, b) => b[1] - a[1])),
    violations: apduReport.failureCount,
    firstViolations: apduReport.failures,
    seconds: (t1 - t0) / 1000,
  },
  cardFiles: {
    inputs: fileReport.inputs,
    refused: Object.fromEntries(fileReport.refused),
    absorbed: fileReport.absorbed,
    violations: fileReport.failureCount,
    firstViolations: fileReport.failures,
    seconds: (t2 - t1) / 1000,
  },
};

if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  const a = result.apdus;
  const f = result.cardFiles;
  const sws = Object.entries(a.statusWords)
    .map(([sw, n]) => `${sw} ${n}`)
    .join(", ");
  process.stdout.write(
    [
      `APDUs (seed ${seed}): ${a.inputs} inputs in ${a.seconds.toFixed(1)} s, ${a.stateChanges} changed the card's non-volatile state, ${a.violations} violations`,
      `  status words: ${sws}`,
      `card files: ${f.inputs} mutations in ${f.seconds.toFixed(1)} s: refused ${JSON.stringify(f.refused)}, absorbed ${f.absorbed}, ${f.violations} violations`,
      ...[...a.firstViolations, ...f.firstViolations].map((v) => `  violation: ${v}`),
      "",
    ].join("\n"),
  );
}
process.exitCode = apduReport.failureCount + fileReport.failureCount === 0 ? 0 : 1;
