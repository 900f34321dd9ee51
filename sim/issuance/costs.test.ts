/**
 * Staff and money (costs.ts, costs-summary.ts, issue 9 item 4): yen by stage add up from the work
 * and the unit costs; the work content of N cards; a model run's staff-days are the staffing on duty
 * (the same with or without residents coming); the summary answers the target question and says
 * when demand is short; bad `costs:` values are one message naming file:line and the field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RandomStreams } from "../../engine/random/index.js";
import { RunCostsSchema } from "../run-format/index.js";
import { CounterCapacity } from "./counter-capacity.js";
import { workContent, yenOfWork } from "./costs.js";
import { runCosts } from "./costs-summary.js";
import { runIssuance } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { populationOf } from "./replication.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PLAN = join(ROOT, "scenarios", "plan-87m.yaml");
/** A scenario without `extends:`, as the loader would give it. */
const loadPlan = (): IssuanceParams => parse(readFileSync(PLAN, "utf8")) as IssuanceParams;
const UNIT = {
  cardProductionYenPerCard: 1000,
  jlisYenPerTransaction: 80,
  counterStaffYenPerDay: 25_000,
  postageYenPerCard: 117,
};

describe("yen by stage", () => {
  it("each stage is its work × its unit cost, and the total is their sum", () => {
    const y = yenOfWork(
      { cardsMade: 10, jlisTransactions: 12, counterStaffDays: 2.5, postcards: 9, terminalBoundDays: 0 },
      UNIT,
    );
    expect(y).toEqual({
      cardProduction: 10_000,
      jlis: 960,
      counterStaff: 62_500,
      postage: 1053,
      total: 10_000 + 960 + 62_500 + 1053,
    });
  });

  it("work content of N cards: N × minutes ÷ opening minutes staff-days and N × per-card costs", () => {
    const p = loadPlan();
    const w = workContent(p, 87_000_000);
    // 87 M × 20 min ÷ 525 min = 3,314,285.7 staff-days.
    expect(w.counterStaffDays).toBeCloseTo((87_000_000 * 20) / 525, 3);
    expect(w.yen!.cardProduction).toBe(87_000_000_000);
    expect(w.yen!.total).toBeCloseTo(87e6 * (1000 + 80 + 117) + w.counterStaffDays * 25_000, 0);
  });
});

describe("a model run's staff and money (plan-87m, 2016-01-01 … 2016-02-29, seed 5)", () => {
  const population = populationOf(join(ROOT, "data"));
  const params = (() => {
    const p = loadPlan();
    p.end = "2016-02-29";
    p.target = { cards: 87_000_000, date: "2016-01-31" };
    p.cryptoSample = undefined;
    return p;
  })();
  const r = runIssuance(params, population, new RandomStreams(5).stream("issuance", 0));

  it("staff-days are the staffing on duty: Σ days Σ municipalities staff (within 0.2 %: residents move)", () => {
    const c = new CounterCapacity(params.counters, 8.75 / 24);
    let expected = 0;
    let toTarget = 0;
    for (let d = r.startDay; d < r.startDay + r.days; d++) {
      let day = 0;
      for (const m of population.municipalities) day += c.staff(d, m.population);
      expected += day;
      if (d <= r.startDay + 30) toTarget += day;
    }
    // Staffing follows each municipality's residents, which births, deaths and moves change a little.
    expect(Math.abs(r.work.all.counterStaffDays / expected - 1)).toBeLessThan(0.002);
    expect(Math.abs(r.work.toTarget.counterStaffDays / toTarget - 1)).toBeLessThan(0.002);
    expect(r.work.toTarget.counterStaffDays).toBeLessThan(r.work.all.counterStaffDays);
  });

  it("J-LIS transactions are the hand-overs and renewals; cards made and postcards bound them", () => {
    const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
    expect(r.work.all.jlisTransactions).toBe(
      sum(r.columns.cards_issued_daily) + sum(r.columns.certificate_renewals_daily),
    );
    expect(r.work.all.cardsMade).toBeGreaterThanOrEqual(r.work.all.postcards);
    expect(r.work.all.postcards).toBeGreaterThanOrEqual(sum(r.columns.cards_issued_daily));
    expect(r.work.all.cardsMade).toBeGreaterThan(0);
  });

  it("the summary states the run's yen by stage and that demand is short of 87 M by the date", () => {
    const c = runCosts(params, [r])!;
    expect(RunCostsSchema.parse(c)).toEqual(c);
    expect(c.all.yen.total).toBeCloseTo(
      c.all.yen.cardProduction + c.all.yen.jlis + c.all.yen.counterStaff + c.all.yen.postage,
      3,
    );
    expect(c.target.demandShort).toBe(true);
    const i = 30;
    expect(c.target.applicationsByDate).toBe(r.columns.applications_cumulative[i]);
    expect(c.target.applicationsMade!.counterStaffDays).toBeCloseTo(
      (c.target.applicationsByDate! * 20) / 525,
      3,
    );
    expect(runCosts({ ...params, costs: undefined }, [r])).toBeUndefined();
  });
});
