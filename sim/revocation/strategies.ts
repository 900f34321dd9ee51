/**
 * The distribution strategies compared on one workload (issue 11 item 2): (a) a daily full CRL,
 * (b) full + deltas (hourly over a daily base, daily over a base every `deltaBaseDays`), (c) N serial partitions named in
 * each certificate's CRL DP, (d) online status queries to a J-LIS validity service, (e) a pushed
 * CRLite-style filter (sim/revocation/filter, plugged in through {@link FilterSizer}). For each
 * strategy and relying-party class: bytes per verifier per day, staleness (the revoked-to-known delay
 * distribution), lookup cost, server load at the peak and what fails when the distribution point is
 * down. One {@link Strategy} interface; the figures come from the flow (flow.ts) and the exact CRL
 * sizes (artefacts.ts), never from constants.
 * @module
 */
import type { CrlShape } from "./artefacts.js";
import { crlBytes } from "./artefacts.js";
import type { FlowResult } from "./flow.js";
import type { CertType, RelyingPartyClass, RevocationParams } from "./params.js";

/** Sizes of a pushed filter for a universe of certificates with some revoked (strategy e). */
export interface FilterSizer {
  readonly label: string;
  /** Bytes of a full filter over `universe` certificates of which `revoked` are revoked. */
  fullBytes(universe: number, revoked: number): number;
  /** Bytes of a delta filter flipping `changed` of `universe` answers. */
  deltaBytes(universe: number, changed: number): number;
  /** A delta is published every this many hours; a full filter every `fullEveryDays`. */
  readonly deltaHours: number;
  readonly fullEveryDays: number;
  readonly lookup: string;
}

/** Everything the strategies read. */
export interface StrategyContext {
  readonly flow: FlowResult;
  readonly params: RevocationParams;
  /** Entry-less CRL shapes per type (artefacts.ts crlShape of the built artefacts). */
  readonly shapes: Readonly<Record<CertType, { full: CrlShape; delta: CrlShape; partition: CrlShape }>>;
  readonly perEntry: number;
  /** Bytes of one signed status response (measured on the built artefact). */
  readonly statusResponseBytes: number;
  readonly filter: FilterSizer | null;
}

/** Revoked-to-known delay quantiles, hours. */
export interface Staleness {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** One strategy. */
export interface Strategy {
  readonly id: string;
  readonly label: string;
  /** Bytes and requests of one verifier of class `rp` on day index `t`. */
  perVerifier(ctx: StrategyContext, rp: RelyingPartyClass, t: number): { bytes: number; requests: number };
  /** Requests per second and bytes per second at the distribution point for class `rp` at the peak. */
  peak(
    ctx: StrategyContext,
    rp: RelyingPartyClass,
    t: number,
  ): { requestsPerSecond: number; bytesPerSecond: number };
  staleness(ctx: StrategyContext): Staleness;
  /** What one lookup costs the verifier (structure and steps; the run measures time separately). */
  lookup(ctx: StrategyContext): string;
  readonly whenDown: string;
  readonly privacy: string;
}

/**
 * Quantiles of U(0, period) + U(0, window) + lag, hours: a revocation waits for the next publication
 * (revocations are spread evenly over the day) and the verifier fetches at its own offset within the
 * fetch window after publication.
 */
export function stalenessQuantiles(periodH: number, windowH: number, lagH: number): Staleness {
  const a = Math.max(0, periodH);
  const b = Math.max(0, windowH);
  const cdf = (x: number): number => {
    if (x <= 0) return 0;
    if (a === 0 && b === 0) return 1;
    if (a === 0) return Math.min(1, x / b);
    if (b === 0) return Math.min(1, x / a);
    // CDF of the sum of two independent uniforms (trapezoid density)
    const [lo, hi] = a < b ? [a, b] : [b, a];
    if (x >= lo + hi) return 1;
    if (x <= lo) return (x * x) / (2 * lo * hi);
    if (x <= hi) return (x - lo / 2) / hi;
    const r = lo + hi - x;
    return 1 - (r * r) / (2 * lo * hi);
  };
  const q = (p: number): number => {
    let lo = 0;
    let hi = a + b;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < p) lo = mid;
      else hi = mid;
    }
    return hi + lagH;
  };
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: a + b + lagH };
}

/** Live CAs of a type on day t (generations with entries) and their entry counts. */
function liveEntries(flow: FlowResult, type: CertType, t: number): number[] {
  const out: number[] = [];
  for (const ca of flow.cas) if (ca.type === type && ca.entries[t]! >= 0.5) out.push(ca.entries[t]!);
  return out.length > 0 ? out : [0];
}

function addedOf(flow: FlowResult, type: CertType, from: number, to: number): number {
  let s = 0;
  for (const ca of flow.cas)
    if (ca.type === type) for (let d = Math.max(0, from); d <= to; d++) s += ca.added[d]!;
  return s;
}

/**
 * Checks per day by the whole class on day t: its calibrated volume scaled by the cards in
 * circulation (valid authentication certificates) against the cards it was calibrated on.
 */
