/**
 * The revocation section of report.md / report.html (issue 11): revocations by reason and year, each
 * CA's CRL at its largest, the strategies compared for each relying-party class (one table, one chart:
 * bytes per verifier per day over the horizon), the real artefacts built on the sampled days against
 * the size model, the costs measured in this run, and the mass-revocation incident. Pure function of
 * its input (the measured costs are the only machine-dependent figures, labelled as such).
 * @module
 */
import type { Block } from "../issuance/report/blocks.js";
import { p } from "../issuance/report/blocks.js";
import { DASH, fixed, int } from "../run-format/index.js";
import { crlGrowthChart, formatBytes as bytes, revocationStrategyChart } from "../run-format/revocation.js";
import type { RevocationReport } from "./run.js";

const hours = (h: number): string => (h < 1 ? `${fixed(h * 60, 0)} min` : `${fixed(h, 1)} h`);

const REASON_LABEL: Record<string, string> = {
  move: "moves",
  death: "deaths",
  nameChange: "name changes",
  loss: "loss/theft",
  returned: "returned",
  renewal: "renewals (superseded)",
  massSuspension: "mass suspension",
};

/** The section's blocks; none when the run has no revocation model. */
export function revocationReportSection(r: RevocationReport | null | undefined): Block[] {
  if (!r) return [];
  const s = r.summary;
  const blocks: Block[] = [
    { kind: "h", level: 2, text: "Revocation: flow, CRL size and distribution strategies", id: "revocation" },
    p(
      `From the run's new cards per day (${s.period.start} … ${s.period.runEnd}), extended to ${s.period.end} with first-time cards = births (steady state). ` +
        `Revocations by reason (FACTS §3.3), expiry at the 5th birthday and renewal (FACTS §1.4), one CRL per certificate type and J-LIS root generation (FACTS §1.2). ` +
        `Each CRL entry is ${s.bytesPerEntry} bytes (16-byte serial, revocationDate, reasonCode; RFC 5280 §5.3.1: no reasonCode is written for unspecified).`,
    ),
    p(
      `Busiest revocation day: ${s.peakDailyRevocations.date}, ${int(s.peakDailyRevocations.count)} certificates.`,
    ),
  ];
  const reasons = Object.keys(s.byYear[0]?.revoked ?? {}).filter((k) =>
    s.byYear.some((y) => (y.revoked[k] ?? 0) > 0),
  );
  blocks.push({
    kind: "table",
    caption: "Certificates revoked per year, by type and reason",
    head: ["year", "type", "issued", ...reasons.map((k) => REASON_LABEL[k] ?? k), "expired"],
    align: ["l", "l", "r", ...reasons.map(() => "r" as const), "r"],
    rows: s.byYear.map((y) => [
      String(y.year),
      y.type,
      int(y.issued),
      ...reasons.map((k) => int(y.revoked[k] ?? 0)),
      int(y.expired),
    ]),
  });
  blocks.push({
    kind: "table",
    caption: "The flow against published figures",
    head: ["figure", "model", "published", "source"],
    align: ["l", "r", "r", "l"],
    rows: s.checks.map((c) => [
      c.what,
      c.model === null ? "outside the run" : int(c.model),
      int(c.reference),
      c.source,
    ]),
  });
  blocks.push({
    kind: "table",
    caption: "Each CA's CRL at its largest (revoked and unexpired certificates)",
    head: ["CA", "peak entries", "on", "full CRL", `entries on ${s.period.end}`],
    align: ["l", "r", "l", "r", "r"],
    rows: s.cas
      .filter((c) => c.peakEntries > 0)
      .map((c) => [
        `${c.type} gen ${c.generation}`,
        int(c.peakEntries),
        c.peakDate,
        bytes(c.peakFullCrlBytes),
        int(c.entriesAtEnd),
      ]),
  });
  blocks.push({
    kind: "only",
    format: "html",
    blocks: [{ kind: "chart", svg: crlGrowthChart(s, "chart-revocation-crl-growth", 960) }],
  });
  blocks.push(
    { kind: "h", level: 3, text: `Strategies compared on ${s.comparison.date} (the CRLs' largest day)` },
    {
      kind: "table",
      caption: "Per relying-party class: bytes per verifier per day, staleness, lookup, load at the peak",
      head: [
        "strategy",
        "relying party",
        "verifiers",
        "bytes/verifier/day",
        "staleness p50",
        "p99",
        "peak req/s",
        "peak bandwidth",
      ],
      align: ["l", "l", "r", "r", "r", "r", "r", "r"],
      rows: s.comparison.rows.map((x) => [
        x.label,
        x.relyingParty,
        int(x.verifiers),
        bytes(x.bytesPerVerifierPerDay),
        hours(x.stalenessHours.p50),
        hours(x.stalenessHours.p99),
        fixed(x.peakRequestsPerSecond, 1),
        `${bytes(x.peakBytesPerSecond)}/s`,
      ]),
    },
  );
  const seen = new Set<string>();
  const notes = s.comparison.rows.filter((x) => !seen.has(x.strategy) && seen.add(x.strategy));
  blocks.push({
    kind: "table",
    caption: "Lookup cost, what fails when the distribution point is down, and privacy",
    head: ["strategy", "lookup", "distribution point down", "privacy"],
    rows: notes.map((x) => [x.label, x.lookup, x.whenDown, x.privacy]),
  });
  if (!s.comparison.rows.some((x) => x.strategy === "e-filter"))
    blocks.push(p("Strategy (e), the pushed filter, is not in this run: no filter was built."));
  const chartSvg = revocationStrategyChart(s, "chart-revocation-strategies", 960);
  blocks.push({ kind: "only", format: "html", blocks: [{ kind: "chart", svg: chartSvg }] });
  blocks.push({
    kind: "table",
    caption: `Real artefacts built with sim/pki on the sampled days (${fixed(s.sample.entryRate * 100, 2)} % of the entries), against the size model`,
    head: ["date", "CA", "kind", "entries", "bytes", "model bytes"],
    align: ["l", "l", "l", "r", "r", "r"],
    rows: s.sample.artefacts.map((a) => [
      a.date,
      `${a.type} gen ${a.generation}`,
      a.kind,
      int(a.entries),
      int(a.bytes),
      a.kind === "status" ? DASH : int(a.modelBytes),
    ]),
  });
  if (r.measured) {
    const m = r.measured;
    blocks.push(
      p(
        `Measured in this run (machine-dependent): parsing and indexing a ${int(m.crlEntries)}-entry sample CRL took ${fixed(m.crlParseMs, 1)} ms; ` +
          `a lookup of a listed serial ${fixed(m.crlLookupNs, 0)} ns; building and signing one status response ${fixed(m.statusResponseSignUs, 0)} µs.`,
      ),
    );
  }
  const mr = s.massRevocation;
  if (mr) {
    blocks.push(
      { kind: "h", level: 3, text: `Mass revocation on ${mr.date}: ${int(mr.cards)} cards with flawed keys` },
      {
        kind: "table",
        head: ["figure", "value"],
        align: ["l", "r"],
        rows: [
          ["certificates suspended overnight (certificateHold)", int(mr.suspendedCertificates)],
          [
            "CRL entries, all CAs: the day before → the day after",
            `${int(mr.crlEntriesBefore)} → ${int(mr.crlEntriesAfter)}`,
          ],
          [
            "filter size (both types): before → after",
            mr.filterBytesBefore === null
              ? DASH
              : `${bytes(mr.filterBytesBefore)} → ${bytes(mr.filterBytesAfter ?? 0)}`,
          ],
          [
            "largest re-key queue, remote / counters",
            `${int(mr.peakQueueRemote)} / ${int(mr.peakQueueCounter)}`,
          ],
          [
            "days until 95 % of those re-keying have",
            mr.daysTo95Percent === null ? "not within the horizon" : int(mr.daysTo95Percent),
          ],
          ["still suspended at the deadline: revoked", int(mr.revokedAtDeadline)],
          ["authentication failures caused, total", int(mr.authFailuresTotal)],
          [
            "authentication failures, worst day",
            `${int(mr.authFailuresPeak.count)} on ${mr.authFailuresPeak.date}`,
          ],
          ...Object.entries(mr.authFailuresByClass ?? {}).map(([cls, n]): [string, string] => [
            `authentication failures: ${cls}`,
            int(n),
          ]),
        ],
      },
      p(
        "The failed attempts are the authentication model's (sim/auth/load-model.ts, FACTS §5): each relying-party class's authentications per card in circulation on each date, through a card reader with the PIN or a face-authentication reader, times the cards still suspended, through the deadline day (then their holders know the certificates are revoked); smartphone JPKI keeps its own key in the phone (FACTS §1.7) and keeps working. Per day and class in mass-revocation.csv.",
      ),
    );
  }
  return blocks;
}
