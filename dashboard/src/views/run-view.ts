/**
 * The run view: the headline answer against the run's own target (reached or not, when — with the
 * spread across replications —, cards and shortfall on the target date, the capacity that would have
 * reached it, what held the rollout back, how long residents waited for cards handed over by the
 * target date), what +10 % of each lever would buy (the marginal effects of summary.json's
 * `bindingConstraint`, binding stage highlighted, and the binding stage by date), then the charts
 * of run-charts.ts on one shared date axis with the scenario's events (campaigns, deadlines,
 * outages) and a shared crosshair with an instant readout, the prefecture
 * ranking, and details on demand — a zoom into any period (daily values; a period outside the run is
 * clamped and says so), the national fidelity table, the peak backlogs and every column of any day.
 * @module
 */

import { annotationLayer, crosshairFrame } from "../../../engine/charts/index.js";
import type { TimeAnnotation } from "../../../engine/charts/index.js";
import type { LoadedRun } from "../data/run-loader.js";
import type { RunSummary } from "../data/run-types.js";
import type { DateWindow } from "../router.js";
import { isCalendarDate } from "../../../engine/calendar.js";
import { reachedOnRange, requiredCapacity } from "./answers.js";
import { authSection } from "./auth-view.js";
import { attachCrosshair } from "./crosshair.js";
import { revocationSection } from "./revocation-view.js";
import { networkSection } from "./network-view.js";
import { chartBox, h, link, table } from "./dom.js";
import type { Child } from "./dom.js";
import { days, int, millions, pct, signed, signedCount, stageName, times } from "./format.js";
import { laggingPrefectures, prefectureLabel } from "../../../sim/run-format/prefectures.js";
import { entryLabel } from "./run-label.js";
import {
  backlogChart,
  BACKLOG_COLUMNS,
  cumulativeChart,
  leadTimeChart,
  prefectureChart,
  runWindow,
  utilisationChart,
} from "./run-charts.js";
import type { PrefectureMetric, RunWindow } from "./run-charts.js";

/** What the run view needs besides the run. */
export interface RunViewOptions {
  /** Chart width in px. */
  width: number;
  /** Zoom window, or null for the whole run. */
  window: DateWindow | null;
  /** Link to the run view zoomed to `w` (null = whole run). */
  windowHref: (w: DateWindow | null) => string;
  /** Link to one of the run's files. */
  fileHref: (file: string) => string;
  /** Follows a link (the zoom form uses it); default sets `location.hash`. */
  navigate?: (href: string) => void;
  /** Why the requested zoom window could not be used (a malformed `?from=`), shown in place. */
  windowProblem?: string | null;
  /** Events of the run's scenario, drawn on the date axes. */
  events?: readonly TimeAnnotation[];
}

function card(label: string, value: Child, note?: Child, className?: string): HTMLElement {
  return h(
    "div",
    { class: `card${className ? ` ${className}` : ""}` },
    h("div", { class: "card-label" }, label),
    h("div", { class: "card-value" }, value),
    note ? h("div", { class: "card-note" }, note) : null,
  );
}

/** Short stage names for the headline card. */
const SHORT_STAGE: Record<string, string> = {
  intake: "J-LIS intake",
  factory: "card factory",
  jlis: "J-LIS hand-over",
  counters: "municipal counters",
  demand: "demand",
};

/** "2016-09-22", or a marked invalid value: a date that is not a calendar day is never compared. */
function reachedOnCard(run: LoadedRun): HTMLElement {
  const s = run.summary;
  const t = s.target;
  const range = reachedOnRange(s);
  const spread =
    range && s.replications > 1
      ? range.earliest === range.latest
        ? `the same day in every replication that reached it`
        : `replications: ${range.earliest} – ${range.latest}`
      : null;
  if (t.reachedOn === null)
    return card(`${millions(t.cards)} reached on`, "not in the run", `run ends ${s.period.end}`);
  if (!isCalendarDate(t.reachedOn))
    return card(
      `${millions(t.cards)} reached on`,
      "invalid date",
      `summary.json gives ${JSON.stringify(t.reachedOn)}, which is not a calendar day`,
      "fail",
    );
  const side = t.reachedOn <= t.date ? "on or before the target date" : "after the target date";
  return card(`${millions(t.cards)} reached on`, t.reachedOn, spread ? `${side}; ${spread}` : side);
}

