/**
 * The sweep view: a heat map of the grid against the date the target was reached (blue before the
 * target date, red after, grey not within the run), a second of the cards issued by the target date,
 * and the table of every grid point.
 * @module
 */

import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import { heatmapChart } from "../../../engine/charts/index.js";
import type { LoadedSweep } from "../data/run-loader.js";
import type { SweepDocument } from "../data/run-types.js";
import { sweepGrid } from "../data/sweep-grid.js";
import { chartBox, h, link, table } from "./dom.js";
import { int, millions, stageName } from "./format.js";

/** Options of the sweep view. */
export interface SweepViewOptions {
  width: number;
  fileHref: (file: string) => string;
}

/** Target cards and date of a sweep: from its rows' scenario, defaulting to the 87 M plan. */
export interface SweepTarget {
  cards: number;
  date: string;
}

/**
 * The heat maps of a sweep (reached-on date, cards on the target date), one pair per facet.
 * @returns SVG strings keyed by a name
 */
export function sweepCharts(
  doc: SweepDocument,
  target: SweepTarget,
  width: number,
): { name: string; svg: string }[] {
  const g = sweepGrid(doc);
  const out: { name: string; svg: string }[] = [];
  const targetDay = parseIsoDate(target.date);
  const offset = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(Math.round(v))} d`;
  const exact = (v: number) =>
    `${formatIsoDate(targetDay + Math.round(v))} (${v === 0 ? "on" : `${Math.abs(Math.round(v))} days ${v < 0 ? "before" : "after"}`} the target date)`;
  g.facets.forEach((f, k) => {
    const suffix = f.label ? ` (${f.label})` : "";
    // days from the target date: negative = early (blue), positive = late (red), symmetric scale
    const reached = f.cells.map((row) =>
      row.map((r) => (r?.reachedOn ? parseIsoDate(r.reachedOn) - targetDay : null)),
    );
    const span = Math.max(1, ...reached.flat().map((v) => Math.abs(v ?? 0)));
    out.push({
      name: `sweep-reached-${k}`,
      svg: heatmapChart(
        { x: g.x, y: g.y, values: reached },
        {
          id: `chart-sweep-reached-${k}`,
          title: `When ${millions(target.cards)} cards were reached, against ${target.date}${suffix}`,
          xLabel: g.xKey,
          yLabel: g.yKey ?? undefined,
          valueLabel: `days before (−, blue) or after (+, red) ${target.date}; grey: not reached in the run`,
          format: offset,
          tooltipFormat: exact,
          scheme: "rdbu",
          reverse: true,
          domain: [-span, span],
          midpoint: 0,
          yReverse: g.yKey !== null,
          width,
        },
      ),
    });
    const cards = f.cells.map((row) => row.map((r) => r?.cardsOnTargetDate ?? null));
    out.push({
      name: `sweep-cards-${k}`,
      svg: heatmapChart(
        { x: g.x, y: g.y, values: cards },
        {
          id: `chart-sweep-cards-${k}`,
          title: `Cards issued by ${target.date}${suffix}`,
          xLabel: g.xKey,
          yLabel: g.yKey ?? undefined,
          valueLabel: "cards (millions)",
          format: "millions",
          tooltipFormat: "integer",
          scheme: "viridis",
          yReverse: g.yKey !== null,
          width,
        },
      ),
    });
  });
  return out;
}

/** Renders a sweep. */
export function renderSweepView(s: LoadedSweep, target: SweepTarget, o: SweepViewOptions): HTMLElement {
  const doc = s.sweep;
  const keys = doc.vary.map((v) => v.key);
  const reachedBy = doc.rows.filter((r) => r.reachedByTargetDate).length;
  const files = s.entry.files.map((f) => link(o.fileHref(f), f, { target: "_blank", rel: "noopener" }));
  return h(
    "article",
    { class: "view sweep-view", "data-run": s.entry.id },
    h(
      "header",
      { class: "view-head" },
      h("p", { class: "crumbs" }, link("#/", "All runs"), " / ", s.entry.id),
      h("h1", {}, `Sweep of ${doc.scenario}`),
      h(
        "p",
        { class: "meta" },
        `seed ${doc.seed} · ${doc.replications} replication${doc.replications === 1 ? "" : "s"} per point · ${doc.rows.length} grid points over ${keys.join(" × ")}`,
        s.entry.date ? ` · run ${s.entry.date} UTC` : "",
      ),
      s.manifest.command ? h("p", { class: "meta" }, h("code", {}, s.manifest.command)) : null,
      h("p", { class: "meta files" }, "Files: ", ...files.flatMap((a, i) => (i === 0 ? [a] : [" · ", a]))),
    ),
    h(
      "section",
      { class: "cards" },
      h(
        "div",
        { class: `card ${reachedBy > 0 ? "pass" : "fail"}` },
        h("div", { class: "card-label" }, `${millions(target.cards)} by ${target.date}`),
        h("div", { class: "card-value" }, `${reachedBy} of ${doc.rows.length} points`),
        h("div", { class: "card-note" }, "reached it in every replication"),
      ),
    ),
    h(
      "section",
      { class: "section" },
      h("h2", {}, "The grid"),
      ...sweepCharts(doc, target, o.width).map((c) => chartBox(c.svg, c.name)),
    ),
    h(
      "section",
      { class: "section" },
      h("h2", {}, "Every grid point"),
      table(
        [
          ...keys,
          "reached on",
          `cards on ${target.date}`,
          "binding constraint",
          "lead time p50/p90/p99 (days)",
        ],
        doc.rows.map((r) => [
          ...keys.map((k) => r.point[k] ?? ""),
          r.reachedOn ?? "not in the run",
          int(r.cardsOnTargetDate),
          stageName(r.bindingConstraint),
          `${r.leadTimeP50 ?? "–"} / ${r.leadTimeP90 ?? "–"} / ${r.leadTimeP99 ?? "–"}`,
        ]),
        { align: [...keys.map(() => "r" as const), "l", "r", "l", "r"] },
      ),
    ),
  );
}
