/**
 * The twin of the live verification service (issue 10 item 6): `myna-twin serve` as the queueing
 * network it is, on engine/des with the path's {@link Station} pools, so the twin's p50/p99 can be
 * checked against the service's measured ones in the same `bench:load` run.
 *
 * The service (sim/services) does a verify in three stages, and the network has one station each:
 *
 * 1. **main thread, parse** — one server (Node's event loop): HTTP parse (half of `mainHttpMs`,
 *    node:http's own work per request, measured on a bare node:http server), JSON parse, validation,
 *    the one-time challenge (`pre` of the service's Server-Timing);
 * 2. a hop to the pool (`hopto`: hand-over to the start of the work, measured when a thread was
 *    free), **pool verify** — `workers` servers (piscina threads): chain and signature checks
 *    (`verify`), then the hop back (`hopback`: end of the work to the main thread taking the answer;
 *    measured as it is, so it also holds whatever wait for a busy main thread the live run had — a
 *    wait the twin's main-thread queue counts again, small below the knee);
 * 3. **main thread, respond** — the same one server as 1, FIFO with it: CRL lookup and answer
 *    (`post`), the HTTP write (the other half of `mainHttpMs`) — the answer leaves here — and then,
 *    in the same turn of the loop and so before any other job, the main thread's work off the
 *    request's path (`mainAfterMs`: metrics, the log line, GC and timers — the event loop's busy
 *    time per request minus `pre`, `post` and `mainHttpMs`).
 *
 * Service times are resampled from the live service's measurements: `pre`, `verify` and `post` of
 * one measured request together (so their correlation is kept), each hop independently. Arrivals follow
 * the load generator: a fixed schedule (`i / rate`, as bench/_load-open-loop.ts sends) shifted by the
 * generator's measured lateness, or Poisson. Latency is from the intended send time (the benchmark's
 * "corrected" latency). Not modelled: the loopback network and the client's own parse, preemption of
 * the service's threads by other processes other than as it shows in the measured times, GC pauses as
 * bursts (only as their mean per request in `mainAfterMs`), the event loop's phase order (the main
 * thread is modelled as one FIFO queue).
 * @module
 */
import { Environment } from "../../engine/des/index.js";
import { InputError } from "../../engine/errors.js";
import { RandomStreams } from "../../engine/random/index.js";
import { HdrHistogram } from "../../engine/stats/index.js";
import { Station } from "./station.js";

/** The live service's measured times (ms) and shape, from one benchmark step. */
export interface ServiceTwinInput {
  /** Offered load, requests per second (> 0). */
  arrivalRatePerS: number;
  /** `fixed`: request i intended at i / rate (the open-loop generator); `poisson`: exponential gaps. */
  arrivals: "fixed" | "poisson";
  /** Simulated seconds (> 0). */
  durationS: number;
  seed: number;
  /** Pool threads (≥ 1). */
  workers: number;
  /** Per measured request, same length (≥ 1): main thread before the pool hand-over. */
  preMs: readonly number[];
  /** … the check on the pool thread. */
  verifyMs: readonly number[];
  /** … main thread from the pool's answer to the response. */
  postMs: readonly number[];
  /** Hand-over to the start of the work on a free pool thread (≥ 1 sample; [0] for none). */
  hopToMs: readonly number[];
  /** End of the work on the pool thread to the main thread taking the answer (≥ 1 sample). */
  hopBackMs: readonly number[];
  /** node:http's main-thread work per request (≥ 0): half before `pre`, half after `post`. */
  mainHttpMs: number;
  /** Main-thread work per request off its path (≥ 0), right after its answer leaves. */
  mainAfterMs: number;
  /** Measured lateness of the generator's sends behind their intended times (default none). */
  sendLagMs?: readonly number[];
}

export interface ServiceTwinPrediction {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Busy share of the main thread and of the pool over the run. */
  mainUtilisation: number;
  poolUtilisation: number;
  requests: number;
}

function checkSamples(name: string, v: readonly number[], n?: number): void {
  if (v.length === 0 || (n !== undefined && v.length !== n))
    throw new InputError(
      `serviceTwin: ${name} must hold ${n === undefined ? "at least one" : `${n} (as many as preMs)`} number(s), got ${v.length}`,
    );
  const bad = v.findIndex((x) => !(x >= 0 && Number.isFinite(x)));
  if (bad >= 0) throw new InputError(`serviceTwin: ${name}[${bad}] must be a number ≥ 0, got ${v[bad]}`);
}