function headline(run: LoadedRun): HTMLElement[] {
  const s = run.summary;
  const t = s.target;
  const share =
    t.reachedShare > 0 && t.reachedShare < 1
      ? `in ${pct(t.reachedShare * 100, 0)} of replications`
      : "in no replication";
  const cot = t.cardsOnTargetDate;
  const toTarget = s.leadTimeDays.toTargetDate;
  const lt = toTarget ?? s.leadTimeDays.all;
  const ci =
    cot && s.replications > 1 && Number.isFinite(cot.lower)
      ? Math.abs(cot.upper - cot.lower) < 2e5
        ? `95 % CI ${int(cot.lower)} – ${int(cot.upper)}`
        : `95 % CI ${millions(cot.lower)} – ${millions(cot.upper)}`
      : null;
  const shortfall = t.shortfallOnTargetDate;
  const rc = requiredCapacity(s);
  const cards: HTMLElement[] = [
    card(
      `${millions(t.cards)} cards by ${t.date}`,
      t.reached ? "Reached" : "Not reached",
      t.reached ? "in every replication" : `reached ${share}`,
      t.reached ? "pass" : "fail",
    ),
    reachedOnCard(run),
    card(
      `Cards on ${t.date}`,
      cot ? millions(cot.mean) : "–",
      ci ?? (cot ? `${int(cot.mean)} cards` : "target date outside the run"),
    ),
    card(
      `Shortfall on ${t.date}`,
      shortfall === null || shortfall === undefined ? "–" : shortfall > 0 ? millions(shortfall) : "none",
      shortfall === null || shortfall === undefined
        ? "target date outside the run"
        : shortfall > 0
          ? `${int(shortfall)} cards short of ${int(t.cards)}`
          : `at least ${int(t.cards)} cards by then`,
      shortfall === null || shortfall === undefined ? undefined : shortfall > 0 ? "fail" : "pass",
    ),
  ];
  if (rc !== undefined)
    cards.push(
      card(
        `Least capacity reaching it by ${t.date}`,
        rc === null ? "not within the search" : `${times(rc.multiplier)} capacity`,
        rc === null
          ? "no multiplier in the search range reaches it: demand, not capacity, is short"
          : `every capacity schedule ×${rc.multiplier}${Number.isFinite(rc.factoryPerDayOnTargetDate) ? ` (factory ${int(rc.factoryPerDayOnTargetDate)} cards/day on ${t.date})` : ""}`,
      ),
    );
  cards.push(
    card(
      "Binding constraint",
      SHORT_STAGE[s.bindingConstraint.stage] ?? stageName(s.bindingConstraint.stage),
      s.bindingConstraint.effects[0]
        ? `from what ${stepText(s.bindingConstraint.effects[0].multiplier)} of each would buy on ${s.bindingConstraint.comparedOn} (below)`
        : `on cards on ${s.bindingConstraint.comparedOn}`,
    ),
    card(
      toTarget ? `Lead time p50 / p90 / p99 by ${t.date}` : "Lead time p50 / p90 / p99, whole run",
      `${days(lt.p50)} / ${days(lt.p90)} / ${days(lt.p99)}`,
      toTarget
        ? `days, application to hand-over, cards handed over by ${t.date} (whole run: ${days(s.leadTimeDays.all.p50)} / ${days(s.leadTimeDays.all.p90)} / ${days(s.leadTimeDays.all.p99)})`
        : `days, application to hand-over; the target date ${t.date} is outside the run (${s.period.start} → ${s.period.end})`,
    ),
  );
  if (s.fidelity.maxAbsErrorPercent !== null)
    cards.push(
      card(
        "In-sample error vs official series",
        `max ${pct(Math.abs(s.fidelity.maxAbsErrorPercent))}`,
        `over ${s.fidelity.national.length} official date${s.fidelity.national.length === 1 ? "" : "s"} the parameters were set against: not a validation`,
      ),
    );
  return [
    h("section", { class: "cards", "aria-label": "Headline answer" }, ...cards),
    h(
      "p",
      { class: "explain" },
      h("strong", {}, `Binding constraint — ${stageName(s.bindingConstraint.stage)}: `),
      s.bindingConstraint.explanation,
    ),
  ];
}

