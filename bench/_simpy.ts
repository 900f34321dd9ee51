/**
 * The SimPy reference of the DES benchmark: finds Debian's python3-simpy3 under /usr/bin/python3
 * (installing it with apt-get when running as root) and runs bench/simpy_hold.py, which times the
 * same models with the same sizes as bench/des-models.ts and prints mean ± rme over warm runs.
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BenchReference } from "./_shared.js";
import { log, ROOT } from "./_shared.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(ROOT, "bench", "simpy_hold.py");

/** What bench/simpy_hold.py prints. */
export interface SimpyRun {
  mode: string;
  events: number;
  /** Mean CPU seconds of one run (`time.process_time()`). */
  meanSeconds: number;
  /** Relative margin of error of that mean, %. */
  rme: number;
  samples: number;
  /** events / meanSeconds. */
  rate: number;
  simpy: string;
  python: string;
}

let simpyChecked: boolean | null = null;

/** True if /usr/bin/python3 can import simpy, installing python3-simpy3 with apt-get if needed and root. */
export function ensureSimpy(): boolean {
  if (simpyChecked !== null) return simpyChecked;
  const canImport = (): boolean =>
    existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import simpy"], { stdio: "ignore" }).status === 0;
  if (canImport()) return (simpyChecked = true);
  if (!existsSync(PYTHON) || typeof process.getuid !== "function" || process.getuid() !== 0) {
    log("note: SimPy is missing (apt-get install -y python3-simpy3); SimPy references will be null");
    return (simpyChecked = false);
  }
  log("SimPy not found: apt-get install -y python3-simpy3 …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // apt's stdout goes to our stderr, so --json output stays clean.
  const opts = { stdio: ["ignore", 2, 2] as ["ignore", number, number], env };
  const update = spawnSync("apt-get", ["update"], opts);
  const install =
    update.status === 0
      ? spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "python3-simpy3"], opts)
      : update;
  simpyChecked = install.status === 0 && canImport();
  if (!simpyChecked) log("note: could not install python3-simpy3; SimPy references will be null");
  return simpyChecked;
}

/** Runs bench/simpy_hold.py; null (with a note on stderr) when SimPy is unavailable or the run fails. */
export function runSimpy(
  mode: "process" | "callback" | "mm1",
  processes: number,
  events: number,
  repeats: number,
): SimpyRun | null {
  if (!ensureSimpy()) return null;
  const args = [SCRIPT, "--mode", mode, "--processes", String(processes), "--events", String(events)];
  const child = spawnSync(PYTHON, [...args, "--repeat", String(repeats), "--clock", "cpu"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const parsed = JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as SimpyRun;
    if (child.status === 0 && Number.isFinite(parsed.rate)) {
      log(
        `  SimPy ${mode}: ${(parsed.meanSeconds * 1000).toFixed(1)} ms CPU/run ± ${parsed.rme.toFixed(1)} % ` +
          `(${parsed.samples} runs of ${parsed.events})`,
      );
      return parsed;
    }
  } catch {
    // reported below
  }
  log(`note: simpy_hold.py --mode ${mode} failed (status ${child.status}); reference is null`);
  if (child.stderr) log(child.stderr.trim());
  return null;
}

/** The reference of a result, or null. */
export function simpyReference(run: SimpyRun | null, what: string): BenchReference | null {
  return run
    ? {
        name: `SimPy ${run.simpy} (Python ${run.python}), ${what}, ±${run.rme.toFixed(1)} %`,
        value: run.rate,
      }
    : null;
}
