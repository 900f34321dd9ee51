/**
 * Internal frame shared by the charts whose x axis is calendar days (time series, percentile bands,
 * stacked areas): ISO date parsing, the UTC x scale and its ticks, the y scale, reference lines,
 * legend placement, clipping, and the script-free hover tooltips.
 *
 * Dates are ISO calendar days `YYYY-MM-DD`, read as UTC midnight; no local time zone is ever consulted.
 *
 * Tooltip rule. Hovering shows a native `<title>` tooltip with the date and the exact value of every
 * series. The plot area is cut into vertical strips, one per representative day. To bound the output
 * size, there is at most one strip per `tooltipMinPx` pixels of plot width (default 3): with `n` days
 * and a plot `w` px wide the stride is `ceil(n / floor(w / tooltipMinPx))` days, the representative
 * days are indices 0, stride, 2·stride, … and each strip reports the exact values of its representative
 * day (not an average). So 3,650 days on the default 960-px chart give about 290 strips (stride 13),
 * a few tens of kB whatever the series count; series of up to ~290 days get one strip per day.
 *
 * For a page that adds an instant, keyboard-driven crosshair (the dashboard), each strip carries its
 * day in `data-date` and the root `<svg>` its plot box (`data-plot="left top right bottom"`, viewBox
 * units) and x domain (`data-x-domain="first last"`): charts drawn with the same `xDomain`, `width`
 * and `margin` share x pixels, so one x position names the same day in each of them.
 *
 * Annotations (`options.annotations`) mark events on the date axis — a campaign's window, a
 * deadline, an outage — as a shaded span or a line, labelled along the top of the plot where the
 * label fits (every one keeps its `<title>` and `data-*` for a page to list).
 * @module
 */

import { scaleLinear, scaleUtc } from "d3-scale";
import type { ScaleLinear, ScaleTime } from "d3-scale";
import { utcFormat } from "d3-time-format";
import { epochDayOf, isCalendarDate } from "../calendar.js";
import {
  checkDomain,
  FONT,
  INK,
  chartError,
  chartId,
  clamp,
  dashOption,
  el,
  esc,
  isNum,
  noDataDocument,
  num,
  resolveMargin,
  sizeOption,
  svgDocument,
  textWidth,
  tickFormatter,
  titleBlockHeight,
  titleEl,
  valueFormatter,
} from "./_svg.js";
import { axisBottom, axisLeft, legend, legendHeight, tickCount } from "./_axes.js";
import type { CommonChartOptions, NumberFormat } from "./_svg.js";
import type { LegendItem, Tick } from "./_axes.js";

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/**
 * Parses an ISO calendar day `YYYY-MM-DD` to epoch milliseconds at UTC midnight.
 * @throws {TwinError} `E_CHART` naming `where` when the string is not a real calendar day.
 */
export function parseDay(text: string, where: string): number {
  if (isCalendarDate(text)) return epochDayOf(text) * DAY_MS;
  return chartError(`${where} must be an ISO date YYYY-MM-DD, got ${JSON.stringify(text)}`);
}

const isoDay = utcFormat("%Y-%m-%d");

/** Formats epoch milliseconds as `YYYY-MM-DD` (UTC). */
export function formatDay(ms: number): string {
  return isoDay(new Date(ms));
}

/** Parses a list of dates that must be strictly increasing. */
export function parseDays(dates: readonly string[], where: string): number[] {
  if (!Array.isArray(dates)) chartError(`${where} must be an array of ISO dates`);
  const out = new Array<number>(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const t = parseDay(dates[i] as string, `${where}[${i}]`);
    if (i > 0 && t <= (out[i - 1] as number))
      chartError(
        `${where} must be strictly increasing; ${where}[${i}] = ${dates[i]} is not after ${dates[i - 1]}`,
      );
    out[i] = t;
  }
  return out;
}

/** A horizontal reference line, e.g. the 87,000,000-card target. */
export interface HRule {
  /** Position on the y axis, in data units. */
  value: number;
  /** Text written above the right end of the line. */
  label?: string;
  /** Stroke colour (default near-black). */
  color?: string;
  /** `stroke-dasharray` (default `"6 4"`; `""` for solid). */
  dash?: string;
}

/** A vertical reference line, e.g. the 2020-03-31 target date. */
export interface VRule {
  /** ISO day `YYYY-MM-DD`. */
  date: string;
  /** Text written at the top of the line. */
  label?: string;
  color?: string;
  /** `stroke-dasharray` (default `"6 4"`; `""` for solid). */
  dash?: string;
}

