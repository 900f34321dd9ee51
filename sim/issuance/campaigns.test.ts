/**
 * The campaign response functions (sim/issuance/campaigns.ts): one points function scales with yen
 * through its exponent, so a ¥20,000 campaign is predicted from a ¥5,000 one; the deadline rush
 * grows toward the deadline and stops after it; effects of concurrent campaigns add; handout,
 * licence, mandate and launch act through their own few parameters; the cross-field rules.
 */
import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { CampaignProfile, campaignProblems, type Campaign, type CampaignResponse } from "./campaigns.js";

const day = (s: string): number => parseIsoDate(s);
const response: CampaignResponse = {
  points: { level: 8, referenceYen: 10_000, yenExponent: 0.5, rushAmplitude: 4, rushTauDays: 10 },
  handout: { level: 6 },
  mandate: { level: 2, rushAmplitude: 3, rushTauDays: 30 },
  licence: { level: 0.5 },
  launch: { peak: 3, tauDays: 50 },
};
const points = (yen: { from: string; value: number }[], deadline = "2021-04-30"): Campaign => ({
  name: "p",
  kind: "points",
  start: "2020-07-01",
  deadline,
  yen,
  source: "test",
});

describe("CampaignProfile", () => {
  it("points: effect = (yen/referenceYen)^b · (level + rush), zero outside the window", () => {
    const p = new CampaignProfile([points([{ from: "2020-07-01", value: 5000 }])], response);
    const far = day("2020-09-01"); // 241 days before the deadline: the rush term is e^-24.1
    expect(p.at(far)).toBeCloseTo(1 + Math.sqrt(0.5) * (8 + 4 * Math.exp(-241 / 10)), 12);
    expect(p.at(day("2020-06-30"))).toBe(1);
    expect(p.at(day("2021-05-01"))).toBe(1);
    // On the deadline the rush is at its full amplitude.
    expect(p.at(day("2021-04-30"))).toBeCloseTo(1 + Math.sqrt(0.5) * 12, 12);
  });

  it("the same function predicts a bigger campaign from its yen (no multiplier of its own)", () => {
    const small = new CampaignProfile([points([{ from: "2020-07-01", value: 5000 }])], response);
    const big = new CampaignProfile([points([{ from: "2020-07-01", value: 20_000 }])], response);
    const t = day("2020-10-01");
    expect((big.at(t) - 1) / (small.at(t) - 1)).toBeCloseTo(Math.pow(4, 0.5), 12);
    const linear = new CampaignProfile([points([{ from: "2020-07-01", value: 20_000 }])], {
      points: { ...response.points!, yenExponent: 1 },
    });
    expect(linear.at(t) - 1).toBeCloseTo(((4 * (small.at(t) - 1)) / Math.sqrt(0.5)) * 0.5, 9);
  });

  it("yen follows its schedule: nothing before the first entry, the top-up from its date", () => {
    const c = points([
      { from: "2020-08-01", value: 5000 },
      { from: "2020-10-01", value: 20_000 },
    ]);
    const p = new CampaignProfile([c], { points: { ...response.points!, rushAmplitude: 0 } });
    expect(p.at(day("2020-07-15"))).toBe(1);
    expect(p.at(day("2020-08-15"))).toBeCloseTo(1 + 8 * Math.sqrt(0.5), 12);
    expect(p.at(day("2020-10-15"))).toBeCloseTo(1 + 8 * Math.sqrt(2), 12);
  });

  it("the rush rises monotonically toward the deadline", () => {
    const p = new CampaignProfile([points([{ from: "2020-07-01", value: 5000 }])], response);
    const values = [60, 30, 10, 3, 0].map((d) => p.at(day("2021-04-30") - d));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it("other kinds: handout and licence levels in their window, mandate with its rush, launch decaying", () => {
    const list: Campaign[] = [
      { name: "h", kind: "handout", start: "2020-05-01", end: "2020-06-30", source: "t" },
      { name: "m", kind: "mandate", start: "2022-10-13", deadline: "2025-12-02", source: "t" },
      { name: "l", kind: "licence", start: "2025-03-24", end: "2025-05-31", source: "t" },
      { name: "s", kind: "launch", start: "2016-01-01", source: "t" },
    ];
    const p = new CampaignProfile(list, response);
    expect(p.at(day("2020-05-15"))).toBeCloseTo(7, 12);
    expect(p.at(day("2020-07-01"))).toBeCloseTo(1, 12);
    expect(p.at(day("2025-12-02"))).toBeCloseTo(1 + 2 + 3, 12);
    expect(p.at(day("2025-12-03"))).toBeCloseTo(1, 12);
    expect(p.at(day("2016-01-01"))).toBeCloseTo(4, 12);
    expect(p.at(day("2016-01-01") + 50)).toBeCloseTo(1 + 3 * Math.exp(-1), 12);
    // Concurrent campaigns add: the licence window lies inside the mandate's.
    const t = day("2025-04-01");
    const mandateOnly = new CampaignProfile([list[1]!], response).at(t);
    expect(p.at(t)).toBeCloseTo(mandateOnly + 0.5 + 3 * Math.exp(-(t - day("2016-01-01")) / 50), 12);
  });

  it("a kind without its response function is refused", () => {
    expect(
      () => new CampaignProfile([points([{ from: "2020-07-01", value: 1 }])], { handout: { level: 1 } }),
    ).toThrow(/demand\.campaigns\[0\]\.kind: demand\.response\.points is missing/);
  });
});

describe("campaignProblems", () => {
  it("names the field a kind needs or must not have, dates out of order and a missing response", () => {
    const bad: Campaign[] = [
      { name: "a", kind: "points", start: "2020-07-01", source: "t" },
      {
        name: "b",
        kind: "handout",
        start: "2020-05-01",
        end: "2020-04-30",
        deadline: "2020-06-01",
        source: "t",
      },
      { ...points([{ from: "2020-06-01", value: 5000 }]) },
    ];
    const problems = campaignProblems(bad, { handout: { level: 1 } }).map(
      (p) => `${p.path.join(".")}: ${p.message}`,
    );
    expect(problems).toEqual([
      "demand.campaigns.0.deadline: a points campaign needs deadline",
      "demand.campaigns.0.yen: a points campaign needs yen",
      "demand.campaigns.0.kind: demand.response.points is missing (the points response function)",
      "demand.campaigns.1.deadline: a handout campaign has no deadline (see scenarios/README.md)",
      "demand.campaigns.1.end: must not be before start (2020-05-01)",
      "demand.campaigns.2.yen.0.from: must not be before the campaign's start (2020-07-01)",
      "demand.campaigns.2.kind: demand.response.points is missing (the points response function)",
    ]);
    expect(campaignProblems([points([{ from: "2020-07-01", value: 5000 }])], response)).toEqual([]);
  });
});
