/**
 * The report's authentication section (issue 10 items 3 and 7), from summary.json's `auth` part:
 * the peak year's load, the busiest day run request by request beside the hourly fluid model on the
 * same hours, peak-hour latency against cards in circulation with the target line (chart in
 * report.html, table in both), the servers needed for the p99 goal, lockouts and counter visits,
 * and the service times measured (or pinned) for the run.
 * @module
 */
import { authLatencyChart, type AuthDay, type AuthSummary } from "../run-format/auth.js";
import { int, millions } from "../run-format/format.js";
import type { Block } from "../issuance/report/blocks.js";

const msText = (x: number | null): string => (x === null ? "—" : x.toFixed(1));

function dayTable(d: AuthDay): Block {
  return {
    kind: "table",
    head: ["hour", "arrivals", "p50 request (ms)", "p50 fluid (ms)", "p99 request (ms)", "p99 fluid (ms)"],
    align: ["l", "r", "r", "r", "r", "r"],
    rows: d.hours.map((h) => [
      String(h.hour).padStart(2, "0"),
      int(h.arrivals),
      msText(h.requestP50Ms),
      msText(h.fluidP50Ms),
      msText(h.requestP99Ms),
      msText(h.fluidP99Ms),
    ]),
    caption: `${d.date}: request-level model against the hourly fluid model`,
  };
}

function dayLine(d: AuthDay, what: string): Block {
  return {
    kind: "p",
    content: [
      `${what} ${d.date}: `,
      { b: `${int(d.requests)} authentications` },
      ` with ${millions(d.cards)} cards in circulation, run request by request — p50 ${msText(d.p50Ms)} ms, p90 ${msText(d.p90Ms)} ms, p99 ${msText(d.p99Ms)} ms, max ${msText(d.maxMs)} ms; ${int(d.retries)} retries, ${int(d.failed)} failed; platform ${(d.platformUtilisation * 100).toFixed(1)} % busy, J-LIS ${(d.jlisUtilisation * 100).toFixed(1)} %; ${int(d.eventsProcessed)} events. Largest hourly p99 gap between the fluid and request-level models (hours with ≥ 1,000 arrivals): ${d.maxAbsP99ErrorPercent === null ? "—" : `${d.maxAbsP99ErrorPercent.toFixed(1)} %`}.`,
    ],
  };
}

/** Report blocks of the auth section; none when the run has no auth model. */
export function authReportSection(a: AuthSummary | undefined): Block[] {
  if (!a) return [];
  const y = a.year;
  const s = a.serversNeeded;
  const t = a.serviceTimes;
  const q = (table: number[], i: number): string => `${(table[i]! * 1000).toFixed(1)} µs`;
  return [
    { kind: "h", level: 2, text: "Authentication", id: "auth" },
    {
      kind: "p",
      content: [
        `In ${y.year} the cards in circulation made `,
        { b: `${int(y.authentications)} authentications` },
        ` (online qualification checks, convenience-store certificates, Myna Portal, e-Tax, private JPKI; FACTS §5). Busiest day ${y.busiestDay.date} with ${int(y.busiestDay.authentications)}; busiest hour ${y.peakHour.hour}:00 at ${y.peakHour.arrivalsPerS.toFixed(0)} per second.`,
      ],
    },
    {
      kind: "table",
      head: ["relying party", `authentications ${y.year}`],
      align: ["l", "r"],
      rows: Object.entries(y.byClass).map(([k, v]) => [k, int(v)]),
    },
    ...(a.fidelity && a.fidelity.length > 0
      ? [
          {
            kind: "table",
            head: ["volume", "period", "official", "modelled", "source"],
            align: ["l", "l", "r", "r", "l"],
            rows: a.fidelity.map((f) => [
              f.what,
              `${f.from} … ${f.to}`,
              int(f.official),
              int(f.modelled),
              f.source,
            ]),
            caption:
              "Modelled against official volumes: rates per card in circulation are calibrated on the official counts, so the gap is the run's cards in circulation against the official count",
          } satisfies Block,
        ]
      : []),
    dayLine(a.peakDay, "Busiest day"),
    ...a.validationDays.map((d) => dayLine(d, "Validation day")),
    { kind: "chart", svg: authLatencyChart(a) },
    {
      kind: "table",
      head: ["cards in circulation", "peak arrivals / s", "p50 (ms)", "p99 (ms)", "p99 fluid (ms)", "failed"],
      align: ["r", "r", "r", "r", "r", "r"],
      rows: a.latencyByCards.map((p) => [
        `${millions(p.cards)}${p.cards === a.targetCards ? " (target)" : ""}`,
        p.arrivalsPerS.toFixed(1),
        msText(p.p50Ms),
        msText(p.p99Ms),
        msText(p.fluidP99Ms),
        int(p.failed),
      ]),
      caption: "Peak-hour latency (a 15-minute window at the busiest hour's rate per card, scaled)",
    },
    {
      kind: "p",
      content: [
        `Servers to keep p99 ≤ ${s.goalP99Ms} ms at ${millions(s.cards)} cards: `,
        {
          b:
            s.platformServers === null
              ? "not reachable"
              : `${s.platformServers} platform, ${s.jlisServers ?? "—"} J-LIS (p99 ${msText(s.p99Ms)} ms)`,
        },
        `. ${s.note}.`,
      ],
    },
    {
      kind: "p",
      content: [
        `PIN lockouts (auth PIN, 3 tries, FACTS §1.5): ${(a.lockouts.probabilityPerPinAuthentication * 100).toFixed(3)} % of PIN authentications, ${int(a.lockouts.lockouts)} over the run, ${int(a.lockouts.counterVisits)} counter visits to reset (peak ${int(a.lockouts.peakDailyCounterVisits.count)} on ${a.lockouts.peakDailyCounterVisits.date}; daily series in auth-daily.csv). `,
        a.lockouts.fedIntoIssuanceCounters
          ? 'They load the issuance counters: each reset takes counter staff minutes before hand-overs (the issuance model steps the same lockout flow per municipality from its own cards in circulation; what the visits cost is in the section "PIN resets at the counters").'
          : "They do not load the issuance counters in this scenario (set counters.minutesPerPinReset to make them).",
      ],
    },
    {
      kind: "p",
      content: [
        `Service times ${t.source === "measured" ? `measured at the start of this run on this machine (${t.samples} samples each, CRL of ${int(t.crlEntries)} entries)` : "pinned by the scenario"}: platform p50 ${q(t.platformMs, 10)}, p95 ${q(t.platformMs, 19)}; CRL lookup p50 ${q(t.crlLookupMs, 10)}; J-LIS validity answer p50 ${q(t.jlisMs, 10)}. Quantile tables in summary.json (auth.serviceTimes); pin them in the scenario to repeat the run exactly.`,
      ],
    },
    {
      kind: "details",
      summary: `Busiest day ${a.peakDay.date}, hour by hour`,
      blocks: [dayTable(a.peakDay)],
    },
    ...a.validationDays.map((d): Block => ({
      kind: "details",
      summary: `Validation day ${d.date}, hour by hour`,
      blocks: [dayTable(d)],
    })),
  ];
}