/** A change in percent as the report writes it: "+3.59 %", "–" when the file has none. */
const signedPct = (v: number | null): string => (v === null ? "–" : `${signed(v, 2)} %`);
/** The lever's step: ×1.1 → "+10 %". */
const stepText = (m: number): string => `${m >= 1 ? "+" : ""}${int((m - 1) * 100)} %`;

/** One lever's row of summary.json's `bindingConstraint.effects`. */
type LeverEffect = RunSummary["bindingConstraint"]["effects"][number];

/** A muted second line under a table cell's value (a confidence interval or a note). */
const subLine = (text: string): HTMLElement => h("span", { class: "sub" }, text);

function effectRow(e: LeverEffect, binding: boolean, reps: number): HTMLElement {
  const d = e.cardsOnTargetDateDelta;
  const r = e.reachDateDeltaDays;
  const showCi = (lo: number, hi: number) => reps > 1 && lo !== hi;
  const reach: Child[] = [];
  if (r !== null) {
    const word = r.mean < 0 ? "earlier" : r.mean > 0 ? "later" : "";
    reach.push(word ? `${days(Math.abs(r.mean))} days ${word}` : "unchanged");
    if (showCi(r.lower, r.upper)) reach.push(subLine(`95 % CI ${days(r.lower)} – ${days(r.upper)}`));
  }
  if (e.reachNote !== null)
    reach.push(r === null ? h("span", { class: "note" }, e.reachNote) : subLine(e.reachNote));
  if (reach.length === 0) reach.push("–");
  const cell = (label: string, cls: string | null, ...children: Child[]) =>
    h("td", { class: cls, "data-label": label }, ...children);
  return h(
    "tr",
    { class: binding ? "binding" : null, "data-lever": e.lever },
    h(
      "th",
      { scope: "row", class: "lever" },
      `${stepText(e.multiplier)} ${SHORT_STAGE[e.lever] ?? stageName(e.lever)}`,
      binding ? h("span", { class: "tag binding-tag" }, "binding") : null,
    ),
    cell(
      "Δ cards",
      "num",
      signedCount(d.mean),
      showCi(d.lower, d.upper) ? subLine(`95 % CI ${signedCount(d.lower)} – ${signedCount(d.upper)}`) : null,
    ),
    cell("Δ %", "num", signedPct(e.cardsOnTargetDateDeltaPercent)),
    cell("Δ reach date", "reach", ...reach),
  );
}

/**
 * "What +10 % of each would buy" (issue 9): per lever, the change in cards on the compared date and
 * in the date the target is reached, from the run's paired runs, the binding stage highlighted, the
 * method in one line, and the binding stage by period — only what summary.json's
 * `bindingConstraint` carries (the report's section: sim/issuance/report/binding.ts). Nothing when
 * the file has no effects.
 */
function bindingSection(run: LoadedRun): HTMLElement | null {
  const s = run.summary;
  const bc = s.bindingConstraint;
  const first = bc.effects[0];
  if (!first) return null;
  const step = stepText(first.multiplier);
  const sameStep = bc.effects.every((e) => e.multiplier === first.multiplier);
  const title = sameStep ? `What ${step} of each would buy` : "What each lever would buy";
  const t = s.target;
  const onDate =
    bc.comparedOn === t.date
      ? `the target date ${t.date}`
      : `${bc.comparedOn} (the run ends before the target date ${t.date})`;
  const effects = h(
    "table",
    { class: "data effects" },
    h(
      "caption",
      {},
      `Against the baseline, on ${bc.comparedOn}; reach date: the day ${millions(t.cards)} cards are reached${s.replications > 1 ? `; mean of ${s.replications} paired replications, 95 % CI under it` : ""}.`,
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "lever"),
        h("th", { scope: "col", class: "num" }, `Δ cards on ${bc.comparedOn}`),
        h("th", { scope: "col", class: "num" }, "Δ %"),
        h("th", { scope: "col" }, "Δ reach date"),
      ),
    ),
    h("tbody", {}, ...bc.effects.map((e) => effectRow(e, e.lever === bc.stage, s.replications))),
  );
  const byPeriod =
    bc.byPeriod.length === 0
      ? null
      : h(
          "div",
          { class: "by-period" },
          h("h3", {}, "Binding stage by date"),
          h(
            "ol",
            { "aria-label": "Binding stage on cumulative cards by each date" },
            ...bc.byPeriod.map((b) =>
              h(
                "li",
                { "data-stage": b.stage },
                h("time", { datetime: b.until }, b.until),
                " ",
                h("span", { class: "stage" }, SHORT_STAGE[b.stage] ?? stageName(b.stage)),
              ),
            ),
          ),
        );
  return h(
    "section",
    { class: "section binding", id: "binding", "aria-label": title },
    h("h2", {}, title),
    h(
      "p",
      { class: "method" },
      `Method: ${bc.method}, compared on ${onDate}. Binding: the capacity whose ${step} moves those cards the most; demand when none moves them by ${pct(bc.thresholdPercent)} or more.`,
    ),
    h("div", { class: "binding-grid" }, h("div", { class: "table-scroll" }, effects), byPeriod),
  );
}

