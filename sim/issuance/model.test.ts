/**
 * Invariants of the national issuance model on short runs derived from scenarios/history.yaml
 * (read as YAML text: sim/ may not import the scenario loader, DESIGN.md §3).
 *
 * Conservation, as the model counts (model.ts): `applications_cumulative` starts at the initial
 * backlog (seeded into J-LIS intake before day 0) and adds `applications_daily`, which includes
 * minors' expired cards coming back as new applications (`#expire` → `apps`). Certificate renewals
 * are NOT applications: they wait in `backlog_renewals` and leave through
 * `certificate_renewals_daily`. So on every simulated day i, exactly:
 *
 *   applications_cumulative[i] = cards_issued_cumulative[i] + backlog_in_post[i]
 *     + backlog_jlis_intake[i] + backlog_factory[i] + backlog_shipping[i]
 *     + backlog_awaiting_visit[i] + backlog_counter_queue[i]
 *
 * and applications_cumulative[i] = initialBacklog + Σ_{j ≤ i} applications_daily[j].
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseIsoDate } from "../../engine/calendar.js";
import { RandomStreams } from "../../engine/random/index.js";
import { runIssuance, TIMESERIES_COLUMNS, type IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { populationOf } from "./replication.js";
import { JlisThroughput } from "./jlis-throughput.js";
import { Schedule } from "./schedule.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

/** scenarios/history.yaml as plain params (YAML 1.2 core schema keeps dates as strings). */
function historyParams(patch: (p: IssuanceParams) => void = () => {}): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  patch(p);
  return p;
}

function run(params: IssuanceParams, seed = 1): IssuanceRunResult {
  const random = new RandomStreams(seed).stream("issuance.demand", 0);
  return runIssuance(params, populationOf(DATA), random);
}

const BACKLOGS = [
  "backlog_in_post",
  "backlog_jlis_intake",
  "backlog_factory",
  "backlog_shipping",
  "backlog_awaiting_visit",
  "backlog_counter_queue",
] as const;

const COUNT_COLUMNS = [
  "applications_daily",
  "applications_cumulative",
  "cards_issued_daily",
  "cards_issued_cumulative",
  "certificate_renewals_daily",
  ...BACKLOGS,
  "backlog_renewals",
] as const;

/** Outage minutes inside each day's business hours, computed independently of the model. */
function businessMinutes(p: IssuanceParams): number {
  const clock = (hhmm: string): number => {
    const [h, m] = hhmm.split(":").map(Number);
    return h! * 60 + m!;
  };
  const open = clock(p.jlis.businessHours.open);
  const close = clock(p.jlis.businessHours.close);
  const start = parseIsoDate(p.start);
  const end = parseIsoDate(p.end);
  let total = 0;
  for (const o of p.jlis.outages) {
    const [d0, t0] = o.start.split("T") as [string, string];
    const [d1, t1] = o.end.split("T") as [string, string];
    const from = parseIsoDate(d0) * 1440 + clock(t0);
    const to = parseIsoDate(d1) * 1440 + clock(t1);
    for (let d = parseIsoDate(d0); d <= parseIsoDate(d1); d++) {
      if (d < start || d > end) continue;
      total += Math.max(0, Math.min(to, d * 1440 + close) - Math.max(from, d * 1440 + open));
    }
  }
  return total;
}

const histogramTotal = (h: Float64Array): number => h.reduce((a, b) => a + b, 0);

/** Checks conservation on every day; returns a description of the first failure or null. */
function conservationFailure(r: IssuanceRunResult, initialBacklog: number): string | null {
  const c = r.columns;
  let apps = initialBacklog;
  for (let i = 0; i < r.days; i++) {
    apps += c.applications_daily[i]!;
    const held = c.cards_issued_cumulative[i]! + BACKLOGS.reduce((a, k) => a + c[k][i]!, 0);
    if (c.applications_cumulative[i] !== held) {
      return `day ${i}: applications_cumulative ${c.applications_cumulative[i]} ≠ issued + backlogs ${held}`;
    }
    if (c.applications_cumulative[i] !== apps) {
      return `day ${i}: applications_cumulative ${c.applications_cumulative[i]} ≠ backlog + Σ daily ${apps}`;
    }
  }
  return null;
}

function nonIntegerCount(r: IssuanceRunResult): string | null {
  for (const k of COUNT_COLUMNS) {
    const col = r.columns[k];
    for (let i = 0; i < r.days; i++) {
      const v = col[i]!;
      if (!Number.isInteger(v) || v < 0) return `${k}[${i}] = ${v}`;
    }
  }
  return null;
}

