/**
 * The run command's headline (issue 9): with `target.maxLeadTimeP90Days` the capacity line names the
 * bound, the p90 at the answer and which bound binds; without it, the line is as before. And a run
 * prints the scenario's plausibility warnings on stderr and records them in manifest.json.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../sim/run-format/index.js";
import { runCli } from "./_test-cli.js";
import { headline } from "./run-command.js";

const tmp = mkdtempSync(join(tmpdir(), "myna-run-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const summary = (requiredCapacity: RunSummary["requiredCapacity"]): RunSummary =>
  ({
    scenario: "plan-87m",
    period: { start: "2016-01-01", end: "2020-12-31" },
    target: {
      cards: 87_000_000,
      date: "2020-03-31",
      reached: true,
      reachedShare: 1,
      reachedOn: "2019-11-05",
      reachedOnRange: null,
      cardsOnTargetDate: { mean: 9e7, lower: 9e7, upper: 9e7 },
      shortfallOnTargetDate: 0,
    },
    bindingConstraint: { stage: "demand", effects: [], byPeriod: [], explanation: "" },
    leadTimeDays: { all: { p50: 20, p90: 70, p99: 200, mean: 30 }, toTargetDate: null },
    fidelity: { national: [], maxAbsErrorPercent: null, prefectures: null },
    requiredCapacity,
  }) as unknown as RunSummary;

const rc = {
  multiplier: 0.95,
  factoryPerDayOnTargetDate: 104_500,
  countersPerTenThousandOnTargetDate: 8.08,
  boundBy: "leadTime" as const,
  leadTimeP90Days: 59,
  maxLeadTimeP90Days: 60,
};

describe("headline: the capacity line", () => {
  it("bounded: names the bound, the p90 and the bound that binds", () => {
    expect(headline(summary(rc), 60)).toContain(
      "Capacity that would have reached it by 2020-03-31 with p90 lead time ≤ 60 days: ×0.95 (factory 104,500 cards/day; p90 59 days; the lead-time bound binds).",
    );
    expect(headline(summary({ ...rc, boundBy: "cards" }), 60)).toContain("the cards bound binds");
    expect(headline(summary({ ...rc, boundBy: "cardsAndLeadTime" }), 60)).toContain("both bounds bind");
    expect(headline(summary(null), 60)).toContain(
      "Capacity search: no multiplier up to ×64 reaches it by 2020-03-31 with p90 lead time ≤ 60 days.",
    );
  });

  it("unbounded: as before", () => {
    expect(headline(summary({ ...rc, boundBy: "cards", maxLeadTimeP90Days: null }))).toContain(
      "Capacity that would have reached it by 2020-03-31: ×0.95 (factory 104,500 cards/day).",
    );
  });
});

describe("run: plausibility warnings", () => {
  it("are printed on stderr with where they come from, the run goes on, and the manifest records them", async () => {
    const out = join(tmp, "run-warned");
    const o = await runCli([
      "run",
      "scenarios/jlis-outage-2016.yaml",
      "--set",
      "end=2016-01-31",
      "--set",
      "counters.staffPerHundredThousand[0].value=60",
      "--out",
      out,
    ]);
    expect(o.code, o.stderr).toBe(0);
    const warning =
      /^warning: --set counters\.staffPerHundredThousand\[0\]\.value: counters\.staffPerHundredThousand\[0\]\.value: 60 staff per 100,000 residents is implausibly high/m;
    expect(o.stderr).toMatch(warning);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { warnings: string[] };
    expect(manifest.warnings).toHaveLength(1);
    expect(`warning: ${manifest.warnings[0]}`).toMatch(warning);
  });
});
