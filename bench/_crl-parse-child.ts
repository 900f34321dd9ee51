/**
 * Child process of the CRL benchmark: parses one CRL file in a fresh process so its peak RSS is not
 * polluted by the parent or by other sizes, and prints one {@link ParseChildReport} as a JSON line.
 *
 * Order: peak RSS after imports (baseline) → read the file → first `parseCrl` with signature
 * verification → peak RSS (the reported figure) → further parses with and without verification for
 * timing → `CrlIndex.find` over random hits and misses in tight loops (best of 5 passes, wall and
 * CPU time) → the latency of one random read in a table of the index's size.
 *
 * Usage: `node --import tsx bench/_crl-parse-child.ts <crl.der> <issuer-spki.der> [runs] [lookups]`
 * @module
 */

import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CrlIndex } from "../sim/pki/crl-index.js";
import { parseCrl } from "../sim/pki/crl-index.js";
import type { ParseChildReport } from "./_crl-common.js";
import { peakRss, randomSerials, randomSortedIndices, SERIAL_BYTES, since } from "./_crl-common.js";

/** Distinct query serials per kind (hits, misses). */
const SAMPLE = 1 << 16;
/** Timed lookup passes per kind; the best is reported. */
const LOOKUP_PASSES = 5;

/**
 * Random sample (with replacement) of `n` listed serials, shuffled, flat: query `i` is
 * `[i*16, i*16+16)`, left-padded with zeros (which `find` ignores).
 */
function hitQueries(index: CrlIndex, n: number): Uint8Array {
  const picks = randomSortedIndices(n, index.count);
  const order = randomFillSync(new Uint32Array(n));
  const slots = new Uint32Array(n);
  for (let j = 0; j < n; j++) slots[j] = j;
  // Fisher–Yates with crypto-random draws: hits must not walk the DER in order
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
 * Mean ns per `find` over `total` lookups cycling through the flat `queries`. Each query is first
 * copied into one reusable 16-byte array (as a caller holding a parsed certificate's serial would
 * pass it: hot in cache, no allocation); the copy is included in the time. Checks the outcome.
 */
function lookupPass(
  index: CrlIndex,
  queries: Uint8Array,
  total: number,
  hit: boolean,
): { wallNs: number; cpuNs: number } {
  const n = queries.length / SERIAL_BYTES;
  const rounds = Math.ceil(total / n);
  const q = new Uint8Array(SERIAL_BYTES);
  let found = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++)
    for (let i = 0, p = 0; i < n; i++) {
      for (let b = 0; b < SERIAL_BYTES; b++) q[b] = queries[p++]!;
      if (index.find(q) >= 0) found++;
    }
  const ms = since(t0);
  const cpu = process.cpuUsage(c0);
  const expected = hit ? rounds * n : 0;
  if (found !== expected) throw new Error(`lookup check failed: ${found} found, expected ${expected}`);
  return { wallNs: (ms * 1e6) / (rounds * n), cpuNs: ((cpu.user + cpu.system) * 1e3) / (rounds * n) };
}

/**
 * Memory-latency floor for a lookup: mean ns per random read in a `Uint32Array` as large as the
 * index's hash table (same sizing rule: slots = power of two ≥ 2 × entries, 8 bytes each), filled
 * with random words. Each read's address depends on the previous read, so reads cannot overlap: this
 * is the latency of one random access at that working-set size (cache or DRAM, plus TLB). A miss
 * costs about one such access, a hit about two (table + DER); independent lookups may overlap a little.
 * Best of {@link LOOKUP_PASSES} passes of `total` reads: [wall ns, CPU ns].
 */
function randomReadFloor(entries: number, total: number): [number, number] {
  let slots = 16;
  while (slots < entries * 2) slots *= 2;
  const table = randomFillSync(new Uint32Array(slots * 2));
  const mask = slots - 1;
  let wall = Infinity;
  let cpu = Infinity;
  let p = 0;
  for (let pass = 0; pass < LOOKUP_PASSES; pass++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < total; i++) p = ((table[p * 2]! ^ i) & mask) >>> 0;
    const ms = since(t0);
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (ms * 1e6) / total);
    cpu = Math.min(cpu, ((c.user + c.system) * 1e3) / total);
  }
  if (p < 0 || p > mask) throw new Error("floor check failed");
  return [wall, cpu];
}

/** CPU ms (user + system) of `fn`, with its wall ms. */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = since(t0);
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1e3 };
}

function main(): void {
  const [file, spkiFile, runsArg, lookupsArg] = process.argv.slice(2);
  if (file === undefined || spkiFile === undefined)
    throw new Error("usage: _crl-parse-child.ts <crl.der> <issuer-spki.der> [runs] [lookups]");
  const runs = Math.max(1, Number(runsArg ?? 3));
  const lookups = Math.max(SAMPLE, Number(lookupsArg ?? 1 << 20));
  const issuerSpki = new Uint8Array(readFileSync(spkiFile));

  const baseline = peakRss();
  const read = timed(() => readFileSync(file));
  const buf = read.value;
  // a plain Uint8Array view (no copy), so the index code sees one array type for DER and queries
  const der = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

  const t0 = performance.now();
  let crl = parseCrl(der, { issuerSpki });
  const firstParseMs = since(t0);
  const peak = peakRss();

  let parseVerifyMs = firstParseMs;
  let parseNoVerifyMs = Infinity;
  let parseNoVerifyCpuMs = Infinity;
  for (let r = 0; r < runs; r++) {
    const plain = timed(() => parseCrl(der));
    crl = plain.value;
    parseNoVerifyMs = Math.min(parseNoVerifyMs, plain.wallMs);
    parseNoVerifyCpuMs = Math.min(parseNoVerifyCpuMs, plain.cpuMs);
    if (r === runs - 1) break; // the first verifying run already counts as one
    const verified = timed(() => parseCrl(der, { issuerSpki }));
    crl = verified.value;
    parseVerifyMs = Math.min(parseVerifyMs, verified.wallMs);
  }

  const index = crl.entries;
  const hits = hitQueries(index, SAMPLE);
  const misses = missQueries(index, SAMPLE);
  let lookupHitNs = Infinity;
  let lookupMissNs = Infinity;
  let lookupHitCpuNs = Infinity;
  let lookupMissCpuNs = Infinity;
  for (let pass = 0; pass < LOOKUP_PASSES; pass++) {
    const h = lookupPass(index, hits, lookups, true);
    const m = lookupPass(index, misses, lookups, false);
    lookupHitNs = Math.min(lookupHitNs, h.wallNs);
    lookupMissNs = Math.min(lookupMissNs, m.wallNs);
    lookupHitCpuNs = Math.min(lookupHitCpuNs, h.cpuNs);
    lookupMissCpuNs = Math.min(lookupMissCpuNs, m.cpuNs);
  }

  const [floorNs, floorCpuNs] = randomReadFloor(index.count, lookups);

  const report: ParseChildReport = {
    entries: index.count,
    derBytes: der.length,
    readMs: read.wallMs,
    readCpuMs: read.cpuMs,
    firstParseMs,
    parseVerifyMs,
    parseNoVerifyMs,
    parseNoVerifyCpuMs,
    parseRuns: runs,
    baselineRssBytes: baseline.bytes,
    peakRssBytes: peak.bytes,
    rssSource: peak.source,
    lookupHitNs,
    lookupMissNs,
    lookupHitCpuNs,
    lookupMissCpuNs,
    randomReadFloorNs: floorNs,
    randomReadFloorCpuNs: floorCpuNs,
    lookups: Math.ceil(lookups / SAMPLE) * SAMPLE,
    sample: SAMPLE,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main();
