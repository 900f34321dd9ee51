/**
 * The human-readable part of an issuance run's output: `report.md` and a self-contained
 * `report.html`. Both are rendered from one list of blocks, so they say the same things in the same
 * order: the headline answer (was the target reached, when, what held the rollout back, how long
 * residents waited), the charts (HTML) or a compact table (Markdown), the fidelity against the
 * official series, every assumption with its source, and how to reproduce the run.
 *
 * Pure functions of their input: no clock, no randomness, no locale. Wall time and machine belong
 * in manifest.json, not here, so the same run gives byte-identical reports.
 * @module
 */
import { formatIsoDate, parseIsoDate, parseIsoDateTime } from "../../engine/calendar.js";
import {
  CHART_CSS,
  barChart,
  percentileBandChart,
  stackedAreaChart,
  timeSeriesChart,
} from "../../engine/charts/index.js";
import type { HRule, TimeSeries, TimeSeriesData, VRule } from "../../engine/charts/index.js";
import type { Stage, TimeseriesColumn } from "./model.js";
import type { CryptoSampleResult } from "./crypto-sample.js";
import type { IssuanceParams, ScheduleEntry } from "./params.js";
import { BACKLOG_LABELS } from "./run-format.js";
import type { OfficialPoint, RunSummary } from "./summary.js";

/** Everything the report is written from. */
export interface ReportInput {
  /** The resolved scenario. */
  params: IssuanceParams;
  /** From summary.ts. */
  summary: RunSummary;
  /** Epoch day of the first row. */
  startDay: number;
  /** Mean over replications (`meanColumns`). */
  columns: Record<TimeseriesColumn, Float64Array>;
  /** Cumulative cards 95 % band when replications > 1. */
  ci95?: { lower: Float64Array; upper: Float64Array } | null;
  /** Official cumulative series within the run period (may be empty). */
  official: OfficialPoint[];
  run: {
    command: string;
    seed: number;
    replications: number;
    threads: number;
    runId: string;
    versions: Record<string, string>;
    dataSources: { file: string; source: string }[];
  };
  /** The factory's crypto sample, when the scenario asks for one. */
  crypto?: CryptoSampleResult | null;
}

// ---------------------------------------------------------------------------------------------------
// Formatting (no locale: the same bytes everywhere)

const DASH = "–";

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** Fixed decimals without "-0". */
function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Groups the integer part with commas: 87000000 → "87,000,000", 1234.5 (1) → "1,234.5". */
function grouped(v: number, digits = 0): string {
  if (!finite(v)) return DASH;
  const s = fixed(v, digits);
  const [intPart, dec] = s.split(".");
  const g = intPart!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return dec === undefined ? g : `${g}.${dec}`;
}

/** A count, rounded and grouped. */
const int = (v: number | null | undefined): string => (finite(v) ? grouped(Math.round(v)) : DASH);

/** Millions with one decimal: "20.3 M" (two decimals below 1 M). */
function millions(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  const m = v / 1e6;
  return `${grouped(m, Math.abs(m) < 1 ? 2 : 1).replace(/\.0+$/, "")} M`;
}

/** A value already in percent. */
const pct = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? `${grouped(v, digits)} %` : DASH;

/** A ratio shown as percent. */
const ratioPct = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? pct(v * 100, digits) : DASH;

/** Signed percent/points: "+1.2". */
const signed = (v: number | null | undefined, digits = 1): string =>
  finite(v) ? `${v > 0 ? "+" : ""}${grouped(v, digits)}` : DASH;

/** A multiplier: "×4", "×4.5", "×1.25". */
const times = (v: number): string =>
  `×${grouped(v, 2)
    .replace(/\.00$/, "")
    .replace(/(\.\d)0$/, "$1")}`;

/** Days with up to one decimal. */
const days = (v: number | null | undefined): string =>
  finite(v) ? (Number.isInteger(v) ? grouped(v) : grouped(v, 1)) : DASH;

const STAGE_NAMES: Record<Stage | "demand", string> = {
  intake: "J-LIS application intake",
  factory: "card factory (manufacture and personalisation)",
  jlis: "J-LIS hand-over system",
  counters: "municipal counters",
  demand: "demand (residents' applications)",
};

const BACKLOG_NAMES = BACKLOG_LABELS;

/** The optional capacity search result a runner may attach to the summary (`requiredCapacity`). */
interface RequiredCapacity {
  multiplier: number;
  reachedOn: string | null;
  factoryPerDayOnTargetDate: number;
  countersPerTenThousandOnTargetDate: number;
}

// ---------------------------------------------------------------------------------------------------
// A small document model, rendered to Markdown and to HTML

type Inline = string | { b: string } | { code: string };

type Block =
  | { kind: "h"; level: 1 | 2 | 3; text: string; id?: string }
  | { kind: "p"; content: Inline[]; className?: string }
  | { kind: "list"; items: Inline[][] }
  | {
      kind: "table";
      head: string[];
      rows: string[][];
      /** "r" for numeric columns. */
      align?: ("l" | "r")[];
      caption?: string;
    }
  | { kind: "chart"; svg: string }
  | { kind: "code"; text: string }
  | { kind: "details"; summary: string; blocks: Block[] }
  /** Shown in one format only. */
  | { kind: "only"; format: "md" | "html"; blocks: Block[] };

const p = (...content: Inline[]): Block => ({ kind: "p", content });

// --- Markdown

