/**
 * Expiry waves (renewal.ts): a cohort handed over on day d comes back 5 years later (adults'
 * certificates at the counter, minors' cards as applications) and 10 years later (adults' cards as
 * applications), spread evenly over the year before, `leadDays` early, thinned by holders' deaths.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RandomStreams } from "../../engine/random/index.js";
import {
  formatTimeseriesCsv,
  parseTimeseriesCsv,
  POPULATION_COLUMNS,
  TIMESERIES_COLUMNS,
  type PopulationColumn,
  type TimeseriesColumn,
} from "../run-format/timeseries.js";
import { LEVERS, scaleLever } from "./levers.js";
import { marginalEffects } from "./marginal-effects.js";
import { runIssuance, type IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { ExpiryWindows, renewalRules, type RenewalRules } from "./renewal.js";
import { populationOf } from "./replication.js";
import { summarise, timeseriesCsv } from "./summary.js";

const Y = 365;
const RULES: RenewalRules = renewalRules({
  certificateYears: 5,
  certificateRenewalShare: 0.8,
  minorCardYears: 5,
  minorCardRenewalShare: 0.9,
  cardYears: 10,
  cardRenewalShare: 0.75,
});

interface Wave {
  first: number;
  last: number;
  total: number;
}

/** Hands `count` cards over in municipality 1 on day `d` only and follows every flow for 10 years. */
function follow(rules: RenewalRules, d: number, count: number, deathRate = 0) {
  const m = 2;
  const w = new ExpiryWindows(m, 0, rules, 0.2, deathRate);
  const waves = {
    certificateRenewals: { first: -1, last: -1, total: 0 } as Wave,
    cardReapplications5: { first: -1, last: -1, total: 0 } as Wave,
    cardReapplications10: { first: -1, last: -1, total: 0 } as Wave,
    cardsExpiring: { first: -1, last: -1, total: 0 } as Wave,
  };
  const add = (wave: Wave, t: number, x: number): void => {
    if (x === 0) return;
    if (wave.first < 0) wave.first = t;
    wave.last = t;
    wave.total += x;
  };
  let other = 0;
  for (let t = 0; t < d + 10 * Y + 100; t++) {
    const due = w.due(t);
    other += due.certificateRenewals[0]! + due.cardReapplications[0]! + due.cardsExpiring[0]!;
    add(waves.certificateRenewals, t, due.certificateRenewals[1]!);
    add(
      t < d + 7 * Y ? waves.cardReapplications5 : waves.cardReapplications10,
      t,
      due.cardReapplications[1]!,
    );
    add(waves.cardsExpiring, t, due.cardsExpiring[1]!);
    // The counters write every municipality's row every day (model.ts), zeros included.
    const row = (t % w.ringDays) * m;
    w.ring[row] = 0;
    w.ring[row + 1] = t === d ? count : 0;
  }
  return { ...waves, other };
}

