import { describe, expect, it } from "vitest";
import { runNetworkModel, peakRatePerSecond } from "./model.js";
import { NETWORK_DEFAULTS, type NetworkParams } from "./params.js";

const P: NetworkParams = { ...NETWORK_DEFAULTS, simulatedSeconds: 120 };

describe("network model (busiest hour on engine/des)", () => {
  const r = runNetworkModel(P, 2017);

  it("spreads the year by month and procedure, and puts the design peak at the expected rate", () => {
    expect(r.monthly.reduce((a, b) => a + b, 0)).toBeCloseTo(190e6, -1);
    expect(Object.values(r.byProcedure).reduce((a, b) => a + b, 0)).toBeCloseTo(190e6, -1);
    expect(r.byProcedure["local-tax"]).toBe(Math.max(...Object.values(r.byProcedure)));
    // 640 M × 11 % (June) × 15 % (peak hour) / 20 working days / 3600 s
    expect(peakRatePerSecond(640e6, P)).toBeCloseTo((640e6 * 0.11 * 0.15) / 20 / 3600, 9);
    expect(r.design.offeredPerSecond / r.actual.offeredPerSecond).toBeCloseTo(640 / 190, 9);
    expect(r.shareOfPlan).toBeCloseTo(190 / 640, 12);
  });

  it("agrees with queueing theory where it is exact: throughput = offered load, utilisation = λ·S/c", () => {
    for (const load of [r.actual, r.design]) {
      expect(Math.abs(load.throughputPerSecond / load.offeredPerSecond - 1)).toBeLessThan(0.05);
      const lambdaPerMs = load.offeredPerSecond / 1000;
      const coreRho = (lambdaPerMs * P.core.serviceMs * 1.5) / P.core.servers;
      const interRho = (lambdaPerMs * P.intermediate.serviceMs) / P.intermediate.servers;
      expect(Math.abs(load.coreUtilisation / coreRho - 1)).toBeLessThan(0.08);
      expect(Math.abs(load.intermediateUtilisation / interRho - 1)).toBeLessThan(0.08);
      // four network hops of at least half the one-way delay each
      expect(load.latencyMs.p50).toBeGreaterThan(2 * P.networkDelayMs);
      expect(load.latencyMs.p99).toBeGreaterThanOrEqual(load.latencyMs.p50);
    }
    expect(r.coreHeadroomAtDesign).toBeGreaterThan(1);
  });

  it("cost per exchange: the same yearly cost over actual, design and the audit's 5 % of plan", () => {
    expect(r.costPerExchangeYen.actual).toBeCloseTo(74.9e9 / 9 / 190e6, 9);
    expect(r.costPerExchangeYen.actual / r.costPerExchangeYen.design).toBeCloseTo(640 / 190, 9);
    // 5 % of plan: twenty times the design cost per exchange (≈¥260 against ≈¥13)
    expect(r.costPerExchangeYen.atAuditShare / r.costPerExchangeYen.design).toBeCloseTo(20, 9);
    expect(r.costPerExchangeYen.atAuditShare).toBeCloseTo(74.9e9 / 9 / (0.05 * 640e6), 6);
  });

  it("the observed years: share of the design, busiest-hour rate, priced only for all users", () => {
    const y = (year: string, scope: string) => r.observed.find((o) => o.year === year && o.scope === scope)!;
    expect(y("FY2018", "all-users").shareOfPlan).toBeCloseTo(8.03 / 640, 12);
    expect(y("FY2018", "all-users").costPerExchangeYen).toBeCloseTo(74.9e9 / 9 / 8.03e6, 6);
    expect(y("FY2022", "all-users").peakPerSecond).toBeCloseTo(r.actual.offeredPerSecond, 9);
    expect(y("FY2017", "local-government").costPerExchangeYen).toBeNull();
    expect(y("FY2022", "local-government").exchanges / y("FY2017", "local-government").exchanges).toBeCloseTo(
      30.29 / 1.49,
      9,
    );
    // The busiest hour of each month sums back to the year at the peak-hour share
    const back = r.monthlyPeakPerSecond.map((v) => (v * 3600 * P.workingDaysPerMonth) / P.peakHourShare);
    back.forEach((v, i) => expect(v).toBeCloseTo(r.monthly[i]!, 3));
    expect(Math.max(...r.monthlyPeakPerSecond)).toBeCloseTo(r.actual.offeredPerSecond, 9);
  });

  it("is deterministic for a seed, and an undersized core saturates at the design peak", () => {
    expect(runNetworkModel(P, 2017)).toEqual(r);
    const small = runNetworkModel({ ...P, core: { servers: 2, serviceMs: 20 } }, 2017);
    // capacity 2 / 30 ms ≈ 67/s < design peak ≈ 147/s
    expect(small.design.throughputPerSecond).toBeLessThan(0.6 * small.design.offeredPerSecond);
    expect(small.design.coreUtilisation).toBeGreaterThan(0.95);
    expect(small.coreHeadroomAtDesign).toBeLessThan(1);
  });
});
