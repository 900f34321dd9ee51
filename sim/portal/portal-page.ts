/**
 * Serves the built Myna Portal page (portal/, built by Vite into `dist/portal-page/` by
 * `npm run build` / `npm run portal:build`) at `GET /portal/` and its assets at
 * `GET /portal/assets/{file}`. The files are read once at start (a few tens of KB) and served with a
 * strict Content-Security-Policy (scripts and connections to this origin only) and no referrer, so
 * the session token in the URL fragment goes nowhere. When the page has not been built the routes
 * answer 503 with what to run, and {@link loadPortalPage} says so to `serve`, which prints it.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ServiceError } from "../services/errors.js";
import type { Route, RouteResponse } from "../services/http-host.js";

/** Where `npm run build` puts the page, relative to the repository root. */
export const PORTAL_PAGE_DIR = "dist/portal-page";
/** Largest asset served (the bundle is ≈ 60 KB). */
const MAX_ASSET_BYTES = 4 * 1024 * 1024;

/** The built page, or why there is none. */
export type PortalPage =
  | { readonly ok: true; readonly dir: string; readonly files: ReadonlyMap<string, Uint8Array> }
  | { readonly ok: false; readonly dir: string; readonly message: string };

/** The repository root: the nearest folder above this module with myna-twin's package.json. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === "myna-twin") return dir;
      } catch {
        // not ours; keep going up
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Reads the built page from `dir` (default: {@link PORTAL_PAGE_DIR} under the repository root). */
export function loadPortalPage(dir = resolve(repositoryRoot(), PORTAL_PAGE_DIR)): PortalPage {
  const index = join(dir, "index.html");
  if (!existsSync(index))
    return {
      ok: false,
      dir,
      message: `the Myna Portal page is not built (no ${index}); run npm run build (or npm run portal:build)`,
    };
  const files = new Map<string, Uint8Array>([["index.html", new Uint8Array(readFileSync(index))]]);
  const assets = join(dir, "assets");
  if (existsSync(assets))
    for (const name of readdirSync(assets)) {
      const p = join(assets, name);
      if (!/^[\w.-]+$/.test(name) || !statSync(p).isFile() || statSync(p).size > MAX_ASSET_BYTES) continue;
      files.set(`assets/${name}`, new Uint8Array(readFileSync(p)));
    }
  return { ok: true, dir, files };
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  map: "application/json",
};

const SECURITY = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

function serve(page: PortalPage, name: string): RouteResponse {
  if (!page.ok)
    return {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      body: `${page.message}\n`,
    };
  const body = page.files.get(name);
  if (body === undefined)
    throw new ServiceError("not_found", `no portal file ${JSON.stringify(name.slice(0, 80))}`);
  const ext = name.slice(name.lastIndexOf(".") + 1);
  return {
    headers: {
      "content-type": TYPES[ext] ?? "application/octet-stream",
      // the HTML names hashed asset files: it must be fresh, they may be kept
      "cache-control": name === "index.html" ? "no-store" : "public, max-age=31536000, immutable",
      ...SECURITY,
    },
    body,
  };
}

/** `GET /portal/` and `GET /portal/assets/{file}`. */
export function portalPageRoutes(page: PortalPage): Route[] {
  return [
    { method: "GET", path: "/portal", handler: () => serve(page, "index.html") },
    {
      method: "GET",
      path: "/portal/assets/:file",
      handler: (ctx) => serve(page, `assets/${ctx.params.file}`),
    },
  ];
}
