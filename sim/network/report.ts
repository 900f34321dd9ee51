/**
 * The report's information provision network section (issue 12 item 1), from summary.json's
 * `network` part: use against design (FACTS §5.5: ≈640 M a year designed, 8.03 M in FY2018, ≈190 M
 * in FY2022, 5 % of plan per the Board of Audit in 2021), demand by season and procedure, the busiest
 * hour at the run's and the design load run exchange by exchange, capacity headroom, the cost per
 * exchange with the cost's assumed range, and every network parameter by label.
 * @module
 */
import { fixed, grouped, int, millions } from "../run-format/format.js";
import {
  networkUseChart,
  shareOfDesign,
  yenPerExchange,
  type NetworkSummary,
} from "../run-format/network.js";
import type { Block } from "../issuance/report/blocks.js";

const MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"];

/** A parameter value: whole numbers grouped, others to 3 decimals without trailing zeros. */
const num = (v: number): string => (Number.isInteger(v) ? grouped(v) : grouped(v, 3).replace(/\.?0+$/, ""));

/** Report blocks of the network section; none when the run has no network model. */
export function networkReportSection(n: NetworkSummary | undefined): Block[] {
  if (!n) return [];
  const row = (what: string, l: NetworkSummary["actual"]) => [
    what,
    fixed(l.offeredPerSecond, 1),
    fixed(l.throughputPerSecond, 1),
    fixed(l.latencyMs.p50, 1),
    fixed(l.latencyMs.p99, 1),
    `${fixed(l.coreUtilisation * 100, 1)} %`,
    `${fixed(l.intermediateUtilisation * 100, 1)} %`,
  ];
  const auditUse = n.auditShareOfPlan * n.designAnnualExchanges;
  const peakMonth = n.monthly.indexOf(Math.max(...n.monthly));
  return [
    { kind: "h", level: 2, text: "Information provision network", id: "network" },
    {
      kind: "p",
      content: [
        `The run's load is `,
        { b: `${millions(n.annualExchanges)} exchanges a year` },
        `, ${fixed(n.shareOfPlan * 100, 1)} % of the design load of ${millions(n.designAnnualExchanges)} (FACTS §5.5). Cost per exchange at this use: `,
        { b: yenPerExchange(n, n.annualExchanges) },
        `; at design use it would be ${yenPerExchange(n, n.designAnnualExchanges)}. Core capacity is ${fixed(n.coreHeadroomAtDesign, 2)}× the design peak rate.`,
      ],
    },
    { kind: "chart", svg: networkUseChart(n, "network-use") },
    {
      kind: "p",
      content: [
        `Utilisation and cost: at the Board of Audit's finding of ${fixed(n.auditShareOfPlan * 100, 0)} % of plan (2021, ${millions(auditUse)} a year) each exchange costs `,
        { b: yenPerExchange(n, auditUse) },
        `, ${fixed(n.costPerExchangeYen.atAuditShare / n.costPerExchangeYen.design, 0)}× its cost at design use (${yenPerExchange(n, n.designAnnualExchanges)}): the network's cost is fixed (build and operation, ¥${fixed(n.annualCostYen / 1e9, 1)} bn a year, assumed range ¥${fixed(n.annualCostRangeYen[0] / 1e9, 1)}–${fixed(n.annualCostRangeYen[1] / 1e9, 1)} bn), so the cost per exchange falls as one over use. At the busiest hour of the design load the core is ${fixed(n.design.coreUtilisation * 100, 1)} % busy; at the run's load ${fixed(n.actual.coreUtilisation * 100, 1)} %.`,
      ],
    },
    {
      kind: "table",
      head: ["year", "who", "exchanges", "of design", "busiest hour /s", "yen per exchange (range)"],
      align: ["l", "l", "r", "r", "r", "r"],
      rows: n.observed.map((o) => [
        o.year,
        o.scope === "all-users" ? "all users" : "local governments' own inquiries",
        int(o.exchanges),
        shareOfDesign(o.shareOfPlan),
        fixed(o.peakPerSecond, 1),
        o.costPerExchangeYen === null ? "–" : yenPerExchange(n, o.exchanges),
      ]),
      caption:
        "Observed use against the design (FACTS §5.5); local governments' inquiries are part of all use, so they are not priced",
    },
    {
      kind: "table",
      head: ["load", "offered /s", "throughput /s", "p50 (ms)", "p99 (ms)", "core busy", "intermediate busy"],
      align: ["l", "r", "r", "r", "r", "r", "r"],
      rows: [row("this run, busiest hour", n.actual), row("design, busiest hour", n.design)],
      caption: `Busiest hour (${MONTHS[peakMonth] ?? "?"}) simulated exchange by exchange on the DES kernel (${int(n.eventsProcessed)} events)`,
    },
    {
      kind: "table",
      head: ["month", "exchanges", "busiest hour /s"],
      align: ["l", "r", "r"],
      rows: n.monthly.map((m, i) => [
        MONTHS[i] ?? String(i),
        int(m),
        fixed(n.monthlyPeakPerSecond[i] ?? 0, 1),
      ]),
      caption: "Demand by season at the run's load (monthly shares assumed; no monthly series was found)",
    },
    {
      kind: "table",
      head: ["procedure family", "exchanges a year"],
      align: ["l", "r"],
      rows: Object.entries(n.byProcedure).map(([k, v]) => [k, int(v)]),
      caption:
        "Demand by procedure family at the run's load (shares assumed; local tax the largest, FACTS §5.5)",
    },
    {
      kind: "details",
      summary: "Network parameters by label",
      blocks: [
        {
          kind: "table",
          head: ["parameter", "value", "label", "range", "source"],
          align: ["l", "r", "l", "r", "l"],
          rows: n.parameters.map((r) => [
            r.path,
            num(r.value),
            r.label,
            r.range ? `${num(r.range[0])} – ${num(r.range[1])}` : "–",
            r.source,
          ]),
        },
      ],
    },
  ];
}
