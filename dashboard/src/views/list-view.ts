/**
 * The run list: every directory under the reports folder with its label (scenario and `--set`
 * overrides), date, seed and headline answer (target reached or not, when, binding constraint);
 * sweeps with their grid against their own target. A run's answer is shown only once its files have
 * passed the same loaders the run view uses (`checks`): a run the loaders refuse is listed as broken
 * with their message, never as "reached"; a run not yet checked says so. One broken run never hides
 * the others. Tick two or more rows to compare them. On a phone the answer columns come first and
 * stay visible; the rest wraps.
 * @module
 */

import type { RunIndex, RunIndexEntry } from "../data/run-types.js";
import { routeHash } from "../router.js";
import { h, link } from "./dom.js";
import type { Child } from "./dom.js";
import { isCalendarDate } from "../../../engine/calendar.js";
import { millions, stageName } from "./format.js";
import { entryLabel } from "./run-label.js";
import type { IndexExtras } from "./run-label.js";

/** Options of the list view. */
export interface ListViewOptions {
  /** Follows a link (the compare button uses it); default sets `location.hash`. */
  navigate?: (href: string) => void;
  /**
   * What the loaders said of each run the index calls `ok`: null = loaded and valid, a string = the
   * loaders' message. A run without an entry has not been checked and gets no verdict.
   */
  checks?: ReadonlyMap<string, string | null>;
}

/** The entry's status after the loaders' check. */
function stateOf(e: RunIndexEntry, checks: ReadonlyMap<string, string | null> | undefined) {
  if (e.status !== "ok") return { ok: false, problem: e.problem ?? "This run cannot be shown." };
  if (!checks || !checks.has(e.id)) return { ok: true, problem: null, unchecked: true };
  const p = checks.get(e.id) ?? null;
  return p === null ? { ok: true, problem: null } : { ok: false, problem: p };
}

function answer(e: RunIndexEntry, state: ReturnType<typeof stateOf>): Child[] {
  if (!state.ok)
    return [h("span", { class: "problem-inline" }, state.problem ?? "This run cannot be shown.")];
  if ("unchecked" in state && state.unchecked) return [h("span", { class: "verdict" }, "not checked yet")];
  if (e.kind === "sweep" && e.sweep) {
    const t = (e as RunIndexEntry & IndexExtras).sweepTarget;
    return [
      h("span", { class: "verdict" }, `${e.sweep.reachedByTargetDate} of ${e.sweep.points}`),
      t
        ? ` grid points reached ${millions(t.cards)} by ${t.date} — sweep over ${e.sweep.keys.join(" × ")}`
        : ` grid points reached the sweep's target by its date (not recorded in sweep.json) — sweep over ${e.sweep.keys.join(" × ")}`,
    ];
  }
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

function reachedOnText(on: string | null): string {
  if (on === null) return "not in the run";
  return isCalendarDate(on) ? on : `invalid date ${JSON.stringify(on)}`;
}

function row(e: RunIndexEntry, checks: ReadonlyMap<string, string | null> | undefined): HTMLElement {
  const state = stateOf(e, checks);
  const ok = state.ok;
  const verdictShown = ok && !("unchecked" in state && state.unchecked);
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
    {
      class: ok ? "run-row" : "run-row broken",
      "data-id": e.id,
      "data-status": ok ? (verdictShown ? "ok" : "unchecked") : "error",
    },
    h("td", { class: "pick" }, box),
    h(
      "td",
      { class: "run-name" },
      link(routeHash({ view: "run", id: e.id, window: null }), e.id),
      e.scenario ? h("div", { class: "run-label" }, entryLabel(e)) : null,
      e.kind === "sweep" ? h("span", { class: "tag" }, "sweep") : null,
    ),
    h("td", { class: "answer" }, ...answer(e, state)),
    h("td", { class: "when" }, verdictShown && hl ? reachedOnText(hl.reachedOn) : ""),
    h("td", { class: "binding" }, verdictShown && hl ? stageName(hl.bindingConstraint) : ""),
    h("td", { class: "nowrap minor" }, e.date ?? "–"),
    h("td", { class: "num minor" }, e.seed ?? "–"),
    h("td", { class: "num minor" }, e.replications ?? "–"),
  );
}

/**
 * Renders the run list.
 * @param index the run index
 * @returns the view's root element
 */
export function renderListView(index: RunIndex, o: ListViewOptions = {}): HTMLElement {
  const bad = index.runs.filter((r) => !stateOf(r, o.checks).ok).length;
  const button = h("button", { type: "submit", disabled: true }, "Compare selected");
  const body = h("tbody", {}, ...index.runs.map((r) => row(r, o.checks)));
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
              ["", "pick"],
              ["run (scenario · overrides)", "run-name"],
              ["answer", "answer"],
              ["target reached on", "when"],
              ["binding constraint", "binding"],
              ["date (UTC)", "minor"],
              ["seed", "minor"],
              ["repl.", "minor"],
            ].map(([x, c]) => h("th", { scope: "col", class: c }, x)),
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
