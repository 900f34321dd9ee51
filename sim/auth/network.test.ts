import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { erlangC } from "./fluid.js";
import { HOUR_MS, simulatePath, type PathConfig } from "./network.js";
import { Station } from "./station.js";

const expService = (meanMs: number) => (u: number) => -Math.log(1 - u) * meanMs;
const INF = Number.POSITIVE_INFINITY;

function singlePool(servers: number, meanMs: number, over: Partial<PathConfig> = {}): PathConfig {
  return {
    rpToPlatform: { meanMs: 0, sdMs: 0 },
    platformToJlis: { meanMs: 0, sdMs: 0 },
    platform: { servers, timeoutMs: INF, maxRetries: 0, backoffMs: 0 },
    jlis: { servers: 1, timeoutMs: INF, maxRetries: 0, backoffMs: 0 },
    onlineShare: 0,
    platformService: expService(meanMs),
    localCheckService: () => 0,
    jlisService: () => 0,
    ...over,
  };
}

describe("Station (FIFO c servers)", () => {
  it("starts each job on the server that frees first, in arrival order", () => {
    const s = new Station(2);
    expect(s.offer(0, 10, INF)).toBe(10);
    expect(s.offer(1, 10, INF)).toBe(11);
    expect(s.offer(2, 5, INF)).toBe(15); // waits for the server free at 10
    expect(s.offer(3, 1, INF)).toBe(12); // server free at 11
    expect(s.waitMs).toBe(8 + 8);
  });
  it("drops a job whose wait passes its deadline without using a server", () => {
    const s = new Station(1);
    s.offer(0, 100, INF);
    expect(s.offer(1, 5, 50)).toBe(-1);
    expect(s.dropped).toBe(1);
    expect(s.offer(2, 5, 200)).toBe(105);
  });
});

describe("verification path against M/M/c (Erlang C)", () => {
  for (const [c, rho] of [
    [1, 0.7],
    [2, 0.8],
    [8, 0.85],
  ] as const) {
    it(`c = ${c}, ρ = ${rho}: mean time in system and utilisation`, () => {
      const meanS = 1; // ms
      const lambdaPerMs = (rho * c) / meanS;
      const n = 200_000;
      const slotMs = n / lambdaPerMs;
      const r = simulatePath({
        expectedPerHour: [n],
        slotMs,
        config: singlePool(c, meanS),
        seed: 20251222,
      });
      const a = lambdaPerMs * meanS;
      const C = erlangC(c, a);
      const W = C / (c / meanS - lambdaPerMs) + meanS;
      const sojournMs = r.latencyUs.mean / 1000;
      expect(Math.abs(sojournMs - W) / W).toBeLessThan(0.06);
      expect(Math.abs(r.platformUtilisation - rho) / rho).toBeLessThan(0.03);
      expect(r.completed).toBe(r.arrivals);
    });
  }

  it("erlangC matches known values", () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    expect(erlangC(2, 1.6)).toBeCloseTo(6.4 / 9, 12);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });
});

describe("NHPP arrivals (property, fixed seed)", () => {
  it("counts per hour match the integrated rate, and empty hours stay empty", () => {
    const rnd = mulberry32(7);
    for (let k = 0; k < 12; k++) {
      const hours = 1 + randomInt(rnd, 24);
      const expected = Array.from({ length: hours }, () => (rnd() < 0.25 ? 0 : randomInt(rnd, 20_000)));
      const r = simulatePath({
        expectedPerHour: expected,
        config: singlePool(64, 0.001),
        seed: 1000 + k,
      });
      let total = 0;
      r.hours.forEach((h, i) => {
        const e = expected[i]!;
        if (e === 0) expect(h.arrivals).toBe(0);
        else expect(Math.abs(h.arrivals - e)).toBeLessThan(5 * Math.sqrt(e) + 1);
        total += e;
      });
      expect(Math.abs(r.arrivals - total)).toBeLessThan(5 * Math.sqrt(total) + 1);
    }
  });
});

describe("timeouts and retries", () => {
  it("an overloaded pool times out, retries and fails requests; every request is accounted for", () => {
    const r = simulatePath({
      expectedPerHour: [3000],
      slotMs: 1000, // 3 per ms into one server of 1 ms: ρ = 3
      config: singlePool(1, 1, {
        platform: { servers: 1, timeoutMs: 20, maxRetries: 2, backoffMs: 5 },
      }),
      seed: 3,
    });
    expect(r.retries).toBeGreaterThan(0);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.completed + r.failed).toBe(r.arrivals);
    expect(r.latencyUs.max / 1000).toBeLessThanOrEqual(3 * 20 + 2 * 5 + 1e-6);
  });

  it("online checks go through J-LIS and add its hops", () => {
    const base = singlePool(4, 0.2, {
      platformToJlis: { meanMs: 5, sdMs: 0 },
      jlisService: () => 0.3,
    });
    const local = simulatePath({ expectedPerHour: [20_000], config: base, seed: 9 });
    const online = simulatePath({ expectedPerHour: [20_000], config: { ...base, onlineShare: 1 }, seed: 9 });
    expect(local.jlisUtilisation).toBe(0);
    expect(online.jlisUtilisation).toBeGreaterThan(0);
    expect(
      online.latencyUs.valueAtPercentile(50) / 1000 - local.latencyUs.valueAtPercentile(50) / 1000,
    ).toBeGreaterThan(10);
  });

  it("is deterministic: same seed, same result", () => {
    const cfg = singlePool(2, 1, { rpToPlatform: { meanMs: 10, sdMs: 5 } });
    const a = simulatePath({ expectedPerHour: [5000, 0, 7000], config: cfg, seed: 5 });
    const b = simulatePath({ expectedPerHour: [5000, 0, 7000], config: cfg, seed: 5 });
    expect(b.hours).toEqual(a.hours);
    expect(b.latencyUs.toJSON()).toEqual(a.latencyUs.toJSON());
    expect(HOUR_MS).toBe(3_600_000);
  });
});