function header(run: LoadedRun, o: RunViewOptions): HTMLElement {
  const s = run.summary;
  const m = run.manifest;
  const meta = [
    run.entry.id,
    `seed ${s.seed}`,
    `${s.replications} replication${s.replications === 1 ? "" : "s"}`,
    `${s.period.start} → ${s.period.end}`,
    run.entry.date ? `run ${run.entry.date} UTC` : null,
  ].filter((x): x is string => x !== null);
  const files = run.entry.files.map((f) => link(o.fileHref(f), f, { target: "_blank", rel: "noopener" }));
  const label = entryLabel(run.entry);
  return h(
    "header",
    { class: "view-head" },
    h("h1", {}, `Scenario ${s.scenario}`),
    label !== s.scenario ? h("p", { class: "run-label" }, label) : null,
    h("p", { class: "meta" }, meta.join(" · ")),
    h(
      "p",
      { class: "meta files" },
      m.command ? h("code", { title: "command line" }, m.command) : null,
      m.command ? " · " : null,
      ...files.flatMap((a, i) => (i === 0 ? [a] : [" ", a])),
    ),
  );
}

function zoomNav(run: LoadedRun, w: RunWindow, o: RunViewOptions): HTMLElement {
  const t = run.table;
  const first = t.dates[0] as string;
  const last = t.dates[t.n - 1] as string;
  const years: string[] = [];
  for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) years.push(String(y));
  const current = w.zoomed ? `${t.dates[w.from]} → ${t.dates[w.to - 1]}` : "the whole run";
  const yearLinks = years.map((y) => {
    const win = {
      from: `${y}-01-01` < first ? first : `${y}-01-01`,
      to: `${y}-12-31` > last ? last : `${y}-12-31`,
    };
    const active = w.zoomed && t.dates[w.from] === win.from && t.dates[w.to - 1] === win.to;
    return link(o.windowHref(win), y, { class: active ? "chip active" : "chip" });
  });
  const fromIn = h("input", {
    type: "date",
    name: "from",
    min: first,
    max: last,
    value: t.dates[w.from] as string,
  });
  const toIn = h("input", {
    type: "date",
    name: "to",
    min: first,
    max: last,
    value: t.dates[w.to - 1] as string,
  });
  const form = h(
    "form",
    { class: "zoom-form" },
    h("label", {}, "from ", fromIn),
    h("label", {}, "to ", toIn),
    h("button", { type: "submit" }, "Zoom"),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const from = fromIn.value;
    const to = toIn.value;
    if (!from || !to) return;
    const href = o.windowHref(from <= to ? { from, to } : { from: to, to: from });
    (o.navigate ?? ((x: string) => (globalThis.location.hash = x)))(href);
  });
  return h(
    "nav",
    { class: "zoom", "aria-label": "Period shown" },
    h(
      "div",
      { class: "chips" },
      link(o.windowHref(null), "Whole run", { class: w.zoomed ? "chip" : "chip active" }),
      ...yearLinks,
    ),
    form,
    h(
      "p",
      { class: "zoom-note" },
      `Showing ${current}`,
      w.frame.weekly
        ? ": lead time, backlog and utilisation as weekly means — pick a year or up to two years for daily values."
        : ", daily values.",
    ),
  );
}

