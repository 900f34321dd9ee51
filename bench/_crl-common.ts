/**
 * Pieces shared by the CRL benchmark (bench/crl*.ts) and the child processes it spawns
 * (bench/_crl-parse-child.ts, bench/_crl-peculiar-child.ts): the reports the children print as one JSON
 * line on stdout, peak-RSS reading, PEM armour, and random query serials drawn with node:crypto.
 * @module
 */

import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";

/** Bytes per serial: 16-byte random serials, positive and without a sign octet (as `randomSerial`). */
export const SERIAL_BYTES = 16;

/** tinybench statistics as the children report them. */
export interface ChildStats {
  meanMs: number;
  rme: number;
  samples: number;
}

/** Mean ns per operation of a pass of lookups or reads, with tinybench's rme and pass count. */
export interface PerOperation {
  ns: number;
  rme: number;
  samples: number;
}

/** What bench/_crl-parse-child.ts measures for one CRL file, in a fresh process. */
export interface ParseChildReport {
  entries: number;
  derBytes: number;
  /** First `parseCrl` (no signature verification) after the imports, cold JIT, CPU ms. */
  firstParseMs: number;
  /** Warm `parseCrl` with signature verification. */
  parseVerify: ChildStats;
  /** Warm `parseCrl` without signature verification. */
  parseNoVerify: ChildStats;
  /** Peak RSS (VmHWM) after imports, before the file is read, bytes. */
  baselineRssBytes: number;
  /** Peak RSS (VmHWM) after reading the file and the first parse-and-index, bytes. */
  peakRssBytes: number;
  /** Where the peak RSS came from: `/proc/self/status VmHWM` or `process.resourceUsage().maxRSS`. */
  rssSource: string;
  /** `CrlIndex.find` over random listed serials. */
  lookupHit: PerOperation;
  /** `CrlIndex.find` over random unlisted serials. */
  lookupMiss: PerOperation;
  /** One dependent random read in a Uint32Array the size of the index table. */
  randomRead: PerOperation;
  /** Lookups per pass. */
  lookups: number;
  /** Distinct query serials per kind. */
  sample: number;
}

/** What bench/_crl-peculiar-child.ts measures for @peculiar/x509 on one CRL file. */
export interface PeculiarChildReport {
  entries: number;
  /** `new X509Crl(der, { berOptions })`, CPU ms. */
  constructMs: number;
  /** First `.entries` access (builds one X509CrlEntry per entry), CPU ms. */
  entriesMs: number;
  /** Peak RSS (VmHWM) after construct + entries, bytes. */
  peakRssBytes: number;
  /** Mean CPU ms per `findRevoked(serialHex)` for listed serials. */
  findHitMs: number;
  /** Mean CPU ms per `findRevoked(serialHex)` for unlisted serials. */
  findMissMs: number;
  /** Lookups per kind. */
  lookups: number;
}

/** Peak resident set size of this process so far, in bytes, and where it was read from. */
export function peakRss(): { bytes: number; source: string } {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return { bytes: Number(m[1]) * 1024, source: "/proc/self/status VmHWM" };
  } catch {
    // not Linux: fall back below
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: "process.resourceUsage().maxRSS" };
}

/** PEM armour (RFC 7468) around DER: the project's one writer. */
export { pemOf as pem } from "../sim/pki/pem.js";

/**
 * `count` random serials of {@link SERIAL_BYTES} bytes, flat, each positive with a non-zero first octet
 * (so its DER INTEGER is exactly 16 octets, as `randomSerial` makes them).
 */
export function randomSerials(count: number): Uint8Array {
  const out = randomFillSync(new Uint8Array(count * SERIAL_BYTES));
  for (let i = 0; i < out.length; i += SERIAL_BYTES) out[i] = (out[i]! & 0x7f) | 0x01;
  return out;
}

/** `count` random integers in `[0, bound)`, sorted ascending (bound ≤ 2^32). */
export function randomSortedIndices(count: number, bound: number): Uint32Array {
  const out = randomFillSync(new Uint32Array(count));
  for (let i = 0; i < count; i++) out[i] = out[i]! % bound;
  return out.sort();
}
