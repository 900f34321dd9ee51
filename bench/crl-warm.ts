/**
 * In-process rows of the CRL benchmark, warm against warm or first call against first call, from a
 * fresh child per size (bench/_crl-parse-child.ts) and, up to 10^5 entries, the @peculiar/x509 child
 * (bench/_crl-peculiar-child.ts; beyond that it needs minutes and gigabytes). Both children time
 * with their own CPU time (bench/_cpu-clock.ts), so waiting for a core on a shared machine counts on
 * neither side:
 *
 * - `crl.parse.first.<n>`: the first `parseCrl` (no verification) in a fresh process against
 *   @peculiar/x509's first `new X509Crl(der, { berOptions })` + `.entries` (no verification either)
 *   in a fresh process; `crl.peakRss.vsPeculiar.<n>` the two processes' peak RSS right after it.
 * - `crl.parse.warm.<n>` / `crl.parseNoVerify.warm.<n>`: warm `parseCrl` with and without signature
 *   verification, tinybench mean ± RME — plain figures (no warm OpenSSL runs in this benchmark; the
 *   OpenSSL comparison is cold against cold, bench/crl-cold.ts).
 * - `crl.lookup.hit.<n>` / `crl.lookup.miss.<n>`: ns per `CrlIndex.find` over 65,536 random listed /
 *   unlisted serials, 2^20 lookups per tinybench pass (target < 200 ns);
 *   `crl.lookup.<hit|miss>.vsPeculiar.<n>` (up to 10^5) the same against @peculiar/x509
 *   `findRevoked(serialHex)` (a linear scan), mean per call.
 * - `crl.lookup.randomReadFloor.<n>`: context, not a target — one dependent random read in a table as
 *   large as the index's: a lookup, hit or miss, costs about one (one cache line of the table).
 * @module
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import type { ParseChildReport, PeculiarChildReport } from "./_crl-common.js";
import { sizeLabel } from "./crl-build.js";
import type { BenchResult } from "./_shared.js";
import { benchScript, log, makeResult, ROOT } from "./_shared.js";

const MB = 1e6;
/** Largest CRL the @peculiar/x509 reference is run on. */
export const PECULIAR_MAX_ENTRIES = 100_000;
/** @peculiar/x509 needs ≈ 10 KB per entry (ANCHORS.md §5: ~1 GB at 10^5). */
const PECULIAR_BYTES_PER_ENTRY = 15_000;
const LOOKUP_TARGET_NS = 200;

/** Runs a bench child script and parses the JSON line it prints; null (with a note) on failure. */
function runChild<T>(name: string, args: readonly string[], timeoutMs: number): T | null {
  const script = benchScript(name);
  const child = spawnSync(process.execPath, [...script.execArgv, script.file, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", 2],
    timeout: timeoutMs,
    maxBuffer: 1 << 20,
  });
  if (child.error || child.status !== 0) {
    log(`note: ${name} failed (${child.error?.message ?? `status ${child.status} signal ${child.signal}`})`);
    return null;
  }
  try {
    return JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as T;
  } catch {
    log(`note: could not read the report of ${name}`);
    return null;
  }
}

/** Warm runs of `parseCrl` per variant at `n` entries. */
function warmRuns(n: number, quick: boolean): number {
  if (quick) return 3;
  if (n <= 100_000) return 10;
  if (n <= 1_000_000) return 5;
  return 2;
}

