// @vitest-environment jsdom
/**
 * The dashboard's views in jsdom, fed by the fixture runs through the same loaders the browser uses:
 * the run list (validated through the loaders before it says "reached"; broken runs explained in
 * place; run labels), the run view (target line, series, lead-time chart; SVG snapshots; the answer
 * cards scoped to the run's own target; what +10 % of each lever would buy, binding stage
 * highlighted; events; the crosshair readout on keyboard), messages for malformed runs and bad zoom
 * windows, compare, sweep (against the sweep's own target) and bench views (log axis, targets, quick
 * results), and the hint when the data cannot be fetched at all.
 * @module
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import type { App } from "../src/app.js";
import { loadRun, loadSweep } from "../src/data/run-loader.js";
import type { LoadedRun } from "../src/data/run-loader.js";
import { loadRunIndex } from "../src/data/index-loader.js";
import type { RunIndex } from "../src/data/run-types.js";
import { parseRoute, routeHash } from "../src/router.js";
import { renderBenchView } from "../src/views/bench-view.js";
import { attachCrosshair } from "../src/views/crosshair.js";
import { scenarioEvents } from "../src/views/events.js";
import { renderListView } from "../src/views/list-view.js";
import { PREFECTURES, prefectureLabel } from "../../sim/run-format/prefectures.js";
import { runLabel, setFlags } from "../src/views/run-label.js";
import { renderRunView } from "../src/views/run-view.js";
import { renderSweepView } from "../src/views/sweep-view.js";
import { fixtureFetcher, GOOD_RUN, makeReportsDir, SWEEP, SWEEP_JLIS } from "./fixture-reports.js";

const reports = makeReportsDir();
afterAll(() => reports.remove());
const fetcher = fixtureFetcher(reports.dir);

let root: HTMLElement;
let app: App;

beforeAll(() => {
  root = document.createElement("main");
  root.id = "app";
  document.body.appendChild(root);
  app = startApp(root, fetcher);
});

/** Navigates and waits until the view is in the page. */
async function open(hash: string): Promise<void> {
  window.location.hash = hash;
  await app.render();
  expect(root.getAttribute("aria-busy")).toBe("false");
}

const svgIn = (id: string): SVGSVGElement => {
  const svg = root.querySelector<SVGSVGElement>(`svg#${id}`);
  expect(svg, `svg#${id}`).not.toBeNull();
  return svg!;
};

