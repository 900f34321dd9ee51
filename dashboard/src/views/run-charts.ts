/**
 * The charts of the run view, as SVG strings from engine/charts: cumulative cards against the target
 * (with the official series and the replications' 95 % band), lead-time percentiles, backlog per
 * stage, utilisation, and prefectures ranked by share or coverage. What each chart shows comes from
 * the run-output format's one run → chart mapping (sim/run-format/run-charts.ts), which report.html
 * uses too; this module adds only the view's part: the zoom window, sizes and titles. All time charts
 * share one x domain, width and margin, so their dates line up vertically.
 * @module
 */

import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import {
  barChart,
  percentileBandChart,
  stackedAreaChart,
  timeSeriesChart,
} from "../../../engine/charts/index.js";
import {
  availabilityDips,
  backlogData,
  BACKLOG_LABELS,
  cumulativeData,
  leadTimeData,
  officialOfSummary,
  prefectureBars,
  targetRules,
  utilisationData,
  wholeRunDomain,
  type PrefectureMetric,
  type RunSeries,
} from "../../../sim/run-format/index.js";
import { chartFrame } from "../data/downsample.js";
import type { ChartFrame } from "../data/downsample.js";
import type { LoadedRun } from "../data/run-loader.js";
import type { DateWindow } from "../router.js";
import { millions } from "./format.js";

export type { PrefectureMetric };

/** Drawing size: the viewBox width in px (the charts are drawn for the space they get). */
export interface ChartSize {
  width: number;
}

/** Which rows a view draws and on what x range. */
export interface RunWindow {
  /** First row (inclusive). */
  from: number;
  /** Last row (exclusive). */
  to: number;
  /** True when zoomed into part of the run. */
  zoomed: boolean;
  /** Shared x domain of the time charts. */
  xDomain: [string, string];
  /** Whether the target date falls on the drawn x range. */
  targetInView: boolean;
  /** Points of the lead-time, backlog and utilisation charts (weekly means for long windows). */
  frame: ChartFrame;
}

/** Backlog columns bottom first, with the names the report uses (the run-output format's labels). */
export const BACKLOG_COLUMNS: readonly (readonly [string, string])[] = BACKLOG_LABELS;

/** The loaded time series as the shared mapping reads it. */
function seriesOf(run: LoadedRun): RunSeries {
  const t = run.table;
  return { n: t.n, dates: t.dates, column: (name) => t.columns.get(name) };
}

/**
 * Resolves a zoom window (or the whole run) to rows and an x domain. Outside the run the window is
 * clamped; the whole run's domain also covers the target date when it lies within a quarter of the
 * run's length (as in the report).
 */
export function runWindow(run: LoadedRun, window: DateWindow | null): RunWindow {
  const t = run.table;
  const targetDay = parseIsoDate(run.summary.target.date);
  const first = t.startDay;
  const last = t.startDay + t.n - 1;
  if (window) {
    const a = Math.max(first, Math.min(last, parseIsoDate(window.from)));
    const b = Math.max(a, Math.min(last, parseIsoDate(window.to)));
    const from = a - first;
    const to = b - first + 1;
    if (from > 0 || to < t.n) {
      return {
        from,
        to,
        zoomed: true,
        xDomain: [formatIsoDate(a), formatIsoDate(b)],
        targetInView: targetDay >= a && targetDay <= b,
        frame: chartFrame(t, from, to),
      };
    }
  }
  const d = wholeRunDomain(first, last, targetDay);
  return {
    from: 0,
    to: t.n,
    zoomed: false,
    xDomain: [formatIsoDate(d.lo), formatIsoDate(d.hi)],
    targetInView: d.targetInView,
    frame: chartFrame(t),
  };
}

const narrow = (size: ChartSize): boolean => size.width < 560;

/** Margins shared by the time charts, so their plot areas line up. */
function margin(size: ChartSize): { left: number; right: number } {
  return narrow(size) ? { left: 52, right: 14 } : { left: 64, right: 24 };
}

function heightFor(size: ChartSize, tall: number, small: number): number {
  return Math.round(narrow(size) ? small : tall);
}

