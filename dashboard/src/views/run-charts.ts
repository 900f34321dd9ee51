/**
 * The charts of the run view, as SVG strings from engine/charts: cumulative cards against the target
 * (with the official series and the replications' 95 % band), lead-time percentiles, backlog per
 * stage, utilisation, and prefectures ranked by coverage. Pure functions of a loaded run, a window of
 * its days and a size — the same mapping from run data to charts as sim/issuance/report.ts, so the
 * dashboard and report.html agree. All time charts share one x domain, width and margin, so their
 * dates line up vertically.
 * @module
 */

import { BACKLOG_LABELS } from "../../../sim/run-format/backlog.js";
import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import {
  barChart,
  percentileBandChart,
  stackedAreaChart,
  timeSeriesChart,
} from "../../../engine/charts/index.js";
import type { HRule, TimeSeries, TimeSeriesData, VRule } from "../../../engine/charts/index.js";
import { chartFrame, dailyValues } from "../data/downsample.js";
import type { ChartFrame } from "../data/downsample.js";
import type { LoadedRun } from "../data/run-loader.js";
import type { DateWindow } from "../router.js";
import { int, millions } from "./format.js";

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
    const zoomed = from > 0 || to < t.n;
    if (zoomed) {
      return {
        from,
        to,
        zoomed,
        xDomain: [formatIsoDate(a), formatIsoDate(b)],
        targetInView: targetDay >= a && targetDay <= b,
        frame: chartFrame(t, from, to),
      };
    }
  }
  const slack = Math.max(31, Math.round((last - first) / 4));
  const targetInView = targetDay >= first - slack && targetDay <= last + slack;
  const lo = targetInView ? Math.min(first, targetDay) : first;
  const hi = targetInView ? Math.max(last, targetDay) : last;
  return {
    from: 0,
    to: t.n,
    zoomed: false,
    xDomain: [formatIsoDate(lo), formatIsoDate(hi)],
    targetInView,
    frame: chartFrame(t),
  };
}

/** Margins shared by the time charts, so their plot areas line up. */
function margin(size: ChartSize): { left: number; right: number } {
  return size.width < 560 ? { left: 52, right: 14 } : { left: 64, right: 24 };
}

function heightFor(size: ChartSize, tall: number, small: number): number {
  return Math.round(size.width < 560 ? small : tall);
}

/** Cumulative cards issued against the target line and date; daily points; with official dots and CI band. */
export function cumulativeChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const { table, summary } = run;
  const col = (name: string) => table.columns.get(name);
  const dates = table.dates.slice(w.from, w.to);
  const series: TimeSeries[] = [
    {
      name: "cards issued (simulated)",
      values: dailyValues(col("cards_issued_cumulative"), w.from, w.to),
      color: "#4e79a7",
      strokeWidth: 2.5,
    },
  ];
  if (col("applications_cumulative"))
    series.push({
      name: "applications (simulated)",
      values: dailyValues(col("applications_cumulative"), w.from, w.to),
      color: "#f28e2b",
      dash: "6 3",
      strokeWidth: 1.5,
    });
  const [d0, d1] = [dates[0] as string, dates[dates.length - 1] as string];
  const seen = new Set<string>();
  const official = summary.fidelity.national
    .filter((r) => r.date >= d0 && r.date <= d1)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .filter((r) => (seen.has(r.date) ? false : (seen.add(r.date), true)));
  if (official.length > 0)
    series.push({
      name: "cards issued (official)",
      values: official.map((r) => r.official),
      dates: official.map((r) => r.date),
      kind: "points",
      color: "#222222",
      strokeWidth: 2,
    });
  const data: TimeSeriesData = { dates, series };
  const lower = col("cards_issued_cumulative_ci95_lower");
  const upper = col("cards_issued_cumulative_ci95_upper");
  if (lower && upper && summary.replications > 1)
    data.band = {
      name: `95 % CI over ${int(summary.replications)} replications`,
      lower: dailyValues(lower, w.from, w.to),
      upper: dailyValues(upper, w.from, w.to),
      color: "#4e79a7",
      opacity: 0.2,
    };
  const target = summary.target;
  const hRules: HRule[] = [{ value: target.cards, label: `target ${millions(target.cards)} cards` }];
  const vRules: VRule[] = w.targetInView ? [{ date: target.date, label: `target date ${target.date}` }] : [];
  return timeSeriesChart(data, {
    id: "chart-cumulative",
    title:
      size.width < 560
        ? `Cards issued vs ${millions(target.cards)} target`
        : `Cumulative cards issued vs the ${millions(target.cards)} target by ${target.date}`,
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    hRules,
    vRules,
    xDomain: w.xDomain,
    width: size.width,
    height: heightFor(size, 400, 340),
    margin: margin(size),
  });
}

