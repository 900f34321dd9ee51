/**
 * The compare view: two or more runs overlaid on one date axis — cumulative cards against the
 * target (with the replications' 95 % band of the first run that has one, the others' bands as
 * dotted bounds), the date each sweep grid point reached the target as dots, and lead time p50/p90 —
 * plus a table of their headline answers. Runs that cannot be loaded are listed with the reason.
 * @module
 */

import { PALETTE, timeSeriesChart } from "../../../engine/charts/index.js";
import type { HRule, TimeSeries, TimeSeriesData, VRule } from "../../../engine/charts/index.js";
import { alignColumn, sharedAxis } from "../data/align.js";
import type { LoadedRun, LoadedSweep } from "../data/run-loader.js";
import { routeHash } from "../router.js";
import { chartBox, h, link, problemBox, table } from "./dom.js";
import { days, int, millions, stageName } from "./format.js";
import type { SweepTarget } from "./sweep-view.js";

/** Options of the compare view. */
export interface CompareViewOptions {
  width: number;
}

const color = (i: number): string => PALETTE[i % PALETTE.length] as string;

function margin(width: number): { left: number; right: number } {
  return width < 560 ? { left: 52, right: 14 } : { left: 64, right: 24 };
}

/** The overlay of cumulative cards (daily) with the target lines and sweep points. */
export function compareCumulativeChart(
  runs: readonly LoadedRun[],
  sweeps: readonly LoadedSweep[],
  sweepTarget: SweepTarget,
  width: number,
): string {
  const axis = sharedAxis(
    runs.map((r) => r.table),
    Infinity,
  );
  const series: TimeSeries[] = [];
  let band: TimeSeriesData["band"];
  runs.forEach((r, i) => {
    const cols = r.table.columns;
    series.push({
      name: r.entry.id,
      values: alignColumn(r.table, cols.get("cards_issued_cumulative"), axis),
      color: color(i),
      strokeWidth: 2,
    });
    const lo = cols.get("cards_issued_cumulative_ci95_lower");
    const hi = cols.get("cards_issued_cumulative_ci95_upper");
    if (!lo || !hi || r.summary.replications < 2) return;
    if (band === undefined) {
      band = {
        name: `95 % CI: ${r.entry.id} (${r.summary.replications} replications)`,
        lower: alignColumn(r.table, lo, axis),
        upper: alignColumn(r.table, hi, axis),
        color: color(i),
        opacity: 0.2,
      };
    } else {
      for (const [which, col] of [
        ["lower", lo],
        ["upper", hi],
      ] as const)
        series.push({
          name: `${r.entry.id} 95 % CI ${which}`,
          values: alignColumn(r.table, col, axis),
          color: color(i),
          dash: "2 3",
          strokeWidth: 1,
        });
    }
  });
  sweeps.forEach((s, k) => {
    const dates = [
      ...new Set(s.sweep.rows.map((r) => r.reachedOn).filter((d): d is string => d !== null)),
    ].sort();
    if (dates.length === 0) return;
    series.push({
      name: `${s.entry.id}: grid points reaching ${millions(sweepTarget.cards)}`,
      values: dates.map(() => sweepTarget.cards),
      dates,
      kind: "points",
      color: color(runs.length + k),
      strokeWidth: 2.5,
    });
  });
  const targets = new Map<string, { cards: number; date: string }>();
  for (const r of runs) targets.set(`${r.summary.target.cards}@${r.summary.target.date}`, r.summary.target);
  if (sweeps.length > 0) targets.set(`${sweepTarget.cards}@${sweepTarget.date}`, sweepTarget);
  const hRules: HRule[] = [...new Set([...targets.values()].map((t) => t.cards))].map((c) => ({
    value: c,
    label: `target ${millions(c)} cards`,
  }));
  const vRules: VRule[] = [...new Set([...targets.values()].map((t) => t.date))].map((d) => ({
    date: d,
    label: `target date ${d}`,
  }));
  const data: TimeSeriesData = { dates: axis.dates, series };
  if (band) data.band = band;
  return timeSeriesChart(data, {
    id: "chart-compare-cumulative",
    title: "Cumulative cards issued, runs overlaid",
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    hRules,
    vRules,
    width,
    height: width < 560 ? 360 : 460,
    margin: margin(width),
  });
}

