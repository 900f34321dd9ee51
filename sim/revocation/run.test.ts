import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { mdBlocks } from "../issuance/report/blocks.js";
import { htmlBlocks } from "../issuance/report/html.js";
import {
  MASS_REVOCATION_CSV_COLUMNS,
  REVOCATION_CSV_FIXED,
  RevocationSummarySchema,
} from "../run-format/revocation.js";
import { AUTH_CLASSES } from "../auth/load-model.js";
import { revocationReportSection } from "./report.js";
import { authFailuresByDate, runRevocationModel, type RevocationScenario } from "./run.js";

const START = parseIsoDate("2016-01-01");
const N = parseIsoDate("2025-12-31") - START + 1;
const input = { startDay: START, cardsIssuedDaily: new Float64Array(N).fill(100e6 / N) };
const scenario: RevocationScenario = {
  renewal: { certificateRenewalShare: 0.8 },
  revocation: {
    through: "2030-12-31",
    sample: { entryRate: 0.0002 },
    strategies: { partitions: 16 },
    massRevocation: {
      date: "2025-06-02",
      cards: 5_000_000,
      rekeyShare: 0.9,
      arrivalMeanDays: 21,
      remoteShare: 0.6,
      remoteCapacityPerDay: 50_000,
      remoteFailureRate: 0.1,
      counterCapacityPerDay: 60_000,
      deadlineDays: 150,
    },
  },
};

