/**
 * Internal axis and legend drawing shared by the chart modules: axes written from ticks computed with
 * d3-scale (`scale.ticks()`), each tick a mark and a label, optional grid lines, the axis label; and a
 * wrapping legend of swatches. Pure string building, like `_svg.ts`.
 * @module
 */

import { FONT, GRID, INK, MUTED, el, esc, num, textWidth, truncate } from "./_svg.js";

// ---------------------------------------------------------------------------------------------------
// Axes

/** One tick: its pixel position along the axis and its label. */
export interface Tick {
  pos: number;
  label: string;
}

/**
 * A horizontal axis along the bottom of the plot area: baseline, tick marks, labels, optional vertical
 * grid lines up to `gridTop`, and the axis label centred below.
 */
export function axisBottom(o: {
  ticks: readonly Tick[];
  y: number;
  x0: number;
  x1: number;
  gridTop?: number;
  label?: string;
  labelY?: number;
}): string {
  const parts: string[] = [`<g class="mt-axis mt-axis-x" font-size="${FONT.tick}" fill="${MUTED}">`];
  for (const t of o.ticks) {
    if (o.gridTop !== undefined)
      parts.push(
        el("line", { class: "mt-grid", x1: t.pos, x2: t.pos, y1: o.gridTop, y2: o.y, stroke: GRID }),
      );
    parts.push(el("line", { x1: t.pos, x2: t.pos, y1: o.y, y2: o.y + 5, stroke: MUTED }));
    parts.push(el("text", { x: t.pos, y: o.y + 18, "text-anchor": "middle" }, esc(t.label)));
  }
  parts.push(el("line", { class: "mt-domain", x1: o.x0, x2: o.x1, y1: o.y, y2: o.y, stroke: MUTED }));
  if (o.label) {
    parts.push(
      el(
        "text",
        {
          class: "mt-axis-label",
          x: (o.x0 + o.x1) / 2,
          y: o.labelY ?? o.y + 38,
          "text-anchor": "middle",
          "font-size": FONT.label,
          fill: INK,
        },
        esc(o.label),
      ),
    );
  }
  parts.push("</g>");
  return parts.join("\n");
}

/**
 * A horizontal axis along the top of the plot area (ranked bar charts, heatmap columns): tick marks,
 * labels above them, optional vertical grid lines down to `gridBottom`, and the axis label above the
 * tick labels, centred.
 */
export function axisTop(o: {
  ticks: readonly Tick[];
  y: number;
  x0: number;
  x1: number;
  gridBottom?: number;
  label?: string;
  rotate?: boolean;
}): string {
  const parts: string[] = [`<g class="mt-axis mt-axis-x" font-size="${FONT.tick}" fill="${MUTED}">`];
  for (const t of o.ticks) {
    if (o.gridBottom !== undefined)
      parts.push(
        el("line", { class: "mt-grid", x1: t.pos, x2: t.pos, y1: o.y, y2: o.gridBottom, stroke: GRID }),
      );
    parts.push(el("line", { x1: t.pos, x2: t.pos, y1: o.y - 5, y2: o.y, stroke: MUTED }));
    if (o.rotate) {
      parts.push(
        el(
          "text",
          {
            x: 0,
            y: 0,
            transform: `translate(${num(t.pos)},${num(o.y - 8)}) rotate(-45)`,
            "text-anchor": "start",
            dy: "0.3em",
          },
          esc(t.label),
        ),
      );
    } else {
      parts.push(el("text", { x: t.pos, y: o.y - 9, "text-anchor": "middle" }, esc(t.label)));
    }
  }
  if (o.label) {
    parts.push(
      el(
        "text",
        {
          class: "mt-axis-label",
          x: (o.x0 + o.x1) / 2,
          y: o.y - 28,
          "text-anchor": "middle",
          "font-size": FONT.label,
          fill: INK,
        },
        esc(o.label),
      ),
    );
  }
  parts.push("</g>");
  return parts.join("\n");
}

/**
 * A vertical axis on the left of the plot area: tick labels, optional horizontal grid lines across to
 * `gridRight`, and the axis label written horizontally above the axis ("↑ label"), as Observable Plot
 * does, so it needs no rotated text and no extra left margin.
 */
