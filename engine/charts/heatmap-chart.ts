/**
 * Heatmap of a 2-D grid — x categories × y categories → value — for parameter sweeps (counter capacity ×
 * factory capacity → cards by 2020-03-31, CRL partition count × refresh interval → bandwidth). Each cell
 * has a `<title>` with both coordinates and the exact value; a colour legend with ticks explains the
 * scale; values are written in the cells when they fit.
 *
 * Colour schemes are fixed tables interpolated in RGB (no d3-scale-chromatic needed): `"viridis"`
 * (sequential, perceptually uniform, colour-blind safe; default), `"blues"` (sequential, ColorBrewer) and
 * `"rdbu"` (diverging red–white–blue, ColorBrewer, centred on `midpoint`). `reverse` flips the ramp, e.g.
 * so that "better" is always the same colour. Missing cells are light grey.
 *
 * `split` colours the two sides of a threshold in two different hues (good: blue, bad: red), with
 * a minimum intensity, so a value just on the good side (−1 day, 87.1 M) and one just on the bad side
 * (+2 days, 86.9 M) never both look white — the failure of a diverging scale centred on zero.
 * @module
 */

import { scaleLinear } from "d3-scale";
import {
  checkDomain,
  FONT,
  INK,
  MUTED,
  chartError,
  chartId,
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
  truncate,
  valueFormatter,
} from "./_svg.js";
import type { CommonChartOptions, NumberFormat } from "./_svg.js";

/** Input of {@link heatmapChart}. */
export interface HeatmapData {
  /** Column categories, left to right (e.g. factory capacity per day). */
  x: ReadonlyArray<string | number>;
  /** Row categories (e.g. counter staff per municipality); first row at the top unless `yReverse`. */
  y: ReadonlyArray<string | number>;
  /** `values[row][column]`: `y.length` rows of `x.length` numbers; `null`/non-finite = missing. */
  values: ReadonlyArray<ReadonlyArray<number | null | undefined>>;
}

/** Named colour ramps. */
export type HeatmapScheme = "viridis" | "blues" | "rdbu";

/** Options of {@link heatmapChart}. */
export interface HeatmapChartOptions extends CommonChartOptions {
  /** Label under the columns, with units. */
  xLabel?: string;
  /** Label above the rows, with units. */
  yLabel?: string;
  /** Title of the colour legend, with units, e.g. `"cards by 2020-03-31 (millions)"`. */
  valueLabel?: string;
  /** Format of legend ticks and cell labels (default plain grouped numbers). */
  format?: NumberFormat;
  /** Format of values in tooltips (default: exact). */
  tooltipFormat?: NumberFormat;
  /** Colour ramp (default `"viridis"`). */
  scheme?: HeatmapScheme;
  /** Flip the ramp. */
  reverse?: boolean;
  /** Fixed value range `[min, max]` (values outside are clamped to the end colours). Default the data extent. */
  domain?: readonly [number, number];
  /** Centre of a diverging scheme (default 0 when the domain spans zero, else the domain's middle). */
  midpoint?: number;
  /** Write values in cells: `true`, `false`, or `"auto"` (default: when every label fits its cell). */
  showValues?: boolean | "auto";
  /** Row height in px when `height` is not given (default 32). */
  cellHeight?: number;
  /** Draw the first row at the bottom (numeric sweep axes that grow upward). */
  yReverse?: boolean;
  /**
   * Two hues split at a threshold (overrides `scheme`, `reverse` and `midpoint`): values on the good
   * side (`good: "atOrBelow"` — e.g. days after a target date — or `"atOrAbove"` — e.g. cards against a
   * target) are blue, the others red; both sides start at a clearly coloured tint and darken with the
   * distance from the threshold. The threshold is always inside the colour legend and ticked on it.
   */
  split?: HeatmapSplit;
}

/** See {@link HeatmapChartOptions.split}. */
export interface HeatmapSplit {
  /** The threshold, in data units. */
  at: number;
  /** Which side, threshold included, is good. */
  good: "atOrBelow" | "atOrAbove";
  /** Label of the threshold tick in the legend (default: the formatted value). */
  label?: string;
}

const SCHEMES: Record<HeatmapScheme, readonly string[]> = {
  viridis: [
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
  ],
  blues: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
  rdbu: [
    "#67001f",
    "#b2182b",
    "#d6604d",
    "#f4a582",
    "#fddbc7",
    "#f7f7f7",
    "#d1e5f0",
    "#92c5de",
    "#4393c3",
    "#2166ac",
    "#053061",
  ],
};

const MISSING = "#eeeeee";

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Piecewise-linear RGB interpolation through `stops`; `t` is clamped to [0, 1]. Output `#rrggbb`.
 * @example rampColor(["#000000", "#ffffff"], 0.5) // "#808080"
 */
