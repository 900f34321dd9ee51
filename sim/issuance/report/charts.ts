/**
 * The report's time sections: cumulative cards against the target (with the official points and
 * the 95 % band, plus a compact table), lead-time percentiles, and the pipeline's backlogs and
 * utilisation. The chart inputs come from the run-output format's one run → chart mapping
 * (sim/run-format/run-charts.ts), which the dashboard draws from too.
 * @module
 */
import { parseIsoDate } from "../../../engine/calendar.js";
import { percentileBandChart, stackedAreaChart, timeSeriesChart } from "../../../engine/charts/index.js";
import {
  availabilityDips,
  backlogData,
  BACKLOG_LABELS,
  chartFrame,
  cumulativeData,
  leadTimeData,
  meanFinite,
  officialInRange,
  targetRules,
  UTILISATION_COLUMNS,
  utilisationData,
  type OfficialCards,
} from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { DASH, days, int, millions, ratioPct } from "./format.js";
import { samplePoints, type Frame } from "./frame.js";
import type { ReportInput } from "./input.js";

/** Size and margin shared by the time charts, so their dates line up vertically. */
const WIDE = { width: 960, margin: { left: 64, right: 24 } };

/** The latest finite value at or before row `i`, looking back at most `window` days. */
function lastFinite(col: Float64Array, i: number, window: number): number | null {
  for (let k = i; k >= 0 && k > i - window; k--) if (Number.isFinite(col[k]!)) return col[k]!;
  return null;
}

/** The cumulative chart (HTML) and the series at selected dates as a table (both formats). */
export function cumulativeSection(input: ReportInput, f: Frame): Block[] {
  const { params, columns, summary } = input;
  const official: OfficialCards[] = officialInRange(
    input.official.map((o) => ({ date: o.date, cards: o.cardsIssuedCumulative })),
    f.first,
    f.last,
  );
  const data = cumulativeData(f.series, summary.replications, official);
  const svg = timeSeriesChart(data, {
    id: "chart-cumulative",
    title: `Cumulative cards issued vs the ${millions(params.target.cards)} target by ${params.target.date}`,
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    ...targetRules(params.target, f.targetInView),
    xDomain: f.xDomain,
    height: 440,
    ...WIDE,
  });

  const idx = samplePoints(f);
  const lower = f.series.column("cards_issued_cumulative_ci95_lower");
  const upper = f.series.column("cards_issued_cumulative_ci95_upper");
  const withCi = data.band !== undefined && lower !== undefined && upper !== undefined;
  const head = ["date", "applications", "cards issued"];
  if (withCi) head.push("95 % CI");
  if (official.length > 0) head.push("official (latest ≤ date)");
  head.push("lead time p50 / p90 / p99 (days)");
  const rows = idx.map((i) => {
    const d = f.dates[i]!;
    const row = [d, int(columns.applications_cumulative[i]), int(columns.cards_issued_cumulative[i])];
    if (withCi) row.push(`${int(lower[i])} – ${int(upper[i])}`);
    if (official.length > 0) {
      let o: OfficialCards | undefined;
      for (const c of official) if (c.date <= d) o = c;
      const recent = o !== undefined && parseIsoDate(d) - parseIsoDate(o.date) <= 92;
      row.push(recent ? `${int(o!.cards)}${o!.date === d ? "" : ` (${o!.date})`}` : DASH);
    }
    row.push(
      [columns.lead_time_p50_days, columns.lead_time_p90_days, columns.lead_time_p99_days]
        .map((c) => days(lastFinite(c, i, 7)))
        .join(" / "),
    );
    return row;
  });
  const table: Block = { kind: "table", head, align: head.map((_, i) => (i === 0 ? "l" : "r")), rows };
  const samplingNote = `${idx.length > 0 && f.n <= 3 * 366 ? "Quarter" : "Year"} ends, the target date (when inside the run) and the last day; lead times are the day's value or the latest within 7 days before it.`;

  return [
    { kind: "h", level: 2, text: "Cumulative cards issued", id: "cumulative" },
    {
      kind: "only",
      format: "md",
      blocks: [
        p(
          "The charts are in ",
          { code: "report.html" },
          ` (same directory). The cumulative series at selected dates (${samplingNote}) Target: ${int(params.target.cards)} cards by ${params.target.date}.`,
        ),
        table,
      ],
    },
    {
      kind: "only",
      format: "html",
      blocks: [
        { kind: "chart", svg },
        ...(f.targetInView
          ? []
          : [
              p(
                `The target date ${params.target.date} lies far outside the run period and is not drawn; the target line is.`,
              ),
            ]),
        { kind: "details", summary: "The same series as a table", blocks: [p(samplingNote), table] },
      ],
    },
  ];
}