function dayDetails(run: LoadedRun, w: RunWindow): HTMLElement {
  const t = run.table;
  const input = h("input", {
    type: "date",
    min: t.dates[0] as string,
    max: t.dates[t.n - 1] as string,
    value: t.dates[w.to - 1] as string,
    "aria-label": "day",
  });
  const out = h("div", { class: "day-table" });
  const show = () => {
    const i = t.dates.indexOf(input.value);
    out.replaceChildren();
    if (i < 0) {
      out.appendChild(
        h(
          "p",
          {},
          `No row for ${input.value || "that day"} (the run covers ${t.dates[0]} – ${t.dates[t.n - 1]}).`,
        ),
      );
      return;
    }
    const rows = t.names.map((name) => {
      const v = (t.columns.get(name) as Float64Array)[i] as number;
      const text = !Number.isFinite(v)
        ? "–"
        : /utilisation|availability/.test(name)
          ? pct(v * 100, 2)
          : Number.isInteger(v)
            ? int(v)
            : String(Math.round(v * 100) / 100);
      return [name, text];
    });
    out.appendChild(table(["column", `value on ${input.value}`], rows, { align: ["l", "r"] }));
  };
  input.addEventListener("change", show);
  show();
  return h(
    "details",
    { class: "drill" },
    h("summary", {}, "Every column of one day (timeseries.csv)"),
    h("p", {}, h("label", {}, "Day ", input)),
    out,
  );
}

function fidelityDetails(run: LoadedRun): HTMLElement | null {
  const nat = run.summary.fidelity.national;
  if (nat.length === 0) return null;
  return h(
    "details",
    { class: "drill" },
    h("summary", {}, `Simulated vs official on ${nat.length} dates`),
    table(
      ["date", "official", "simulated", "error %"],
      nat.map((r) => [r.date, int(r.official), int(r.simulated), signed(r.errorPercent, 2)]),
      { align: ["l", "r", "r", "r"] },
    ),
  );
}

function peakDetails(run: LoadedRun): HTMLElement | null {
  const pk = run.summary.peakBacklogs;
  if (Object.keys(pk).length === 0) return null;
  return h(
    "details",
    { class: "drill" },
    h("summary", {}, "Peak backlog per stage"),
    table(
      ["stage", "peak cards", "on"],
      BACKLOG_COLUMNS.map(([col, name]) => {
        const p = pk[col.replace("backlog_", "")];
        return [name, int(p?.cards), p?.date ?? "–"];
      }),
      { align: ["l", "r", "l"] },
    ),
  );
}

/** The run with each prefecture named "Tokyo 東京都" (romanised first: it renders without a CJK font). */
function withPrefectureLabels(run: LoadedRun): LoadedRun {
  const pf = run.summary.fidelity.prefectures;
  if (!pf) return run;
  return {
    ...run,
    summary: {
      ...run.summary,
      fidelity: {
        ...run.summary.fidelity,
        prefectures: {
          ...pf,
          rows: pf.rows.map((r) => ({ ...r, prefecture: prefectureLabel(r.prefecture) })),
        },
      },
    },
  };
}

/**
 * The lagging prefectures: lowest official coverage on the comparison date, with the simulated
 * coverage then and, when the run has prefectures.csv, on its last simulated day.
 */
