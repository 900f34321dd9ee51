/**
 * Long-mode DER fuzzing (DESIGN.md §9; issue 7, reliability): the generators and targets of the fuzz
 * tests (sim/pki/der-fuzz.ts) with many more inputs. For each parser — DER reader, certificate, CRL,
 * Name, J-LIS subjectAltName — it prints how many mutants were tried, accepted, rejected with a
 * DerError (of which size-limit rejections) or a PkiError, and the throughput. Two more targets
 * (issue 11, bad input): `verify` runs mutated CRLs and certificates of the `pki verify` fixture
 * (sim/pki/verify-fixtures.ts) through parsing and path validation (`accepted` = validation ran to
 * OK or REJECTED: exit 0 or 3; DerError/PkiError = exit 2); `filter` runs truncated and mutated
 * revocation filter files (sim/revocation/filter/fuzz.ts) through the parser and lookups (accepted
 * = parsed; rejections are FilterErrors, counted under PkiError's column as typed errors). Any other
 * exception stops the run with the seed, input number and input hex, and exit status 1.
 *
 * Usage: `npx tsx bench/fuzz-der.ts [--iterations N] [--seed S] [--target der|certificate|crl|name|san|verify|filter]`
 * (default 200,000 inputs per target, seed 1, all targets). Not a timed benchmark: throughput is
 * context for how long a run takes on this machine.
 * @module
 */
import { mulberry32 } from "../engine/random/small-prng.js";
import { parseCertificate } from "../sim/pki/certificate.js";
import { parseCrl } from "../sim/pki/crl-index.js";
import type { FuzzTally, FuzzTarget } from "../sim/pki/der-fuzz.js";
import { verifyChain } from "../sim/pki/verify-chain.js";
import { buildVerifyFixture } from "../sim/pki/verify-fixtures.js";
import { buildFilter, fuzzFilterBytes, universeOf } from "../sim/revocation/filter/index.js";
import {
  buildFuzzCorpus,
  certificateTarget,
  crlTarget,
  derReaderTarget,
  jpkiSanTarget,
  nameTarget,
  runFuzz,
} from "../sim/pki/der-fuzz.js";

const USAGE =
  "usage: npx tsx bench/fuzz-der.ts [--iterations N] [--seed S] [--target der|certificate|crl|name|san|verify|filter]";

