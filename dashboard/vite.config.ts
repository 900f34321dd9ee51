/**
 * Vite configuration of the dashboard (`npm run dashboard`, `npm run dashboard:build`). Runs come from
 * `MYNA_REPORTS_DIR` (default `reports/`), benchmark documents from `MYNA_BENCH_DIR` (default
 * `bench/results/`), both relative to the working directory when not absolute. The build is a static
 * site with relative URLs (`base: "./"`) and a copy of the runs in `data/`.
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { reportsPlugin } from "./server/reports-plugin.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");

export default defineConfig({
  root: here,
  base: "./",
  clearScreen: false,
  cacheDir: join(repo, "node_modules/.vite/dashboard"),
  plugins: [
    reportsPlugin({
      reportsDir: resolve(process.env.MYNA_REPORTS_DIR ?? join(repo, "reports")),
      benchDir: resolve(process.env.MYNA_BENCH_DIR ?? join(repo, "bench/results")),
    }),
  ],
  // pre-bundled at start-up, so the first page load never triggers a re-optimisation reload
  optimizeDeps: {
    include: ["d3-scale", "d3-shape", "d3-format", "d3-time-format", "d3-array"],
  },
  server: { fs: { allow: [repo] } },
  build: { outDir: join(here, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 1000 },
});