function laggingSection(run: LoadedRun): HTMLElement | null {
  const pf = run.summary.fidelity.prefectures;
  if (!pf || pf.rows.length === 0) return null;
  const rows = laggingPrefectures(pf.rows);
  const t = run.prefectures;
  const last = new Map<string, number>();
  if (t && t.dates.length > 0) {
    const np = t.prefectures.length;
    const d = t.dates.length - 1;
    t.prefectures.forEach((p, k) => last.set(p.ja, (t.issued[d * np + k]! / p.population) * 100));
  }
  const fit = run.summary.fidelity.uptakeFit ?? null;
  const label = fit
    ? pf.date > fit.fitDate
      ? `out of sample: propensity by municipality fitted on ${fit.observedOn} (fit date ${fit.fitDate})`
      : `in-sample: propensity by municipality fitted on ${fit.observedOn}`
    : "demand proportional to population (no propensity by municipality)";
  const head = ["#", "prefecture", "official coverage %", "sim. coverage %", "error (points)"];
  if (last.size > 0) head.push(`sim. coverage % on ${t!.dates[t!.dates.length - 1]}`);
  return h(
    "div",
    { class: "lagging-prefectures" },
    h("h3", {}, `Lagging prefectures on ${pf.date}`),
    h("p", {}, `The ${rows.length} with the lowest official coverage; simulation ${label}.`),
    table(
      head,
      rows.map((r, i) => {
        const cells: (string | number)[] = [
          i + 1,
          prefectureLabel(r.prefecture),
          r.officialCoverage.toFixed(2),
          r.simulatedCoverage.toFixed(2),
          signed(r.simulatedCoverage - r.officialCoverage, 2),
        ];
        if (last.size > 0) cells.push(last.get(r.prefecture)?.toFixed(2) ?? "–");
        return cells;
      }),
      { align: ["r", "l", "r", "r", "r", "r"] },
    ),
  );
}

function prefectureSection(run0: LoadedRun, width: number): HTMLElement | null {
  const run = withPrefectureLabels(run0);
  const pf = run.summary.fidelity.prefectures;
  if (!pf || pf.rows.length === 0) return null;
  const holder = h("div", { class: "prefecture-chart" });
  const buttons = (["share", "coverage"] as const).map((metric) => {
    const b = h(
      "button",
      { type: "button", class: "chip", "data-metric": metric, "aria-pressed": "false" },
      metric === "share" ? "share of the nation's cards" : "coverage (cards per resident)",
    );
    b.addEventListener("click", () => show(metric));
    return b;
  });
  const show = (metric: PrefectureMetric) => {
    holder.replaceChildren(chartBox(prefectureChart(run, { width }, metric) ?? "", "prefectures"));
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.metric === metric));
  };
  show("share");
  const ranked = [...pf.rows].sort((a, b) => b.simulatedShare - a.simulatedShare);
  return h(
    "section",
    { class: "section", id: "prefectures" },
    h("h2", {}, `Prefectures on ${pf.date}`),
    h(
      "p",
      {},
      `Share of the nation's cards: max error ${pf.maxAbsShareErrorPoints.toFixed(2)} points. Coverage (cards per resident): max error ${pf.maxAbsCoverageErrorPoints.toFixed(2)} points (${
        run.summary.fidelity.uptakeFit
          ? pf.date > run.summary.fidelity.uptakeFit.fitDate
            ? `out of sample: propensity by municipality fitted on data up to ${run.summary.fidelity.uptakeFit.fitDate}`
            : "in-sample for the propensity by municipality"
          : "the model's demand is population-proportional"
      }).`,
    ),
    laggingSection(run0) ?? "",
    h("div", { class: "chips", role: "group", "aria-label": "Rank prefectures by" }, "Rank by ", ...buttons),
    holder,
    h(
      "details",
      { class: "drill" },
      h("summary", {}, "Ranked table: share and coverage, simulated vs official"),
      table(
        [
          "#",
          "prefecture",
          "sim. share %",
          "official share %",
          "share error (points)",
          "sim. coverage %",
          "official coverage %",
        ],
        ranked.map((r, i) => [
          i + 1,
          r.prefecture,
          r.simulatedShare.toFixed(3),
          r.officialShare.toFixed(3),
          signed(r.simulatedShare - r.officialShare, 3),
          r.simulatedCoverage.toFixed(2),
          r.officialCoverage.toFixed(2),
        ]),
        { align: ["r", "l", "r", "r", "r", "r", "r"] },
      ),
    ),
  );
}

/**
 * Renders one run.
 * @param run a loaded run
 * @param o width, zoom window and link builders
 * @returns the view's root element
 * @throws {TwinError} `E_CHART` if the run's values cannot be drawn (the caller shows the message)
 */