/** An event drawn on the date axis: a window (`end` after `start`) or a day. */
export interface TimeAnnotation {
  /** First day, ISO `YYYY-MM-DD`. */
  start: string;
  /** Last day (inclusive); absent or equal to `start` for a one-day event. */
  end?: string;
  /** What happened, e.g. "Mynapoint 1 campaign". */
  label: string;
  /** Kind, written as `data-kind` (e.g. `campaign`, `deadline`, `outage`); decides the default colour. */
  kind?: string;
  /** Colour (default by kind). */
  color?: string;
}

const ANNOTATION_COLORS: Record<string, string> = {
  campaign: "#59a14f",
  deadline: "#b07aa1",
  outage: "#e15759",
};

/** Options of every chart with a calendar x axis. */
export interface TimeAxisOptions extends CommonChartOptions {
  /** Label of the x axis (default none: dates speak for themselves). */
  xLabel?: string;
  /** Label of the y axis, with units, e.g. `"cards issued (millions)"`. Written above the axis. */
  yLabel?: string;
  /** Format of y tick labels (see {@link NumberFormat}); default grouped plain numbers. */
  yFormat?: NumberFormat;
  /** Format of values in tooltips; default exact (grouped integer, or up to 4 decimals). */
  tooltipFormat?: NumberFormat;
  /** d3-time-format (UTC) specifier for x ticks; default chosen from the ticks (years, months or days; see `dayTicks`). */
  xTickFormat?: string;
  /**
   * Fixed x range `[first, last]` as ISO days. Give two charts the same `xDomain`, `width` and
   * `margin` and their x pixels line up. Default: the extent of all dates and vertical rules.
   */
  xDomain?: readonly [string, string];
  /** Fixed y range; default: the data, the rules and (with `yZero`) zero, extended to nice values. */
  yDomain?: readonly [number, number];
  /** Include zero in the automatic y range (default true). */
  yZero?: boolean;
  /** Explicit y tick values (e.g. one per category row); default chosen by the scale. */
  yTicks?: readonly number[];
  /** Horizontal reference lines. Their values are included in the automatic y range. */
  hRules?: readonly HRule[];
  /** Vertical reference lines. Their dates are included in the automatic x range. */
  vRules?: readonly VRule[];
  /** Show the legend (default: when there is more than one entry). */
  legend?: boolean;
  /** Hover tooltips (default true). */
  tooltips?: boolean;
  /** Minimum width of a tooltip strip in px; see the module comment for the thinning rule (default 3). */
  tooltipMinPx?: number;
  /** Events drawn on the date axis (not included in the automatic x range). */
  annotations?: readonly TimeAnnotation[];
}

/** What a time chart hands to {@link timeFrame}. */
export interface TimeFrameInput {
  kind: string;
  options: TimeAxisOptions;
  /** Base dates (ms, strictly increasing): tooltip strips are built on them. */
  dates: readonly number[];
  /** Other dates that should fall inside the automatic x range (own-date series). */
  extraDates: readonly number[];
  /**
   * Smallest and largest finite y value among the points dated within `[lo, hi]` (ms), or null when
   * nothing finite falls there. Called once with the final x range, so a narrow `xDomain` also narrows
   * the automatic y range.
   */
  yExtent: (lo: number, hi: number) => readonly [number, number] | null;
  legendItems: readonly LegendItem[];
  /** Marks drawn clipped to the plot area, under the tooltip strips. */
  marks: (x: ScaleTime<number, number>, y: ScaleLinear<number, number>) => string[];
  /** Marks drawn clipped, above the strips (so their own `<title>`s win), e.g. observation dots. */
  topMarks?: (x: ScaleTime<number, number>, y: ScaleLinear<number, number>) => string[];
  /** Tooltip lines (after the date line) for base date index `i`. */
  tooltipLines: (i: number, fmt: (v: number) => string) => string[];
  /** `<desc>` text when the caller gave none. */
  description: string;
}

const DEFAULT_WIDTH = 960;
const DEFAULT_HEIGHT = 420;

const fmtYear = utcFormat("%Y");
const fmtMonth = utcFormat("%b");
const fmtMonthYear = utcFormat("%b %Y");
const fmtDay = utcFormat("%b %-d");
const fmtDayYear = utcFormat("%b %-d, %Y");

