/**
 * Plausibility warnings (issue 9): a 3.3 M/day factory, counters above 100 per 10,000 residents a
 * day, demand at which more residents than there are would apply within a year, and a launch
 * backlog above the population are warnings naming file:line:column and the field (they passed
 * silently); the scenario still loads, and the shipped scenarios have none.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "./load-scenario.js";

const SCENARIOS = fileURLToPath(new URL(".", import.meta.url));
const PLAN = join(SCENARIOS, "plan-87m.yaml");
const dir = mkdtempSync(join(tmpdir(), "myna-plausibility-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (name: string, lines: string[]): string => {
  const file = join(dir, name);
  writeFileSync(file, [`extends: ${PLAN}`, ...lines, ""].join("\n"));
  return file;
};

describe("plausibility warnings", () => {
  it("the shipped scenarios have none", () => {
    for (const f of readdirSync(SCENARIOS).filter((n) => n.endsWith(".yaml")))
      expect(loadScenario(join(SCENARIOS, f)).warnings, f).toEqual([]);
  });

  it("a 3.3 M/day factory: file:line:column, the field, the bound and its source", () => {
    const file = child("factory.yaml", [
      "factory:",
      "  capacityPerDay:",
      "    - { from: 2016-01-01, value: 3300000 }",
    ]);
    const s = loadScenario(file);
    expect(s.params.factory.capacityPerDay[0]!.value).toBe(3_300_000);
    expect(s.warnings).toEqual([
      `${file}:4:34: factory.capacityPerDay[0].value: 3,300,000 is implausibly high: above 700,000 cards/day, 5 × the most ever produced (≈140 k/day in Jan–Mar 2023, FACTS §0, §4.1)`,
    ]);
  });

  it("J-LIS and intake above their bounds", () => {
    const file = child("jlis.yaml", [
      "jlis:",
      "  designLoadPerDay:",
      "    - { from: 2016-01-01, value: 600000 }",
      "intake:",
      "  capacityPerDay:",
      "    - { from: 2016-01-01, value: 150000 }",
      "    - { from: 2017-01-01, value: 2000000 }",
    ]);
    const w = loadScenario(file).warnings;
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(
      new RegExp(`^${file}:8:34: intake\\.capacityPerDay\\[1\\]\\.value: 2,000,000 is implausibly high`),
    );
    expect(w[1]).toMatch(
      new RegExp(`^${file}:4:34: jlis\\.designLoadPerDay\\[0\\]\\.value: 600,000 .*115 k/day`),
    );
  });

  it("counter staffing that gives above 100 hand-overs per 10,000 residents per day", () => {
    const file = child("counters.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2016-01-01, value: 3.24 }",
      "    - { from: 2018-01-01, value: 50 }",
    ]);
    // 50 staff per 100,000 × 525 min ÷ 20 min = 131 hand-overs per 10,000 residents a day.
    expect(loadScenario(file).warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${file}:5:34: counters\\.staffPerHundredThousand\\[1\\]\\.value: 50 staff per 100,000 residents is implausibly high: it gives 131 hand-overs per 10,000`,
        ),
      ),
    ]);
  });

  it("more residents applying in a year than there are: at the shock that drives it", () => {
    const file = child("demand.yaml", [
      "demand:",
      "  shocks:",
      "    - name: huge",
      "      start: 2017-01-01",
      "      end: 2017-12-31",
      "      multiplier: 60",
      "      source: test",
    ]);
    const w = loadScenario(file).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      new RegExp(
        `^${file}:7:19: demand\\.shocks\\[0\\]\\.multiplier: demand is implausibly high: from \\d{4}-\\d\\d-\\d\\d to 2017-\\d\\d-\\d\\d, propensity × shocks sum to `,
      ),
    );
    // ×30 over half a year stays below one application per resident a year: no warning.
    const ok = child("demand-ok.yaml", [
      "demand:",
      "  shocks:",
      "    - { name: big, start: 2017-01-01, end: 2017-06-30, multiplier: 3, source: t }",
    ]);
    expect(loadScenario(ok).warnings).toEqual([]);
  });

  it("a launch backlog above the population", () => {
    const file = child("backlog.yaml", ["demand:", "  initialBacklog:", "    applications: 200000000"]);
    expect(loadScenario(file).warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^${file}:4:19: demand\\.initialBacklog\\.applications: 200,000,000 is implausibly high`),
      ),
    ]);
  });

  it("a warning caused by --set names the override", () => {
    const s = loadScenario(PLAN, ["factory.capacityPerDay[0].value=3300000"]);
    expect(s.warnings).toEqual([
      expect.stringMatching(
        /^--set factory\.capacityPerDay\[0\]\.value: factory\.capacityPerDay\[0\]\.value: 3,300,000 is implausibly high/,
      ),
    ]);
  });
});
