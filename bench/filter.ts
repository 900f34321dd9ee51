/**
 * Benchmark of the CRLite/Clubcard-style revocation filter (issue 11 items 2e and 6; ANCHORS.md §2.2,
 * sim/revocation/filter): for a universe of N certificate keys with R revoked (default the national
 * scale 2×10^8 / 2×10^7; `--quick` 10^6 / 10^5) —
 *
 * - the full build (both universe passes and level solves; target ≤ 60 s) and a check of every
 *   universe key against it (reported apart),
 * - size against the information-theoretic bound log2 C(N, R) (target ≤ 1.5×, goal 1.2×),
 * - lookup of revoked and of random universe keys (CPU ns per lookup over 2^20 random keys, best of
 *   5 passes; < 1 µs),
 * - one daily delta: D new revocations and D new certificates (`--delta=D`, default 10^4), its size
 *   and build time, and the lookup through full + delta.
 *
 * Times are this process's CPU time (the machine is shared: wall time counts waiting for a core;
 * the build's wall time is reported too). Keys are the 64-bit certificate keys the filter takes (fmix32 of the index in two lanes: distinct
 * by construction); which are revoked is decided by a third hash. Plain figures: no other filter
 * implementation runs in this process (Mozilla's published clubcard figures are in ANCHORS.md).
 * Usage: `npm run -s bench:filter -- [--json] [--quick] [--universe=N] [--revoked=R] [--delta=D]`.
 * @module
 */
import { InputError } from "../engine/errors.js";
import { mulberry32, randomInt } from "../engine/random/small-prng.js";
import type { FilterLookup, FilterUniverse } from "../sim/revocation/filter/index.js";
import { buildDeltaFilter, buildFilter, FilterChain } from "../sim/revocation/filter/index.js";
import { fmix32 } from "../sim/revocation/filter/hash.js";
import type { BenchOptions, BenchResult, Measurement } from "./_shared.js";
import { isMain, log, makeResult, runBenchmark } from "./_shared.js";

const CHUNK = 1 << 16;
const MAX_UNIVERSE = 1e9;

/** Key i of the synthetic universe: (hi, lo); lo = fmix32(i·φ + 1) is a bijection of i < 2^32. */
export function keyOf(i: number, out: Uint32Array, at: number): void {
  out[at] = fmix32((i ^ 0x5ca1ab1e) >>> 0);
  out[at + 1] = fmix32((Math.imul(i, 0x9e3779b9) + 1) >>> 0);
}

/** Whether key i is revoked at rate `threshold`/2^32; key indices ≥ `base` are the delta's new ones. */
function revokedBit(i: number, threshold: number): number {
  return fmix32((i ^ 0x0badf00d) >>> 0) < threshold ? 1 : 0;
}

/**
 * The synthetic universe: keys 0 … n−1, revoked at `rate`; plus (for a delta) `fresh` new keys n …
 * n+fresh−1 and `newlyRevoked` extra revocations among the valid old keys, picked by a fourth hash.
 */
export function syntheticUniverse(n: number, rate: number, fresh = 0, newlyRevoked = 0): FilterUniverse {
  const threshold = Math.floor(rate * 4294967296);
  const extra = Math.floor((newlyRevoked / Math.max(1, n * (1 - rate))) * 4294967296);
  const keys = new Uint32Array(2 * CHUNK);
  const revoked = new Uint8Array(CHUNK);
  return {
    forEachChunk(sink) {
      const total = n + fresh;
      for (let s = 0; s < total; s += CHUNK) {
        const c = Math.min(CHUNK, total - s);
        for (let j = 0; j < c; j++) {
          const i = s + j;
          keyOf(i, keys, 2 * j);
          let b = i < n ? revokedBit(i, threshold) : 0;
          if (!b && newlyRevoked > 0 && i < n && fmix32((i ^ 0x1234567) >>> 0) < extra) b = 1;
          revoked[j] = b;
        }
        sink(keys, revoked, c);
      }
    },
  };
}

/** This process's CPU time (user + system), ms: the work alone, without waiting for a core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Mean CPU ns per lookup of `count` random keys drawn by `pick` (index), `passes` times (best pass). */
function lookupNs(f: FilterLookup, pick: () => number, count: number, passes: number): number {
  const keys = new Uint32Array(2 * count);
  for (let i = 0; i < count; i++) keyOf(pick(), keys, 2 * i);
  let best = Infinity;
  let sink = 0;
  for (let p = 0; p < passes; p++) {
    const t = cpuMs();
    for (let i = 0; i < count; i++) if (f.has(keys[2 * i]!, keys[2 * i + 1]!)) sink++;
    best = Math.min(best, ((cpuMs() - t) * 1e6) / count);
  }
  if (sink < 0) log(String(sink));
  return best;
}