export function axisLeft(o: {
  ticks: readonly Tick[];
  x: number;
  y0: number;
  y1: number;
  gridRight?: number;
  label?: string;
  labelX?: number;
  labelY?: number;
  arrow?: boolean;
}): string {
  const parts: string[] = [`<g class="mt-axis mt-axis-y" font-size="${FONT.tick}" fill="${MUTED}">`];
  for (const t of o.ticks) {
    if (o.gridRight !== undefined)
      parts.push(
        el("line", { class: "mt-grid", x1: o.x, x2: o.gridRight, y1: t.pos, y2: t.pos, stroke: GRID }),
      );
    parts.push(el("line", { x1: o.x - 5, x2: o.x, y1: t.pos, y2: t.pos, stroke: MUTED }));
    parts.push(el("text", { x: o.x - 8, y: t.pos, "text-anchor": "end", dy: "0.32em" }, esc(t.label)));
  }
  if (o.label) {
    const text = (o.arrow === false ? "" : "↑ ") + o.label;
    parts.push(
      el(
        "text",
        {
          class: "mt-axis-label",
          x: o.labelX ?? 8,
          y: o.labelY ?? o.y0 - 14,
          "text-anchor": "start",
          "font-size": FONT.label,
          fill: INK,
        },
        esc(text),
      ),
    );
  }
  parts.push("</g>");
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Legend

/** One legend entry. */
export interface LegendItem {
  label: string;
  color: string;
  /** Swatch shape: a line (optionally dashed, with width), a dot, or a filled square. */
  shape: "line" | "dot" | "square" | "tick";
  dash?: string | undefined;
  strokeWidth?: number;
  opacity?: number;
}

const LEGEND_ROW = 20;

/**
 * Lays legend entries out left to right from (`x`, `y`), wrapping to a new row when `maxWidth` is
 * reached. Returns the markup and the height used (0 when there are no items).
 */
export function legend(
  items: readonly LegendItem[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string; height: number } {
  if (items.length === 0) return { svg: "", height: 0 };
  const parts: string[] = [`<g class="mt-legend" font-size="${FONT.legend}">`];
  let cx = x;
  let row = 0;
  for (const it of items) {
    const label = truncate(it.label, Math.max(40, maxWidth - 30), FONT.legend);
    const w = 22 + textWidth(label, FONT.legend) + 18;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      row++;
    }
    const cy = y + row * LEGEND_ROW + LEGEND_ROW / 2;
    parts.push(`<g class="mt-legend-item">`);
    switch (it.shape) {
      case "line":
        parts.push(
          el("line", {
            x1: cx,
            x2: cx + 16,
            y1: cy,
            y2: cy,
            stroke: it.color,
            "stroke-width": it.strokeWidth ?? 2,
            "stroke-dasharray": it.dash,
          }),
        );
        break;
      case "dot":
        parts.push(el("circle", { cx: cx + 8, cy, r: 4, fill: it.color, stroke: "#ffffff" }));
        break;
      case "tick":
        parts.push(
          el("line", {
            x1: cx + 8,
            x2: cx + 8,
            y1: cy - 7,
            y2: cy + 7,
            stroke: it.color,
            "stroke-width": it.strokeWidth ?? 2.5,
          }),
        );
        break;
      case "square":
        parts.push(
          el("rect", {
            x: cx + 1,
            y: cy - 7,
            width: 14,
            height: 14,
            fill: it.color,
            "fill-opacity": it.opacity,
          }),
        );
        break;
    }
    parts.push(el("text", { x: cx + 22, y: cy, dy: "0.32em" }, esc(label)));
    parts.push("</g>");
    cx += w;
  }
  parts.push("</g>");
  return { svg: parts.join("\n"), height: (row + 1) * LEGEND_ROW };
}

/** Height that {@link legend} will use for these items at this width (without drawing). */
export function legendHeight(items: readonly LegendItem[], maxWidth: number): number {
  return legend(items, 0, 0, maxWidth).height;
}

/** Integer tick count for an axis of `length` px with about one tick per `spacing` px (at least 2). */
export function tickCount(length: number, spacing: number): number {
  return Math.max(2, Math.round(length / spacing));
}
