/**
 * How the dashboard reads files: a {@link Fetcher} maps a path relative to the app (`data/index.json`,
 * `data/runs/<id>/summary.json`) to its text. The browser uses `fetch`; tests pass a fetcher over the
 * fixture folder, so the loaders run unchanged under jsdom. The URL layout is shared with the Vite
 * plugin that serves and builds `data/`.
 * @module
 */

import { fail } from "./_check.js";

/** The answer to one request: HTTP status (0 = network failure) and body text. */
export interface FetchReply {
  status: number;
  text: string;
}

/** Reads one file of the app's `data/` tree. */
export type Fetcher = (path: string) => Promise<FetchReply>;

/** Path of the run index. */
export const INDEX_PATH = "data/index.json";
/** Path of the benchmark index. */
export const BENCH_PATH = "data/bench.json";

/** Path of one file of a run; each segment of the id is URL-encoded. */
export function runFilePath(id: string, file: string): string {
  return `data/runs/${id.split("/").map(encodeURIComponent).join("/")}/${encodeURIComponent(file)}`;
}

/** A fetcher over `globalThis.fetch`, resolving paths against `base` (default: the page's URL). */
export function browserFetcher(base?: string): Fetcher {
  return async (path) => {
    const url = new URL(path, base ?? globalThis.document?.baseURI ?? "http://localhost/");
    try {
      const r = await globalThis.fetch(url, { cache: "no-cache" });
      return { status: r.status, text: await r.text() };
    } catch (e) {
      return { status: 0, text: e instanceof Error ? e.message : String(e) };
    }
  };
}

/**
 * Fetches `path` and returns its text.
 * @param what how the message names the file, e.g. `summary.json`
 * @throws {RunDataError} "… is missing" on 404, "could not be read (HTTP n)" otherwise
 */
export async function fetchText(fetcher: Fetcher, path: string, what: string): Promise<string> {
  const r = await fetcher(path);
  if (r.status === 200) return r.text;
  if (r.status === 404) fail(`${what} is missing`);
  if (r.status === 0) fail(`${what} could not be read (${r.text || "network error"})`);
  return fail(`${what} could not be read (HTTP ${r.status})`);
}
