/**
 * The capacity blocks of a scenario file (issue 9 items 2 and 4): every numeric field of
 * every shipped scenario has a label (sourced with its source, assumed or fitted with a range), the
 * 2016 slowdowns in history.yaml are fitted with bounds, and bad `jlis:`, `counters:`, `costs:` and
 * `parameterLabels:` values are one message naming file:line:column and the field (InputError).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { numericParameters, parameterTable } from "../sim/issuance/parameter-labels.js";
import { ParameterRowSchema } from "../sim/run-format/index.js";
import { loadScenario } from "./load-scenario.js";

const SCENARIOS = fileURLToPath(new URL(".", import.meta.url));
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
});

describe("jlis: plumbing errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "myna-jlis-test-"));
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

  it("a zero transaction time: file:line:column and the field", () => {
    const file = child("zero.yaml", ["jlis:", "  transactionSeconds: 0"]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      new RegExp(`^${file}:3:23: jlis\\.transactionSeconds: .*0\\.1`),
    );
  });

  it("a slowdown that ends before it starts, and overlapping slowdowns", () => {
    const bad = child("backwards.yaml", [
      "jlis:",
      "  slowdowns:",
      "    - { start: 2016-03-01, end: 2016-02-01, transactionSeconds: 30, source: x }",
    ]);
    expect(messageOf(() => loadScenario(bad))).toMatch(
      new RegExp(`^${bad}:4:.*jlis\\.slowdowns\\[0\\]\\.end: must not be before start`),
    );
    const overlap = child("overlap.yaml", [
      "jlis:",
      "  slowdowns:",
      "    - { start: 2016-01-13, end: 2016-03-31, transactionSeconds: 30, source: x }",
      "    - { start: 2016-03-01, end: 2016-05-31, transactionSeconds: 20, source: x }",
    ]);
    expect(messageOf(() => loadScenario(overlap))).toMatch(
      new RegExp(`^${overlap}:5:.*jlis\\.slowdowns\\[1\\]\\.start: slowdowns must not overlap`),
    );
  });

  it("the old fitted cap is an unknown key now", () => {
    const file = child("old.yaml", [
      "jlis:",
      "  handoverCapacityPerDay:",
      "    - { from: 2016-01-01, value: 34000 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(new RegExp(`^${file}:3:.*handoverCapacityPerDay`));
  });
});

describe("counters: plumbing errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "myna-counters-test-"));
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

  it("minutes per hand-over below 1: file:line:column and the field", () => {
    const file = child("minutes.yaml", ["counters:", "  minutesPerHandover: 0.5"]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      new RegExp(`^${file}:3:23: counters\\.minutesPerHandover: `),
    );
  });

  it("a negative staffing value and a staffing schedule out of order", () => {
    const neg = child("neg.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2016-01-01, value: -1 }",
    ]);
    expect(messageOf(() => loadScenario(neg))).toMatch(
      new RegExp(`^${neg}:4:.*counters\\.staffPerHundredThousand\\[0\\]\\.value: `),
    );
    const order = child("order.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2017-01-01, value: 3 }",
      "    - { from: 2016-01-01, value: 4 }",
    ]);
    expect(messageOf(() => loadScenario(order))).toMatch(
      /counters\.staffPerHundredThousand\[1\]\.from: schedule dates must increase/,
    );
  });

  it("the old per-10,000 rate is an unknown key now", () => {
    const file = child("old.yaml", [
      "counters:",
      "  perTenThousandPerDay:",
      "    - { from: 2016-01-01, value: 8.5 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(new RegExp(`^${file}:3:.*perTenThousandPerDay`));
  });
});

describe("costs: plumbing errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "myna-costs-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("a negative unit cost and an unknown cost: file:line:column and the field", () => {
    const write = (name: string, lines: string[]): string => {
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
    const neg = write("neg.yaml", ["costs:", "  postageYenPerCard: -5"]);
    expect(messageOf(() => loadScenario(neg))).toMatch(
      new RegExp(`^${neg}:3:22: costs\\.postageYenPerCard: `),
    );
    const unknown = write("unknown.yaml", ["costs:", "  lunchYenPerDay: 900"]);
    expect(messageOf(() => loadScenario(unknown))).toMatch(new RegExp(`^${unknown}:3:.*lunchYenPerDay`));
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