/**
 * Default tick labels, chosen from what the ticks fall on: years (`2016`); months (`Apr`, with the year
 * on the first tick and on each January: `Jan 2017`); days (`Mar 31`, with the year on the first tick
 * and where the year changes).
 */
function defaultDayLabels(ticks: readonly Date[]): string[] {
  if (ticks.every((d) => d.getUTCMonth() === 0 && d.getUTCDate() === 1)) return ticks.map(fmtYear);
  const monthly = ticks.every((d) => d.getUTCDate() === 1);
  return ticks.map((d, k) => {
    const prev = ticks[k - 1];
    const newYear = prev === undefined || prev.getUTCFullYear() !== d.getUTCFullYear();
    if (monthly) return newYear || d.getUTCMonth() === 0 ? fmtMonthYear(d) : fmtMonth(d);
    return newYear ? fmtDayYear(d) : fmtDay(d);
  });
}

/**
 * x ticks on whole days only (never hours). Starts at about one tick per 100 px and lowers the count
 * until the widest label fits between neighbouring ticks with 12 px to spare.
 */
export function dayTicks(x: ScaleTime<number, number>, width: number, spec: string | undefined): Tick[] {
  const custom = spec !== undefined ? utcFormat(spec) : undefined;
  let best: Tick[] = [];
  for (let count = tickCount(width, 100); count >= 1; count--) {
    const ticks = x.ticks(count).filter((d) => d.getTime() % DAY_MS === 0);
    const labels = custom ? ticks.map(custom) : defaultDayLabels(ticks);
    const out = ticks.map((d, k) => ({ pos: x(d), label: labels[k] as string }));
    best = out;
    let minGap = Infinity;
    for (let k = 1; k < out.length; k++)
      minGap = Math.min(minGap, (out[k] as Tick).pos - (out[k - 1] as Tick).pos);
    const widest = Math.max(0, ...labels.map((l) => textWidth(l, FONT.tick)));
    if (out.length <= 2 || widest + 12 <= minGap) break;
  }
  return best;
}

