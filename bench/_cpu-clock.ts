/**
 * The CPU clock of the benchmarks: this process's CPU time (user + system, all its threads — GC and
 * the compiler included), in ms. tinybench takes it as its clock for single-threaded work
 * (bench/_shared.ts `micro` with `clock: "cpu"`), and the CRL children time with it, so that on a
 * shared machine the time spent waiting for a core is left out on both sides of a comparison.
 * @module
 */

/** CPU time of this process so far, ms. */
export function cpuClockMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}
