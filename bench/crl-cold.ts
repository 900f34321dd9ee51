/**
 * Cold against cold (DESIGN.md §8): a relying party that starts, loads one CRL and stops. Ours is a
 * fresh `node dist/bench/_crl-load-child.js` (read the file, `parseCrl` with signature verification
 * and index build); the reference is a fresh `openssl crl -inform DER -in FILE -noout -CAfile ISSUER`
 * (parses every entry and verifies the signature) on the same file. Both are whole processes timed
 * from spawn to exit, the mean of the same number of runs taken in turns, under `/usr/bin/time -v`.
 *
 * - `crl.load.cold.<n>`: wall time, process start included on both sides (target ≥ 5× at 10^6).
 * - `crl.load.coldNet.<n>`: the same minus each side's measured empty process (node running an empty
 *   script, bench/_empty-child.ts; `openssl version`).
 * - `crl.load.coldCpu.<n>`: user + system CPU time of the same runs (left out while openssl's is
 *   under 50 ms: `/usr/bin/time` counts 10 ms ticks).
 * - `crl.peakRss.<n>`: max RSS of the same runs (both include their runtime: node's is ≈ 40–50 MB);
 *   `crl.peakRssOverDer.<n>` is ours over the DER size, and `crl.rssGrowthOverDer.<n>` subtracts
 *   the empty node process's max RSS first — the measure (above the runtime's own
 *   baseline), so it carries the target (< 2× from 10^6).
 * @module
 */
import os from "node:os";
import { sizeLabel } from "./crl-build.js";
import type { ProcessTiming, TimedCommand } from "./_process-timer.js";
import { timeProcess, timeProcesses } from "./_process-timer.js";
import type { BenchResult } from "./_shared.js";
import { benchScript, log, makeResult } from "./_shared.js";

const MB = 1e6;
/** Smallest CPU time (ms) worth comparing: /usr/bin/time reports CPU in 10 ms ticks. */
const MIN_CPU_MS = 50;
/** OpenSSL holds one X509_REVOKED (+ extensions) per entry: budget this much RAM per entry. */
const OPENSSL_BYTES_PER_ENTRY = 800;

/** Process runs per side at `n` entries. */
export function coldRuns(n: number, quick: boolean): number {
  if (quick) return 2;
  if (n <= 100_000) return 7;
  if (n <= 1_000_000) return 3;
  return 2;
}

let empties: { node: ProcessTiming | null; openssl: ProcessTiming | null } | undefined;

/** Empty processes of each side (measured once per benchmark run, 7 runs each). */
function emptyProcesses(): { node: ProcessTiming | null; openssl: ProcessTiming | null } {
  if (!empties) {
    const empty = benchScript("_empty-child");
    empties = {
      node: timeProcess(process.execPath, [...empty.execArgv, empty.file], 7),
      openssl: timeProcess("openssl", ["version"], 7),
    };
    const f = (t: ProcessTiming | null): string =>
      t
        ? `${t.meanMs.toFixed(1)} ms ± ${t.rme.toFixed(0)} %, ${((t.maxRssBytes ?? 0) / MB).toFixed(0)} MB`
        : "?";
    log(`  empty processes: node (empty script) ${f(empties.node)}; openssl version ${f(empties.openssl)}`);
  }
  return empties;
}