describe("ExpiryWindows", () => {
  it("a cohort handed over on day d renews its certificates and minors' cards 4–5 years later, adults' cards 9–10 years later", () => {
    const d = 100;
    const w = follow(RULES, d, 36_500);
    expect(w.other).toBe(0);
    // Birthdays spread evenly: due on each of the 365 days (d + 4Y, d + 5Y].
    expect(w.certificateRenewals.first).toBe(d + 4 * Y);
    expect(w.certificateRenewals.last).toBe(d + 5 * Y - 1);
    // 36,500 × 80 % adults × 80 % renew; fractions carry, so the wave sums to the whole.
    expect(w.certificateRenewals.total).toBeCloseTo(36_500 * 0.8 * 0.8, -1);
    expect(w.cardReapplications5.first).toBe(d + 4 * Y);
    expect(w.cardReapplications5.total).toBeCloseTo(36_500 * 0.2 * 0.9, -1);
    expect(w.cardReapplications10.first).toBe(d + 9 * Y);
    expect(w.cardReapplications10.last).toBe(d + 10 * Y - 1);
    expect(w.cardReapplications10.total).toBeCloseTo(36_500 * 0.8 * 0.75, -1);
    // Every card leaves circulation once: minors' at 5 years, adults' at 10.
    expect(w.cardsExpiring.total).toBeCloseTo(36_500, -1);
  });

  it("holders renew leadDays before expiry", () => {
    const d = 50;
    const w = follow({ ...RULES, leadDays: 45 }, d, 3650);
    expect(w.certificateRenewals.first).toBe(d + 4 * Y - 45);
    expect(w.cardReapplications10.first).toBe(d + 9 * Y - 45);
    expect(w.cardReapplications10.last).toBe(d + 10 * Y - 1 - 45);
  });

  it("holders who died do not come back: adults' flows × exp(−μ·years)", () => {
    const mu = 0.015 / Y;
    const w = follow(RULES, 10, 365_000, mu);
    expect(w.certificateRenewals.total).toBeCloseTo(365_000 * 0.8 * 0.8 * Math.exp(-mu * 5 * Y), -1);
    expect(w.cardReapplications10.total).toBeCloseTo(365_000 * 0.8 * 0.75 * Math.exp(-mu * 10 * Y), -1);
    // Minors' cards are not thinned (child mortality is left out).
    expect(w.cardReapplications5.total).toBeCloseTo(365_000 * 0.2 * 0.9, -1);
  });

  it("defaults follow FACTS §1.4: adult cards 10 years, renewed like certificates, no lead", () => {
    const r = renewalRules({
      certificateYears: 5,
      certificateRenewalShare: 0.7,
      minorCardYears: 5,
      minorCardRenewalShare: 0.9,
    });
    expect([r.cardYears, r.cardRenewalShare, r.leadDays]).toEqual([10, 0.7, 0]);
  });
});

