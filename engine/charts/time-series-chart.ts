/**
 * Multi-series line chart over calendar days: cumulative cards issued against the 87 M target, daily
 * demand, counter backlog. `(data, options) → SVG string`, pure and deterministic, no DOM.
 *
 * - x: ISO days `YYYY-MM-DD` (UTC). A series either follows `data.dates` (one value per date, `null`
 *   for a gap) or brings its own `dates` — use that for sparse official observations drawn as dots.
 * - y: numbers; `yFormat: "millions"` with `yLabel: "cards issued (millions)"` is the usual pairing.
 * - Series kinds: `"line"`, `"step"` (value holds until the next date), `"points"` (dots, each with
 *   its own tooltip). Isolated values in a line (no defined neighbour) are drawn as small dots so a
 *   single observation is never invisible.
 * - Optional confidence band (`lower`/`upper`), horizontal and vertical reference lines with labels.
 * - Tooltips without script: vertical strips whose `<title>` lists the date and every series' exact
 *   value; thinned for long series as described in `_time.ts` (≤ 1 strip per 3 px of plot width).
 * - No finite value at all → a valid SVG saying "No data".
 * @module
 */

import { line, curveLinear, curveStepAfter } from "d3-shape";
import { dashOption, el, esc, isNum, seriesColor, titleEl, valueFormatter, chartError, num } from "./_svg.js";
import type { LegendItem } from "./_axes.js";
import { finiteExtent, formatDay, parseDays, timeFrame } from "./_time.js";
import type { TimeAxisOptions } from "./_time.js";

/** One series. */
export interface TimeSeries {
  /** Legend and tooltip name. */
  name: string;
  /** Values, aligned with `dates` (own) or `data.dates`; `null`/`undefined`/non-finite = no value. */
  values: ReadonlyArray<number | null | undefined>;
  /** Own ISO dates (strictly increasing), e.g. sparse official observations. Default `data.dates`. */
  dates?: readonly string[];
  /** `"line"` (default), `"step"` (step-after) or `"points"` (dots with per-point tooltips). */
  kind?: "line" | "step" | "points";
  /** Colour; default the palette colour for the series index. */
  color?: string;
  /** `stroke-dasharray` such as `"6 3"`. */
  dash?: string;
  /** Line width in px (default 2). For `"points"`, the dot radius is 1.75 × this. */
  strokeWidth?: number;
}

/** A shaded band between two bounds, e.g. a 95 % confidence interval across replications. */
export interface TimeBand {
  /** Legend and tooltip name (default "band"). */
  name?: string;
  lower: ReadonlyArray<number | null | undefined>;
  upper: ReadonlyArray<number | null | undefined>;
  /** Own ISO dates; default `data.dates`. */
  dates?: readonly string[];
  /** Fill colour (default: the first series' colour). */
  color?: string;
  /** Fill opacity (default 0.18). */
  opacity?: number;
}

/** Input of {@link timeSeriesChart}. */
export interface TimeSeriesData {
  /** The shared x positions, ISO days, strictly increasing. Tooltip strips are built on these. */
  dates: readonly string[];
  series: readonly TimeSeries[];
  band?: TimeBand;
}

/** Options of {@link timeSeriesChart}: everything in {@link TimeAxisOptions}. */
export type TimeSeriesChartOptions = TimeAxisOptions;

interface Prepared {
  s: TimeSeries;
  t: number[];
  ownDates: boolean;
  color: string;
  dash: string | undefined;
  width: number;
  kind: "line" | "step" | "points";
  /** ms → index, for tooltip lookup of own-date series. */
  byTime: Map<number, number> | null;
}

function checkValues(values: unknown, n: number, where: string): void {
  if (!Array.isArray(values)) chartError(`${where} must be an array`);
  if (values.length !== n) chartError(`${where} has ${values.length} values but there are ${n} dates`);
}

/**
 * Draws a multi-series time chart.
 * @param data dates, series and an optional band (see {@link TimeSeriesData})
 * @param options title, axis labels, formats, rules, domains, size (see {@link TimeAxisOptions})
 * @returns a standalone `<svg>` document as a string
 * @throws {TwinError} `E_CHART` on malformed dates, mismatched lengths or bad options (message names the field)
 * @example
 * timeSeriesChart(
 *   { dates: ["2016-01-31", "2016-02-29"], series: [{ name: "issued", values: [1.2e6, 2.5e6] }] },
 *   { title: "Cards issued", yLabel: "cards issued (millions)", yFormat: "millions",
 *     hRules: [{ value: 87e6, label: "target 87 M" }], vRules: [{ date: "2020-03-31", label: "FY2019 end" }] },
 * );
 */
