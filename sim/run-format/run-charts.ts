/**
 * The one mapping from a run's files to chart inputs (DESIGN.md §4, issue 8): cumulative cards with
 * the official points and the replications' 95 % band, the target rules, lead-time percentiles,
 * backlogs stacked by stage, utilisation, and the prefecture ranking. report.html
 * (sim/issuance/report/) and the dashboard's run view draw from these, so they show the same
 * curves; titles, sizes and windows stay with each reader. Pure functions of the format's types.
 * @module
 */
import type {
  BarDatum,
  HRule,
  PercentileData,
  StackedAreaData,
  TimeSeries,
  TimeSeriesData,
  VRule,
} from "../../engine/charts/index.js";
import { BACKLOG_LABELS } from "./backlog.js";
import { finite, int, millions } from "./format.js";
import type { PrefectureRow, RunSummary } from "./summary.js";

/** A run's daily series as a reader holds it: dates and the columns of timeseries.csv by name. */
export interface RunSeries {
  /** Number of days. */
  n: number;
  /** ISO date of each row. */
  dates: readonly string[];
  /** A column by its timeseries.csv name; undefined when the file has none. */
  column(name: string): Float64Array | undefined;
}

/** Windows longer than this many days are drawn as weekly means (lead time, backlog, utilisation). */
export const WEEKLY_ABOVE_DAYS = 731;

/** The points the lead-time, backlog and utilisation charts draw for a window of rows. */
export interface ChartFrame {
  /** True when values are weekly means. */
  weekly: boolean;
  /** Dates of the points (daily dates, or the last day of each 7-day block). */
  dates: string[];
  /** The points of one column (`null` = no value); a missing column gives all `null`. */
  values(column: Float64Array | undefined): (number | null)[];
}

/**
 * Daily values of rows `[from, to)`, or for windows over {@link WEEKLY_ABOVE_DAYS} the mean of the
 * finite daily values of each 7-day block dated on its last day: day-of-week swings would otherwise
 * fill the plot. Cumulative cards stay daily (see {@link dailyValues}).
 */
export function chartFrame(
  dates: readonly string[],
  from = 0,
  to = dates.length,
  weeklyAbove = WEEKLY_ABOVE_DAYS,
): ChartFrame {
  const lo = Math.max(0, Math.min(from, dates.length));
  const hi = Math.max(lo, Math.min(to, dates.length));
  if (hi - lo <= weeklyAbove)
    return { weekly: false, dates: dates.slice(lo, hi), values: (col) => dailyValues(col, lo, hi) };
  const ends: number[] = [];
  for (let e = lo + 6; e < hi + 6; e += 7) ends.push(Math.min(e, hi - 1));
  return {
    weekly: true,
    dates: ends.map((e) => dates[e]!),
    values: (col) =>
      ends.map((e, k) =>
        col === undefined ? null : meanFinite(col, k === 0 ? lo : ends[k - 1]! + 1, e + 1),
      ),
  };
}

/** The values of one column over rows `[from, to)`, daily, `null` where missing. */
export function dailyValues(column: Float64Array | undefined, from: number, to: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = from; i < to; i++) {
    const v = column === undefined ? Number.NaN : column[i]!;
    out.push(Number.isFinite(v) ? v : null);
  }
  return out;
}

