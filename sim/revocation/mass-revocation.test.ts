import { describe, expect, it } from "vitest";
import { parseIsoDate } from "../../engine/calendar.js";
import { crlEntriesOfType, runRevocationFlow } from "./flow.js";
import { incidentOf, runMassRevocation } from "./mass-revocation.js";
import { REVOCATION_DEFAULTS, type MassRevocationParams } from "./params.js";
import { AUTH_CLASSES, channelShares, dailyVolumes } from "../auth/load-model.js";
import { AUTH_DEFAULTS } from "../auth/params.js";

const M: MassRevocationParams = {
  date: "2025-06-02",
  cards: 5_000_000,
  rekeyShare: 0.9,
  arrivalMeanDays: 21,
  remoteShare: 0.6,
  remoteCapacityPerDay: 50_000,
  remoteFailureRate: 0.1,
  counterCapacityPerDay: 60_000,
  deadlineDays: 150,
};
/** Flow day 0; the incident is announced on flow day 100 (2025-06-02). */
const FLOW_START = parseIsoDate(M.date) - 100;
const LOAD = {
  privatePerBusinessPerDay: AUTH_DEFAULTS.privatePerBusinessPerDay,
  eTaxCardShareAtFullCoverage: AUTH_DEFAULTS.eTaxCardShareAtFullCoverage,
};
const AUTH = { startDay: FLOW_START, load: LOAD };

describe("mass revocation", () => {
  const m = runMassRevocation(M, 100, 400, AUTH);

  it("conserves holders: requests = re-keys + still queued, failures go to the counters", () => {
    let requested = 0;
    let done = 0;
    let failed = 0;
    let counterFromFailures = 0;
    for (let k = 0; k < 400; k++) {
      requested += m.requestsRemote[k]! + m.requestsCounter[k]!;
      done += m.rekeyedRemote[k]! + m.rekeyedCounter[k]!;
      failed += m.remoteFailures[k]!;
      if (k > 0) counterFromFailures += m.remoteFailures[k - 1]!;
    }
    const queued = m.queueRemote[399]! + m.queueCounter[399]!;
    expect(requested - failed + (failed - counterFromFailures)).toBeCloseTo(
      done + queued + (failed - counterFromFailures),
      3,
    );
    expect(requested - counterFromFailures).toBeCloseTo(
      M.cards * M.rekeyShare * (1 - Math.exp(-400 / 21)),
      0,
    );
    expect(m.suspended[399]!).toBeCloseTo(M.cards - done, 3);
  });

  it("queues never exceed what capacity cannot absorb and re-keys never exceed capacity", () => {
    for (let k = 0; k < 400; k++) {
      expect(m.rekeyedRemote[k]! + m.remoteFailures[k]!).toBeLessThanOrEqual(M.remoteCapacityPerDay + 1e-6);
      expect(m.rekeyedCounter[k]!).toBeLessThanOrEqual(M.counterCapacityPerDay + 1e-6);
    }
    // demand of ≈135 k/day at first beats 110 k/day of capacity: queues form
    expect(Math.max(...m.queueRemote) + Math.max(...m.queueCounter)).toBeGreaterThan(100_000);
    expect(m.daysTo95Percent).not.toBeNull();
  });

  it("authentication failures start the night after the announcement and follow the suspended cards", () => {
    expect(m.authFailures[0]).toBe(0);
    for (const c of AUTH_CLASSES) expect(m.authFailuresByClass[c][0]).toBe(0);
    expect(m.authFailures[300]!).toBeLessThan(m.authFailures[1]!);
    // through the deadline day only: then the certificates are revoked and the holders know it
    expect(m.authFailures[M.deadlineDays]!).toBeGreaterThan(0);
    for (let k = M.deadlineDays + 1; k < 400; k++) expect(m.authFailures[k]).toBe(0);
    expect(m.revokedAtDeadline).toBeCloseTo(m.suspended[150]!, 9);
    expect(m.revokedAtDeadline).toBeGreaterThanOrEqual(M.cards * (1 - M.rekeyShare) - 1);
  });

  it("failures are sim/auth's attempts on that date × the share of cards suspended, by class, card channels only", () => {
    // The whole nation's attempts from sim/auth's load model, with 99 M cards in circulation.
    const cards = 99_000_000;
    for (const k of [1, 2, 6, 7, 30, 120, 150]) {
      const date = FLOW_START + 100 + k;
      const volumes = dailyVolumes(date, cards, LOAD);
      const affectedShare = m.suspended[k - 1]! / cards;
      let total = 0;
      AUTH_CLASSES.forEach((c, i) => {
        const [pin, face, phone] = channelShares(c, date);
        const expected = volumes[i]! * (pin + face) * affectedShare;
        expect(m.authFailuresByClass[c][k]!).toBeCloseTo(expected, 6);
        // smartphone JPKI keeps its own key: never counted
        expect(m.authFailuresByClass[c][k]!).toBeLessThanOrEqual(
          volumes[i]! * (1 - phone) * affectedShare + 1e-6,
        );
        total += expected;
      });
      expect(m.authFailures[k]!).toBeCloseTo(total, 6);
    }
    // medical qualification checks dominate a weekday in mid-2025 (FACTS §5.3)
    const medical = (k: number) =>
      m.authFailuresByClass.hospital[k]! +
      m.authFailuresByClass.clinic[k]! +
      m.authFailuresByClass.dental[k]! +
      m.authFailuresByClass.pharmacy[k]!;
    expect(medical(1) / m.authFailures[1]!).toBeGreaterThan(0.5);
    // the dates matter: a Sunday (2025-06-08, k = 6) has far fewer clinic visits than the Tuesday before
    expect(m.authFailuresByClass.clinic[6]!).toBeLessThan(0.2 * m.authFailuresByClass.clinic[1]!);
  });

  it("the flow suspends the affected certificates overnight: the CRLs grow by about the cards' certificates", () => {
    const start = parseIsoDate("2016-01-01");
    const n = parseIsoDate("2025-12-31") - start + 1;
    const input = { startDay: start, cardsIssuedDaily: new Float64Array(n).fill(100e6 / n) };
    const d = parseIsoDate(M.date) - start;
    const mm = runMassRevocation(M, d, 2000, { startDay: start, load: LOAD });
    const base = runRevocationFlow(REVOCATION_DEFAULTS, input);
    const hit = runRevocationFlow(REVOCATION_DEFAULTS, input, incidentOf(mm, base.days));
    const grow = (f: typeof base) =>
      crlEntriesOfType(f, "auth", d) +
      crlEntriesOfType(f, "sign", d) -
      crlEntriesOfType(f, "auth", d - 1) -
      crlEntriesOfType(f, "sign", d - 1);
    const extra = grow(hit) - grow(base);
    expect(extra).toBeGreaterThan(M.cards * (1 + REVOCATION_DEFAULTS.signShare) * 0.97);
    expect(extra).toBeLessThan(M.cards * 2);
    expect(Math.abs(hit.revocations.auth.massSuspension[d]! / M.cards - 1)).toBeLessThan(1e-3);
    // re-keys issue new certificates afterwards
    expect(hit.issued.auth[d + 5]!).toBeGreaterThan(base.issued.auth[d + 5]!);
  });

  it("needs affected cards", () => {
    expect(() => runMassRevocation({ ...M, cards: 0 }, 0, 10, AUTH)).toThrow(
      /revocation.massRevocation.cards: expected > 0/,
    );
  });
});
