/**
 * Helpers every benchmark uses (DESIGN.md §8): argument parsing, building results (ratio oriented so
 * that above 1 means we are better, `target`, `quick`, tinybench's rme and sample count), the
 * document `--json` prints — its types and validation come from the one schema,
 * sim/run-format/bench.ts — and the text table with pass/fail against each target.
 *
 * With `--json` only the document goes to stdout; progress and the table go to stderr. Without it
 * the table goes to stdout. Benchmarks run on the built output (`npm run bench:*` compiles with
 * tsconfig.bench.json and runs `node dist/bench/….js`), never through tsx.
 * @module
 */

import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { InputError, isInputError } from "../engine/errors.js";
import {
  findPackageRoot,
  gitCommit,
  installedVersion,
  machineInfo as runMachineInfo,
  projectPackage,
} from "../engine/run-output/environment-info.js";
import type {
  BenchDocument,
  BenchMachine,
  BenchReference,
  BenchResult,
  BenchVersions,
} from "../sim/run-format/bench.js";
import { BenchDocumentSchema } from "../sim/run-format/bench.js";
import { cpuClockMs } from "./_cpu-clock.js";
import { formatNumber, resultTable } from "./_table.js";

export { formatNumber, formatTarget, resultTable } from "./_table.js";

export type { BenchDocument, BenchMachine, BenchReference, BenchResult, BenchVersions };

/** Root of the repository (the folder holding package.json), from bench/ or from dist/bench/. */
export const ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A measurement: runs some work and returns one or more results. */
export type Measurement = (options: BenchOptions) => Promise<BenchResult[]>;

/** Parsed command line of a benchmark. */
export interface BenchOptions {
  /** `--json`: print only the JSON document on stdout. */
  json: boolean;
  /** `--quick`: smaller workloads, for smoke tests (figures are less stable; results say `quick: true`). */
  quick: boolean;
  /** Arguments this parser did not recognise, for the benchmark's own flags. */
  rest: string[];
}

/**
 * Parses `--json` and `--quick`; arguments starting with one of `ownFlags` (e.g. `--sizes=`) are
 * left in `rest` for the benchmark.
 * @throws {InputError} `E_BENCH_ARGS` for any other argument, naming it and what is accepted.
 */
export function parseBenchArgs(
  argv: readonly string[] = process.argv.slice(2),
  ownFlags: readonly string[] = [],
): BenchOptions {
  const options: BenchOptions = { json: false, quick: false, rest: [] };
  for (const arg of argv) {
    if (arg === "--json") options.json = true;
    else if (arg === "--quick") options.quick = true;
    else if (ownFlags.some((f) => arg.startsWith(f))) options.rest.push(arg);
    else
      throw new InputError(
        `unknown argument ${JSON.stringify(arg)}: expected ${["--json", "--quick", ...ownFlags.map((f) => `${f}…`)].join(", ")}`,
        "E_BENCH_ARGS",
      );
  }
  return options;
}

/** tinybench statistics of one task: mean ms per call, its relative margin of error (%) and samples. */
export interface MicroStats {
  meanMs: number;
  rme: number;
  samples: number;
}

/** What a result is made of; {@link makeResult} adds the ratio. */
export interface ResultSpec {
  name: string;
  unit: string;
  value: number;
  higherIsBetter: boolean;
  /** The same work done by another implementation, measured in the same run; omit for a plain figure. */
  reference?: BenchReference | null;
  /** The ratio (with a reference) or value (without) the project aims for; omit for none. */
  target?: number | null;
  /** tinybench statistics behind `value`, when it is a micro-benchmark. */
  stats?: MicroStats;
  /** Which implementation of ours ran, when there are several. */
  implementation?: string;
}

/**
 * Builds a result. For `higherIsBetter` the ratio is value / reference, otherwise reference / value,
 * so that above 1 always means we are better. `quick` records whether `--quick` was given.
 */
export function makeResult(spec: ResultSpec, quick: boolean): BenchResult {
  const reference = spec.reference ?? null;
  return {
    name: spec.name,
    unit: spec.unit,
    value: spec.value,
    higherIsBetter: spec.higherIsBetter,
    reference,
    ratio: ratioOf(spec.value, reference?.value ?? null, spec.higherIsBetter),
    target: spec.target ?? null,
    quick,
    ...(spec.stats ? { rme: round(spec.stats.rme, 2), samples: spec.stats.samples } : {}),
    ...(spec.implementation ? { implementation: spec.implementation } : {}),
  };
}

