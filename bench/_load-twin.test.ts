/**
 * The twin half of bench:load (bench/_load-twin.ts): a step's Server-Timing split, event-loop busy
 * time and send lags become the service twin's inputs as measured (nothing fitted), and the twin runs.
 */
import { describe, expect, it } from "vitest";
import type { OpenLoopResult } from "./_load-open-loop.js";
import type { PauseReport } from "./_load-pauses.js";
import type { StepCpu } from "./_load-twin.js";
import { pauseInputOf, runTwin, samplesWithPause, twinCpuOf, twinInputOf } from "./_load-twin.js";

const step = (over: Partial<OpenLoopResult>): OpenLoopResult =>
  ({
    sent: 4,
    errors: 0,
    sendLagMs: [0, 0.5, 1, 0],
    serverTimings: [
      { app: 1, pre: 0.2, verify: 0.3, pool: 0.5, hopto: 0.15, hopback: 0.05, post: 0.1 },
      { app: 1, pre: 0.4, verify: 0.3, pool: 0.9, hopback: 0.2, post: 0.1 },
      { app: 1, pre: 0.2, verify: 0.5, pool: 0.6, hopto: 0.05, hopback: 0.05, post: 0.3 },
      { app: 1 },
    ],
    ...over,
  }) as OpenLoopResult;

describe("twinInputOf", () => {
  it("keeps each request's pre/verify/post together, and its batch's hops where it has them", () => {
    const t = twinInputOf(step({}), 4 * 1.0, 1, 0.3)!;
    expect(t.preMs).toEqual([0.2, 0.4, 0.2]);
    expect(t.verifyMs).toEqual([0.3, 0.3, 0.5]);
    expect(t.postMs).toEqual([0.1, 0.1, 0.3]);
    expect(t.hopToMs).toEqual([0.15, 0.05]);
    expect(t.hopBackMs).toEqual([0.05, 0.05]);
    expect(t.workers).toBe(1);
    expect(t.arrivals).toBe("fixed");
    expect(t.sendLagMs).toEqual([0, 0.5, 1, 0]);
    // 1 ms of event-loop busy time per answered request, of which pre + post are 0.433 on average,
    // node:http's own work (the bare server's) 0.3, the rest off the request's path.
    expect(t.mainHttpMs).toBe(0.3);
    expect(t.mainAfterMs).toBeCloseTo(1 - (0.8 + 0.5) / 3 - 0.3, 10);
    // Less busy time outside the handler than the bare server's HTTP work: all of it is HTTP.
    const low = twinInputOf(step({}), 4 * 0.5, 1, 0.3)!;
    expect(low.mainHttpMs).toBeCloseTo(0.5 - (0.8 + 0.5) / 3, 10);
    expect(low.mainAfterMs).toBe(0);
  });

  it("gives the twin which request each sample answered, as a trace, when every sample has its batch's hops", () => {
    const full = step({
      serverTimings: [
        { app: 1, pre: 0.2, verify: 0.3, pool: 0.5, hopto: 0.15, hopback: 0.05, post: 0.1 },
        { app: 1, pre: 0.2, verify: 0.5, pool: 0.6, hopto: 0.05, hopback: 0.05, post: 0.3 },
        { app: 1 },
      ],
      serverTimingsRequest: [3, 0, 1],
    });
    expect(twinInputOf(full, 4, 1, 0.3)!.trace).toEqual({ requestIds: [3, 0], count: 4 });
    // A sample without its batch's hops (an older service), or no request ids: no trace.
    expect(twinInputOf(step({ serverTimingsRequest: [0, 1, 2, 3] }), 4, 1, 0.3)!.trace).toBeUndefined();
    expect(twinInputOf(step({}), 4, 1, 0.3)!.trace).toBeUndefined();
  });

  it("with no pool (threads 0) the check runs on the main thread: verify joins pre", () => {
    const t = twinInputOf(step({}), 0, 0, 0.3)!;
    expect(t.preMs.map((x) => Number(x.toFixed(6)))).toEqual([0.5, 0.7, 0.7]);
    expect(t.verifyMs).toEqual([0, 0, 0]);
    expect(t.hopToMs).toEqual([0]);
    expect(t.hopBackMs).toEqual([0]);
    expect([t.mainHttpMs, t.mainAfterMs]).toEqual([0, 0]);
  });

  it("is null without split timings (a service that does not send them)", () => {
    expect(twinInputOf(step({ serverTimings: [{ app: 1 }] }), 1, 1, 0)).toBeNull();
  });
});

