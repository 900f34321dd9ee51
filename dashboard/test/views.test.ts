// @vitest-environment jsdom
/**
 * The dashboard's views in jsdom, fed by the fixture runs through the same loaders the browser uses:
 * the run list (broken runs explained in place), the run view (target line, series, lead-time chart;
 * SVG snapshots), messages for malformed runs, zooming, compare, sweep and bench views.
 * @module
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import type { App } from "../src/app.js";
import { loadRun } from "../src/data/run-loader.js";
import { loadRunIndex } from "../src/data/index-loader.js";
import { routeHash } from "../src/router.js";
import { renderRunView } from "../src/views/run-view.js";
import { fixtureFetcher, GOOD_RUN, makeReportsDir, SWEEP } from "./fixture-reports.js";

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
      SWEEP,
    ]);
    const good = rows.find((r) => r.dataset.id === GOOD_RUN)!;
    expect(good.textContent).toContain("history");
    expect(good.textContent).toContain("not reached 87 M by 2020-03-31");
    expect(good.textContent).toContain("municipal counters");
    const noManifest = rows.find((r) => r.dataset.id === "broken/no-manifest")!;
    expect(noManifest.dataset.status).toBe("error");
    expect(noManifest.textContent).toContain("Incomplete run: there is no manifest.json");
    expect(noManifest.querySelector("input")!.disabled).toBe(true);
    expect(rows.find((r) => r.dataset.id === SWEEP)!.textContent).toContain(
      "4 of 4 grid points reached the target by its date",
    );
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
    expect(cards).toContain("municipal counters");
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
    const order = labels().filter((t) => t === "北海道" || t === "東京都" || t === "沖縄県");
    expect(order).toEqual(["東京都", "北海道", "沖縄県"]);
    section.querySelector<HTMLButtonElement>('button[data-metric="coverage"]')!.click();
    expect(section.querySelector("svg .mt-title")!.textContent).toBe(
      "Card coverage by prefecture, 2017-04-30",
    );
    expect(section.querySelector('button[data-metric="coverage"]')!.getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(section.querySelectorAll("tbody tr")).toHaveLength(3);
  });
});

describe("bad runs", () => {
  it.each([
    ["broken/malformed-summary", /summary\.json is not valid JSON/],
    ["broken/no-manifest", /Incomplete run: there is no manifest\.json/],
    ["broken/.partial-history-short-1a2b3c4d", /Incomplete run: only a \.partial-/],
    [
      "broken/truncated-csv",
      /Run broken\/truncated-csv: timeseries\.csv: line \d+ has \d+ of 22 fields \(the file may be truncated\)/,
    ],
    ["no/such/run", /There is no run no\/such\/run in fixtures/],
  ])("%s shows a clear message", async (id, message) => {
    await open(routeHash({ view: "run", id, window: null }));
    const alert = root.querySelector('[role="alert"]');
    expect(alert).not.toBeNull();
    expect(alert!.textContent).toMatch(message);
    expect(root.querySelector("svg")).toBeNull();
    // and the list still works afterwards
    await open("#/");
    expect(root.querySelectorAll("tr.run-row").length).toBe(6);
  });
});

describe("compare view", () => {
  it("overlays a run and a sweep's grid points, and explains what could not be loaded", async () => {
    await open(routeHash({ view: "compare", ids: [GOOD_RUN, SWEEP, "broken/truncated-csv"] }));
    const svg = svgIn("chart-compare-cumulative");
    expect(svg.querySelector("path.mt-line")!.getAttribute("stroke")).toBe("#4e79a7");
    expect(svg.querySelector("path.mt-band")).not.toBeNull();
    expect(svg.querySelectorAll(".mt-points circle")).toHaveLength(4); // four distinct reached-on dates
    expect(svg.querySelector(".mt-rules")!.textContent).toContain("target 87 M cards");
    expect(svgIn("chart-compare-lead-time").querySelectorAll("path.mt-line")).toHaveLength(2);
    expect(root.querySelector('[role="alert"]')!.textContent).toContain("timeseries.csv: line");
    expect(root.querySelector("table")!.textContent).toContain("4 of 4 points reached it");
  });
});

describe("sweep view", () => {
  it("draws the grid against the date the target was reached", async () => {
    await open(routeHash({ view: "run", id: SWEEP, window: null }));
    const svg = svgIn("chart-sweep-reached-0");
    const cells = Array.from(svg.querySelectorAll("rect.mt-cell title")).map((t) => t.textContent);
    expect(cells).toHaveLength(4);
    expect(cells).toContain(
      "counters.perTenThousandPerDay[0].value: 12\nfactory.capacityPerDay[0].value: 140000\ndays before (−, blue) or after (+, red) 2020-03-31; grey: not reached in the run: 2016-03-17 (1475 days before the target date)",
    );
    expect(svgIn("chart-sweep-cards-0").querySelectorAll("rect.mt-cell")).toHaveLength(4);
    expect(root.querySelectorAll("table tbody tr")).toHaveLength(4);
  });
});

describe("bench view", () => {
  it("shows each result beside its reference as a ratio, and explains a bad document", async () => {
    await open("#/bench");
    const svg = svgIn("chart-bench-0");
    expect(svg.textContent).toContain("parity ×1");
    expect(svg.textContent).toContain("des.hold.process");
    const text = root.textContent!;
    expect(text).toContain("×4.51");
    expect(text).toContain("reference is better");
    expect(root.querySelector('[role="alert"]')!.textContent).toContain("not-a-bench.json: results[0].value");
  });
});
