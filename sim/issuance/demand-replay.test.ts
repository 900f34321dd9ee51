/**
 * Demand replay (model.ts `recordDemandDraws` / `demandDraws`, used by capacity-search.ts): a run
 * that differs from a recorded one only in capacity, replaying its draws, gives exactly what it
 * gives drawing for itself; a replay that runs out or does not fit fails loudly; `demandKey`
 * changes with demand and not with capacity.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TwinError } from "../../engine/errors.js";
import { RandomStreams } from "../../engine/random/index.js";
import { scaleCapacities, scaleDemand } from "./levers.js";
import { demandKey, runIssuance, type IssuanceRunOptions, type IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";
import { populationOf } from "./replication.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "data");

/** scenarios/history.yaml's first half-year as plain params. */
function params(): IssuanceParams {
  const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
  return { ...p, end: "2016-06-30" };
}

function run(p: IssuanceParams, opts: IssuanceRunOptions = {}): IssuanceRunResult {
  return runIssuance(p, populationOf(DATA), new RandomStreams(1).stream("issuance.demand", 0), opts);
}

describe("demand replay", () => {
  it("a capacity-scaled run replaying the recorded draws equals the same run drawing", () => {
    const base = params();
    const recorded = run(base, { recordDemandDraws: true });
    const draws = recorded.demandDraws!;
    expect(draws.length).toBeGreaterThan(1000);
    // Without recording, the run is the same and carries no draws.
    const plain = run(base);
    expect(plain.demandDraws).toBeUndefined();
    expect(plain.columns.cards_issued_cumulative).toEqual(recorded.columns.cards_issued_cumulative);

    const scaled = scaleCapacities(base, 0.5);
    expect(demandKey(scaled)).toBe(demandKey(base));
    const drawn = run(scaled);
    const replayed = run(scaled, { demandDraws: draws });
    // Capacity matters here, so the comparison is not between two copies of the baseline.
    expect(drawn.columns.cards_issued_cumulative).not.toEqual(recorded.columns.cards_issued_cumulative);
    expect(replayed.columns).toEqual(drawn.columns);
    expect(replayed.prefectureDaily).toEqual(drawn.prefectureDaily);
    expect(replayed.leadTimeHistogram).toEqual(drawn.leadTimeHistogram);
    expect(replayed.work).toEqual(drawn.work);
  });

  it("fails with E_INTERNAL when the recorded draws run out or exceed a pool", () => {
    const base = params();
    const draws = run(base, { recordDemandDraws: true }).demandDraws!;
    const short = () => run(base, { demandDraws: draws.subarray(0, draws.length - 1) });
    expect(short).toThrow(TwinError);
    expect(short).toThrow(/recorded draws ran out/);
    const huge = Uint32Array.from(draws, () => 0xffffffff);
    expect(() => run(base, { demandDraws: huge })).toThrow(/exceeds its pool/);
  });

  it("demandKey changes with demand, not with capacity", () => {
    const base = params();
    expect(demandKey(scaleCapacities(base, 2))).toBe(demandKey(base));
    expect(demandKey(scaleDemand(base, 1.1))).not.toBe(demandKey(base));
    expect(demandKey({ ...base, start: "2016-02-01" })).not.toBe(demandKey(base));
  });
});