export function timeSeriesChart(data: TimeSeriesData, options: TimeSeriesChartOptions = {}): string {
  if (data === null || typeof data !== "object") chartError("data must be an object { dates, series }");
  const dates = parseDays(data.dates ?? [], "data.dates");
  const seriesIn = data.series ?? [];
  if (!Array.isArray(seriesIn)) chartError("data.series must be an array");

  const prepared: Prepared[] = seriesIn.map((s, i) => {
    const where = `data.series[${i}]`;
    if (s === null || typeof s !== "object" || typeof s.name !== "string")
      chartError(`${where}.name must be a string`);
    const own = s.dates !== undefined;
    const t = own ? parseDays(s.dates as readonly string[], `${where}.dates`) : dates;
    checkValues(s.values, t.length, `${where}.values`);
    const kind = s.kind ?? "line";
    if (kind !== "line" && kind !== "step" && kind !== "points")
      chartError(`${where}.kind must be "line", "step" or "points", got ${JSON.stringify(kind)}`);
    const width = s.strokeWidth ?? 2;
    if (!isNum(width) || width <= 0) chartError(`${where}.strokeWidth must be a positive number`);
    return {
      s,
      t,
      ownDates: own,
      color: seriesColor(s.color, i),
      dash: dashOption(s.dash, where),
      width,
      kind,
      byTime: own ? new Map(t.map((ms, k) => [ms, k])) : null,
    };
  });

  const band = data.band;
  let bandT: number[] = dates;
  if (band !== undefined) {
    bandT = band.dates !== undefined ? parseDays(band.dates, "data.band.dates") : dates;
    checkValues(band.lower, bandT.length, "data.band.lower");
    checkValues(band.upper, bandT.length, "data.band.upper");
  }
  const bandColor = band?.color ?? prepared[0]?.color ?? seriesColor(undefined, 0);
  const bandName = band?.name ?? "band";

  const columns = [
    ...prepared.map((p) => ({ t: p.t, v: p.s.values })),
    ...(band
      ? [
          { t: bandT, v: band.lower },
          { t: bandT, v: band.upper },
        ]
      : []),
  ];
  const extraDates = [
    ...prepared.filter((p) => p.ownDates).flatMap((p) => p.t),
    ...(band?.dates ? bandT : []),
  ];

  const legendItems: LegendItem[] = prepared.map((p) =>
    p.kind === "points"
      ? { label: p.s.name, color: p.color, shape: "dot" }
      : { label: p.s.name, color: p.color, shape: "line", dash: p.dash, strokeWidth: p.width },
  );
  if (band)
    legendItems.push({ label: bandName, color: bandColor, shape: "square", opacity: band.opacity ?? 0.18 });

  const fmtDesc = valueFormatter(options.tooltipFormat);
  const description = describe(prepared, dates, fmtDesc, options.title);

  return timeFrame({
    kind: "time-series",
    options,
    dates,
    extraDates,
    yExtent: (lo, hi) => finiteExtent(columns, lo, hi),
    legendItems,
    description,
    marks: (x, y) => {
      const out: string[] = [];
      if (band) {
        const lo = band.lower;
        const hi = band.upper;
        const defined = (i: number) => isNum(lo[i]) && isNum(hi[i]);
        const px = (i: number) => x(new Date(bandT[i] as number));
        out.push(
          bandPath(
            bandT.length,
            defined,
            px,
            (i) => y(lo[i] as number),
            (i) => y(hi[i] as number),
            bandColor,
            band.opacity ?? 0.18,
          ),
        );
      }
      for (const p of prepared) {
        if (p.kind === "points") continue;
        const v = p.s.values;
        const defined = (i: number) => isNum(v[i]);
        const gen = line<number>()
          .defined(defined)
          .x((i) => x(new Date(p.t[i] as number)))
          .y((i) => y(v[i] as number))
          .curve(p.kind === "step" ? curveStepAfter : curveLinear)
          .digits(2);
        const idx = p.t.map((_, i) => i);
        const d = gen(idx);
        if (d) {
          out.push(
            el("path", {
              class: "mt-series mt-line",
              d,
              fill: "none",
              stroke: p.color,
              "stroke-width": p.width,
              "stroke-dasharray": p.dash,
              "stroke-linejoin": "round",
              "stroke-linecap": "round",
            }),
          );
        }
        // isolated values: a dot, so a lone observation is visible
        for (let i = 0; i < idx.length; i++) {
          if (defined(i) && !(i > 0 && defined(i - 1)) && !(i + 1 < idx.length && defined(i + 1))) {
            out.push(
              el("circle", {
                class: "mt-isolated",
                cx: x(new Date(p.t[i] as number)),
                cy: y(v[i] as number),
                r: p.width + 1,
                fill: p.color,
              }),
            );
          }
        }
      }
      return out;
    },
    topMarks: (x, y) => {
      const out: string[] = [];
      for (const p of prepared) {
        if (p.kind !== "points") continue;
        const [d0, d1] = x.domain() as [Date, Date];
        out.push(`<g class="mt-series mt-points" fill="${esc(p.color)}" stroke="#ffffff" stroke-width="1">`);
        for (let i = 0; i < p.t.length; i++) {
          const v = p.s.values[i];
          const t = p.t[i] as number;
          if (!isNum(v) || t < d0.getTime() || t > d1.getTime()) continue;
          out.push(
            el(
              "circle",
              { cx: x(new Date(t)), cy: y(v), r: p.width * 1.75 },
              titleEl(`${p.s.name}\n${formatDay(t)}: ${fmtDesc(v)}`),
            ),
          );
        }
        out.push("</g>");
      }
      return out;
    },
    tooltipLines: (i, fmt) => {
      const t = dates[i] as number;
      const lines: string[] = [];
      for (const p of prepared) {
        const k = p.byTime ? p.byTime.get(t) : i;
        if (p.ownDates && k === undefined) continue;
        const v = k === undefined ? undefined : p.s.values[k];
        lines.push(`${p.s.name}: ${isNum(v) ? fmt(v) : "–"}`);
      }
      if (band) {
        const k = band.dates ? bandT.indexOf(t) : i;
        const lo = k >= 0 ? band.lower[k] : undefined;
        const hi = k >= 0 ? band.upper[k] : undefined;
        if (isNum(lo) && isNum(hi)) lines.push(`${bandName}: ${fmt(lo)} – ${fmt(hi)}`);
      }
      return lines;
    },
  });
}

