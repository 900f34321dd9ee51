/**
 * Bounded property tests of the scenario loader (DESIGN.md §9), fixed seed: mutated scenario YAML
 * (byte flips, truncations, duplications, YAML tokens) and random `--set` assignments (hostile
 * keys such as `__proto__`, huge indexes, alias bombs). Every input either loads or throws an
 * InputError with a message — never another error — and Object.prototype is never touched.
 * (≈3 ms per input: the yaml parser dominates; 1,500 inputs take ≈5–8 s on the shared machine.)
 * bench/fuzz-scenario.ts runs the same generators for longer.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../engine/random/small-prng.js";
import { fuzzOverrides, fuzzScenarioText, newTally } from "./_fuzz-generators.js";

const SCENARIOS = fileURLToPath(new URL("./", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "myna-scenario-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// jlis-outage-2016.yaml extends history.yaml: keep the parent beside the mutated child.
copyFileSync(join(SCENARIOS, "history.yaml"), join(dir, "history.yaml"));

const text = (name: string): string => readFileSync(join(SCENARIOS, name), "utf8");

describe("scenario loader under mutated YAML (seed 20261201)", () => {
  it("600 mutations of plan-87m.yaml and 150 of jlis-outage-2016.yaml: load or InputError", () => {
    const rnd = mulberry32(20261201);
    const tally = newTally();
    fuzzScenarioText(rnd, text("plan-87m.yaml"), dir, "plan-87m.yaml", 600, tally);
    fuzzScenarioText(rnd, text("jlis-outage-2016.yaml"), dir, "jlis-outage-2016.yaml", 150, tally);
    expect(tally.failures).toEqual([]);
    expect(tally.inputs).toBe(750);
    // The generator reaches both outcomes.
    expect(tally.loaded).toBeGreaterThan(20);
    expect(tally.rejected).toBeGreaterThan(400);
  });
});

describe("--set under random hostile assignments (seed 7)", () => {
  it("750 sets of 1–3 assignments: load or InputError, Object.prototype untouched", () => {
    const rnd = mulberry32(7);
    const tally = newTally();
    fuzzOverrides(rnd, join(SCENARIOS, "plan-87m.yaml"), 750, tally);
    expect(tally.failures).toEqual([]);
    expect(tally.inputs).toBe(750);
    expect(tally.rejected).toBeGreaterThan(500);
  });
});
