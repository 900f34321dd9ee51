/**
 * The verification path as a queueing network on engine/des (issue 10 item 2): relying party →
 * platform operator (certificate parse, chain and signature verification) → J-LIS's online
 * certificate-validity service, or a local CRL check at the platform. Arrivals are a non-homogeneous
 * Poisson process with piecewise-constant hourly rates (exponential gaps; a gap crossing an hour
 * boundary restarts there with the next hour's rate, which is exact by memorylessness). Network hops
 * are log-normal delays; each pool ({@link Station}) has a client deadline, retries and a back-off.
 * Time unit: ms. Every request is simulated one by one; the kernel's callback fast path carries it
 * (≈2.5 events per request), so a national peak day fits in seconds.
 * @module
 */
import { Environment } from "../../engine/des/index.js";
import { RandomStreams, type Random } from "../../engine/random/index.js";
import { HdrHistogram } from "../../engine/stats/index.js";
import type { DelayParams, PoolParams } from "./params.js";
import { Station } from "./station.js";

export const HOUR_MS = 3_600_000;

/** A service-time draw from a uniform in [0, 1). */
export type ServiceSampler = (u: number) => number;

/** The network's structure and its service-time samplers. */
export interface PathConfig {
  rpToPlatform: DelayParams;
  platformToJlis: DelayParams;
  platform: PoolParams;
  jlis: PoolParams;
  onlineShare: number;
  /** Platform work per request (ms). */
  platformService: ServiceSampler;
  /** Extra platform work for a local CRL check (ms). */
  localCheckService: ServiceSampler;
  /** J-LIS validity-service work per query (ms). */
  jlisService: ServiceSampler;
}

export interface PathInput {
  /** Expected arrivals in each hour (the NHPP's integrated rate per hour). */
  expectedPerHour: ArrayLike<number>;
  config: PathConfig;
  seed: number;
  /** Length of one rate slot, ms (default one hour). */
  slotMs?: number;
  /** Sub-stream index (e.g. the day), so different days draw independent numbers. */
  stream?: number;
}

/** Per-hour figures of a request-level run. */
export interface HourFigures {
  arrivals: number;
  /** Latency percentiles of requests arriving in the hour (ms); null without completions. */
  p50Ms: number | null;
  p99Ms: number | null;
  platformUtilisation: number;
  jlisUtilisation: number;
}

export interface PathResult {
  arrivals: number;
  completed: number;
  /** Requests that ran out of retries. */
  failed: number;
  retries: number;
  /** End-to-end latency of completed requests, µs. */
  latencyUs: HdrHistogram;
  hours: HourFigures[];
  eventsProcessed: number;
  platformUtilisation: number;
  jlisUtilisation: number;
}

function delaySampler(r: Random, d: DelayParams): () => number {
  if (d.meanMs === 0) return () => 0;
  if (d.sdMs === 0) return () => d.meanMs;
  return () => r.lognormalMeanSd(d.meanMs, d.sdMs);
}

const newHistogram = (): HdrHistogram =>
  new HdrHistogram({ lowestDiscernibleValue: 1, significantDigits: 3, autoResize: true });