export function rampColor(stops: readonly string[], t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(u));
  const f = u - k;
  const a = rgb(stops[k] as string);
  const b = rgb(stops[k + 1] as string);
  return (
    "#" +
    a
      .map((c, j) =>
        Math.round(c + ((b[j] as number) - c) * f)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")
  );
}

/** Blue tints for the good side and red for the bad one, from a clear tint at the threshold to dark. */
const GOOD_STOPS = ["#92c5de", "#4393c3", "#2166ac", "#053061"] as const;
const BAD_STOPS = ["#f4a582", "#d6604d", "#b2182b", "#67001f"] as const;

/**
 * The colour of a value under a split scale: the side decides the hue; the distance from the
 * threshold, relative to the farthest value of the domain on that side, the shade.
 */
function splitColorer(split: HeatmapSplit, lo: number, hi: number): (v: number) => string {
  const goodBelow = split.good === "atOrBelow";
  const below = Math.max(split.at - lo, 0);
  const above = Math.max(hi - split.at, 0);
  return (v: number) => {
    const isGood = goodBelow ? v <= split.at : v >= split.at;
    const span = v <= split.at ? below : above;
    const t = span > 0 ? Math.min(1, Math.abs(v - split.at) / span) : 0;
    return rampColor(isGood ? GOOD_STOPS : BAD_STOPS, t);
  };
}

/** Relative luminance (WCAG) of `#rrggbb`, to pick dark or light text on a cell. */
function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Draws a heatmap.
 * @param data column and row categories and the value grid (`values[row][column]`)
 * @param options see {@link HeatmapChartOptions}
 * @returns a standalone `<svg>` document as a string
 * @throws {TwinError} `E_CHART` when the grid does not match the categories or an option is bad
 * @example
 * heatmapChart(
 *   { x: [50, 100, 150], y: ["1 counter", "2 counters"], values: [[40, 61, 70], [55, 80, 87]] },
 *   { title: "Cards by 2020-03-31", xLabel: "factory capacity (k cards/day)", valueLabel: "cards (millions)" },
 * );
 */