describe("runTwin", () => {
  it("predicts at a rate from the measured inputs and reports them", () => {
    const t = twinInputOf(step({}), 4, 1, 0.3)!;
    const f = runTwin(100, t, 4);
    expect(f.inputs).toMatchObject({ samples: 3, preP50: 0.2, verifyP50: 0.3, postP50: 0.1, workers: 1 });
    expect(f.p50).toBeGreaterThan(0.5);
    expect(f.p99).toBeGreaterThanOrEqual(f.p50);
    expect(f.p99).toBeLessThan(5);
    expect(runTwin(100, t, 4)).toEqual(f);
  });
});

describe("twinCpuOf", () => {
  const cpu: StepCpu = {
    serverMs: 600,
    serverMainMs: 400,
    generatorMs: 500,
    machineMs: 3000,
    wallMs: 2000,
    cores: 2,
    generatorNiced: true,
  };

  it("per answered request: main thread, pool and generator CPU; the rest of the machine in cores", () => {
    const c = twinCpuOf(cpu, 1000)!;
    expect(c.mainCpuMs).toBeCloseTo(0.4, 12);
    expect(c.poolCpuMs).toBeCloseTo(0.2, 12);
    expect(c.generatorCpuMs).toBeCloseTo(0.5, 12);
    // (3000 − 600 − 500) ms busy over 2000 ms: 0.95 cores used by other processes.
    expect(c.backgroundCores).toBeCloseTo(0.95, 12);
    expect(c.generatorNiced).toBe(true);
    expect(twinCpuOf({ ...cpu, generatorNiced: false }, 1000)!.generatorNiced).toBe(false);
  });

  it("with schedstat figures, other processes enter as each thread's wait for a core per time slice", () => {
    const c = twinCpuOf({ ...cpu, runQueue: { main: [3e6, 10], pool: [1e6, 4], generator: [0, 0] } }, 1000)!;
    expect(c.wakeWaitMs).toEqual({ main: 0.3, pool: 0.25, generator: 0 });
    expect(c.backgroundCores).toBe(0);
    // In the twin's input: the waits outside the measured segments, and the client's read of an answer.
    const t = twinInputOf(step({}), 4, 1, 0.3, {
      ...cpu,
      runQueue: { main: [3e6, 10], pool: [1e6, 4], generator: [2e6, 10] },
    })!;
    expect(t.outside).toEqual({ mainWakeMs: 0.3, generatorWakeMs: 0.2, generatorReadMs: 500 / 4 / 2 });
    // With the waits' timelines, they are replayed at their times instead of the mean wake-up waits.
    const timeline = { atMs: [1000, 1001, 1002], delayMs: [5, 5.5, 5.5] };
    const w = twinInputOf(
      step({ startedAtMs: 1000, seconds: 0.01 }),
      4,
      1,
      0.3,
      { ...cpu, runQueue: { main: [3e6, 10], pool: [1e6, 4], generator: [2e6, 10] } },
      null,
      { main: timeline, client: null },
    )!;
    expect(w.mainWaits).toEqual({ atMs: [0.5], ms: [0.5], periodMs: 10 });
    expect(w.clientWaits).toBeUndefined();
    expect(w.outside).toEqual({ mainWakeMs: 0, generatorWakeMs: 0.2, generatorReadMs: 500 / 4 / 2 });
    // … and the main thread's work is its CPU time (400 ms over 4 answers), not its loop's busy time.
    expect(w.mainHttpMs + w.mainAfterMs).toBeCloseTo(400 / 4 - (0.8 + 0.5) / 3, 10);
  });

  it("is null without /proc figures, and reaches the twin's input when present", () => {
    expect(twinCpuOf({ ...cpu, serverMainMs: null }, 1000)).toBeNull();
    expect(twinCpuOf({ ...cpu, machineMs: null }, 1000)).toBeNull();
    expect(twinInputOf(step({}), 4, 1, 0.3, cpu)!.cpu).toEqual(twinCpuOf(cpu, 4));
    expect(twinInputOf(step({}), 4, 1, 0.3)!.cpu).toBeUndefined();
  });
});

