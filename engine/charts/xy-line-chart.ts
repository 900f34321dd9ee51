/**
 * Lines over a numeric x axis (not time): one value against another, e.g. latency against cards in
 * circulation. Points are drawn as markers joined by lines; vertical reference lines (e.g. a target)
 * are labelled at the top. Missing (null / non-finite) y values break the line. Deterministic SVG
 * built with the same parts as the other charts (_svg.ts, _axes.ts).
 * @module
 */
import { scaleLinear } from "d3-scale";
import { axisBottom, axisLeft, legend, legendHeight, tickCount } from "./_axes.js";
import type { LegendItem } from "./_axes.js";
import {
  FONT,
  INK,
  chartId,
  el,
  esc,
  isNum,
  noDataDocument,
  resolveMargin,
  seriesColor,
  sizeOption,
  svgDocument,
  tickFormatter,
  titleBlockHeight,
  titleEl,
  valueFormatter,
} from "./_svg.js";
import type { CommonChartOptions, NumberFormat } from "./_svg.js";

/** One line. */
export interface XySeries {
  name: string;
  /** y per point of {@link XyData.x}; null = no value. */
  values: ReadonlyArray<number | null | undefined>;
  color?: string;
  dash?: string;
}

export interface XyData {
  /** x of each point, increasing. */
  x: readonly number[];
  series: readonly XySeries[];
  /** Vertical reference lines. */
  rules?: readonly { x: number; label: string }[];
}

export interface XyLineChartOptions extends CommonChartOptions {
  xLabel?: string;
  yLabel?: string;
  xFormat?: NumberFormat;
  yFormat?: NumberFormat;
  /** Start the y axis at 0 (default true). */
  yFromZero?: boolean;
}

/** Renders an x–y line chart as a standalone SVG document. */
export function xyLineChart(data: XyData, options: XyLineChartOptions = {}): string {
  const width = sizeOption(options.width, 960, "width");
  const height = sizeOption(options.height, 420, "height");
  const id = chartId(options.id, "xy", options.title);
  const xs = data.x;
  const ys: number[] = [];
  for (const s of data.series) for (const v of s.values) if (isNum(v)) ys.push(v);
  const xsFinite = xs.filter(isNum);
  if (xsFinite.length === 0 || ys.length === 0)
    return noDataDocument({
      id,
      kind: "xy",
      width,
      height,
      title: options.title,
      reason: "no finite points",
    });
  const items: LegendItem[] = data.series.map((s, i) => ({
    label: s.name,
    color: seriesColor(s.color, i),
    shape: "line",
    dash: s.dash,
  }));
  const top = titleBlockHeight(options.title) + 24;
  const m = resolveMargin(options.margin, {
    top,
    right: 24,
    bottom: 56 + legendHeight(items, width - 80),
    left: 72,
  });
  const x0 = m.left;
  const x1 = width - m.right;
  const y0 = height - m.bottom;
  const y1 = m.top;
  const rules = data.rules ?? [];
  const xMin = Math.min(...xsFinite, ...rules.map((r) => r.x));
  const xMax = Math.max(...xsFinite, ...rules.map((r) => r.x));
  const yMin = options.yFromZero === false ? Math.min(...ys) : Math.min(0, ...ys);
  const yMax = Math.max(...ys);
  const xs_ = scaleLinear()
    .domain([xMin, xMax === xMin ? xMin + 1 : xMax])
    .range([x0, x1])
    .nice();
  const ys_ = scaleLinear()
    .domain([yMin, yMax === yMin ? yMin + 1 : yMax])
    .range([y0, y1])
    .nice();
  const xt = xs_.ticks(tickCount(x1 - x0, 110));
  const yt = ys_.ticks(tickCount(y0 - y1, 50));
  const fx = tickFormatter(options.xFormat, xt);
  const fy = tickFormatter(options.yFormat, yt);
  const vx = valueFormatter(options.xFormat);
  const vy = valueFormatter(options.yFormat);
  const body: string[] = [];
  body.push(
    axisLeft({
      ticks: yt.map((v) => ({ pos: ys_(v), label: fy(v) })),
      x: x0,
      y0: y1,
      y1: y0,
      gridRight: x1,
      label: options.yLabel,
    }),
  );
  body.push(
    axisBottom({
      ticks: xt.map((v) => ({ pos: xs_(v), label: fx(v) })),
      y: y0,
      x0,
      x1,
      label: options.xLabel,
    }),
  );
  for (const r of rules) {
    const x = xs_(r.x);
    body.push(
      el("line", {
        class: "mt-rule",
        x1: x,
        x2: x,
        y1: y1 - 4,
        y2: y0,
        stroke: INK,
        "stroke-dasharray": "4 3",
      }),
    );
    body.push(el("text", { x: x + 4, y: y1 - 8, "font-size": FONT.note, fill: INK }, esc(r.label)));
  }
  data.series.forEach((s, i) => {
    const color = seriesColor(s.color, i);
    let d = "";
    let pen = false;
    const marks: string[] = [];
    xs.forEach((xv, k) => {
      const yv = s.values[k];
      if (!isNum(xv) || !isNum(yv)) {
        pen = false;
        return;
      }
      const px = xs_(xv);
      const py = ys_(yv);
      d += `${pen ? "L" : "M"}${px.toFixed(2)},${py.toFixed(2)}`;
      pen = true;
      marks.push(
        el(
          "circle",
          { cx: px.toFixed(2), cy: py.toFixed(2), r: 3.5, fill: color },
          titleEl(`${s.name}: ${vx(xv)} → ${vy(yv)}`),
        ),
      );
    });
    body.push(
      el("path", {
        class: "mt-line",
        d,
        fill: "none",
        stroke: color,
        "stroke-width": 2,
        "stroke-dasharray": s.dash,
      }),
    );
    body.push(...marks);
  });
  body.push(legend(items, x0, y0 + 44, x1 - x0).svg);
  const desc = `${options.title ?? "Chart"}: ${data.series.map((s) => s.name).join(", ")} at ${xsFinite.length} points from ${vx(xsFinite[0]!)} to ${vx(xsFinite[xsFinite.length - 1]!)}.`;
  return svgDocument({ id, kind: "xy", width, height, title: options.title, description: desc, body });
}
