/**
 * The report's information provision network section (issue 12 item 1), from summary.json's
 * `network` part: use against design (FACTS §5.5: ≈640 M a year designed, ≈190 M in FY2022), the
 * busiest hour at both loads run exchange by exchange, capacity headroom, and the cost per exchange.
 * @module
 */
import { fixed, int, millions } from "../run-format/format.js";
import type { NetworkSummary } from "../run-format/network.js";
import type { Block } from "../issuance/report/blocks.js";

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
  return [
    { kind: "h", level: 2, text: "Information provision network", id: "network" },
    {
      kind: "p",
      content: [
        `The run's load is `,
        { b: `${millions(n.annualExchanges)} exchanges a year` },
        `, ${fixed(n.shareOfPlan * 100, 1)} % of the design load of ${millions(n.designAnnualExchanges)} (FACTS §5.5). Cost per exchange at this use: `,
        { b: `¥${fixed(n.costPerExchangeYen.actual, 1)}` },
        `; at design use it would be ¥${fixed(n.costPerExchangeYen.design, 1)}. Core capacity is ${fixed(n.coreHeadroomAtDesign, 2)}× the design peak rate.`,
      ],
    },
    {
      kind: "table",
      head: ["load", "offered /s", "throughput /s", "p50 (ms)", "p99 (ms)", "core busy", "intermediate busy"],
      align: ["l", "r", "r", "r", "r", "r", "r"],
      rows: [row("this run, busiest hour", n.actual), row("design, busiest hour", n.design)],
      caption: `Busiest hour simulated exchange by exchange on the DES kernel (${int(n.eventsProcessed)} events)`,
    },
    {
      kind: "table",
      head: ["procedure family", "exchanges a year"],
      align: ["l", "r"],
      rows: Object.entries(n.byProcedure).map(([k, v]) => [k, int(v)]),
    },
  ];
}
