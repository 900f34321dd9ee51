/**
 * Ranked horizontal bars with labels and values: 47 prefectures by card coverage, municipalities by
 * backlog, services by load. An optional second value per bar is drawn as a tick mark across the bar
 * (e.g. the official coverage next to the simulated one), so model and record can be compared row by
 * row. Vertical reference lines (e.g. the national average) are optional.
 *
 * The value axis runs along the top, where the highest-ranked rows are. Each row carries a `<title>`
 * tooltip with the label, the value, the marker value and their difference. The height grows with the
 * row count unless `height` is given. Rows without a value are listed last with "no value".
 *
 * `scale: "log"` draws the value axis logarithmically (ticks at powers of ten) with the bars starting
 * at `base` (default 1): the form for ratios that span decades (×0.145 … ×575,352), where a linear
 * axis shows every small ratio as nothing. Every value, marker, rule and the base must then be > 0.
 * @module
 */

import { scaleBand, scaleLinear, scaleLog } from "d3-scale";
import type { ScaleContinuousNumeric } from "d3-scale";
import {
  checkDomain,
  FONT,
  INK,
  MUTED,
  chartError,
  chartId,
  dashOption,
  el,
  esc,
  isNum,
  noDataDocument,
  resolveMargin,
  sizeOption,
  svgDocument,
  textWidth,
  tickFormatter,
  titleBlockHeight,
  titleEl,
  truncate,
  valueFormatter,
  PALETTE,
} from "./_svg.js";
import { axisTop, legend, legendHeight, tickCount } from "./_axes.js";
import type { CommonChartOptions, NumberFormat } from "./_svg.js";
import type { LegendItem } from "./_axes.js";

/** One bar. */
export interface BarDatum {
  /** Row label, e.g. a prefecture name. */
  label: string;
  /** Bar length; `null`/non-finite = no value (listed last). */
  value: number | null | undefined;
  /** Optional comparison value drawn as a tick (e.g. the official figure). */
  marker?: number | null | undefined;
  /** Bar colour for this row (default `options.color`). */
  color?: string;
  /** Fill opacity of this bar (default 1), e.g. lighter for less reliable figures. */
  opacity?: number;
  /** Extra tooltip lines for this row (after the value, marker and difference). */
  note?: string;
}

