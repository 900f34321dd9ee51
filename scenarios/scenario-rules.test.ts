/**
 * Cross-field rules added in issue 9: schedule dates out of order and pickup shares that do not sum
 * to 1 (written as 25/75) are errors naming file:line:column and the field (both passed silently).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenario } from "./load-scenario.js";

const PLAN = fileURLToPath(new URL("./plan-87m.yaml", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-rules-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (name: string, lines: string[]): string => {
  const file = join(dir, name);
  writeFileSync(file, [`extends: ${PLAN}`, ...lines, ""].join("\n"));
  return file;
};

function messageOf(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe("E_SCENARIO");
    return (e as InputError).message;
  }
  return expect.fail("expected an InputError");
}

describe("schedules in date order", () => {
  it("a schedule whose dates go back is an error at the entry out of order", () => {
    const file = child("order.yaml", [
      "factory:",
      "  capacityPerDay:",
      "    - { from: 2016-06-01, value: 110000 }",
      "    - { from: 2016-01-01, value: 90000 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toBe(
      `${file}:5:15: factory.capacityPerDay[1].from: schedule dates must increase: 2016-01-01 is not after 2016-06-01 (entry [0])`,
    );
  });

  it("a repeated date is an error too, in any schedule (counters, propensity)", () => {
    const file = child("repeat.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2016-01-01, value: 3 }",
      "    - { from: 2016-01-01, value: 4 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      /:5:15: counters\.staffPerHundredThousand\[1\]\.from: schedule dates must increase: 2016-01-01 is not after 2016-01-01/,
    );
    expect(
      messageOf(() =>
        loadScenario(PLAN, [
          "demand.baseAnnualPropensity=[{from: 2017-01-01, value: 0.1}, {from: 2016-01-01, value: 0.2}]",
        ]),
      ),
    ).toMatch(
      /^--set demand\.baseAnnualPropensity: demand\.baseAnnualPropensity\[1\]\.from: schedule dates must increase/,
    );
  });
});

describe("pickup shares", () => {
  it("shares written as percentages (25/75): an error with a hint", () => {
    const file = child("pickup.yaml", [
      "pickup:",
      "  delayDays:",
      "    - { days: 3, share: 25 }",
      "    - { days: 30, share: 75 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toBe(
      `${file}:4:5: pickup.delayDays: pickup shares must sum to 1, got 100 (written as percentages? write 0.25 for 25 %)`,
    );
  });

  it("shares summing to 0.9: an error; to 1: fine", () => {
    const file = child("pickup-09.yaml", [
      "pickup:",
      "  delayDays:",
      "    - { days: 3, share: 0.4 }",
      "    - { days: 30, share: 0.5 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      /pickup\.delayDays: pickup shares must sum to 1, got 0\.9$/,
    );
    const ok = child("pickup-1.yaml", [
      "pickup:",
      "  delayDays:",
      "    - { days: 3, share: 0.25 }",
      "    - { days: 30, share: 0.75 }",
    ]);
    expect(loadScenario(ok).params.pickup.delayDays).toHaveLength(2);
  });
});

describe("target.maxLeadTimeP90Days", () => {
  it("is loaded with the capacity search, and is an error without it (it would bound nothing)", () => {
    const set = "target={cards: 87000000, date: 2020-03-31, solveCapacity: true, maxLeadTimeP90Days: 60}";
    expect(loadScenario(PLAN, [set]).params.target.maxLeadTimeP90Days).toBe(60);
    const file = child("bound.yaml", ["target: { solveCapacity: false, maxLeadTimeP90Days: 60 }"]);
    expect(messageOf(() => loadScenario(file))).toBe(
      `${file}:2:53: target.maxLeadTimeP90Days: bounds the capacity search only: set target.solveCapacity: true as well`,
    );
  });
});
