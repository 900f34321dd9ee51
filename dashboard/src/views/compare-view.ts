/**
 * The compare view: two or more runs overlaid on one date axis — cumulative cards against each run's
 * own target (with the replications' 95 % band of the first run that has one, the others' bands as
 * dotted bounds) and lead time p50/p90 —, for each sweep a chart of its grid points by the day each
 * reached the sweep's own target (one dot per point, even when points share a day; blue made it,
 * red missed), plus a table of the headline answers. Runs are named by their label (scenario and
 * `--set` overrides). Runs that cannot be loaded are listed with the reason.
 * @module
 */

import { PALETTE, timeSeriesChart } from "../../../engine/charts/index.js";
import type { HRule, TimeSeries, TimeSeriesData, VRule } from "../../../engine/charts/index.js";
import { alignColumn, sharedAxis } from "../data/align.js";
import type { LoadedRun, LoadedSweep } from "../data/run-loader.js";
import { routeHash } from "../router.js";
import { sweepTarget } from "./answers.js";
import type { Target } from "./answers.js";
import { attachInstantTips } from "./crosshair.js";
import { chartBox, h, link, problemBox, table } from "./dom.js";
import { days, int, millions, stageName } from "./format.js";
import { entryLabel, runLabel, setFlags } from "./run-label.js";
import { dayOffset } from "./sweep-view.js";

/** Options of the compare view. */
export interface CompareViewOptions {
  width: number;
}

const color = (i: number): string => PALETTE[i % PALETTE.length] as string;

function margin(width: number): { left: number; right: number } {
  return width < 560 ? { left: 52, right: 14 } : { left: 64, right: 24 };
}

/** Legend name of a run: its label, with the id when two runs share a label. */
function namer(runs: readonly LoadedRun[]): (r: LoadedRun) => string {
  const labels = runs.map((r) => entryLabel(r.entry));
  return (r) => {
    const l = entryLabel(r.entry);
    return labels.filter((x) => x === l).length > 1 ? `${l} (${r.entry.id})` : l;
  };
}