/** Cumulative cards issued against the target line and date; daily points; with official dots and CI band. */
export function cumulativeChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const { summary } = run;
  const target = summary.target;
  const data = cumulativeData(seriesOf(run), summary.replications, officialOfSummary(summary), w.from, w.to);
  return timeSeriesChart(data, {
    id: "chart-cumulative",
    title: narrow(size)
      ? `Cards issued vs ${millions(target.cards)} target`
      : `Cumulative cards issued vs the ${millions(target.cards)} target by ${target.date}`,
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    ...targetRules(target, w.targetInView, true),
    xDomain: w.xDomain,
    width: size.width,
    height: heightFor(size, 400, 340),
    margin: margin(size),
  });
}

/** Lead-time p50/p90/p99 on the same time axis (weekly means for windows over two years). */
export function leadTimeChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const f = w.frame;
  return percentileBandChart(leadTimeData(seriesOf(run), f), {
    id: "chart-lead-time",
    title: narrow(size)
      ? `Lead time${f.weekly ? " (weekly means)" : ""}`
      : f.weekly
        ? "Application-to-hand-over lead time (weekly mean of daily percentiles)"
        : "Application-to-hand-over lead time of cards handed over each day",
    yLabel: "lead time (days)",
    shade: "p50-p90",
    vRules: w.targetInView ? [{ date: run.summary.target.date, label: "target date" }] : [],
    xDomain: w.xDomain,
    width: size.width,
    height: heightFor(size, 340, 280),
    margin: margin(size),
  });
}

/** Work in progress per pipeline stage, stacked. */
export function backlogChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const f = w.frame;
  return stackedAreaChart(backlogData(seriesOf(run), f), {
    id: "chart-backlog",
    title: `Backlog by ${narrow(size) ? "" : "pipeline "}stage${f.weekly ? " (weekly means)" : ""}`,
    yLabel: "cards waiting (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    xDomain: w.xDomain,
    width: size.width,
    height: heightFor(size, 380, 380),
    margin: margin(size),
  });
}

/** Share of each day's capacity used by intake, factory and counters (and J-LIS availability when it dips). */
export function utilisationChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const f = w.frame;
  const series = seriesOf(run);
  return timeSeriesChart(utilisationData(series, f, availabilityDips(series)), {
    id: "chart-utilisation",
    title: `${narrow(size) ? "Utilisation" : "Utilisation of intake, factory and counters"}${f.weekly ? " (weekly means)" : ""}`,
    yLabel: "share of daily capacity used (%)",
    yFormat: "percent",
    tooltipFormat: "percent",
    xDomain: w.xDomain,
    width: size.width,
    height: heightFor(size, 320, 300),
    margin: margin(size),
  });
}

/**
 * Prefectures ranked by their simulated share of the nation's cards (the figure the model is checked
 * on) or coverage, with the official figure as marks; null when the run has no prefecture snapshot.
 */
export function prefectureChart(
  run: LoadedRun,
  size: ChartSize,
  metric: PrefectureMetric = "share",
): string | null {
  const pf = run.summary.fidelity.prefectures;
  if (!pf || pf.rows.length === 0) return null;
  const share = metric === "share";
  return barChart(prefectureBars(pf.rows, metric), {
    id: "chart-prefectures",
    title: share
      ? `${narrow(size) ? "Share of cards" : "Share of the nation's cards by prefecture"}, ${pf.date}`
      : `${narrow(size) ? "Coverage" : "Card coverage by prefecture"}, ${pf.date}`,
    description: `${share ? "Share of the nation's cards" : "Cards per 100 residents"} by prefecture on ${pf.date}: simulated (bars) against official (marks).`,
    xLabel: share ? "share of the nation's cards (%)" : "cards per 100 residents (%)",
    format: share ? ",.2f" : ",.1f",
    tooltipFormat: share ? ",.3f" : ",.2f",
    valueName: "simulated",
    markerName: "official",
    sort: "descending",
    width: size.width,
    rowHeight: narrow(size) ? 16 : 18,
  });
}
