/**
 * The run view's information provision network section (issue 12), shown when summary.json has a
 * `network` part: the chart of use against the design (the same chart function as report.html,
 * sim/run-format/network.ts), the busiest hour at the run's and the design load, and the cost per
 * exchange. Reads run output only.
 * @module
 */
import { networkUseChart, yenPerExchange, type NetworkSummary } from "../../../sim/run-format/network.js";
import { chartBox, h, table } from "./dom.js";
import { int, millions } from "./format.js";

/** The section, or null for runs without a network model. */
export function networkSection(n: NetworkSummary | undefined, width: number): HTMLElement | null {
  if (!n) return null;
  const row = (what: string, l: NetworkSummary["actual"]) => [
    what,
    l.offeredPerSecond.toFixed(1),
    l.throughputPerSecond.toFixed(1),
    l.latencyMs.p50.toFixed(1),
    l.latencyMs.p99.toFixed(1),
    `${(l.coreUtilisation * 100).toFixed(1)} %`,
  ];
  return h(
    "section",
    { class: "section", id: "network" },
    h("h2", {}, "Information provision network"),
    chartBox(
      networkUseChart(n, "dash-network-use", width),
      "network-use",
      `Exchanges a year at this run's load and as observed (FACTS §5.5), against the design load of ${millions(n.designAnnualExchanges)} (dashed line); log axis.`,
    ),
    table(
      ["load", "offered /s", "throughput /s", "p50 (ms)", "p99 (ms)", "core busy"],
      [row("this run, busiest hour", n.actual), row("design, busiest hour", n.design)],
      {
        align: ["l", "r", "r", "r", "r", "r"],
        caption: `Busiest hour simulated exchange by exchange on the DES kernel (${int(n.eventsProcessed)} events); core capacity ${n.coreHeadroomAtDesign.toFixed(2)}× the design peak rate`,
      },
    ),
    h(
      "p",
      {},
      `${millions(n.annualExchanges)} exchanges a year, ${(n.shareOfPlan * 100).toFixed(1)} % of the design. ` +
        `Cost per exchange (over the yearly cost's assumed range) ${yenPerExchange(n, n.annualExchanges)} at this use, ` +
        `${yenPerExchange(n, n.designAnnualExchanges)} at design use: the cost is fixed, so it falls as one over use.`,
    ),
  );
}
