/**
 * The twin of the live verification service (issue 10 item 6): `myna-twin serve` as the queueing
 * network it is, on engine/des, so the twin's p50/p99 can be checked against the service's measured
 * ones in the same `bench:load` run.
 *
 * The service (sim/services) does a verify in three stages, and the network has one station each:
 *
 * 1. **main thread, parse** — one server (Node's event loop): HTTP parse (half of `mainHttpMs`,
 *    node:http's own work per request, measured on a bare node:http server), validation, the
 *    one-time challenge (`pre` of the service's Server-Timing: from the body in hand, without a
 *    break — the time before, reading the body, holds waits; its JSON parse counts with the
 *    off-path work below);
 * 2. **the pool** — `workers` threads (piscina), run as the service's VerifyPool runs them: a job
 *    handed over while a thread is free leaves at once; the others wait and leave together (up to
 *    `maxBatch`) when a thread comes free. A thread is held from the hand-over — the hop to it
 *    (`hopto`), then the batch's checks one after another (`verify`) — until the main thread takes
 *    the batch's answers back: the hop back (`hopback`, measured as it is, so it also holds whatever
 *    wait for a busy main thread the live run had), and the end of a main-thread pause if one is
 *    on. A stalled hop or a paused main thread so holds up every job behind it;
 * 3. **main thread, respond** — the same one server as 1, FIFO with it: CRL lookup and answer
 *    (`post`), the HTTP write (the other half of `mainHttpMs`) — the answer leaves here — and then,
 *    in the same turn of the loop and so before any other job, the main thread's work off the
 *    request's path (`mainAfterMs`: metrics, the log line, GC and timers — the event loop's busy
 *    time per request minus `pre`, `post` and `mainHttpMs`).
 *
 * Service times come from the live service's measurements: `pre`, `verify` and `post` of one
 * measured request together (so their correlation is kept), the hops of the batch a measured request
 * went in. Drawn at random (independently), or — given which request each sample is (`trace`) —
 * replayed: simulated request i takes measured request i's, sent at the same time. On a shared
 * machine a thread waits for a core for a while, and the segments measured meanwhile are all slow
 * together, which independent draws spread out. Arrivals follow the load generator: a fixed
 * schedule (`i / rate`, as bench/_load-open-loop.ts sends) shifted by the generator's measured
 * lateness in send order (its sends leave in bursts, one per timer tick), or Poisson. Latency is
 * from the intended send time (the benchmark's "corrected" latency).
 *
 * Waiting for a core (`outside`): the measured segments hold whatever waits for a core happened
 * inside them, but two waits fall outside every segment — the main thread getting a core when a
 * request finds it idle (before node:http reads it), and the client getting a core to read the
 * answer — so they are added, each an exponential wait with the thread's measured mean run-queue
 * delay per time slice (Linux schedstat, same step), plus the client's measured CPU to read an
 * answer. Either thread waiting for a core holds up what queues behind it.
 *
 * Pauses (`mainPauses`, `clientPauses`): the service's main thread stops now and then for tens of ms
 * (garbage collection), and every request that arrives meanwhile waits — a tail no per-request
 * segment holds. The measured pauses of the same step (start and length, on the twin's clock) are
 * replayed, cyclically, as vacations of the main-thread server: a job in service when a pause
 * starts finishes that much later, and none starts during one ({@link PauseTrace}). The client's
 * (load generator's) pauses delay the reading of an answer that arrives during one. Not modelled:
 * the loopback network, the pool threads' own pauses (but with a trace, the segments they fell in
 * keep their place), the event loop's phase order (the main thread is modelled as one FIFO queue),
 * the shape of the run-queue waits (only their mean).
 * @module
 */
