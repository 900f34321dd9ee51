import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import type { ServiceTwinInput } from "./service-twin.js";
import { PauseTrace, predictServiceTwin } from "./service-twin.js";

const N = 4000;
// Exponential verify times with mean 1 ms as N stratified samples.
const expo = Array.from({ length: N }, (_, i) => -Math.log(1 - (i + 0.5) / N));
const zeros = new Array<number>(N).fill(0);
const filled = (v: number) => new Array<number>(N).fill(v);

const base: ServiceTwinInput = {
  arrivalRatePerS: 100,
  arrivals: "fixed",
  durationS: 20,
  seed: 1,
  workers: 1,
  preMs: filled(0.2),
  verifyMs: filled(0.3),
  postMs: filled(0.1),
  hopToMs: [0.3],
  hopBackMs: [0.1],
  mainHttpMs: 0.2,
  mainAfterMs: 0.3,
};

describe("predictServiceTwin", () => {
  it("pool alone with Poisson arrivals and batches of one is M/M/1: p50 = ln 2/(μ−λ), p99 = ln 100/(μ−λ)", () => {
    const r = predictServiceTwin({
      ...base,
      maxBatch: 1,
      arrivals: "poisson",
      arrivalRatePerS: 600,
      durationS: 400,
      preMs: zeros,
      verifyMs: expo,
      postMs: zeros,
      hopToMs: [0],
      hopBackMs: [0],
      mainHttpMs: 0,
      mainAfterMs: 0,
    });
    const rate = 1 - 0.6; // per ms
    expect(Math.abs(r.p50Ms - Math.LN2 / rate) / (Math.LN2 / rate)).toBeLessThan(0.08);
    expect(Math.abs(r.p99Ms - Math.log(100) / rate) / (Math.log(100) / rate)).toBeLessThan(0.08);
    expect(Math.abs(r.poolUtilisation - 0.6)).toBeLessThan(0.02);
  });

  it("fixed arrivals below capacity do not queue: latency is pre + http + hops + verify + post, not the off-path work", () => {
    const r = predictServiceTwin(base);
    const sum = 0.2 + 0.2 + 0.4 + 0.3 + 0.1;
    expect(r.p50Ms).toBeCloseTo(sum, 2);
    expect(r.p99Ms).toBeCloseTo(sum, 2);
    expect(r.requests).toBe(2000);
    expect(r.mainUtilisation).toBeCloseTo((100 * (0.5 + 0.3)) / 1000, 2);
    expect(r.poolUtilisation).toBeCloseTo((100 * 0.3) / 1000, 2);
  });

  it("off-path work delays the next request, not its own", () => {
    const at = (mainAfterMs: number) =>
      predictServiceTwin({ ...base, arrivalRatePerS: 500, durationS: 5, mainAfterMs });
    // Request i: main [2i, 2i+0.3], back at 2i+1.0, answer out at 2i+1.2, off-path work after it.
    expect(at(0.4).p99Ms).toBeCloseTo(1.2, 2);
    // 0.3 + 0.2 + 1.9 = 2.4 ms of main thread every 2 ms: the queue grows without bound.
    expect(at(1.9).p99Ms).toBeGreaterThan(100);
  });

  it("a slow hop holds the pool thread: requests behind it wait, then leave together as one batch", () => {
    // 1,000/s, a 5 ms hop to the one thread, 0.1 ms of work each, nothing else.
    const hop = {
      ...base,
      arrivalRatePerS: 1000,
      durationS: 5,
      preMs: zeros,
      postMs: zeros,
      verifyMs: filled(0.1),
      hopToMs: [5],
      hopBackMs: [0],
      mainHttpMs: 0,
      mainAfterMs: 0,
    };
    // Each batch holds the thread 5 ms + 0.1 ms a job, while ≈1 job a ms arrives: a cycle of
    // ≈5.6 ms, and a job waits for the current cycle to end and then for its own (5.6–11.1 ms).
    const batched = predictServiceTwin(hop);
    expect(batched.p50Ms).toBeGreaterThan(7);
    expect(batched.p99Ms).toBeLessThan(12);
    // Were the hop not holding the thread, every job would take 5.1 ms; one job a batch cannot keep up.
    expect(predictServiceTwin({ ...hop, maxBatch: 1 }).p99Ms).toBeGreaterThan(100);
  });

  it("with a trace, request i takes the segments and batch hops of measured request i (or the nearest measured)", () => {
    // Ten requests a second; measured: request 0 with a slow check and a slow hop, request 5 fast.
    const traced = {
      ...base,
      arrivalRatePerS: 10,
      durationS: 10,
      preMs: [0.1, 0.1],
      verifyMs: [10, 0.1],
      postMs: [0, 0],
      hopToMs: [2, 0.3],
      hopBackMs: [0.1, 0.1],
    };
    const trace = { requestIds: [0, 5], count: 10 };
    // Requests 0, 1, 2 of every ten are nearest measured request 0 (2 by the tie rule), 3–9 request 5.
    const r = predictServiceTwin({ ...traced, trace });
    // pre + half of node:http + hop + check + hop back + post + the other half.
    const fast = 0.1 + 0.1 + 0.3 + 0.1 + 0.1 + 0 + 0.1;
    expect(r.p50Ms).toBeCloseTo(fast, 2);
    expect(r.p90Ms).toBeCloseTo(fast + 1.7 + 9.9, 2);
    // Nothing is drawn at random: another seed, the same answer.
    expect(predictServiceTwin({ ...traced, trace, seed: 2 })).toEqual(r);
    expect(() => predictServiceTwin({ ...traced, trace: { ...trace, requestIds: [0] } })).toThrow(
      /trace.requestIds must hold one request per preMs sample \(2\)/,
    );
    expect(() => predictServiceTwin({ ...traced, trace: { ...trace, requestIds: [0, 10] } })).toThrow(
      /trace.requestIds\[1\] must be an integer in \[0, 10\)/,
    );
    expect(() => predictServiceTwin({ ...traced, hopToMs: [1], trace })).toThrow(
      /with a trace, hopToMs must hold one sample per request/,
    );
    expect(() => predictServiceTwin({ ...traced, trace: { ...trace, count: 0 } })).toThrow(/trace.count/);
  });

  it("the generator's measured lateness adds to latency from the intended send time", () => {
    const r = predictServiceTwin({ ...base, sendLagMs: [5] });
    expect(r.p50Ms).toBeCloseTo(1.2 + 5, 2);
  });

  it("parse and respond share the one main thread: 0.6 + 0.6 ms per request at 1,000/s does not keep up", () => {
    const ok = predictServiceTwin({
      ...base,
      arrivalRatePerS: 1000,
      durationS: 5,
      preMs: filled(0.3),
      postMs: filled(0.3),
      hopToMs: [0],
      hopBackMs: [0],
      mainHttpMs: 0,
      mainAfterMs: 0,
      verifyMs: filled(0.5),
    });
    const over = predictServiceTwin({
      ...base,
      arrivalRatePerS: 1000,
      durationS: 5,
      preMs: filled(0.6),
      postMs: filled(0.6),
      hopToMs: [0],
      hopBackMs: [0],
      mainHttpMs: 0,
      mainAfterMs: 0,
      verifyMs: filled(0.5),
    });
    // Each stage alone would be at 60 % (two separate servers would keep up); shared, 120 %.
    expect(ok.p99Ms).toBeLessThan(3);
    expect(over.mainUtilisation).toBeGreaterThan(0.95);
    expect(over.p99Ms).toBeGreaterThan(500);
  });

  it("more pool threads, lower p99 when the pool is the bottleneck; same seed, same answer", () => {
    const busy = {
      ...base,
      arrivals: "poisson" as const,
      arrivalRatePerS: 1500,
      preMs: zeros,
      postMs: zeros,
      mainHttpMs: 0,
      mainAfterMs: 0,
      verifyMs: expo,
    };
    const one = predictServiceTwin({ ...busy, workers: 2 });
    const more = predictServiceTwin({ ...busy, workers: 4 });
    expect(more.p99Ms).toBeLessThan(one.p99Ms);
    expect(predictServiceTwin({ ...busy, workers: 2 })).toEqual(one);
  });

  it("waits outside the measured segments: the main thread waking for an arrival, the client reading the answer", () => {
    const plain = predictServiceTwin(base);
    // Only the client's read (no waits): every request 0.25 ms longer.
    const read = predictServiceTwin({
      ...base,
      outside: { mainWakeMs: 0, generatorWakeMs: 0, generatorReadMs: 0.25 },
    });
    expect(read.p50Ms).toBeCloseTo(plain.p50Ms + 0.25, 2);
    // At 100/s the main thread is idle at every arrival: each waits Exp(mean 2 ms) first.
    const woken = predictServiceTwin({
      ...base,
      outside: { mainWakeMs: 2, generatorWakeMs: 0, generatorReadMs: 0 },
    });
    expect(woken.p50Ms - plain.p50Ms).toBeGreaterThan(2 * Math.LN2 * 0.85);
    expect(woken.p50Ms - plain.p50Ms).toBeLessThan(2 * Math.LN2 * 1.15);
    expect(woken.p99Ms - plain.p99Ms).toBeGreaterThan(2 * Math.log(100) * 0.8);
    expect(() =>
      predictServiceTwin({ ...base, outside: { mainWakeMs: -1, generatorWakeMs: 0, generatorReadMs: 0 } }),
    ).toThrow(/outside.mainWakeMs/);
  });

  it("a measured pause of the main thread holds every request that arrives during it", () => {
    // 1,000/s, 1.2 ms of latency each, main thread 0.8 ms busy per request: no queue without pauses.
    const busy = { ...base, arrivalRatePerS: 1000, durationS: 10 };
    const plain = predictServiceTwin(busy);
    expect(plain.p99Ms).toBeLessThan(2);
    // One 50 ms pause every second: the 50 requests that arrive during it wait for its end, and
    // the backlog (40 ms of work at 0.8 ms a request) drains at 0.2 ms a ms: more than 1 % are late.
    const paused = predictServiceTwin({ ...busy, mainPauses: { atMs: [500], ms: [50], periodMs: 1000 } });
    // The median request is not held up (it stays within the unpaused run's p90).
    expect(paused.p50Ms).toBeLessThanOrEqual(plain.p90Ms);
    expect(paused.p99Ms).toBeGreaterThan(20);
    expect(paused.p99Ms).toBeLessThan(100);
    // Replayed every period: ten pauses in ten seconds, the same as one per one-second run.
    const once = predictServiceTwin({
      ...busy,
      durationS: 1,
      mainPauses: { atMs: [500], ms: [50], periodMs: 1000 },
    });
    expect(Math.abs(once.p99Ms - paused.p99Ms)).toBeLessThan(2);
    // A measured wait for a core holds the main thread's work as a pause does.
    const waited = predictServiceTwin({ ...busy, mainWaits: { atMs: [500], ms: [50], periodMs: 1000 } });
    expect(waited.p99Ms).toBeGreaterThan(20);
    expect(() => predictServiceTwin({ ...busy, mainWaits: { atMs: [1], ms: [-1], periodMs: 10 } })).toThrow(
      /mainWaits.ms\[0\]/,
    );
    // The client's pause delays the reading of the answers that arrive during it.
    const client = predictServiceTwin({ ...busy, clientPauses: { atMs: [500], ms: [50], periodMs: 1000 } });
    expect(client.p99Ms).toBeGreaterThan(20);
    expect(client.mainUtilisation).toBeCloseTo(plain.mainUtilisation, 3);
    expect(() =>
      predictServiceTwin({ ...base, mainPauses: { atMs: [1, 2], ms: [1], periodMs: 10 } }),
    ).toThrow(/mainPauses.atMs and mainPauses.ms/);
    expect(() =>
      predictServiceTwin({ ...base, clientPauses: { atMs: [1], ms: [-1], periodMs: 10 } }),
    ).toThrow(/clientPauses.ms\[0\]/);
    expect(() => predictServiceTwin({ ...base, mainPauses: { atMs: [], ms: [], periodMs: 0 } })).toThrow(
      /mainPauses.periodMs/,
    );
  });

  it("refuses bad input with a typed error naming the field", () => {
    const cases: [Partial<ServiceTwinInput>, RegExp][] = [
      [{ arrivalRatePerS: 0 }, /arrivalRatePerS/],
      [{ arrivals: "bursty" as "fixed" }, /arrivals/],
      [{ durationS: Number.NaN }, /durationS/],
      [{ workers: 1.5 }, /workers/],
      [{ maxBatch: 0 }, /maxBatch/],
      [{ preMs: [] }, /preMs/],
      [{ verifyMs: [1] }, /verifyMs must hold 4000/],
      [{ postMs: filled(-1) }, /postMs\[0\]/],
      [{ hopToMs: [] }, /hopToMs/],
      [{ hopBackMs: [-2] }, /hopBackMs\[0\]/],
      [{ mainHttpMs: -0.1 }, /mainHttpMs/],
      [{ mainAfterMs: Number.NaN }, /mainAfterMs/],
      [{ sendLagMs: [Number.POSITIVE_INFINITY] }, /sendLagMs\[0\]/],
    ];
    for (const [patch, message] of cases) {
      expect(() => predictServiceTwin({ ...base, ...patch })).toThrow(InputError);
      expect(() => predictServiceTwin({ ...base, ...patch })).toThrow(message);
    }
  });
});