/** The overlay of cumulative cards (daily) with each run's own target line and date. */
function compareCumulativeChart(runs: readonly LoadedRun[], width: number): string {
  const axis = sharedAxis(
    runs.map((r) => r.table),
    Infinity,
  );
  const name = namer(runs);
  const series: TimeSeries[] = [];
  let band: TimeSeriesData["band"];
  runs.forEach((r, i) => {
    const cols = r.table.columns;
    series.push({
      name: name(r),
      values: alignColumn(r.table, cols.get("cards_issued_cumulative"), axis),
      color: color(i),
      strokeWidth: 2,
    });
    const lo = cols.get("cards_issued_cumulative_ci95_lower");
    const hi = cols.get("cards_issued_cumulative_ci95_upper");
    if (!lo || !hi || r.summary.replications < 2) return;
    if (band === undefined) {
      band = {
        name: `95 % CI: ${name(r)} (${r.summary.replications} replications)`,
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
          name: `${name(r)} 95 % CI ${which}`,
          values: alignColumn(r.table, col, axis),
          color: color(i),
          dash: "2 3",
          strokeWidth: 1,
        });
    }
  });
  // one rule per distinct target, labelled with the runs it belongs to when runs differ
  const byCards = new Map<number, string[]>();
  const byDate = new Map<string, string[]>();
  for (const r of runs) {
    const t = r.summary.target;
    byCards.set(t.cards, [...(byCards.get(t.cards) ?? []), name(r)]);
    byDate.set(t.date, [...(byDate.get(t.date) ?? []), name(r)]);
  }
  const whose = (names: string[], all: number) => (all > 1 ? ` (${names.join(", ")})` : "");
  const hRules: HRule[] = [...byCards].map(([c, names]) => ({
    value: c,
    label: `target ${millions(c)} cards${whose(names, byCards.size)}`,
  }));
  const vRules: VRule[] = [...byDate].map(([d, names]) => ({
    date: d,
    label: `target date ${d}${whose(names, byDate.size)}`,
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

/**
 * One sweep's grid points by the day each reached the sweep's own target: one row and one dot per
 * point (points that share a day stay separate), blue when on or before the target date, red after;
 * the target date as a line. Points that never reached it are left out (the note counts them).
 */
function compareSweepChart(s: LoadedSweep, target: Target, k: number, width: number): string {
  const rows = s.sweep.rows;
  const keys = s.sweep.vary.map((v) => v.key);
  const pointName = (r: (typeof rows)[number]) => keys.map((key) => r.point[key]).join(" × ");
  const tDay = Date.parse(`${target.date}T00:00:00Z`) / 86_400_000;
  const series: TimeSeries[] = [];
  rows.forEach((r, i) => {
    if (!r.reachedOn) return;
    const off = Date.parse(`${r.reachedOn}T00:00:00Z`) / 86_400_000 - tDay;
    const made = off <= 0;
    series.push({
      name: `${pointName(r)}: ${made ? "made it" : "missed"}, ${dayOffset(off)}`,
      values: [i + 1],
      dates: [r.reachedOn],
      kind: "points",
      color: made ? "#2166ac" : "#d6604d",
      strokeWidth: 2.5,
    });
  });
  const reachedDates = rows.map((r) => r.reachedOn).filter((d): d is string => d !== null);
  const dates = [...new Set([...reachedDates, target.date])].sort();
  const labels = rows.map(pointName);
  // a week of room on both sides, so the first and last dots are drawn whole
  const pad = (d: string, days: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return timeSeriesChart(
    { dates, series },
    {
      id: `chart-compare-sweep-${k}`,
      title: `${runLabel(s.sweep.scenario, setFlags(s.manifest.command))}: grid points reaching ${millions(target.cards)}`,
      yLabel: keys.join(" × "),
      yFormat: (v) => (Number.isInteger(v) ? (labels[v - 1] ?? "") : ""),
      yDomain: [0.5, rows.length + 0.5],
      yTicks: rows.map((_, i) => i + 1),
      yZero: false,
      xDomain: [pad(dates[0] as string, -7), pad(dates[dates.length - 1] as string, 7)],
      tooltipFormat: (v) => labels[v - 1] ?? "",
      vRules: [{ date: target.date, label: `target date ${target.date}` }],
      legend: false,
      tooltips: false,
      width,
      height: Math.max(200, 110 + rows.length * 26),
      margin: { left: Math.min(width * 0.35, 24 + 7 * Math.max(...labels.map((l) => l.length))), right: 24 },
    },
  );
}

/** Lead time p50 (solid) and p90 (dashed) of each run on a shared axis. */
export function compareLeadTimeChart(runs: readonly LoadedRun[], width: number): string {
  const axis = sharedAxis(runs.map((r) => r.table));
  const name = namer(runs);
  const series: TimeSeries[] = runs.flatMap((r, i) => [
    {
      name: `${name(r)} p50`,
      values: alignColumn(r.table, r.table.columns.get("lead_time_p50_days"), axis),
      color: color(i),
      strokeWidth: 2,
    },
    {
      name: `${name(r)} p90`,
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
        entryLabel(r.entry),
        r.summary.seed,
        r.summary.replications,
        t.reached
          ? `reached ${millions(t.cards)} by ${t.date}`
          : `${millions(t.cards)} not reached by ${t.date}`,
        t.reachedOn ?? "not in the run",
        int(t.cardsOnTargetDate?.mean),
        stageName(r.summary.bindingConstraint.stage),
        `${days(lt.p50)} / ${days(lt.p90)} / ${days(lt.p99)}`,
      ];
    }),
    ...sweeps.map((s) => {
      const t = sweepTarget(s.sweep);
      const made = s.sweep.rows.filter((r) => r.reachedByTargetDate).length;
      return [
        link(routeHash({ view: "run", id: s.entry.id, window: null }), s.entry.id),
        `${runLabel(s.sweep.scenario, setFlags(s.manifest.command))} (sweep)`,
        s.sweep.seed,
        s.sweep.replications,
        t
          ? `${made} of ${s.sweep.rows.length} points reached ${millions(t.cards)} by ${t.date}`
          : "target not recorded in sweep.json",
        "see the sweep",
        "",
        "",
        "",
      ];
    }),
  ];
  const sweepCharts: HTMLElement[] = [];
  sweeps.forEach((s, k) => {
    const t = sweepTarget(s.sweep);
    const never = s.sweep.rows.filter((r) => r.reachedOn === null).length;
    sweepCharts.push(
      t
        ? chartBox(
            compareSweepChart(s, t, k, o.width),
            `compare-sweep-${k}`,
            `One dot per grid point on the day it reached ${millions(t.cards)} (the sweep's own target): blue on or before ${t.date}, red after.${never > 0 ? ` ${never} point${never === 1 ? "" : "s"} did not reach it within the run.` : ""}`,
          )
        : h(
            "p",
            { class: "notice", role: "status" },
            `${s.entry.id}: sweep.json does not record the target it ran with, so its grid points are not drawn against one.`,
          ),
    );
  });
  const charts = h(
    "section",
    { class: "section" },
    runs.length > 0
      ? chartBox(
          compareCumulativeChart(runs, o.width),
          "compare-cumulative",
          "Each run against its own target; hover for each run's exact value on a day.",
        )
      : "",
    runs.length > 0 ? chartBox(compareLeadTimeChart(runs, o.width), "compare-lead-time") : "",
    ...sweepCharts,
  );
  attachInstantTips(charts);
  root.append(
    h(
      "section",
      { class: "section" },
      table(
        [
          "run",
          "label",
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
    charts,
  );
  return root;
}
