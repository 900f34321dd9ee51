/**
 * Latin-hypercube parameter uncertainty (uncertainty.ts): every parameter's range is cut into R
 * strata and the R replications use each stratum exactly once (checked for R = 1 … 40 on 20 fixed
 * seeds); values are a function of (seed, R, replication) only, whatever the order replications are
 * asked for; a replication's parameters differ from the scenario's only at the uncertain paths;
 * without an `uncertainty:` block the run's bands cover sampling noise only, and say so.
 */
import { describe, expect, it } from "vitest";
import type { IssuanceParams } from "../params.js";
import { latinHypercube, sampledParams, uncertaintyCoverage } from "./uncertainty.js";

const ranges = [
  { min: 0.35, max: 0.75 },
  { min: 0, max: 10 },
  { min: 10, max: 90 },
];

describe("latinHypercube", () => {
  it("uses each stratum of each range exactly once (R = 1 … 40, 20 seeds)", () => {
    let designs = 0;
    for (let seed = 1; seed <= 20; seed++) {
      for (let r = 1; r <= 40; r += 3) {
        const rows = latinHypercube(seed, r, ranges);
        expect(rows).toHaveLength(r);
        ranges.forEach(({ min, max }, j) => {
          const strata = rows
            .map((row) => Math.floor(((row[j]! - min) / (max - min)) * r))
            .sort((a, b) => a - b);
          expect(strata).toEqual(Array.from({ length: r }, (_, i) => i));
        });
        designs++;
      }
    }
    expect(designs).toBe(280);
  });

  it("is a function of the seed and R: same design twice, another seed another design", () => {
    expect(latinHypercube(7, 10, ranges)).toEqual(latinHypercube(7, 10, ranges));
    expect(latinHypercube(8, 10, ranges)).not.toEqual(latinHypercube(7, 10, ranges));
  });
});

const base = {
  name: "x",
  demand: {
    response: {
      points: { level: 15, referenceYen: 5000, yenExponent: 0.5, rushAmplitude: 10, rushTauDays: 20 },
    },
  },
  uncertainty: {
    parameters: [
      { path: "demand.response.points.yenExponent", min: 0.35, max: 0.75, label: "fitted", source: "t" },
      { path: "demand.response.points.rushTauDays", min: 10, max: 90, label: "assumed", source: "t" },
    ],
  },
} as unknown as IssuanceParams;

describe("sampledParams", () => {
  it("sets only the uncertain paths, to the design's row, the same in any order of replications", () => {
    const design = latinHypercube(3, 5, base.uncertainty!.parameters);
    const forward = [0, 1, 2, 3, 4].map((r) => sampledParams(base, 3, r, 5));
    const backward = [4, 3, 2, 1, 0].map((r) => sampledParams(base, 3, r, 5)).reverse();
    expect(backward).toEqual(forward);
    forward.forEach((p, r) => {
      const points = p.demand.response!.points!;
      expect(points.yenExponent).toBe(design[r]![0]);
      expect(points.rushTauDays).toBe(design[r]![1]);
      expect(points.level).toBe(15);
      expect({ ...points, yenExponent: 0.5, rushTauDays: 20 }).toEqual(base.demand.response!.points);
    });
    // The scenario itself is untouched.
    expect(base.demand.response!.points!.yenExponent).toBe(0.5);
  });

  it("without an uncertainty: block every replication runs the scenario as written", () => {
    const plain = { ...base, uncertainty: undefined } as IssuanceParams;
    expect(sampledParams(plain, 1, 0, 3)).toBe(plain);
  });
});

describe("uncertaintyCoverage", () => {
  it("says which uncertainty the bands cover", () => {
    expect(uncertaintyCoverage({ ...base, uncertainty: undefined } as IssuanceParams, 5).covers).toBe(
      "sampling noise only",
    );
    const c = uncertaintyCoverage(base, 5);
    expect(c.covers).toBe("sampling noise and parameter ranges");
    expect(c.parameters.map((q) => q.label)).toEqual(["fitted", "assumed"]);
    expect(c.note).toMatch(/with only 5 replications the ranges are coarsely covered/);
  });
});
