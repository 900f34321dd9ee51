/**
 * The twin half of bench:load (bench/_load-twin.ts): a step's Server-Timing split, event-loop busy
 * time and send lags become the service twin's inputs as measured (nothing fitted), and the twin runs.
 */
import { describe, expect, it } from "vitest";
import type { OpenLoopResult } from "./_load-open-loop.js";
import type { StepCpu } from "./_load-twin.js";
import { runTwin, twinCpuOf, twinInputOf } from "./_load-twin.js";

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
  it("keeps each request's pre/verify/post together, the hop to the pool only where a thread was free", () => {
    const t = twinInputOf(step({}), 4 * 1.0, 1, 0.3)!;
    expect(t.preMs).toEqual([0.2, 0.4, 0.2]);
    expect(t.verifyMs).toEqual([0.3, 0.3, 0.5]);
    expect(t.postMs).toEqual([0.1, 0.1, 0.3]);
    expect(t.hopToMs).toEqual([0.15, 0.05]);
    expect(t.hopBackMs).toEqual([0.05, 0.2, 0.05]);
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
    expect(c.generatorWeight).toBeCloseTo(9548 / 1024, 12);
    expect(twinCpuOf({ ...cpu, generatorNiced: false }, 1000)!.generatorWeight).toBe(1);
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
  });

  it("is null without /proc figures, and reaches the twin's input when present", () => {
    expect(twinCpuOf({ ...cpu, serverMainMs: null }, 1000)).toBeNull();
    expect(twinCpuOf({ ...cpu, machineMs: null }, 1000)).toBeNull();
    expect(twinInputOf(step({}), 4, 1, 0.3, cpu)!.cpu).toEqual(twinCpuOf(cpu, 4));
    expect(twinInputOf(step({}), 4, 1, 0.3)!.cpu).toBeUndefined();
  });
});