function mdEscape(text: string): string {
  return text
    .replace(/\r?\n|\r/g, " ")
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, "\\&");
}

function mdCode(text: string): string {
  const one = text.replace(/\r?\n|\r/g, " ");
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = one.startsWith("`") || one.endsWith("`") ? " " : "";
  return `${fence}${pad}${one}${pad}${fence}`;
}

function mdInline(content: Inline[]): string {
  return content
    .map((c) => (typeof c === "string" ? mdEscape(c) : "b" in c ? `**${mdEscape(c.b)}**` : mdCode(c.code)))
    .join("");
}

function mdBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "h":
        out.push(`${"#".repeat(b.level)} ${mdEscape(b.text)}`);
        break;
      case "p":
        out.push(mdInline(b.content));
        break;
      case "list":
        out.push(b.items.map((i) => `- ${mdInline(i)}`).join("\n"));
        break;
      case "table": {
        const lines: string[] = [];
        if (b.caption) lines.push(`*${mdEscape(b.caption)}*`, "");
        const cell = (s: string) => mdEscape(s);
        lines.push(`| ${b.head.map(cell).join(" | ")} |`);
        lines.push(`|${b.head.map((_, i) => (b.align?.[i] === "r" ? " ---: " : " --- ")).join("|")}|`);
        for (const r of b.rows) lines.push(`| ${r.map(cell).join(" | ")} |`);
        out.push(lines.join("\n"));
        break;
      }
      case "chart":
        break;
      case "code": {
        const longest = Math.max(2, ...(b.text.match(/`+/g) ?? []).map((r) => r.length));
        const fence = "`".repeat(longest + 1);
        out.push(`${fence}sh\n${b.text}\n${fence}`);
        break;
      }
      case "details":
        out.push(`**${mdEscape(b.summary)}**`, ...mdBlocks(b.blocks));
        break;
      case "only":
        if (b.format === "md") out.push(...mdBlocks(b.blocks));
        break;
    }
  }
  return out;
}

// --- HTML

function h(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function htmlInline(content: Inline[]): string {
  return content
    .map((c) =>
      typeof c === "string" ? h(c) : "b" in c ? `<strong>${h(c.b)}</strong>` : `<code>${h(c.code)}</code>`,
    )
    .join("");
}

function htmlBlocks(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "h":
        out.push(`<h${b.level}${b.id ? ` id="${h(b.id)}"` : ""}>${h(b.text)}</h${b.level}>`);
        break;
      case "p":
        out.push(`<p${b.className ? ` class="${h(b.className)}"` : ""}>${htmlInline(b.content)}</p>`);
        break;
      case "list":
        out.push(`<ul>\n${b.items.map((i) => `<li>${htmlInline(i)}</li>`).join("\n")}\n</ul>`);
        break;
      case "table": {
        const cls = (i: number) => (b.align?.[i] === "r" ? ' class="num"' : "");
        const lines = ['<div class="table-wrap">', "<table>"];
        if (b.caption) lines.push(`<caption>${h(b.caption)}</caption>`);
        lines.push(`<thead><tr>${b.head.map((c, i) => `<th${cls(i)}>${h(c)}</th>`).join("")}</tr></thead>`);
        lines.push("<tbody>");
        for (const r of b.rows)
          lines.push(`<tr>${r.map((c, i) => `<td${cls(i)}>${h(c)}</td>`).join("")}</tr>`);
        lines.push("</tbody>", "</table>", "</div>");
        out.push(lines.join("\n"));
        break;
      }
      case "chart":
        out.push(`<figure class="chart">\n${b.svg.trimEnd()}\n</figure>`);
        break;
      case "code":
        out.push(`<pre><code>${h(b.text)}</code></pre>`);
        break;
      case "details":
        out.push(`<details>\n<summary>${h(b.summary)}</summary>`, ...htmlBlocks(b.blocks), "</details>");
        break;
      case "only":
        if (b.format === "html") out.push(...htmlBlocks(b.blocks));
        break;
    }
  }
  return out;
}