/** Mean of the finite values of rows `[from, to)`, or null when there are none. */
export function meanFinite(col: Float64Array, from = 0, to = col.length): number | null {
  let s = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(col.length, to); i++) {
    const v = col[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : null;
}

/**
 * The x domain of a whole run's time charts: the run, widened to the target date when that lies
 * within a quarter of the run's length (at least a month) of it — else the date is not drawn.
 */
export function wholeRunDomain(
  firstDay: number,
  lastDay: number,
  targetDay: number,
): { lo: number; hi: number; targetInView: boolean } {
  const slack = Math.max(31, Math.round((lastDay - firstDay) / 4));
  const targetInView = targetDay >= firstDay - slack && targetDay <= lastDay + slack;
  return {
    lo: targetInView ? Math.min(firstDay, targetDay) : firstDay,
    hi: targetInView ? Math.max(lastDay, targetDay) : lastDay,
    targetInView,
  };
}

/** An official observation of cumulative cards. */
export interface OfficialCards {
  date: string;
  cards: number;
}

/** Official points within `[first, last]`, finite, sorted by date, one per date. */
export function officialInRange(
  points: readonly OfficialCards[],
  first: string,
  last: string,
): OfficialCards[] {
  const seen = new Set<string>();
  return points
    .filter((o) => finite(o.cards) && /^\d{4}-\d{2}-\d{2}$/.test(o.date) && o.date >= first && o.date <= last)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .filter((o) => (seen.has(o.date) ? false : (seen.add(o.date), true)));
}

/** The official points of summary.json's fidelity table. */
export const officialOfSummary = (s: RunSummary): OfficialCards[] =>
  s.fidelity.national.map((r) => ({ date: r.date, cards: r.official }));

/**
 * Cumulative cards issued (simulated, daily), applications, the official points and the 95 % band
 * across replications when the run has one (timeseries.csv has it with two or more), over rows
 * `[from, to)`. `replications` names the band.
 */
export function cumulativeData(
  run: RunSeries,
  replications: number,
  official: readonly OfficialCards[],
  from = 0,
  to = run.n,
): TimeSeriesData {
  const dates = run.dates.slice(from, to);
  const series: TimeSeries[] = [
    {
      name: "cards issued (simulated)",
      values: dailyValues(run.column("cards_issued_cumulative"), from, to),
      color: "#4e79a7",
      strokeWidth: 2.5,
    },
  ];
  const apps = run.column("applications_cumulative");
  if (apps)
    series.push({
      name: "applications (simulated)",
      values: dailyValues(apps, from, to),
      color: "#f28e2b",
      dash: "6 3",
      strokeWidth: 1.5,
    });
  const points = dates.length > 0 ? officialInRange(official, dates[0]!, dates[dates.length - 1]!) : [];
  if (points.length > 0)
    series.push({
      name: "cards issued (official)",
      values: points.map((o) => o.cards),
      dates: points.map((o) => o.date),
      kind: "points",
      color: "#222222",
      strokeWidth: 2,
    });
  const data: TimeSeriesData = { dates, series };
  const lower = run.column("cards_issued_cumulative_ci95_lower");
  const upper = run.column("cards_issued_cumulative_ci95_upper");
  if (lower && upper)
    data.band = {
      name: `95 % CI over ${int(replications)} replications`,
      lower: dailyValues(lower, from, to),
      upper: dailyValues(upper, from, to),
      color: "#4e79a7",
      opacity: 0.2,
    };
  return data;
}

/**
 * The target as chart rules: a horizontal line at the target's cards and, when in view, a vertical
 * line on its date. `compact` labels the line "target 87 M cards" instead of
 * "target 87,000,000 cards (87 M)".
 */
export function targetRules(
  target: { cards: number; date: string },
  targetInView: boolean,
  compact = false,
): { hRules: HRule[]; vRules: VRule[] } {
  const label = compact
    ? `target ${millions(target.cards)} cards`
    : `target ${int(target.cards)} cards (${millions(target.cards)})`;
  return {
    hRules: [{ value: target.cards, label }],
    vRules: targetInView ? [{ date: target.date, label: `target date ${target.date}` }] : [],
  };
}

/** Lead-time p50/p90/p99 of the cards handed over each day. */
export function leadTimeData(run: RunSeries, f: ChartFrame): PercentileData {
  return {
    dates: f.dates,
    p50: f.values(run.column("lead_time_p50_days")),
    p90: f.values(run.column("lead_time_p90_days")),
    p99: f.values(run.column("lead_time_p99_days")),
  };
}

/** Work in progress per pipeline stage, bottom of the stack first (columns the file has). */
export function backlogData(run: RunSeries, f: ChartFrame): StackedAreaData {
  return {
    dates: f.dates,
    series: BACKLOG_LABELS.filter(([col]) => run.column(col) !== undefined).map(([col, name]) => ({
      name,
      values: f.values(run.column(col)),
    })),
  };
}

/** True when J-LIS was unavailable for part of some day's business hours. */
export function availabilityDips(run: RunSeries): boolean {
  const a = run.column("jlis_availability");
  return a !== undefined && a.some((v) => Number.isFinite(v) && v < 1);
}

/** Utilisation columns of the chart and the report's table, with their names. */
export const UTILISATION_COLUMNS = [
  ["J-LIS intake", "intake_utilisation", "#4e79a7"],
  ["factory", "factory_utilisation", "#e15759"],
  ["counters", "counter_utilisation", "#59a14f"],
] as const;

/** Share of each day's capacity used, plus J-LIS availability when `withAvailability`. */
export function utilisationData(run: RunSeries, f: ChartFrame, withAvailability: boolean): TimeSeriesData {
  const series: TimeSeries[] = UTILISATION_COLUMNS.map(([name, col, color]) => ({
    name,
    values: f.values(run.column(col)),
    color,
    strokeWidth: 1.5,
  }));
  if (withAvailability)
    series.push({
      name: "J-LIS availability (business hours)",
      values: f.values(run.column("jlis_availability")),
      color: "#b07aa1",
      dash: "4 2",
      strokeWidth: 1.25,
    });
  return { dates: f.dates, series };
}

/** What the prefecture ranking shows. */
export type PrefectureMetric = "share" | "coverage";

/** Prefectures as bars (simulated) with the official figure as marks. */
export function prefectureBars(rows: readonly PrefectureRow[], metric: PrefectureMetric): BarDatum[] {
  const share = metric === "share";
  return rows.map((r) => ({
    label: r.prefecture,
    value: share ? r.simulatedShare : r.simulatedCoverage,
    marker: share ? r.officialShare : r.officialCoverage,
  }));
}