function checkInput(i: ServiceTwinInput): void {
  if (!(i.arrivalRatePerS > 0 && Number.isFinite(i.arrivalRatePerS)))
    throw new InputError(`serviceTwin: arrivalRatePerS must be a number > 0, got ${i.arrivalRatePerS}`);
  if (i.arrivals !== "fixed" && i.arrivals !== "poisson")
    throw new InputError(`serviceTwin: arrivals must be "fixed" or "poisson", got ${String(i.arrivals)}`);
  if (!(i.durationS > 0 && Number.isFinite(i.durationS)))
    throw new InputError(`serviceTwin: durationS must be a number > 0, got ${i.durationS}`);
  if (!Number.isSafeInteger(i.workers) || i.workers < 1)
    throw new InputError(`serviceTwin: workers must be an integer ≥ 1, got ${i.workers}`);
  checkSamples("preMs", i.preMs);
  checkSamples("verifyMs", i.verifyMs, i.preMs.length);
  checkSamples("postMs", i.postMs, i.preMs.length);
  checkSamples("hopToMs", i.hopToMs);
  checkSamples("hopBackMs", i.hopBackMs);
  if (i.sendLagMs !== undefined) checkSamples("sendLagMs", i.sendLagMs);
  for (const k of ["mainHttpMs", "mainAfterMs"] as const)
    if (!(i[k] >= 0 && Number.isFinite(i[k])))
      throw new InputError(`serviceTwin: ${k} must be a number ≥ 0, got ${i[k]}`);
}

/** Predicts the live service's latency percentiles at an offered load. Deterministic in `seed`. */
export function predictServiceTwin(i: ServiceTwinInput): ServiceTwinPrediction {
  checkInput(i);
  const streams = new RandomStreams(i.seed);
  const arrivalsRnd = streams.stream("twin.arrivals", 0);
  const svcRnd = streams.stream("twin.service", 0);
  const pick = (v: readonly number[]): number =>
    v[Math.min(v.length - 1, Math.floor(svcRnd.next() * v.length))]!;
  const env = new Environment(0, { initialCapacity: 4096 });
  const main = new Station(1);
  const pool = new Station(i.workers);
  const half = i.mainHttpMs / 2;
  const after = i.mainAfterMs;
  const endMs = i.durationS * 1000;
  const intervalMs = 1000 / i.arrivalRatePerS;
  const n = Math.max(1, Math.floor(i.durationS * i.arrivalRatePerS));
  const intended = new Float64Array(n);
  const sample = new Uint32Array(n);
  const latency = new HdrHistogram({ lowestDiscernibleValue: 1, significantDigits: 3, autoResize: true });
  const INF = Number.POSITIVE_INFINITY;

  const respond = (id: number): void => {
    // The off-path work runs in the same turn, so it is this job's tail; the answer leaves before it.
    const done = main.offer(env.now, i.postMs[sample[id]!]! + half + after, INF) - after;
    latency.record(Math.max(1, Math.round((done - intended[id]!) * 1000)));
  };
  const verify = (id: number): void => {
    const done = pool.offer(env.now, i.verifyMs[sample[id]!]!, INF);
    env.at(done + pick(i.hopBackMs), respond, id);
  };
  const arrive = (id: number): void => {
    const k = sample[id]!;
    const done = main.offer(env.now, i.preMs[k]! + half, INF);
    env.at(done + pick(i.hopToMs), verify, id);
  };

  // Intended send times, then the arrivals at the service in time order (a lag can reorder them).
  let t = 0;
  let count = 0;
  for (let id = 0; id < n; id++) {
    t = i.arrivals === "fixed" ? id * intervalMs : t + arrivalsRnd.exponentialRate(i.arrivalRatePerS / 1000);
    if (t >= endMs && i.arrivals === "poisson") break;
    intended[id] = t;
    sample[id] = Math.min(i.preMs.length - 1, Math.floor(svcRnd.next() * i.preMs.length));
    count++;
  }
  const lag = i.sendLagMs;
  const at = Float64Array.from({ length: count }, (_, id) => intended[id]! + (lag ? pick(lag) : 0));
  const order = Uint32Array.from({ length: count }, (_, id) => id).sort((a, b) => at[a]! - at[b]! || a - b);
  for (const id of order) env.at(at[id]!, arrive, id);
  env.run();

  const ms = (q: number): number => latency.valueAtPercentile(q) / 1000;
  const span = Math.max(endMs, env.now);
  return {
    p50Ms: ms(50),
    p90Ms: ms(90),
    p99Ms: ms(99),
    mainUtilisation: main.busyMs / span,
    poolUtilisation: pool.busyMs / (i.workers * span),
    requests: count,
  };
}
