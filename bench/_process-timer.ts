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

/**
 * Runs `command args` `runs` times; null (with a note) if a run fails or `check(stdout, stderr)`
 * returns false.
 */
export function timeProcess(
  command: string,
  args: readonly string[],
  runs: number,
  check: (stdout: string, stderr: string) => boolean = () => true,
  timeoutMs = 900_000,
): ProcessTiming | null {
  const useTime = existsSync(TIME);
  const walls: number[] = [];
  const cpus: number[] = [];
  let maxRss: number | null = null;
  let stdout = "";
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const p = useTime
      ? spawnSync(TIME, ["-v", command, ...args], {
          encoding: "utf8",
          timeout: timeoutMs,
          maxBuffer: 1 << 24,
        })
      : spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 24 });
    walls.push(performance.now() - t0);
    if (p.error || p.status !== 0 || !check(p.stdout, p.stderr)) {
      const own = p.stderr.split("\tCommand being timed:")[0]!.trim(); // without /usr/bin/time's report
      const why = p.error?.message ?? `status ${p.status}${own ? `: ${own.slice(-300)}` : ""}`;
      log(`note: ${command} ${args.join(" ")} failed (${why})`);
      return null;
    }
    stdout = p.stdout;
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(p.stderr);
    if (rss) maxRss = Math.max(maxRss ?? 0, Number(rss[1]) * 1024);
    const user = /User time \(seconds\): ([\d.]+)/.exec(p.stderr);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(p.stderr);
    if (user && sys) cpus.push((Number(user[1]) + Number(sys[1])) * 1000);
  }
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
  return {
    meanMs: mean(walls),
    rme: relativeMarginOfError(walls),
    runs,
    cpuMs: cpus.length === runs ? mean(cpus) : null,
    maxRssBytes: maxRss,
    stdout,
  };
}
