/**
 * Wires the data loaders to the views: reads the route from the URL hash, loads what it needs
 * (cached per run), renders the view at the width the page gives it, and re-renders on navigation
 * and when the width changes enough to redraw the charts. Every failure ends in a message inside the
 * page, never a blank one.
 * @module
 */

import { loadBenchIndex, loadRunIndex } from "./data/index-loader.js";
import type { Fetcher } from "./data/fetcher.js";
import { runFilePath } from "./data/fetcher.js";
import { loadRun, loadSweep } from "./data/run-loader.js";
import type { LoadedRun, LoadedSweep } from "./data/run-loader.js";
import type { RunIndex, RunIndexEntry } from "./data/run-types.js";
import { parseRoute, routeHash } from "./router.js";
import type { Route } from "./router.js";
import { renderBenchView } from "./views/bench-view.js";
import { renderCompareView } from "./views/compare-view.js";
import { h, problemBox } from "./views/dom.js";
import { renderListView } from "./views/list-view.js";
import { renderRunView } from "./views/run-view.js";
import { renderSweepView } from "./views/sweep-view.js";
import { scenarioEvents } from "./views/events.js";
import { parseJson } from "./data/_check.js";
import { fetchText } from "./data/fetcher.js";
import type { TimeAnnotation } from "../../engine/charts/index.js";

/** What to do when the data files cannot be fetched at all (a page opened from disk, a dead server). */
const SERVE_HINT =
  "The dashboard reads its data over HTTP: serve it with `npm run dashboard`, or serve dashboard/dist/ with any static file server (e.g. `npx vite preview --config dashboard/vite.config.ts` or `python3 -m http.server` in dashboard/dist) and open the http:// address it prints.";