/** Lead time p50 (solid) and p90 (dashed) of each run on a shared axis. */
export function compareLeadTimeChart(runs: readonly LoadedRun[], width: number): string {
  const axis = sharedAxis(runs.map((r) => r.table));
  const series: TimeSeries[] = runs.flatMap((r, i) => [
    {
      name: `${r.entry.id} p50`,
      values: alignColumn(r.table, r.table.columns.get("lead_time_p50_days"), axis),
      color: color(i),
      strokeWidth: 2,
    },
    {
      name: `${r.entry.id} p90`,
      values: alignColumn(r.table, r.table.columns.get("lead_time_p90_days"), axis),
      color: color(i),
      dash: "6 3",
      strokeWidth: 1.25,
    },
  ]);
  return timeSeriesChart(
    { dates: axis.dates, series },
    {
      id: "chart-compare-lead-time",
      title: `Lead time p50 and p90${axis.weekly ? " (weekly means)" : ""}`,
      yLabel: "lead time (days)",
      tooltipFormat: ",.1~f",
      width,
      height: width < 560 ? 300 : 360,
      margin: margin(width),
    },
  );
}

/**
 * Renders the comparison.
 * @param items the runs and sweeps that loaded
 * @param problems messages for those that did not
 */
export function renderCompareView(
  items: readonly (LoadedRun | LoadedSweep)[],
  problems: readonly string[],
  sweepTarget: SweepTarget,
  o: CompareViewOptions,
): HTMLElement {
  const runs = items.filter((x): x is LoadedRun => x.kind === "run");
  const sweeps = items.filter((x): x is LoadedSweep => x.kind === "sweep");
  const root = h(
    "article",
    { class: "view compare-view" },
    h(
      "header",
      { class: "view-head" },
      h("p", { class: "crumbs" }, link("#/", "All runs"), " / compare"),
      h("h1", {}, `Comparing ${items.length + problems.length} runs`),
    ),
  );
  for (const p of problems) root.appendChild(problemBox(p, "Left out of the comparison"));
  if (items.length === 0) return root;
  const rows = [
    ...runs.map((r) => {
      const t = r.summary.target;
      const lt = r.summary.leadTimeDays.all;
      return [
        link(routeHash({ view: "run", id: r.entry.id, window: null }), r.entry.id),
        r.summary.scenario,
        r.summary.seed,
        r.summary.replications,
        t.reached ? `reached ${millions(t.cards)} by ${t.date}` : `not reached by ${t.date}`,
        t.reachedOn ?? "not in the run",
        int(t.cardsOnTargetDate?.mean),
        stageName(r.summary.bindingConstraint.stage),
        `${days(lt.p50)} / ${days(lt.p90)} / ${days(lt.p99)}`,
      ];
    }),
    ...sweeps.map((s) => [
      link(routeHash({ view: "run", id: s.entry.id, window: null }), s.entry.id),
      `${s.sweep.scenario} (sweep)`,
      s.sweep.seed,
      s.sweep.replications,
      `${s.sweep.rows.filter((r) => r.reachedByTargetDate).length} of ${s.sweep.rows.length} points reached it`,
      "see the sweep",
      "",
      "",
      "",
    ]),
  ];
  root.append(
    h(
      "section",
      { class: "section" },
      table(
        [
          "run",
          "scenario",
          "seed",
          "repl.",
          "target",
          "reached on",
          "cards on target date",
          "binding",
          "lead time p50/p90/p99 (days)",
        ],
        rows,
        { align: ["l", "l", "r", "r", "l", "l", "r", "l", "r"] },
      ),
    ),
    h(
      "section",
      { class: "section" },
      chartBox(
        compareCumulativeChart(runs, sweeps, sweepTarget, o.width),
        "compare-cumulative",
        sweeps.length > 0
          ? `Dots: the dates on which a sweep's grid points reached the target (assumed ${millions(sweepTarget.cards)} by ${sweepTarget.date}); open the sweep for its grid.`
          : "Hover for each run's exact value on a day.",
      ),
      runs.length > 0 ? chartBox(compareLeadTimeChart(runs, o.width), "compare-lead-time") : "",
    ),
  );
  return root;
}
