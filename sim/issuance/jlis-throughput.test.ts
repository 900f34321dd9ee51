/**
 * The J-LIS card management system as a mechanism (jlis-throughput.ts, issue 9 item 2): national
 * capacity = design load × normal / current transaction time, per-municipality capacity = terminals ×
 * business seconds / transaction time, both cut by outage-lost business hours; a slowdown event cuts
 * throughput in the model run; bad `jlis:` values are one message naming file:line and the field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import { RandomStreams } from "../../engine/random/index.js";
import { JlisThroughput } from "./jlis-throughput.js";
import { runIssuance } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { populationOf } from "./replication.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PLAN = join(ROOT, "scenarios", "plan-87m.yaml");
/** A scenario without `extends:`, as the loader would give it. */
const loadPlan = (): IssuanceParams => parse(readFileSync(PLAN, "utf8")) as IssuanceParams;
const BUSINESS = 8.75 / 24; // 08:30–17:15
const day = (iso: string): number => parseIsoDate(iso);

function jlis(over: Partial<IssuanceParams["jlis"]> = {}): IssuanceParams["jlis"] {
  return {
    designLoadPerDay: [{ from: "2016-01-01", value: 115_000 }],
    transactionSeconds: 10,
    terminalsPerMunicipality: [
      { from: "2016-01-01", value: 30 },
      { from: "2016-04-18", value: 42 },
    ],
    slowdowns: [{ start: "2016-01-13", end: "2016-03-31", transactionSeconds: 34, source: "test" }],
    businessHours: { open: "08:30", close: "17:15" },
    outages: [],
    ...over,
  };
}

describe("JlisThroughput", () => {
  const m = new JlisThroughput(jlis(), BUSINESS);

  it("serves the design load at the normal transaction time", () => {
    expect(m.transactionSeconds(day("2016-01-12"))).toBe(10);
    expect(m.nationalCapacity(day("2016-01-12"), 1)).toBeCloseTo(115_000, 6);
    expect(m.nationalCapacity(day("2016-04-01"), 1)).toBeCloseTo(115_000, 6);
  });

  it("a slowdown cuts national throughput in proportion to the transaction time", () => {
    expect(m.transactionSeconds(day("2016-01-13"))).toBe(34);
    expect(m.transactionSeconds(day("2016-03-31"))).toBe(34);
    expect(m.nationalCapacity(day("2016-02-01"), 1)).toBeCloseTo((115_000 * 10) / 34, 6);
  });

  it("terminals × business seconds / transaction time per municipality, 30 then 42 terminals", () => {
    // 30 terminals × 31,500 s / 10 s = 94,500 hand-overs; slowed to 34 s: 27,794.
    expect(m.terminalCapacity(day("2016-01-12"), 1)).toBeCloseTo(94_500, 6);
    expect(m.terminalCapacity(day("2016-02-01"), 1)).toBeCloseTo((30 * 31_500) / 34, 6);
    expect(m.terminalCapacity(day("2016-05-01"), 1)).toBeCloseTo(42 * 3_150, 6);
  });

  it("outage-lost business hours scale both bounds", () => {
    expect(m.nationalCapacity(day("2016-01-12"), 0.6)).toBeCloseTo(69_000, 6);
    expect(m.terminalCapacity(day("2016-01-12"), 0)).toBe(0);
  });

  it("refuses a non-positive transaction time", () => {
    expect(() => new JlisThroughput(jlis({ transactionSeconds: 0 }), BUSINESS)).toThrow(InputError);
  });
});

describe("a slowdown in the model run (plan-87m, 2016-01-01 … 2016-03-31, seed 3)", () => {
  const population = populationOf(join(ROOT, "data"));
  const run = (slowdowns: IssuanceParams["jlis"]["slowdowns"]) => {
    const p = loadPlan();
    p.end = "2016-03-31";
    p.target = { cards: 1_000_000, date: "2016-03-31" };
    p.cryptoSample = undefined;
    p.jlis.slowdowns = slowdowns;
    return runIssuance(p, population, new RandomStreams(3).stream("issuance", 0));
  };

  it("cuts hand-overs to the slowed capacity and leaves applications alone", () => {
    const normal = run([]);
    const slow = run([{ start: "2016-02-01", end: "2016-03-31", transactionSeconds: 40, source: "test" }]);
    const cap = Math.floor((115_000 * 10) / 40);
    const i0 = day("2016-02-01") - slow.startDay;
    let atCap = 0;
    for (let i = i0; i < slow.days; i++) {
      const handed = slow.columns.cards_issued_daily[i]! + slow.columns.certificate_renewals_daily[i]!;
      expect(handed).toBeLessThanOrEqual(cap);
      if (handed === cap) atCap++;
    }
    expect(atCap).toBeGreaterThan(10);
    const last = slow.days - 1;
    expect(slow.columns.cards_issued_cumulative[last]!).toBeLessThan(
      0.8 * normal.columns.cards_issued_cumulative[last]!,
    );
    expect(Array.from(slow.columns.applications_daily)).toEqual(
      Array.from(normal.columns.applications_daily),
    );
    expect(slow.stages.jlis.saturatedDays).toBeGreaterThan(normal.stages.jlis.saturatedDays);
  });
});
