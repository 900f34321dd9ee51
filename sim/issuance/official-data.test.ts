/**
 * The official series are read with d3-dsv (through population.ts's readCsv): quoted cells, CRLF
 * line ends and blank lines do not shift a column, and a missing file gives no comparison.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { latestPrefectureDate, loadOfficialNational, loadOfficialPrefectures } from "./official-data.js";

const dir = mkdtempSync(join(tmpdir(), "myna-official-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("official data files", () => {
  it("reads quoted cells, CRLF and blank lines without shifting columns", () => {
    writeFileSync(
      join(dir, "issuance-national.csv"),
      'date,cards_issued_cumulative,note\r\n2017-03-08,10717919,"MIC, via Code for Japan"\r\n\r\n2017-04-01,11000000,""\r\n',
    );
    writeFileSync(
      join(dir, "issuance-by-prefecture.csv"),
      'date,prefecture,population,cards_issued_cumulative\n2022-12-31,"Tokyo, Metropolis",13794933,7500000\n2022-12-31,Hokkaido,5224614,2600000\n2021-12-31,Hokkaido,5224614,2000000\n',
    );
    expect(loadOfficialNational(dir)).toEqual([
      { date: "2017-03-08", cardsIssuedCumulative: 10_717_919 },
      { date: "2017-04-01", cardsIssuedCumulative: 11_000_000 },
    ]);
    expect(latestPrefectureDate(dir)).toBe("2022-12-31");
    const snap = loadOfficialPrefectures(dir, "2022-12-31")!;
    expect(snap.byPrefecture.get("Tokyo, Metropolis")).toEqual({ population: 13_794_933, cards: 7_500_000 });
    expect(snap.byPrefecture.size).toBe(2);
  });

  it("gives no comparison without the files", () => {
    const empty = mkdtempSync(join(dir, "empty-"));
    expect(loadOfficialNational(empty)).toEqual([]);
    expect(latestPrefectureDate(empty)).toBeNull();
    expect(loadOfficialPrefectures(empty, "2022-12-31")).toBeNull();
  });
});