/** Lead-time percentiles of the cards handed over each day (HTML chart). */
export function leadTimeSection(input: ReportInput, f: Frame): Block[] {
  const cs = chartFrame(f.dates);
  const svg = percentileBandChart(leadTimeData(f.series, cs), {
    id: "chart-lead-time",
    title: cs.weekly
      ? "Application-to-hand-over lead time (weekly mean of daily percentiles)"
      : "Application-to-hand-over lead time of cards handed over each day",
    yLabel: "lead time (days)",
    names: { p50: "p50", p90: "p90", p99: "p99" },
    shade: "p50-p90",
    vRules: f.targetInView ? [{ date: input.params.target.date, label: "target date" }] : [],
    xDomain: f.xDomain,
    height: 360,
    ...WIDE,
  });
  return [
    { kind: "h", level: 2, text: "Lead time over time", id: "lead-time" },
    p(
      "Percentiles of the days from application to hand-over among the cards handed over on each day (days without hand-overs are gaps)",
      cs.weekly ? "; the chart shows the mean of each week's daily values, dated on the week's last day" : "",
      ". Same date axis as the chart above.",
    ),
    { kind: "only", format: "html", blocks: [{ kind: "chart", svg }] },
  ];
}

/** Backlogs by stage and utilisation: charts (HTML) and their tables. */
export function pipelineSection(input: ReportInput, f: Frame): Block[] {
  const c = input.columns;
  const cs = chartFrame(f.dates);
  const weekly = cs.weekly ? " (weekly means)" : "";
  const backlog = stackedAreaChart(backlogData(f.series, cs), {
    id: "chart-backlog",
    title: `Work in progress by pipeline stage${weekly}`,
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    xDomain: f.xDomain,
    height: 400,
    ...WIDE,
  });
  const hasOutage = input.params.jlis.outages.length > 0 || availabilityDips(f.series);
  const utilisation = timeSeriesChart(utilisationData(f.series, cs, hasOutage), {
    id: "chart-utilisation",
    title: `Utilisation of intake, factory and counters${weekly}`,
    yLabel: "share of daily capacity used (%)",
    yFormat: "percent",
    tooltipFormat: "percent",
    xDomain: f.xDomain,
    height: 360,
    ...WIDE,
  });
  const targetEnd = f.targetIndex >= 0 ? Math.min(f.n, f.targetIndex + 1) : 0;
  const utilRows: [string, Float64Array][] = UTILISATION_COLUMNS.map(([name, col]) => [name, c[col]]);
  if (hasOutage) utilRows.push(["J-LIS availability", c.jlis_availability]);
  return [
    { kind: "h", level: 2, text: "Pipeline: backlogs and utilisation", id: "pipeline" },
    { kind: "only", format: "html", blocks: [{ kind: "chart", svg: backlog }] },
    {
      kind: "table",
      caption: "Peak backlog per stage (mean over replications)",
      head: ["stage", "peak cards", "on"],
      align: ["l", "r", "l"],
      rows: BACKLOG_LABELS.map(([col, name]) => {
        const pk = input.summary.peakBacklogs[col.replace("backlog_", "")];
        return [name, int(pk?.cards), pk?.date ?? DASH];
      }),
    },
    { kind: "only", format: "html", blocks: [{ kind: "chart", svg: utilisation }] },
    {
      kind: "table",
      caption: "Mean utilisation (share of each day's capacity used)",
      head: ["stage", `up to ${input.params.target.date}`, "whole run"],
      align: ["l", "r", "r"],
      rows: utilRows.map(([name, col]) => [
        name,
        targetEnd > 0 ? ratioPct(meanFinite(col, 0, targetEnd)) : DASH,
        ratioPct(meanFinite(col)),
      ]),
    },
  ];
}
