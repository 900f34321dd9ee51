/**
 * The run view's revocation section (issue 11), shown when summary.json has a `revocation` part: the
 * chart "bytes per verifier per day by strategy" (the same chart function as report.html,
 * sim/run-format/revocation.ts), the comparison table of the strategies for each relying-party class
 * on the day the CRLs are largest, and the mass-revocation incident. Reads run output only.
 * @module
 */
import {
  crlGrowthChart,
  formatBytes,
  revocationStrategyChart,
  type RevocationSummary,
} from "../../../sim/run-format/revocation.js";
import { chartBox, h, table } from "./dom.js";
import { int } from "./format.js";

const hours = (x: number): string => (x < 1 ? `${(x * 60).toFixed(0)} min` : `${x.toFixed(1)} h`);

/** The section, or null for runs without a revocation model. */
export function revocationSection(r: RevocationSummary | undefined, width: number): HTMLElement | null {
  if (!r) return null;
  const c = r.comparison;
  const m = r.massRevocation;
  return h(
    "section",
    { class: "section", id: "revocation" },
    h("h2", {}, "Revocation distribution"),
    chartBox(
      revocationStrategyChart(r, "dash-revocation-strategies", width),
      "revocation-strategies",
      `Bytes each verifier (${r.chart.relyingParty}) downloads per day under each strategy, ${r.period.start} … ${r.period.end} (issuance run to ${r.period.runEnd}, steady state after).`,
    ),
    chartBox(
      crlGrowthChart(r, "dash-revocation-crl-growth", width),
      "revocation-crl-growth",
      "Revoked and unexpired certificates on each CA's CRL (authentication dashed); a CA's CRL empties five years after it stops issuing.",
    ),
    table(
      [
        "strategy",
        "relying party",
        "bytes/verifier/day",
        "staleness p50",
        "p99",
        "peak req/s",
        "peak bandwidth",
      ],
      c.rows.map((x) => [
        x.label,
        x.relyingParty,
        formatBytes(x.bytesPerVerifierPerDay),
        hours(x.stalenessHours.p50),
        hours(x.stalenessHours.p99),
        x.peakRequestsPerSecond.toFixed(1),
        `${formatBytes(x.peakBytesPerSecond)}/s`,
      ]),
      {
        align: ["l", "l", "r", "r", "r", "r", "r"],
        caption: `Strategies compared on ${c.date}, the CRLs' largest day`,
      },
    ),
    m
      ? h(
          "p",
          {},
          `Mass revocation on ${m.date}: ${int(m.cards)} cards, ${int(m.suspendedCertificates)} certificates suspended overnight; ` +
            `CRL entries ${int(m.crlEntriesBefore)} → ${int(m.crlEntriesAfter)}; largest re-key queue ${int(m.peakQueueRemote)} remote / ${int(m.peakQueueCounter)} at counters; ` +
            `${int(m.authFailuresTotal)} authentications fail (worst day ${m.authFailuresPeak.date}: ${int(m.authFailuresPeak.count)}; per day in mass-revocation.csv).`,
        )
      : "",
  );
}