describe("expiry, renewals and population flows in the model (history.yaml, 2-year certificates, 3-year cards)", () => {
  const ROOT = fileURLToPath(new URL("../../", import.meta.url));
  const DATA = join(ROOT, "data");
  const params = (patch: (p: IssuanceParams) => void = () => {}): IssuanceParams => {
    const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
    p.end = "2018-12-31";
    p.renewal = { ...p.renewal, certificateYears: 2, minorCardYears: 2, cardYears: 3, leadDays: 30 };
    p.populationDynamics = {
      birthsPerYear: 727_288,
      deathsPerYear: 1_576_016,
      movesPerYear: 4_880_967,
      moveSeasonality: [0.86, 0.86, 1.7, 1.7, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86, 0.86],
      holderMortalityRatio: 1,
      source: "FACTS §3.3",
    };
    patch(p);
    return p;
  };
  const run = (p: IssuanceParams): IssuanceRunResult =>
    runIssuance(p, populationOf(DATA), new RandomStreams(7).stream("issuance.demand", 0));
  let r: IssuanceRunResult;
  beforeAll(() => {
    r = run(params());
  });
  const col = (name: PopulationColumn): Float64Array => r.columns[name]!;
  const cumulative = (a: Float64Array, i: number): number => a.subarray(0, i + 1).reduce((x, y) => x + y, 0);

  it("writes every population column, one value per day", () => {
    for (const c of POPULATION_COLUMNS) expect(col(c).length).toBe(r.days);
  });

  it("cards in circulation = cards handed over − holders' deaths − expired cards, every day", () => {
    for (const i of [0, 100, 365, 500, 800, r.days - 1]) {
      const expected =
        r.columns.cards_issued_cumulative[i]! -
        cumulative(col("holder_deaths_daily"), i) -
        cumulative(col("card_expiries_daily"), i);
      expect(col("cards_in_circulation")[i]).toBe(expected);
    }
    expect(cumulative(col("holder_deaths_daily"), r.days - 1)).toBeGreaterThan(0);
  });

  it("residents change by births − deaths only", () => {
    const total = populationOf(DATA).total;
    const last = r.days - 1;
    expect(col("residents")[last]).toBe(
      total + cumulative(col("births_daily"), last) - cumulative(col("deaths_daily"), last),
    );
  });

  it("renewals start a year after the first hand-overs (less the lead: birthdays spread over the 2nd year) and expired cards come back as applications", () => {
    const first = r.columns.cards_issued_daily.findIndex((x) => x > 0);
    const renewalStart = col("certificate_renewals_due_daily").findIndex((x) => x > 0);
    expect(renewalStart).toBeGreaterThanOrEqual(first + 365 - 30);
    expect(renewalStart).toBeLessThanOrEqual(first + 365 - 30 + 2);
    const reapplications = cumulative(col("card_renewal_applications_daily"), r.days - 1);
    expect(reapplications).toBeGreaterThan(0);
    // Re-applications are applications: they are inside applications_daily.
    for (let i = 0; i < r.days; i++)
      expect(r.columns.applications_daily[i]).toBeGreaterThanOrEqual(
        col("card_renewal_applications_daily")[i]!,
      );
    // Moved holders and certificate renewals are counter work, served from the renewal queue.
    expect(cumulative(col("moved_holder_visits_daily"), r.days - 1)).toBeGreaterThan(0);
    const arrived =
      cumulative(col("moved_holder_visits_daily"), r.days - 1) +
      cumulative(col("certificate_renewals_due_daily"), r.days - 1);
    expect(
      cumulative(r.columns.certificate_renewals_daily, r.days - 1) + r.columns.backlog_renewals[r.days - 1]!,
    ).toBe(arrived);
  });

  it("keeps common random numbers: a +10 % counters run draws the same new applications", () => {
    // A shorter paired run: the model's days do not depend on the end date.
    const q = run(
      scaleLever(
        params((p) => (p.end = "2017-03-31")),
        "counters",
        1.1,
      ),
    );
    expect(q.columns.cards_issued_cumulative[q.days - 1]).not.toBe(
      r.columns.cards_issued_cumulative[q.days - 1],
    );
    for (let i = 0; i < q.days; i++) {
      const fresh = (x: IssuanceRunResult): number =>
        x.columns.applications_daily[i]! - x.columns.card_renewal_applications_daily![i]!;
      expect(fresh(q)).toBe(fresh(r));
    }
  });

  it("summary.json totals carry the cards in circulation, expiries and holders' deaths", () => {
    const p = params();
    const bc = marginalEffects(
      p,
      [r],
      LEVERS.map(() => r),
    );
    const t = summarise(p, 7, [r], populationOf(DATA), [], null, bc).totals;
    const last = r.days - 1;
    expect(t.cardsInCirculation).toBe(col("cards_in_circulation")[last]);
    expect(t.cardExpiries).toBe(cumulative(col("card_expiries_daily"), last));
    expect(t.holderDeaths).toBe(cumulative(col("holder_deaths_daily"), last));
    expect(t.cardsIssued - t.cardExpiries! - t.holderDeaths!).toBe(t.cardsInCirculation);
  });

  it("is deterministic and the timeseries round-trips with the population columns", () => {
    const again = run(params());
    for (const c of POPULATION_COLUMNS) expect([...again.columns[c]!]).toEqual([...col(c)]);
    const text = timeseriesCsv([r]);
    const t = parseTimeseriesCsv(text);
    expect(t.names).toEqual([...TIMESERIES_COLUMNS, ...POPULATION_COLUMNS]);
    expect(t.columns.get("cards_in_circulation")![r.days - 1]).toBe(col("cards_in_circulation")[r.days - 1]);
  });
});

describe("timeseries.csv and the population columns", () => {
  const n = 3;
  const base = Object.fromEntries(TIMESERIES_COLUMNS.map((c) => [c, new Float64Array(n).fill(1)])) as Record<
    TimeseriesColumn,
    Float64Array
  >;
  it("reads a file without them (runs from before issue 9 item 8)", () => {
    const t = parseTimeseriesCsv(formatTimeseriesCsv(0, base, null));
    expect(t.names).toEqual([...TIMESERIES_COLUMNS]);
  });
  it("refuses a header with only some of them, naming one that is missing", () => {
    const text = formatTimeseriesCsv(0, base, null).replace(
      "lead_time_p99_days",
      "lead_time_p99_days,residents",
    );
    const lines = text.split("\n").map((l, i) => (i > 0 && l ? `${l},5` : l));
    expect(() => parseTimeseriesCsv(lines.join("\n"))).toThrow(
      /1 of the 9 population columns; missing "births_daily"/,
    );
  });
});
