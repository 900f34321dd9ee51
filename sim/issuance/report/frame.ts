/**
 * The report's view of a run's days: dates, the shared x domain of its time charts (sim/run-format's
 * rule, as the dashboard uses), the daily columns as the run-output format names them, the rows of
 * the compact Markdown table, and schedule tables.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import { CI_COLUMNS, wholeRunDomain, type RunSeries } from "../../run-format/index.js";
import type { ScheduleEntry } from "../params.js";
import type { Block } from "./blocks.js";
import type { ReportInput } from "./input.js";

/** The run's days as the charts and tables see them. */
export interface Frame {
  n: number;
  dates: string[];
  first: string;
  last: string;
  /** Shared x domain of every time chart. */
  xDomain: [string, string];
  /** Target date drawn on the time charts (false when far outside the run). */
  targetInView: boolean;
  targetIndex: number;
  /** The columns by their timeseries.csv names, the 95 % band included. */
  series: RunSeries;
}

export function frame(input: ReportInput): Frame {
  const n = input.columns.cards_issued_cumulative.length;
  const dates = Array.from({ length: n }, (_, i) => formatIsoDate(input.startDay + i));
  const t = parseIsoDate(input.params.target.date);
  const s = input.startDay;
  const d = wholeRunDomain(s, s + Math.max(0, n - 1), t);
  const columns = input.columns as Record<string, Float64Array>;
  const ci = input.ci95;
  const band = ci && ci.lower.length === n && ci.upper.length === n ? ci : null;
  return {
    n,
    dates,
    first: dates[0] ?? input.params.start,
    last: dates[n - 1] ?? input.params.end,
    xDomain: [formatIsoDate(d.lo), formatIsoDate(d.hi)],
    targetInView: d.targetInView,
    targetIndex: t - s,
    series: {
      n,
      dates,
      column: (name) =>
        name === CI_COLUMNS[0] ? band?.lower : name === CI_COLUMNS[1] ? band?.upper : columns[name],
    },
  };
}

/** Row indices of the compact Markdown table: year (or quarter) ends, the target date, the last day. */
export function samplePoints(f: Frame): number[] {
  const quarterly = f.n <= 3 * 366;
  const picks = new Set<number>();
  for (let i = 0; i < f.n; i++) {
    const md = f.dates[i]!.slice(5);
    if (md === "12-31" || (quarterly && (md === "03-31" || md === "06-30" || md === "09-30"))) picks.add(i);
  }
  if (f.targetIndex >= 0 && f.targetIndex < f.n) picks.add(f.targetIndex);
  if (f.n > 0) picks.add(f.n - 1);
  return [...picks].sort((a, b) => a - b);
}

/** A capacity or propensity schedule as a table of from / until / value. */
export function scheduleTable(
  entries: ScheduleEntry[],
  unit: string,
  fmtValue: (v: number) => string,
): Block {
  const sorted = [...entries].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return {
    kind: "table",
    head: ["from", "until", unit],
    align: ["l", "l", "r"],
    rows: sorted.map((e, i) => {
      const next = sorted[i + 1];
      return [e.from, next ? formatIsoDate(parseIsoDate(next.from) - 1) : "end of run", fmtValue(e.value)];
    }),
  };
}