describe("the revocation model of a run", () => {
  const run = runRevocationModel(scenario, input, { seed: 7 })!;
  const s = run.summary;

  it("is absent without a revocation block", () => {
    expect(runRevocationModel({ renewal: { certificateRenewalShare: 0.8 } }, input, { seed: 7 })).toBeNull();
  });

  it("writes a summary section that fits its schema, with every built CRL exactly the size the model says", () => {
    expect(() => RevocationSummarySchema.parse(s)).not.toThrow();
    expect(s.period).toEqual({ start: "2016-01-01", runEnd: "2025-12-31", end: "2030-12-31" });
    const kinds = new Set(s.sample.artefacts.map((a) => a.kind));
    expect([...kinds].sort()).toEqual(["delta", "filter", "filterDelta", "full", "partition", "status"]);
    for (const a of s.sample.artefacts)
      if (a.kind.startsWith("filter")) expect(Math.abs(a.bytes / a.modelBytes - 1)).toBeLessThan(0.05);
      else expect(a.bytes).toBe(a.modelBytes);
    expect(s.sample.artefacts.some((a) => a.kind === "full" && a.entries > 1000)).toBe(true);
  });

  it("sets the flow beside published figures: the FY2025 expiry wave and the moves", () => {
    expect(s.checks.map((c) => c.reference)).toEqual([27_800_000, 4_880_967]);
    for (const c of s.checks) expect(c.model).toBeGreaterThan(0);
    const fy2025 = s.checks[0]!.model!;
    // renewed + lapsed of FY2025 ≤ all authentication certificates that expire or are superseded then
    expect(fy2025).toBeGreaterThan(1e6);
  });

  it("compares every strategy for every relying-party class, the filter included", () => {
    const ids = [...new Set(s.comparison.rows.map((r) => r.strategy))];
    expect(ids).toEqual([
      "a-full",
      "b-delta-hourly",
      "b-delta-daily",
      "c-partitions",
      "d-online",
      "e-filter",
    ]);
    expect(new Set(s.comparison.rows.map((r) => r.relyingParty)).size).toBe(3);
    const row = (id: string, rp: string) =>
      s.comparison.rows.find((r) => r.strategy === id && r.relyingParty.startsWith(rp))!;
    // a convenience-store terminal checks few cards: partitions and online queries beat the full CRL
    expect(row("c-partitions", "convenience").bytesPerVerifierPerDay).toBeLessThan(
      row("a-full", "convenience").bytesPerVerifierPerDay / 10,
    );
    expect(row("d-online", "convenience").bytesPerVerifierPerDay).toBeLessThan(
      row("c-partitions", "convenience").bytesPerVerifierPerDay,
    );
    // the filter is far smaller than the CRL it replaces, with daily deltas as fresh as a daily CRL
    expect(row("e-filter", "medical").bytesPerVerifierPerDay).toBeLessThan(
      row("a-full", "medical").bytesPerVerifierPerDay / 20,
    );
    expect(row("e-filter", "medical").stalenessHours).toEqual(row("a-full", "medical").stalenessHours);
    expect(row("d-online", "medical").privacy).toMatch(/who checked which card when/);
    expect(row("b-delta-hourly", "private").stalenessHours.p99).toBeLessThan(2.5);
  });

  it("is deterministic: the same seed gives the same summary and files", () => {
    const again = runRevocationModel(scenario, input, { seed: 7, measure: false })!;
    expect(JSON.stringify(again.summary)).toBe(JSON.stringify(s));
    expect(again.files).toEqual(run.files);
  });

  it("writes revocation.csv and mass-revocation.csv with one row per day and the auth failures for sim/auth", () => {
    const daily = run.files["revocation.csv"]!.trimEnd().split("\n");
    expect(daily[0]!.split(",").slice(0, REVOCATION_CSV_FIXED.length)).toEqual([...REVOCATION_CSV_FIXED]);
    expect(daily).toHaveLength(1 + run.flow.days);
    const mass = run.files["mass-revocation.csv"]!.trimEnd().split("\n");
    expect(mass[0]).toBe(MASS_REVOCATION_CSV_COLUMNS.join(","));
    expect(mass[1]!.startsWith("2025-06-02,")).toBe(true);
    const failures = authFailuresByDate(run.mass!, START);
    expect(failures.get("2025-06-02")).toBe(0);
    expect(failures.get("2025-06-03")).toBeGreaterThan(100_000);
    expect(s.massRevocation!.authFailuresPeak.date).toBe("2025-06-03");
    // by sim/auth relying-party class, in the summary and per day in the csv
    const byClass = s.massRevocation!.authFailuresByClass!;
    expect(Object.keys(byClass)).toEqual([...AUTH_CLASSES]);
    const sumClasses = Object.values(byClass).reduce((a, b) => a + b, 0);
    expect(Math.abs(sumClasses - s.massRevocation!.authFailuresTotal)).toBeLessThanOrEqual(
      AUTH_CLASSES.length,
    );
    expect(byClass.pharmacy!).toBeGreaterThan(byClass.convenience!);
    const row = mass[2]!.split(",").map(Number);
    const total = row[MASS_REVOCATION_CSV_COLUMNS.indexOf("auth_failures")]!;
    const parts = AUTH_CLASSES.map((c) => row[MASS_REVOCATION_CSV_COLUMNS.indexOf(`auth_failures_${c}`)]!);
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(AUTH_CLASSES.length);
    expect(s.massRevocation!.crlEntriesAfter - s.massRevocation!.crlEntriesBefore).toBeGreaterThan(9e6);
    expect(s.massRevocation!.filterBytesAfter!).toBeGreaterThan(s.massRevocation!.filterBytesBefore!);
  });

  it("renders one table and one chart in the report", () => {
    const blocks = revocationReportSection(run.report);
    const html = htmlBlocks(blocks).join("\n");
    expect(html).toContain("chart-revocation-strategies");
    expect(html).toContain("(e) pushed CRLite-style filter");
    const md = mdBlocks(blocks).join("\n");
    expect(md).toContain("Strategies compared on");
    expect(md).toContain("Mass revocation on 2025-06-02");
    expect(revocationReportSection(null)).toEqual([]);
  });

  it("a mass-revocation date outside the horizon or a sampled day outside it is a scenario error", () => {
    const bad = (rev: RevocationScenario["revocation"]) => () =>
      runRevocationModel({ renewal: { certificateRenewalShare: 0.8 }, revocation: rev }, input, { seed: 1 });
    expect(
      bad({
        ...scenario.revocation!,
        massRevocation: { ...scenario.revocation!.massRevocation!, date: "2031-01-01" },
      }),
    ).toThrow(
      /revocation.massRevocation.date: expected a date from 2016-01-01 to 2030-12-31, got 2031-01-01/,
    );
    expect(bad({ sample: { days: ["2015-01-01"] } })).toThrow(
      /revocation.sample.days: 2015-01-01 is outside the horizon/,
    );
  });
});
