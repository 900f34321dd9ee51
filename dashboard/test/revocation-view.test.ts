// @vitest-environment jsdom
/**
 * The run view's revocation section: present with the strategies chart and the comparison table when
 * summary.json has a revocation part, absent otherwise.
 */
import { describe, expect, it } from "vitest";
import { RevocationSummarySchema, type RevocationSummary } from "../../sim/run-format/revocation.js";
import { revocationSection } from "../src/views/revocation-view.js";

const row = (strategy: "a-full" | "d-online", label: string, bytes: number) => ({
  strategy,
  label,
  relyingParty: "medical institutions and pharmacies",
  verifiers: 213_878,
  bytesPerVerifierPerDay: bytes,
  requestsPerVerifierPerDay: 1,
  stalenessHours: { p50: 12.5, p90: 22, p99: 24.4, max: 25 },
  lookup: "one hash probe",
  peakRequestsPerSecond: 59.4,
  peakBytesPerSecond: 1e9,
  whenDown: "stale",
  privacy: "none",
});

const FIXTURE: RevocationSummary = RevocationSummarySchema.parse({
  period: { start: "2016-01-01", runEnd: "2025-12-31", end: "2030-12-31" },
  byYear: [],
  peakDailyRevocations: { date: "2025-06-02", count: 9_590_754 },
  cas: [],
  bytesPerEntry: 49,
  sample: { entryRate: 0.001, artefacts: [] },
  comparison: {
    date: "2025-06-02",
    rows: [row("a-full", "(a) daily full CRL", 517e6), row("d-online", "(d) online status query", 13_809)],
  },
  massRevocation: {
    date: "2025-06-02",
    cards: 5e6,
    suspendedCertificates: 9_488_778,
    crlEntriesBefore: 22_288_777,
    crlEntriesAfter: 31_732_667,
    filterBytesBefore: null,
    filterBytesAfter: null,
    peakQueueRemote: 658_282,
    peakQueueCounter: 127_410,
    revokedAtDeadline: 503_402,
    daysTo95Percent: 62,
    authFailuresTotal: 45_371_593,
    authFailuresPeak: { date: "2025-06-03", count: 195_800 },
  },
  checks: [],
  crlGrowth: {
    dates: ["2025-01-01", "2025-01-08", "2025-01-15"],
    series: [{ type: "sign", generation: 2, entries: [17e6, 17.2e6, 17.5e6] }],
  },
  chart: {
    relyingParty: "medical institutions and pharmacies",
    dates: ["2025-01-01", "2025-01-08", "2025-01-15"],
    series: [
      { strategy: "a-full", label: "(a) daily full CRL", bytes: [4e8, 4.1e8, 4.2e8] },
      { strategy: "d-online", label: "(d) online status query", bytes: [13_000, 13_500, 13_809] },
    ],
  },
});

describe("revocation section of the run view", () => {
  it("shows the strategies chart, the comparison table and the incident", () => {
    const el = revocationSection(FIXTURE, 640)!;
    expect(el.id).toBe("revocation");
    const svg = el.querySelector("figure[data-chart=revocation-strategies] svg");
    expect(svg).not.toBeNull();
    expect(svg!.textContent).toContain("(d) online status query");
    expect(el.querySelector("figure[data-chart=revocation-crl-growth] svg")!.textContent).toContain(
      "signature CA gen 2",
    );
    expect(el.querySelectorAll("tbody tr")).toHaveLength(2);
    expect(el.textContent).toContain("517.0 MB");
    expect(el.textContent).toContain("13.8 kB");
    expect(el.textContent).toContain("Mass revocation on 2025-06-02: 5,000,000 cards");
  });

  it("is absent for runs without a revocation model", () => {
    expect(revocationSection(undefined, 640)).toBeNull();
  });
});