function flag(options: BenchOptions, name: string, fallback: number): number {
  const a = options.rest.find((x) => x.startsWith(`--${name}=`));
  if (!a) return fallback;
  const v = Number(a.slice(name.length + 3));
  if (!Number.isInteger(v) || v < 1 || v > MAX_UNIVERSE)
    throw new InputError(`${a}: expected a whole number from 1 to ${MAX_UNIVERSE}`, "E_BENCH_ARGS");
  return v;
}

/** All filter figures for one universe. */
export const filterMeasurement: Measurement = async (options) => {
  const n = flag(options, "universe", options.quick ? 1_000_000 : 200_000_000);
  const r = flag(options, "revoked", options.quick ? 100_000 : 20_000_000);
  const d = flag(options, "delta", options.quick ? 1_000 : 10_000);
  if (r >= n) throw new InputError(`--revoked=${r} must be below --universe=${n}`, "E_BENCH_ARGS");
  const rate = r / n;
  const q = options.quick;
  const label = `${n.toExponential(0).replace("+", "")}`;
  log(`filter: universe ${n.toLocaleString("en-US")}, revoked ≈ ${r.toLocaleString("en-US")}`);
  const c0 = cpuMs();
  const full = buildFilter(syntheticUniverse(n, rate), { sequence: 1, verify: false });
  const buildCpu = cpuMs() - c0;
  const s = full.stats;
  const c1 = cpuMs();
  const check = full.filter;
  let wrong = 0;
  syntheticUniverse(n, rate).forEachChunk((keys, revoked, count) => {
    for (let i = 0; i < count; i++)
      if (Number(check.has(keys[2 * i]!, keys[2 * i + 1]!)) !== revoked[i]) wrong++;
  });
  const checkCpu = cpuMs() - c1;
  if (wrong > 0) throw new Error(`filter self-check: ${wrong} universe keys answered wrongly`);
  log(
    `  built in ${buildCpu.toFixed(0)} ms CPU, ${s.buildMs.toFixed(0)} ms wall (+ check of every key ${checkCpu.toFixed(0)} ms CPU): ${s.bytes} bytes, ${s.ratio.toFixed(3)}× the bound, r = ${s.fingerprintBits}, ${s.blocks} blocks, ${s.retries} retried`,
  );
  const rnd = mulberry32(11);
  const threshold = Math.floor(rate * 4294967296);
  const revokedIdx: number[] = [];
  const validIdx: number[] = [];
  while (revokedIdx.length < 4096 || validIdx.length < 4096) {
    const i = randomInt(rnd, n);
    (revokedBit(i, threshold) ? revokedIdx : validIdx).push(i);
  }
  const count = 1 << 20;
  const hit = lookupNs(full.filter, () => revokedIdx[randomInt(rnd, revokedIdx.length)]!, count, 5);
  const miss = lookupNs(full.filter, () => randomInt(rnd, n), count, 5);
  log(`  lookup: revoked ${hit.toFixed(1)} ns, random universe key ${miss.toFixed(1)} ns`);

  const c2 = cpuMs();
  const delta = buildDeltaFilter(full.filter, syntheticUniverse(n, rate, d, d), { sequence: 2, verify: q });
  const deltaCpu = cpuMs() - c2;
  const ds = delta.stats;
  log(
    `  delta (${d} new, ${d} newly revoked): ${ds.bytes} bytes, ${ds.ratio.toFixed(3)}× its bound, built in ${deltaCpu.toFixed(0)} ms CPU`,
  );
  const chain = new FilterChain(full.filter, [delta.filter]);
  const chainNs = lookupNs(chain, () => randomInt(rnd, n + d), count, 3);
  const res = (
    name: string,
    unit: string,
    value: number,
    target: number | null = null,
    higherIsBetter = false,
  ): BenchResult => makeResult({ name: `filter.${name}.${label}`, unit, value, higherIsBetter, target }, q);
  return [
    res("build", "CPU ms", buildCpu, 60_000),
    res("buildWall", "ms", s.buildMs),
    res("selfCheck", "CPU ms", checkCpu),
    res("bytes", "bytes", s.bytes),
    res("boundRatio", "x", s.ratio, 1.5),
    res("bitsPerRevoked", "bits", (s.bytes * 8) / s.targets),
    res("lookupRevoked", "CPU ns/lookup", hit, 1000),
    res("lookupUniverse", "CPU ns/lookup", miss, 1000),
    res("delta.bytes", "bytes", ds.bytes),
    res("delta.boundRatio", "x", ds.ratio),
    res("delta.build", "CPU ms", deltaCpu),
    res("chainLookup", "CPU ns/lookup", chainNs, 1000),
  ];
};

if (isMain(import.meta.url))
  await runBenchmark([filterMeasurement], ["--universe=", "--revoked=", "--delta="]);