interface Args {
  iterations: number;
  seed: number;
  target: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const out: Args = { iterations: 200_000, seed: 1, target: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === "--iterations" || flag === "--seed") {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 2 ** 32 - 1 || (flag === "--iterations" && Number(v) === 0))
        fail(`${flag} expects a positive whole number, got "${v}"`);
      if (flag === "--iterations") out.iterations = Number(v);
      else out.seed = Number(v);
    } else if (flag === "--target") {
      const v = value();
      if (!["der", "certificate", "crl", "name", "san", "verify", "filter"].includes(v))
        fail(`--target expects one of der, certificate, crl, name, san, verify, filter; got "${v}"`);
      out.target = v;
    } else if (flag === "--help" || flag === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument "${a}"`);
  }
  return out;
}

function fail(message: string): never {
  process.stderr.write(`fuzz-der: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** The `verify` targets: mutated CRLs / certificates of the pki verify fixture through path validation. */
function verifyTargets(only: string | undefined): [string, FuzzTarget, readonly Uint8Array[]][] {
  if (only !== undefined && only !== "verify") return [];
  const fx = buildVerifyFixture();
  const root = parseCertificate(fx.root);
  const full = parseCrl(fx.crls.full);
  const p1 = parseCrl(fx.crls.p1);
  const leaf = parseCertificate(fx.certs.p1Revoked);
  const target: FuzzTarget = (input) => {
    // a mutant is read as a certificate if it parses as one, else as a CRL (a user may pass either)
    let asCert: ReturnType<typeof parseCertificate> | undefined;
    try {
      asCert = parseCertificate(input, { allowUnknownCritical: true });
    } catch {
      asCert = undefined;
    }
    if (asCert) {
      verifyChain({ certificate: asCert, trust: [root], crls: [full, p1], at: fx.now });
      return;
    }
    const crl = parseCrl(input); // DerError / PkiError: exit 2 (or 3 for an unknown critical extension)
    verifyChain({ certificate: leaf, trust: [root], crls: [crl, full], at: fx.now });
  };
  return [
    [
      "verify",
      target,
      [fx.crls.full, fx.crls.delta, fx.crls.p1, fx.certs.good, fx.certs.p1Revoked, fx.intermediate],
    ],
  ];
}

/** The `filter` target: truncated and mutated filter files through parser and lookups. */
function filterRun(iterations: number, seed: number): [string, FuzzTally, number] {
  const n = 5_000;
  const rnd = mulberry32(seed ^ 0x5eed);
  const keys = new Uint32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) keys[i] = Math.floor(rnd() * 2 ** 32);
  const revoked = new Uint8Array(n);
  for (let i = 0; i < n; i += 10) revoked[i] = 1;
  const good = buildFilter(universeOf(keys, revoked), { blockEquations: 256 }).bytes;
  const t0 = process.hrtime.bigint();
  let counts;
  try {
    counts = fuzzFilterBytes(good, iterations, seed);
  } catch (e) {
    process.stderr.write(`fuzz-der: filter: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(`filter: done in ${seconds.toFixed(1)} s\n`);
  return [
    "filter",
    {
      inputs: counts.inputs,
      parsed: counts.accepted,
      derErrors: 0,
      pkiErrors: counts.rejected,
      limitErrors: 0,
    },
    seconds,
  ];
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  process.stderr.write("building the corpus (RSA-2048 and P-384 keys, certificates, CRLs)…\n");
  const corpus = buildFuzzCorpus();
  const all: [string, FuzzTarget, readonly Uint8Array[]][] = [
    ["der", derReaderTarget, [...corpus.certificates, ...corpus.crls, ...corpus.names]],
    ["certificate", certificateTarget, corpus.certificates],
    ["crl", crlTarget, corpus.crls],
    ["name", nameTarget, corpus.names],
    ["san", jpkiSanTarget(corpus.signatureCertificate), corpus.altNames],
    ...verifyTargets(args.target),
  ];
  const rows: [string, FuzzTally, number][] = [];
  if (args.target === undefined || args.target === "filter") rows.push(filterRun(args.iterations, args.seed));
  for (const [name, target, seeds] of all) {
    if (args.target !== undefined && args.target !== name) continue;
    const t0 = process.hrtime.bigint();
    let tally: FuzzTally;
    try {
      tally = runFuzz(target, seeds, args.iterations, args.seed);
    } catch (e) {
      process.stderr.write(`fuzz-der: ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push([name, tally, seconds]);
    process.stderr.write(`${name}: done in ${seconds.toFixed(1)} s\n`);
  }
  const head = ["target", "inputs", "accepted", "DerError", "(limits)", "PkiError", "inputs/s"];
  const table = rows.map(([name, t, s]) => [
    name,
    t.inputs.toLocaleString("en-US"),
    t.parsed.toLocaleString("en-US"),
    t.derErrors.toLocaleString("en-US"),
    t.limitErrors.toLocaleString("en-US"),
    t.pkiErrors.toLocaleString("en-US"),
    Math.round(t.inputs / s).toLocaleString("en-US"),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  process.stdout.write(`seed ${args.seed}, ${args.iterations.toLocaleString("en-US")} inputs per target\n`);
  process.stdout.write(`${line(head)}\n`);
  for (const r of table) process.stdout.write(`${line(r)}\n`);
  const total = rows.reduce((a, [, t]) => a + t.inputs, 0);
  process.stdout.write(`${total.toLocaleString("en-US")} inputs, no untyped error\n`);
}

main();
