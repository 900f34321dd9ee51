/**
 * The app's routes, kept in the URL hash so every view is a link that works from a static file
 * server: `#/` (run list), `#/run/<id>[?from=YYYY-MM-DD&to=YYYY-MM-DD]` (one run or sweep, optionally
 * zoomed to a window), `#/compare/<id>,<id>…` and `#/bench`. Ids are URL-encoded per id.
 * @module
 */

import { isCalendarDate } from "../../engine/calendar.js";

/** A parsed route. */
export type Route =
  | { view: "list" }
  | { view: "run"; id: string; window: DateWindow | null; windowProblem?: string | null }
  | { view: "compare"; ids: string[] }
  | { view: "bench" };

/** A zoom window over a run's dates, both ends inclusive. */
export interface DateWindow {
  from: string;
  to: string;
}

/**
 * The zoom window of `?from=…&to=…`, or why it cannot be used (one sentence naming the parameter
 * and what was expected); neither given: no window, no problem.
 */
function parseWindow(
  from: string | null,
  to: string | null,
): { window: DateWindow | null; problem: string | null } {
  if (from === null && to === null) return { window: null, problem: null };
  const bad = (name: string, v: string | null) =>
    v === null
      ? `?${name}= is missing`
      : !isCalendarDate(v)
        ? `?${name}=${v} is not a calendar date YYYY-MM-DD`
        : null;
  const problem = bad("from", from) ?? bad("to", to);
  if (problem !== null)
    return { window: null, problem: `${problem}: showing the whole run. Pick a period below.` };
  if ((from as string) > (to as string))
    return {
      window: null,
      problem: `?from=${from} is after ?to=${to}: showing the whole run. Pick a period below.`,
    };
  return { window: { from: from as string, to: to as string }, problem: null };
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Parses `location.hash`; anything unknown is the list. */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, "");
  const q = h.indexOf("?");
  const path = q < 0 ? h : h.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  if (path.startsWith("/run/")) {
    const id = decode(path.slice(5));
    if (id) {
      const { window, problem } = parseWindow(query.get("from"), query.get("to"));
      return { view: "run", id, window, windowProblem: problem };
    }
  }
  if (path.startsWith("/compare/")) {
    const ids = path
      .slice(9)
      .split(",")
      .map(decode)
      .filter((x): x is string => x !== null && x !== "");
    if (ids.length > 0) return { view: "compare", ids };
  }
  if (path === "/bench") return { view: "bench" };
  return { view: "list" };
}

/** The hash of a route. */
export function routeHash(route: Route): string {
  switch (route.view) {
    case "list":
      return "#/";
    case "bench":
      return "#/bench";
    case "compare":
      return `#/compare/${route.ids.map(encodeURIComponent).join(",")}`;
    case "run":
      return `#/run/${encodeURIComponent(route.id)}${route.window ? `?from=${route.window.from}&to=${route.window.to}` : ""}`;
  }
}