describe("PauseTrace", () => {
  const trace = new PauseTrace({ atMs: [30, 10, 12, 95], ms: [5, 5, 1, 10], periodMs: 100 });

  it("merges overlapping pauses, clips them to the period and sums them", () => {
    // [10, 15] (with [12, 13] inside), [30, 35], [95, 100] (clipped from 105).
    expect(trace.pausedMs).toBeCloseTo(5 + 5 + 5, 12);
  });

  it("resume: the first moment the thread runs, in any period", () => {
    expect(trace.resume(5)).toBe(5);
    expect(trace.resume(10)).toBe(15);
    expect(trace.resume(12.5)).toBe(15);
    expect(trace.resume(15)).toBe(15);
    expect(trace.resume(131)).toBe(135);
    expect(trace.resume(97)).toBe(100);
  });

  it("finish: work is interrupted by every pause it meets, across periods", () => {
    expect(trace.finish(0, 5)).toBe(5);
    // 0-10 work, pause to 15, 5 more: 20.
    expect(trace.finish(0, 15)).toBe(20);
    // From 12 (paused until 15): 15 ms of work to 30, then the pause to 35.
    expect(trace.finish(12, 15)).toBe(30);
    expect(trace.finish(12, 16)).toBe(36);
    // 90 → 95 work (5), pause to 100, next period's pause at 110-115: 100 → 110 (10), 115 → 120 (5).
    expect(trace.finish(90, 20)).toBe(120);
    const none = new PauseTrace({ atMs: [], ms: [], periodMs: 10 });
    expect([none.resume(3), none.finish(3, 4), none.pausedMs]).toEqual([3, 7, 0]);
  });
});
