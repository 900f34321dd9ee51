/**
 * An open-loop HTTP load generator (issue 10 item 5; DESIGN.md §8): requests leave on a fixed
 * schedule of intended send times (`i / rate` after the start) whatever the server does, so a slow
 * server cannot slow the arrivals down (no coordinated omission, Tene's "How NOT to measure latency").
 * Each request's latency is recorded twice in HDR histograms (engine/stats/hdr-histogram.ts, µs):
 * **corrected** — from its intended send time to the end of the answer — and **raw** — from the
 * moment its bytes were handed to the socket. The generator's own lateness is measured: a send more
 * than `lateMs` behind its intended time is *late*, one refused because `maxOutstanding` requests
 * are already open is *dropped*; a run with > 1 % late sends or any dropped one is **void** (the
 * generator, not the server, set the pace). Runs in its own process (bench/_load-generator.ts).
 * @module
 */
import { Agent, request } from "node:http";
import { HdrHistogram } from "../engine/stats/hdr-histogram.js";
import type { PauseReport } from "./_load-pauses.js";

/** What to send. `bodies[i % bodies.length]` is request i's body (none when null). */
export interface OpenLoopPlan {
  readonly url: string;
  /** Requests per second offered. */
  readonly rate: number;
  readonly count: number;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodies: readonly string[] | null;
  /** Requests open at once before further sends are dropped (default 20,000). */
  readonly maxOutstanding?: number;
  /** A send later than this behind schedule is late (default 10 ms). */
  readonly lateMs?: number;
  /** Requests not answered this long after the last send are abandoned as errors (default 30 s). */
  readonly timeoutMs?: number;
  /** Keep at most this many Server-Timing entries, raw latencies and send lags (default 5,000). */
  readonly serverTimingSamples?: number;
  /** A kept-alive connection idle this long is closed by the generator (default {@link IDLE_SOCKET_MS}). */
  readonly idleSocketMs?: number;
}

/**
 * A kept-alive connection idle this long is closed by the generator: before the servers' 5 s
 * keep-alive timeout, so that it never sends on a connection the server is closing (the request is
 * then reset: ECONNRESET). node 20's Agent takes the server's `Keep-Alive: timeout=5` hint only
 * below an agent timeout of its own, and has none by default (nodejs/node#52649): the connections a
 * burst opened idle at the bottom of its LIFO free list until the server closes them. Suspected
 * cause of the resets seen in a few twin steps (24 in one 12 s step at 1,770/s, 2026-12-02, all
 * ECONNRESET); not reproduced in isolation.
 */
export const IDLE_SOCKET_MS = 4000;

/** Percentiles of one histogram, in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface OpenLoopResult {
  readonly offeredRate: number;
  readonly count: number;
  readonly sent: number;
  readonly dropped: number;
  readonly late: number;
  /** Largest lateness of a send behind its intended time, ms. */
  readonly maxLagMs: number;
  /** Answers by status code. */
  readonly statuses: Readonly<Record<string, number>>;
  /** 2xx answers. */
  readonly ok: number;
  /** 429 answers. */
  readonly shed: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** {@link errors} by the error's code (`ECONNRESET`, …; `unknown` without one). */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** First intended send to last answer, s. */
  readonly seconds: number;
  /** 2xx answers per second over {@link seconds}. */
  readonly achievedRate: number;
  /** Latency of 2xx answers: corrected (from the intended send time) and raw (from the actual send). */
  readonly corrected: LatencySummary;
  readonly raw: LatencySummary;
  /** Latency (corrected) of every answer, 429s included. */
  readonly correctedAll: LatencySummary;
  /** Server-Timing `app` dur of 2xx answers (ms), a sample. */
  readonly serverMs: number[];
  /** Every Server-Timing entry of the same 2xx answers (name → ms), one object per answer, same order. */
  readonly serverTimings: Record<string, number>[];
  /** When each answer of {@link serverTimings} ended, epoch ms (`performance.timeOrigin` + now), same order. */
  readonly serverTimingsAtMs: number[];
  /** Which request of the step (its index in send order) each of {@link serverTimings} answered. */
  readonly serverTimingsRequest: number[];
  /** The first intended send, epoch ms (as {@link serverTimingsAtMs}). */
  readonly startedAtMs: number;
  /**
   * How late each request was on the wire behind its intended time (ms; the end of its write, or the
   * send for one never written), by request, the first up to the sample size.
   */
  readonly sendLagMs: number[];
  /** Raw latency (ms) of 2xx answers, a sample of the same size: the client's view of one request. */
  readonly rawMs: number[];
  readonly void: boolean;
  readonly voidReason: string | null;
  /** CPU time of the generator's process over the step (µs), added by bench/_load-generator.ts. */
  readonly generatorCpuUs?: number;
  /** Whether the generator runs at nice −10 (bench/_load-generator.ts). */
  readonly priorityRaised?: boolean;
  /** The generator's main thread over the step: run-queue delay (ns) and time slices (Linux schedstat), or null. */
  readonly generatorRunQueue?: [number, number] | null;
  /** The generator's main-thread GC pauses and event-loop delay over the step (bench/_load-pauses.ts). */
  readonly generatorPauses?: PauseReport;
}