/** A vertical reference line across all bars. */
export interface BarRule {
  value: number;
  label?: string;
  color?: string;
  /** `stroke-dasharray` (default `"6 4"`; `""` for solid). */
  dash?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends CommonChartOptions {
  /** Label of the value axis, with units, e.g. `"cards issued per resident (%)"`. */
  xLabel?: string;
  /** Format of ticks and bar labels (default plain grouped numbers). */
  format?: NumberFormat;
  /** Format of values in tooltips (default: `format`, else exact). */
  tooltipFormat?: NumberFormat;
  /** Row order: by value `"descending"` (default), `"ascending"`, or `"none"` (input order). Ties keep input order. */
  sort?: "descending" | "ascending" | "none";
  /** Bar colour (default Tableau blue). */
  color?: string;
  /** Marker colour (default near-black). */
  markerColor?: string;
  /** Name of the bar value in legend and tooltips (default "value"). */
  valueName?: string;
  /** Name of the marker value in legend and tooltips (default "official"). */
  markerName?: string;
  /** Row pitch in px when `height` is not given (default 18). */
  rowHeight?: number;
  /** Fixed value range `[min, max]`; default the data, markers, rules and zero, made nice. */
  domain?: readonly [number, number];
  /** Vertical reference lines. */
  rules?: readonly BarRule[];
  /** Write the value at the end of each bar (default true). */
  showValues?: boolean;
  /** Show the legend (default: when markers are present). */
  legend?: boolean;
  /** Value axis: `"linear"` (default) or `"log"` (base 10; every value must be positive). */
  scale?: "linear" | "log";
  /** Where the bars start (default 0, or 1 on a log scale: the parity of a ratio). */
  base?: number;
}

/**
 * Draws ranked horizontal bars.
 * @param data one entry per bar
 * @param options see {@link BarChartOptions}
 * @returns a standalone `<svg>` document as a string
 * @throws {TwinError} `E_CHART` on a malformed datum or bad options (message names the field)
 * @example
 * barChart(
 *   [{ label: "Tokyo", value: 0.31, marker: 0.30 }, { label: "Osaka", value: 0.27, marker: 0.28 }],
 *   { title: "Coverage by prefecture, 2020-03-31", xLabel: "cards per resident (%)", format: "percent" },
 * );
 */
export function barChart(data: readonly BarDatum[], options: BarChartOptions = {}): string {
  const o = options;
  if (!Array.isArray(data)) chartError("data must be an array of { label, value, marker? }");
  data.forEach((d, i) => {
    if (d === null || typeof d !== "object" || typeof d.label !== "string")
      chartError(`data[${i}].label must be a string`);
  });
  const id = chartId(o.id, "bar", o.title);
  const width = sizeOption(o.width, 960, "width");
  const rowHeight = sizeOption(o.rowHeight, 18, "rowHeight");
  const sort = o.sort ?? "descending";
  if (sort !== "descending" && sort !== "ascending" && sort !== "none")
    chartError(`options.sort must be "descending", "ascending" or "none", got ${JSON.stringify(sort)}`);
  const rules = (o.rules ?? []).map((r, i) => {
    if (!isNum(r.value))
      chartError(`options.rules[${i}].value must be a finite number, got ${String(r.value)}`);
    return { ...r, dash: r.dash === "" ? undefined : (dashOption(r.dash, `options.rules[${i}]`) ?? "6 4") };
  });
  const valueName = o.valueName ?? "value";
  const markerName = o.markerName ?? "official";
  const barColor = o.color ?? PALETTE[0] ?? "#4e79a7";
  const markerColor = o.markerColor ?? INK;

  const hasValue = data.some((d) => isNum(d.value) || isNum(d.marker));
  const hasMarkers = data.some((d) => isNum(d.marker));
  if (!hasValue) {
    return noDataDocument({
      id,
      kind: "bar",
      width,
      height: sizeOption(o.height, 200, "height"),
      title: o.title,
    });
  }

  // order: stable sort by value, rows without value last
  const rows = data.map((d, i) => ({ d, i }));
  if (sort !== "none") {
    const sign = sort === "descending" ? -1 : 1;
    rows.sort((a, b) => {
      const av = a.d.value;
      const bv = b.d.value;
      if (!isNum(av) || !isNum(bv)) return (isNum(av) ? 0 : 1) - (isNum(bv) ? 0 : 1) || a.i - b.i;
      return sign * (av - bv) || a.i - b.i;
    });
  }

  const scaleKind = o.scale ?? "linear";
  if (scaleKind !== "linear" && scaleKind !== "log")
    chartError(`options.scale must be "linear" or "log", got ${JSON.stringify(scaleKind)}`);
  const log = scaleKind === "log";
  const base = o.base ?? (log ? 1 : 0);
  if (!isNum(base) || (log && base <= 0))
    chartError(`options.base must be a ${log ? "positive" : "finite"} number, got ${String(o.base)}`);
  if (log) {
    rows.forEach(({ d }) => {
      for (const [v, what] of [
        [d.value, "value"],
        [d.marker, "marker"],
      ] as const)
        if (isNum(v) && v <= 0)
          chartError(
            `data: ${what} ${v} of ${JSON.stringify(d.label)} cannot be drawn on a log scale (must be > 0)`,
          );
    });
    rules.forEach((r, i) => {
      if (r.value <= 0) chartError(`options.rules[${i}].value must be > 0 on a log scale, got ${r.value}`);
    });
  }

  // domain
  let lo: number;
  let hi: number;
  if (o.domain !== undefined) {
    [lo, hi] = checkDomain(o.domain, "domain");
    if (log && lo <= 0) chartError(`options.domain must be positive on a log scale, got [${lo}, ${hi}]`);
  } else {
    lo = base;
    hi = base;
    for (const { d } of rows) {
      for (const v of [d.value, d.marker]) {
        if (!isNum(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    for (const r of rules) {
      lo = Math.min(lo, r.value);
      hi = Math.max(hi, r.value);
    }
    if (log) {
      lo = 10 ** Math.floor(Math.log10(lo));
      hi = 10 ** Math.ceil(Math.log10(hi));
      if (lo === hi) hi = lo * 10;
    } else if (lo === hi) hi = lo + 1;
  }

  const fmtTip = valueFormatter(o.tooltipFormat ?? o.format);
  const fmtBar = valueFormatter(o.format);
  const showValues = o.showValues ?? true;

  // layout
  const labelFont = FONT.label;
  const maxLabel = Math.max(0, ...rows.map(({ d }) => textWidth(d.label, labelFont)));
  const defaultLeft = Math.min(Math.max(40, maxLabel + 24), width * 0.35);
  const legendItems: LegendItem[] =
    (o.legend ?? hasMarkers)
      ? [
          { label: valueName, color: barColor, shape: "square" },
          ...(hasMarkers ? [{ label: markerName, color: markerColor, shape: "tick" as const }] : []),
        ]
      : [];
  const legendTop = titleBlockHeight(o.title);
  const legH = legendHeight(legendItems, width - defaultLeft - 24);
  const axisSpace = o.xLabel ? 48 : 28;
  const maxValueLabel = showValues
    ? Math.max(
        ...rows.map(({ d }) =>
          isNum(d.value) ? textWidth(fmtBar(d.value), FONT.tick) : textWidth("no value", FONT.tick),
        ),
      )
    : 0;
  const margin = resolveMargin(o.margin, {
    top: legendTop + legH + axisSpace,
    right: Math.max(24, maxValueLabel + 14),
    // rule labels sit under the bars, so they never cover the last row
    bottom: rules.some((r) => r.label) ? 30 : 16,
    left: defaultLeft,
  });
  const height = sizeOption(o.height, margin.top + margin.bottom + rows.length * rowHeight, "height");
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  if (right - left < 10 || bottom - top < 4) chartError(`options.width/height leave no room for the bars`);

  const count = tickCount(right - left, 90);
  let x: ScaleContinuousNumeric<number, number>;
  let ticks: number[];
  if (log) {
    x = scaleLog().domain([lo, hi]).range([left, right]);
    const decades: number[] = [];
    for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) decades.push(10 ** e);
    // at most one tick per ~60 px: every k-th decade
    const every = Math.max(1, Math.ceil(decades.length / Math.max(2, Math.floor((right - left) / 60))));
    ticks = decades.length >= 3 ? decades.filter((_, k) => k % every === 0) : x.ticks(count);
  } else {
    x = scaleLinear().domain([lo, hi]).range([left, right]);
    if (o.domain === undefined) x.nice(count);
    ticks = x.ticks(count);
  }
  const fmtTick = tickFormatter(o.format, ticks);
  const yb = scaleBand<number>()
    .domain(rows.map((_, k) => k))
    .range([top, bottom])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const bw = yb.bandwidth();
  const x0 = x(Math.max(lo, Math.min(base, hi)));

  const body: string[] = [];
  if (legendItems.length > 0) body.push(legend(legendItems, left, legendTop, right - left).svg);
  body.push(
    axisTop({
      ticks: ticks.map((v) => ({ pos: x(v), label: fmtTick(v) })),
      y: top,
      x0: left,
      x1: right,
      gridBottom: bottom,
      label: o.xLabel,
    }),
  );

  body.push(`<g class="mt-bars">`);
  rows.forEach(({ d }, k) => {
    const yTop = yb(k) ?? top;
    const cy = yTop + bw / 2;
    const parts: string[] = [];
    const tip = [d.label, `${valueName}: ${isNum(d.value) ? fmtTip(d.value) : "–"}`];
    if (isNum(d.marker)) tip.push(`${markerName}: ${fmtTip(d.marker)}`);
    if (isNum(d.marker) && isNum(d.value) && !log) tip.push(`difference: ${fmtTip(d.value - d.marker)}`);
    if (d.note) tip.push(d.note);
    parts.push(
      el(
        "rect",
        {
          class: "mt-hit",
          x: 0,
          y: yTop - (yb.step() - bw) / 2,
          width,
          height: yb.step(),
          fill: "#000000",
          "fill-opacity": 0,
        },
        titleEl(tip.join("\n")),
      ),
    );
    parts.push(
      el(
        "text",
        { class: "mt-bar-label", x: left - 8, y: cy, "text-anchor": "end", dy: "0.32em", fill: INK },
        // a margin of error for fonts wider than the estimate (DejaVu Sans on headless Linux)
        esc(truncate(d.label, left - 20, labelFont)),
      ),
    );
    let end = x0;
    if (isNum(d.value)) {
      const xv = x(d.value);
      parts.push(
        el("rect", {
          class: "mt-bar",
          x: Math.min(x0, xv),
          y: yTop,
          width: Math.abs(xv - x0),
          height: bw,
          fill: d.color ?? barColor,
          "fill-opacity": d.opacity,
        }),
      );
      end = Math.max(end, xv);
    }
    if (isNum(d.marker)) {
      const xm = x(d.marker);
      parts.push(
        el("line", {
          class: "mt-marker",
          x1: xm,
          x2: xm,
          y1: yTop - 2,
          y2: yTop + bw + 2,
          stroke: markerColor,
          "stroke-width": 2.5,
        }),
      );
      end = Math.max(end, xm);
    }
    if (showValues) {
      const text = isNum(d.value) ? fmtBar(d.value) : "no value";
      parts.push(
        el(
          "text",
          { class: "mt-bar-value", x: end + 5, y: cy, dy: "0.32em", "font-size": FONT.tick, fill: MUTED },
          esc(text),
        ),
      );
    }
    body.push(`<g class="mt-row">${parts.join("")}</g>`);
  });
  body.push("</g>");
  body.push(el("line", { class: "mt-zero", x1: x0, x2: x0, y1: top, y2: bottom, stroke: MUTED }));

  for (const r of rules) {
    const xr = x(r.value);
    if (xr < left - 0.5 || xr > right + 0.5) continue;
    body.push(
      el("line", {
        class: "mt-rule",
        x1: xr,
        x2: xr,
        y1: top,
        y2: bottom,
        stroke: r.color ?? INK,
        "stroke-width": 1.5,
        "stroke-dasharray": r.dash,
      }),
    );
    if (r.label) {
      body.push(
        el(
          "text",
          {
            class: "mt-rule-label",
            x: xr + 4,
            y: bottom + 14,
            fill: r.color ?? INK,
            "font-size": FONT.note,
            stroke: "#ffffff",
            "stroke-width": 3,
            "paint-order": "stroke",
          },
          esc(r.label),
        ),
      );
    }
  }

  const valued = rows.filter(({ d }) => isNum(d.value));
  const first = valued[0]?.d;
  const lastRow = valued[valued.length - 1]?.d;
  const description =
    o.description ??
    `Bar chart of ${rows.length} rows${o.xLabel ? ` (${o.xLabel})` : ""}` +
      (first && lastRow
        ? `, from ${first.label} ${fmtTip(first.value as number)} to ${lastRow.label} ${fmtTip(lastRow.value as number)}`
        : "") +
      (hasMarkers ? `; ticks show ${markerName}` : "") +
      ".";
  return svgDocument({ id, kind: "bar", width, height, title: o.title, description, body });
}