/** Renders a complete chart with a calendar x axis; see {@link TimeFrameInput}. */
export function timeFrame(input: TimeFrameInput): string {
  const o = input.options;
  const id = chartId(o.id, input.kind, o.title);
  const width = sizeOption(o.width, DEFAULT_WIDTH, "width");
  const height = sizeOption(o.height, DEFAULT_HEIGHT, "height");
  const hRules = (o.hRules ?? []).map((r, i) => {
    if (!isNum(r.value))
      chartError(`options.hRules[${i}].value must be a finite number, got ${String(r.value)}`);
    return { ...r, dash: r.dash === "" ? undefined : (dashOption(r.dash, `options.hRules[${i}]`) ?? "6 4") };
  });
  const vRules = (o.vRules ?? []).map((r, i) => ({
    ...r,
    t: parseDay(r.date, `options.vRules[${i}].date`),
    dash: r.dash === "" ? undefined : (dashOption(r.dash, `options.vRules[${i}]`) ?? "6 4"),
  }));

  const annotations = checkAnnotations(o.annotations ?? []);

  // x domain
  let x0: number;
  let x1: number;
  if (o.xDomain !== undefined) {
    if (!Array.isArray(o.xDomain) || o.xDomain.length !== 2)
      chartError("options.xDomain must be [first, last] ISO dates");
    x0 = parseDay(o.xDomain[0], "options.xDomain[0]");
    x1 = parseDay(o.xDomain[1], "options.xDomain[1]");
    if (x1 < x0) chartError(`options.xDomain must be increasing, got [${o.xDomain[0]}, ${o.xDomain[1]}]`);
  } else {
    x0 = Infinity;
    x1 = -Infinity;
    for (const list of [input.dates, input.extraDates, vRules.map((r) => r.t)]) {
      for (const t of list) {
        if (t < x0) x0 = t;
        if (t > x1) x1 = t;
      }
    }
  }
  const extent = Number.isFinite(x0) ? input.yExtent(x0, x1) : null;
  if (extent === null) {
    const reason =
      Number.isFinite(x0) && o.xDomain !== undefined ? "nothing in the selected date range" : undefined;
    return noDataDocument({ id, kind: input.kind, width, height, title: o.title, reason });
  }
  if (x0 === x1) {
    x0 -= DAY_MS;
    x1 += DAY_MS;
  }

  // layout
  const fmtTip = valueFormatter(o.tooltipFormat);
  const showLegend = o.legend ?? input.legendItems.length > 1;
  const defaultsLeft = 64;
  const defaultsRight = 24;
  const innerGuess = width - (o.margin?.left ?? defaultsLeft) - (o.margin?.right ?? defaultsRight);
  const legendItems = showLegend ? input.legendItems : [];
  const legendTop = titleBlockHeight(o.title);
  const legH = legendHeight(legendItems, Math.max(100, innerGuess));
  const margin = resolveMargin(o.margin, {
    top: legendTop + legH + (o.yLabel ? 30 : 14),
    right: defaultsRight,
    bottom: o.xLabel ? 52 : 32,
    left: defaultsLeft,
  });
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  if (innerW < 10 || innerH < 10)
    chartError(
      `options.width/height leave no room for the plot (${num(innerW)}×${num(innerH)} px inside the margins)`,
    );
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;

  const x = scaleUtc()
    .domain([new Date(x0), new Date(x1)])
    .range([left, right]);

  // y domain
  let y0: number;
  let y1: number;
  if (o.yDomain !== undefined) {
    [y0, y1] = checkDomain(o.yDomain, "yDomain");
  } else {
    [y0, y1] = extent;
    for (const r of hRules) {
      y0 = Math.min(y0, r.value);
      y1 = Math.max(y1, r.value);
    }
    if (o.yZero ?? true) {
      y0 = Math.min(0, y0);
      y1 = Math.max(0, y1);
    }
    if (y0 === y1) {
      const pad = y0 === 0 ? 1 : Math.abs(y0) * 0.1;
      y0 -= y0 === 0 ? 0 : pad;
      y1 += pad;
    }
  }
  const yCount = tickCount(innerH, 55);
  const y = scaleLinear().domain([y0, y1]).range([bottom, top]);
  if (o.yDomain === undefined) y.nice(yCount);
  if (o.yTicks !== undefined && (!Array.isArray(o.yTicks) || !o.yTicks.every(isNum)))
    chartError("options.yTicks must be an array of finite numbers");
  const yTickValues = o.yTicks ? [...o.yTicks] : y.ticks(yCount);
  const yFmt = tickFormatter(o.yFormat, yTickValues);

  const body: string[] = [];
  if (legendItems.length > 0) body.push(legend(legendItems, left, legendTop, Math.max(100, innerW)).svg);
  body.push(
    axisLeft({
      ticks: yTickValues.map((v) => ({ pos: y(v), label: yFmt(v) })),
      x: left,
      y0: top,
      y1: bottom,
      gridRight: right,
      label: o.yLabel,
      labelX: Math.max(4, left - 56),
      labelY: top - 14,
    }),
  );
  body.push(
    axisBottom({
      ticks: dayTicks(x, innerW, o.xTickFormat),
      y: bottom,
      x0: left,
      x1: right,
      label: o.xLabel,
    }),
  );

  const clipId = `${id}-clip`;
  const defs = [
    `<clipPath id="${clipId}">${el("rect", { x: left - 6, y: top - 6, width: innerW + 12, height: innerH + 6 })}</clipPath>`,
  ];
  if (annotations.length > 0) body.push(annotationMarks(annotations, x, top, bottom, left, right));
  body.push(`<g class="mt-marks" clip-path="url(#${clipId})">`, ...input.marks(x, y), "</g>");

  // reference lines
  if (hRules.length + vRules.length > 0) {
    body.push(`<g class="mt-rules" font-size="${FONT.note}">`);
    for (const r of hRules) {
      const py = y(r.value);
      if (py < top - 0.5 || py > bottom + 0.5) continue;
      body.push(
        el("line", {
          class: "mt-rule",
          x1: left,
          x2: right,
          y1: py,
          y2: py,
          stroke: r.color ?? INK,
          "stroke-width": 1.5,
          "stroke-dasharray": r.dash,
        }),
      );
      if (r.label) body.push(haloText(r.label, right - 4, py - 6, "end", r.color ?? INK));
    }
    for (const r of vRules) {
      const px = x(r.t);
      if (px < left - 0.5 || px > right + 0.5) continue;
      body.push(
        el("line", {
          class: "mt-rule",
          x1: px,
          x2: px,
          y1: top,
          y2: bottom,
          stroke: r.color ?? INK,
          "stroke-width": 1.5,
          "stroke-dasharray": r.dash,
        }),
      );
      if (r.label) {
        const nearRight = px > left + innerW * 0.75;
        body.push(
          haloText(
            r.label,
            nearRight ? px - 5 : px + 5,
            top + 12,
            nearRight ? "end" : "start",
            r.color ?? INK,
          ),
        );
      }
    }
    body.push("</g>");
  }

  // tooltip strips
  if (o.tooltips ?? true) {
    const minPx = sizeOption(o.tooltipMinPx, 3, "tooltipMinPx");
    body.push(
      tooltipStrips(input.dates, x, top, bottom, left, right, minPx, (i) => input.tooltipLines(i, fmtTip)),
    );
  }
  if (input.topMarks)
    body.push(`<g class="mt-marks mt-top" clip-path="url(#${clipId})">`, ...input.topMarks(x, y), "</g>");

  return svgDocument({
    id,
    kind: input.kind,
    width,
    height,
    title: o.title,
    description: o.description ?? input.description,
    body,
    defs,
    rootAttrs: {
      "data-plot": `${num(left)} ${num(top)} ${num(right)} ${num(bottom)}`,
      "data-x-domain": `${formatDay(x0)} ${formatDay(x1)}`,
    },
  });
}

