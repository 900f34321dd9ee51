import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import { crlEntriesOfType, dailyRates, runRevocationFlow, sumRange, type FlowInput } from "./flow.js";
import { REVOCATION_DEFAULTS, type RevocationParams } from "./params.js";

const START = parseIsoDate("2016-01-01");
const RUN_END = parseIsoDate("2025-12-31");

/** 100 M cards handed over evenly 2016–2025. */
function input(total = 100e6): FlowInput {
  const n = RUN_END - START + 1;
  return { startDay: START, cardsIssuedDaily: new Float64Array(n).fill(total / n) };
}
const day = (iso: string) => parseIsoDate(iso) - START;
const year = (a: Float64Array, y: number) => sumRange(a, day(`${y}-01-01`), day(`${y + 1}-01-01`));

const flow = runRevocationFlow(REVOCATION_DEFAULTS, input());

describe("revocation flow by reason", () => {
  it("moves peak in March–April and only revoke signature certificates; name changes likewise", () => {
    const r = dailyRates(REVOCATION_DEFAULTS, parseIsoDate("2024-03-15"));
    const aug = dailyRates(REVOCATION_DEFAULTS, parseIsoDate("2024-08-15"));
    expect(r.sign.move / aug.sign.move).toBeCloseTo(1.9 / 0.85, 6);
    expect(r.auth.move).toBe(0);
    expect(r.auth.nameChange).toBe(0);
    expect(year(flow.revocations.auth.move, 2024)).toBe(0);
    expect(year(flow.revocations.auth.nameChange, 2024)).toBe(0);
    const march = sumRange(flow.revocations.sign.move, day("2024-03-01"), day("2024-04-01"));
    const august = sumRange(flow.revocations.sign.move, day("2024-08-01"), day("2024-09-01"));
    expect(march / august).toBeGreaterThan(2);
  });

  it("a year of rates sums to the annual volumes of FACTS §3.3 per holder", () => {
    let moves = 0;
    let deaths = 0;
    for (let d = parseIsoDate("2023-01-01"); d < parseIsoDate("2024-01-01"); d++) {
      const r = dailyRates(REVOCATION_DEFAULTS, d);
      moves += r.sign.move;
      deaths += r.auth.death;
    }
    const p = REVOCATION_DEFAULTS;
    expect(moves * p.population).toBeCloseTo(p.interMunicipalMovesPerYear + p.intraMunicipalMovesPerYear, -4);
    // deaths: 1,576,016 a year over 125.9 M people
    expect(deaths * p.population).toBeCloseTo(1_576_016 * (365 / 365.2425), -3);
  });

  it("deaths revoke both certificates at the population rate of card holders", () => {
    const t = day("2024-07-01");
    const deathsAuth = year(flow.revocations.auth.death, 2024);
    const perHolder = deathsAuth / flow.valid.auth[t]!;
    expect(perHolder).toBeCloseTo(1_576_016 / 125_927_902, 3);
    expect(year(flow.revocations.sign.death, 2024) / deathsAuth).toBeCloseTo(
      flow.valid.sign[t]! / flow.valid.auth[t]!,
      1,
    );
  });

  it("minors under 15 get no signature certificate: sign issuance is the sign share of new cards", () => {
    expect(flow.issued.sign[0]! / flow.issued.auth[0]!).toBeCloseTo(REVOCATION_DEFAULTS.signShare, 6);
  });

  it("certificates expire between the 4th and 5th year, and renewals supersede them", () => {
    expect(year(flow.expired.auth, 2019)).toBe(0);
    expect(year(flow.revocations.auth.renewal, 2019)).toBeGreaterThan(0); // a renewal window opens 45 days early
    expect(sumRange(flow.expired.auth, 0, day("2020-01-01"))).toBe(0);
    expect(year(flow.expired.auth, 2021)).toBeGreaterThan(0);
    // renewals ≈ renewal share × what comes due
    const due = year(flow.revocations.auth.renewal, 2022) + year(flow.expired.auth, 2022);
    expect(year(flow.revocations.auth.renewal, 2022) / due).toBeGreaterThan(0.6);
  });

  it("valid certificates lapsing are part of all expiries (the rest were revoked earlier)", () => {
    const lapsed = year(flow.lapsed.auth, 2024);
    expect(lapsed).toBeGreaterThan(0);
    expect(lapsed).toBeLessThan(year(flow.expired.auth, 2024));
    // lapsing ≈ (1 − renewal share) of what comes due
    const due = lapsed + year(flow.revocations.auth.renewal, 2024);
    expect(lapsed / due).toBeGreaterThan(0.1);
    expect(lapsed / due).toBeLessThan(0.35);
  });

  it("CRLs grow with revoked-and-unexpired certificates, each root generation empties after its last certificate expires", () => {
    const entries = (iso: string) => crlEntriesOfType(flow, "sign", day(iso));
    expect(entries("2017-06-30")).toBeLessThan(entries("2019-06-30"));
    expect(entries("2019-06-30")).toBeLessThan(entries("2023-06-30"));
    expect(entries("2023-06-30")).toBeGreaterThan(5e6); // tens of millions at steady state (FACTS §3.3, derived)
    const gen1 = flow.cas.find((c) => c.type === "sign" && c.generation === 1)!;
    expect(gen1.entries[day("2019-01-01")]!).toBeGreaterThan(1e6);
    // gen 1 issued until 2019-09-13: its certificates are all expired 5 years later
    expect(gen1.entries[day("2024-09-20")]!).toBeLessThan(1);
    const gen3 = flow.cas.find((c) => c.type === "auth" && c.generation === 3)!;
    expect(gen3.entries[day("2023-07-01")]!).toBe(0);
    expect(gen3.entries[day("2024-07-01")]!).toBeGreaterThan(0);
    expect(Math.min(...flow.cas.map((ca) => Math.min(...ca.entries)))).toBeGreaterThanOrEqual(-1e-6);
    // the signature CRL is bigger than the authentication CRL: moves and name changes
    expect(entries("2024-06-30")).toBeGreaterThan(2 * crlEntriesOfType(flow, "auth", day("2024-06-30")));
  });

  it("is deterministic and extends past the run with first-time cards = births", () => {
    const again = runRevocationFlow(REVOCATION_DEFAULTS, input());
    expect(Array.from(again.cas[5]!.entries)).toEqual(Array.from(flow.cas[5]!.entries));
    expect(flow.days).toBe(parseIsoDate("2030-12-31") - START + 1);
    const t = day("2028-02-01");
    const firstTime = flow.issued.auth[t]! - flow.revocations.auth.renewal[t]!;
    // births plus reissues after loss (both certificate types) — no first-time demand beyond births
    expect(firstTime).toBeGreaterThanOrEqual(727_288 / 365.2425 - 1e-6);
    expect(firstTime).toBeLessThan(727_288 / 365.2425 + 2_000);
  });

  it("a horizon that ends before the issuance run is a scenario error naming the field", () => {
    const p: RevocationParams = { ...REVOCATION_DEFAULTS, through: "2020-01-01" };
    expect(() => runRevocationFlow(p, input())).toThrow(InputError);
    expect(() => runRevocationFlow(p, input())).toThrow(
      /revocation.through: expected a date on or after the issuance run's last day 2025-12-31, got 2020-01-01/,
    );
  });
});