/** The in-process rows for one CRL file of `n` entries. */
export function warmResults(n: number, files: { crl: string; spki: string }, quick: boolean): BenchResult[] {
  const l = sizeLabel(n);
  log(`  in-process child (first parse, warm parses, lookups)…`);
  const ours = runChild<ParseChildReport>(
    "_crl-parse-child",
    [files.crl, files.spki, String(warmRuns(n, quick)), ...(quick ? ["quick"] : [])],
    900_000,
  );
  if (!ours) return [];
  if (ours.entries !== n) throw new Error(`parse child saw ${ours.entries} entries, expected ${n}`);
  let pec: PeculiarChildReport | null = null;
  if (n > PECULIAR_MAX_ENTRIES)
    log(`  note: @peculiar/x509 skipped above ${PECULIAR_MAX_ENTRIES.toLocaleString("en-US")} entries`);
  else if (os.freemem() < 2 * n * PECULIAR_BYTES_PER_ENTRY)
    log(`  note: @peculiar/x509 skipped: not enough memory`);
  else {
    log(`  @peculiar/x509 child…`);
    pec = runChild<PeculiarChildReport>("_crl-peculiar-child", [files.crl], 300_000);
    if (pec)
      log(
        `  @peculiar/x509: construct ${pec.constructMs.toFixed(0)} ms + entries ${pec.entriesMs.toFixed(0)} ms, ` +
          `peak RSS ${(pec.peakRssBytes / MB).toFixed(0)} MB; findRevoked hit ${pec.findHitMs.toFixed(2)} ms, ` +
          `miss ${pec.findMissMs.toFixed(2)} ms (${pec.lookups} each)`,
      );
  }
  const stats = (s: { meanMs: number; rme: number; samples: number }) => s;
  const perOp = (p: ParseChildReport["lookupHit"]) => ({
    meanMs: p.ns / 1e6,
    rme: p.rme,
    samples: p.samples,
  });
  return [
    makeResult(
      {
        name: `crl.parse.first.${l}`,
        unit: "CPU ms",
        value: ours.firstParseMs,
        higherIsBetter: false,
        reference: pec && {
          name: "@peculiar/x509 first new X509Crl(der, {berOptions}) + .entries, fresh process",
          value: pec.constructMs + pec.entriesMs,
        },
      },
      quick,
    ),
    makeResult(
      {
        name: `crl.peakRss.vsPeculiar.${l}`,
        unit: "MB",
        value: ours.peakRssBytes / MB,
        higherIsBetter: false,
        reference: pec && {
          name: "@peculiar/x509 process peak RSS after construct + .entries",
          value: pec.peakRssBytes / MB,
        },
      },
      quick,
    ),
    makeResult(
      {
        name: `crl.parse.warm.${l}`,
        unit: "CPU ms",
        value: ours.parseVerify.meanMs,
        higherIsBetter: false,
        stats: stats(ours.parseVerify),
      },
      quick,
    ),
    makeResult(
      {
        name: `crl.parseNoVerify.warm.${l}`,
        unit: "CPU ms",
        value: ours.parseNoVerify.meanMs,
        higherIsBetter: false,
        stats: stats(ours.parseNoVerify),
      },
      quick,
    ),
    ...(["hit", "miss"] as const).flatMap((kind) => {
      const p = kind === "hit" ? ours.lookupHit : ours.lookupMiss;
      const rows = [
        makeResult(
          {
            name: `crl.lookup.${kind}.${l}`,
            unit: "CPU ns/lookup",
            value: p.ns,
            higherIsBetter: false,
            target: LOOKUP_TARGET_NS,
            stats: perOp(p),
          },
          quick,
        ),
      ];
      if (pec)
        rows.push(
          makeResult(
            {
              name: `crl.lookup.${kind}.vsPeculiar.${l}`,
              unit: "CPU ns/lookup",
              value: p.ns,
              higherIsBetter: false,
              reference: {
                name: `@peculiar/x509 findRevoked (${kind}), mean of ${pec.lookups} calls`,
                value: (kind === "hit" ? pec.findHitMs : pec.findMissMs) * 1e6,
              },
            },
            quick,
          ),
        );
      return rows;
    }),
    makeResult(
      {
        name: `crl.lookup.randomReadFloor.${l}`,
        unit: "CPU ns/read",
        value: ours.randomRead.ns,
        higherIsBetter: false,
        stats: perOp(ours.randomRead),
      },
      quick,
    ),
  ];
}