export function heatmapChart(data: HeatmapData, options: HeatmapChartOptions = {}): string {
  const o = options;
  if (data === null || typeof data !== "object") chartError("data must be an object { x, y, values }");
  const xs = (data.x ?? []).map(String);
  const ys = (data.y ?? []).map(String);
  const values: HeatmapData["values"] = data.values ?? [];
  if (!Array.isArray(values as unknown)) chartError("data.values must be an array of rows");
  if (values.length !== ys.length)
    chartError(`data.values has ${values.length} rows but data.y has ${ys.length} categories`);
  values.forEach((row, r) => {
    if (!Array.isArray(row as unknown) || row.length !== xs.length)
      chartError(
        `data.values[${r}] must have ${xs.length} values (one per data.x), got ${Array.isArray(row) ? row.length : typeof row}`,
      );
  });
  const scheme = o.scheme ?? "viridis";
  const stops0 = SCHEMES[scheme];
  if (stops0 === undefined)
    chartError(`options.scheme must be "viridis", "blues" or "rdbu", got ${JSON.stringify(scheme)}`);
  const stops = o.reverse ? [...stops0].reverse() : stops0;

  const id = chartId(o.id, "heatmap", o.title);
  const width = sizeOption(o.width, 960, "width");
  const cellHeight = sizeOption(o.cellHeight, 32, "cellHeight");

  let lo = Infinity;
  let hi = -Infinity;
  for (const row of values) {
    for (const v of row) {
      if (!isNum(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi)
    return noDataDocument({
      id,
      kind: "heatmap",
      width,
      height: sizeOption(o.height, 200, "height"),
      title: o.title,
    });
  const minV = lo;
  const maxV = hi;
  if (o.domain !== undefined) {
    [lo, hi] = checkDomain(o.domain, "domain");
  } else if (lo === hi) {
    hi = lo === 0 ? 1 : lo + Math.abs(lo) * 0.1;
  }
  const dataLo = lo;
  const dataHi = hi;
  // colour position 0..1; a diverging scheme maps the midpoint to 0.5
  let pos = scaleLinear().domain([lo, hi]).range([0, 1]).clamp(true);
  if (scheme === "rdbu") {
    const mid = o.midpoint ?? (lo < 0 && hi > 0 ? 0 : (lo + hi) / 2);
    if (!isNum(mid)) chartError(`options.midpoint must be a finite number`);
    const m = Math.min(Math.max(mid, lo), hi);
    pos = m > lo && m < hi ? scaleLinear().domain([lo, m, hi]).range([0, 0.5, 1]).clamp(true) : pos;
  }
  const split = o.split;
  if (split !== undefined) {
    if (split === null || typeof split !== "object" || !isNum(split.at))
      chartError("options.split.at must be a finite number");
    if (split.good !== "atOrBelow" && split.good !== "atOrAbove")
      chartError(`options.split.good must be "atOrBelow" or "atOrAbove", got ${JSON.stringify(split.good)}`);
    lo = Math.min(lo, split.at);
    hi = Math.max(hi, split.at);
    if (lo === hi) hi = lo + 1;
  }
  const splitColor = split ? splitColorer(split, lo, hi) : null;
  const color = (v: number) => (splitColor ? splitColor(v) : rampColor(stops, pos(v)));
  const fmtCell = valueFormatter(o.format, ",.3~r");
  const fmtTip = valueFormatter(o.tooltipFormat);

  // layout
  const legendTop = titleBlockHeight(o.title);
  const legendH = 48;
  const maxY = Math.max(0, ...ys.map((s) => textWidth(s, FONT.tick)));
  const maxX = Math.max(0, ...xs.map((s) => textWidth(s, FONT.tick)));
  const left0 = Math.min(Math.max(40, maxY + 16), width * 0.3);
  const innerGuess = width - left0 - (o.margin?.right ?? 24);
  const cellW0 = xs.length > 0 ? innerGuess / xs.length : innerGuess;
  const rotate = maxX > cellW0 - 6;
  const margin = resolveMargin(o.margin, {
    top: legendTop + legendH + (o.yLabel ? 26 : 8),
    right: 24,
    bottom: (rotate ? Math.min(140, maxX * 0.72 + 18) : 26) + (o.xLabel ? 24 : 4),
    left: left0,
  });
  const height = sizeOption(o.height, margin.top + margin.bottom + ys.length * cellHeight, "height");
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  if (right - left < 10 || bottom - top < 4) chartError("options.width/height leave no room for the grid");
  const cw = xs.length > 0 ? (right - left) / xs.length : 0;
  const ch = ys.length > 0 ? (bottom - top) / ys.length : 0;
  const rowY = (r: number) => (o.yReverse ? bottom - (r + 1) * ch : top + r * ch);

  let showValues: boolean;
  if (o.showValues === undefined || o.showValues === "auto") {
    showValues =
      ch >= 16 &&
      values.every((row) => row.every((v) => !isNum(v) || textWidth(fmtCell(v), FONT.tick) <= cw - 6));
  } else showValues = o.showValues;

  const body: string[] = [];
  const defs: string[] = [];

  // colour legend: label, ramp, ticks
  const rampW = Math.min(280, right - left);
  const rampX = left;
  const rampY = legendTop + 18;
  const gradId = `${id}-ramp`;
  const gstops: string[] = [];
  if (split && splitColor) {
    // colours by value, with a hard edge at the threshold
    const lin = (v: number) => (v - lo) / (hi - lo);
    const at = lin(split.at);
    const edge = split.good === "atOrBelow" ? split.at + (hi - lo) * 1e-9 : split.at - (hi - lo) * 1e-9;
    const samples: [number, string][] = [];
    for (let k = 0; k <= 16; k++) {
      const v = lo + ((hi - lo) * k) / 16;
      if (v !== split.at) samples.push([lin(v), splitColor(v)]);
    }
    // the hard edge: the lower side's colour, then the upper side's, at the same offset
    const pair: [number, string][] =
      split.good === "atOrBelow"
        ? [
            [at, splitColor(split.at)],
            [at, splitColor(edge)],
          ]
        : [
            [at, splitColor(edge)],
            [at, splitColor(split.at)],
          ];
    samples.push(...pair);
    samples.sort((a, b) => a[0] - b[0]);
    for (const [t, c] of samples) gstops.push(el("stop", { offset: `${num(t * 100)}%`, "stop-color": c }));
  } else {
    for (let k = 0; k <= 16; k++)
      gstops.push(el("stop", { offset: `${num((k / 16) * 100)}%`, "stop-color": rampColor(stops, k / 16) }));
  }
  defs.push(`<linearGradient id="${gradId}" x1="0" x2="1" y1="0" y2="0">${gstops.join("")}</linearGradient>`);
  let legendTicks = scaleLinear()
    .domain([split ? lo : dataLo, split ? hi : dataHi])
    .ticks(Math.max(2, Math.floor(rampW / 60)));
  if (split) {
    // the threshold is ticked with its label; ticks whose labels would touch it are dropped
    pos = scaleLinear().domain([lo, hi]).range([0, 1]).clamp(true);
    const fmt0 = tickFormatter(o.format, legendTicks);
    const atLabel = split.label ?? fmt0(split.at);
    const atX = pos(split.at) * rampW;
    legendTicks = [
      ...legendTicks.filter(
        (t) =>
          Math.abs(pos(t) * rampW - atX) >=
          (textWidth(atLabel, FONT.tick) + textWidth(fmt0(t), FONT.tick)) / 2 + 6,
      ),
      split.at,
    ].sort((a, b) => a - b);
  }
  const fmtLegend0 = tickFormatter(o.format, legendTicks);
  const fmtLegend = (t: number) =>
    split && t === split.at && split.label !== undefined ? split.label : fmtLegend0(t);
  const lp: string[] = [`<g class="mt-legend mt-ramp" font-size="${FONT.tick}">`];
  if (o.valueLabel)
    lp.push(el("text", { x: rampX, y: rampY - 6, "font-size": FONT.legend, fill: INK }, esc(o.valueLabel)));
  lp.push(el("rect", { x: rampX, y: rampY, width: rampW, height: 10, fill: `url(#${gradId})` }));
  for (const t of legendTicks) {
    const tx = rampX + pos(t) * rampW;
    const isSplit = split !== undefined && t === split.at;
    lp.push(
      el("line", {
        class: isSplit ? "mt-split" : undefined,
        x1: tx,
        x2: tx,
        y1: isSplit ? rampY - 3 : rampY,
        y2: rampY + 13,
        stroke: isSplit ? INK : MUTED,
        "stroke-width": isSplit ? 2 : undefined,
      }),
    );
    lp.push(el("text", { x: tx, y: rampY + 24, "text-anchor": "middle", fill: MUTED }, esc(fmtLegend(t))));
  }
  lp.push("</g>");
  body.push(lp.join("\n"));

  // cells
  body.push(`<g class="mt-cells" font-size="${FONT.tick}">`);
  values.forEach((row, r) => {
    const y0 = rowY(r);
    row.forEach((v, c) => {
      const x0 = left + c * cw;
      const fill = isNum(v) ? color(v) : MISSING;
      const tip = `${o.yLabel ? o.yLabel + ": " : ""}${ys[r]}\n${o.xLabel ? o.xLabel + ": " : ""}${xs[c]}\n${o.valueLabel ?? "value"}: ${isNum(v) ? fmtTip(v) : "no value"}`;
      body.push(
        el(
          "rect",
          {
            class: "mt-cell",
            x: x0,
            y: y0,
            width: cw,
            height: ch,
            fill,
            stroke: "#ffffff",
            "stroke-width": 1,
          },
          titleEl(tip),
        ),
      );
      if (showValues) {
        body.push(
          el(
            "text",
            {
              x: x0 + cw / 2,
              y: y0 + ch / 2,
              "text-anchor": "middle",
              dy: "0.32em",
              fill: isNum(v) && luminance(fill) < 0.35 ? "#ffffff" : INK,
            },
            esc(isNum(v) ? fmtCell(v) : "–"),
          ),
        );
      }
    });
  });
  body.push("</g>");

  // row labels
  const ax: string[] = [`<g class="mt-axis mt-axis-y" font-size="${FONT.tick}" fill="${MUTED}">`];
  ys.forEach((s, r) => {
    ax.push(
      el(
        "text",
        { x: left - 8, y: rowY(r) + ch / 2, "text-anchor": "end", dy: "0.32em" },
        esc(truncate(s, left - 12, FONT.tick)),
      ),
    );
  });
  if (o.yLabel)
    ax.push(
      el(
        "text",
        {
          class: "mt-axis-label",
          x: Math.max(4, left - maxY - 8),
          y: top - 10,
          "font-size": FONT.label,
          fill: INK,
        },
        esc(o.yLabel),
      ),
    );
  ax.push("</g>");
  // column labels
  ax.push(`<g class="mt-axis mt-axis-x" font-size="${FONT.tick}" fill="${MUTED}">`);
  xs.forEach((s, c) => {
    const cx = left + c * cw + cw / 2;
    if (rotate) {
      ax.push(
        el(
          "text",
          {
            x: 0,
            y: 0,
            transform: `translate(${num(cx)},${num(bottom + 8)}) rotate(-45)`,
            "text-anchor": "end",
            dy: "0.6em",
          },
          esc(truncate(s, 130, FONT.tick)),
        ),
      );
    } else {
      ax.push(el("text", { x: cx, y: bottom + 16, "text-anchor": "middle" }, esc(s)));
    }
  });
  if (o.xLabel)
    ax.push(
      el(
        "text",
        {
          class: "mt-axis-label",
          x: (left + right) / 2,
          y: height - 8,
          "text-anchor": "middle",
          "font-size": FONT.label,
          fill: INK,
        },
        esc(o.xLabel),
      ),
    );
  ax.push("</g>");
  body.push(ax.join("\n"));

  const description =
    o.description ??
    `Heatmap of ${ys.length} × ${xs.length} cells${o.valueLabel ? ` (${o.valueLabel})` : ""}; values from ${fmtTip(minV)} to ${fmtTip(maxV)}, colour scheme ${scheme}.`;
  return svgDocument({ id, kind: "heatmap", width, height, title: o.title, description, body, defs });
}
