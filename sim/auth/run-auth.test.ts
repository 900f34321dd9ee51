import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { isInputError } from "../../engine/errors.js";
import { AuthSummarySchema } from "../run-format/auth.js";
import { AUTH_DEFAULTS, type AuthParams } from "./params.js";
import { officialCards } from "./load-model.js";
import { authFromIssuance, runAuthModel } from "./run-auth.js";
import { QUANTILE_POINTS } from "./service-times.js";

const table = (lo: number, hi: number): number[] =>
  Array.from({ length: QUANTILE_POINTS }, (_, i) => lo + ((hi - lo) * i) / (QUANTILE_POINTS - 1));
const pinned: AuthParams = {
  ...AUTH_DEFAULTS,
  cardsSweep: [500_000, 1_000_000],
  validationDays: ["2025-03-14"],
  serviceTimes: {
    platformMs: table(0.2, 0.6),
    crlLookupMs: table(0.00002, 0.0001),
    jlisMs: table(0.28, 0.5),
  },
};
const start = parseIsoDate("2024-07-01");
// A small country: 1 M cards in circulation, so the busiest day has tens of thousands of requests.
const cards = Float64Array.from({ length: 549 }, (_, i) => 800_000 + 400 * i);

describe("runAuthModel", () => {
  it("is deterministic given the service times: same seed, same summary and files", () => {
    const a = runAuthModel({ params: pinned, startDay: start, cards, seed: 7, targetCards: 1_000_000 });
    const b = runAuthModel({ params: pinned, startDay: start, cards, seed: 7, targetCards: 1_000_000 });
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(b.files).toEqual(a.files);
    AuthSummarySchema.parse(a.summary);
    expect(a.summary.serviceTimes.source).toBe("pinned");
    expect(a.summary.year.year).toBe(2025);
    expect(a.summary.peakDay.requests).toBeGreaterThan(10_000);
    expect(a.summary.peakDay.completed + a.summary.peakDay.failed).toBe(a.summary.peakDay.requests);
    expect(a.summary.validationDays.map((d) => d.date)).toEqual(["2025-03-14"]);
    expect(a.summary.latencyByCards.map((p) => p.cards)).toEqual([500_000, 1_000_000]);
    expect(a.summary.lockouts.fedIntoIssuanceCounters).toBe(false);
    expect(Object.keys(a.files).sort()).toEqual(["auth-daily.csv", "auth-hourly.csv"]);
    expect(a.files["auth-hourly.csv"]!.trim().split("\n")).toHaveLength(8761);
    const c = runAuthModel({ params: pinned, startDay: start, cards, seed: 8, targetCards: 1_000_000 });
    expect(JSON.stringify(c.summary)).not.toBe(JSON.stringify(a.summary));
  });

  it("measures the service times with real crypto when not pinned, and records them", () => {
    const { serviceTimes: _drop, ...rest } = pinned;
    void _drop;
    const r = runAuthModel({
      params: { ...rest, measureSamples: 40, validationDays: [], cardsSweep: [100_000] },
      startDay: parseIsoDate("2025-12-01"),
      cards: new Float64Array(31).fill(100_000),
      seed: 1,
      targetCards: 100_000,
    });
    const t = r.summary.serviceTimes;
    expect(t.source).toBe("measured");
    expect(t.samples).toBe(40);
    expect(t.platformMs).toHaveLength(QUANTILE_POINTS);
    expect(t.platformMs[10]!).toBeGreaterThan(0);
    expect(t.jlisMs[10]!).toBeGreaterThan(t.crlLookupMs[10]!);
  });

  it("with the official cards in circulation, reproduces the official volumes it was calibrated on", () => {
    // 1 % of the official cards, so the busiest day stays small: volumes scale with cards.
    const off = Float64Array.from({ length: cards.length }, (_, i) => 0.01 * officialCards(start + i));
    const r = runAuthModel({ params: pinned, startDay: start, cards: off, seed: 7, targetCards: 1_000_000 });
    const f = r.summary.fidelity!;
    expect(f.map((x) => x.from)).toEqual(["2024-07-01", "2025-10-01"]); // FY2023 is outside the run
    for (const x of f) expect(Math.abs(x.modelled / (0.01 * x.official) - 1)).toBeLessThan(0.005);
  });

  it("runs on a plan's period before the qualification checks existed (2020: no clinic load)", () => {
    const r = runAuthModel({
      params: { ...pinned, validationDays: [] },
      startDay: parseIsoDate("2020-01-01"),
      cards: new Float64Array(366).fill(20_000_000),
      seed: 3,
      targetCards: 87_000_000,
    });
    expect(r.summary.year.year).toBe(2020);
    expect(r.summary.year.byClass["clinic"]).toBe(0);
    expect(r.summary.year.byClass["convenience"]).toBeGreaterThan(0);
    expect(r.summary.peakDay.requests).toBeGreaterThan(0);
    expect(r.summary.fidelity).toEqual([]);
    expect(r.summary.latencyByCards.some((p) => p.cards === 87_000_000)).toBe(true);
  });

  it("refuses a peak year or validation day outside the run with one clear message", () => {
    for (const params of [
      { ...pinned, peakYear: 2030 },
      { ...pinned, validationDays: ["2020-01-01"] },
    ]) {
      let err: unknown;
      try {
        runAuthModel({ params, startDay: start, cards, seed: 1, targetCards: 1 });
      } catch (e) {
        err = e;
      }
      expect(isInputError(err)).toBe(true);
      expect((err as Error).message).toMatch(/^auth\.(peakYear|validationDays\[0\]): .* outside the run/);
    }
  });

  it("takes cards in circulation from the issuance replications (their mean), or nothing without an auth block", () => {
    const col = (k: number) => Float64Array.from(cards, (x) => x * k);
    const results = [
      {
        startDay: start,
        days: cards.length,
        columns: { cards_issued_cumulative: col(2), cards_in_circulation: col(1) },
      },
      {
        startDay: start,
        days: cards.length,
        columns: { cards_issued_cumulative: col(2), cards_in_circulation: col(1) },
      },
    ];
    expect(authFromIssuance({ target: { cards: 1 } }, results, 7)).toBeNull();
    const a = authFromIssuance({ auth: pinned, target: { cards: 1_000_000 } }, results, 7)!;
    const b = runAuthModel({ params: pinned, startDay: start, cards, seed: 7, targetCards: 1_000_000 });
    expect(a.files).toEqual(b.files);
    expect(a.summary.lockouts.fedIntoIssuanceCounters).toBe(false);
    // a scenario whose counters spend minutes on the resets says so
    const fed = authFromIssuance(
      { auth: pinned, target: { cards: 1_000_000 }, counters: { minutesPerPinReset: 10 } },
      results,
      7,
    )!;
    expect(fed.summary.lockouts.fedIntoIssuanceCounters).toBe(true);
    expect(fed.files).toEqual(b.files);
  });
});
