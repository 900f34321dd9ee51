/**
 * `myna-twin calibrate` as a user meets it: on the synthetic world (cli/_calibrate-synthetic.ts) it
 * writes calibrated.yaml, calibration.json and calibration.md, and calibrated.yaml loads from where it
 * was written; bad input (no --fit-until, a bad date, bad --threads, two scenarios, no calibrate:
 * block, a calibrate path that is not a number in the scenario, an --out that is taken) is one clean
 * line and exit 2, with nothing written.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../scenarios/load-scenario.js";
import { CalibrationDocumentSchema, parseJsonFile } from "../sim/run-format/index.js";
import { syntheticWorld } from "./_calibrate-synthetic.js";
import { calibrateCommand } from "./calibrate-command.js";
import { expectOneCleanLine, ROOT, runCli } from "./_test-cli.js";

const world = syntheticWorld();
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

describe("myna-twin calibrate", () => {
  it("writes calibrated.yaml (loadable where it lies), calibration.json and calibration.md", async () => {
    const out = join(world.dir, "out");
    const log = console.log;
    const write = process.stdout.write;
    console.log = () => {};
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(
        await calibrateCommand(
          [world.scenario, "--fit-until", "2016-12-31", "--out", out, "--threads", "1"],
          world.dataDir,
        ),
      ).toBe(0);
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    const doc = parseJsonFile(
      CalibrationDocumentSchema,
      readFileSync(join(out, "calibration.json"), "utf8"),
      "calibration.json",
    );
    expect(doc.fitUntil).toBe("2016-12-31");
    expect(doc.parameters.map((q) => q.fitted)).toEqual([true, false]);
    const yaml = readFileSync(join(out, "calibrated.yaml"), "utf8");
    expect(yaml).toMatch(/^extends: \.\.\/synthetic\.yaml$/m);
    const p = loadScenario(join(out, "calibrated.yaml")).params;
    expect(p.demand.baseAnnualPropensity[0]!.value).toBe(doc.parameters[0]!.value);
    expect(p.calibrate?.fittedUntil).toBe("2016-12-31");
    const md = readFileSync(join(out, "calibration.md"), "utf8");
    expect(md).toMatch(/1 of 2 parameters fitted on the window up to 2016-12-31/);
    expect(md).toMatch(/## Out of sample \(> 2016-12-31\): the test/);
  });

  const badPath = join(world.dir, "bad-path.yaml");
  writeFileSync(
    badPath,
    [
      "extends: synthetic.yaml",
      "calibrate:",
      "  parameters:",
      "    - { path: demand.response.handout.size, min: 0, max: 1, start: 0.5, source: t }",
      "",
    ].join("\n"),
  );
  const taken = join(world.dir, "taken");
  mkdirSync(taken);
  writeFileSync(join(taken, "something.txt"), "x");
  const plan = join(ROOT, "scenarios", "plan-87m.yaml");
  const cases: [string, string[], RegExp][] = [
    ["no --fit-until", [world.scenario], /--fit-until DATE is required/],
    [
      "a bad date",
      [world.scenario, "--fit-until", "2021-13-01"],
      /--fit-until: 2021-13-01 is not a calendar date/,
    ],
    [
      "bad --threads",
      [world.scenario, "--fit-until", "2021-12-31", "--threads", "0"],
      /--threads: expected a whole number from 1 to 256, got 0/,
    ],
    [
      "two scenarios",
      [world.scenario, plan, "--fit-until", "2021-12-31"],
      /expected one scenario file, got 2/,
    ],
    ["no calibrate: block", [plan, "--fit-until", "2019-12-31"], /plan-87m\.yaml: no calibrate: block/],
    [
      "a path that is not a number",
      [badPath, "--fit-until", "2016-12-31"],
      /calibrate\.parameters\[0\]\.path: demand\.response\.handout\.size is not a number in the scenario/,
    ],
    [
      "an --out that is taken",
      [world.scenario, "--fit-until", "2016-12-31", "--out", taken],
      /taken|not empty|exists/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it.concurrent(`refuses ${what}: one line, exit 2, nothing written`, async () => {
      const out = join(world.dir, `never-${what.replace(/\W+/g, "-")}`);
      const withOut = args.includes("--out") ? args : [...args, "--out", out];
      const o = await runCli(["calibrate", ...withOut]);
      expect(o.code, o.stderr).toBe(2);
      expectOneCleanLine(o);
      expect(o.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }
});
