/**
 * Stacked areas over calendar days: the backlog of each pipeline stage (awaiting aggregation, at the
 * factory, in transit, awaiting pick-up at the counter…) adding up to the total work in progress. With
 * `stacked: false` the same data is drawn as overlapping translucent areas from zero, each outlined.
 *
 * Stacking uses d3-shape `stack` with the diverging offset: values should be ≥ 0 (backlogs are); a
 * negative value is stacked below zero instead of folding the areas over each other. In stacked mode a
 * missing value counts as 0 (the area does not break); in overlapping mode it leaves a gap.
 * Tooltip strips (see `_time.ts`) list every stage and, when stacked, the total.
 * @module
 */

import { area, line, stack, stackOffsetDiverging, stackOrderNone } from "d3-shape";
import { chartError, el, isNum, seriesColor, valueFormatter } from "./_svg.js";
import type { Series } from "d3-shape";
import type { LegendItem } from "./_axes.js";
import { finiteExtent, formatDay, parseDays, timeFrame } from "./_time.js";
import type { TimeAxisOptions } from "./_time.js";

/** One layer of the stack. */
export interface AreaSeries {
  name: string;
  /** One value per `data.dates` entry; `null`/non-finite = missing. */
  values: ReadonlyArray<number | null | undefined>;
  color?: string;
}

/** Input of {@link stackedAreaChart}. */
export interface StackedAreaData {
  /** ISO days, strictly increasing. */
  dates: readonly string[];
  /** Layers, bottom first. */
  series: readonly AreaSeries[];
}

/** Options of {@link stackedAreaChart}. */
export interface StackedAreaChartOptions extends TimeAxisOptions {
  /** Stack the layers (default true) or overlap them from zero. */
  stacked?: boolean;
  /** Fill opacity (default 0.85 stacked, 0.25 overlapping). */
  opacity?: number;
}

/**
 * Draws stacked (or overlapping) areas over time.
 * @param data dates and layers (bottom first)
 * @param options {@link TimeAxisOptions} plus `stacked` and `opacity`
 * @returns a standalone `<svg>` document as a string
 * @throws {TwinError} `E_CHART` on malformed dates, mismatched lengths or bad options
 * @example
 * stackedAreaChart(
 *   { dates: ["2016-01-01", "2016-01-02"], series: [{ name: "factory", values: [1e5, 2e5] }, { name: "counter", values: [5e4, 9e4] }] },
 *   { title: "Backlog by stage", yLabel: "cards in backlog (thousands)", yFormat: "thousands" },
 * );
 */
export function stackedAreaChart(data: StackedAreaData, options: StackedAreaChartOptions = {}): string {
  if (data === null || typeof data !== "object") chartError("data must be an object { dates, series }");
  const dates = parseDays(data.dates ?? [], "data.dates");
  const series = data.series ?? [];
  if (!Array.isArray(series)) chartError("data.series must be an array");
  series.forEach((s, i) => {
    if (s === null || typeof s !== "object" || typeof s.name !== "string")
      chartError(`data.series[${i}].name must be a string`);
    if (!Array.isArray(s.values)) chartError(`data.series[${i}].values must be an array`);
    if (s.values.length !== dates.length)
      chartError(
        `data.series[${i}].values has ${s.values.length} values but there are ${dates.length} dates`,
      );
  });
  const { stacked = true, opacity, ...rest } = options;
  const fillOpacity = opacity ?? (stacked ? 0.85 : 0.25);
  if (!isNum(fillOpacity) || fillOpacity < 0 || fillOpacity > 1)
    chartError(`options.opacity must be between 0 and 1, got ${String(opacity)}`);
  const colors = series.map((s, i) => seriesColor(s.color, i));
  const idx = dates.map((_, i) => i);
  const keys = series.map((_, k) => k);

  const hasAny = series.some((s) => s.values.some(isNum));
  let layers: Series<number, number>[] = [];
  let columns: { t: readonly number[]; v: ReadonlyArray<number | null | undefined> }[] = [];
  if (hasAny && stacked) {
    layers = stack<number, number>()
      .keys(keys)
      .value((i, k) => {
        const v = series[k]?.values[i];
        return isNum(v) ? v : 0;
      })
      .order(stackOrderNone)
      .offset(stackOffsetDiverging)(idx);
    columns = layers.flatMap((l) => [
      { t: dates, v: l.map((p) => p[0]) },
      { t: dates, v: l.map((p) => p[1]) },
    ]);
  } else if (hasAny) {
    columns = series.map((s) => ({ t: dates, v: s.values }));
  }

  const legendItems: LegendItem[] = series.map((s, i) => ({
    label: s.name,
    color: colors[i] as string,
    shape: "square",
    opacity: stacked ? fillOpacity : Math.max(fillOpacity, 0.5),
  }));
  const fmtDesc = valueFormatter(options.tooltipFormat);

  return timeFrame({
    kind: "stacked-area",
    options: rest,
    dates,
    extraDates: [],
    yExtent: (lo, hi) => finiteExtent(columns, lo, hi),
    legendItems,
    description: describe(series, dates, stacked, fmtDesc),
    marks: (x, y) => {
      const out: string[] = [];
      const px = (i: number) => x(new Date(dates[i] as number));
      if (stacked) {
        layers.forEach((layer, k) => {
          const d = area<[number, number]>()
            .x((_, i) => px(i))
            .y0((p) => y(p[0]))
            .y1((p) => y(p[1]))
            .digits(2)(layer.map((p) => [p[0], p[1]] as [number, number]));
          if (d)
            out.push(
              el("path", {
                class: "mt-series mt-area",
                d,
                fill: colors[k],
                "fill-opacity": fillOpacity,
                stroke: "#ffffff",
                "stroke-width": 0.5,
              }),
            );
        });
      } else {
        series.forEach((s, k) => {
          const defined = (i: number) => isNum(s.values[i]);
          const yv = (i: number) => y(s.values[i] as number);
          const d = area<number>().defined(defined).x(px).y0(y(0)).y1(yv).digits(2)(idx);
          const l = line<number>().defined(defined).x(px).y(yv).digits(2)(idx);
          if (d)
            out.push(
              el("path", {
                class: "mt-series mt-area",
                d,
                fill: colors[k],
                "fill-opacity": fillOpacity,
                stroke: "none",
              }),
            );
          if (l)
            out.push(
              el("path", {
                class: "mt-series-outline",
                d: l,
                fill: "none",
                stroke: colors[k],
                "stroke-width": 1.5,
              }),
            );
        });
      }
      return out;
    },
    tooltipLines: (i, fmt) => {
      const lines: string[] = [];
      let total = 0;
      for (const s of series) {
        const v = s.values[i];
        if (isNum(v)) total += v;
        lines.push(`${s.name}: ${isNum(v) ? fmt(v) : "–"}`);
      }
      if (stacked && series.length > 1) lines.push(`total: ${fmt(total)}`);
      return lines;
    },
  });
}

function describe(
  series: readonly AreaSeries[],
  dates: readonly number[],
  stacked: boolean,
  fmt: (v: number) => string,
): string {
  if (dates.length === 0 || series.length === 0) return "No data.";
  const last = dates.length - 1;
  const parts = series.map((s) => {
    const v = s.values[last];
    return `${s.name} ${isNum(v) ? fmt(v) : "–"}`;
  });
  return `${stacked ? "Stacked" : "Overlapping"} area chart of ${series.length} series from ${formatDay(dates[0] as number)} to ${formatDay(dates[last] as number)}; values on the last day: ${parts.join(", ")}.`;
}