/**
 * The annotation layer alone, for a chart already drawn: markup of {@link TimeAnnotation}s over a
 * plot box and x domain (as read back from a chart's `data-plot` / `data-x-domain`), so a page can add
 * events to charts it did not draw itself. Same marks as the `annotations` option.
 * @throws {TwinError} `E_CHART` on a malformed annotation
 */
export function annotationLayer(
  annotations: readonly TimeAnnotation[],
  frame: { left: number; top: number; right: number; bottom: number; t0: number; t1: number },
): string {
  const list = checkAnnotations(annotations);
  if (list.length === 0) return "";
  const x = scaleUtc()
    .domain([new Date(frame.t0), new Date(frame.t1 > frame.t0 ? frame.t1 : frame.t0 + DAY_MS)])
    .range([frame.left, frame.right]);
  return annotationMarks(list, x, frame.top, frame.bottom, frame.left, frame.right);
}

function checkAnnotations(
  given: readonly TimeAnnotation[],
): (TimeAnnotation & { t0: number; t1: number; color: string })[] {
  if (!Array.isArray(given)) chartError("options.annotations must be an array");
  return given.map((a, i) => {
    if (a === null || typeof a !== "object" || typeof a.label !== "string")
      chartError(`options.annotations[${i}].label must be a string`);
    const t0 = parseDay(a.start, `options.annotations[${i}].start`);
    const t1 = a.end === undefined ? t0 : parseDay(a.end, `options.annotations[${i}].end`);
    if (t1 < t0) chartError(`options.annotations[${i}].end ${a.end} is before its start ${a.start}`);
    return { ...a, t0, t1, color: a.color ?? ANNOTATION_COLORS[a.kind ?? ""] ?? "#9c755f" };
  });
}

/**
 * Event marks: a translucent span per window, a solid line per one-day event, each with a `<title>`
 * and `data-start`/`data-end`/`data-label`; labels along the top in up to two lanes, each written
 * only where it does not overlap the previous label of its lane.
 */
function annotationMarks(
  list: readonly (TimeAnnotation & { t0: number; t1: number; color: string })[],
  x: ScaleTime<number, number>,
  top: number,
  bottom: number,
  left: number,
  right: number,
): string {
  const out: string[] = [`<g class="mt-annotations" font-size="${FONT.note}">`];
  const laneEnd = [-Infinity, -Infinity];
  const sorted = [...list].sort((a, b) => a.t0 - b.t0 || a.t1 - b.t1);
  for (const a of sorted) {
    const xa = x(new Date(a.t0));
    // a window covers its last day: it ends where the next day begins
    const xb = a.t1 > a.t0 ? x(new Date(a.t1 + DAY_MS)) : xa;
    // a window that ends the day before the domain starts covers none of it
    if (xb < left || xa > right || (a.t1 > a.t0 && xb <= left)) continue;
    const ca = clamp(xa, left, right);
    const cb = clamp(xb, left, right);
    const span = a.t1 > a.t0;
    const text = `${a.label}: ${formatDay(a.t0)}${span ? ` – ${formatDay(a.t1)}` : ""}`;
    const parts: string[] = [titleEl(text)];
    if (span)
      parts.push(
        el("rect", {
          x: ca,
          y: top,
          width: Math.max(1, cb - ca),
          height: bottom - top,
          fill: a.color,
          "fill-opacity": 0.1,
        }),
      );
    else
      parts.push(
        el("line", {
          x1: ca,
          x2: ca,
          y1: top,
          y2: bottom,
          stroke: a.color,
          "stroke-width": 1.25,
          "stroke-opacity": 0.8,
        }),
      );
    const label = a.label;
    const w = textWidth(label, FONT.note) + 6;
    const lx = ca + 3;
    const lane = laneEnd.findIndex((end) => lx > end);
    if (lane >= 0 && lx + w <= right) {
      laneEnd[lane] = lx + w;
      parts.push(
        el(
          "text",
          {
            class: "mt-annotation-label",
            x: lx,
            y: bottom - 6 - lane * 13,
            fill: a.color,
            stroke: "#ffffff",
            "stroke-width": 3,
            "paint-order": "stroke",
          },
          esc(label),
        ),
      );
    }
    out.push(
      el(
        "g",
        {
          class: "mt-annotation",
          "data-kind": a.kind,
          "data-start": formatDay(a.t0),
          "data-end": formatDay(a.t1),
          "data-label": a.label,
        },
        parts.join(""),
      ),
    );
  }
  out.push("</g>");
  return out.join("\n");
}

