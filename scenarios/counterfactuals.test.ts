/**
 * A scenario's `counterfactuals:` resolved by the loader: jlis-outage-2016's no-failure run has its
 * outages removed and the J-LIS hand-over at the 115 k/day design load while the baseline keeps the
 * history; a bad key, a value the schema refuses, a changed period, a duplicate name or an empty
 * `set` is one InputError naming the file, the line, the counterfactual and the key.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../engine/errors.js";
import { loadScenario } from "./load-scenario.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "myna-cf-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A scenario extending history.yaml with the given counterfactuals block (YAML lines). */
function scenarioWith(name: string, lines: string[]): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `extends: ${join(ROOT, "scenarios", "history.yaml")}`,
      `name: ${name}`,
      "counterfactuals:",
      ...lines,
      "",
    ].join("\n"),
  );
  return file;
}

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

describe("counterfactuals in a scenario", () => {
  it("jlis-outage-2016 declares no-2016-jlis-failure: no outages and no slowdowns (the 115 k/day design load)", () => {
    const s = loadScenario(join(ROOT, "scenarios", "jlis-outage-2016.yaml"));
    // history's PIN-reset visits take counter minutes, so the run adds their paired run after.
    expect(s.counterfactuals.map((c) => c.name)).toEqual(["no-2016-jlis-failure", "no-pin-reset-visits"]);
    const c = s.counterfactuals[0]!;
    expect(c.params.jlis.outages).toEqual([]);
    expect(c.params.jlis.slowdowns).toEqual([]);
    expect(c.params.jlis.designLoadPerDay[0]!.value).toBe(115_000);
    expect(c.dates).toEqual(["2016-03-27"]);
    expect(c.params.counterfactuals).toBeUndefined();
    // The baseline is untouched, and everything else is the same scenario.
    expect(s.params.jlis.outages.length).toBeGreaterThan(0);
    expect(s.params.jlis.slowdowns.length).toBeGreaterThan(0);
    expect(c.params.demand).toEqual(s.params.demand);
    expect(c.params.factory).toEqual(s.params.factory);
  });

  it("PIN-reset visits taking counter minutes get a paired run with them taking none (issue 10 item 1)", () => {
    const s = loadScenario(join(ROOT, "scenarios", "history.yaml"), ["counters.minutesPerPinReset=25"]);
    const c = s.counterfactuals.find((x) => x.name === "no-pin-reset-visits")!;
    expect(c.set).toEqual({ "counters.minutesPerPinReset": 0 });
    expect(c.params.counters).toEqual({ ...s.params.counters, minutesPerPinReset: 0 });
    expect(c.params.demand).toEqual(s.params.demand);
    const none = loadScenario(join(ROOT, "scenarios", "history.yaml"), ["counters.minutesPerPinReset=0"]);
    expect(none.counterfactuals).toEqual([]);
    expect(loadScenario(join(ROOT, "scenarios", "plan-87m.yaml")).counterfactuals).toEqual([]);
  });

  it("apply on top of --set overrides of the baseline", () => {
    const s = loadScenario(join(ROOT, "scenarios", "jlis-outage-2016.yaml"), ["shipping.days=9"]);
    expect(s.counterfactuals[0]!.params.shipping.days).toBe(9);
  });

  it.each([
    [
      "an unknown key",
      ['  - { name: x, description: d, set: { "jlis.nope": 1 } }'],
      /\.yaml:4:\d+: counterfactuals\[0\] \(x\): set jlis\.nope: jlis\.nope is not in the scenario/,
    ],
    [
      "a value the schema refuses",
      ['  - { name: y, description: d, set: { "shipping.days": -3 } }'],
      /counterfactuals\[0\] \(y\): makes shipping\.days invalid: /,
    ],
    [
      "a changed period",
      ['  - { name: z, description: d, set: { "end": 2017-12-31 } }'],
      /counterfactuals\[0\] \(z\): sets end to 2017-12-31; a counterfactual keeps the baseline's period/,
    ],
    [
      "a duplicate name",
      [
        '  - { name: w, description: d, set: { "shipping.days": 3 } }',
        '  - { name: w, description: e, set: { "shipping.days": 4 } }',
      ],
      /counterfactuals\[1\]\.name: "w" is declared twice/,
    ],
    [
      "an empty set",
      ["  - { name: v, description: d, set: {} }"],
      /counterfactuals\[0\]\.set: expected at least one/,
    ],
  ])("refuse %s with one message naming where", (_, lines, message) => {
    const file = scenarioWith(`cf-${lines.length}-${Math.abs(lines.join("").length)}`, lines);
    const e = errorOf(() => loadScenario(file));
    expect(e.message).toMatch(message);
    expect(e.message.split("\n")).toHaveLength(1);
  });
});
