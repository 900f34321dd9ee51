/**
 * Every numeric parameter labelled sourced, assumed or fitted (parameter-labels.ts, issue 9 item 2):
 * complete for every shipped scenario; the scenario's `parameterLabels:` and the calibration blocks
 * override the field defaults; the slowdown severity in history.yaml is fitted with bounds; and
 * bad labels are one message naming file:line and the field.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import { loadScenario } from "../../scenarios/load-scenario.js";
import { ParameterRowSchema } from "../run-format/index.js";
import { numericParameters, parameterTable } from "./parameter-labels.js";

const SCENARIOS = fileURLToPath(new URL("../../scenarios", import.meta.url));
const PLAN = join(SCENARIOS, "plan-87m.yaml");

describe("parameter labels", () => {
  it("every numeric field of every shipped scenario has a label, with a range unless sourced", () => {
    const files = readdirSync(SCENARIOS).filter((n) => n.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const p = loadScenario(join(SCENARIOS, f)).params;
      const { rows, unlabelled } = parameterTable(p);
      expect(unlabelled, f).toEqual([]);
      expect(rows.length, f).toBe(numericParameters(p).length);
      for (const r of rows) {
        expect(ParameterRowSchema.parse(r)).toEqual(r);
        if (r.label === "sourced") expect(r.source, `${f} ${r.path}`).toMatch(/FACTS|data\//);
        else expect(r.range, `${f} ${r.path}`).not.toBeNull();
      }
    }
  });

  it("history's slowdowns are fitted within bounds; the design load of 2016 is sourced", () => {
    const { rows } = parameterTable(loadScenario(join(SCENARIOS, "history.yaml")).params);
    const row = (path: string) => rows.find((r) => r.path === path)!;
    expect(row("jlis.slowdowns[0].transactionSeconds")).toMatchObject({ label: "fitted", range: [10, 60] });
    expect(row("jlis.slowdowns[1].transactionSeconds").label).toBe("fitted");
    expect(row("jlis.designLoadPerDay[0].value")).toMatchObject({
      label: "sourced",
      value: 115_000,
      range: null,
    });
    expect(row("jlis.designLoadPerDay[1].value").label).toBe("assumed");
    expect(row("costs.counterStaffYenPerDay")).toMatchObject({ label: "assumed", range: [12_000, 40_000] });
    expect(row("renewal.certificateYears").label).toBe("sourced");
    // The target and the counterfactuals' settings are not parameters of the run.
    expect(rows.some((r) => r.path.startsWith("target."))).toBe(false);
  });

  it("a field default with a relative range scales with the value; a declared label wins", () => {
    const p = loadScenario(PLAN, ["counters.staffPerHundredThousand[0].value=4"]).params;
    const staff = parameterTable(p).rows.find((r) => r.path === "counters.staffPerHundredThousand[0].value")!;
    expect(staff).toMatchObject({ label: "assumed", value: 4, range: [2, 8] });
    p.parameterLabels = {
      "counters.staffPerHundredThousand[0].value": { label: "fitted", range: [1, 9], source: "test fit" },
    };
    expect(parameterTable(p).rows.find((r) => r.path === staff.path)).toMatchObject({
      label: "fitted",
      range: [1, 9],
      source: "test fit",
    });
  });

  it("paths declared in a calibrate: block are fitted with its bounds", () => {
    const p = loadScenario(PLAN).params as ReturnType<typeof loadScenario>["params"] & {
      calibrate?: unknown;
    };
    p.calibrate = {
      parameters: [
        { path: "demand.baseAnnualPropensity[0].value", min: 0.1, max: 0.5, source: "fitted (test)" },
      ],
    };
    const row = parameterTable(p).rows.find((r) => r.path === "demand.baseAnnualPropensity[0].value")!;
    expect(row).toMatchObject({ label: "fitted", range: [0.1, 0.5], source: "fitted (test)" });
  });
});

describe("parameterLabels: plumbing errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "myna-labels-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const child = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, [`extends: ${PLAN}`, ...lines, ""].join("\n"));
    return file;
  };
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error("expected an InputError");
  };

  it("an unknown label, an assumed value without a range, a reversed range", () => {
    const bad = child("bad.yaml", [
      "parameterLabels:",
      '  "shipping.days": { label: guessed, range: [2, 7] }',
    ]);
    expect(messageOf(() => loadScenario(bad))).toMatch(new RegExp(`^${bad}:3:.*parameterLabels.*label`));
    const noRange = child("norange.yaml", ["parameterLabels:", '  "shipping.days": { label: assumed }']);
    expect(messageOf(() => loadScenario(noRange))).toMatch(
      /an assumed parameter needs its range \[low, high\]/,
    );
    const reversed = child("reversed.yaml", [
      "parameterLabels:",
      '  "shipping.days": { label: fitted, range: [7, 2], source: x }',
    ]);
    expect(messageOf(() => loadScenario(reversed))).toMatch(/expected \[low, high\] with low ≤ high/);
    const sourced = child("sourced.yaml", ["parameterLabels:", '  "shipping.days": { label: sourced }']);
    expect(messageOf(() => loadScenario(sourced))).toMatch(/a sourced parameter needs its source/);
  });
});
