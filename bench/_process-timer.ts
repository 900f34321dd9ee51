/**
 * Times whole processes for cold-against-cold benchmark rows: runs a command `runs` times (under
 * `/usr/bin/time -v` when it is installed, for CPU time and max RSS), checks each run succeeded, and
 * returns the mean wall time with its relative margin of error (95 %, Student t — the measure
 * tinybench reports) and the mean CPU and max RSS. Wall time runs from spawn to exit, so it includes
 * process start, module loading and teardown on both sides alike.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { log } from "./_shared.js";

const TIME = "/usr/bin/time";

/** Mean figures over the runs of one command. */
export interface ProcessTiming {
  meanMs: number;
  /** Relative margin of error of `meanMs`, % (0 with a single run). */
  rme: number;
  runs: number;
  /** Mean user + system CPU time, ms, or null without /usr/bin/time. */
  cpuMs: number | null;
  /** Largest max RSS over the runs, bytes, or null without /usr/bin/time. */
  maxRssBytes: number | null;
  /** stdout of the last run. */
  stdout: string;
}

/** Two-sided 95 % Student t critical values by degrees of freedom 1…10; 1.96 beyond 30, 2.1 between. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Relative margin of error (%) of the mean of `xs`, as tinybench computes it. */
export function relativeMarginOfError(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const t = T95[n - 2] ?? (n > 31 ? 1.96 : 2.1);
  return (100 * t * sd) / Math.sqrt(n) / mean;
}

/** A command to time, and how to tell that a run did its work. */
export interface TimedCommand {
  command: string;
  args: readonly string[];
  /** True when the run's output shows it did the work; default: any run that exits 0. */
  check?: (stdout: string, stderr: string) => boolean;
}

/** One run's figures, or null (with a note) when it failed. */
function runOnce(
  c: TimedCommand,
  timeoutMs: number,
): { wall: number; cpu: number | null; rss: number | null; stdout: string } | null {
  const options = { encoding: "utf8" as const, timeout: timeoutMs, maxBuffer: 1 << 24 };
  const t0 = performance.now();
  const p = existsSync(TIME)
    ? spawnSync(TIME, ["-v", c.command, ...c.args], options)
    : spawnSync(c.command, c.args, options);
  const wall = performance.now() - t0;
  if (p.error || p.status !== 0 || !(c.check ?? (() => true))(p.stdout, p.stderr)) {
    const own = p.stderr.split("\tCommand being timed:")[0]!.trim(); // without /usr/bin/time's report
    const why = p.error?.message ?? `status ${p.status}${own ? `: ${own.slice(-300)}` : ""}`;
    log(`note: ${c.command} ${c.args.join(" ")} failed (${why})`);
    return null;
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(p.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(p.stderr);
  return {
    wall,
    cpu: user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : null,
    rss: rss ? Number(rss[1]) * 1024 : null,
    stdout: p.stdout,
  };
}

/**
 * Runs each command `runs` times, taking turns (first, second, …, first, second, …) so that a
 * machine whose load drifts treats them alike. A command whose run fails is dropped: its entry is
 * null (with a note on stderr).
 */
export function timeProcesses(
  commands: readonly TimedCommand[],
  runs: number,
  timeoutMs = 900_000,
): (ProcessTiming | null)[] {
  const samples = commands.map(() => [] as NonNullable<ReturnType<typeof runOnce>>[]);
  const failed = commands.map(() => false);
  for (let r = 0; r < runs; r++)
    commands.forEach((c, i) => {
      if (failed[i]) return;
      const x = runOnce(c, timeoutMs);
      if (x) samples[i]!.push(x);
      else failed[i] = true;
    });
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
  return samples.map((xs, i) => {
    if (failed[i]) return null;
    const walls = xs.map((x) => x.wall);
    const cpus = xs.flatMap((x) => (x.cpu === null ? [] : [x.cpu]));
    const rss = xs.flatMap((x) => (x.rss === null ? [] : [x.rss]));
    return {
      meanMs: mean(walls),
      rme: relativeMarginOfError(walls),
      runs,
      cpuMs: cpus.length === runs ? mean(cpus) : null,
      maxRssBytes: rss.length > 0 ? Math.max(...rss) : null,
      stdout: xs[xs.length - 1]!.stdout,
    };
  });
}

/** Runs one command `runs` times (see {@link timeProcesses}); null if a run fails. */
export function timeProcess(
  command: string,
  args: readonly string[],
  runs: number,
  check?: (stdout: string, stderr: string) => boolean,
  timeoutMs = 900_000,
): ProcessTiming | null {
  return timeProcesses([{ command, args, ...(check ? { check } : {}) }], runs, timeoutMs)[0]!;
}