/** True when a failure means the data could not be fetched at all (not a bad file). */
function isFetchFailure(message: string): boolean {
  return /could not be read \((?!HTTP)/.test(message) || globalThis.location?.protocol === "file:";
}

/** Chart width for a container width: the container minus nothing, within [320, 1200]; 960 when unknown (jsdom). */
export function chartWidth(containerWidth: number): number {
  if (!Number.isFinite(containerWidth) || containerWidth <= 0) return 960;
  return Math.round(Math.max(320, Math.min(1200, containerWidth)));
}

/** The running app. */
export interface App {
  /** Renders the current route; resolves when the view is in the page. */
  render(): Promise<void>;
  /** Drops cached runs and the index (next render reloads them). */
  reload(): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const now = (): number => globalThis.performance?.now() ?? 0;

/**
 * Starts the app in `root`.
 * @param root the element the views replace the content of
 * @param fetcher how data files are read
 */
export function startApp(root: HTMLElement, fetcher: Fetcher): App {
  let index: Promise<RunIndex> | null = null;
  const runs = new Map<string, Promise<LoadedRun | LoadedSweep>>();
  let token = 0;
  let lastWidth = 0;

  const getIndex = (fresh: boolean): Promise<RunIndex> => {
    if (fresh || index === null) index = loadRunIndex(fetcher);
    return index;
  };

  const getRun = (entry: RunIndexEntry): Promise<LoadedRun | LoadedSweep> => {
    let p = runs.get(entry.id);
    if (!p) {
      p = entry.kind === "sweep" ? loadSweep(entry, fetcher) : loadRun(entry, fetcher);
      runs.set(entry.id, p);
      p.catch(() => runs.delete(entry.id)); // a failed load is retried next time
    }
    return p;
  };

  /** Loads every run the index calls ok through the loaders; null = valid, else their message. */
  const checkAll = async (ix: RunIndex): Promise<Map<string, string | null>> => {
    const ok = ix.runs.filter((r) => r.status === "ok");
    const settled = await Promise.allSettled(ok.map((r) => getRun(r)));
    return new Map(
      ok.map((r, i) => {
        const s = settled[i] as PromiseSettledResult<unknown>;
        return [r.id, s.status === "fulfilled" ? null : message(s.reason)];
      }),
    );
  };

  /** The scenario's events: scenario.json of the run, else the resolved scenario in manifest.json. */
  const events = new Map<string, Promise<TimeAnnotation[]>>();
  const getEvents = (entry: RunIndexEntry): Promise<TimeAnnotation[]> => {
    let p = events.get(entry.id);
    if (!p) {
      const read = async (file: string, pick: (j: unknown) => unknown) =>
        scenarioEvents(pick(parseJson(await fetchText(fetcher, runFilePath(entry.id, file), file), file)));
      p = (
        entry.files.includes("scenario.json")
          ? read("scenario.json", (j) => j).catch(() =>
              read("manifest.json", (j) => (j as { scenario?: unknown })?.scenario),
            )
          : read("manifest.json", (j) => (j as { scenario?: unknown })?.scenario)
      ).catch(() => []);
      events.set(entry.id, p);
    }
    return p;
  };

  const find = (ix: RunIndex, id: string): RunIndexEntry | null => ix.runs.find((r) => r.id === id) ?? null;

  const fileHref = (id: string) => (file: string) => runFilePath(id, file);

  async function view(route: Route, width: number): Promise<HTMLElement> {
    switch (route.view) {
      case "list": {
        const ix = await getIndex(true);
        return renderListView(ix, { checks: await checkAll(ix) });
      }
      case "bench":
        return renderBenchView(await loadBenchIndex(fetcher), { width });
      case "run": {
        const ix = await getIndex(false);
        let entry = find(ix, route.id);
        if (!entry) entry = find(await getIndex(true), route.id);
        if (!entry) return problemBox(`There is no run ${route.id} in ${ix.source}.`, "Run not found");
        if (entry.status !== "ok")
          return h(
            "article",
            { class: "view" },
            h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All runs"), " / ", entry.id),
            problemBox(entry.problem ?? "The run directory is incomplete."),
          );
        const loaded = await getRun(entry);
        if (loaded.kind === "sweep") return renderSweepView(loaded, { width, fileHref: fileHref(entry.id) });
        document.title = `${loaded.summary.scenario} · ${entry.id} · myna-twin`;
        return renderRunView(loaded, {
          width,
          window: route.window,
          windowProblem: route.windowProblem ?? null,
          events: await getEvents(entry),
          windowHref: (w) => routeHash({ view: "run", id: route.id, window: w }),
          fileHref: fileHref(entry.id),
        });
      }
      case "compare": {
        const ix = await getIndex(false);
        const problems: string[] = [];
        const items: (LoadedRun | LoadedSweep)[] = [];
        const settled = await Promise.allSettled(
          route.ids.map(async (id) => {
            const e = find(ix, id);
            if (!e) throw new Error(`There is no run ${id} in ${ix.source}.`);
            if (e.status !== "ok") throw new Error(`Run ${id}: ${e.problem ?? "incomplete"}`);
            return getRun(e);
          }),
        );
        for (const s of settled) {
          if (s.status === "fulfilled") items.push(s.value);
          else problems.push(message(s.reason));
        }
        return renderCompareView(items, problems, { width });
      }
    }
  }

  let latest: Promise<void> = Promise.resolve();

  /** Renders the current route; if a newer navigation overtakes it, resolves when that one is done. */
  function render(): Promise<void> {
    latest = renderRoute();
    return latest;
  }

  async function renderRoute(): Promise<void> {
    const my = ++token;
    const route = parseRoute(globalThis.location?.hash ?? "");
    const width = chartWidth(root.clientWidth);
    lastWidth = width;
    if (route.view !== "run") document.title = "myna-twin dashboard";
    root.setAttribute("aria-busy", "true");
    const loading = globalThis.setTimeout(() => {
      if (my === token) root.replaceChildren(h("p", { class: "loading" }, "Loading…"));
    }, 150);
    const t0 = now();
    let node: HTMLElement;
    try {
      node = await view(route, width);
    } catch (e) {
      const m = message(e);
      node = isFetchFailure(m)
        ? problemBox(`${m}. ${SERVE_HINT}`, "The dashboard cannot read its data")
        : problemBox(m);
    }
    globalThis.clearTimeout(loading);
    if (my !== token) return latest; // a newer navigation won
    root.replaceChildren(node);
    root.setAttribute("aria-busy", "false");
    root.dataset.view = route.view;
    // time from navigation to the view in the page (loading, parsing, drawing)
    const ms = Math.round(now() - t0);
    root.dataset.renderMs = String(ms);
    const foot = root.querySelector(".view-foot");
    if (foot) foot.append(` View ready in ${ms} ms.`);
  }

  globalThis.addEventListener?.("hashchange", () => {
    if (!/jsdom/.test(globalThis.navigator?.userAgent ?? "")) globalThis.scrollTo?.(0, 0);
    void render();
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  globalThis.addEventListener?.("resize", () => {
    globalThis.clearTimeout(resizeTimer);
    resizeTimer = globalThis.setTimeout(() => {
      if (Math.abs(chartWidth(root.clientWidth) - lastWidth) >= 40) void render();
    }, 200);
  });

  return {
    render,
    reload() {
      index = null;
      runs.clear();
    },
  };
}
