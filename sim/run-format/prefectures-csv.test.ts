/**
 * prefectures.csv round-trips through its reader, is ordered by JIS code with romanised names, and a
 * broken file is refused with one message naming the line and column. The last test writes the file
 * from a real model run (data/, history.yaml cut short) and checks that each day's prefecture rows sum
 * to the national columns of timeseries.csv.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { epochDayOf } from "../../engine/calendar.js";
import { RandomStreams } from "../../engine/random/index.js";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { runIssuance } from "../issuance/model.js";
import type { IssuanceParams } from "../issuance/params.js";
import { prefectureSeries } from "../issuance/prefecture-series.js";
import { populationOf, propensityOf } from "../issuance/replication.js";
import { timeseriesCsv } from "../issuance/summary.js";
import {
  formatPrefecturesCsv,
  parsePrefecturesCsv,
  PrefectureCsvRowSchema,
  PREFECTURES_CSV_COLUMNS,
} from "./prefectures-csv.js";
import { parseTimeseriesCsv } from "./timeseries.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Two prefectures given out of JIS order (Tokyo 13 before Hokkaido 01), three days.
const series = {
  startDay: epochDayOf("2020-01-30"),
  days: 3,
  prefectures: ["東京都", "北海道"],
  population: [14_000_000, 5_200_000],
  applications: [100, 50, 150.5, 70, 210, 90],
  issued: [10, 5, 20, 8.25, 40, 11],
};

describe("prefectures.csv", () => {
  it("writes one row per prefecture per day in JIS order with romanised names, and reads back what it wrote", () => {
    const text = formatPrefecturesCsv(series);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(PREFECTURES_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + 3 * 2);
    expect(lines[1]).toBe("2020-01-30,01,Hokkaido,北海道,5200000,50,5");
    expect(lines[2]).toBe("2020-01-30,13,Tokyo,東京都,14000000,100,10");
    expect(lines[3]).toBe("2020-01-31,01,Hokkaido,北海道,5200000,70,8.25");
    expect(lines[6]).toBe("2020-02-01,13,Tokyo,東京都,14000000,210,40");
    const t = parsePrefecturesCsv(text);
    expect(t.dates).toEqual(["2020-01-30", "2020-01-31", "2020-02-01"]);
    expect(t.prefectures).toEqual([
      { code: "01", en: "Hokkaido", ja: "北海道", population: 5_200_000 },
      { code: "13", en: "Tokyo", ja: "東京都", population: 14_000_000 },
    ]);
    expect([...t.applications]).toEqual([50, 100, 70, 150.5, 90, 210]);
    expect([...t.issued]).toEqual([5, 10, 8.25, 20, 11, 40]);
  });

  it("refuses an unknown prefecture when writing", () => {
    expect(() => formatPrefecturesCsv({ ...series, prefectures: ["Atlantis", "北海道"] })).toThrow(
      "prefectures.csv: unknown prefecture 'Atlantis'",
    );
  });

  it("refuses a broken file with one message naming the line and column", () => {
    const good = formatPrefecturesCsv(series).trimEnd().split("\n");
    const bad = (edit: (l: string[]) => void): string => {
      const l = [...good];
      edit(l);
      return `${l.join("\n")}\n`;
    };
    const cases: [string, RegExp][] = [
      ["", /prefectures\.csv is empty/],
      [`${good[0]}\n`, /has a header but no rows/],
      [bad((l) => (l[0] = "date,prefecture,cards")), /line 1: expected the header/],
      [
        bad((l) => (l[3] = l[3]!.replace("8.25", "NaN"))),
        /line 4, column cards_issued_cumulative: expected a number ≥ 0, got 'NaN'/,
      ],
      [
        bad((l) => (l[2] = l[2]!.replace(",13,", ",48,"))),
        /line 3, column prefecture_code: expected a code 01–47/,
      ],
      [
        bad((l) => (l[1] = l[1]!.replace("2020-01-30", "2020-02-30"))),
        /line 2, column date: expected a date/,
      ],
      [bad((l) => l.splice(4, 1)), /line 5: 2020-01-31 has 1 of 2 prefectures/],
      [
        bad((l) => l.splice(3, 1)),
        /line 4, column prefecture_code: expected 01 \(the first day's order\), got '13'/,
      ],
      [bad((l) => l.splice(3, 2)), /line 4: 2020-02-01 does not follow 2020-01-30/],
      [
        bad((l) => (l[4] = l[4]!.replace(",13,Tokyo,東京都,", ",01,Hokkaido,北海道,"))),
        /line 5, column prefecture_code/,
      ],
      [
        bad((l) => (l[2] = l[2]!.replace(",13,Tokyo,東京都,", ",01,Hokkaido,北海道,"))),
        /line 3, column prefecture_code: 01 appears twice/,
      ],
      [
        bad((l) => (l[5] = l[5]!.split(",").slice(0, 5).join(","))),
        /line 6 has 5 of 7 fields \(the file may be truncated\)/,
      ],
      [bad((l) => l.pop()), /2020-02-01 has 1 of 2 prefectures/],
    ];
    for (const [text, message] of cases) expect(() => parsePrefecturesCsv(text)).toThrow(message);
    try {
      parsePrefecturesCsv(cases[3]![0]);
    } catch (e) {
      expect(e).toMatchObject({ code: "E_RUN_DATA" });
    }
  });

  it("under 3,000 random cell mutations (seed 12) reads exactly what the row schema accepts, else names the line and column", () => {
    const rnd = mulberry32(12);
    const good = formatPrefecturesCsv(series).trimEnd().split("\n");
    const pieces = [
      "0",
      "1",
      "9",
      ".",
      "-",
      "e",
      "5",
      "",
      " ",
      "x",
      "2020-",
      "01",
      "31",
      "NaN",
      "47",
      "48",
      "東",
      "Tokyo",
    ];
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const line = 1 + randomInt(rnd, good.length - 1);
      const col = randomInt(rnd, PREFECTURES_CSV_COLUMNS.length);
      const cells = good[line]!.split(",");
      let v = "";
      for (let k = 1 + randomInt(rnd, 4); k > 0; k--) v += pieces[randomInt(rnd, pieces.length)]!;
      if (col === 0 && randomInt(rnd, 2) === 0)
        v = `2020-0${1 + randomInt(rnd, 3)}-${10 + randomInt(rnd, 25)}`;
      cells[col] = v;
      const lines = [...good];
      lines[line] = cells.join(",");
      const raw = Object.fromEntries(PREFECTURES_CSV_COLUMNS.map((c, i) => [c, cells[i]!]));
      const alone = PrefectureCsvRowSchema.safeParse(raw);
      let table: ReturnType<typeof parsePrefecturesCsv> | null = null;
      let message = "";
      try {
        table = parsePrefecturesCsv(`${lines.join("\n")}\n`);
      } catch (e) {
        message = (e as Error).message;
      }
      if (!alone.success) {
        // the row schema refuses the cell: so does the reader, naming that line and column
        expect(message).toContain(`line ${line + 1}, column ${PREFECTURES_CSV_COLUMNS[col]}:`);
      } else if (table) {
        accepted++;
        const d = table.dates.indexOf(alone.data.date);
        const k = table.prefectures.findIndex((p) => p.code === alone.data.prefecture_code);
        expect(table.issued[d * 2 + k]).toBe(alone.data.cards_issued_cumulative);
        expect(table.applications[d * 2 + k]).toBe(alone.data.applications_cumulative);
      } else {
        // a valid row that breaks the file's structure (a date out of order, a code twice or out of
        // the first day's order): refused with one message naming a line
        expect(message).toMatch(/^prefectures\.csv: (line \d+|\d{4}-\d{2}-\d{2} has \d+ of \d+)/);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("from a real run: every prefecture every day, cumulative cards summing to the national column", () => {
    const p = parse(readFileSync(join(ROOT, "scenarios", "history.yaml"), "utf8")) as IssuanceParams;
    p.end = "2016-06-30";
    const data = join(ROOT, "data");
    const pop = populationOf(data);
    const results = [0, 1].map((rep) =>
      runIssuance(p, pop, new RandomStreams(9).stream("issuance.demand", rep), {
        propensity: propensityOf(p, data)!.relative,
      }),
    );
    const table = parsePrefecturesCsv(formatPrefecturesCsv(prefectureSeries(results, pop)));
    const national = parseTimeseriesCsv(timeseriesCsv(results));
    expect(table.prefectures).toHaveLength(47);
    expect(table.prefectures.map((x) => x.code)).toEqual(
      Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, "0")),
    );
    expect(table.prefectures.reduce((a, x) => a + x.population, 0)).toBe(pop.total);
    expect(table.dates).toEqual(national.dates);
    const cards = national.columns.get("cards_issued_cumulative")!;
    const apps = national.columns.get("applications_cumulative")!;
    for (let d = 0; d < table.dates.length; d++) {
      let c = 0;
      let a = 0;
      for (let k = 0; k < 47; k++) {
        c += table.issued[d * 47 + k]!;
        a += table.applications[d * 47 + k]!;
      }
      // two replications: both files hold means written with two decimals
      expect(Math.abs(c - cards[d]!)).toBeLessThanOrEqual(0.005 * 48);
      expect(Math.abs(a - apps[d]!)).toBeLessThanOrEqual(0.005 * 48);
    }
  });
});