import { Environment, URGENT } from "../../engine/des/index.js";
import { InputError } from "../../engine/errors.js";
import { RandomStreams } from "../../engine/random/index.js";
import { HdrHistogram } from "../../engine/stats/index.js";

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
  /** Most jobs sent to a thread together (≥ 1; default 32, the service's `MAX_BATCH`). */
  maxBatch?: number;
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
  /**
   * Measured lateness of the generator's requests behind their intended times, in send order
   * (default none): request i reaches the service `sendLagMs[i % length]` late (the end of its
   * write). In order, not resampled: the generator sends whatever fell due during one timer tick
   * together, so its lags come in runs (bursts).
   */
  sendLagMs?: readonly number[];
  /**
   * Latency from the actual send (intended time + lag) rather than from the intended time: the
   * benchmark's "raw" latency instead of its "corrected" one (default false).
   */
  fromSend?: boolean;
  /**
   * Waits outside every measured segment (default none): the main thread's wait for a core when a
   * request finds it idle (before node:http reads it; no Server-Timing segment covers it), and the
   * client's reading of the answer — its CPU and, when its thread was idle, its wait for a core.
   * Means of exponential waits, measured (schedstat run-queue delay per time slice).
   */
  outside?: { mainWakeMs: number; generatorWakeMs: number; generatorReadMs: number };
  /**
   * The service's main-thread pauses (measured, e.g. GC), replayed every `periodMs` from time 0 (the
   * first intended send); default none.
   */
  mainPauses?: PauseInput;
  /** The client's (load generator's) pauses, same form: an answer arriving during one is read at its end. */
  clientPauses?: PauseInput;
  /**
   * The main thread's waits for a core (measured run-queue delay, same form; default none): replayed
   * as pauses of its work, but not after a hop back, whose measurement holds them already. With them,
   * `outside.mainWakeMs` should be 0.
   */
  mainWaits?: PauseInput;
  /** The client's waits for a core, replayed as its pauses (`outside.generatorWakeMs` then 0). */
  clientWaits?: PauseInput;
  /**
   * Which measured request each sample is (default none: samples are drawn at random,
   * independently). With it the twin replays them as a trace: its request i (whose send follows
   * `sendLagMs[i]`, the same measured request's) takes the segments of measured request
   * `i % count`, or of the nearest one (by index) with a sample, and a batch the hops of its first
   * request's — so that a stretch of slow segments (a thread waiting for a core for a while) keeps
   * its place in time. `hopToMs` and `hopBackMs` then hold one sample per request, as `preMs`.
   */
  trace?: RequestTrace;
}

/** The measured request of each sample of a {@link ServiceTwinInput}. */
export interface RequestTrace {
  /** Per sample of `preMs`, its request's index in send order (0 ≤ id < count). */
  readonly requestIds: readonly number[];
  /** Requests the step sent (> 0): the trace repeats with this period. */
  readonly count: number;
}

/**
 * For each request id of a trace, its sample, or that of the nearest request (by id; the earlier on
 * a tie) with one.
 */
function samplesById(t: RequestTrace): Int32Array {
  const own = new Int32Array(t.count).fill(-1);
  t.requestIds.forEach((id, k) => {
    if (own[id] === -1) own[id] = k;
  });
  const before = new Int32Array(t.count);
  for (let id = 0, last = -1; id < t.count; id++) {
    if (own[id] !== -1) last = id;
    before[id] = last;
  }
  const out = new Int32Array(t.count);
  for (let id = t.count - 1, next = -1; id >= 0; id--) {
    if (own[id] !== -1) next = id;
    const b = before[id]!;
    out[id] = own[b < 0 ? next : next < 0 || id - b <= next - id ? b : next]!;
  }
  return out;
}

/** Measured pauses of one thread over `periodMs`: starts (ms from the period's start) and lengths. */
export interface PauseInput {
  readonly atMs: readonly number[];
  readonly ms: readonly number[];
  /** Length of the measured span (> 0); the pauses repeat with this period. */
  readonly periodMs: number;
}

/**
 * A thread's pauses, repeating every `periodMs`: when a thread that is not paused next runs, and
 * when work started at some time is done if every pause interrupts it. Overlapping pauses are
 * merged, pauses are clipped to the period.
 */
