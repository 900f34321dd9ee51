/**
 * Instant readouts for the charts' exact values, instead of the browser's delayed `<title>` tooltips
 * (which never show on tap or keyboard):
 *
 * - {@link attachCrosshair}: one date cursor shared by every time chart in a group (charts drawn with
 *   the same x domain, width and margins — engine/charts/_time.ts). Pointing or tapping at any chart
 *   moves a vertical line through all of them and writes, in a readout above them, the day, every
 *   series' exact value on it (the strips' own text, so the numbers are the chart's) and the events
 *   under way. The group is focusable: ← → move by one step of the charts' points, Shift+← → by 30
 *   days, Home/End to the ends, Escape hides the cursor.
 * - {@link attachInstantTips}: for other charts (heat-map cells, bars, dots), the text of the mark
 *   under the pointer or finger, or of the one that has the keyboard focus, in a tip box at once.
 * @module
 */

import { crosshairFrame, dayAtX, stepDay, stripFor, xOfDay } from "../../../engine/charts/index.js";
import type { CrosshairFrame } from "../../../engine/charts/index.js";
import { h } from "./dom.js";

const SVG_NS = "http://www.w3.org/2000/svg";

interface Chart {
  svg: SVGSVGElement;
  frame: CrosshairFrame;
  name: string;
  days: string[];
  texts: string[];
  line: SVGLineElement;
}

function readChart(svg: SVGSVGElement): Chart | null {
  let frame: CrosshairFrame;
  try {
    frame = crosshairFrame(svg.getAttribute("data-plot"), svg.getAttribute("data-x-domain"));
  } catch {
    return null;
  }
  const strips = Array.from(svg.querySelectorAll<SVGRectElement>("rect.mt-hit[data-date]"));
  const days = strips.map((r) => r.getAttribute("data-date") ?? "");
  const texts = strips.map((r) => r.querySelector("title")?.textContent ?? "");
  const line = globalThis.document.createElementNS(SVG_NS, "line");
  line.setAttribute("class", "mt-crosshair");
  line.setAttribute("y1", String(frame.top));
  line.setAttribute("y2", String(frame.bottom));
  line.setAttribute("stroke", "#222222");
  line.setAttribute("stroke-width", "1");
  line.setAttribute("visibility", "hidden");
  line.setAttribute("pointer-events", "none");
  svg.appendChild(line);
  // the figure's short name ("lead-time" → "Lead time"), else the chart's title
  const fig = svg.closest("[data-chart]")?.getAttribute("data-chart");
  const name = fig
    ? fig.charAt(0).toUpperCase() + fig.slice(1).replace(/-/g, " ")
    : (svg.querySelector(".mt-title")?.textContent ?? svg.getAttribute("aria-label") ?? "chart");
  return { svg, frame, name, days, texts, line };
}

/** viewBox x of a pointer event over an svg, or null when the svg has no laid-out size (jsdom). */
function viewBoxX(svg: SVGSVGElement, clientX: number): number | null {
  const rect = svg.getBoundingClientRect();
  const vb = svg.getAttribute("viewBox")?.split(/\s+/).map(Number);
  if (!vb || vb.length !== 4 || !(rect.width > 0)) return null;
  return ((clientX - rect.left) * (vb[2] as number)) / rect.width + (vb[0] as number);
}

/** The controller of a crosshair group (for tests and the run view). */
export interface Crosshair {
  /** Moves the cursor to a day (clamped into the charts' x domain); null hides it. */
  show(day: string | null): void;
  /** The day shown, or null. */
  day(): string | null;
  /** The readout element. */
  readout: HTMLElement;
}

/**
 * Adds a shared date cursor and readout to the time charts inside `group`.
 * @param group the element holding the charts (it becomes focusable)
 * @returns the controller, or null when the group has no time chart
 */
