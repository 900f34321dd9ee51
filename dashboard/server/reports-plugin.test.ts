/**
 * The dev server's data middleware over real HTTP: `npm run dashboard`'s Vite server, started on a
 * free port with MYNA_REPORTS_DIR at the fixture runs, answers the run index, the benchmark index and
 * a run's files, and refuses anything else under data/.
 * @module
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboard } from "../tools/browser.js";
import type { Dashboard } from "../tools/browser.js";
import { FIXTURE_BENCH, GOOD_RUN, makeReportsDir } from "../test/fixture-reports.js";
import type { ReportsDir } from "../test/fixture-reports.js";

let reports: ReportsDir;
let dash: Dashboard;

beforeAll(async () => {
  reports = makeReportsDir();
  dash = await startDashboard(reports.dir, FIXTURE_BENCH);
});

afterAll(async () => {
  await dash?.close();
  reports?.remove();
});

const get = async (path: string) => {
  const r = await fetch(new URL(path, dash.url));
  return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
};

describe("reports plugin (dev server)", () => {
  it("serves the run index, scanned afresh", async () => {
    const r = await get("data/index.json");
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    const index = JSON.parse(r.text) as { source: string; runs: { id: string; status: string }[] };
    expect(index.source).toBe(reports.dir);
    expect(index.runs).toHaveLength(7);
    expect(index.runs.find((x) => x.id === GOOD_RUN)!.status).toBe("ok");
  });

  it("serves the benchmark index", async () => {
    const r = await get("data/bench.json");
    expect(JSON.parse(r.text).documents.map((d: { file: string }) => d.file)).toEqual([
      "des.json",
      "not-a-bench.json",
    ]);
  });

  it("serves a run's files and refuses everything else under data/", async () => {
    const csv = await get(`data/runs/${GOOD_RUN}/timeseries.csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.startsWith("date,applications_daily,")).toBe(true);
    expect((await get("data/runs/broken/no-manifest/summary.json")).status).toBe(200);
    for (const bad of [
      `data/runs/${GOOD_RUN}/report.exe`,
      "data/runs/%2e%2e/package.json",
      "data/runs/..%2f..%2fpackage.json/summary.json",
      "data/runs/broken/.partial-history-short-1a2b3c4d/timeseries.csv",
      "data/runs/nope/summary.json",
      "data/secret.json",
    ])
      expect((await get(bad)).status, bad).toBe(404);
  });

  it("serves the app itself", async () => {
    const r = await get("");
    expect(r.status).toBe(200);
    expect(r.text).toContain('<main id="app"');
  });
});