const PAGE_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f4; color: #222222; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #ffffff; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 0.75rem; padding-top: 0.75rem; border-top: 1px solid #e6e6e6; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0.5rem 0 0.9rem; }
.description { color: #555555; }
.headline { font-size: 1.2rem; background: #eef3f8; border-left: 4px solid #4e79a7; padding: 0.75rem 1rem; }
.verdict-pass { background: #eef6ec; border-left: 4px solid #59a14f; padding: 0.5rem 0.75rem; }
.verdict-fail { background: #fbeeee; border-left: 4px solid #e15759; padding: 0.5rem 0.75rem; }
.note { color: #555555; font-size: 0.92rem; }
figure.chart { margin: 1rem 0 1.5rem; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.25rem; }
table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { padding: 0.3rem 0.65rem; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
th { background: #fafafa; border-bottom: 2px solid #cccccc; }
td.num, th.num { text-align: right; white-space: nowrap; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { background: #f4f4f4; padding: 0.75rem 1rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
details { margin: 0.5rem 0 1.25rem; }
summary { cursor: pointer; color: #4e79a7; }
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: 1rem 0.75rem 2rem; }
  h1 { font-size: 1.4rem; }
  .headline { font-size: 1.05rem; }
  th, td { padding: 0.25rem 0.4rem; }
}
`.trim();

// ---------------------------------------------------------------------------------------------------
// Data helpers

const toArray = (a: Float64Array): (number | null)[] => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

/** Index of the latest finite value at or before `i`, looking back at most `window` days. */
function lastFinite(col: Float64Array, i: number, window: number): number | null {
  for (let k = i; k >= 0 && k > i - window; k--) if (Number.isFinite(col[k]!)) return col[k]!;
  return null;
}

function meanFinite(col: Float64Array, from = 0, to = col.length): number | null {
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

/** Runs longer than this many days are drawn as weekly means in the pipeline and lead-time charts. */
const WEEKLY_ABOVE_DAYS = 731;

/**
 * The series the lead-time, backlog and utilisation charts draw: daily values, or for long runs the
 * mean of the finite daily values of each 7-day block (dated on the block's last day), which keeps
 * the charts readable (day-of-week swings would otherwise fill the plot) and the page small.
 */
interface ChartSeries {
  weekly: boolean;
  dates: string[];
  values: (col: Float64Array) => (number | null)[];
}

function chartSeries(f: Frame): ChartSeries {
  if (f.n <= WEEKLY_ABOVE_DAYS) return { weekly: false, dates: f.dates, values: toArray };
  const ends: number[] = [];
  for (let e = 6; e < f.n + 6; e += 7) ends.push(Math.min(e, f.n - 1));
  return {
    weekly: true,
    dates: ends.map((e) => f.dates[e]!),
    values: (col) =>
      ends.map((e, k) => {
        const from = k === 0 ? 0 : ends[k - 1]! + 1;
        return meanFinite(col, from, e + 1);
      }),
  };
}

/** Official points sorted by date, one per date, finite only. */
function cleanOfficial(official: OfficialPoint[]): OfficialPoint[] {
  const seen = new Set<string>();
  return [...official]
    .filter((o) => finite(o.cardsIssuedCumulative) && /^\d{4}-\d{2}-\d{2}$/.test(o.date))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .filter((o) => (seen.has(o.date) ? false : (seen.add(o.date), true)));
}

interface Frame {
  n: number;
  dates: string[];
  first: string;
  last: string;
  /** Shared x domain of every time chart. */
  xDomain: [string, string];
  /** Target date drawn on the time charts (null when far outside the run). */
  targetInView: boolean;
  targetIndex: number;
}

function frame(input: ReportInput): Frame {
  const n = input.columns.cards_issued_cumulative.length;
  const dates = Array.from({ length: n }, (_, i) => formatIsoDate(input.startDay + i));
  const first = dates[0] ?? input.params.start;
  const last = dates[n - 1] ?? input.params.end;
  const t = parseIsoDate(input.params.target.date);
  const s = input.startDay;
  const e = input.startDay + Math.max(0, n - 1);
  // show the target date if it is inside the run or no further out than a quarter of its length
  const slack = Math.max(31, Math.round((e - s) / 4));
  const targetInView = t >= s - slack && t <= e + slack;
  const lo = targetInView ? Math.min(s, t) : s;
  const hi = targetInView ? Math.max(e, t) : e;
  return {
    n,
    dates,
    first,
    last,
    xDomain: [formatIsoDate(lo), formatIsoDate(hi)],
    targetInView,
    targetIndex: t - s,
  };
}

/** Row indices of the compact Markdown table: year (or quarter) ends, the target date, the last day. */
function samplePoints(input: ReportInput, f: Frame): number[] {
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

function scheduleTable(entries: ScheduleEntry[], unit: string, fmtValue: (v: number) => string): Block {
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

// ---------------------------------------------------------------------------------------------------
// Sections

function headline(input: ReportInput, f: Frame): Block[] {
  const { summary, params } = input;
  const t = summary.target;
  const reps = summary.replications;
  const range =
    reps > 1 && t.reachedOnRange && t.reachedOnRange.earliest !== t.reachedOnRange.latest
      ? ` (mean over ${int(reps)} replications; earliest ${t.reachedOnRange.earliest}, latest ${t.reachedOnRange.latest})`
      : "";
  const finalCards = input.columns.cards_issued_cumulative[f.n - 1];
  let text: string;
  if (t.reached && t.reachedOn) {
    const when = t.reachedOn < t.date ? "before" : "on";
    text = `${int(t.cards)} cards were reached on ${t.reachedOn}${range}, ${when} the target date ${t.date}.`;
  } else {
    const parts: string[] = [];
    if (t.cardsOnTargetDate) {
      const ci =
        reps > 1 && t.cardsOnTargetDate.lower !== t.cardsOnTargetDate.upper
          ? `, 95 % CI ${millions(t.cardsOnTargetDate.lower)} – ${millions(t.cardsOnTargetDate.upper)}`
          : "";
      parts.push(
        `Not reached by ${t.date}: ${millions(t.cardsOnTargetDate.mean)} cards${ci} (shortfall ${millions(t.shortfallOnTargetDate)} of the ${int(t.cards)} target)`,
      );
    } else {
      parts.push(
        `The target of ${int(t.cards)} cards by ${t.date} cannot be judged: the target date lies outside the run (${summary.period.start} – ${summary.period.end})`,
      );
    }
    parts.push(
      t.reachedOn
        ? `; ${int(t.cards)} cards reached on ${t.reachedOn}${range}.`
        : `; not reached within the run (${millions(finalCards)} cards on ${f.last}).`,
    );
    text = parts.join("");
    if (reps > 1 && t.reachedShare > 0 && t.reachedShare < 1)
      text += ` ${ratioPct(t.reachedShare, 0)} of the ${int(reps)} replications reached it by the target date.`;
  }
  const lt = summary.leadTimeDays;
  const bc = summary.bindingConstraint;
  const blocks: Block[] = [
    { kind: "p", className: "headline", content: [{ b: text }] },
    p("Binding constraint: ", { b: STAGE_NAMES[bc.stage] }, `. ${bc.explanation}`),
    p(
      "Application-to-hand-over lead time of all cards handed over in the run: ",
      { b: `p50 ${days(lt.all.p50)} days, p90 ${days(lt.all.p90)} days, p99 ${days(lt.all.p99)} days` },
      ` (mean ${days(lt.all.mean)} days).`,
      ...(lt.toTargetDate
        ? [
            ` Cards handed over by ${params.target.date}: p50 ${days(lt.toTargetDate.p50)}, p90 ${days(lt.toTargetDate.p90)}, p99 ${days(lt.toTargetDate.p99)} days.`,
          ]
        : []),
    ),
  ];
  const rc = (summary as RunSummary & { requiredCapacity?: RequiredCapacity | null }).requiredCapacity;
  if (rc === null) {
    blocks.push(
      p(
        "Capacity search: no capacity multiplier within the search range reaches the target by ",
        t.date,
        ": demand, not capacity, is short.",
      ),
    );
  } else if (rc !== undefined && finite(rc.multiplier)) {
    blocks.push(
      p(
        "Capacity needed to reach the target by ",
        t.date,
        ": ",
        { b: `every capacity schedule ${times(rc.multiplier)}` },
        ` (factory ${int(rc.factoryPerDayOnTargetDate)} cards/day and counters ${grouped(rc.countersPerTenThousandOnTargetDate, 2)} hand-overs per 10,000 residents per business day on the target date)`,
        rc.reachedOn ? `, reaching ${int(t.cards)} cards on ${rc.reachedOn}.` : ".",
      ),
    );
  }
  blocks.push({
    kind: "table",
    caption: "Key figures",
    head: ["figure", "value"],
    align: ["l", "l"],
    rows: [
      ["run period", `${summary.period.start} – ${summary.period.end}`],
      ["target", `${int(t.cards)} cards by ${t.date}`],
      ["applications (cumulative, end of run)", int(summary.totals.applications)],
      ["cards issued (cumulative, end of run)", int(summary.totals.cardsIssued)],
      ["certificate renewals", int(summary.totals.certificateRenewals)],
      [
        "peak daily applications",
        `${int(summary.peakDailyApplications.count)} on ${summary.peakDailyApplications.date}`,
      ],
      ["peak daily issuance", `${int(summary.peakDailyIssuance.count)} on ${summary.peakDailyIssuance.date}`],
      ["J-LIS outage minutes in business hours", grouped(summary.outageMinutesInBusinessHours, 1)],
      ["replications × seed", `${int(summary.replications)} × seed ${summary.seed}`],
    ],
  });
  blocks.push({
    kind: "table",
    caption: `Days each stage worked at capacity with work left over, up to ${t.date}`,
    head: ["stage", "saturated days"],
    align: ["l", "r"],
    rows: (Object.keys(bc.saturatedDaysToTarget) as Stage[]).map((s) => [
      STAGE_NAMES[s] ?? s,
      days(Math.round(bc.saturatedDaysToTarget[s] * 10) / 10),
    ]),
  });
  return blocks;
}

function cumulativeSection(input: ReportInput, f: Frame, official: OfficialPoint[]): Block[] {
  const { params, columns, summary } = input;
  const series: TimeSeries[] = [
    {
      name: "cards issued (simulated)",
      values: toArray(columns.cards_issued_cumulative),
      color: "#4e79a7",
      strokeWidth: 2.5,
    },
    {
      name: "applications (simulated)",
      values: toArray(columns.applications_cumulative),
      color: "#f28e2b",
      dash: "6 3",
      strokeWidth: 1.5,
    },
  ];
  if (official.length > 0) {
    series.push({
      name: "cards issued (official)",
      values: official.map((o) => o.cardsIssuedCumulative),
      dates: official.map((o) => o.date),
      kind: "points",
      color: "#222222",
      strokeWidth: 2,
    });
  }
  const data: TimeSeriesData = { dates: f.dates, series };
  const ci = input.ci95;
  if (ci && ci.lower.length === f.n && ci.upper.length === f.n) {
    data.band = {
      name: `95 % CI over ${int(summary.replications)} replications`,
      lower: toArray(ci.lower),
      upper: toArray(ci.upper),
      color: "#4e79a7",
      opacity: 0.2,
    };
  }
  const hRules: HRule[] = [
    {
      value: params.target.cards,
      label: `target ${int(params.target.cards)} cards (${millions(params.target.cards)})`,
    },
  ];
  const vRules: VRule[] = f.targetInView
    ? [{ date: params.target.date, label: `target date ${params.target.date}` }]
    : [];
  const svg = timeSeriesChart(data, {
    id: "chart-cumulative",
    title: `Cumulative cards issued vs the ${millions(params.target.cards)} target by ${params.target.date}`,
    yLabel: "cards (millions)",
    yFormat: "millions",
    tooltipFormat: "integer",
    hRules,
    vRules,
    xDomain: f.xDomain,
    width: 960,
    height: 440,
    margin: { left: 64, right: 24 },
  });

  const idx = samplePoints(input, f);
  const withCi = data.band !== undefined;
  const head = ["date", "applications", "cards issued"];
  if (withCi) head.push("95 % CI");
  if (official.length > 0) head.push("official (latest ≤ date)");
  head.push("lead time p50 / p90 / p99 (days)");
  const rows = idx.map((i) => {
    const d = f.dates[i]!;
    const row = [d, int(columns.applications_cumulative[i]), int(columns.cards_issued_cumulative[i])];
    if (withCi) row.push(`${int(ci!.lower[i])} – ${int(ci!.upper[i])}`);
    if (official.length > 0) {
      let o: OfficialPoint | undefined;
      for (const c of official) if (c.date <= d) o = c;
      const recent = o !== undefined && parseIsoDate(d) - parseIsoDate(o.date) <= 92;
      row.push(recent ? `${int(o!.cardsIssuedCumulative)}${o!.date === d ? "" : ` (${o!.date})`}` : DASH);
    }
    row.push(
      [columns.lead_time_p50_days, columns.lead_time_p90_days, columns.lead_time_p99_days]
        .map((c) => days(lastFinite(c, i, 7)))
        .join(" / "),
    );
    return row;
  });
  const table: Block = {
    kind: "table",
    head,
    align: head.map((_, i) => (i === 0 ? "l" : "r")),
    rows,
  };
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

function leadTimeSection(input: ReportInput, f: Frame): Block[] {
  const c = input.columns;
  const cs = chartSeries(f);
  const svg = percentileBandChart(
    {
      dates: cs.dates,
      p50: cs.values(c.lead_time_p50_days),
      p90: cs.values(c.lead_time_p90_days),
      p99: cs.values(c.lead_time_p99_days),
    },
    {
      id: "chart-lead-time",
      title: cs.weekly
        ? "Application-to-hand-over lead time (weekly mean of daily percentiles)"
        : "Application-to-hand-over lead time of cards handed over each day",
      yLabel: "lead time (days)",
      names: { p50: "p50", p90: "p90", p99: "p99" },
      shade: "p50-p90",
      vRules: f.targetInView ? [{ date: input.params.target.date, label: "target date" }] : [],
      xDomain: f.xDomain,
      width: 960,
      height: 360,
      margin: { left: 64, right: 24 },
    },
  );
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

function pipelineSection(input: ReportInput, f: Frame): Block[] {
  const c = input.columns;
  const cs = chartSeries(f);
  const weekly = cs.weekly ? " (weekly means)" : "";
  const backlog = stackedAreaChart(
    {
      dates: cs.dates,
      series: BACKLOG_NAMES.map(([col, name]) => ({ name, values: cs.values(c[col]) })),
    },
    {
      id: "chart-backlog",
      title: `Work in progress by pipeline stage${weekly}`,
      yLabel: "cards (millions)",
      yFormat: "millions",
      tooltipFormat: "integer",
      xDomain: f.xDomain,
      width: 960,
      height: 400,
      margin: { left: 64, right: 24 },
    },
  );
  const hasOutage =
    input.params.jlis.outages.length > 0 ||
    Array.from(c.jlis_availability).some((v) => Number.isFinite(v) && v < 1);
  const util: TimeSeries[] = [
    { name: "J-LIS intake", values: cs.values(c.intake_utilisation), color: "#4e79a7", strokeWidth: 1.5 },
    { name: "factory", values: cs.values(c.factory_utilisation), color: "#e15759", strokeWidth: 1.5 },
    { name: "counters", values: cs.values(c.counter_utilisation), color: "#59a14f", strokeWidth: 1.5 },
  ];
  if (hasOutage)
    util.push({
      name: "J-LIS availability (business hours)",
      values: cs.values(c.jlis_availability),
      color: "#b07aa1",
      dash: "4 2",
      strokeWidth: 1.25,
    });
  const utilisation = timeSeriesChart(
    { dates: cs.dates, series: util },
    {
      id: "chart-utilisation",
      title: `Utilisation of intake, factory and counters${weekly}`,
      yLabel: "share of daily capacity used (%)",
      yFormat: "percent",
      tooltipFormat: "percent",
      xDomain: f.xDomain,
      width: 960,
      height: 360,
      margin: { left: 64, right: 24 },
    },
  );
  const targetEnd = f.targetIndex >= 0 ? Math.min(f.n, f.targetIndex + 1) : 0;
  const utilRows: [string, TimeseriesColumn][] = [
    ["J-LIS intake", "intake_utilisation"],
    ["factory", "factory_utilisation"],
    ["counters", "counter_utilisation"],
  ];
  if (hasOutage) utilRows.push(["J-LIS availability", "jlis_availability"]);
  return [
    { kind: "h", level: 2, text: "Pipeline: backlogs and utilisation", id: "pipeline" },
    { kind: "only", format: "html", blocks: [{ kind: "chart", svg: backlog }] },
    {
      kind: "table",
      caption: "Peak backlog per stage (mean over replications)",
      head: ["stage", "peak cards", "on"],
      align: ["l", "r", "l"],
      rows: BACKLOG_NAMES.map(([col, name]) => {
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
        targetEnd > 0 ? ratioPct(meanFinite(c[col], 0, targetEnd)) : DASH,
        ratioPct(meanFinite(c[col])),
      ]),
    },
  ];
}

function fidelitySection(input: ReportInput): Block[] {
  const fid = input.summary.fidelity;
  if (fid.national.length === 0) return [];
  const out: Block[] = [
    { kind: "h", level: 2, text: "Fidelity against the official series", id: "fidelity" },
  ];
  const beyond = fid.national.filter((r) => Math.abs(r.errorPercent) > 10);
  const worst = fid.national.reduce((a, r) => (Math.abs(r.errorPercent) > Math.abs(a.errorPercent) ? r : a));
  const nationalPass = beyond.length === 0;
  out.push({
    kind: "p",
    className: nationalPass ? "verdict-pass" : "verdict-fail",
    content: [
      { b: nationalPass ? "National: PASS." : "National: FAIL." },
      ` Target: simulated cumulative cards within ±10 % of the official figure at every official date. ${int(fid.national.length)} official dates; max abs error ${pct(fid.maxAbsErrorPercent, 2)} (${worst.date}); ${int(beyond.length)} date${beyond.length === 1 ? "" : "s"} outside ±10 %.`,
    ],
  });
  out.push({
    kind: "table",
    caption: "National cumulative cards issued",
    head: ["date", "official", "simulated", "error %"],
    align: ["l", "r", "r", "r"],
    rows: fid.national.map((r) => [r.date, int(r.official), int(r.simulated), signed(r.errorPercent, 2)]),
  });
  const pf = fid.prefectures;
  if (pf) {
    const sharePass = pf.maxAbsShareErrorPoints <= 3;
    const worstShare = pf.rows.reduce((a, r) =>
      Math.abs(r.simulatedShare - r.officialShare) > Math.abs(a.simulatedShare - a.officialShare) ? r : a,
    );
    const worstCov = pf.rows.reduce((a, r) =>
      Math.abs(r.simulatedCoverage - r.officialCoverage) > Math.abs(a.simulatedCoverage - a.officialCoverage)
        ? r
        : a,
    );
    const national = fid.national.find((r) => r.date === pf.date);
    out.push({ kind: "h", level: 3, text: `Prefectures on ${pf.date}` });
    out.push({
      kind: "p",
      className: sharePass ? "verdict-pass" : "verdict-fail",
      content: [
        { b: sharePass ? "Prefecture share: PASS." : "Prefecture share: FAIL." },
        ` Target: each prefecture's share of the nation's cards within ±3 points of the official share. Max abs error ${grouped(pf.maxAbsShareErrorPoints, 2)} points (${worstShare.prefecture}).`,
      ],
    });
    out.push(
      p(
        { b: "Coverage (cards per resident) has no acceptance target and is shown as it is:" },
        ` max abs error ${grouped(pf.maxAbsCoverageErrorPoints, 2)} points (${worstCov.prefecture}: simulated ${pct(worstCov.simulatedCoverage, 2)}, official ${pct(worstCov.officialCoverage, 2)}).`,
        ` Across prefectures the simulated coverage ranges ${rangeOf(pf.rows.map((r) => r.simulatedCoverage))}, the official ${rangeOf(pf.rows.map((r) => r.officialCoverage))}.`,
        national
          ? ` On this date the national total is off by ${signed(national.errorPercent, 2)} %, which shifts every prefecture's coverage in the same direction; shares cancel that level error, coverage does not.`
          : " Coverage errors include any national level error, which shares cancel.",
      ),
    );
    const svg = barChart(
      pf.rows.map((r) => ({ label: r.prefecture, value: r.simulatedCoverage, marker: r.officialCoverage })),
      {
        id: "chart-prefectures",
        title: `Card coverage by prefecture on ${pf.date}: simulated (bars) vs official (marks)`,
        xLabel: "cards per 100 residents (%)",
        format: ",.1f",
        tooltipFormat: ",.2f",
        valueName: "simulated",
        markerName: "official",
        sort: "descending",
        width: 960,
      },
    );
    out.push({ kind: "only", format: "html", blocks: [{ kind: "chart", svg }] });
    out.push({
      kind: "table",
      caption: `Share of the nation's cards and coverage by prefecture, ${pf.date} (points = percentage points)`,
      head: [
        "prefecture",
        "official share %",
        "simulated share %",
        "share error (points)",
        "official coverage %",
        "simulated coverage %",
        "coverage error (points)",
      ],
      align: ["l", "r", "r", "r", "r", "r", "r"],
      rows: pf.rows.map((r) => [
        r.prefecture,
        grouped(r.officialShare, 3),
        grouped(r.simulatedShare, 3),
        signed(r.simulatedShare - r.officialShare, 3),
        grouped(r.officialCoverage, 2),
        grouped(r.simulatedCoverage, 2),
        signed(r.simulatedCoverage - r.officialCoverage, 2),
      ]),
    });
  }
  return out;
}

function rangeOf(values: number[]): string {
  const v = values.filter(finite);
  if (v.length === 0) return DASH;
  return `${grouped(Math.min(...v), 1)} – ${grouped(Math.max(...v), 1)} %`;
}

function assumptionsSection(input: ReportInput): Block[] {
  const pr = input.params;
  const d = pr.demand;
  const perDay = (v: number) => int(v);
  const out: Block[] = [
    { kind: "h", level: 2, text: "Assumptions and sources", id: "assumptions" },
    p(
      "Every parameter of the resolved scenario (after ",
      { code: "--set" },
      " overrides). Sources are quoted as the scenario file gives them.",
    ),
    { kind: "h", level: 3, text: "Run period and target" },
    {
      kind: "list",
      items: [
        [`Simulated days: ${pr.start} – ${pr.end} (inclusive).`],
        [
          `Target: ${int(pr.target.cards)} cards issued by ${pr.target.date}${pr.target.solveCapacity ? "; the run also searches the capacity multiplier that would reach it" : ""}.`,
        ],
      ],
    },
    { kind: "h", level: 3, text: "Demand" },
    {
      kind: "list",
      items: [
        [
          "Base annual propensity: the share of residents without a card or application who apply within a year, before shocks (schedule below).",
        ],
        [
          `Age profile of uptake: ${d.ageProfile ? "applied (national age profile, data/demographics-2022-12-31.csv)" : "not applied (uniform across ages)"}.`,
        ],
        [
          `Initial backlog: ${int(d.initialBacklog.applications)} applications waiting at the start, spread over application dates ${d.initialBacklog.from} – ${d.initialBacklog.to}. Source: ${d.initialBacklog.source}`,
        ],
      ],
    },
    scheduleTable(d.baseAnnualPropensity, "annual propensity", (v) => ratioPct(v, 2)),
    {
      kind: "table",
      caption: "Application channels",
      head: ["channel", "share", "days until J-LIS receives it"],
      align: ["l", "r", "r"],
      rows: d.channels.map((c) => [c.name, ratioPct(c.share), days(c.delayDays)]),
    },
  ];
  if (d.shocks.length > 0) {
    out.push({
      kind: "table",
      caption: "Demand shocks (the application hazard is multiplied while a shock is active)",
      head: ["shock", "window", "multiplier", "shape", "source"],
      align: ["l", "l", "r", "l", "l"],
      rows: d.shocks.map((s) => {
        const shape: string[] = [];
        if (s.decay)
          shape.push(
            `starts at ${times(s.decay.peakMultiplier)} on ${s.start}, decays to ×1 (τ ${days(s.decay.tauDays)} d)`,
          );
        if (s.rush)
          shape.push(
            `rises to ${times(s.rush.peakMultiplier)} on the deadline ${s.rush.deadline} (τ ${days(s.rush.tauDays)} d)`,
          );
        return [
          s.name,
          `${s.start} – ${s.end}`,
          times(s.multiplier),
          shape.length ? shape.join("; ") : "flat",
          s.source,
        ];
      }),
    });
  } else {
    out.push(p("No demand shocks."));
  }

  out.push({ kind: "h", level: 3, text: "Capacities" });
  out.push(p({ b: "J-LIS application intake" }, " (aggregation, checking, photo review), cards per day:"));
  out.push(scheduleTable(pr.intake.capacityPerDay, "cards/day", perDay));
  out.push(p({ b: "Card factory" }, " (manufacture and personalisation), cards per day:"));
  out.push(scheduleTable(pr.factory.capacityPerDay, "cards/day", perDay));
  out.push(p({ b: "J-LIS hand-over system" }, " (national card-management throughput), cards per day:"));
  out.push(scheduleTable(pr.jlis.handoverCapacityPerDay, "cards/day", perDay));
  out.push(
    p(
      { b: "Municipal counters" },
      `: hand-overs per 10,000 residents per business day (schedule below); weekend capacity ${ratioPct(pr.counters.weekendFactor, 0)} of a weekday; at least ${int(pr.counters.minimumPerDay)} hand-overs per business day in the smallest municipality.`,
    ),
  );
  out.push(scheduleTable(pr.counters.perTenThousandPerDay, "per 10,000 residents/day", (v) => grouped(v, 2)));

  out.push({ kind: "h", level: 3, text: "Delays" });
  let cum = 0;
  const totalShare = pr.pickup.delayDays.reduce((a, x) => a + x.share, 0);
  const meanPickup =
    totalShare > 0 ? pr.pickup.delayDays.reduce((a, x) => a + x.days * x.share, 0) / totalShare : Number.NaN;
  out.push({
    kind: "list",
    items: [
      [`Factory → municipality shipping: ${days(pr.shipping.days)} days.`],
      [
        `Municipality receipt → notification postcard in the resident's hands: ${days(pr.notification.days)} days.`,
      ],
      [`Postcard → counter visit: the empirical distribution below (mean ${days(meanPickup)} days).`],
    ],
  });
  out.push({
    kind: "table",
    caption: "Pick-up delay after the postcard",
    head: ["days", "share", "cumulative"],
    align: ["r", "r", "r"],
    rows: pr.pickup.delayDays.map((x) => {
      cum += x.share;
      return [days(x.days), ratioPct(x.share), ratioPct(cum)];
    }),
  });

  out.push({ kind: "h", level: 3, text: "J-LIS outages" });
  out.push(
    p(
      `Hand-overs stop during an outage. Business hours ${pr.jlis.businessHours.open} – ${pr.jlis.businessHours.close} (local time); outage minutes inside them in this run: ${grouped(input.summary.outageMinutesInBusinessHours, 1)}.`,
    ),
  );
  if (pr.jlis.outages.length > 0) {
    out.push({
      kind: "table",
      head: ["start", "end", "minutes", "source"],
      align: ["l", "l", "r", "l"],
      rows: pr.jlis.outages.map((o) => {
        return [o.start.replace("T", " "), o.end.replace("T", " "), outageMinutes(o.start, o.end), o.source];
      }),
    });
  } else {
    out.push(p("No outages in this scenario."));
  }

  const r = pr.renewal;
  out.push({ kind: "h", level: 3, text: "Renewals" });
  out.push({
    kind: "list",
    items: [
      [
        `Certificates expire at the ${ordinal(r.certificateYears)} birthday after issuance; ${ratioPct(r.certificateRenewalShare, 0)} of holders renew at the counter.`,
      ],
      [
        `Cards of minors (under 18; under 20 before 2022-04-01) expire at the ${ordinal(r.minorCardYears)} birthday; ${ratioPct(r.minorCardRenewalShare, 0)} are renewed by a new application.`,
      ],
    ],
  });

  out.push({ kind: "h", level: 3, text: "Data sources" });
  if (input.run.dataSources.length > 0) {
    out.push({
      kind: "table",
      head: ["file", "source"],
      rows: input.run.dataSources.map((s) => [s.file, s.source]),
    });
  } else {
    out.push(p("No data files were read."));
  }
  return out;
}

function outageMinutes(start: string, end: string): string {
  try {
    return int((parseIsoDateTime(end) - parseIsoDateTime(start)) * 1440);
  } catch {
    return DASH;
  }
}

function ordinal(n: number): string {
  if (!Number.isInteger(n)) return `${days(n)}-year`;
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}

function cryptoSection(input: ReportInput): Block[] {
  const c = input.crypto;
  if (!c) return [];
  const outcomes = Object.entries(c.authentications)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(", ");
  return [
    { kind: "h", level: 2, text: "Real cryptography: the factory's crypto sample", id: "crypto" },
    p(
      `${int(c.cards)} of the cards were personalised for real (${c.profile === "current" ? "RSA-2048, sha256WithRSAEncryption" : "ECDSA P-384, ecdsa-with-SHA384"}): ` +
        `key pairs, both certificates issued by the two J-LIS roots, each card handed over and authenticated once ` +
        `through the JPKI AP. Sample rate: ${fixed(c.sampleRate * 1e6, 2)} per million cards handed over; ` +
        `every other card is an exact count.`,
    ),
    {
      kind: "table",
      head: ["figure", "value"],
      align: ["l", "r"],
      rows: [
        ["cards personalised", int(c.cards)],
        ["key pairs generated / from the key cache", `${int(c.keysGenerated)} / ${int(c.keysFromCache)}`],
        ["certificates issued", int(c.certificatesIssued)],
        ["signatures made (roots, certificates, key checks, card authentications)", int(c.signaturesMade)],
        ["CA signing rate measured in this run (certificates/s)", int(c.caSignaturesPerSecond)],
        ["authentications", outcomes || DASH],
        ["wall time (s)", fixed(c.wallSeconds, 1)],
      ],
    },
  ];
}

function reproduceSection(input: ReportInput): Block[] {
  const r = input.run;
  const versions = Object.keys(r.versions)
    .sort()
    .map((k) => [k, r.versions[k]!]);
  return [
    { kind: "h", level: 2, text: "Reproduce", id: "reproduce" },
    { kind: "code", text: r.command },
    {
      kind: "table",
      head: ["setting", "value"],
      rows: [
        ["run id", r.runId],
        ["seed", String(r.seed)],
        ["replications", int(r.replications)],
        ["threads", int(r.threads)],
        ["engine events (mean per replication)", int(input.summary.engine.eventsProcessed)],
        ["cohort operations (mean per replication)", int(input.summary.engine.cohortOperations)],
      ],
    },
    ...(versions.length > 0
      ? [{ kind: "table", caption: "Versions", head: ["component", "version"], rows: versions } as Block]
      : []),
    p(
      "The same command with the same seed gives byte-identical ",
      { code: "timeseries.csv" },
      " and ",
      { code: "summary.json" },
      " whatever ",
      { code: "--threads" },
      ": every replication draws from its own seeded random stream and results are combined in replication order. Wall time, machine and git commit are in ",
      { code: "manifest.json" },
      ", not here.",
    ),
  ];
}

function buildBlocks(input: ReportInput): { title: string; blocks: Block[] } {
  const f = frame(input);
  const official = cleanOfficial(input.official);
  const title = `Card issuance: ${input.params.name}`;
  const blocks: Block[] = [
    { kind: "h", level: 1, text: title },
    { kind: "p", className: "description", content: [input.params.description] },
    ...headline(input, f),
    ...cumulativeSection(input, f, official),
    ...leadTimeSection(input, f),
    ...pipelineSection(input, f),
    ...fidelitySection(input),
    ...assumptionsSection(input),
    ...cryptoSection(input),
    ...reproduceSection(input),
  ];
  return { title, blocks };
}

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * report.md: GitHub-flavoured Markdown with tables; the charts are in report.html, and the cumulative
 * series is given as a compact table instead. Deterministic.
 */
export function reportMarkdown(input: ReportInput): string {
  const { blocks } = buildBlocks(input);
  return `${mdBlocks(blocks).join("\n\n")}\n`;
}

/**
 * report.html: one self-contained page (inline CSS, inline SVG charts, no scripts, fonts or links),
 * readable on a laptop and on a phone. All text is HTML-escaped. Deterministic.
 */
export function reportHtml(input: ReportInput): string {
  const { title, blocks } = buildBlocks(input);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>\n${PAGE_CSS}\n${CHART_CSS}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...htmlBlocks(blocks),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
