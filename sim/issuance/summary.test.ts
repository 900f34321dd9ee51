/**
 * The writer and the run-output format agree: the model's daily columns and stages are the ones
 * sim/run-format declares (a column the format does not know would be dropped from timeseries.csv),
 * and timeseries.csv as written parses back to the model's numbers.
 * @module
 */
import { describe, expect, it } from "vitest";
import * as format from "../run-format/index.js";
import { STAGES, TIMESERIES_COLUMNS, type IssuanceRunResult } from "./model.js";
import { timeseriesCsv } from "./summary.js";

describe("summary.ts writes the run-output format", () => {
  it("declares the same columns and stages as sim/run-format", () => {
    expect([...TIMESERIES_COLUMNS]).toEqual([...format.TIMESERIES_COLUMNS]);
    expect([...STAGES]).toEqual([...format.STAGES]);
  });

  it("writes a timeseries.csv that the format's reader gives back", () => {
    const days = 10;
    const columns = Object.fromEntries(
      TIMESERIES_COLUMNS.map((c, k) => [
        c,
        Float64Array.from({ length: days }, (_, i) =>
          i === 3 && c.startsWith("lead") ? NaN : k * 100 + i / 8,
        ),
      ]),
    ) as IssuanceRunResult["columns"];
    const result = { startDay: 17_000, days, columns } as IssuanceRunResult;
    const t = format.parseTimeseriesCsv(timeseriesCsv([result]));
    expect(t.n).toBe(days);
    expect(t.names).toEqual([...TIMESERIES_COLUMNS]);
    for (const c of TIMESERIES_COLUMNS)
      for (let i = 0; i < days; i++) {
        const want = columns[c][i]!;
        expect(t.columns.get(c)![i]).toBe(
          Number.isNaN(want) ? NaN : Number(want.toFixed(format.columnDigits(c))),
        );
      }
  });
});
