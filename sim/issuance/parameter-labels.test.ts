/**
 * Parameter labels (parameter-labels.ts, issue 9 item 2): a field default with a range relative to
 * the value, a label the scenario declares in `parameterLabels:` winning over it, and paths in a
 * `calibrate:` block labelled fitted with its bounds. Completeness over every shipped scenario and
 * the plumbing errors are in scenarios/capacity-blocks.test.ts (they need the scenario loader).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { IssuanceParams } from "./params.js";
import { parameterTable } from "./parameter-labels.js";

const PLAN = join(fileURLToPath(new URL("../../scenarios", import.meta.url)), "plan-87m.yaml");
const loadPlan = (): IssuanceParams => parse(readFileSync(PLAN, "utf8")) as IssuanceParams;

describe("parameter labels", () => {
  it("a field default with a relative range scales with the value; a declared label wins", () => {
    const p = loadPlan();
    p.counters.staffPerHundredThousand[0]!.value = 4;
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
    const p = loadPlan() as IssuanceParams & { calibrate?: unknown };
    p.calibrate = {
      parameters: [
        { path: "demand.baseAnnualPropensity[0].value", min: 0.1, max: 0.5, source: "fitted (test)" },
      ],
    };
    const row = parameterTable(p).rows.find((r) => r.path === "demand.baseAnnualPropensity[0].value")!;
    expect(row).toMatchObject({ label: "fitted", range: [0.1, 0.5], source: "fitted (test)" });
  });
});
