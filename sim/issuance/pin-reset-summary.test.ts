/**
 * summary.json's `pinResets` (pin-reset-summary.ts): means over replications by year, the peak day,
 * and the effect read from the paired run without the visits with the sign turned into "lost".
 */
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { PinResetSummarySchema, type CounterfactualEffect } from "../run-format/index.js";
import type { IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { pinResetSummary } from "./pin-reset-summary.js";

const start = parseIsoDate("2020-12-30");
const rep = (scale: number): IssuanceRunResult =>
  ({
    startDay: start,
    days: 4,
    pinResets: {
      lockoutsDaily: Float64Array.from([10, 20, 30, 40], (x) => x * scale),
      visitsDaily: Float64Array.from([0, 8, 16, 24], (x) => x * scale),
      resetsDaily: Float64Array.from([0, 6, 18, 24], (x) => x * scale),
    },
  }) as unknown as IssuanceRunResult;
const params = (minutes: number | undefined) =>
  ({ counters: { minutesPerPinReset: minutes } }) as unknown as IssuanceParams;

describe("pinResetSummary", () => {
  it("averages the replications, splits by year and converts resets to staff hours", () => {
    const s = pinResetSummary(params(30), [rep(1), rep(3)])!;
    expect(PinResetSummarySchema.parse(s)).toEqual(s);
    expect(s.lockoutRatesFrom).toBe("sim/auth defaults");
    expect(s.lockouts).toBe(200); // (10+20+30+40) × mean(1, 3)
    expect(s.byYear).toEqual([
      { year: 2020, lockouts: 60, counterVisits: 16, resets: 12, staffHours: 6 },
      { year: 2021, lockouts: 140, counterVisits: 80, resets: 84, staffHours: 42 },
    ]);
    expect(s.staffHours).toBe(48);
    expect(s.peakDailyVisits).toEqual({ date: "2021-01-02", count: 48 });
    expect(s.effect).toBeNull();
  });

  it("reads what the visits cost from the paired run (counterfactual − baseline)", () => {
    const cf = {
      name: "no-pin-reset-visits",
      cardsOnTargetDateDelta: { mean: 12.5, lower: 10, upper: 15 },
      cardsOnDates: [
        {
          date: "2020-12-31",
          reasons: ["year-end"],
          baseline: 1,
          counterfactual: 1,
          delta: { mean: 3, lower: 3, upper: 3 },
        },
        {
          date: "2021-01-02",
          reasons: ["last day"],
          baseline: 1,
          counterfactual: 1,
          delta: { mean: 40, lower: 40, upper: 40 },
        },
      ],
      leadTimeDaysDelta: { p50: -1, p90: -2, p99: null },
      residentDaysWaited: { baseline: 9, counterfactual: 5, delta: { mean: -4, lower: -4, upper: -4 } },
    } as unknown as CounterfactualEffect;
    const s = pinResetSummary(params(10), [rep(1)], [cf])!;
    expect(s.effect).toEqual({
      counterfactual: "no-pin-reset-visits",
      cardsLostOnTargetDate: 12.5,
      cardsLostAtEnd: 40,
      endDate: "2021-01-02",
      leadTimeDaysAdded: { p50: 1, p90: 2, p99: null },
      residentDaysAdded: 4,
    });
  });

  it("is absent when the scenario leaves PIN resets out of the counters", () => {
    expect(pinResetSummary(params(undefined), [rep(1)])).toBeNull();
  });
});