/** The cold rows for one CRL file of `n` entries and `derBytes` bytes. */
export function coldResults(
  n: number,
  derBytes: number,
  files: { crl: string; spki: string; caPem: string },
  quick: boolean,
): BenchResult[] {
  const l = sizeLabel(n);
  const runs = coldRuns(n, quick);
  const empty = emptyProcesses();
  const child = benchScript("_crl-load-child");
  log(`  cold: ${runs} fresh processes each side…`);
  const oursCommand: TimedCommand = {
    command: process.execPath,
    args: [...child.execArgv, child.file, files.crl, files.spki],
    check: (out) => out.trim() === String(n),
  };
  const sslCommand: TimedCommand = {
    command: "openssl",
    args: ["crl", "-inform", "DER", "-in", files.crl, "-noout", "-CAfile", files.caPem],
    check: (_out, err) => err.includes("verify OK"),
  };
  const free = os.freemem();
  const withSsl = free >= 2 * n * OPENSSL_BYTES_PER_ENTRY;
  if (!withSsl) log(`note: skipping openssl crl at ${l}: ${(free / 1e9).toFixed(1)} GB available`);
  // the two sides take turns, run by run
  const [ours, ssl = null] = timeProcesses(withSsl ? [oursCommand, sslCommand] : [oursCommand], runs);
  if (!ours) return [];
  const f = (t: ProcessTiming | null): string =>
    t
      ? `${t.meanMs.toFixed(1)} ms ± ${t.rme.toFixed(0)} % wall, ${t.cpuMs?.toFixed(0) ?? "?"} ms CPU, ` +
        `${((t.maxRssBytes ?? 0) / MB).toFixed(0)} MB`
      : "—";
  log(`  ours: ${f(ours)}; openssl crl: ${f(ssl)}`);
  const sslName = `openssl crl -noout -CAfile, fresh process (mean of ${runs})`;
  const results: BenchResult[] = [
    makeResult(
      {
        name: `crl.load.cold.${l}`,
        unit: "ms",
        value: ours.meanMs,
        higherIsBetter: false,
        reference: ssl && { name: `${sslName}, ±${ssl.rme.toFixed(0)} %`, value: ssl.meanMs },
        target: n === 1_000_000 ? 5 : null,
      },
      quick,
    ),
  ];
  if (empty.node && empty.openssl) {
    const netOurs = ours.meanMs - empty.node.meanMs;
    results.push(
      makeResult(
        {
          name: `crl.load.coldNet.${l}`,
          unit: "ms",
          value: netOurs,
          higherIsBetter: false,
          reference: ssl && {
            name: `${sslName} − openssl version (${empty.openssl.meanMs.toFixed(1)} ms); ours − node running an empty script (${empty.node.meanMs.toFixed(1)} ms)`,
            value: ssl.meanMs - empty.openssl.meanMs,
          },
        },
        quick,
      ),
    );
  }
  // /usr/bin/time counts CPU in 10 ms ticks: below 5 ticks the figure says nothing.
  if (ours.cpuMs !== null && (ssl?.cpuMs == null || ssl.cpuMs >= MIN_CPU_MS))
    results.push(
      makeResult(
        {
          name: `crl.load.coldCpu.${l}`,
          unit: "ms",
          value: ours.cpuMs,
          higherIsBetter: false,
          reference: ssl?.cpuMs != null ? { name: `${sslName}, user + system CPU`, value: ssl.cpuMs } : null,
        },
        quick,
      ),
    );
  if (ours.maxRssBytes !== null) {
    const rss = ours.maxRssBytes;
    results.push(
      makeResult(
        {
          name: `crl.peakRss.${l}`,
          unit: "MB",
          value: rss / MB,
          higherIsBetter: false,
          reference:
            ssl?.maxRssBytes != null ? { name: `${sslName}, max RSS`, value: ssl.maxRssBytes / MB } : null,
        },
        quick,
      ),
      makeResult(
        {
          name: `crl.peakRssOverDer.${l}`,
          unit: "×DER",
          value: rss / derBytes,
          higherIsBetter: false,
        },
        quick,
      ),
    );
    if (empty.node?.maxRssBytes != null)
      results.push(
        makeResult(
          {
            name: `crl.rssGrowthOverDer.${l}`,
            unit: "×DER",
            value: (rss - empty.node.maxRssBytes) / derBytes,
            higherIsBetter: false,
            // issue 11 item 6: peak RSS of parse-and-index above the runtime's own baseline
            target: n >= 1_000_000 ? 2 : null,
          },
          quick,
        ),
      );
  }
  return results;
}
