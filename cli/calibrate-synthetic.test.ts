/**
 * The calibrator on a tiny synthetic world (three municipalities, two years, one cash handout) whose
 * official series was made by the model at known parameters: it recovers them; the hold-out reads
 * nothing after the fit date (changing every later point changes no fitted value and no in-sample
 * error, only the out-of-sample ones); a parameter the window cannot see stays at its start;
 * calibrated.yaml loads back to the same parameters and reproduces the run; the answer is the same
 * on 1 and 2 threads.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../scenarios/load-scenario.js";
import { CalibrationDocumentSchema } from "../sim/run-format/index.js";
import { runReplication } from "../sim/issuance/replication.js";
import { calibrate, type CalibrateOptions } from "../sim/issuance/calibration/calibrate.js";
import { calibratedYaml } from "../sim/issuance/calibration/calibrated-yaml.js";
import { syntheticWorld, TRUTH, writeOfficial } from "./_calibrate-synthetic.js";

const world = syntheticWorld();
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

const options = (fitUntil: string, threads = 1): CalibrateOptions => ({
  load: (o) => loadScenario(world.scenario, o).params,
  scenarioFile: world.scenario,
  fitUntil,
  seed: 1,
  threads,
  dataDir: world.dataDir,
});

describe("calibrate on synthetic data with known parameters", () => {
  // One fit on the full series serves the recovery and the calibrated.yaml checks.
  const full = calibrate(options("2017-12-31"));

  it("recovers the base propensity and the handout's response level (fit on the full series)", async () => {
    const r = await full;
    const [base, handout] = r.values;
    expect(Math.abs(base! / TRUTH.base - 1)).toBeLessThan(0.05);
    expect(Math.abs(handout! / TRUTH.handout - 1)).toBeLessThan(0.15);
    // The starts were 0.025 and 4: far from the truth, so this is the optimiser's work.
    expect(r.document.parameters.every((q) => q.fitted)).toBe(true);
    expect(r.document.objectiveFullModel).toBeLessThan(0.01);
    expect(r.document.outOfSample).toEqual([]);
    expect(() => CalibrationDocumentSchema.parse(r.document)).not.toThrow();
  });

  it("calibrated.yaml extends the scenario, loads to the calibrated parameters and reproduces the run", async () => {
    const r = await full;
    const file = join(world.dir, "calibrated.yaml");
    writeFileSync(file, calibratedYaml(r.params, r.document, "synthetic.yaml", "test"));
    const loaded = loadScenario(file).params;
    expect(loaded).toEqual(r.params);
    const again = runReplication({
      params: loaded,
      seed: 1,
      replication: 0,
      dataDir: world.dataDir,
      snapshotDays: [],
    });
    expect(again.columns.cards_issued_cumulative).toEqual(r.run.columns.cards_issued_cumulative);
  });

  const cut = "2016-12-31";
  it("hold-out: no point after the fit date is read; the handout (after it) stays at its start", async () => {
    const first = await calibrate(options(cut));
    expect(first.document.parameters.map((q) => q.fitted)).toEqual([true, false]);
    expect(first.values[1]).toBe(4);
    expect(first.document.outOfSample.length).toBeGreaterThan(0);
    expect(first.document.outOfSample.every((p) => p.date > cut)).toBe(true);
    expect(first.document.inSample.every((p) => p.date <= cut)).toBe(true);
    // Every point after the cut ×10: the fit and the in-sample errors are the same, the test is not.
    const tampered = world.points.map((p) => (p.date > cut ? { ...p, cards: p.cards * 10 } : p));
    writeOfficial(world.dataDir, tampered);
    try {
      const second = await calibrate(options(cut));
      expect(second.values).toEqual(first.values);
      expect(second.document.inSample).toEqual(first.document.inSample);
      expect(second.document.evaluations).toBe(first.document.evaluations);
      expect(second.document.outOfSample).not.toEqual(first.document.outOfSample);
      expect(second.document.outOfSample.every((p) => p.verdict === "FAIL")).toBe(true);
    } finally {
      writeOfficial(world.dataDir, world.points);
    }
  });

  it("gives the same document on 1 and 2 threads", async () => {
    const one = await calibrate(options(cut, 1));
    const two = await calibrate(options(cut, 2));
    expect(two.document).toEqual(one.document);
  });

  it("refuses a fit date before any official point, and a scenario without a calibrate: block", async () => {
    await expect(calibrate(options("2015-06-30"))).rejects.toThrow(
      /--fit-until 2015-06-30: no official point between the scenario's start \(2016-01-01\) and 2015-06-30/,
    );
    const noBlock = (o: string[]): ReturnType<typeof loadScenario>["params"] => {
      const p = loadScenario(world.scenario, o).params;
      delete p.calibrate;
      return p;
    };
    await expect(calibrate({ ...options("2017-06-30"), load: noBlock })).rejects.toThrow(
      /synthetic\.yaml: no calibrate: block/,
    );
  });
});