export function attachCrosshair(group: HTMLElement): Crosshair | null {
  const charts = Array.from(group.querySelectorAll<SVGSVGElement>("svg.mt-chart[data-plot]"))
    .map(readChart)
    .filter((c): c is Chart => c !== null);
  const first = charts[0];
  if (!first) return null;
  const hint = "Point at a chart, tap it, or focus here and press ← → to read exact values on a day.";
  const readout = h("div", { class: "crosshair-readout", role: "status", "aria-live": "polite" }, hint);
  group.prepend(readout);
  group.setAttribute("tabindex", "0");
  group.classList.add("crosshair-group");
  group.setAttribute(
    "aria-label",
    "Charts on one date axis. Arrow keys move the date cursor; Shift with an arrow moves 30 days; Home and End go to the ends.",
  );
  let current: string | null = null;

  const events = Array.from(first.svg.querySelectorAll<SVGGElement>("g.mt-annotation")).map((g) => ({
    start: g.getAttribute("data-start") ?? "",
    end: g.getAttribute("data-end") ?? "",
    label: g.getAttribute("data-label") ?? "",
  }));

  function show(day: string | null): void {
    current = day === null ? null : stepDay(first!.frame, day, 0);
    if (current !== null) {
      // snap to the day the first chart has values for (its strips may be thinned on long runs)
      const k0 = stripFor(first!.days, current);
      if (k0 >= 0) current = first!.days[k0] as string;
    }
    if (current === null) {
      for (const c of charts) c.line.setAttribute("visibility", "hidden");
      readout.replaceChildren(hint);
      return;
    }
    const blocks: HTMLElement[] = [];
    for (const c of charts) {
      const x = xOfDay(c.frame, current);
      const inside = x >= c.frame.left - 0.5 && x <= c.frame.right + 0.5;
      c.line.setAttribute("x1", String(x));
      c.line.setAttribute("x2", String(x));
      c.line.setAttribute("visibility", inside ? "visible" : "hidden");
      const k = stripFor(c.days, current);
      if (k < 0) continue;
      const [stripDay, ...lines] = (c.texts[k] ?? "").split("\n");
      const when = stripDay && stripDay !== current ? ` (${stripDay})` : "";
      blocks.push(
        h("p", { class: "readout-chart" }, h("strong", {}, `${c.name}${when}: `), lines.join(" · ")),
      );
    }
    const now = events.filter((e) => e.start <= current! && current! <= e.end);
    const labels = [...new Set(now.map((e) => e.label))];
    readout.replaceChildren(
      h("div", { class: "readout-day" }, current, labels.length > 0 ? ` — ${labels.join("; ")}` : ""),
      ...blocks,
    );
  }

  const onPointer = (c: Chart) => (ev: PointerEvent | MouseEvent) => {
    const x = viewBoxX(c.svg, ev.clientX);
    if (x === null) return;
    show(dayAtX(c.frame, x));
  };
  for (const c of charts) {
    c.svg.addEventListener("pointermove", onPointer(c));
    c.svg.addEventListener("pointerdown", onPointer(c));
  }

  group.addEventListener("keydown", (ev) => {
    if (ev.target !== group) return;
    const f = first.frame;
    const base = current ?? dayAtX(f, f.left);
    let next: string | null | undefined;
    const idx = stripFor(first.days, base);
    switch (ev.key) {
      case "ArrowRight":
        next = ev.shiftKey ? stepDay(f, base, 30) : (first.days[idx + 1] ?? stepDay(f, base, 1));
        if (current === null) next = first.days[0] ?? base;
        break;
      case "ArrowLeft":
        next = ev.shiftKey
          ? stepDay(f, base, -30)
          : first.days[idx] !== undefined && (first.days[idx] as string) < base
            ? first.days[idx]
            : (first.days[idx - 1] ?? stepDay(f, base, -1));
        break;
      case "Home":
        next = first.days[0] ?? dayAtX(f, f.left);
        break;
      case "End":
        next = first.days[first.days.length - 1] ?? dayAtX(f, f.right);
        break;
      case "Escape":
        next = null;
        break;
      default:
        return;
    }
    ev.preventDefault();
    show(next ?? null);
  });

  return { show, day: () => current, readout };
}

/**
 * Shows the `<title>` text of the mark under the pointer (or finger) at once, in a tip box inside
 * `container`; each mark is also focusable, so Tab walks the cells, bars and dots and the tip follows
 * the focus.
 */
export function attachInstantTips(container: HTMLElement): void {
  const tip = h("div", { class: "instant-tip", role: "tooltip", hidden: true });
  container.appendChild(tip);
  const MARKS = "rect.mt-cell, g.mt-row, .mt-points circle";
  // a cell's or dot's own <title>, or the one of a bar row's hit area
  const textOf = (mark: Element | null | undefined) => mark?.querySelector("title")?.textContent ?? "";
  const place = (mark: Element, x: number, y: number) => {
    const text = textOf(mark);
    if (!text) {
      tip.hidden = true;
      return;
    }
    tip.replaceChildren(...text.split("\n").map((l) => h("div", {}, l)));
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(x - box.left + 12, box.width - 220))}px`;
    tip.style.top = `${y - box.top + 12}px`;
  };
  const onPointer = (ev: PointerEvent | MouseEvent) => {
    const mark = (ev.target as Element | null)?.closest?.(MARKS);
    if (!mark) tip.hidden = true;
    else place(mark, ev.clientX, ev.clientY);
  };
  for (const mark of Array.from(container.querySelectorAll(MARKS))) {
    mark.setAttribute("tabindex", "0");
    mark.addEventListener("focus", () => {
      const r = mark.getBoundingClientRect();
      place(mark, r.left + r.width / 2, r.top + r.height / 2);
    });
    mark.addEventListener("blur", () => (tip.hidden = true));
  }
  container.addEventListener("pointermove", onPointer);
  container.addEventListener("pointerdown", onPointer);
  container.addEventListener("pointerleave", () => (tip.hidden = true));
}
