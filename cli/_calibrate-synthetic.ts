/**
 * Test support (cli/calibrate-synthetic.test.ts): a tiny synthetic world for the calibrator — three municipalities in two
 * prefectures, a two-year scenario that extends plan-87m (so it follows the current schema) with a
 * cash handout campaign, and official points made by running the model at known parameters. Used by
 * the calibration tests only.
 * @module
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../scenarios/load-scenario.js";
import { formatIsoDate, parseIsoDate } from "../engine/calendar.js";
import { runReplication } from "../sim/issuance/replication.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The true values the synthetic data are made with. */
export const TRUTH = { base: 0.04, handout: 9 };

export interface SyntheticWorld {
  dir: string;
  dataDir: string;
  scenario: string;
  /** Official national points (date, cards issued cumulative), one per month-start. */
  points: { date: string; cards: number }[];
}

const MUNICIPALITIES = [
  "municipality_code,prefecture,municipality,population,population_basis_date",
  "90001,Alpha,A-city,400000,2022-01-01",
  "90002,Alpha,A-town,60000,2022-01-01",
  "90003,Beta,B-city,250000,2022-01-01",
].join("\n");

function scenarioText(): string {
  return `extends: ${JSON.stringify(join(ROOT, "scenarios", "plan-87m.yaml"))}
name: synthetic
description: two years, three municipalities, one handout
start: 2016-01-01
end: 2017-12-31
target: { cards: 100000, date: 2017-12-31 }
cryptoSample: { cards: 0, profile: current }
demand:
  baseAnnualPropensity:
    - { from: 2016-01-01, value: ${TRUTH.base} }
  initialBacklog: { applications: 0, from: 2015-12-01, to: 2015-12-31, source: none }
  shocks: []
  campaigns:
    - { name: handout, kind: handout, start: 2017-03-01, end: 2017-04-30, source: synthetic }
  response:
    handout: { level: ${TRUTH.handout} }
calibrate:
  maxEvaluations: 40
  parameters:
    - { path: "demand.baseAnnualPropensity[0].value", min: 0.01, max: 0.1, start: 0.025, log: true, source: test }
    - { path: demand.response.handout.level, min: 0, max: 30, start: 4, source: test }
`;
}

/** Writes the world into a fresh temporary folder and makes its official series at {@link TRUTH}. */
export function syntheticWorld(): SyntheticWorld {
  const dir = mkdtempSync(join(tmpdir(), "hcal-synthetic-"));
  const dataDir = join(dir, "data");
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, "municipalities.csv"), `${MUNICIPALITIES}\n`);
  copyFileSync(
    join(ROOT, "data", "demographics-2022-12-31.csv"),
    join(dataDir, "demographics-2022-12-31.csv"),
  );
  const scenario = join(dir, "synthetic.yaml");
  writeFileSync(scenario, scenarioText());
  const params = loadScenario(scenario).params;
  const run = runReplication({ params, seed: 99, replication: 0, dataDir, snapshotDays: [] });
  const points: { date: string; cards: number }[] = [];
  for (let d = parseIsoDate("2016-02-01"); d <= parseIsoDate("2017-12-31"); d += 30) {
    points.push({ date: formatIsoDate(d), cards: run.columns.cards_issued_cumulative[d - run.startDay]! });
  }
  writeOfficial(dataDir, points);
  return { dir, dataDir, scenario, points };
}

/** (Re)writes data/issuance-national.csv from `points`. */
export function writeOfficial(dataDir: string, points: { date: string; cards: number }[]): void {
  writeFileSync(
    join(dataDir, "issuance-national.csv"),
    `date,population,cards_issued_cumulative\n${points.map((p) => `${p.date},710000,${p.cards}`).join("\n")}\n`,
  );
}
