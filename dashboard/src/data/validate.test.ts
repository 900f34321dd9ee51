/**
 * The dashboard's checks of summary.json, manifest.json, sweep.json and benchmark documents are the
 * run-output format's schemas: the fixtures pass, and a wrong or missing field is one RunDataError
 * naming the file, the field and what was found — an impossible date is never shown as an answer.
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_BENCH, FIXTURE_RUNS } from "../../test/fixture-reports.js";
import { parseJson, RUN_DATA_ERROR, RunDataError } from "./_check.js";
import { sweepGrid } from "./sweep-grid.js";
import { validateBench, validateManifest, validateSummary, validateSweep } from "./validate.js";

const read = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURE_RUNS, path), "utf8")) as Record<string, unknown>;

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RunDataError);
    expect(e).toMatchObject({ code: RUN_DATA_ERROR });
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

describe("validateSummary", () => {
  const json = read("history-short/summary.json");
  const target = json.target as Record<string, unknown>;

  it("types the fixture's summary, with the fields the writer adds", () => {
    const s = validateSummary(json);
    expect(s.scenario).toBe("history");
    expect(s.replications).toBe(2);
    expect(s.target).toMatchObject({ cards: 87_000_000, date: "2020-03-31", reached: false, reachedOn: null });
    expect(s.target.reachedOnRange).toBeNull();
    expect(s.totals.cardsIssued).toBeGreaterThan(0);
    expect(s.bindingConstraint.stage).toBe("demand"); // marginal effect of +10 % capacity (paired runs)
    expect(s.fidelity.national).toEqual([expect.objectContaining({ date: "2017-03-08", official: 10_717_919 })]);
    expect(s.fidelity.prefectures).toBeNull();
  });

  it.each([
    [{ target: undefined }, "summary.json: target: expected an object, got nothing"],
    [{ target: { ...target, reached: "yes" } }, "summary.json: target.reached: expected true or false, got 'yes'"],
    [
      { target: { ...target, reachedOn: "2019-13-45" } },
      "summary.json: target.reachedOn: expected a date YYYY-MM-DD, got '2019-13-45'",
    ],
    [
      { fidelity: { national: [{ date: "2017-03-08" }], maxAbsErrorPercent: 1, prefectures: null } },
      "summary.json: fidelity.national[0].official: expected a finite number, got nothing",
    ],
    [{ scenario: 3 }, "summary.json: scenario: expected a string, got 3"],
    [{ formatVersion: undefined }, "summary.json: formatVersion: expected format version 1"],
  ])("names the bad field (%#)", (patch, message) => {
    expect(messageOf(() => validateSummary({ ...json, ...patch }))).toContain(message);
  });

  it("refuses a document that is not an object", () => {
    expect(messageOf(() => validateSummary([1]))).toBe("summary.json: the document: expected an object, got [1]");
  });
});

describe("parseJson", () => {
  it("names the file of a syntax error", () => {
    expect(messageOf(() => parseJson('{ "a": ', "summary.json"))).toMatch(/^summary\.json is not valid JSON \(/);
    expect(messageOf(() => parseJson("  ", "summary.json"))).toBe("summary.json is empty");
  });
});

describe("validateManifest", () => {
  it("types a run and a sweep manifest", () => {
    expect(validateManifest(read("history-short/manifest.json"))).toMatchObject({
      kind: "run",
      seed: 1,
      replications: 2,
    });
    expect(validateManifest(read("sweep-small/manifest.json")).kind).toBe("sweep");
    expect(messageOf(() => validateManifest({ ...read("history-short/manifest.json"), seed: "1" }))).toBe(
      "manifest.json: seed: expected a finite number, got '1'",
    );
  });
});

describe("validateSweep and sweepGrid", () => {
  const sweep = read("sweep-small/sweep.json");

  it("keeps the sweep's target and arranges the fixture as a 2 × 2 grid in command-line order", () => {
    const s = validateSweep(sweep);
    expect(s.target).toMatchObject({ cards: 5_000_000, date: "2016-06-30" });
    const g = sweepGrid(s);
    expect(g.xKey).toBe("factory.capacityPerDay[0].value");
    expect(g.yKey).toBe("counters.perTenThousandPerDay[0].value");
    expect(g.x).toEqual(["80000", "140000"]);
    expect(g.y).toEqual(["6", "12"]);
    expect(g.facets).toHaveLength(1);
    expect(g.facets[0]!.cells.map((r) => r.map((c) => c?.reachedOn))).toEqual([
      ["2016-04-19", "2016-04-13"],
      ["2016-04-08", "2016-03-17"],
    ]);
  });

  it("facets a third key and leaves missing points empty", () => {
    const row = (a: string, b: string, c: string) => ({
      point: { a, b, c },
      reachedByTargetDate: true,
      reachedOn: "2019-01-01",
      cardsOnTargetDate: 1,
      bindingConstraint: "demand",
      leadTimeP50: 1,
      leadTimeP90: 2,
      leadTimeP99: 3,
      maxAbsErrorPercent: null,
    });
    const s = validateSweep({
      ...sweep,
      vary: [
        { key: "a", values: ["1", "2"] },
        { key: "b", values: ["x"] },
        { key: "c", values: ["p", "q"] },
      ],
      rows: [row("1", "x", "p"), row("2", "x", "p"), row("1", "x", "q")],
    });
    const g = sweepGrid(s);
    expect(g.facets.map((f) => f.label)).toEqual(["c=p", "c=q"]);
    expect(g.facets[1]!.cells[0]![1]).toBeNull();
  });

  it("refuses a sweep without its target, and names a row without a varied key", () => {
    expect(messageOf(() => validateSweep({ ...sweep, target: undefined }))).toBe(
      "sweep.json: target: expected an object, got nothing",
    );
    const rows = (sweep.rows as Record<string, unknown>[]).map((r, i) => (i === 0 ? { ...r, point: {} } : r));
    expect(messageOf(() => validateSweep({ ...sweep, rows }))).toContain(
      "sweep.json: rows[0].point.factory.capacityPerDay[0].value: expected a value of the varied key",
    );
  });
});

describe("validateBench", () => {
  it("reads the DESIGN §8 document with target and quick", () => {
    const d = validateBench(JSON.parse(readFileSync(join(FIXTURE_BENCH, "des.json"), "utf8")), "des.json");
    expect(d.results.length).toBeGreaterThan(0);
    expect(d.results[0]).toMatchObject({ name: "des.hold.process", reference: { name: "simpy hold" } });
    expect(typeof d.results[0]!.quick).toBe("boolean");
  });

  it("names the file and field of a bad document", () => {
    const bad = JSON.parse(readFileSync(join(FIXTURE_BENCH, "not-a-bench.json"), "utf8"));
    expect(messageOf(() => validateBench(bad, "not-a-bench.json"))).toMatch(/^not-a-bench\.json: \S+: expected /);
  });
});