export class PauseTrace {
  readonly #start: Float64Array;
  readonly #end: Float64Array;
  readonly #period: number;
  /** Paused time per period, ms. */
  readonly pausedMs: number;

  constructor(p: PauseInput) {
    const period = p.periodMs;
    const order = p.atMs.map((_, k) => k).sort((a, b) => p.atMs[a]! - p.atMs[b]!);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const k of order) {
      const a = p.atMs[k]!;
      const b = Math.min(period, a + p.ms[k]!);
      if (b <= a) continue;
      const n = ends.length;
      if (n > 0 && a <= ends[n - 1]!) ends[n - 1] = Math.max(ends[n - 1]!, b);
      else {
        starts.push(a);
        ends.push(b);
      }
    }
    this.#start = Float64Array.from(starts);
    this.#end = Float64Array.from(ends);
    this.#period = period;
    this.pausedMs = ends.reduce((sum, e, k) => sum + e - starts[k]!, 0);
  }

  /** Index (in cycle terms: cycle × count + k) of the first pause ending after `t`. */
  #next(t: number): number {
    const n = this.#end.length;
    const cycle = Math.floor(t / this.#period);
    const r = t - cycle * this.#period;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#end[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return cycle * n + lo;
  }

  #startOf(j: number): number {
    const n = this.#end.length;
    return Math.floor(j / n) * this.#period + this.#start[j % n]!;
  }

  #endOf(j: number): number {
    const n = this.#end.length;
    return Math.floor(j / n) * this.#period + this.#end[j % n]!;
  }

  /** The first moment ≥ `t` when the thread is not paused. */
  resume(t: number): number {
    if (this.#end.length === 0) return t;
    const j = this.#next(t);
    return this.#startOf(j) <= t ? this.#endOf(j) : t;
  }

  /** When `work` ms of work that may start at `t` is done, every pause from `t` on interrupting it. */
  finish(t: number, work: number): number {
    if (this.#end.length === 0) return t + work;
    let now = this.resume(t);
    let left = work;
    for (let j = this.#next(now); ; j++) {
      const s = this.#startOf(j);
      if (now + left <= s) return now + left;
      left -= s - now;
      now = this.#endOf(j);
    }
  }
}

/**
 * One thread's pauses of two kinds (GC and waits for a core, measured over the same span) as one
 * trace, with the first's period; undefined for none.
 */
function mergedTrace(a: PauseInput | undefined, b: PauseInput | undefined): PauseTrace | undefined {
  if (!a || !b) return a || b ? new PauseTrace((a ?? b)!) : undefined;
  return new PauseTrace({ atMs: [...a.atMs, ...b.atMs], ms: [...a.ms, ...b.ms], periodMs: a.periodMs });
}

/** A one-server FIFO station (the main thread, the client) with pauses: jobs offered in time order. */
class PausedServer {
  #freeAt = 0;
  busyMs = 0;
  constructor(readonly pauses: PauseTrace | undefined) {}

  get freeAt(): number {
    return this.#freeAt;
  }

  /** Serves `work` ms from `t` (or when the server frees); returns its end. */
  offer(t: number, work: number): number {
    const start = Math.max(t, this.#freeAt);
    this.#freeAt = this.pauses ? this.pauses.finish(start, work) : start + work;
    this.busyMs += work;
    return this.#freeAt;
  }
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

function checkPauses(name: string, p: PauseInput): void {
  if (!(p.periodMs > 0 && Number.isFinite(p.periodMs)))
    throw new InputError(`serviceTwin: ${name}.periodMs must be a number > 0, got ${p.periodMs}`);
  if (p.atMs.length !== p.ms.length)
    throw new InputError(
      `serviceTwin: ${name}.atMs and ${name}.ms must be as long as each other, got ${p.atMs.length} and ${p.ms.length}`,
    );
  for (const k of ["atMs", "ms"] as const) {
    const bad = p[k].findIndex((x) => !(x >= 0 && Number.isFinite(x)));
    if (bad >= 0)
      throw new InputError(`serviceTwin: ${name}.${k}[${bad}] must be a number ≥ 0, got ${p[k][bad]}`);
  }
}

function checkTrace(i: ServiceTwinInput): void {
  const t = i.trace!;
  if (!Number.isSafeInteger(t.count) || t.count < 1)
    throw new InputError(`serviceTwin: trace.count must be an integer ≥ 1, got ${t.count}`);
  if (t.requestIds.length !== i.preMs.length)
    throw new InputError(
      `serviceTwin: trace.requestIds must hold one request per preMs sample (${i.preMs.length}), got ${t.requestIds.length}`,
    );
  const bad = t.requestIds.findIndex((id) => !(Number.isSafeInteger(id) && id >= 0 && id < t.count));
  if (bad >= 0)
    throw new InputError(
      `serviceTwin: trace.requestIds[${bad}] must be an integer in [0, ${t.count}), got ${t.requestIds[bad]}`,
    );
  for (const k of ["hopToMs", "hopBackMs"] as const)
    if (i[k].length !== i.preMs.length)
      throw new InputError(
        `serviceTwin: with a trace, ${k} must hold one sample per request (${i.preMs.length}), got ${i[k].length}`,
      );
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
  if (i.maxBatch !== undefined && (!Number.isSafeInteger(i.maxBatch) || i.maxBatch < 1))
    throw new InputError(`serviceTwin: maxBatch must be an integer ≥ 1, got ${i.maxBatch}`);
  checkSamples("preMs", i.preMs);
  checkSamples("verifyMs", i.verifyMs, i.preMs.length);
  checkSamples("postMs", i.postMs, i.preMs.length);
  checkSamples("hopToMs", i.hopToMs);
  checkSamples("hopBackMs", i.hopBackMs);
  if (i.sendLagMs !== undefined) checkSamples("sendLagMs", i.sendLagMs);
  for (const k of ["mainHttpMs", "mainAfterMs"] as const)
    if (!(i[k] >= 0 && Number.isFinite(i[k])))
      throw new InputError(`serviceTwin: ${k} must be a number ≥ 0, got ${i[k]}`);
  for (const k of ["mainPauses", "clientPauses", "mainWaits", "clientWaits"] as const)
    if (i[k]) checkPauses(k, i[k]);
  if (i.trace) checkTrace(i);
  if (i.outside)
    for (const k of ["mainWakeMs", "generatorWakeMs", "generatorReadMs"] as const)
      if (!(i.outside[k] >= 0 && Number.isFinite(i.outside[k])))
        throw new InputError(`serviceTwin: outside.${k} must be a number ≥ 0, got ${i.outside[k]}`);
}

/** Predicts the live service's latency percentiles at an offered load. Deterministic in `seed`. */
export function predictServiceTwin(i: ServiceTwinInput): ServiceTwinPrediction {
  checkInput(i);
  const streams = new RandomStreams(i.seed);
  const arrivalsRnd = streams.stream("twin.arrivals", 0);
  const svcRnd = streams.stream("twin.service", 0);
  const pick = (v: readonly number[]): number =>
    v[Math.min(v.length - 1, Math.floor(svcRnd.next() * v.length))]!;
  const traced = i.trace && samplesById(i.trace);
  const env = new Environment(0, { initialCapacity: 4096 });
  const mainPauses = i.mainPauses && new PauseTrace(i.mainPauses);
  const main = new PausedServer(mergedTrace(i.mainPauses, i.mainWaits));
  const clientPauses = mergedTrace(i.clientPauses, i.clientWaits);
  const maxBatch = i.maxBatch ?? 32;
  const half = i.mainHttpMs / 2;
  const after = i.mainAfterMs;
  const endMs = i.durationS * 1000;
  const intervalMs = 1000 / i.arrivalRatePerS;
  const n = Math.max(1, Math.floor(i.durationS * i.arrivalRatePerS));
  const intended = new Float64Array(n);
  const sample = new Uint32Array(n);
  const latency = new HdrHistogram({ lowestDiscernibleValue: 1, significantDigits: 3, autoResize: true });

  const o = i.outside;
  const waitRnd = streams.stream("twin.wake", 0);
  const expo = (m: number): number => (m > 0 ? -m * Math.log(1 - waitRnd.next()) : 0);
  const client = new PausedServer(clientPauses);
  const respond = (id: number): void => {
    // The off-path work runs in the same turn, so it is this job's tail; the answer leaves before it.
    const done = main.offer(env.now, i.postMs[sample[id]!]! + half);
    main.offer(done, after);
    // The client reads the answer (answers leave the FIFO main thread in time order): if its
    // thread is idle, it first waits for a core, and meanwhile reads nothing else.
    const read = o ? (client.freeAt <= done ? expo(o.generatorWakeMs) : 0) + o.generatorReadMs : 0;
    const end = o || clientPauses ? client.offer(done, read) : done;
    latency.record(Math.max(1, Math.round((end - from[id]!) * 1000)));
  };
  // The pool as VerifyPool runs it: a job handed over while a thread is free leaves at once; the
  // others wait and leave together (up to maxBatch) when a thread comes free. A thread is held from
  // the hand-over (its hop, then the batch's checks one after another) until the main thread takes
  // the batch's answers back — a stalled hop or a paused main thread holds up every job behind it.
  const waiting: number[] = [];
  let waitHead = 0;
  let running = 0;
  let poolBusyMs = 0;
  const dispatch = (): void => {
    const n = Math.min(maxBatch, waiting.length - waitHead);
    const batch = waiting.slice(waitHead, waitHead + n);
    waitHead += n;
    if (waitHead === waiting.length) waiting.length = waitHead = 0;
    running++;
    // Traced: the hops of the batch the first request went in; else independent draws.
    const first = traced && sample[batch[0]!]!;
    let end = env.now + (traced ? i.hopToMs[first!]! : pick(i.hopToMs));
    for (const id of batch) {
      const work = i.verifyMs[sample[id]!]!;
      end += work;
      poolBusyMs += work;
    }
    env.at(end + (traced ? i.hopBackMs[first!]! : pick(i.hopBackMs)), back, batch);
  };
  const release = (): void => {
    running--;
    if (waitHead < waiting.length) dispatch();
  };
  const back = (batch: number[]): void => {
    // The main thread takes the answers — the measured hop back holds the live run's wait for a
    // busy main thread, so only a pause (replayed here, left out of the samples) comes on top …
    const take = mainPauses ? mainPauses.resume(env.now) : env.now;
    // … frees the thread, sending it the jobs that waited meanwhile, then answers each.
    env.at(take, release, undefined, URGENT);
    for (const id of batch) respond(id);
  };
  const handOver = (id: number): void => {
    waiting.push(id);
    if (running < i.workers) dispatch();
  };
  // A request that finds the main thread idle waits for it to get a core before it is read — and
  // so does every request behind it.
  const arrive = (id: number): void => {
    const wake = o && main.freeAt <= env.now ? expo(o.mainWakeMs) : 0;
    env.at(main.offer(env.now, wake + i.preMs[sample[id]!]! + half), handOver, id);
  };

  // Intended send times, then the arrivals at the service in time order (a lag can reorder them).
  let t = 0;
  let count = 0;
  for (let id = 0; id < n; id++) {
    t = i.arrivals === "fixed" ? id * intervalMs : t + arrivalsRnd.exponentialRate(i.arrivalRatePerS / 1000);
    if (t >= endMs && i.arrivals === "poisson") break;
    intended[id] = t;
    count++;
  }
  const lag = i.sendLagMs;
  const at = Float64Array.from(
    { length: count },
    (_, id) => intended[id]! + (lag ? lag[id % lag.length]! : 0),
  );
  for (let id = 0; id < count; id++)
    sample[id] = traced
      ? traced[id % traced.length]!
      : Math.min(i.preMs.length - 1, Math.floor(svcRnd.next() * i.preMs.length));
  const from = i.fromSend ? at : intended;
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
    poolUtilisation: poolBusyMs / (i.workers * span),
    requests: count,
  };
}
