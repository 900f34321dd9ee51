/**
 * Helpers every benchmark uses: machine and version information, the result type, argument parsing
 * and the output document of DESIGN.md §8:
 *
 * `{ "machine": {...}, "versions": {...}, "results": [ { "name", "unit", "value", "higherIsBetter",
 * "reference": { "name", "value" } | null, "ratio": number | null } ] }`
 *
 * With `--json` only that document goes to stdout; progress and tables go to stderr. Without it a
 * readable table goes to stdout.
 * @module
 */

import os from "node:os";
import {
  gitCommit,
  installedVersion,
  machineInfo as runMachineInfo,
  projectPackage,
} from "../engine/run-output/environment-info.js";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Root of the repository (the folder holding package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** One measured figure, with its reference measured in the same run when there is one. */
export interface BenchResult {
  /** Dotted name, e.g. `des.hold.process`. */
  name: string;
  /** Unit of `value`, e.g. `events/s`, `ms`. */
  unit: string;
  value: number;
  /** True when a larger value is better (throughput), false for times and sizes. */
  higherIsBetter: boolean;
  /** The reference implementation's figure for the same work, or null. */
  reference: { name: string; value: number } | null;
  /** Ours over the reference, oriented so that above 1 means we are better; null without a reference. */
  ratio: number | null;
}

/** The machine the figures come from. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  arch: string;
  /** 1-minute load average when the benchmark started: figures from a busy machine are noisier. */
  loadAverage: number;
}

/** Versions of everything that shapes the figures. */
export interface Versions {
  node: string;
  v8: string;
  openssl: string;
  project: string;
  /** Installed versions of the project's dependencies (from node_modules), by package name. */
  packages: Record<string, string>;
  /** Commit of the working tree, or null when not in a git checkout. */
  gitCommit: string | null;
}

/** The document `--json` prints. */
export interface BenchDocument {
  machine: MachineInfo;
  versions: Versions;
  results: BenchResult[];
}

/** A measurement: runs some work and returns one or more results. */
export type Measurement = (options: BenchOptions) => Promise<BenchResult[]>;

/** Parsed command line of a benchmark. */
export interface BenchOptions {
  /** `--json`: print only the JSON document on stdout. */
  json: boolean;
  /** `--quick`: smaller workloads, for smoke tests (figures are less stable). */
  quick: boolean;
  /** Arguments this parser did not recognise, for the benchmark's own flags. */
  rest: string[];
}

/** Parses `--json` and `--quick`; everything else is left in `rest`. */
export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const options: BenchOptions = { json: false, quick: false, rest: [] };
  for (const arg of argv) {
    if (arg === "--json") options.json = true;
    else if (arg === "--quick") options.quick = true;
    else options.rest.push(arg);
  }
  return options;
}

/**
 * Builds a result and its ratio. For `higherIsBetter` the ratio is value / reference, otherwise
 * reference / value, so that above 1 always means we are better.
 */
export function makeResult(
  name: string,
  unit: string,
  value: number,
  higherIsBetter: boolean,
  reference: { name: string; value: number } | null = null,
): BenchResult {
  return {
    name,
    unit,
    value,
    higherIsBetter,
    reference,
    ratio: ratioOf(value, reference?.value ?? null, higherIsBetter),
  };
}

/** Ours over the reference, oriented so that above 1 means we are better; null if undefined. */
export function ratioOf(value: number, reference: number | null, higherIsBetter: boolean): number | null {
  if (reference === null || !Number.isFinite(reference) || !Number.isFinite(value)) return null;
  if (higherIsBetter) return reference > 0 ? value / reference : null;
  return value > 0 ? reference / value : null;
}

/** Progress and notes: always stderr, so `--json` output stays clean. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** CPU, cores, memory and OS of this machine, and its load when the benchmark started. */
export function machineInfo(): MachineInfo {
  const m = runMachineInfo();
  return {
    cpuModel: m.cpu,
    cores: m.cores,
    memoryGiB: m.memoryGiB,
    os: m.os,
    arch: m.arch,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Node, V8 and OpenSSL versions, every dependency's installed version and the git commit. */
export function versions(): Versions {
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

/** The full document for `results`. */
export function benchDocument(results: BenchResult[]): BenchDocument {
  return { machine: machineInfo(), versions: versions(), results };
}

/** Formats a number for tables: 3 significant figures, thousands separators. */
export function formatNumber(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString("en-US");
  return Number(x.toPrecision(3)).toString();
}

/** A plain-text table of results. */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${formatNumber(r.value)} ${r.unit}`,
    r.reference ? `${formatNumber(r.reference.value)} (${r.reference.name})` : "—",
    r.ratio === null ? "—" : `${r.ratio.toFixed(1)}×`,
  ]);
  const header = ["benchmark", "ours", "reference", "ratio"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * Prints the results: with `json`, the DESIGN.md §8 document alone on stdout (and the table on
 * stderr); otherwise a readable table with machine and versions on stdout.
 * @returns the document.
 */
export function emit(results: BenchResult[], options: Pick<BenchOptions, "json">): BenchDocument {
  const doc = benchDocument(results);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    log(resultTable(results));
  } else {
    const m = doc.machine;
    const v = doc.versions;
    process.stdout.write(
      `${resultTable(results)}\n\n` +
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

/** True when the module with `importMetaUrl` is the script node was started with. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return importMetaUrl === pathToFileURL(resolve(entry)).href;
}
