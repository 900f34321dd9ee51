/**
 * Child process of the CRL benchmark: the @peculiar/x509 reference on one CRL file, in its own process
 * (it needs ≈ 10 KB of heap per entry, ANCHORS.md §5). Parses with `new X509Crl(der, { berOptions })`
 * — the asn1js node and length limits raised to fit the file — reads `.entries`, then times
 * `findRevoked(serialHex)` (a linear scan) for listed and unlisted serials within a small time budget.
 * Times are CPU time of this process (bench/_cpu-clock.ts), as in bench/_crl-parse-child.ts.
 * Prints one {@link PeculiarChildReport} as a JSON line.
 *
 * @peculiar/x509 pulls in tsyringe, which refuses to load without a `Reflect.getMetadata` polyfill
 * (normally the reflect-metadata package, not installed here). The library itself declares no
 * decorator metadata, so a minimal WeakMap-backed polyfill is installed before it is imported.
 *
 * Usage: `node dist/bench/_crl-peculiar-child.js <crl.der> [lookup-budget-ms]`
 * @module
 */

import { readFileSync } from "node:fs";
import type { X509Crl } from "@peculiar/x509";
import type { PeculiarChildReport } from "./_crl-common.js";
import { peakRss, randomSerials, SERIAL_BYTES } from "./_crl-common.js";
import { cpuClockMs } from "./_cpu-clock.js";

/**
 * Mean CPU ms per `findRevoked` over `serials`, stopping early after `budgetMs` of CPU time; checks
 * the outcome.
 */
function findMean(
  crl: X509Crl,
  serials: readonly string[],
  hit: boolean,
  budgetMs: number,
): [number, number] {
  const t0 = cpuClockMs();
  let n = 0;
  for (const s of serials) {
    const found = crl.findRevoked(s) !== null;
    if (found !== hit) throw new Error(`findRevoked(${s}) returned ${found ? "an entry" : "null"}`);
    n++;
    if (cpuClockMs() - t0 > budgetMs) break;
  }
  return [(cpuClockMs() - t0) / n, n];
}

type MetadataKey = string | symbol;
type MetadataStore = Map<MetadataKey, unknown>;

/** The few `Reflect` metadata functions tsyringe calls, backed by a WeakMap (no prototype-chain walk needed). */
function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === "function") return;
  const stores = new WeakMap<object, Map<MetadataKey | undefined, MetadataStore>>();
  const store = (
    target: object,
    prop: MetadataKey | undefined,
    create: boolean,
  ): MetadataStore | undefined => {
    let byProp = stores.get(target);
    if (!byProp) {
      if (!create) return undefined;
      byProp = new Map();
      stores.set(target, byProp);
    }
    let m = byProp.get(prop);
    if (!m && create) byProp.set(prop, (m = new Map()));
    return m;
  };
  const getOwn = (key: MetadataKey, target: object, prop?: MetadataKey): unknown =>
    store(target, prop, false)?.get(key);
  const get = (key: MetadataKey, target: object, prop?: MetadataKey): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const v = store(t, prop, false);
      if (v?.has(key)) return v.get(key);
    }
    return undefined;
  };
  const define = (key: MetadataKey, value: unknown, target: object, prop?: MetadataKey): void => {
    store(target, prop, true)!.set(key, value);
  };
  r.defineMetadata = define;
  r.getOwnMetadata = getOwn;
  r.getMetadata = get;
  r.hasMetadata = (key: MetadataKey, target: object, prop?: MetadataKey): boolean =>
    get(key, target, prop) !== undefined;
  r.hasOwnMetadata = (key: MetadataKey, target: object, prop?: MetadataKey): boolean =>
    store(target, prop, false)?.has(key) ?? false;
  r.metadata =
    (key: MetadataKey, value: unknown) =>
    (target: object, prop?: MetadataKey): void =>
      define(key, value, target, prop);
}

async function main(): Promise<void> {
  installReflectMetadata();
  const { X509Crl } = await import("@peculiar/x509");
  const [file, budgetArg] = process.argv.slice(2);
  if (file === undefined) throw new Error("usage: _crl-peculiar-child.ts <crl.der> [lookup-budget-ms]");
  const budgetMs = Number(budgetArg ?? 2000);
  const buf = readFileSync(file);
  const der = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

  let t0 = cpuClockMs();
  const crl = new X509Crl(der, {
    berOptions: { maxNodes: 64 + der.length, maxContentLength: der.length + 1024 },
  });
  const constructMs = cpuClockMs() - t0;
  t0 = cpuClockMs();
  const entries = crl.entries;
  const entriesMs = cpuClockMs() - t0;
  const peak = peakRss();

  const wanted = 50;
  const hits: string[] = [];
  const step = Math.max(1, Math.floor(entries.length / wanted));
  // spread over the list: a linear scan costs in proportion to the position of the hit
  for (let i = step >> 1; i < entries.length && hits.length < wanted; i += step)
    hits.push(entries[i]!.serialNumber);
  const flat = randomSerials(wanted);
  const misses: string[] = [];
  for (let i = 0; i < wanted; i++)
    misses.push(Buffer.from(flat.subarray(i * SERIAL_BYTES, (i + 1) * SERIAL_BYTES)).toString("hex"));

  const [findHitMs, nHit] = findMean(crl, hits, true, budgetMs);
  const [findMissMs, nMiss] = findMean(crl, misses, false, budgetMs);
  const report: PeculiarChildReport = {
    entries: entries.length,
    constructMs,
    entriesMs,
    peakRssBytes: peak.bytes,
    findHitMs,
    findMissMs,
    lookups: Math.min(nHit, nMiss),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
