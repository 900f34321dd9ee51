/**
 * The events of a resolved scenario (scenario.json, or `scenario` in manifest.json) as annotations
 * for the date axes: demand campaigns (`demand.campaigns`, sim/issuance/campaigns.ts) and shocks
 * (their window), their deadlines (a campaign's `deadline`, a shock rush's `deadline`), and J-LIS
 * outages and slow-downs (their days). Read defensively: the scenario is a
 * planner's document, so anything missing or malformed is skipped, never guessed.
 * @module
 */

import { isCalendarDate } from "../../../engine/calendar.js";
import type { TimeAnnotation } from "../../../engine/charts/index.js";

/** The calendar day a date or date-time string starts with, or null. */
function day(v: unknown): string | null {
  const d = typeof v === "string" ? v.slice(0, 10) : null;
  return isCalendarDate(d) ? d : null;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Annotations of a resolved scenario, sorted by start.
 * @param scenario the parsed scenario.json (or manifest.json's `scenario`)
 */
export function scenarioEvents(scenario: unknown): TimeAnnotation[] {
  const s = obj(scenario);
  if (!s) return [];
  const out: TimeAnnotation[] = [];
  const demand = obj(s.demand);
  for (const x of [...list(demand?.campaigns), ...list(demand?.shocks)]) {
    const o = obj(x);
    const start = day(o?.start);
    const end = day(o?.end);
    const name = typeof o?.name === "string" && o.name !== "" ? o.name : "campaign";
    if (!o || !start) continue;
    out.push({ start, end: end && end >= start ? end : start, label: name, kind: "campaign" });
    const deadline = day(o.deadline) ?? day(obj(o.rush)?.deadline);
    if (deadline) out.push({ start: deadline, label: `deadline: ${name}`, kind: "deadline" });
  }
  const jlis = obj(s.jlis);
  for (const [key, label] of [
    ["outages", "J-LIS outage"],
    ["slowdowns", "J-LIS slow responses"],
  ] as const) {
    for (const x of list(jlis?.[key])) {
      const o = obj(x);
      const start = day(o?.start ?? o?.from);
      const end = day(o?.end ?? o?.to);
      if (!start) continue;
      out.push({ start, end: end && end >= start ? end : start, label, kind: "outage" });
    }
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
