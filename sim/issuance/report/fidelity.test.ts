/**
 * The fidelity section's prefecture part: labelled out of sample when propensity by municipality was
 * fitted on data up to an earlier date (with the in-sample date shown apart), in-sample without a
 * fit; the lagging prefectures ranked by official coverage with romanised names beside the kanji.
 */
import { describe, expect, it } from "vitest";
import { PREFECTURES, type PrefectureFidelity, type RunSummary } from "../../run-format/index.js";
import { mdBlocks } from "./blocks.js";
import { coverageSpread, fidelitySection } from "./fidelity.js";
import type { ReportInput } from "./input.js";

/** 47 prefectures; official coverage 50 + index/2 %, except Miyazaki lowest (40 %) and Okinawa 45 %. */
function prefectures(date: string, simulatedOffset: number): PrefectureFidelity {
  const rows = PREFECTURES.map(([ja], i) => {
    const official = ja === "宮崎県" ? 40 : ja === "沖縄県" ? 45 : 50 + i / 2;
    return {
      prefecture: ja,
      officialShare: 100 / 47,
      simulatedShare: 100 / 47,
      officialCoverage: official,
      simulatedCoverage: official + simulatedOffset,
    };
  });
  return { date, maxAbsShareErrorPoints: 0, maxAbsCoverageErrorPoints: Math.abs(simulatedOffset), rows };
}

function md(fidelity: Partial<RunSummary["fidelity"]>): string {
  const f = {
    national: [{ date: "2022-12-31", official: 71_000_000, simulated: 70_000_000, errorPercent: -1.41 }],
    maxAbsErrorPercent: -1.41,
    prefectures: prefectures("2022-12-31", -2.5),
    ...fidelity,
  };
  const input = { summary: { fidelity: f }, params: {} } as unknown as ReportInput;
  return mdBlocks(fidelitySection(input)).join("\n");
}

describe("fidelity section, prefectures", () => {
  it("labels the later date out of sample and the fitted date in-sample when uptake was fitted", () => {
    const text = md({
      uptakeFit: {
        fitDate: "2021-12-31",
        observedOn: "2021-10-01",
        shrinkage: 0,
        inSample: prefectures("2021-10-01", 1.25),
      },
    });
    expect(text).toContain("**Out of sample for municipal uptake.**");
    expect(text).toContain("no official data after 2021-12-31 was read");
    expect(text).toContain("**Coverage (cards per resident, out of sample):** max abs error 2.50 points");
    expect(text).toContain(
      "**Coverage on 2021-10-01 (in-sample: the date the propensities were fitted on, fit date 2021-12-31):** max abs error 1.25 points",
    );
    expect(text).not.toMatch(/PASS|FAIL/);
    // every prefecture is 2.5 points low: all of it is level, none of it spread
    expect(text).toContain(
      "Mean error over prefectures -2.50 points; without it, max abs 0.00 and mean abs 0.00 points.",
    );
  });

  it("separates the common level from the spread between prefectures", () => {
    const pf = prefectures("2022-12-31", 0);
    pf.rows[0]!.simulatedCoverage += 4; // Hokkaido 4 points high, the rest exact
    expect(coverageSpread(pf).meanError).toBeCloseTo(4 / 47, 12);
    expect(coverageSpread(pf).maxAbs).toBeCloseTo(4 - 4 / 47, 12);
    expect(coverageSpread(pf).meanAbs).toBeCloseTo((4 - 4 / 47 + 46 * (4 / 47)) / 47, 12);
  });

  it("ranks the lagging prefectures by official coverage with romanised names beside the kanji", () => {
    const text = md({ uptakeFit: null });
    expect(text).toContain("Lagging prefectures: the 10 with the lowest official coverage on 2022-12-31");
    const ranked = text.split("\n").filter((l) => /^\| \d+ \| /.test(l));
    expect(ranked).toHaveLength(10);
    expect(ranked[0]).toBe("| 1 | Miyazaki 宮崎県 | 40.00 | 37.50 | -2.50 |");
    expect(ranked[1]).toContain("| 2 | Okinawa 沖縄県 | 45.00 |");
    expect(ranked[2]).toContain("| 3 | Hokkaido 北海道 | 50.00 |");
    expect(text).toContain("**In-sample, no municipal uptake:**");
    expect(text).toContain("**Coverage (cards per resident, in-sample):**");
  });
});