describe("main-thread pauses", () => {
  const T0 = 1_700_000_000_000;
  // Three answers, ending 10, 20 and 30 ms after the first intended send, 0.5-1.5 ms on the server.
  const timed = step({
    seconds: 0.04,
    startedAtMs: T0,
    serverTimingsAtMs: [T0 + 10, T0 + 20, T0 + 30, T0 + 35],
    serverTimings: [
      { app: 1, pre: 0.2, verify: 0.3, hopto: 0.1, hopback: 0.05, post: 0.1 },
      { app: 1.5, pre: 5.2, verify: 0.3, hopback: 0.2, post: 0.1 },
      { app: 0.5, pre: 0.2, verify: 0.5, hopto: 0.05, hopback: 0.05, post: 0.3 },
      { app: 1 },
    ],
  });
  const report = (gc: PauseReport["gc"]): PauseReport => ({
    fromMs: T0 - 5,
    toMs: T0 + 50,
    gc,
    loopDelay: { resolutionMs: 5, count: 0, p50: 0, p99: 0, max: 0, mean: 0 },
  });
  // A 5 ms mark-compact inside the second request's window, a scavenge before the step, one after its span.
  const server = report([
    { atMs: T0 - 2, ms: 1, kind: "minor" },
    { atMs: T0 + 17, ms: 5, kind: "major" },
    { atMs: T0 + 45, ms: 1, kind: "minor" },
  ]);

  it("pauses go on the twin's clock (from the first intended send), within the step's span", () => {
    expect(pauseInputOf(server, T0, 40)).toEqual({ atMs: [17], ms: [5], periodMs: 40 });
    expect(pauseInputOf(null, T0, 40)).toBeUndefined();
  });

  it("a request whose window on the server a pause fell in is found", () => {
    expect(samplesWithPause(timed, server)).toEqual([false, true, false, false]);
    // The window is [end − app − 0.5, end + 0.5]: a pause ending 0.4 ms before it still counts.
    expect(samplesWithPause(timed, report([{ atMs: T0 + 8, ms: 0.6, kind: "minor" }]))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(samplesWithPause(timed, report([{ atMs: T0 + 7, ms: 0.5, kind: "minor" }]))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(samplesWithPause(timed, null)).toEqual([false, false, false, false]);
  });

  it("the twin replays the pauses and leaves out the split timings that hold one; GC leaves the off-path work", () => {
    const generatorPauses = report([{ atMs: T0 + 25, ms: 2, kind: "minor" }]);
    const t = twinInputOf({ ...timed, generatorPauses }, 12, 1, 0.3, null, server)!;
    expect(t.preMs).toEqual([0.2, 0.2]);
    expect(t.samplesWithPause).toBe(1);
    expect(t.mainPauses).toEqual({ atMs: [17], ms: [5], periodMs: 40 });
    expect(t.clientPauses).toEqual({ atMs: [25], ms: [2], periodMs: 40 });
    // 12 ms of loop busy time less the step's 7 ms of GC over 4 answers (1.25 ms each), less the kept
    // requests' mean pre + post (0.4), less node:http's 0.3: 0.55 ms off the requests' path.
    expect(t.mainHttpMs).toBe(0.3);
    expect(t.mainAfterMs).toBeCloseTo(0.55, 10);
    const f = runTwin(100, t, 1);
    expect(f.inputs.mainPauses).toEqual({ count: 1, totalMs: 5, maxMs: 5, periodMs: 40 });
    expect(f.inputs.samplesWithPause).toBe(1);
    // Without the server's pauses: every split timing, no pause replayed.
    const before = twinInputOf({ ...timed, generatorPauses }, 12, 1, 0.3)!;
    expect(before.preMs).toHaveLength(3);
    expect(before.mainPauses).toBeUndefined();
    expect(before.clientPauses).toBeUndefined();
  });
});
