/**
 * The sweep view, always against the target the sweep ran with (`target` in sweep.json — e.g.
 * 10 M by 2016-12-31 for jlis-outage-2016, never a default): a heat map of the grid by the day the
 * target was reached, in days from the target date — blue on or before it (made it), red after
 * (missed), each hue starting at a clear tint so −1 d and +2 d never look alike, grey not within the
 * run —, a second of the cards issued by the target date split at the target's card count, and the
 * table of every grid point. A sweep.json without a target (written before sweeps recorded it) is
 * shown without any target-relative figure, with a note saying why.
 * @module
 */

import { formatIsoDate, parseIsoDate } from "../../../engine/calendar.js";
import { heatmapChart } from "../../../engine/charts/index.js";
import type { LoadedSweep } from "../data/run-loader.js";
import type { SweepDocument } from "../data/run-types.js";
import { sweepGrid } from "../data/sweep-grid.js";
import { sweepTarget } from "./answers.js";
import type { Target } from "./answers.js";
import { attachInstantTips } from "./crosshair.js";
import { chartBox, h, link, table } from "./dom.js";
import { int, millions, stageName } from "./format.js";
import { runLabel, setFlags } from "./run-label.js";

/** Options of the sweep view. */
export interface SweepViewOptions {
  width: number;
  fileHref: (file: string) => string;
}

