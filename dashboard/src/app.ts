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
import type { SweepTarget } from "./views/sweep-view.js";

/** The target a sweep is drawn against when no run of its scenario says otherwise (DESIGN.md §2). */
export const DEFAULT_TARGET: SweepTarget = { cards: 87_000_000, date: "2020-03-31" };

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

  const sweepTarget = (ix: RunIndex, scenario: string): SweepTarget => {
    const same = ix.runs.find((r) => r.status === "ok" && r.scenario === scenario && r.headline);
    return same?.headline
      ? { cards: same.headline.targetCards, date: same.headline.targetDate }
      : DEFAULT_TARGET;
  };

  const find = (ix: RunIndex, id: string): RunIndexEntry | null => ix.runs.find((r) => r.id === id) ?? null;

  const fileHref = (id: string) => (file: string) => runFilePath(id, file);

  async function view(route: Route, width: number): Promise<HTMLElement> {
    switch (route.view) {
      case "list": {
        return renderListView(await getIndex(true));
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
        if (loaded.kind === "sweep")
          return renderSweepView(loaded, sweepTarget(ix, loaded.sweep.scenario), {
            width,
            fileHref: fileHref(entry.id),
          });
        document.title = `${loaded.summary.scenario} · ${entry.id} · myna-twin`;
        return renderRunView(loaded, {
          width,
          window: route.window,
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
        const sweep = items.find((x): x is LoadedSweep => x.kind === "sweep");
        const firstRun = items.find((x): x is LoadedRun => x.kind === "run");
        const target = firstRun
          ? { cards: firstRun.summary.target.cards, date: firstRun.summary.target.date }
          : sweep
            ? sweepTarget(ix, sweep.sweep.scenario)
            : DEFAULT_TARGET;
        return renderCompareView(items, problems, target, { width });
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
      node = problemBox(message(e));
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
