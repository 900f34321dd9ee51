/**
 * The hourly fluid model of the verification path (issue 10 item 3): a year in seconds, validated
 * against the request-level model ({@link simulatePath}) on sampled days. Per hour and per pool:
 * offered load a = λ·E[S]; below saturation the wait is Erlang C's — probability of waiting C(c, a),
 * exponential tail with rate (cμ − λ) scaled by the Allen–Cunneen factor (1 + c_s²)/2 for general
 * service times — and at or above saturation a fluid backlog carries from hour to hour
 * (Q ← max(0, Q + (λ − cμ)·1 h)), its wait Q/(cμ) capped by the pool's deadline. Latency percentiles
 * combine the waits with the load-independent part (network hops and service), taken as a fixed
 * sample from the same distributions the request-level model draws from.
 * @module
 */
import { RandomStreams } from "../../engine/random/index.js";
import { HOUR_MS, type PathConfig } from "./network.js";

/** Erlang C: probability that an arrival waits in M/M/c with offered load `a` (< c) Erlangs. */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= c) return 1;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

/** The load-independent part of a request's latency (ms): hops and service, no queueing. */
export interface BaseSample {
  /** Sorted base latencies (ms). */
  sorted: Float64Array;
  platformMean: number;
  platformScv: number;
  jlisMean: number;
  jlisScv: number;
}

/** Draws `n` base latencies from the path's distributions (seeded; deterministic). */
export function baseSample(cfg: PathConfig, seed: number, n = 4000): BaseSample {
  const s = new RandomStreams(seed);
  const r = s.stream("auth.fluid-base");
  const delay = (m: number, sd: number): number => (m === 0 ? 0 : sd === 0 ? m : r.lognormalMeanSd(m, sd));
  const out = new Float64Array(n);
  let p1 = 0;
  let p2 = 0;
  let j1 = 0;
  let j2 = 0;
  for (let i = 0; i < n; i++) {
    const online = r.next() < cfg.onlineShare;
    let ps = cfg.platformService(r.next());
    if (!online) ps += cfg.localCheckService(r.next());
    const js = cfg.jlisService(r.next());
    p1 += ps;
    p2 += ps * ps;
    j1 += js;
    j2 += js * js;
    let t =
      delay(cfg.rpToPlatform.meanMs, cfg.rpToPlatform.sdMs) +
      delay(cfg.rpToPlatform.meanMs, cfg.rpToPlatform.sdMs) +
      ps;
    if (online)
      t +=
        delay(cfg.platformToJlis.meanMs, cfg.platformToJlis.sdMs) +
        delay(cfg.platformToJlis.meanMs, cfg.platformToJlis.sdMs) +
        js;
    out[i] = t;
  }
  out.sort();
  const pm = p1 / n;
  const jm = j1 / n;
  return {
    sorted: out,
    platformMean: pm,
    platformScv: pm > 0 ? Math.max(0, p2 / n - pm * pm) / (pm * pm) : 0,
    jlisMean: jm,
    jlisScv: jm > 0 ? Math.max(0, j2 / n - jm * jm) / (jm * jm) : 0,
  };
}

/** A pool's queueing state for one hour. */
interface PoolHour {
  /** Probability of waiting. */
  pWait: number;
  /** Mean wait of those who wait (ms). */
  meanWaitIfWaiting: number;
  /** Deterministic backlog wait when saturated (ms). */
  fluidWait: number;
  utilisation: number;
}