/** "+13 d", "−64 d", "±0 d": days from the target date. */
export function dayOffset(v: number): string {
  return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(Math.round(v))} d`;
}

/**
 * The heat maps of a sweep against its target (days from the target date when the target was
 * reached; cards on the target date), one pair per facet.
 * @returns SVG strings keyed by a name
 */
export function sweepCharts(
  doc: SweepDocument,
  target: Target,
  width: number,
): { name: string; svg: string }[] {
  const g = sweepGrid(doc);
  const out: { name: string; svg: string }[] = [];
  const targetDay = parseIsoDate(target.date);
  const exact = (v: number) =>
    `${formatIsoDate(targetDay + Math.round(v))} (${v === 0 ? "on" : `${Math.abs(Math.round(v))} days ${v < 0 ? "before" : "after"}`} the target date ${target.date}${v <= 0 ? ": made it" : ": missed"})`;
  g.facets.forEach((f, k) => {
    const suffix = f.label ? ` (${f.label})` : "";
    const reached = f.cells.map((row) =>
      row.map((r) => (r?.reachedOn ? parseIsoDate(r.reachedOn) - targetDay : null)),
    );
    out.push({
      name: `sweep-reached-${k}`,
      svg: heatmapChart(
        { x: g.x, y: g.y, values: reached },
        {
          id: `chart-sweep-reached-${k}`,
          title:
            width < 560
              ? `${millions(target.cards)} reached vs ${target.date}${suffix}`
              : `When ${millions(target.cards)} cards were reached, against ${target.date}${suffix}`,
          xLabel: g.xKey,
          yLabel: g.yKey ?? undefined,
          valueLabel: `days from the target date ${target.date}`,
          format: dayOffset,
          tooltipFormat: exact,
          split: { at: 0, good: "atOrBelow", label: target.date },
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
          title:
            width < 560
              ? `Cards on ${target.date} vs ${millions(target.cards)}${suffix}`
              : `Cards issued by ${target.date} against the ${millions(target.cards)} target${suffix}`,
          xLabel: g.xKey,
          yLabel: g.yKey ?? undefined,
          valueLabel: `cards on ${target.date} (millions)`,
          format: "millions",
          tooltipFormat: (v) =>
            `${int(v)} (${v >= target.cards ? "made it" : `${int(target.cards - v)} short`})`,
          split: { at: target.cards, good: "atOrAbove", label: millions(target.cards) },
          yReverse: g.yKey !== null,
          width,
        },
      ),
    });
  });
  return out;
}

/** Renders a sweep against its own target. */
export function renderSweepView(s: LoadedSweep, o: SweepViewOptions): HTMLElement {
  const doc = s.sweep;
  const target = sweepTarget(doc);
  const keys = doc.vary.map((v) => v.key);
  const reachedBy = doc.rows.filter((r) => r.reachedByTargetDate).length;
  const files = s.entry.files.map((f) => link(o.fileHref(f), f, { target: "_blank", rel: "noopener" }));
  const label = runLabel(doc.scenario, setFlags(s.manifest.command));
  const offset = (r: SweepDocument["rows"][number]): string =>
    target && r.reachedOn ? ` (${dayOffset(parseIsoDate(r.reachedOn) - parseIsoDate(target.date))})` : "";
  const grid = target
    ? h(
        "section",
        { class: "section grid-charts" },
        h("h2", {}, "The grid"),
        ...sweepCharts(doc, target, o.width).map((c) =>
          chartBox(
            c.svg,
            c.name,
            c.name.startsWith("sweep-reached")
              ? `Blue: reached ${millions(target.cards)} on or before ${target.date} (made it), darker the earlier; red: after it (missed), darker the later; grey: not reached within the run.`
              : `Blue: at least ${millions(target.cards)} cards on ${target.date} (made it); red: fewer (missed), darker the further short.`,
          ),
        ),
      )
    : h(
        "section",
        { class: "section" },
        h("h2", {}, "The grid"),
        h(
          "p",
          { class: "notice", role: "status" },
          "This sweep.json does not record the target it ran with (it was written before sweeps recorded it), so no figure here is measured against a target. Rerun the sweep to get the heat maps.",
        ),
      );
  if (target) attachInstantTips(grid);
  return h(
    "article",
    { class: "view sweep-view", "data-run": s.entry.id },
    h(
      "header",
      { class: "view-head" },
      h("p", { class: "crumbs" }, link("#/", "All runs"), " / ", s.entry.id),
      h("h1", {}, `Sweep of ${doc.scenario}`),
      label !== doc.scenario ? h("p", { class: "run-label" }, label) : null,
      h(
        "p",
        { class: "meta" },
        `seed ${doc.seed} · ${doc.replications} replication${doc.replications === 1 ? "" : "s"} per point · ${doc.rows.length} grid points over ${keys.join(" × ")}`,
        s.entry.date ? ` · run ${s.entry.date} UTC` : "",
      ),
      s.manifest.command ? h("p", { class: "meta" }, h("code", {}, s.manifest.command)) : null,
      h("p", { class: "meta files" }, "Files: ", ...files.flatMap((a, i) => (i === 0 ? [a] : [" · ", a]))),
    ),
    target
      ? h(
          "section",
          { class: "cards" },
          h(
            "div",
            { class: `card ${reachedBy === doc.rows.length ? "pass" : "fail"}` },
            h("div", { class: "card-label" }, `${millions(target.cards)} by ${target.date}`),
            h("div", { class: "card-value" }, `${reachedBy} of ${doc.rows.length} points`),
            h("div", { class: "card-note" }, "reached it by the target date in every replication"),
          ),
        )
      : null,
    grid,
    h(
      "section",
      { class: "section" },
      h("h2", {}, "Every grid point"),
      table(
        [
          ...keys,
          target ? `reached ${millions(target.cards)} on` : "reached the target on",
          target ? `cards on ${target.date}` : "cards on the target date",
          "binding constraint",
          "lead time p50/p90/p99 (days)",
        ],
        doc.rows.map((r) => [
          ...keys.map((k) => r.point[k] ?? ""),
          r.reachedOn ? `${r.reachedOn}${offset(r)}` : "not in the run",
          int(r.cardsOnTargetDate),
          stageName(r.bindingConstraint),
          `${r.leadTimeP50 ?? "–"} / ${r.leadTimeP90 ?? "–"} / ${r.leadTimeP99 ?? "–"}`,
        ]),
        { align: [...keys.map(() => "r" as const), "l", "r", "l", "r"] },
      ),
    ),
  );
}