export function checksOn(ctx: StrategyContext, rp: RelyingPartyClass, t: number): number {
  return (rp.checksPerDay * ctx.flow.valid.auth[t]!) / ctx.params.referenceCards;
}

/** Full CRL bytes of every live CA of `type` on day t. */
export function fullCrlBytes(ctx: StrategyContext, type: CertType, t: number): number {
  return liveEntries(ctx.flow, type, t).reduce(
    (s, n) => s + crlBytes(ctx.shapes[type].full, n, ctx.perEntry),
    0,
  );
}

const fetchWindowH = (ctx: StrategyContext): number => ctx.params.strategies.fetchWindowMinutes / 60;
const lagH = (ctx: StrategyContext): number => ctx.params.strategies.publicationLagMinutes / 60;

function pullPeak(
  ctx: StrategyContext,
  rp: RelyingPartyClass,
  bytesPerFetch: number,
  fetchesPerPublication: number,
  windowH: number,
) {
  const seconds = Math.max(1, windowH * 3600);
  return {
    requestsPerSecond: (rp.verifiers * fetchesPerPublication) / seconds,
    bytesPerSecond: (rp.verifiers * bytesPerFetch) / seconds,
  };
}

/** (a) one full CRL per CA, published daily. */
const fullDaily: Strategy = {
  id: "a-full",
  label: "(a) daily full CRL",
  perVerifier(ctx, rp, t) {
    let bytes = 0;
    let requests = 0;
    for (const type of rp.certTypes) {
      bytes += fullCrlBytes(ctx, type, t);
      requests += liveEntries(ctx.flow, type, t).length;
    }
    return { bytes, requests };
  },
  peak(ctx, rp, t) {
    const v = this.perVerifier(ctx, rp, t);
    return pullPeak(ctx, rp, v.bytes, v.requests, fetchWindowH(ctx));
  },
  staleness: (ctx) => stalenessQuantiles(24, fetchWindowH(ctx), lagH(ctx)),
  lookup: () => "index build over the whole CRL once a day, then one hash probe per check (CrlIndex)",
  whenDown:
    "verifiers keep yesterday's CRL until its nextUpdate (30 h here); past it RFC 5280 hard-fail rejects every certificate, soft-fail accepts revoked ones",
  privacy: "none: the operator sees only who downloads the CRL",
};

/**
 * (b) a full base CRL every `B` days and a delta every `hours` hours listing what was revoked since
 * the base: hourly deltas over a daily base, daily deltas over a base every `deltaBaseDays`.
 */
function deltaStrategy(hours: number, B: number): Strategy {
  const perDay = 24 / hours;
  const every = B === 1 ? "daily" : B === 7 ? "weekly" : `${B}-day`;
  return {
    id: hours === 1 ? "b-delta-hourly" : "b-delta-daily",
    label: `(b) ${every} base + ${hours === 1 ? "hourly" : "daily"} delta CRLs`,
    perVerifier(ctx, rp, t) {
      const base = t - (t % B);
      let bytes = 0;
      let requests = 0;
      for (const type of rp.certTypes) {
        const cas = liveEntries(ctx.flow, type, t).length;
        bytes += fullCrlBytes(ctx, type, base) / B;
        requests += cas / B;
        const before = addedOf(ctx.flow, type, base + 1, t - 1);
        const today = addedOf(ctx.flow, type, t, t);
        // the k-th of `perDay` deltas today lists everything added since the base up to its hour
        const mean =
          t === base ? (today * (perDay + 1)) / (2 * perDay) : before + (today * (perDay + 1)) / (2 * perDay);
        bytes += perDay * crlBytes(ctx.shapes[type].delta, mean / cas, ctx.perEntry) * cas;
        requests += perDay * cas;
      }
      return { bytes, requests };
    },
    peak(ctx, rp, t) {
      // the heaviest publication: a base day's full CRLs fetched within the window
      let bytes = 0;
      let requests = 0;
      for (const type of rp.certTypes) {
        bytes += fullCrlBytes(ctx, type, t);
        requests += liveEntries(ctx.flow, type, t).length;
      }
      return pullPeak(ctx, rp, bytes, requests, Math.min(fetchWindowH(ctx), hours));
    },
    staleness: (ctx) => stalenessQuantiles(hours, Math.min(fetchWindowH(ctx), hours), lagH(ctx)),
    lookup: () => "two index probes (base and delta, RFC 5280 §5.2.4); the base index is rebuilt weekly",
    whenDown:
      "deltas stop: the base stays usable to its nextUpdate, revocations since the last delta go unseen; the client must support deltas (OpenSSL needs -use_deltas)",
    privacy: "none: only downloads are seen",
  };
}

/** Expected distinct partitions touched by `checks` uniformly spread checks over `n` partitions. */
export function partitionsTouched(n: number, checks: number): number {
  if (checks <= 0) return 0;
  return n * (1 - Math.pow(1 - 1 / n, checks));
}

