/**
 * PIN lockouts loading the counters (pin-resets.ts) on short runs of scenarios/history.yaml: a zero
 * lockout rate reproduces the run without the coupling exactly; PIN-reset visits cost hand-overs when
 * the counters bind and nothing when they have slack; the resets follow sim/auth's lockout flow.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RandomStreams } from "../../engine/random/index.js";
import { AUTH_DEFAULTS, type AuthParams } from "../auth/params.js";
import { lockoutProbability } from "../auth/lockouts.js";
import { runIssuance, TIMESERIES_COLUMNS, type IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { populationOf } from "./replication.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

function params(end: string, patch: (p: IssuanceParams) => void = () => {}): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  p.end = end;
  delete p.counters.minutesPerPinReset;
  patch(p);
  return p;
}

function run(p: IssuanceParams, seed = 1): IssuanceRunResult {
  return runIssuance(p, populationOf(DATA), new RandomStreams(seed).stream("issuance.demand", 0));
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);
const last = (a: Float64Array): number => a[a.length - 1]!;

/** Lockouts high enough to matter on a short run (the defaults give a few hundred a day nationally). */
const heavy = (minutes: number): ((p: IssuanceParams) => void) => {
  return (p) => {
    const auth: AuthParams = {
      ...AUTH_DEFAULTS,
      lockout: { firstErrorRate: 0.5, repeatErrorRate: 0.9, counterVisitShare: 1, meanDaysToVisit: 2 },
    };
    p.auth = auth;
    p.counters.minutesPerPinReset = minutes;
  };
};

describe("PIN-reset visits at the issuance counters", () => {
  it("a zero lockout rate reproduces the run without the coupling exactly", () => {
    const end = "2016-04-30";
    const off = run(params(end));
    const zero = run(
      params(end, (p) => {
        p.auth = { ...AUTH_DEFAULTS, lockout: { ...AUTH_DEFAULTS.lockout, firstErrorRate: 0 } };
        p.counters.minutesPerPinReset = 30;
      }),
    );
    for (const c of TIMESERIES_COLUMNS) expect(zero.columns[c], c).toEqual(off.columns[c]);
    expect(zero.columns.cards_in_circulation).toEqual(off.columns.cards_in_circulation);
    expect(zero.leadTimeHistogram).toEqual(off.leadTimeHistogram);
    expect(zero.work).toEqual(off.work);
    expect(off.pinResets).toBeUndefined();
    expect(sum(zero.pinResets!.visitsDaily)).toBe(0);
  });

  it("visits take hand-overs when the counters bind", () => {
    const end = "2016-06-30";
    // A tenth of history's counter staff: the counters bind from the start (and J-LIS, without the
    // 2016 slowdowns and outages and with a large design load, does not).
    const thin = (p: IssuanceParams): void => {
      p.counters.staffPerHundredThousand = [{ from: "2016-01-01", value: 0.324 }];
      p.jlis.slowdowns = [];
      p.jlis.outages = [];
      p.jlis.designLoadPerDay = [{ from: "2016-01-01", value: 10_000_000 }];
    };
    const base = run(params(end, thin));
    const loaded = run(
      params(end, (p) => {
        thin(p);
        heavy(20)(p);
      }),
    );
    const s = loaded.pinResets!;
    const resets = sum(s.resetsDaily);
    expect(resets).toBeGreaterThan(10_000);
    const lost = last(base.columns.cards_issued_cumulative) - last(loaded.columns.cards_issued_cumulative);
    // A reset of 20 minutes is at most one 20-minute hand-over less: a day's hand-overs are whole, so
    // resets first use the staff minutes too few for another hand-over, and small municipalities at
    // the minimum staff have slack.
    expect(lost).toBeGreaterThan(0.25 * resets);
    expect(lost).toBeLessThanOrEqual(resets + 1741 * 182);
    for (let i = 0; i < base.days; i++)
      expect(loaded.columns.cards_issued_cumulative[i]!).toBeLessThanOrEqual(
        base.columns.cards_issued_cumulative[i]!,
      );
    // Applications are the same draws: the coupling takes no random numbers.
    expect(loaded.columns.applications_cumulative).toEqual(base.columns.applications_cumulative);
  });

  it("visits cost nothing when the counters have slack, and every visitor is reset the day they come", () => {
    const end = "2016-06-30";
    const roomy = (p: IssuanceParams): void => {
      // Staff everywhere well above the J-LIS terminals' bound, weekends included.
      p.counters.staffPerHundredThousand = [{ from: "2016-01-01", value: 400 }];
      p.counters.minimumStaff = 10;
      p.counters.weekendFactor = 1;
    };
    const base = run(params(end, roomy));
    const loaded = run(
      params(end, (p) => {
        roomy(p);
        heavy(20)(p);
      }),
    );
    const s = loaded.pinResets!;
    expect(sum(s.visitsDaily)).toBeGreaterThan(10_000);
    expect(loaded.columns.cards_issued_daily).toEqual(base.columns.cards_issued_daily);
    for (let i = 0; i < loaded.days; i++) expect(s.resetsDaily[i]!).toBeCloseTo(s.visitsDaily[i]!, 6);
  });

  it("lockouts are the cards in circulation × PIN entries × the lockout probability, deterministically", () => {
    const p = params("2016-04-30", heavy(10));
    const a = run(p);
    const b = run(p);
    expect(a.pinResets).toEqual(b.pinResets);
    const s = a.pinResets!;
    const q = lockoutProbability(p.auth!.lockout);
    // Lockouts on a day with cards follow the cards in circulation that day.
    const i = a.days - 1;
    expect(s.lockoutsDaily[i]!).toBeGreaterThan(0);
    expect(s.lockoutsDaily[i]! / a.columns.cards_in_circulation![i]! / q).toBeLessThan(1);
    // Visitors arrive later than they lock out, and no more of them than locked out.
    expect(s.visitsDaily[0]).toBe(0);
    expect(sum(s.visitsDaily)).toBeLessThanOrEqual(sum(s.lockoutsDaily) + 1e-6);
  });
});
