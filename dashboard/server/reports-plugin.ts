/**
 * The Vite plugin behind `npm run dashboard`: serves the run index (`data/index.json`), the benchmark
 * index (`data/bench.json`) and the files of each run (`data/runs/<id>/<file>`) straight from the
 * reports folder, scanning it afresh on every index request so new runs appear on reload. At build
 * time (`npm run dashboard:build`) it writes the same tree into the output, so the static site works
 * from any file server with the runs that existed when it was built.
 *
 * Only the files in {@link RUN_FILES} are served, from directories inside the reports folder; paths
 * with hidden or `..` segments are refused.
 * @module
 */

import { readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Plugin } from "vite";
import { scanBench } from "./scan-bench.js";
import { RUN_FILES, scanReports } from "./scan-reports.js";

/** Where the data comes from. */
export interface ReportsPluginOptions {
  /** The reports folder (absolute, or relative to the working directory). */
  reportsDir: string;
  /** The benchmark results folder. */
  benchDir: string;
}

const TYPES: Record<string, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** How a folder is named in the app: relative to the working directory when inside it. */
function displayName(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : dir;
}

/**
 * Resolves `data/runs/<id>/<file>` (already split after `runs/`) to a file path inside `root`, or
 * null when the request is not for an allowed file there.
 */
export function runFileOnDisk(root: string, segments: readonly string[]): string | null {
  if (segments.length < 2) return null;
  let parts: string[];
  try {
    parts = segments.map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
  const file = parts[parts.length - 1] as string;
  if (!(RUN_FILES as readonly string[]).includes(file)) return null;
  for (const p of parts)
    if (p === "" || p.startsWith(".") || p.includes("/") || p.includes("\\") || p.includes("\0")) return null;
  const path = resolve(root, ...parts);
  if (!path.startsWith(resolve(root) + sep)) return null;
  return path;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", "no-store");
  res.end(body);
}

/** Creates the plugin. */
export function reportsPlugin(options: ReportsPluginOptions): Plugin {
  const reportsDir = resolve(options.reportsDir);
  const benchDir = resolve(options.benchDir);

  const handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    let path: string;
    try {
      path = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      next();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      next();
      return;
    }
    if (path === "/data/index.json") {
      send(res, 200, TYPES.json as string, JSON.stringify(scanReports(reportsDir, reportsDir)));
      return;
    }
    if (path === "/data/bench.json") {
      send(res, 200, TYPES.json as string, JSON.stringify(scanBench(benchDir, benchDir)));
      return;
    }
    if (!path.startsWith("/data/")) {
      next();
      return;
    }
    const segments = path.startsWith("/data/runs/") ? path.slice("/data/runs/".length).split("/") : [];
    const file = runFileOnDisk(reportsDir, segments);
    if (file === null) {
      send(res, 404, "text/plain; charset=utf-8", "not found");
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
      const ext = file.slice(file.lastIndexOf(".") + 1);
      send(res, 200, TYPES[ext] ?? "application/octet-stream", readFileSync(file));
    } catch {
      send(res, 404, "text/plain; charset=utf-8", "not found");
    }
  };

  return {
    name: "myna-twin-reports",
    configureServer(server) {
      server.middlewares.use(handle);
      server.httpServer?.once("listening", () => {
        const index = scanReports(reportsDir);
        const ok = index.runs.filter((r) => r.status === "ok").length;
        server.config.logger.info(
          `  myna-twin dashboard: ${ok} run(s) (${index.runs.length - ok} unreadable) from ${reportsDir}` +
            ` (set MYNA_REPORTS_DIR to change it); benchmarks from ${benchDir}`,
        );
      });
    },
    generateBundle() {
      const index = scanReports(reportsDir, displayName(reportsDir));
      this.emitFile({ type: "asset", fileName: "data/index.json", source: JSON.stringify(index) });
      this.emitFile({
        type: "asset",
        fileName: "data/bench.json",
        source: JSON.stringify(scanBench(benchDir, displayName(benchDir))),
      });
      let copied = 0;
      for (const run of index.runs) {
        if (run.status !== "ok") continue;
        for (const f of run.files) {
          const onDisk = runFileOnDisk(reportsDir, [...run.id.split("/").map(encodeURIComponent), f]);
          if (onDisk === null) continue;
          this.emitFile({
            type: "asset",
            fileName: `data/runs/${run.id}/${f}`,
            source: readFileSync(onDisk),
          });
        }
        copied++;
      }
      this.info(`copied ${copied} run(s) from ${reportsDir} into data/runs/`);
    },
  };
}
