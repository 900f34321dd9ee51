/**
 * Screenshots of a dashboard view in headless Chromium, for the README and for checking how a view
 * reads at a given size:
 *
 * `npx tsx dashboard/tools/screenshot.ts <reports-dir> <route> <out.png> [width height] [--full] [--element CSS]`
 *
 * e.g. `npx tsx dashboard/tools/screenshot.ts /tmp/dash '#/run/history-1' docs/dashboard.png 1280 800`.
 * Prints how long the view took to appear.
 * @module
 */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { launchBrowser, startDashboard } from "./browser.js";

const argv = process.argv.slice(2);
const at = argv.indexOf("--element");
const element = at >= 0 ? argv.splice(at, 2)[1] : undefined;
const full = argv.includes("--full");
const args = argv.filter((a) => a !== "--full");
const [reports, route, out, w, hgt] = args;
if (!reports || !route || !out) {
  process.stderr.write("usage: screenshot.ts <reports-dir> <route> <out.png> [width height] [--full]\n");
  process.exit(2);
}
const viewport = { width: Number(w ?? 1280), height: Number(hgt ?? 800) };
const dash = await startDashboard(reports);
const browser = await launchBrowser(viewport);
try {
  const warm = await browser.context.newPage();
  await warm.goto(dash.url); // let the dev server transform the modules once
  await warm.waitForSelector("#app[aria-busy=false]");
  await warm.close();
  const page = await browser.context.newPage();
  page.on("pageerror", (e) => process.stderr.write(`page error: ${e.message}\n`));
  const t0 = Date.now();
  await page.goto(`${dash.url}${route}`);
  await page.waitForSelector("#app[aria-busy=false]");
  const ms = Date.now() - t0;
  mkdirSync(dirname(out), { recursive: true });
  if (element) await page.locator(element).first().screenshot({ path: out });
  else await page.screenshot({ path: out, fullPage: full });
  process.stdout.write(
    `${out}: ${viewport.width}×${viewport.height}${full ? " full page" : ""}, view ready in ${ms} ms\n`,
  );
} finally {
  await browser.close();
  await dash.close();
}