/** Runs every request of the given hours through the path, one by one. Deterministic in `seed`. */
export function simulatePath(input: PathInput): PathResult {
  const cfg = input.config;
  const SLOT = input.slotMs ?? HOUR_MS;
  const hoursN = input.expectedPerHour.length;
  const stream = input.stream ?? 0;
  const streams = new RandomStreams(input.seed);
  const arrivalsRnd = streams.stream("auth.arrivals", stream);
  const netRnd = streams.stream("auth.network", stream);
  const svcRnd = streams.stream("auth.service", stream);
  const rpDelay = delaySampler(netRnd, cfg.rpToPlatform);
  const jDelay = delaySampler(netRnd, cfg.platformToJlis);
  const env = new Environment(0, { initialCapacity: 4096 });
  const platform = new Station(cfg.platform.servers);
  const jlis = new Station(cfg.jlis.servers);
  const pBusyByHour = new Float64Array(hoursN);
  const jBusyByHour = new Float64Array(hoursN);
  const arrivalsByHour = new Float64Array(hoursN);
  const hourHist = Array.from({ length: hoursN }, newHistogram);
  const all = newHistogram();

  // Per-request state in growable typed arrays, indexed by request id.
  let cap = 1 << 16;
  let arrivedAt = new Float64Array(cap);
  let tries = new Uint8Array(cap); // low nibble: platform attempts, high nibble: J-LIS attempts
  let online = new Uint8Array(cap);
  let n = 0;
  let completed = 0;
  let failed = 0;
  let retries = 0;

  const finish = (id: number, at: number): void => {
    const lat = at - arrivedAt[id]!;
    const us = Math.max(1, Math.round(lat * 1000));
    all.record(us);
    const h = Math.min(hoursN - 1, Math.floor(arrivedAt[id]! / SLOT));
    hourHist[h]!.record(us);
    completed++;
  };

  const atJlis = (id: number): void => {
    const t = env.now;
    const s = cfg.jlisService(svcRnd.next());
    const done = jlis.offer(t, s, cfg.jlis.timeoutMs);
    if (done >= 0) {
      jBusyByHour[Math.min(hoursN - 1, Math.floor(t / SLOT))]! += s;
      if (done - t <= cfg.jlis.timeoutMs) {
        finish(id, done + jDelay() + rpDelay());
        return;
      }
    }
    const attempts = (tries[id]! >> 4) + 1;
    if (attempts > cfg.jlis.maxRetries) {
      failed++;
      return;
    }
    tries[id] = (attempts << 4) | (tries[id]! & 15);
    retries++;
    env.schedule(cfg.jlis.timeoutMs + cfg.jlis.backoffMs + jDelay(), atJlis, id);
  };

  const atPlatform = (id: number): void => {
    const t = env.now;
    const isOnline = online[id] === 1;
    let s = cfg.platformService(svcRnd.next());
    if (!isOnline) s += cfg.localCheckService(svcRnd.next());
    const done = platform.offer(t, s, cfg.platform.timeoutMs);
    if (done >= 0) {
      pBusyByHour[Math.min(hoursN - 1, Math.floor(t / SLOT))]! += s;
      if (done - t <= cfg.platform.timeoutMs) {
        if (isOnline) env.at(done + jDelay(), atJlis, id);
        else finish(id, done + rpDelay());
        return;
      }
    }
    const attempts = (tries[id]! & 15) + 1;
    if (attempts > cfg.platform.maxRetries) {
      failed++;
      return;
    }
    tries[id] = (tries[id]! & 0xf0) | attempts;
    retries++;
    env.schedule(cfg.platform.timeoutMs + cfg.platform.backoffMs + rpDelay(), atPlatform, id);
  };

  // The NHPP source: one callback per arrival schedules the next.
  const rateOf = (h: number): number => input.expectedPerHour[h]! / SLOT;
  const nextArrival = (from: number): number => {
    let t = from;
    for (;;) {
      const h = Math.floor(t / SLOT);
      if (h >= hoursN) return -1;
      const rate = rateOf(h);
      const end = (h + 1) * SLOT;
      if (rate > 0) {
        const gap = arrivalsRnd.exponentialRate(rate);
        if (t + gap < end) return t + gap;
      }
      t = end;
    }
  };
  const arrive = (): void => {
    const t = env.now;
    if (n === cap) {
      cap *= 2;
      const a = new Float64Array(cap);
      a.set(arrivedAt);
      arrivedAt = a;
      const b = new Uint8Array(cap);
      b.set(tries);
      tries = b;
      const c = new Uint8Array(cap);
      c.set(online);
      online = c;
    }
    const id = n++;
    arrivedAt[id] = t;
    online[id] = arrivalsRnd.next() < cfg.onlineShare ? 1 : 0;
    arrivalsByHour[Math.min(hoursN - 1, Math.floor(t / SLOT))]!++;
    env.schedule(rpDelay(), atPlatform, id);
    const next = nextArrival(t);
    if (next >= 0) env.at(next, arrive, undefined);
  };
  const first = nextArrival(0);
  if (first >= 0) env.at(first, arrive, undefined);
  env.run();

  const pct = (hh: HdrHistogram, q: number): number | null =>
    hh.totalCount === 0 ? null : hh.valueAtPercentile(q) / 1000;
  const hours: HourFigures[] = [];
  for (let h = 0; h < hoursN; h++)
    hours.push({
      arrivals: arrivalsByHour[h]!,
      p50Ms: pct(hourHist[h]!, 50),
      p99Ms: pct(hourHist[h]!, 99),
      platformUtilisation: pBusyByHour[h]! / (cfg.platform.servers * SLOT),
      jlisUtilisation: jBusyByHour[h]! / (cfg.jlis.servers * SLOT),
    });
  return {
    arrivals: n,
    completed,
    failed,
    retries,
    latencyUs: all,
    hours,
    eventsProcessed: env.eventsProcessed,
    platformUtilisation: platform.busyMs / (cfg.platform.servers * hoursN * SLOT),
    jlisUtilisation: jlis.busyMs / (cfg.jlis.servers * hoursN * SLOT),
  };
}
