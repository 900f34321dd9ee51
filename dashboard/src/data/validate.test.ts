/**
 * The checks of summary.json, manifest.json, sweep.json and benchmark documents: the fixtures pass,
 * and a wrong or missing field is one message naming the file and the field.
 * @module
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_BENCH, FIXTURE_RUNS } from "../../test/fixture-reports.js";
import { parseJson, RUN_DATA_ERROR } from "./_check.js";
import { sweepGrid } from "./sweep-grid.js";
import { validateBench } from "./validate-bench.js";
import { validateManifest } from "./validate-manifest.js";
import { validateSummary } from "./validate-summary.js";
import { validateSweep } from "./validate-sweep.js";

const read = (path: string): unknown => JSON.parse(readFileSync(join(FIXTURE_RUNS, path), "utf8"));

describe("validateSummary", () => {
  const json = read("history-short/summary.json") as Record<string, unknown>;

  it("types the fixture's summary", () => {
    const s = validateSummary(json);
    expect(s.scenario).toBe("history");
    expect(s.replications).toBe(2);
    expect(s.target).toMatchObject({ cards: 87_000_000, date: "2020-03-31", reached: false, reachedOn: null });
    expect(s.bindingConstraint.stage).toBe("counters");
    expect(s.fidelity.national).toEqual([
      expect.objectContaining({ date: "2017-03-08", official: 10_717_919 }),
    ]);
    expect(s.fidelity.prefectures).toBeNull();
  });

  it.each([
    [{ target: undefined }, "summary.json: target must be an object, got nothing"],
    [{ target: { ...(json.target as object), reached: "yes" } }, 'summary.json: target.reached must be true or false, got "yes"'],
    [{ target: { ...(json.target as object), reachedOn: "2020/01/01" } }, "target.reachedOn must be a date YYYY-MM-DD or null"],
    [{ fidelity: { national: [{ date: "2017-03-08" }], maxAbsErrorPercent: 1, prefectures: null } }, "fidelity.national[0].official must be a finite number"],
    [{ scenario: 3 }, "summary.json: scenario must be a string, got 3"],
  ])("names the bad field (%#)", (patch, message) => {
    let err: unknown;
    try {
      validateSummary({ ...json, ...patch });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: RUN_DATA_ERROR });
    expect((err as Error).message).toContain(message);
  });

  it("rejects a document that is not an object", () => {
    expect(() => validateSummary([1])).toThrow("summary.json: the document must be an object, got [1]");
  });
});

describe("parseJson", () => {
  it("names the file of a syntax error", () => {
    expect(() => parseJson('{ "a": ', "summary.json")).toThrow(/^summary\.json is not valid JSON \(/);
    expect(() => parseJson("  ", "summary.json")).toThrow("summary.json is empty");
  });
});

describe("validateManifest", () => {
  it("keeps the shown fields of a run and a sweep manifest", () => {
    expect(validateManifest(read("history-short/manifest.json"))).toMatchObject({
      kind: "run",
      seed: 1,
      replications: 2,
    });
    expect(validateManifest(read("sweep-small/manifest.json")).kind).toBe("sweep");
    expect(() => validateManifest({ seed: "1" })).toThrow('manifest.json: seed must be a finite number or null, got "1"');
  });
});

describe("validateSweep and sweepGrid", () => {
  it("arranges the fixture sweep as a 2 × 2 grid in command-line order", () => {
    const s = validateSweep(read("sweep-small/sweep.json"));
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
    });
    const s = validateSweep({
      scenario: "s",
      seed: 1,
      replications: 1,
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

  it("names a row without a varied key", () => {
    expect(() =>
      validateSweep({ scenario: "s", seed: 1, replications: 1, vary: [{ key: "a", values: ["1"] }], rows: [{ point: {} }] }),
    ).toThrow("sweep.json: rows[0].point has no value for the varied key a");
  });
});

describe("validateBench", () => {
  it("reads the DESIGN §8 document", () => {
    const d = validateBench(JSON.parse(readFileSync(join(FIXTURE_BENCH, "des.json"), "utf8")), "des.json");
    expect(d.results).toHaveLength(4);
    expect(d.results[0]).toMatchObject({ name: "des.hold.process", ratio: 4.512, reference: { name: "simpy hold" } });
    expect(d.results[3]!.reference).toBeNull();
  });

  it("names the file and field of a bad document", () => {
    const bad = JSON.parse(readFileSync(join(FIXTURE_BENCH, "not-a-bench.json"), "utf8"));
    expect(() => validateBench(bad, "not-a-bench.json")).toThrow(
      "not-a-bench.json: results[0].value must be a finite number, got nothing",
    );
  });
});