describe("runIssuance on 2016-01-01 … 2016-06-30 (history.yaml)", () => {
  const params = historyParams((p) => (p.end = "2016-06-30"));
  let r: IssuanceRunResult;
  beforeAll(() => {
    r = run(params, 1);
  });

  it("has one value per day in every column", () => {
    expect(r.days).toBe(182);
    expect(r.startDay).toBe(parseIsoDate("2016-01-01"));
    for (const k of TIMESERIES_COLUMNS) expect(r.columns[k].length).toBe(182);
  });

  it("conserves every application exactly: issued + every backlog column = applications (initial backlog included)", () => {
    expect(r.columns.applications_cumulative[0]).toBeGreaterThanOrEqual(
      params.demand.initialBacklog.applications,
    );
    expect(conservationFailure(r, params.demand.initialBacklog.applications)).toBeNull();
  });

  it("keeps every count a non-negative integer (no NaN)", () => {
    expect(nonIntegerCount(r)).toBeNull();
    for (const k of [
      "intake_utilisation",
      "factory_utilisation",
      "counter_utilisation",
      "jlis_availability",
    ] as const) {
      expect(r.columns[k].some((v) => Number.isNaN(v))).toBe(false);
    }
  });

  it("never hands over more than the J-LIS capacity left after outages", () => {
    // The mechanism's capacity (jlis-throughput.ts): design load × normal / slowed transaction time.
    const jlis = new JlisThroughput(params.jlis, 8.75 / 24);
    const c = r.columns;
    let bound = 0;
    for (let i = 0; i < r.days; i++) {
      const cap = Math.floor(jlis.nationalCapacity(r.startDay + i, c.jlis_availability[i]!));
      const handed = c.cards_issued_daily[i]! + c.certificate_renewals_daily[i]!;
      if (handed > cap) expect.fail(`day ${i}: ${handed} hand-overs > J-LIS capacity ${cap}`);
      if (handed === cap) bound++;
    }
    // The 2016 J-LIS limit really binds on early-2016 weekdays, so the check is not vacuous.
    expect(bound).toBeGreaterThan(10);
  });

  it("keeps intake, factory and counters within capacity (utilisation ≤ 1, whole cards)", () => {
    const c = r.columns;
    const factory = new Schedule(params.factory.capacityPerDay, "factory");
    const intake = new Schedule(params.intake.capacityPerDay, "intake");
    let factoryFull = 0;
    for (let i = 0; i < r.days; i++) {
      for (const k of ["intake_utilisation", "factory_utilisation", "counter_utilisation"] as const) {
        const u = c[k][i]!;
        if (!(u >= 0 && u <= 1)) expect.fail(`${k}[${i}] = ${u}`);
      }
      const made = c.factory_utilisation[i]! * Math.floor(factory.at(r.startDay + i));
      expect(Math.abs(made - Math.round(made))).toBeLessThan(1e-6);
      const received = c.intake_utilisation[i]! * Math.floor(intake.at(r.startDay + i));
      expect(Math.abs(received - Math.round(received))).toBeLessThan(1e-6);
      if (c.factory_utilisation[i] === 1) factoryFull++;
    }
    // Factory flow: the factory backlog grows by what intake passed on and shrinks by what it made.
    for (let i = 1; i < r.days; i++) {
      const made = Math.round(c.factory_utilisation[i]! * Math.floor(factory.at(r.startDay + i)));
      const passed = Math.round(c.intake_utilisation[i]! * Math.floor(intake.at(r.startDay + i)));
      expect(c.backlog_factory[i]).toBe(c.backlog_factory[i - 1]! + passed - made);
    }
    expect(factoryFull).toBeGreaterThan(10);
  });

  it("orders the daily lead-time percentiles p50 ≤ p90 ≤ p99 (NaN only on days with no hand-over)", () => {
    const c = r.columns;
    let days = 0;
    for (let i = 0; i < r.days; i++) {
      const [p50, p90, p99] = [c.lead_time_p50_days[i]!, c.lead_time_p90_days[i]!, c.lead_time_p99_days[i]!];
      if (c.cards_issued_daily[i] === 0) continue;
      days++;
      if (!(p50 <= p90 && p90 <= p99)) expect.fail(`day ${i}: p50 ${p50}, p90 ${p90}, p99 ${p99}`);
      if (!(p50 >= 0)) expect.fail(`day ${i}: p50 ${p50}`);
    }
    expect(days).toBeGreaterThan(100);
  });

  it("puts every card handed over into the lead-time histogram", () => {
    const c = r.columns;
    const dailySum = c.cards_issued_daily.reduce((a, b) => a + b, 0);
    expect(histogramTotal(r.leadTimeHistogram)).toBe(dailySum);
    expect(histogramTotal(r.leadTimeHistogram)).toBe(c.cards_issued_cumulative[r.days - 1]);
    // The target date (2020-03-31) lies after the run: the to-target histogram is the whole run.
    expect(Array.from(r.leadTimeHistogramToTarget)).toEqual(Array.from(r.leadTimeHistogram));
    // Nobody gets a card before shipping + notification days after intake.
    const first = r.leadTimeHistogram.findIndex((x) => x > 0);
    expect(first).toBeGreaterThanOrEqual(params.shipping.days + params.notification.days);
  });

  it("counts the scenario's outage minutes that fall in business hours", () => {
    const minutes = businessMinutes(params);
    expect(minutes).toBeGreaterThan(0);
    expect(r.outageMinutesInBusinessHours).toBeCloseTo(minutes, 4);
  });

  // Regression: the daily tick settles day i at time start + i + 1 and the kernel's run(until) does
  // not process events at exactly `until`, so the last day once stayed all zeros.
  it("simulates the last day of the run (its row is not left at zero)", () => {
    const c = r.columns;
    const last = r.days - 1;
    expect(c.applications_cumulative[last]).toBeGreaterThanOrEqual(c.applications_cumulative[last - 1]!);
    expect(c.cards_issued_cumulative[last]).toBeGreaterThanOrEqual(c.cards_issued_cumulative[last - 1]!);
    expect(c.jlis_availability[last]).toBe(1);
    expect(histogramTotal(r.leadTimeHistogram)).toBe(c.cards_issued_cumulative[last]);
  });

  it("is deterministic: the same seed gives identical columns, another seed different ones", () => {
    const again = run(params, 1);
    for (const k of TIMESERIES_COLUMNS)
      expect(Array.from(again.columns[k])).toEqual(Array.from(r.columns[k]));
    expect(Array.from(again.leadTimeHistogram)).toEqual(Array.from(r.leadTimeHistogram));
    const other = run(params, 2);
    expect(Array.from(other.columns.applications_daily)).not.toEqual(
      Array.from(r.columns.applications_daily),
    );
    // …but exactness does not depend on the seed.
    expect(conservationFailure(other, params.demand.initialBacklog.applications)).toBeNull();
  });
});

