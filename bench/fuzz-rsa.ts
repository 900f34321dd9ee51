/**
 * Long-mode differential fuzzing of RSA-2048 prepared-digest verification (issue 10 item 8): the
 * generator of sim/crypto/native-rsa.test.ts (sim/crypto/rsa-fuzz.ts) with many more cases — the
 * native addon against the node:crypto path, and `crypto.verify` wherever a case keeps its
 * message. Prints the counts; any disagreement is printed and exits 1. Needs the addon built
 * (`npm run native:build`).
 *
 * Usage: `npx tsx bench/fuzz-rsa.ts [--iterations N] [--seed S]` (default 200,000 cases, seed 1).
 * Not a timed benchmark: the rate is context for how long a run takes on this machine.
 * @module
 */
import { mulberry32 } from "../engine/random/small-prng.js";
import { rsaDigestVerifier } from "../sim/crypto/native-rsa.js";
import { checkRsaFuzzChunk, emptyTally, makeRsaFuzzFixture, rsaFuzzChunk } from "../sim/crypto/rsa-fuzz.js";

const USAGE = "usage: npx tsx bench/fuzz-rsa.ts [--iterations N] [--seed S]";
const CHUNK = 50;

function fail(message: string): never {
  process.stderr.write(`fuzz-rsa: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): { iterations: number; seed: number } {
  const out = { iterations: 200_000, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    if (flag === "--help" || flag === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag !== "--iterations" && flag !== "--seed") fail(`unknown argument "${a}"`);
    const v = inline ?? argv[++i];
    if (v === undefined) fail(`${flag} needs a value`);
    if (!/^\d+$/.test(v) || Number(v) > 2 ** 32 - 1 || (flag === "--iterations" && Number(v) === 0))
      fail(`${flag} expects a positive whole number, got "${v}"`);
    if (flag === "--iterations") out.iterations = Number(v);
    else out.seed = Number(v);
  }
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let native;
  try {
    native = rsaDigestVerifier({ choice: "native" });
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const node = rsaDigestVerifier({ choice: "node:crypto" });
  const f = makeRsaFuzzFixture();
  const rnd = mulberry32(args.seed);
  const tally = emptyTally();
  const t0 = process.hrtime.bigint();
  while (tally.cases < args.iterations && tally.mismatches.length === 0) {
    const size = Math.min(CHUNK, args.iterations - tally.cases);
    checkRsaFuzzChunk(f, native, node, rsaFuzzChunk(f, rnd, size), tally);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = (x: number) => x.toLocaleString("en-US");
  process.stdout.write(
    `seed ${args.seed}: ${n(tally.cases)} cases, ${n(tally.valid)} valid, ${n(tally.invalid)} invalid, ` +
      `${n(tally.againstNodeVerify)} also against crypto.verify; ${n(Math.round(tally.cases / seconds))} cases/s\n`,
  );
  if (tally.mismatches.length > 0) {
    process.stdout.write(`DISAGREEMENT (seed ${args.seed}):\n${tally.mismatches.join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write("native and node:crypto agree on every case\n");
}

main();