/** Ours over the reference, oriented so that above 1 means we are better; null if undefined. */
export function ratioOf(value: number, reference: number | null, higherIsBetter: boolean): number | null {
  if (reference === null || !Number.isFinite(reference) || !Number.isFinite(value)) return null;
  if (higherIsBetter) return reference > 0 ? value / reference : null;
  return value > 0 ? reference / value : null;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * Times `fn` with tinybench (warm-up first unless `warmup: false`, then at least `iterations` calls
 * and `timeMs` of samples): mean ms per call ± rme, sample count. `fn` may return a promise.
 * `clock: "cpu"` times with this process's CPU time instead of the wall clock — on a shared machine
 * it leaves out the time spent waiting for a core (for single-threaded work only: compare it with a
 * reference's CPU time).
 */
export async function micro(
  name: string,
  fn: () => unknown,
  budget: { timeMs: number; iterations: number; warmup?: boolean; clock?: "wall" | "cpu" },
): Promise<MicroStats> {
  const bench = new Bench({
    ...(budget.clock === "cpu" ? { now: cpuClockMs } : {}),
    time: budget.timeMs,
    iterations: budget.iterations,
    warmup: budget.warmup ?? true,
    warmupTime: Math.min(500, budget.timeMs / 4),
    warmupIterations: Math.max(1, Math.min(16, budget.iterations >> 2)),
    throws: true,
  });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || r.state !== "completed") throw new Error(`tinybench task ${name}: ${r?.state}`);
  const stats = { meanMs: r.latency.mean, rme: r.latency.rme, samples: r.latency.samplesCount };
  log(
    `  ${name}: ${formatNumber(stats.meanMs)} ms${budget.clock === "cpu" ? " CPU" : ""}/call ± ` +
      `${stats.rme.toFixed(1)} % (${stats.samples} samples)`,
  );
  return stats;
}

/** Operations per second from tinybench statistics of a call that does `perCall` operations. */
export function ratePerSecond(stats: MicroStats, perCall = 1): number {
  return (perCall * 1000) / stats.meanMs;
}

/** Progress and notes: always stderr, so `--json` output stays clean. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** CPU, cores, memory and OS of this machine, and its 1-minute load when the benchmark started. */
export function machineInfo(): BenchMachine {
  const m = runMachineInfo();
  return {
    cpuModel: m.cpu,
    cores: m.cores,
    memoryGiB: m.memoryGiB,
    os: m.os,
    arch: m.arch,
    loadAverage: round(os.loadavg()[0] ?? 0, 2),
  };
}

/** Node, V8 and OpenSSL versions, every dependency's installed version and the git commit. */
export function versions(): BenchVersions {
  const pkg = projectPackage(ROOT);
  const names = Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies }).sort();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    project: pkg?.version ?? "unknown",
    packages: Object.fromEntries(names.map((n) => [n, installedVersion(ROOT, n)])),
    gitCommit: gitCommit(ROOT),
  };
}

/**
 * The document for `results`, checked against the schema.
 * @throws {Error} when a result does not fit the schema (a bug in a benchmark, never printed as valid).
 */
export function benchDocument(results: BenchResult[], machine = machineInfo()): BenchDocument {
  const parsed = BenchDocumentSchema.safeParse({ machine, versions: versions(), results });
  if (!parsed.success) throw new Error(`benchmark document does not fit the schema: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Prints the results: with `json`, the validated DESIGN.md §8 document alone on stdout (and the
 * table on stderr); otherwise a readable table with machine and versions on stdout. `machine` is
 * read when the benchmark started, so its load average is the one the figures were measured under.
 * @returns the document.
 */
export function emit(
  results: BenchResult[],
  options: Pick<BenchOptions, "json" | "quick">,
  machine = machineInfo(),
): BenchDocument {
  const doc = benchDocument(results, machine);
  const quick = options.quick ? " — QUICK run: smaller workloads, not for the README tables" : "";
  if (options.json) {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    log(`${resultTable(doc.results)}\n${quick}`);
  } else {
    const m = doc.machine;
    const v = doc.versions;
    process.stdout.write(
      `${resultTable(doc.results)}\n${quick}\n` +
        `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os} ${m.arch}, load ${m.loadAverage}\n` +
        `versions: node ${v.node}, v8 ${v.v8}, openssl ${v.openssl}, myna-twin ${v.project}` +
        `${v.gitCommit ? ` @ ${v.gitCommit.slice(0, 12)}` : ""}\n`,
    );
  }
  return doc;
}

/** Runs measurements one after another and concatenates their results. */
export async function runMeasurements(
  measurements: readonly Measurement[],
  options: BenchOptions,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const measure of measurements) results.push(...(await measure(options)));
  return results;
}

/**
 * The entry points' main: parses the command line (`ownFlags` as for {@link parseBenchArgs}), runs
 * `measurements` and prints the document. Bad arguments print one line and exit with status 2.
 */
export async function runBenchmark(
  measurements: readonly Measurement[],
  ownFlags: readonly string[] = [],
  argv: readonly string[] = process.argv.slice(2),
): Promise<BenchDocument | null> {
  try {
    const options = parseBenchArgs(argv, ownFlags);
    const machine = machineInfo();
    return emit(await runMeasurements(measurements, options), options, machine);
  } catch (e) {
    if (!isInputError(e)) throw e;
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 2;
    return null;
  }
}

/** True when the module with `importMetaUrl` is the script node was started with. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return importMetaUrl === pathToFileURL(resolve(entry)).href;
}

/**
 * The compiled sibling of a bench script, for child processes: `dist/bench/<name>.js` when this
 * module runs from dist/ (the normal case), else `bench/<name>.ts` under the same loader as ours.
 */
export function benchScript(name: string): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  if (import.meta.url.endsWith(".js")) return { file: resolve(here, `${name}.js`), execArgv: [] };
  return { file: resolve(here, `${name}.ts`), execArgv: ["--import", "tsx"] };
}
