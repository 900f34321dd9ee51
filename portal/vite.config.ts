/**
 * Vite configuration of the Myna Portal page (`npm run portal:build`, part of `npm run build`): a
 * static page served by `myna-twin serve --pki DIR --hub DIR` at `/portal/` (sim/portal/portal-page.ts),
 * so assets are addressed under `/portal/`. Output: dist/portal-page/ at the repository root. The
 * bundle carries its own crypto (@noble/hashes, @noble/curves) and record decoder (msgpackr): the page
 * loads nothing from any other origin.
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");

export default defineConfig({
  root: here,
  base: "/portal/",
  clearScreen: false,
  cacheDir: join(repo, "node_modules/.vite/portal"),
  build: { outDir: join(repo, "dist/portal-page"), emptyOutDir: true, sourcemap: false },
});
