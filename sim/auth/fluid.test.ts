import { describe, expect, it } from "vitest";
import { baseSample, fluidHours } from "./fluid.js";
import { simulatePath, type PathConfig } from "./network.js";

const cfg = (servers: number): PathConfig => ({
  rpToPlatform: { meanMs: 15, sdMs: 8 },
  platformToJlis: { meanMs: 5, sdMs: 2 },
  platform: { servers, timeoutMs: 10_000, maxRetries: 0, backoffMs: 0 },
  jlis: { servers: 1, timeoutMs: 10_000, maxRetries: 0, backoffMs: 0 },
  onlineShare: 0.5,
  // Slow services (ms), so a small day reaches high utilisation with few requests.
  platformService: (u) => 60 + 80 * u,
  localCheckService: () => 0.01,
  jlisService: (u) => 40 + 40 * u,
});

describe("fluid model against the request-level model on a small day", () => {
  it("hourly p50 within 5 % and p99 within 20 % at low and high load (ρ ≈ 0.33 and 0.8)", () => {
    // A small day: quiet nights, a busy morning pushing the one platform server to ρ ≈ 0.8 (100 ms per request).
    const perHour = Array.from({ length: 24 }, (_, h) =>
      h < 7 || h > 20 ? 500 : h >= 9 && h <= 11 ? 28_800 : 12_000,
    );
    const c = cfg(1);
    const req = simulatePath({ expectedPerHour: perHour, config: c, seed: 11 });
    const fl = fluidHours(perHour, c, baseSample(c, 11, 8000));
    for (let h = 0; h < 24; h++) {
      const r = req.hours[h]!;
      if (r.arrivals < 1000) continue;
      expect(Math.abs(fl[h]!.p50Ms - r.p50Ms!) / r.p50Ms!).toBeLessThan(0.05);
      expect(Math.abs(fl[h]!.p99Ms - r.p99Ms!) / r.p99Ms!).toBeLessThan(0.2);
      expect(Math.abs(fl[h]!.platformUtilisation - r.platformUtilisation)).toBeLessThan(0.02);
    }
  });

  it("carries a backlog across hours when a pool is saturated", () => {
    const c = cfg(1);
    const base = baseSample(c, 1, 2000);
    const over = fluidHours([20_000_000, 1000, 1000], c, base);
    expect(over[0]!.platformUtilisation).toBe(1);
    // The next hour still drains the backlog: its latency exceeds an idle hour's.
    const idle = fluidHours([1000], c, base)[0]!;
    expect(over[1]!.p50Ms).toBeGreaterThan(idle.p50Ms + 100);
  });
});
