/**
 * The run view's authentication section (issue 10 item 7), shown when summary.json has an `auth`
 * part: the chart "authentication latency against cards in circulation, with the target line" (the
 * same chart function as report.html, sim/run-format/auth.ts), the busiest day run request by
 * request and the servers needed for the p99 goal. Reads run output only.
 * @module
 */
import { authLatencyChart, type AuthSummary } from "../../../sim/run-format/auth.js";
import { chartBox, h } from "./dom.js";
import { int, millions } from "./format.js";

const ms = (x: number | null): string => (x === null ? "—" : `${x.toFixed(1)} ms`);

/** The section, or null for runs without an auth model. */
export function authSection(a: AuthSummary | undefined, width: number): HTMLElement | null {
  if (!a) return null;
  const d = a.peakDay;
  const s = a.serversNeeded;
  return h(
    "section",
    { class: "section", id: "auth" },
    h("h2", {}, "Authentication"),
    chartBox(
      authLatencyChart(a, "dash-auth-latency", width),
      "auth-latency",
      `Peak-hour latency (request-level p50 and p99, fluid-model p99) as cards in circulation grow; dashed vertical line: the ${millions(a.targetCards)} target. Service times ${a.serviceTimes.source} (${a.serviceTimes.source === "measured" ? "real crypto on the run's machine" : "pinned by the scenario"}).`,
    ),
    h(
      "p",
      {},
      `Busiest day ${d.date}: ${int(d.requests)} authentications request by request — p50 ${ms(d.p50Ms)}, p99 ${ms(d.p99Ms)}, ${int(d.failed)} failed. ` +
        `Servers for p99 ≤ ${s.goalP99Ms} ms at ${millions(s.cards)} cards: ${s.platformServers === null ? "not reachable" : `${s.platformServers} platform, ${s.jlisServers ?? "—"} J-LIS`}. ` +
        `Lockout counter visits: ${int(a.lockouts.counterVisits)} over the run (auth-daily.csv).`,
    ),
  );
}