function poolHour(
  lambdaPerMs: number,
  servers: number,
  meanS: number,
  scv: number,
  backlogIn: number,
  deadline: number,
): { hour: PoolHour; backlogOut: number } {
  const mu = meanS > 0 ? 1 / meanS : Number.POSITIVE_INFINITY;
  const capacity = servers * mu; // per ms
  const a = lambdaPerMs * meanS;
  const backlogOut = Math.max(0, backlogIn + (lambdaPerMs - capacity) * HOUR_MS);
  if (a < servers && backlogIn === 0 && backlogOut === 0) {
    const c = erlangC(servers, a);
    const rate = (capacity - lambdaPerMs) / ((1 + scv) / 2);
    return {
      hour: { pWait: c, meanWaitIfWaiting: 1 / rate, fluidWait: 0, utilisation: a / servers },
      backlogOut,
    };
  }
  const fluidWait = Math.min(deadline, (backlogIn + backlogOut) / 2 / capacity);
  return {
    hour: { pWait: 1, meanWaitIfWaiting: 0, fluidWait, utilisation: Math.min(1, a / servers) },
    backlogOut,
  };
}

export interface FluidHour {
  arrivals: number;
  p50Ms: number;
  p99Ms: number;
  platformUtilisation: number;
  jlisUtilisation: number;
}

/**
 * Runs the fluid model over consecutive hours (`expectedPerHour`: arrivals in each hour). The backlog
 * of a saturated pool carries into the next hour.
 */
export function fluidHours(
  expectedPerHour: ArrayLike<number>,
  cfg: PathConfig,
  base: BaseSample,
): FluidHour[] {
  const out: FluidHour[] = [];
  let qp = 0;
  let qj = 0;
  const b = base.sorted;
  const n = b.length;
  const baseQ = (q: number): number => b[Math.min(n - 1, Math.floor(q * n))]!;
  for (let h = 0; h < expectedPerHour.length; h++) {
    const lam = expectedPerHour[h]! / HOUR_MS;
    const p = poolHour(
      lam,
      cfg.platform.servers,
      base.platformMean,
      base.platformScv,
      qp,
      cfg.platform.timeoutMs,
    );
    const j = poolHour(
      lam * cfg.onlineShare,
      cfg.jlis.servers,
      base.jlisMean,
      base.jlisScv,
      qj,
      cfg.jlis.timeoutMs,
    );
    qp = p.backlogOut;
    qj = j.backlogOut;
    const fixed = p.hour.fluidWait + cfg.onlineShare * j.hour.fluidWait;
    // Waiting as one mixture: P(wait) and its mean, over online and local requests.
    const pw =
      1 -
      (1 - p.hour.pWait * (p.hour.meanWaitIfWaiting > 0 ? 1 : 0)) *
        (1 - cfg.onlineShare * j.hour.pWait * (j.hour.meanWaitIfWaiting > 0 ? 1 : 0));
    const meanW =
      p.hour.pWait * p.hour.meanWaitIfWaiting + cfg.onlineShare * j.hour.pWait * j.hour.meanWaitIfWaiting;
    let p50: number;
    let p99: number;
    // Waits that add under 0.01 % of the median on average leave the percentiles as they are.
    if (pw < 1e-4 || pw * meanW < 1e-4 * baseQ(0.5)) {
      p50 = baseQ(0.5) + fixed;
      p99 = baseQ(0.99) + fixed;
    } else {
      const theta = pw / meanW;
      const cdf = (x: number): number => {
        let s = 0;
        for (let i = 0; i < n; i += 4) {
          const w = x - b[i]!;
          if (w >= 0) s += 1 - pw * Math.exp(-theta * w);
        }
        return s / Math.ceil(n / 4);
      };
      const quant = (q: number): number => {
        let lo = b[0]!;
        let hi = b[n - 1]! + (50 * meanW) / Math.max(pw, 1e-9);
        for (let k = 0; k < 40; k++) {
          const mid = (lo + hi) / 2;
          if (cdf(mid) < q) lo = mid;
          else hi = mid;
        }
        return hi;
      };
      p50 = quant(0.5) + fixed;
      p99 = quant(0.99) + fixed;
    }
    out.push({
      arrivals: expectedPerHour[h]!,
      p50Ms: p50,
      p99Ms: p99,
      platformUtilisation: p.hour.utilisation,
      jlisUtilisation: j.hour.utilisation,
    });
  }
  return out;
}
