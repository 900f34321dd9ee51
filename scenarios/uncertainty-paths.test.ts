/**
 * The `uncertainty:` block's paths are checked when the scenario loads (sim/issuance/calibration/
 * uncertainty.ts `uncertaintyPathProblems`): a path that is not a numeric field is one InputError
 * naming the file, line and field (validate and run exit 2), not an internal failure in the run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../engine/errors.js";
import { sampledParams, uncertaintyPathProblems } from "../sim/issuance/calibration/uncertainty.js";
import { loadScenario } from "./load-scenario.js";

const dir = mkdtempSync(join(tmpdir(), "myna-uncertainty-paths-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HISTORY = resolve(import.meta.dirname, "history.yaml");

function scenarioWith(path: string): string {
  const file = join(dir, `${path.replace(/[^a-z]/gi, "-")}.yaml`);
  writeFileSync(
    file,
    [
      `extends: ${HISTORY}`,
      "name: uncertainty-paths",
      "uncertainty:",
      "  parameters:",
      `    - { path: ${path}, min: 0, max: 2, label: assumed, source: "test" }`,
      "",
    ].join("\n"),
  );
  return file;
}

function loadError(file: string): unknown {
  try {
    loadScenario(file);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("uncertainty: block paths", () => {
  it("a path that is not in the scenario is an InputError at its line, not a failure during the run", () => {
    const file = scenarioWith("demand.response.nosuch.level");
    const e = loadError(file);
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toBe(
      `${file}:5:15: uncertainty.parameters[0].path: demand.response.nosuch.level is not a field of the scenario`,
    );
  });

  it("a path to a non-numeric field is an InputError", () => {
    const e = loadError(scenarioWith("demand.response.points"));
    expect(isInputError(e)).toBe(true);
    expect((e as Error).message).toMatch(/demand\.response\.points is not a number/);
  });

  it("the history scenario's own paths are all numeric fields and are sampled", () => {
    const { params } = loadScenario(HISTORY);
    expect(uncertaintyPathProblems(params)).toEqual([]);
    const p = sampledParams(params, 1, 0, 4);
    expect(p.demand.response!.licence!.level).not.toBe(params.demand.response!.licence!.level);
  });

  it("sampledParams on a bad path throws an InputError (defence in depth)", () => {
    const { params } = loadScenario(HISTORY);
    const bad = {
      ...params,
      uncertainty: {
        parameters: [{ path: "no.such", min: 0, max: 1, label: "assumed" as const, source: "t" }],
      },
    };
    expect(uncertaintyPathProblems(bad)).toEqual([
      { index: 0, message: "no.such is not a field of the scenario" },
    ]);
    let caught: unknown;
    try {
      sampledParams(bad, 1, 0, 2);
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
  });
});
