/**
 * The report's "PIN resets at the counters" section: absent without summary.json `pinResets`; with
 * it, the lockouts by year and what the visits cost, signed as cards and days the visits took.
 */
import { describe, expect, it } from "vitest";
import type { PinResetSummary } from "../../run-format/index.js";
import { mdBlocks } from "./blocks.js";
import type { ReportInput } from "./input.js";
import { pinResetsSection } from "./pin-resets.js";

const S: PinResetSummary = {
  minutesPerReset: 10,
  lockoutProbabilityPerPinEntry: 0.00125,
  lockoutRatesFrom: "sim/auth defaults",
  lockouts: 1_018_570,
  counterVisits: 810_271,
  resets: 810_271,
  staffHours: 135_045,
  byYear: [
    { year: 2016, lockouts: 3102, counterVisits: 2417, resets: 2417, staffHours: 403 },
    { year: 2025, lockouts: 349_185, counterVisits: 278_299, resets: 278_299, staffHours: 46_383 },
  ],
  peakDailyVisits: { date: "2025-12-27", count: 950.9 },
  effect: {
    counterfactual: "no-pin-reset-visits",
    cardsLostOnTargetDate: 366,
    cardsLostAtEnd: 1555,
    endDate: "2025-12-31",
    leadTimeDaysAdded: { p50: 0, p90: 0, p99: 1 },
    residentDaysAdded: 5_780_579,
  },
};
const input = (pinResets?: PinResetSummary) =>
  ({ params: { target: { date: "2020-03-31" } }, summary: { pinResets } }) as unknown as ReportInput;

describe("PIN resets report section", () => {
  it("is absent when the scenario leaves PIN resets out of the counters", () => {
    expect(pinResetsSection(input())).toEqual([]);
  });

  it("gives the visits by year and the cards and lead time they cost", () => {
    const md = mdBlocks(pinResetsSection(input(S))).join("\n");
    expect(md).toContain("## PIN resets at the counters");
    expect(md).toContain("FACTS §1.5");
    expect(md).toContain("| 2025 | 349,185 | 278,299 | 278,299 | 46,383 |");
    expect(md).toContain("-366 cards on the target date 2020-03-31");
    expect(md).toContain("-1,555 cards by 2025-12-31");
    expect(md).toContain("p99 +1 d");
  });

  it("says when the cost was not measured", () => {
    const md = mdBlocks(pinResetsSection(input({ ...S, effect: null }))).join("\n");
    expect(md).toContain("measured only when they take counter time");
  });
});