/** Text with a white halo, readable over lines and grid. */
export function haloText(
  text: string,
  x: number,
  y: number,
  anchor: "start" | "middle" | "end",
  color: string,
): string {
  return el(
    "text",
    {
      class: "mt-rule-label",
      x,
      y,
      "text-anchor": anchor,
      fill: color,
      stroke: "#ffffff",
      "stroke-width": 3,
      "stroke-linejoin": "round",
      "paint-order": "stroke",
    },
    esc(text),
  );
}

/** Representative base-date indices for tooltip strips (see the module comment). */
export function stripIndices(
  dates: readonly number[],
  lo: number,
  hi: number,
  plotWidth: number,
  minPx: number,
): number[] {
  const inside: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i] as number;
    if (t >= lo && t <= hi) inside.push(i);
  }
  const maxStrips = Math.max(1, Math.floor(plotWidth / minPx));
  const stride = Math.max(1, Math.ceil(inside.length / maxStrips));
  const reps: number[] = [];
  for (let k = 0; k < inside.length; k += stride) reps.push(inside[k] as number);
  return reps;
}

function tooltipStrips(
  dates: readonly number[],
  x: ScaleTime<number, number>,
  top: number,
  bottom: number,
  left: number,
  right: number,
  minPx: number,
  lines: (i: number) => string[],
): string {
  const [d0, d1] = x.domain() as [Date, Date];
  const reps = stripIndices(dates, d0.getTime(), d1.getTime(), right - left, minPx);
  if (reps.length === 0) return "";
  const out: string[] = [`<g class="mt-tooltips" fill="#000000" fill-opacity="0">`];
  const pos = reps.map((i) => x(new Date(dates[i] as number)));
  for (let k = 0; k < reps.length; k++) {
    const p = pos[k] as number;
    const a = k === 0 ? left : (p + (pos[k - 1] as number)) / 2;
    const b = k === reps.length - 1 ? right : (p + (pos[k + 1] as number)) / 2;
    const xa = clamp(a, left, right);
    const xb = clamp(b, left, right);
    if (xb - xa <= 0) continue;
    const i = reps[k] as number;
    const text = [formatDay(dates[i] as number), ...lines(i)].join("\n");
    out.push(
      el(
        "rect",
        {
          class: "mt-hit",
          "data-date": formatDay(dates[i] as number),
          x: xa,
          y: top,
          width: xb - xa,
          height: bottom - top,
        },
        titleEl(text),
      ),
    );
  }
  out.push("</g>");
  return out.join("\n");
}

/** One column of y values with its dates (ms), for {@link finiteExtent}. */
export interface DatedValues {
  t: readonly number[];
  v: ReadonlyArray<number | null | undefined>;
}

/**
 * Finite min/max of the values dated within `[lo, hi]` (nulls and non-finite values skipped); null
 * when there is none.
 */
export function finiteExtent(
  columns: Iterable<DatedValues>,
  lo = -Infinity,
  hi = Infinity,
): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const { t, v } of columns) {
    for (let i = 0; i < v.length; i++) {
      const y = v[i];
      const x = t[i] as number;
      if (!isNum(y) || x < lo || x > hi) continue;
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  return min <= max ? [min, max] : null;
}
