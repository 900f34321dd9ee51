/**
 * Child process of the CRL benchmark's in-process (warm) rows: parses one CRL file in a fresh
 * process and prints one {@link ParseChildReport} as a JSON line.
 *
 * Order: peak RSS after imports (baseline) → read the file → first `parseCrl` without signature
 * verification (the same first-call situation as the @peculiar/x509 child) → peak RSS → tinybench:
 * warm `parseCrl` with and without verification → `CrlIndex.find` passes over random hits and misses
 * → the latency of one random read in a table of the index's size (context for the lookup figures).
 * Every time is CPU time of this process (bench/_cpu-clock.ts), as in the @peculiar/x509 child.
 *
 * Usage: `node dist/bench/_crl-parse-child.js <crl.der> <issuer-spki.der> <runs> [quick]`
 * @module
 */

import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CrlIndex } from "../sim/pki/crl-index.js";
import { parseCrl } from "../sim/pki/crl-index.js";
import type { ParseChildReport } from "./_crl-common.js";
import { peakRss, randomSerials, randomSortedIndices, SERIAL_BYTES } from "./_crl-common.js";
import { cpuClockMs } from "./_cpu-clock.js";
import { micro } from "./_shared.js";

/** Distinct query serials per kind (hits, misses). */
const SAMPLE = 1 << 16;
/** Lookups per timed pass. */
const LOOKUPS = 1 << 20;

/**
 * Random sample (with replacement) of `n` listed serials, shuffled, flat: query `i` is
 * `[i*16, i*16+16)`, left-padded with zeros (which `find` ignores).
 */
function hitQueries(index: CrlIndex, n: number): Uint8Array {
  const picks = randomSortedIndices(n, index.count);
  const order = randomFillSync(new Uint32Array(n));
  const slots = new Uint32Array(n);
  for (let j = 0; j < n; j++) slots[j] = j;
  // Fisher–Yates: hits must not walk the DER in order
  for (let j = n - 1; j > 0; j--) {
    const r = order[j]! % (j + 1);
    const t = slots[j]!;
    slots[j] = slots[r]!;
    slots[r] = t;
  }
  const out = new Uint8Array(n * SERIAL_BYTES);
  let i = 0;
  let k = 0;
  index.forEach((handle) => {
    while (k < n && picks[k] === i) {
      const s = index.serialAt(handle);
      if (s.length > SERIAL_BYTES) throw new Error(`serial of ${s.length} bytes`);
      out.set(s, slots[k]! * SERIAL_BYTES + SERIAL_BYTES - s.length);
      k++;
    }
    i++;
  });
  return out;
}

/** `n` random serials that the index does not list, flat like {@link hitQueries}. */
function missQueries(index: CrlIndex, n: number): Uint8Array {
  const out = randomSerials(n);
  for (let i = 0; i < n; i++)
    while (index.has(out.subarray(i * SERIAL_BYTES, (i + 1) * SERIAL_BYTES)))
      out.set(randomSerials(1), i * SERIAL_BYTES);
  return out;
}

/**
 * One pass of {@link LOOKUPS} `find` calls cycling through the flat `queries`. Each query is first
 * copied into one reusable 16-byte array (as a caller holding a parsed certificate's serial would
 * pass it); the copy is included in the time. Checks the outcome.
 */
function lookupPass(index: CrlIndex, queries: Uint8Array, hit: boolean): void {
  const n = queries.length / SERIAL_BYTES;
  const rounds = LOOKUPS / n;
  const q = new Uint8Array(SERIAL_BYTES);
  let found = 0;
  for (let r = 0; r < rounds; r++)
    for (let i = 0, p = 0; i < n; i++) {
      for (let b = 0; b < SERIAL_BYTES; b++) q[b] = queries[p++]!;
      if (index.find(q) >= 0) found++;
    }
  if (found !== (hit ? LOOKUPS : 0)) throw new Error(`lookup check failed: ${found} found`);
}

/**
 * One pass of {@link LOOKUPS} dependent random reads in a `Uint32Array` of 8 bytes × (power of two ≥
 * 2 × entries) — 16–32 bytes per entry, about the index's table (32; 16.8 MB at 10^6 entries against
 * the table's 32 MB): each address depends on the previous read, so this is the
 * latency of one random access at that working-set size. A lookup reads one cache line of the table
 * (two for the ≈ 11 % of entries stored past a full home bucket), so it costs about one such access
 * plus hashing the serial.
 */
function randomReadPass(table: Uint32Array, mask: number): number {
  let p = 0;
  for (let i = 0; i < LOOKUPS; i++) p = ((table[p * 2]! ^ i) & mask) >>> 0;
  return p;
}

async function main(): Promise<void> {
  const [file, spkiFile, runsArg, quickArg] = process.argv.slice(2);
  if (file === undefined || spkiFile === undefined)
    throw new Error("usage: _crl-parse-child.js <crl.der> <issuer-spki.der> <runs> [quick]");
  const runs = Math.max(1, Number(runsArg ?? 3));
  const timeMs = quickArg === "quick" ? 100 : 1000;
  const issuerSpki = new Uint8Array(readFileSync(spkiFile));

  const baseline = peakRss();
  const buf = readFileSync(file);
  // a plain Uint8Array view (no copy), so the index code sees one array type for DER and queries
  const der = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const t0 = cpuClockMs();
  let crl = parseCrl(der);
  const firstParseMs = cpuClockMs() - t0;
  const peak = peakRss();

  const parseBudget = { timeMs: 0, iterations: runs, clock: "cpu" as const };
  const parseVerify = await micro(
    "warm parseCrl + verify",
    () => (crl = parseCrl(der, { issuerSpki })),
    parseBudget,
  );
  const parseNoVerify = await micro("warm parseCrl", () => (crl = parseCrl(der)), parseBudget);

  const index = crl.entries;
  const hits = hitQueries(index, SAMPLE);
  const misses = missQueries(index, SAMPLE);
  const lookupBudget = { timeMs, iterations: 5, clock: "cpu" as const };
  const hit = await micro("find (hits)", () => lookupPass(index, hits, true), lookupBudget);
  const miss = await micro("find (misses)", () => lookupPass(index, misses, false), lookupBudget);
  let slots = 16;
  while (slots < index.count * 2) slots *= 2;
  const table = randomFillSync(new Uint32Array(slots * 2));
  const floor = await micro("random read", () => randomReadPass(table, slots - 1), lookupBudget);

  const perLookup = (s: { meanMs: number; rme: number; samples: number }) => ({
    ns: (s.meanMs * 1e6) / LOOKUPS,
    rme: s.rme,
    samples: s.samples,
  });
  const report: ParseChildReport = {
    entries: index.count,
    derBytes: der.length,
    firstParseMs,
    parseVerify,
    parseNoVerify,
    baselineRssBytes: baseline.bytes,
    peakRssBytes: peak.bytes,
    rssSource: peak.source,
    lookupHit: perLookup(hit),
    lookupMiss: perLookup(miss),
    randomRead: perLookup(floor),
    lookups: LOOKUPS,
    sample: SAMPLE,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