/** (c) N partitions by serial, fetched on demand (the one named in the certificate). */
const partitioned: Strategy = {
  id: "c-partitions",
  label: "(c) serial partitions (CRL DP per certificate)",
  perVerifier(ctx, rp, t) {
    const n = ctx.params.strategies.partitions;
    const checks = checksOn(ctx, rp, t) / rp.verifiers;
    let bytes = 0;
    let requests = 0;
    for (const type of rp.certTypes) {
      for (const entries of liveEntries(ctx.flow, type, t)) {
        const touched = partitionsTouched(n, checks / rp.certTypes.length);
        bytes += touched * crlBytes(ctx.shapes[type].partition, entries / n, ctx.perEntry);
        requests += touched;
      }
    }
    return { bytes, requests };
  },
  peak(ctx, rp, t) {
    const v = this.perVerifier(ctx, rp, t);
    // fetched on first use after publication: the busiest hour of checks carries the share of fetches
    const seconds = 3600;
    return {
      requestsPerSecond: (rp.verifiers * v.requests * rp.peakHourShare) / seconds,
      bytesPerSecond: (rp.verifiers * v.bytes * rp.peakHourShare) / seconds,
    };
  },
  staleness: (ctx) => stalenessQuantiles(24, fetchWindowH(ctx), lagH(ctx)),
  lookup: (ctx) =>
    `one partition of 1/${ctx.params.strategies.partitions} of the CRL indexed on first use, then one hash probe`,
  whenDown:
    "only partitions not yet cached fail: a verifier that has not fetched a certificate's partition today cannot check it",
  privacy: "small: the partition fetched hints at which 1/N of the serials is being checked",
};

/** (d) online status queries to the J-LIS validity service. */
const online: Strategy = {
  id: "d-online",
  label: "(d) online status query (validity service)",
  perVerifier(ctx, rp, t) {
    const checks = checksOn(ctx, rp, t) / rp.verifiers;
    return {
      bytes: checks * (ctx.statusResponseBytes + ctx.params.strategies.onlineRequestBytes),
      requests: checks,
    };
  },
  peak(ctx, rp, t) {
    const rps = (checksOn(ctx, rp, t) * rp.peakHourShare) / 3600;
    return {
      requestsPerSecond: rps,
      bytesPerSecond: rps * (ctx.statusResponseBytes + ctx.params.strategies.onlineRequestBytes),
    };
  },
  staleness: (ctx) => stalenessQuantiles(0, 0, ctx.params.strategies.onlinePropagationMinutes / 60),
  lookup: () => "one network round trip and one signature verification per check",
  whenDown: "every check fails (hard-fail) or every revoked certificate passes (soft-fail)",
  privacy:
    "the operator learns who checked which card when: every query names the certificate serial, the relying party and the time (¥20 per signature-certificate query, FACTS §3.1)",
};

/** (e) a pushed filter: full every `fullEveryDays`, deltas every `deltaHours` (filter-strategy.ts). */
const pushedFilter: Strategy = {
  id: "e-filter",
  label: "(e) pushed CRLite-style filter",
  perVerifier(ctx, rp, t) {
    const f = ctx.filter!;
    let bytes = 0;
    let requests = 0;
    for (const type of rp.certTypes) {
      const universe = ctx.flow.valid[type][t]! + liveEntries(ctx.flow, type, t).reduce((a, b) => a + b, 0);
      const revoked = liveEntries(ctx.flow, type, t).reduce((a, b) => a + b, 0);
      // a delta flips the answers of the certificates revoked since the last one
      const perDelta = addedOf(ctx.flow, type, t, t) / (24 / f.deltaHours);
      bytes +=
        f.fullBytes(universe, revoked) / f.fullEveryDays +
        (24 / f.deltaHours) * f.deltaBytes(universe, perDelta);
      requests += 1 / f.fullEveryDays + 24 / f.deltaHours;
    }
    return { bytes, requests };
  },
  peak(ctx, rp, t) {
    const v = this.perVerifier(ctx, rp, t);
    const f = ctx.filter!;
    return pullPeak(ctx, rp, v.bytes / v.requests, 1, Math.min(fetchWindowH(ctx), f.deltaHours));
  },
  staleness: (ctx) => {
    const f = ctx.filter!;
    return stalenessQuantiles(f.deltaHours, Math.min(fetchWindowH(ctx), f.deltaHours), lagH(ctx));
  },
  lookup: (ctx) => ctx.filter!.lookup,
  whenDown: "verifiers keep answering from the last filter and deltas; only revocations since then go unseen",
  privacy: "none: everyone receives the same filter",
};

/** The strategies in table order; (e) only when a filter sizer is given. */
export function strategies(ctx: StrategyContext): Strategy[] {
  const list = [
    fullDaily,
    deltaStrategy(1, 1),
    deltaStrategy(24, ctx.params.strategies.deltaBaseDays),
    partitioned,
    online,
  ];
  if (ctx.filter) list.push(pushedFilter);
  return list;
}