describe("run list", () => {
  it("lists every run with its answer and explains broken ones without breaking the list", async () => {
    await open("#/");
    const rows = Array.from(root.querySelectorAll<HTMLTableRowElement>("tr.run-row"));
    expect(rows.map((r) => r.dataset.id).sort()).toEqual([
      "broken/.partial-history-short-1a2b3c4d",
      "broken/malformed-summary",
      "broken/no-manifest",
      "broken/truncated-csv",
      GOOD_RUN,
      SWEEP_JLIS,
      SWEEP,
    ]);
    const good = rows.find((r) => r.dataset.id === GOOD_RUN)!;
    expect(good.querySelector(".run-label")!.textContent).toBe("history · end=2017-04-30");
    expect(good.textContent).toContain("not reached 87 M by 2020-03-31");
    expect(good.textContent).toContain("demand (residents' applications)");
    // the index calls the truncated run ok; the loaders refuse it, so the list shows it broken
    const truncated = rows.find((r) => r.dataset.id === "broken/truncated-csv")!;
    expect(truncated.dataset.status).toBe("error");
    expect(truncated.className).toContain("broken");
    expect(truncated.textContent).toMatch(/timeseries\.csv: line \d+ has \d+ of 22 fields/);
    expect(truncated.textContent).not.toMatch(/reached/);
    expect(truncated.querySelector("input")!.disabled).toBe(true);
    const noManifest = rows.find((r) => r.dataset.id === "broken/no-manifest")!;
    expect(noManifest.dataset.status).toBe("error");
    expect(noManifest.textContent).toContain("Incomplete run: there is no manifest.json");
    expect(noManifest.querySelector("input")!.disabled).toBe(true);
    expect(rows.find((r) => r.dataset.id === SWEEP)!.textContent).toContain(
      "4 of 4 grid points reached 5 M by 2016-06-30",
    );
    const jlis = rows.find((r) => r.dataset.id === SWEEP_JLIS)!;
    expect(jlis.textContent).toContain("2 of 6 grid points reached 10 M by 2016-12-31");
    expect(jlis.querySelector(".run-label")!.textContent).toBe("jlis-outage-2016 · end=2017-06-30");
  });

  it("gives no verdict before the loaders have checked a run, and never calls an invalid date a date", async () => {
    const ix: RunIndex = structuredClone(await loadRunIndex(fetcher));
    const good = ix.runs.find((r) => r.id === GOOD_RUN)!;
    good.headline = { ...good.headline!, reachedOn: "2019-13-45" };
    const unchecked = renderListView(ix);
    const row0 = unchecked.querySelector<HTMLElement>(`tr[data-id="${GOOD_RUN}"]`)!;
    expect(row0.dataset.status).toBe("unchecked");
    expect(row0.textContent).toContain("not checked yet");
    expect(row0.textContent).not.toMatch(/reached/);
    const view = renderListView(ix, { checks: new Map([[GOOD_RUN, null]]) });
    const row1 = view.querySelector<HTMLElement>(`tr[data-id="${GOOD_RUN}"]`)!;
    expect(row1.textContent).toContain('invalid date "2019-13-45"');
    const refused = renderListView(ix, {
      checks: new Map([[GOOD_RUN, "Run history-short: summary.json: bad"]]),
    });
    const row2 = refused.querySelector<HTMLElement>(`tr[data-id="${GOOD_RUN}"]`)!;
    expect(row2.dataset.status).toBe("error");
    expect(row2.textContent).toContain("Run history-short: summary.json: bad");
    expect(row2.textContent).not.toMatch(/not reached|reached 87/);
  });

  it("compares the ticked runs", async () => {
    await open("#/");
    const form = root.querySelector("form.run-list")!;
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
    expect(button.disabled).toBe(true);
    for (const id of [GOOD_RUN, SWEEP]) {
      const box = form.querySelector<HTMLInputElement>(`input[value="${id}"]`)!;
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    expect(button.disabled).toBe(false);
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(window.location.hash).toBe(routeHash({ view: "compare", ids: [GOOD_RUN, SWEEP] }));
  });
});

describe("run view", () => {
  // one render of the whole run for the tests that only read it (jsdom parses the SVG strings slowly)
  beforeAll(() => open(`#/run/${GOOD_RUN}`));

  it("draws cumulative cards against the 87 M target line, with the official point and the CI band", () => {
    expect(root.querySelector("h1")!.textContent).toBe("Scenario history");
    const cards = root.querySelector(".cards")!.textContent!;
    expect(cards).toContain("Not reached");
    expect(cards).toContain("demand");
    const svg = svgIn("chart-cumulative");
    const rules = svg.querySelectorAll("line.mt-rule");
    expect(rules.length).toBe(1); // the target date 2020-03-31 is far outside this 16-month run
    expect(svg.querySelector(".mt-rules")!.textContent).toContain("target 87 M cards");
    const lines = Array.from(svg.querySelectorAll("path.mt-line"));
    expect(lines.map((p) => p.getAttribute("stroke"))).toEqual(["#4e79a7", "#f28e2b"]);
    expect(svg.querySelectorAll(".mt-points circle")).toHaveLength(1); // official 2017-03-08
    expect(svg.querySelector(".mt-points title")!.textContent).toBe(
      "cards issued (official)\n2017-03-08: 10,717,919",
    );
    expect(svg.querySelector("path.mt-band")).not.toBeNull();
    // exact values in the tooltips
    const tips = Array.from(svg.querySelectorAll(".mt-hit title")).map((t) => t.textContent ?? "");
    expect(tips.length).toBeGreaterThan(50);
    expect(tips.some((t) => /^2017-04-\d\d\ncards issued \(simulated\): [\d,]+\n/.test(t))).toBe(true);
  });

  it("draws the lead-time percentiles on the same time axis", () => {
    const lead = svgIn("chart-lead-time");
    const paths = lead.querySelectorAll("path.mt-line");
    expect(paths).toHaveLength(3); // p50, p90, p99
    expect(lead.querySelector(".mt-axis-y")!.textContent).toContain("lead time (days)");
    // same x axis as the cumulative chart: identical tick positions
    const ticks = (id: string) =>
      Array.from(svgIn(id).querySelectorAll(".mt-axis-x line.mt-grid")).map((l) => l.getAttribute("x1"));
    expect(ticks("chart-lead-time")).toEqual(ticks("chart-cumulative"));
    expect(svgIn("chart-backlog").querySelectorAll(".mt-legend-item")).toHaveLength(7);
    expect(svgIn("chart-utilisation").textContent).toContain("counters");
    expect(root.querySelector("#prefectures")).toBeNull(); // no prefecture snapshot in this short run
  });

  it("shows every column of a chosen day on demand", () => {
    const details = Array.from(root.querySelectorAll("details.drill")).find((d) =>
      d.querySelector("summary")!.textContent!.startsWith("Every column"),
    )!;
    const input = details.querySelector<HTMLInputElement>("input[type=date]")!;
    input.value = "2017-03-08";
    input.dispatchEvent(new Event("change"));
    expect(details.textContent).toContain("value on 2017-03-08");
    expect(details.textContent).toContain("cards_issued_cumulative");
  });

  it("zooms into a window with daily values and keeps the zoom in the URL", async () => {
    await open(routeHash({ view: "run", id: GOOD_RUN, window: { from: "2017-01-01", to: "2017-03-31" } }));
    expect(root.querySelector(".zoom-note")!.textContent).toContain("2017-01-01 → 2017-03-31");
    const hits = svgIn("chart-lead-time").querySelectorAll(".mt-hit title");
    expect(hits[0]!.textContent).toMatch(/^2017-01-01\n/);
    // snapshots of the quarter with the official observation: target line, series, CI band, lead time
    await expect(svgIn("chart-cumulative").outerHTML).toMatchFileSnapshot(
      "__snapshots__/run-cumulative-2017q1.svg",
    );
    await expect(svgIn("chart-lead-time").outerHTML).toMatchFileSnapshot(
      "__snapshots__/run-lead-time-2017q1.svg",
    );
    const form = root.querySelector<HTMLFormElement>("form.zoom-form")!;
    form.querySelector<HTMLInputElement>("input[name=from]")!.value = "2016-06-01";
    form.querySelector<HTMLInputElement>("input[name=to]")!.value = "2016-06-30";
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(window.location.hash).toBe(`#/run/${GOOD_RUN}?from=2016-06-01&to=2016-06-30`);
  });

  it("renders at phone width with the same data", async () => {
    const run = await loadRun(
      (await loadRunIndex(fetcher)).runs.find((r) => r.id === GOOD_RUN)!,
      fetcher,
    );
    const view = renderRunView(run, { width: 360, window: null, windowHref: () => "#", fileHref: (f) => f });
    const svg = view.querySelector("svg#chart-cumulative")!;
    expect(svg.getAttribute("viewBox")).toMatch(/^0 0 360 /);
    expect(svg.querySelector(".mt-title")!.textContent).toBe("Cards issued vs 87 M target");
  });
});

describe("prefectures", () => {
  it("ranks prefectures by share, or by coverage on demand", async () => {
    const run = await loadRun(
      (await loadRunIndex(fetcher)).runs.find((r) => r.id === GOOD_RUN)!,
      fetcher,
    );
    // the short fixture run ends before the prefecture snapshot date; give it a three-row snapshot
    run.summary.fidelity.prefectures = {
      date: "2017-04-30",
      maxAbsShareErrorPoints: 0.5,
      maxAbsCoverageErrorPoints: 4,
      rows: [
        {
          prefecture: "北海道",
          officialShare: 4.0,
          simulatedShare: 4.1,
          officialCoverage: 10,
          simulatedCoverage: 11,
        },
        {
          prefecture: "東京都",
          officialShare: 11.2,
          simulatedShare: 10.9,
          officialCoverage: 14,
          simulatedCoverage: 11,
        },
        {
          prefecture: "沖縄県",
          officialShare: 0.9,
          simulatedShare: 1.0,
          officialCoverage: 7,
          simulatedCoverage: 11,
        },
      ],
    };
    const view = renderRunView(run, { width: 960, window: null, windowHref: () => "#", fileHref: (f) => f });
    const section = view.querySelector("#prefectures")!;
    const labels = () =>
      Array.from(section.querySelectorAll("svg .mt-bar-label, svg text")).map((t) => t.textContent);
    expect(section.querySelector("svg .mt-title")!.textContent).toBe(
      "Share of the nation's cards by prefecture, 2017-04-30",
    );
    const order = labels().filter((t) => /東京都|北海道|沖縄県/.test(t ?? ""));
    expect(order).toEqual(["Tokyo 東京都", "Hokkaido 北海道", "Okinawa 沖縄県"]);
    section.querySelector<HTMLButtonElement>('button[data-metric="coverage"]')!.click();
    expect(section.querySelector("svg .mt-title")!.textContent).toBe(
      "Card coverage by prefecture, 2017-04-30",
    );
    expect(section.querySelector('button[data-metric="coverage"]')!.getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(section.querySelectorAll("details tbody tr")).toHaveLength(3);
    expect(section.querySelector("details tbody")!.textContent).toContain("Okinawa 沖縄県");
    // the lagging prefectures: lowest official coverage first, romanised names beside the kanji,
    // simulated coverage on the run's last day from prefectures.csv
    run.prefectures = {
      dates: ["2017-04-30"],
      prefectures: [
        { code: "01", en: "Hokkaido", ja: "北海道", population: 1000 },
        { code: "13", en: "Tokyo", ja: "東京都", population: 2000 },
        { code: "47", en: "Okinawa", ja: "沖縄県", population: 500 },
      ],
      applications: Float64Array.from([200, 300, 100]),
      issued: Float64Array.from([100, 250, 60]),
    };
    const lagging = renderRunView(run, {
      width: 960,
      window: null,
      windowHref: () => "#",
      fileHref: (f) => f,
    }).querySelector("#prefectures .lagging-prefectures")!;
    expect(lagging.querySelector("h3")!.textContent).toBe("Lagging prefectures on 2017-04-30");
    expect(lagging.textContent).toContain("demand proportional to population");
    const rows = Array.from(lagging.querySelectorAll("tbody tr")).map((tr) =>
      Array.from(tr.querySelectorAll("td")).map((td) => td.textContent),
    );
    expect(rows.map((r) => r[1])).toEqual(["Okinawa 沖縄県", "Hokkaido 北海道", "Tokyo 東京都"]);
    expect(rows[0]).toEqual(["1", "Okinawa 沖縄県", "7.00", "11.00", "+4.00", "12.00"]);
    expect(lagging.querySelector("thead")!.textContent).toContain("sim. coverage % on 2017-04-30");
  });

  it("has a romanised name for each of the 47 prefectures", () => {
    expect(PREFECTURES).toHaveLength(47);
    expect(new Set(PREFECTURES.map(([k]) => k)).size).toBe(47);
    expect(new Set(PREFECTURES.map(([, r]) => r)).size).toBe(47);
    expect(PREFECTURES[0]).toEqual(["北海道", "Hokkaido"]);
    expect(PREFECTURES[46]).toEqual(["沖縄県", "Okinawa"]);
    for (const [, r] of PREFECTURES) expect(r).toMatch(/^[A-Z][a-z]+$/);
    expect(prefectureLabel("大阪府")).toBe("Osaka 大阪府");
    expect(prefectureLabel("unknown")).toBe("unknown");
  });
});

describe("run view answers", () => {
  let run: LoadedRun;
  beforeAll(async () => {
    run = await loadRun(
      (await loadRunIndex(fetcher)).runs.find((r) => r.id === GOOD_RUN)!,
      fetcher,
    );
  });
  const view = (r: LoadedRun, extra: Partial<Parameters<typeof renderRunView>[1]> = {}) =>
    renderRunView(r, { width: 960, window: null, windowHref: () => "#", fileHref: (f) => f, ...extra });
  const cardsText = (v: HTMLElement) =>
    Array.from(v.querySelectorAll(".cards .card")).map((c) => c.textContent ?? "");

  it("shows the run's own target, shortfall, spread of reach dates, capacity needed and lead time by the target date", () => {
    const r: LoadedRun = structuredClone(run);
    Object.assign(r.summary.target, {
      cards: 10_000_000,
      date: "2016-12-31",
      reached: true,
      reachedShare: 1,
      reachedOn: "2016-09-22",
      reachedOnRange: { earliest: "2016-09-20", latest: "2016-09-25" },
      cardsOnTargetDate: { mean: 10_999_285, lower: 10_990_000, upper: 11_008_000 },
      shortfallOnTargetDate: 0,
    });
    r.summary.leadTimeDays.toTargetDate = { p50: 148, p90: 221, p99: 332, mean: 150 };
    Object.assign(r.summary, {
      requiredCapacity: {
        multiplier: 0.71,
        factoryPerDayOnTargetDate: 78_100,
        countersPerTenThousandOnTargetDate: 6.04,
      },
    });
    const cards = cardsText(view(r));
    expect(cards[0]).toContain("10 M cards by 2016-12-31");
    expect(cards.join("|")).not.toContain("87 M");
    expect(cards.find((c) => c.includes("reached on"))).toContain(
      "2016-09-22on or before the target date; replications: 2016-09-20 – 2016-09-25",
    );
    expect(cards.find((c) => c.startsWith("Shortfall"))).toContain("none");
    expect(cards.find((c) => c.startsWith("Least capacity reaching it by 2016-12-31"))).toContain(
      "×0.71 capacity",
    );
    expect(cards.find((c) => c.startsWith("Lead time"))).toContain(
      "Lead time p50 / p90 / p99 by 2016-12-31148 / 221 / 332",
    );
  });

  it("states a shortfall, a failed capacity search, and a whole-run lead time when the target date is outside the run", () => {
    const r: LoadedRun = structuredClone(run);
    Object.assign(r.summary.target, {
      cardsOnTargetDate: { mean: 9_000_000, lower: 9e6, upper: 9e6 },
      shortfallOnTargetDate: 78_000_000,
    });
    Object.assign(r.summary, { requiredCapacity: null });
    const cards = cardsText(view(r));
    expect(cards.find((c) => c.startsWith("Shortfall"))).toContain("78,000,000 cards short of 87,000,000");
    expect(cards.find((c) => c.startsWith("Least capacity"))).toContain("demand, not capacity, is short");
    expect(cards.find((c) => c.startsWith("Lead time"))).toContain(
      "whole run144 / 218 / 331days, application to hand-over; the target date 2020-03-31 is outside the run (2016-01-01 → 2017-04-30)",
    );
    // no capacity search in the run: no card at all
    expect(cardsText(view(run)).some((c) => c.startsWith("Least capacity"))).toBe(false);
  });

  it("shows what +10 % of each lever would buy, the binding stage highlighted, and the binding stage by date", () => {
    const v = view(run);
    const section = v.querySelector<HTMLElement>("section#binding")!;
    expect(section).not.toBeNull();
    // right after the headline answer, before the zoom and the charts
    expect(section.previousElementSibling!.className).toBe("explain");
    expect(section.querySelector("h2")!.textContent).toBe("What +10 % of each would buy");
    expect(section.querySelector(".method")!.textContent).toBe(
      "Method: marginal effect of +10 % capacity, paired runs with common random numbers, compared on 2017-04-30 (the run ends before the target date 2020-03-31). Binding: the capacity whose +10 % moves those cards the most; demand when none moves them by 0.5 % or more.",
    );
    const head = Array.from(section.querySelectorAll("thead th")).map((th) => th.textContent);
    expect(head).toEqual(["lever", "Δ cards on 2017-04-30", "Δ %", "Δ reach date"]);
    const rows = Array.from(section.querySelectorAll<HTMLTableRowElement>("tbody tr"));
    const cells = (tr: HTMLTableRowElement) => Array.from(tr.cells).map((c) => c.textContent);
    expect(rows.map((r) => r.dataset.lever)).toEqual(["intake", "factory", "jlis", "counters", "demand"]);
    const note = (lever: string) => `the target is not reached by 2017-04-30 with or without +10 % ${lever}`;
    expect(rows.map(cells)).toEqual([
      ["+10 % J-LIS intake", "0", "0.00 %", note("J-LIS intake")],
      ["+10 % card factory", "0", "0.00 %", note("factory")],
      ["+10 % J-LIS hand-over", "0", "0.00 %", note("J-LIS hand-over")],
      ["+10 % municipal counters", "+2195 % CI -42 – +85", "0.00 %", note("counters")],
      ["+10 % demandbinding", "+425,87895 % CI +421,246 – +430,509", "+3.59 %", note("demand")],
    ]);
    // the binding stage (demand: no capacity moves cards by 0.5 %) is the one highlighted row
    const highlighted = section.querySelectorAll<HTMLTableRowElement>("tr.binding");
    expect(highlighted).toHaveLength(1);
    expect(highlighted[0]!.dataset.lever).toBe(run.summary.bindingConstraint.stage);
    expect(highlighted[0]!.dataset.lever).toBe("demand");
    expect(section.querySelectorAll(".binding-tag")).toHaveLength(1);
    const byDate = Array.from(section.querySelectorAll(".by-period li")).map((li) => li.textContent);
    expect(byDate).toEqual([
      "2016-03-31 J-LIS hand-over",
      "2016-06-30 J-LIS hand-over",
      "2016-09-30 demand",
      "2016-12-31 demand",
      "2017-03-31 demand",
      "2017-04-30 demand",
    ]);
    expect(cardsText(v).find((c) => c.startsWith("Binding constraint"))).toContain(
      "from what +10 % of each would buy on 2017-04-30 (below)",
    );
  });

  it("moves the highlight with the binding stage, gives reach-date changes in days, and shows nothing without effects", () => {
    const r: LoadedRun = structuredClone(run);
    const bc = r.summary.bindingConstraint;
    bc.stage = "counters";
    bc.comparedOn = r.summary.target.date;
    r.summary.replications = 1;
    Object.assign(bc.effects[3]!, {
      cardsOnTargetDateDelta: { mean: 1_234_567.4, lower: 1_234_567.4, upper: 1_234_567.4 },
      cardsOnTargetDateDeltaPercent: 1.5,
      reachedOn: "2019-11-02",
      reachDateDeltaDays: { mean: -12, lower: -12, upper: -12 },
      reachNote: null,
    });
    Object.assign(bc.effects[4]!, {
      reachDateDeltaDays: { mean: 3.5, lower: 3.5, upper: 3.5 },
      reachNote: "reached in 1 of 2 replications with +10 % demand",
    });
    Object.assign(bc.effects[0]!, { reachDateDeltaDays: { mean: 0, lower: 0, upper: 0 }, reachNote: null });
    bc.byPeriod = [];
    const section = view(r).querySelector<HTMLElement>("section#binding")!;
    const highlighted = Array.from(section.querySelectorAll<HTMLTableRowElement>("tr.binding"));
    expect(highlighted.map((tr) => tr.dataset.lever)).toEqual(["counters"]);
    const row = (lever: string) =>
      Array.from(section.querySelector<HTMLTableRowElement>(`tr[data-lever="${lever}"]`)!.cells).map(
        (c) => c.textContent,
      );
    // one replication: no confidence interval under the values
    expect(row("counters")).toEqual([
      "+10 % municipal countersbinding",
      "+1,234,567",
      "+1.50 %",
      "12 days earlier",
    ]);
    expect(row("demand")[3]).toBe("3.5 days laterreached in 1 of 2 replications with +10 % demand");
    expect(row("intake")[3]).toBe("unchanged");
    expect(section.querySelector(".method")!.textContent).toContain(
      "compared on the target date 2020-03-31.",
    );
    expect(section.querySelector(".by-period")).toBeNull(); // no periods in the file: no list
    // effects missing from the file: no section, no zeros
    bc.effects = [];
    const bare = view(r);
    expect(bare.querySelector("#binding")).toBeNull();
    expect(bare.textContent).not.toContain("would buy");
    expect(cardsText(bare).find((c) => c.startsWith("Binding constraint"))).toBe(
      "Binding constraintmunicipal counterson cards on 2020-03-31",
    );
  });

  it("never calls an invalid reached-on date 'before the target date'", () => {
    const r: LoadedRun = structuredClone(run);
    r.summary.target.reachedOn = "2019-13-45";
    const card = cardsText(view(r)).find((c) => c.includes("reached on"))!;
    expect(card).toContain("invalid date");
    expect(card).not.toContain("before the target date");
  });

  it("draws the scenario's outages and campaigns on the date axes", async () => {
    const fromManifest = scenarioEvents({
      demand: {
        shocks: [
          { name: "Mynapoint 2", start: "2022-06-30", end: "2023-02-28", rush: { deadline: "2023-02-28" } },
        ],
        // history's campaigns (sim/issuance/campaigns.ts): a deadline of their own, end optional
        campaigns: [{ name: "mandate", kind: "mandate", start: "2022-10-13", deadline: "2025-12-02" }],
      },
      jlis: { outages: [{ start: "2016-02-22T13:00", end: "2016-02-22T16:30" }, { start: "bad" }] },
    });
    expect(fromManifest).toEqual([
      { start: "2016-02-22", end: "2016-02-22", label: "J-LIS outage", kind: "outage" },
      { start: "2022-06-30", end: "2023-02-28", label: "Mynapoint 2", kind: "campaign" },
      { start: "2022-10-13", end: "2022-10-13", label: "mandate", kind: "campaign" },
      { start: "2023-02-28", label: "deadline: Mynapoint 2", kind: "deadline" },
      { start: "2025-12-02", label: "deadline: mandate", kind: "deadline" },
    ]);
    const v = view(run, { events: fromManifest });
    const marks = v.querySelectorAll("svg#chart-cumulative g.mt-annotation");
    expect(marks).toHaveLength(1); // only the 2016 outage falls inside this run
    expect(marks[0]!.getAttribute("data-start")).toBe("2016-02-22");
    expect(v.querySelectorAll("svg#chart-backlog g.mt-annotation")).toHaveLength(1);
    // the app reads the resolved scenario of the run directory (here manifest.json's): the seven
    // 2016 J-LIS outages and the launch campaign of the history scenario
    await open(`#/run/${GOOD_RUN}`);
    const drawn = Array.from(root.querySelectorAll("svg#chart-cumulative g.mt-annotation"));
    expect(drawn.filter((g) => g.getAttribute("data-kind") === "outage")).toHaveLength(7);
    expect(drawn.some((g) => g.getAttribute("data-kind") === "campaign")).toBe(true);
  });

  it("moves a shared crosshair with the keyboard and reads exact values on the day", () => {
    const v = view(run);
    const group = v.querySelector<HTMLElement>(".time-charts")!;
    expect(group.getAttribute("tabindex")).toBe("0");
    const readout = group.querySelector(".crosshair-readout")!;
    group.dispatchEvent(new KeyboardEvent("keydown", { key: "Home", bubbles: true }));
    expect(readout.querySelector(".readout-day")!.textContent).toBe("2016-01-01");
    group.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    const day = readout.querySelector(".readout-day")!.textContent!;
    expect(day > "2016-01-01").toBe(true);
    // the readout carries the cumulative chart's exact value of that day, as its strip has it
    const strip = v.querySelector(`svg#chart-cumulative rect.mt-hit[data-date="${day}"] title`)!;
    const line = strip.textContent!.split("\n")[1]!;
    expect(line).toMatch(/^cards issued \(simulated\): [\d,]+$/);
    expect(readout.textContent).toContain(line);
    // every time chart shows the cursor at the same x
    const xs = Array.from(v.querySelectorAll("line.mt-crosshair")).map((l) => l.getAttribute("x1"));
    expect(xs).toHaveLength(4);
    expect(new Set(xs).size).toBe(1);
    group.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(readout.querySelector(".readout-day")).toBeNull();
    // a chart group without time charts gets no crosshair
    expect(attachCrosshair(document.createElement("div"))).toBeNull();
  });

  it("shows a malformed ?from= inline and falls back to the whole run", async () => {
    expect(parseRoute(`#/run/${GOOD_RUN}?from=2017-02-30&to=2017-03-31`)).toMatchObject({
      window: null,
      windowProblem:
        "?from=2017-02-30 is not a calendar date YYYY-MM-DD: showing the whole run. Pick a period below.",
    });
    await open(`#/run/${GOOD_RUN}?from=yesterday&to=2017-03-31`);
    expect(root.querySelector("h1")!.textContent).toBe("Scenario history"); // the view, not an error page
    expect(root.querySelector(".notice")!.textContent).toContain("?from=yesterday is not a calendar date");
    expect(root.querySelector(".zoom-note")!.textContent).toContain("the whole run");
    expect(root.querySelector("svg#chart-cumulative")).not.toBeNull();
  });

  it("clamps a period outside the run and says so", async () => {
    await open(routeHash({ view: "run", id: GOOD_RUN, window: { from: "2017-04-01", to: "2018-06-30" } }));
    expect(root.querySelector(".notice")!.textContent).toBe(
      "The period 2017-04-01 → 2018-06-30 reaches outside the run (2016-01-01 → 2017-04-30); showing 2017-04-01 → 2017-04-30.",
    );
    expect(root.querySelector(".zoom-note")!.textContent).toContain("2017-04-01 → 2017-04-30");
    await open(routeHash({ view: "run", id: GOOD_RUN, window: { from: "2019-01-01", to: "2019-02-01" } }));
    expect(root.querySelector(".notice")!.textContent).toContain("is outside the run");
    expect(root.querySelector(".zoom-note")!.textContent).toContain("the whole run");
  });
});

describe("bad runs", () => {
  it.each([
    ["broken/malformed-summary", /summary\.json is not valid JSON/],
    ["broken/no-manifest", /Incomplete run: there is no manifest\.json/],
    ["broken/.partial-history-short-1a2b3c4d", /Incomplete run: only a \.partial-/],
    ["broken/truncated-csv", /timeseries\.csv: line \d+ has \d+ of 22 fields \(the file may be truncated\)/],
    ["no/such/run", /There is no run no\/such\/run in fixtures/],
  ])("%s shows a clear message", async (id, message) => {
    await open(routeHash({ view: "run", id, window: null }));
    const alert = root.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(alert!.textContent).toMatch(message);
    expect(root.querySelector("svg")).toBeNull();
    // and the list still works afterwards
    await open("#/");
    expect(root.querySelectorAll("tr.run-row").length).toBe(7);
  });
});

describe("compare view", () => {
  it("overlays a run against its own target, draws each sweep point against the sweep's target, and explains what could not be loaded", async () => {
    await open(routeHash({ view: "compare", ids: [GOOD_RUN, SWEEP_JLIS, SWEEP, "broken/truncated-csv"] }));
    const svg = svgIn("chart-compare-cumulative");
    expect(svg.querySelector("path.mt-line")!.getAttribute("stroke")).toBe("#4e79a7");
    expect(svg.querySelector("path.mt-band")).not.toBeNull();
    expect(svg.querySelector(".mt-legend")!.textContent).toContain("history · end=2017-04-30");
    expect(svg.querySelector(".mt-rules")!.textContent).toContain("target 87 M cards"); // the run's own
    expect(svg.querySelectorAll(".mt-points circle")).toHaveLength(0); // no sweep dots at the run's target
    // six grid points, two of which share 2017-06-24 and two 2017-01-13: six dots, not four
    const sweep = svgIn("chart-compare-sweep-0");
    const dots = Array.from(sweep.querySelectorAll(".mt-points"));
    expect(dots).toHaveLength(6);
    const tips = dots.map((g) => g.querySelector("title")!.textContent!);
    expect(tips.filter((t) => t.includes("2017-06-24"))).toHaveLength(2);
    expect(tips).toContain("40000 × 12: made it, −64 d\n2016-10-28: 40000 × 12");
    expect(tips).toContain("20000 × 3: missed, +175 d\n2017-06-24: 20000 × 3");
    const colours = dots.map((g) => g.getAttribute("fill"));
    expect(colours.filter((c) => c === "#2166ac")).toHaveLength(2); // made it
    expect(colours.filter((c) => c === "#d6604d")).toHaveLength(4); // missed
    expect(sweep.querySelector(".mt-rules")!.textContent).toContain("target date 2016-12-31");
    expect(sweep.textContent).not.toContain("2020-03-31");
    // the other sweep against its own 5 M by 2016-06-30
    const small = svgIn("chart-compare-sweep-1");
    expect(small.getAttribute("aria-label")).toContain("grid points reaching 5 M");
    expect(small.querySelector(".mt-rules")!.textContent).toContain("target date 2016-06-30");
    expect(svgIn("chart-compare-lead-time").querySelectorAll("path.mt-line")).toHaveLength(2);
    expect(root.querySelector('[role="alert"]')!.textContent).toContain("timeseries.csv: line");
    expect(root.querySelector("table")!.textContent).toContain("2 of 6 points reached 10 M by 2016-12-31");
  });
});

describe("sweep view", () => {
  it("draws the grid against the sweep's own target (10 M by 2016-12-31), made-it and missed in two hues", async () => {
    await open(routeHash({ view: "run", id: SWEEP_JLIS, window: null }));
    const svg = svgIn("chart-sweep-reached-0");
    expect(svg.querySelector(".mt-title")!.textContent).toBe(
      "When 10 M cards were reached, against 2016-12-31",
    );
    const cells = Array.from(svg.querySelectorAll<SVGRectElement>("rect.mt-cell"));
    expect(cells).toHaveLength(6);
    const tip = (c: Element) => c.querySelector("title")!.textContent!;
    const made = cells.find((c) => tip(c).includes("2016-10-28"))!;
    const missed = cells.find((c) => tip(c).includes("2017-01-13"))!;
    expect(tip(made)).toContain("2016-10-28 (64 days before the target date 2016-12-31: made it)");
    expect(tip(missed)).toContain("2017-01-13 (13 days after the target date 2016-12-31: missed)");
    const rgb = (c: Element) => {
      const n = parseInt(c.getAttribute("fill")!.slice(1), 16);
      return [(n >> 16) & 255, (n >> 8) & 255, n & 255] as const;
    };
    const [mr, , mb] = rgb(made);
    const [xr, , xb] = rgb(missed);
    expect(mb).toBeGreaterThan(mr + 40); // blue
    expect(xr).toBeGreaterThan(xb + 40); // red, even only 13 days late
    expect(svg.textContent).toContain("−64 d");
    expect(svg.textContent).toContain("+13 d");
    expect(svg.textContent).not.toContain("2020-03-31");
    const cardsSvg = svgIn("chart-sweep-cards-0");
    expect(cardsSvg.querySelector(".mt-split")).not.toBeNull(); // the 10 M threshold is on the legend
    const cardCells = Array.from(cardsSvg.querySelectorAll("rect.mt-cell"));
    const short = cardCells.find((c) => tip(c).includes("9,665,579"))!;
    expect(tip(short)).toContain("334,421 short");
    expect(rgb(short)[0]).toBeGreaterThan(rgb(short)[2] + 40);
    expect(root.querySelector(".cards")!.textContent).toContain("10 M by 2016-12-31");
    // each cell takes the keyboard focus and its values show at once
    missed.dispatchEvent(new FocusEvent("focus"));
    const tipBox = root.querySelector<HTMLElement>(".grid-charts .instant-tip")!;
    expect(missed.getAttribute("tabindex")).toBe("0");
    expect(tipBox.hidden).toBe(false);
    expect(tipBox.textContent).toContain("13 days after the target date 2016-12-31: missed");
    missed.dispatchEvent(new FocusEvent("blur"));
    expect(tipBox.hidden).toBe(true);
    expect(root.querySelector("table")!.textContent).toContain("2017-01-13 (+13 d)");
    expect(root.querySelectorAll("table tbody tr")).toHaveLength(6);
  });

  it("shows a sweep that does not record its target without any target-relative figure", async () => {
    const entry = (await loadRunIndex(fetcher)).runs.find((r) => r.id === SWEEP)!;
    const loaded = structuredClone(await loadSweep(entry, fetcher));
    delete (loaded.sweep as { target?: unknown }).target;
    root.replaceChildren(renderSweepView(loaded, { width: 960, fileHref: (f) => f }));
    expect(root.querySelector("svg")).toBeNull();
    expect(root.querySelector(".notice")!.textContent).toContain("does not record the target");
    expect(root.textContent).not.toContain("87 M");
    expect(root.textContent).not.toContain("2020-03-31");
    expect(root.querySelector(".run-label")!.textContent).toBe(
      "plan-87m · end=2016-09-30, target.cards=5000000, target.date=2016-06-30, target.solveCapacity=false",
    );
    expect(root.querySelectorAll("table tbody tr")).toHaveLength(4);
  });
});

describe("bench view", () => {
  it("draws ratios on a log axis, judges each against its own target, marks quick results, and explains a bad document", async () => {
    await open("#/bench");
    const svg = svgIn("chart-bench-0");
    expect(svg.textContent).toContain("parity ×1");
    const ticks = Array.from(svg.querySelectorAll(".mt-axis-x text")).map((t) => t.textContent);
    expect(ticks).toEqual(expect.arrayContaining(["×0.1", "×1", "×1,000", "×1,000,000"]));
    const row = (name: string) =>
      Array.from(root.querySelectorAll("table tbody tr")).find((r) => r.textContent!.startsWith(name))!;
    expect(row("des.hold.process").textContent).toContain("misses target");
    expect(row("des.hold.process").textContent).toContain("≥ ×10");
    expect(row("des.history.run").textContent).toContain("meets target");
    expect(row("des.heap.push-pop").textContent).toContain("no target (behind the reference)");
    expect(row("des.events.memory").textContent).toContain("meets target"); // 48 ≤ 64 bytes/event
    expect(row("crl.lookup.indexed").querySelector(".tag.quick")).not.toBeNull();
    const bar = (label: string) =>
      Array.from(svg.querySelectorAll("g.mt-row")).find((g) =>
        g.querySelector(".mt-bar-label")!.textContent!.startsWith(label),
      )!;
    expect(bar("des.hold.process").querySelector("rect.mt-bar")!.getAttribute("fill")).toBe("#e15759");
    expect(bar("des.history.run").querySelector("rect.mt-bar")!.getAttribute("fill")).toBe("#59a14f");
    expect(bar("des.heap.push-pop").querySelector("rect.mt-bar")!.getAttribute("fill")).toBe("#9d9d9d");
    expect(bar("crl.lookup.indexed (quick)").querySelector("rect.mt-bar")!.getAttribute("fill-opacity")).toBe(
      "0.45",
    );
    expect(bar("des.hold.process").querySelector("line.mt-marker")).not.toBeNull(); // the ×10 target
    // the log axis: ×0.145 and ×575,352 both visible, neither squashed to nothing
    const width = (label: string) => Number(bar(label).querySelector("rect.mt-bar")!.getAttribute("width"));
    expect(width("crypto.keygen.forge (quick)")).toBeGreaterThan(30);
    expect(width("des.heap.push-pop")).toBeGreaterThan(5);
    expect(root.querySelector("figure[data-chart=bench-0] figcaption")!.textContent).toContain("--quick");
    expect(root.querySelector('[role="alert"]')!.textContent).toMatch(/not-a-bench\.json: \S+: expected/);
  });

  it("tells how to save a result the dashboard accepts (npm run -s)", () => {
    const v = renderBenchView({ source: "bench/results", documents: [] }, { width: 960 });
    expect(v.querySelector(".empty")!.textContent).toContain(
      "npm run bench:des -s -- --json > bench/results/des.json",
    );
  });
});

describe("data that cannot be fetched", () => {
  it("says how to serve the dashboard instead of a bare failure", async () => {
    const dead = document.createElement("main");
    const app2 = startApp(dead, async () => ({ status: 0, text: "Failed to fetch" }));
    window.location.hash = "#/";
    await app2.render();
    expect(dead.querySelector('[role="alert"]')!.textContent).toContain("npm run dashboard");
    expect(dead.textContent).toContain("static file server");
  });
});

describe("run labels", () => {
  it("names a run by scenario and overrides, reading --set flags from a command line", () => {
    expect(runLabel("history", ["end=2017-04-30"])).toBe("history · end=2017-04-30");
    expect(runLabel("history", [])).toBe("history");
    expect(runLabel(null, null)).toBe("–");
    expect(
      setFlags(`myna-twin sweep x.yaml --set 'jlis.outages=[]' --set end=2017-06-30 --set="a=b c"`),
    ).toEqual(["jlis.outages=[]", "end=2017-06-30", "a=b c"]);
  });
});