export function summarise(h: HdrHistogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, p999: NaN, max: NaN, mean: NaN };
  const [p50, p90, p99, p999] = h.valuesAtPercentiles([50, 90, 99, 99.9]).map((v) => v / 1000);
  return {
    count: h.totalCount,
    p50: p50!,
    p90: p90!,
    p99: p99!,
    p999: p999!,
    max: h.max / 1000,
    mean: h.mean / 1000,
  };
}

/** `app;dur=1.2, pre;dur=0.3` → `{ app: 1.2, pre: 0.3 }` (entries without a numeric dur are skipped). */
export function parseServerTiming(header: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of header.split(",")) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*;(?:.*;)?\s*dur=([\d.]+)/.exec(entry);
    if (m && Number.isFinite(Number(m[2]))) out[m[1]!] = Number(m[2]);
  }
  return out;
}

const newHistogram = () => new HdrHistogram({ lowestDiscernibleValue: 1, significantDigits: 3 });

/** Runs one open-loop step and resolves when every request is answered, failed or abandoned. */
export function runOpenLoop(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  const u = new URL(plan.url);
  const maxOutstanding = plan.maxOutstanding ?? 20_000;
  const lateMs = plan.lateMs ?? 10;
  const timeoutMs = plan.timeoutMs ?? 30_000;
  const keepTimings = plan.serverTimingSamples ?? 5000;
  const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: plan.idleSocketMs ?? IDLE_SOCKET_MS });
  const interval = 1000 / plan.rate;
  const corrected = newHistogram();
  const raw = newHistogram();
  const correctedAll = newHistogram();
  const statuses: Record<string, number> = {};
  const serverMs: number[] = [];
  const serverTimings: Record<string, number>[] = [];
  const serverTimingsAtMs: number[] = [];
  const serverTimingsRequest: number[] = [];
  const rawMs: number[] = [];
  const sendLagMs: number[] = [];
  let sent = 0;
  let dropped = 0;
  let late = 0;
  let maxLag = 0;
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let ok = 0;
  let outstanding = 0;
  let finished = 0;
  let lastEnd = 0;
  const bodies = plan.bodies?.map((b) => Buffer.from(b, "utf8")) ?? null;

  return new Promise((resolve) => {
    const t0 = performance.now() + 20;
    const finish = () => {
      agent.destroy();
      const seconds = Math.max(1e-9, (lastEnd - t0) / 1000);
      const lateShare = late / Math.max(1, plan.count);
      const voidReason =
        dropped > 0
          ? `${dropped} sends dropped (${maxOutstanding} requests open)`
          : lateShare > 0.01
            ? `${late} of ${plan.count} sends more than ${lateMs} ms late (max ${maxLag.toFixed(1)} ms)`
            : null;
      resolve({
        offeredRate: plan.rate,
        count: plan.count,
        sent,
        dropped,
        late,
        maxLagMs: maxLag,
        statuses,
        ok,
        shed: statuses["429"] ?? 0,
        errors,
        errorCodes,
        seconds,
        achievedRate: ok / seconds,
        corrected: summarise(corrected),
        raw: summarise(raw),
        correctedAll: summarise(correctedAll),
        serverMs,
        serverTimings,
        serverTimingsAtMs,
        serverTimingsRequest,
        startedAtMs: performance.timeOrigin + t0,
        sendLagMs,
        rawMs,
        void: voidReason !== null,
        voidReason,
      });
    };
    const settle = () => {
      outstanding--;
      finished++;
      if (finished === plan.count) finish();
    };
    const fire = (i: number, due: number, now: number) => {
      const lag = now - due;
      if (sendLagMs.length < keepTimings) sendLagMs.push(Math.max(0, lag));
      if (lag > lateMs) late++;
      if (lag > maxLag) maxLag = lag;
      if (outstanding >= maxOutstanding) {
        dropped++;
        finished++;
        if (finished === plan.count) finish();
        return;
      }
      sent++;
      outstanding++;
      const body = bodies ? bodies[i % bodies.length]! : null;
      let written = now;
      let done = false;
      const end = (status: number | null, timing?: string, error?: Error) => {
        if (done) return;
        done = true;
        const t = performance.now();
        lastEnd = Math.max(lastEnd, t);
        if (status === null) {
          errors++;
          const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown";
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        } else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          correctedAll.record(Math.max(1, Math.round((t - due) * 1000)));
          if (status >= 200 && status < 300) {
            ok++;
            corrected.record(Math.max(1, Math.round((t - due) * 1000)));
            raw.record(Math.max(1, Math.round((t - written) * 1000)));
            if (rawMs.length < keepTimings) rawMs.push(t - written);
            if (timing && serverMs.length < keepTimings) {
              const entries = parseServerTiming(timing);
              if (entries.app !== undefined) {
                serverMs.push(entries.app);
                serverTimings.push(entries);
                serverTimingsAtMs.push(performance.timeOrigin + t);
                serverTimingsRequest.push(i);
              }
            }
          }
        }
        settle();
      };
      const req = request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          method: plan.method,
          path: plan.path,
          headers: body ? { ...plan.headers, "content-length": String(body.length) } : plan.headers,
        },
        (res) => {
          res.on("data", () => undefined);
          res.on("end", () => end(res.statusCode ?? 0, res.headers["server-timing"] as string | undefined));
          res.on("error", (e) => end(null, undefined, e));
        },
      );
      req.on("finish", () => {
        written = performance.now();
        // The request is on the wire only now: a generator that stalls between the two sends late.
        if (i < sendLagMs.length) sendLagMs[i] = Math.max(0, written - due);
      });
      req.on("error", (e) => end(null, undefined, e));
      req.end(body ?? undefined);
    };
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < plan.count) {
        const due = t0 + i * interval;
        if (due > now) break;
        fire(i, due, now);
        i++;
      }
      if (i < plan.count) {
        // Sleep on the timer until the next send is due (1 ms granularity; the sends that fall due
        // meanwhile leave together, their lag measured). Spinning on setImmediate instead burnt a
        // whole core at nice −10 in every step, which the server on the same two cores then lacked.
        setTimeout(tick, Math.max(1, t0 + i * interval - performance.now()));
      } else if (finished < plan.count) {
        // Requests still open `timeoutMs` after the last send are abandoned (one timer for the step,
        // not one per request): destroying the agent fails them as errors.
        setTimeout(() => agent.destroy(), timeoutMs).unref();
      }
    };
    if (plan.count === 0) finish();
    else setTimeout(tick, 10);
  });
}
