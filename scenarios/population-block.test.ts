/**
 * The `populationDynamics:` block and the renewal fields of issue 9 item 8 (scenarios/schema.ts):
 * bad values are one InputError naming file:line:column and the field; the shipped scenarios carry
 * the block with the FACTS §3.3 figures.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenario } from "./load-scenario.js";

const PLAN = fileURLToPath(new URL("./plan-87m.yaml", import.meta.url));
const HISTORY = fileURLToPath(new URL("./history.yaml", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-population-test-"));
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

describe("populationDynamics and renewal blocks", () => {
  it("the shipped scenarios carry births, deaths and moves from FACTS §3.3 and 10-year adult cards", () => {
    for (const file of [PLAN, HISTORY]) {
      const p = loadScenario(file).params;
      expect(p.populationDynamics?.birthsPerYear).toBe(727_288);
      expect(p.populationDynamics?.deathsPerYear).toBe(1_576_016);
      expect(p.populationDynamics?.movesPerYear).toBe(4_880_967);
      expect(p.renewal.cardYears).toBe(10);
    }
  });

  it("monthly move factors that do not average 1 are an error at the field", () => {
    const file = child("season.yaml", [
      "populationDynamics:",
      "  moveSeasonality: [1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      /season\.yaml:\d+:\d+: populationDynamics\.moveSeasonality: the 12 monthly factors must average 1 \(movesPerYear is the year's total\), got 1\.16667/,
    );
  });

  it("eleven monthly factors, a negative birth count and a 120-day renewal lead are refused", () => {
    expect(
      messageOf(() =>
        loadScenario(
          child("eleven.yaml", [
            "populationDynamics:",
            "  moveSeasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
          ]),
        ),
      ),
    ).toMatch(/populationDynamics\.moveSeasonality: expected 12 monthly factors, January first/);
    expect(
      messageOf(() => loadScenario(child("births.yaml", ["populationDynamics:", "  birthsPerYear: -5"]))),
    ).toMatch(/populationDynamics\.birthsPerYear/);
    expect(messageOf(() => loadScenario(PLAN, ["renewal.leadDays=120"]))).toMatch(/renewal\.leadDays/);
  });

  it("--set reaches the block", () => {
    const p = loadScenario(PLAN, ["populationDynamics.holderMortalityRatio=1.2"]).params;
    expect(p.populationDynamics?.holderMortalityRatio).toBe(1.2);
  });
});