/** A closed band polygon per defined run (like d3 `area`, written directly). */
function bandPath(
  n: number,
  defined: (i: number) => boolean,
  px: (i: number) => number,
  lo: (i: number) => number,
  hi: (i: number) => number,
  color: string,
  opacity: number,
): string {
  let d = "";
  let i = 0;
  while (i < n) {
    while (i < n && !defined(i)) i++;
    const start = i;
    while (i < n && defined(i)) i++;
    const end = i; // exclusive
    if (end - start < 1) continue;
    let run = "";
    for (let k = start; k < end; k++) run += `${k === start ? "M" : "L"}${num(px(k))},${num(hi(k))}`;
    for (let k = end - 1; k >= start; k--) run += `L${num(px(k))},${num(lo(k))}`;
    d += run + "Z";
  }
  if (d === "") return "";
  return el("path", { class: "mt-band", d, fill: color, "fill-opacity": opacity, stroke: "none" });
}

function describe(
  prepared: readonly Prepared[],
  dates: readonly number[],
  fmt: (v: number) => string,
  title: string | undefined,
): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const list of [dates, ...prepared.map((p) => p.t)]) {
    if (list.length === 0) continue;
    lo = Math.min(lo, list[0] as number);
    hi = Math.max(hi, list[list.length - 1] as number);
  }
  if (lo > hi) return `${title ? title + ": " : ""}no data.`;
  const first = formatDay(lo);
  const last = formatDay(hi);
  const parts = prepared.map((p) => {
    for (let i = p.s.values.length - 1; i >= 0; i--) {
      const v = p.s.values[i];
      if (isNum(v)) return `${p.s.name} (last ${fmt(v)} on ${formatDay(p.t[i] as number)})`;
    }
    return `${p.s.name} (no values)`;
  });
  return `Time chart of ${prepared.length} series from ${first} to ${last}: ${parts.join("; ")}.`;
}