/** Lead-time p50/p90/p99 on the same time axis (weekly means for windows over two years). */
export function leadTimeChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const c = (n: string) => run.table.columns.get(n);
  const f = w.frame;
  return percentileBandChart(
    {
      dates: f.dates,
      p50: f.values(c("lead_time_p50_days")),
      p90: f.values(c("lead_time_p90_days")),
      p99: f.values(c("lead_time_p99_days")),
    },
    {
      id: "chart-lead-time",
      title:
        size.width < 560
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
    },
  );
}

/** Work in progress per pipeline stage, stacked. */
export function backlogChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const f = w.frame;
  const present = BACKLOG_COLUMNS.filter(([col]) => run.table.columns.has(col));
  return stackedAreaChart(
    {
      dates: f.dates,
      series: present.map(([col, name]) => ({ name, values: f.values(run.table.columns.get(col)) })),
    },
    {
      id: "chart-backlog",
      title: `Backlog by ${size.width < 560 ? "" : "pipeline "}stage${f.weekly ? " (weekly means)" : ""}`,
      yLabel: "cards waiting (millions)",
      yFormat: "millions",
      tooltipFormat: "integer",
      xDomain: w.xDomain,
      width: size.width,
      height: heightFor(size, 380, 380),
      margin: margin(size),
    },
  );
}

/** Share of each day's capacity used by intake, factory and counters (and J-LIS availability when it dips). */
export function utilisationChart(run: LoadedRun, w: RunWindow, size: ChartSize): string {
  const f = w.frame;
  const c = (n: string) => run.table.columns.get(n);
  const series: TimeSeries[] = [
    { name: "J-LIS intake", values: f.values(c("intake_utilisation")), color: "#4e79a7", strokeWidth: 1.5 },
    { name: "factory", values: f.values(c("factory_utilisation")), color: "#e15759", strokeWidth: 1.5 },
    { name: "counters", values: f.values(c("counter_utilisation")), color: "#59a14f", strokeWidth: 1.5 },
  ];
  const avail = c("jlis_availability");
  if (avail && avail.some((v) => Number.isFinite(v) && v < 1))
    series.push({
      name: "J-LIS availability (business hours)",
      values: f.values(avail),
      color: "#b07aa1",
      dash: "4 2",
      strokeWidth: 1.25,
    });
  return timeSeriesChart(
    { dates: f.dates, series },
    {
      id: "chart-utilisation",
      title: `${size.width < 560 ? "Utilisation" : "Utilisation of intake, factory and counters"}${f.weekly ? " (weekly means)" : ""}`,
      yLabel: "share of daily capacity used (%)",
      yFormat: "percent",
      tooltipFormat: "percent",
      xDomain: w.xDomain,
      width: size.width,
      height: heightFor(size, 320, 300),
      margin: margin(size),
    },
  );
}

/** What the prefecture ranking shows. */
export type PrefectureMetric = "share" | "coverage";

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
  return barChart(
    pf.rows.map((r) => ({
      label: r.prefecture,
      value: share ? r.simulatedShare : r.simulatedCoverage,
      marker: share ? r.officialShare : r.officialCoverage,
    })),
    {
      id: "chart-prefectures",
      title: share
        ? `${size.width < 560 ? "Share of cards" : "Share of the nation's cards by prefecture"}, ${pf.date}`
        : `${size.width < 560 ? "Coverage" : "Card coverage by prefecture"}, ${pf.date}`,
      description: `${share ? "Share of the nation's cards" : "Cards per 100 residents"} by prefecture on ${pf.date}: simulated (bars) against official (marks).`,
      xLabel: share ? "share of the nation's cards (%)" : "cards per 100 residents (%)",
      format: share ? ",.2f" : ",.1f",
      tooltipFormat: share ? ",.3f" : ",.2f",
      valueName: "simulated",
      markerName: "official",
      sort: "descending",
      width: size.width,
      rowHeight: size.width < 560 ? 16 : 18,
    },
  );
}
