/**
 * End to end in a real browser: the static build (`vite build` with MYNA_REPORTS_DIR at a copy of the
 * fixture runs, so the runs are copied into the site) served by `vite preview` on a free localhost
 * port, and Debian's headless Chromium driven by playwright-core. (The dev server's data middleware
 * is tested over HTTP in server/reports-plugin.test.ts.) Opens the run list,
 * follows the link to the fixture run, checks that the target line, the series and the lead-time
 * chart are really drawn (laid out with a size, not just present), that a malformed run shows its
 * message, and saves screenshots under test-output/ (git-ignored).
 *
 * Without /usr/bin/chromium the suite is skipped on a developer machine but FAILS when `CI` is set,
 * so CI cannot pass without running it (.ci/run installs the package).
 * @module
 */

import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, hasChromium, launchBrowser, startStaticDashboard } from "../tools/browser.js";
import type { Browser, Dashboard } from "../tools/browser.js";
import { FIXTURE_BENCH, GOOD_RUN, makeReportsDir } from "./fixture-reports.js";
import type { ReportsDir } from "./fixture-reports.js";

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-output");

describe("dashboard in headless Chromium", () => {
  if (!hasChromium()) {
    if (process.env.CI) {
      it("has Chromium to run on", () => {
        expect.fail(
          `${CHROMIUM_PATH} is missing; CI must install it (apt-get install -y chromium, see .ci/run)`,
        );
      });
    } else {
      it.skip(`needs ${CHROMIUM_PATH} (apt-get install -y chromium)`, () => {});
    }
    return;
  }

  let reports: ReportsDir;
  let dash: Dashboard;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    reports = makeReportsDir();
    dash = await startStaticDashboard(reports.dir, FIXTURE_BENCH);
    browser = await launchBrowser({ width: 1280, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    reports?.remove();
  });

  async function newPage() {
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    return page;
  }

  it("lists the runs, opens the fixture run and draws the target line, the series and the lead time", async () => {
    const page = await newPage();
    await page.goto(dash.url);
    await page.waitForSelector("#app[aria-busy=false] tr.run-row");
    expect(await page.locator("tr.run-row").count()).toBe(6);
    expect(await page.locator('tr[data-id="broken/no-manifest"]').innerText()).toContain("Incomplete run");

    await page.click(`a[href="#/run/${GOOD_RUN}"]`);
    await page.waitForSelector("#app[aria-busy=false] svg#chart-cumulative");
    expect(await page.locator("h1").innerText()).toBe("Scenario history");

    const cumulative = page.locator("svg#chart-cumulative");
    const rule = cumulative.locator("line.mt-rule");
    expect(await rule.count()).toBe(1);
    const ruleBox = (await rule.boundingBox())!;
    expect(ruleBox.width).toBeGreaterThan(600); // spans the plot at 1280 px
    expect(await cumulative.locator(".mt-rules").textContent()).toContain("target 87 M cards");

    const series = cumulative.locator("path.mt-line").first();
    expect(await series.getAttribute("stroke")).toBe("#4e79a7");
    const drawn = await series.evaluate((p) => ({
      length: (p as SVGPathElement).getTotalLength(),
      width: p.getBoundingClientRect().width,
    }));
    expect(drawn.length).toBeGreaterThan(300);
    expect(drawn.width).toBeGreaterThan(600);
    expect(await cumulative.locator(".mt-points circle").count()).toBe(1); // the official point

    const lead = page.locator("svg#chart-lead-time");
    expect(await lead.locator("path.mt-line").count()).toBe(3);
    const leadBox = (await lead.boundingBox())!;
    const cumBox = (await cumulative.boundingBox())!;
    expect(leadBox.y).toBeGreaterThan(cumBox.y + cumBox.height - 1); // below, same width
    expect(Math.abs(leadBox.width - cumBox.width)).toBeLessThan(2);

    await page.screenshot({ path: join(OUT, "dashboard-run-1280x800.png") });
    await page.screenshot({ path: join(OUT, "dashboard-run-full.png"), fullPage: true });
    await page.close();
  });

  it("shows a clear message for a malformed run and the list still works", async () => {
    const page = await newPage();
    await page.goto(`${dash.url}#/run/${encodeURIComponent("broken/malformed-summary")}`);
    await page.waitForSelector('#app[aria-busy=false] [role="alert"]');
    expect(await page.locator('[role="alert"]').innerText()).toMatch(/summary\.json is not valid JSON/);
    await page.click('header.top a[href="#/"]');
    await page.waitForSelector("#app[aria-busy=false] tr.run-row");
    expect(await page.locator("tr.run-row").count()).toBe(6);
    await page.close();
  });

  it("reads on a phone", async () => {
    const page = await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${dash.url}#/run/${GOOD_RUN}`);
    await page.waitForSelector("#app[aria-busy=false] svg#chart-cumulative");
    // no horizontal scrolling of the page itself; the chart is drawn for the phone's width
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const viewBox = await page.locator("svg#chart-cumulative").getAttribute("viewBox");
    expect(Number(viewBox!.split(" ")[2])).toBeLessThan(400);
    await page.screenshot({ path: join(OUT, "dashboard-run-phone.png"), fullPage: false });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