describe("J-LIS outages", () => {
  it("the 2016-02-22 13:00–16:30 outage lowers availability to 1 − 3.5/8.75 on exactly that day", () => {
    const params = historyParams((p) => {
      p.end = "2016-03-15";
      p.jlis.outages = [{ start: "2016-02-22T13:00", end: "2016-02-22T16:30", source: "test" }];
    });
    const r = run(params);
    const day = parseIsoDate("2016-02-22") - r.startDay;
    const a = r.columns.jlis_availability;
    expect(a[day]).toBeCloseTo(1 - 3.5 / 8.75, 9);
    // Every other simulated day is fully available.
    const others: number[] = [];
    for (let i = 0; i < r.days; i++) if (i !== day && a[i] !== 1) others.push(i);
    expect(others).toEqual([]);
    expect(r.outageMinutesInBusinessHours).toBeCloseTo(210, 6);
    // Hand-overs that day stay within the reduced J-LIS capacity (60,000/day from 2016-04-01; 34,000 before).
    const handed = r.columns.cards_issued_daily[day]! + r.columns.certificate_renewals_daily[day]!;
    expect(handed).toBeLessThanOrEqual(Math.floor(34_000 * (1 - 3.5 / 8.75)));
  });

  it("an outage outside business hours costs nothing", () => {
    const params = historyParams((p) => {
      p.end = "2016-01-31";
      p.jlis.outages = [{ start: "2016-01-12T18:00", end: "2016-01-13T08:00", source: "test" }];
    });
    const r = run(params);
    for (let i = 0; i < r.days; i++) expect(r.columns.jlis_availability[i]).toBe(1);
    expect(r.outageMinutesInBusinessHours).toBe(0);
  });
});

describe("renewals and minors' re-applications (2-year certificates, so they start within the run)", () => {
  it("minors' expired cards come back as applications, renewals stay out of the balance, all exact", () => {
    // No fresh demand: the only applications after the initial backlog are minors' re-applications.
    const params = historyParams((p) => {
      p.end = "2017-01-31";
      p.renewal.certificateYears = 2;
      p.renewal.leadDays = 0; // renewals exactly at expiry, so none fall in the first year
      p.demand.baseAnnualPropensity = [{ from: "2016-01-01", value: 0 }];
      p.demand.shocks = [];
    });
    const r = run(params);
    const apps = r.columns.applications_daily;
    const firstYear = apps.slice(0, 365).reduce((a, b) => a + b, 0);
    const afterwards = apps.slice(365, r.days).reduce((a, b) => a + b, 0);
    expect(firstYear).toBe(0);
    expect(afterwards).toBeGreaterThan(0);
    const renewals = r.columns.certificate_renewals_daily.reduce((a, b) => a + b, 0);
    expect(renewals).toBeGreaterThan(0);
    expect(conservationFailure(r, params.demand.initialBacklog.applications)).toBeNull();
    expect(nonIntegerCount(r)).toBeNull();
  });
});