export function renderRunView(run: LoadedRun, o: RunViewOptions): HTMLElement {
  const fitted = fitWindow(run, o.window);
  const w = runWindow(run, fitted.window);
  const size = { width: o.width };
  const weeklyNote = w.frame.weekly ? " Weekly means of daily values, dated on each week's last day." : "";
  const root = h("article", { class: "view run-view", "data-run": run.entry.id });
  const notices = [o.windowProblem ?? null, fitted.note].filter((x): x is string => x !== null);
  const timeCharts = h(
    "div",
    { class: "time-charts" },
    h(
      "section",
      { class: "section", id: "cumulative" },
      chartBox(
        cumulativeChart(run, w, size),
        "cumulative",
        "Daily cumulative cards; dashed horizontal line: the target; dashed vertical line: the target date; shaded spans and thin lines: the scenario's campaigns, deadlines and outages.",
      ),
      chartBox(
        leadTimeChart(run, w, size),
        "lead-time",
        `Days from application to hand-over among the cards handed over each day (gaps: no hand-overs).${weeklyNote}`,
      ),
    ),
    h(
      "section",
      { class: "section", id: "pipeline" },
      h("h2", {}, "Pipeline: backlog and utilisation"),
      chartBox(backlogChart(run, w, size), "backlog", `Cards waiting at each stage, stacked.${weeklyNote}`),
      peakDetails(run) ?? "",
      chartBox(
        utilisationChart(run, w, size),
        "utilisation",
        `Share of each day's capacity used.${weeklyNote}`,
      ),
    ),
  );
  addEvents(timeCharts, o.events ?? []);
  attachCrosshair(timeCharts);
  root.append(
    header(run, o),
    ...headline(run),
    bindingSection(run) ?? "",
    zoomNav(run, w, o),
    ...notices.map((n) => h("p", { class: "notice", role: "status" }, n)),
    timeCharts,
    authSection(run.summary.auth, o.width) ?? "",
    revocationSection(run.summary.revocation, o.width) ?? "",
    networkSection(run.summary.network, o.width) ?? "",
  );
  const pf = prefectureSection(run, o.width);
  if (pf) root.appendChild(pf);
  root.append(
    h(
      "section",
      { class: "section", id: "details" },
      h("h2", {}, "Details"),
      fidelityDetails(run) ?? "",
      dayDetails(run, w),
    ),
    h(
      "footer",
      { class: "view-foot" },
      `${int(run.table.n)} days, ${run.table.names.length} columns; loaded and parsed in ${Math.round(run.loadMs)} ms.`,
    ),
  );
  return root;
}

/**
 * The part of a requested window that lies inside the run, and what to tell the reader when that is
 * not the whole request: a window wholly outside the run shows the whole run; one that overlaps it
 * is clamped to the overlap.
 */
function fitWindow(
  run: LoadedRun,
  window: DateWindow | null,
): { window: DateWindow | null; note: string | null } {
  if (window === null) return { window, note: null };
  const first = run.table.dates[0] as string;
  const last = run.table.dates[run.table.n - 1] as string;
  const asked = `${window.from} → ${window.to}`;
  if (window.to < first || window.from > last)
    return {
      window: null,
      note: `The period ${asked} is outside the run (${first} → ${last}); showing the whole run.`,
    };
  const from = window.from < first ? first : window.from;
  const to = window.to > last ? last : window.to;
  if (from === window.from && to === window.to) return { window, note: null };
  return {
    window: { from, to },
    note: `The period ${asked} reaches outside the run (${first} → ${last}); showing ${from} → ${to}.`,
  };
}

/** Draws the scenario's events on every time chart of the group (under the series). */
function addEvents(group: HTMLElement, events: readonly TimeAnnotation[]): void {
  if (events.length === 0) return;
  for (const svg of Array.from(group.querySelectorAll<SVGSVGElement>("svg.mt-chart[data-plot]"))) {
    let markup: string;
    try {
      markup = annotationLayer(
        events,
        crosshairFrame(svg.getAttribute("data-plot"), svg.getAttribute("data-x-domain")),
      );
    } catch {
      continue; // a chart without a readable frame (e.g. "No data") gets no events
    }
    if (markup === "") continue;
    const layer = globalThis.document.createElementNS("http://www.w3.org/2000/svg", "g");
    layer.setAttribute("class", "mt-event-layer");
    layer.innerHTML = markup;
    const marks = svg.querySelector(".mt-marks");
    svg.insertBefore(layer, marks);
  }
}
