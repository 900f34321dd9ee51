/**
 * The run list: every directory under the reports folder with its scenario, date, seed and headline
 * answer (target reached or not, when, binding constraint); sweeps with their grid; runs that cannot
 * be shown with the reason, in place, so one broken run never hides the others. Tick two or more
 * rows to compare them.
 * @module
 */

import type { RunIndex, RunIndexEntry } from "../data/run-types.js";
import { routeHash } from "../router.js";
import { h, link } from "./dom.js";
import type { Child } from "./dom.js";
import { millions, stageName } from "./format.js";

/** Options of the list view. */
export interface ListViewOptions {
  /** Follows a link (the compare button uses it); default sets `location.hash`. */
  navigate?: (href: string) => void;
}

function answer(e: RunIndexEntry): Child[] {
  if (e.status !== "ok")
    return [h("span", { class: "problem-inline" }, e.problem ?? "This run cannot be shown.")];
  if (e.kind === "sweep" && e.sweep)
    return [
      h("span", { class: "verdict" }, `${e.sweep.reachedByTargetDate} of ${e.sweep.points}`),
      ` grid points reached the target by its date — sweep over ${e.sweep.keys.join(" × ")}`,
    ];
  const hl = e.headline;
  if (!hl) return ["–"];
  return [
    h(
      "span",
      { class: hl.reached ? "verdict pass" : "verdict fail" },
      hl.reached ? "reached" : "not reached",
    ),
    ` ${millions(hl.targetCards)} by ${hl.targetDate}`,
  ];
}

function row(e: RunIndexEntry): HTMLElement {
  const ok = e.status === "ok";
  const box = h("input", {
    type: "checkbox",
    name: "compare",
    value: e.id,
    disabled: !ok,
    "aria-label": `compare ${e.id}`,
  });
  const hl = e.headline;
  return h(
    "tr",
    { class: ok ? "run-row" : "run-row broken", "data-id": e.id, "data-status": e.status },
    h("td", {}, box),
    h("td", { class: "nowrap" }, link(routeHash({ view: "run", id: e.id, window: null }), e.id)),
    h(
      "td",
      { class: "nowrap" },
      e.scenario ?? "–",
      e.kind === "sweep" ? h("span", { class: "tag" }, "sweep") : null,
    ),
    h("td", { class: "nowrap" }, e.date ?? "–"),
    h("td", { class: "num" }, e.seed ?? "–"),
    h("td", { class: "num" }, e.replications ?? "–"),
    h("td", { class: "answer" }, ...answer(e)),
    h("td", {}, ok && hl ? (hl.reachedOn ?? "not in the run") : ""),
    h("td", {}, ok && hl ? stageName(hl.bindingConstraint) : ""),
  );
}

/**
 * Renders the run list.
 * @param index the run index
 * @returns the view's root element
 */
export function renderListView(index: RunIndex, o: ListViewOptions = {}): HTMLElement {
  const ok = index.runs.filter((r) => r.status === "ok").length;
  const bad = index.runs.length - ok;
  const button = h("button", { type: "submit", disabled: true }, "Compare selected");
  const body = h("tbody", {}, ...index.runs.map(row));
  const form = h(
    "form",
    { class: "run-list" },
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data runs" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...[
              "",
              "run",
              "scenario",
              "date (UTC)",
              "seed",
              "repl.",
              "answer",
              "target reached on",
              "binding constraint",
            ].map((x) => h("th", { scope: "col" }, x)),
          ),
        ),
        body,
      ),
    ),
    h("p", { class: "actions" }, button, " Tick two or more runs (or a sweep) to overlay them."),
  );
  const checked = () =>
    Array.from(form.querySelectorAll<HTMLInputElement>('input[name="compare"]:checked')).map((i) => i.value);
  form.addEventListener("change", () => {
    button.disabled = checked().length < 2;
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const ids = checked();
    if (ids.length < 2) return;
    (o.navigate ?? ((x: string) => (globalThis.location.hash = x)))(routeHash({ view: "compare", ids }));
  });
  return h(
    "article",
    { class: "view list-view" },
    h("h1", {}, "Runs"),
    h(
      "p",
      { class: "meta" },
      `${index.runs.length} run director${index.runs.length === 1 ? "y" : "ies"} in `,
      h("code", {}, index.source),
      bad > 0 ? ` — ${bad} cannot be shown (reason in the row)` : "",
      ". ",
      link("#/bench", "Benchmarks →"),
    ),
    index.runs.length === 0
      ? h(
          "p",
          { class: "empty" },
          "No runs yet. Make one with ",
          h("code", {}, "npx tsx cli/main.ts run scenarios/plan-87m.yaml"),
          " or point MYNA_REPORTS_DIR at a folder of runs.",
        )
      : form,
  );
}
