import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import {
  AUTH_CLASSES,
  CLASS_COUNT,
  channelShares,
  dailyVolumes,
  faceAuthCardShare,
  hourShares,
  hourlyVolumes,
  officialCards,
  perCardDaily,
} from "./load-model.js";
import { AUTH_DEFAULTS } from "./params.js";

const d = parseIsoDate;
const o = AUTH_DEFAULTS;

function sumOver(cls: (typeof AUTH_CLASSES)[number], from: string, to: string, cards: number): number {
  let s = 0;
  for (let x = d(from); x < d(to); x++) s += perCardDaily(cls, x, o) * cards;
  return s;
}

describe("auth load model", () => {
  it("hourly profiles integrate to the daily totals", () => {
    for (const c of AUTH_CLASSES) expect(hourShares(c).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const day of ["2025-12-22", "2025-03-14", "2024-01-01", "2023-06-04"]) {
      const daily = dailyVolumes(d(day), 90e6, o).reduce((a, b) => a + b, 0);
      const hourly = hourlyVolumes(d(day), 90e6, o).reduce((a, b) => a + b, 0);
      expect(hourly).toBeCloseTo(daily, 3);
    }
  });

  it("qualification checks by card add up to the official month (FACTS §5.3, Oct 2025: 101.99 M)", () => {
    const cards = officialCards(d("2025-10-15"));
    const sites = ["hospital", "clinic", "dental", "pharmacy"] as const;
    const total = sites.reduce((a, c) => a + sumOver(c, "2025-10-01", "2025-11-01", cards), 0);
    expect(total / 101.99e6).toBeCloseTo(1, 6);
    // July 2024 by site type (FACTS §5.3): pharmacies 10.13 M of 22.81 M.
    const jul = officialCards(d("2024-07-15"));
    expect(sumOver("pharmacy", "2024-07-01", "2024-08-01", jul) / 1e6).toBeCloseTo(
      (22.807316 * 10.13) / 22.81,
      2,
    );
  });

  it("has no qualification checks before October 2021 and scales with cards in circulation", () => {
    expect(perCardDaily("clinic", d("2021-09-30"), o)).toBe(0);
    expect(perCardDaily("clinic", d("2021-10-04"), o)).toBeGreaterThan(0);
    const a = dailyVolumes(d("2025-06-10"), 50e6, o);
    const b = dailyVolumes(d("2025-06-10"), 100e6, o);
    for (let c = 0; c < CLASS_COUNT; c++) expect(b[c]).toBeCloseTo(2 * a[c]!, 6);
  });

  it("convenience stores: closed 12-29 → 01-03, open 06:30–23:00, FY2023 total 31.89 M (FACTS §5.2)", () => {
    for (const day of ["2024-12-29", "2024-12-31", "2025-01-01", "2025-01-03"])
      expect(perCardDaily("convenience", d(day), o)).toBe(0);
    expect(perCardDaily("convenience", d("2025-01-04"), o)).toBeGreaterThan(0);
    expect(perCardDaily("convenience", d("2024-12-28"), o)).toBeGreaterThan(0);
    const h = hourShares("convenience");
    for (const hour of [0, 1, 2, 3, 4, 5, 23]) expect(h[hour]).toBe(0);
    expect(h[6]!).toBeLessThan(h[7]!); // half an hour open
    const cards = officialCards(d("2023-10-01"));
    expect(sumOver("convenience", "2023-04-01", "2024-04-01", cards) / 31.89e6).toBeCloseTo(1, 6);
  });

  it("channels open on their dates (FACTS §1.5, §1.7)", () => {
    expect(channelShares("portal", d("2023-05-10"))[2]).toBe(0);
    expect(channelShares("portal", d("2023-06-11"))[2]).toBeGreaterThan(0);
    const beforeIphone = channelShares("etax", d("2025-06-23"))[2];
    expect(channelShares("etax", d("2025-09-01"))[2]).toBeGreaterThan(beforeIphone);
    expect(faceAuthCardShare(d("2023-12-14"))).toBe(0);
    expect(faceAuthCardShare(d("2024-06-01"))).toBeGreaterThan(0);
    for (const c of AUTH_CLASSES)
      for (const day of ["2022-01-01", "2025-12-01"]) {
        const s = channelShares(c, d(day));
        expect(s[0] + s[1] + s[2]).toBeCloseTo(1, 12);
      }
  });

  it("the e-Tax season carries its share of the year, rising to the deadline", () => {
    const cards = 100e6;
    const season = sumOver("etax", "2025-02-16", "2025-03-16", cards);
    const year = sumOver("etax", "2025-01-01", "2026-01-01", cards);
    expect(season / year).toBeCloseTo(0.7, 6);
    expect(perCardDaily("etax", d("2025-03-15"), o)).toBeGreaterThan(
      perCardDaily("etax", d("2025-02-16"), o),
    );
  });
});
