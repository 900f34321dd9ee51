/**
 * Drives the dashboard in a real browser, for the end-to-end test and the screenshot tool: starts the
 * Vite dev server programmatically on a free localhost port with a given reports folder, and launches
 * Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) headless through playwright-core with a
 * fresh profile directory that is removed on close.
 * @module
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";
import { build, createServer, preview } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
/** The dashboard's Vite config. */
export const VITE_CONFIG = resolve(here, "../vite.config.ts");

/** Path of the Chromium binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a quiet, sandbox-free headless Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** True when the Chromium binary exists. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** A running dev server. */
export interface Dashboard {
  url: string;
  /** The built site's folder (static dashboards only). */
  siteDir?: string;
  close(): Promise<void>;
}

/**
 * Starts `vite` with the dashboard config on a free port.
 * @param reportsDir the folder of runs (becomes `MYNA_REPORTS_DIR`)
 * @param benchDir the folder of benchmark documents (becomes `MYNA_BENCH_DIR`)
 */
export async function startDashboard(reportsDir: string, benchDir?: string): Promise<Dashboard> {
  const saved = { r: process.env.MYNA_REPORTS_DIR, b: process.env.MYNA_BENCH_DIR };
  process.env.MYNA_REPORTS_DIR = resolve(reportsDir);
  if (benchDir) process.env.MYNA_BENCH_DIR = resolve(benchDir);
  const port = await freePort();
  try {
    const server = await createServer({
      configFile: VITE_CONFIG,
      logLevel: "warn",
      server: { host: "127.0.0.1", port, strictPort: true },
    });
    await server.listen();
    return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
  } finally {
    // the config has been read; restore the caller's environment
    if (saved.r === undefined) delete process.env.MYNA_REPORTS_DIR;
    else process.env.MYNA_REPORTS_DIR = saved.r;
    if (saved.b === undefined) delete process.env.MYNA_BENCH_DIR;
    else process.env.MYNA_BENCH_DIR = saved.b;
  }
}

/**
 * Builds the static site into a temporary folder (runs copied in at build time) and serves it with
 * `vite preview` on a free port — the same files `npm run dashboard:build` produces.
 * @param reportsDir the folder of runs (becomes `MYNA_REPORTS_DIR` for the build)
 * @param benchDir the folder of benchmark documents (becomes `MYNA_BENCH_DIR`)
 */
export async function startStaticDashboard(reportsDir: string, benchDir?: string): Promise<Dashboard> {
  const saved = { r: process.env.MYNA_REPORTS_DIR, b: process.env.MYNA_BENCH_DIR };
  process.env.MYNA_REPORTS_DIR = resolve(reportsDir);
  if (benchDir) process.env.MYNA_BENCH_DIR = resolve(benchDir);
  const outDir = mkdtempSync(join(tmpdir(), "myna-dash-site-"));
  try {
    await build({ configFile: VITE_CONFIG, logLevel: "warn", build: { outDir, emptyOutDir: true } });
    const port = await freePort();
    const server = await preview({
      configFile: VITE_CONFIG,
      logLevel: "warn",
      build: { outDir },
      preview: { host: "127.0.0.1", port, strictPort: true },
    });
    return {
      url: `http://127.0.0.1:${port}/`,
      siteDir: outDir,
      close: async () => {
        await server.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  } finally {
    if (saved.r === undefined) delete process.env.MYNA_REPORTS_DIR;
    else process.env.MYNA_REPORTS_DIR = saved.r;
    if (saved.b === undefined) delete process.env.MYNA_BENCH_DIR;
    else process.env.MYNA_BENCH_DIR = saved.b;
  }
}

/** A headless browser with its own throw-away profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium.
 * @param viewport initial page size
 * @throws when the binary is missing (the message names `CHROMIUM_PATH`)
 */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  if (!hasChromium())
    throw new Error(`${CHROMIUM_PATH} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), "myna-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
