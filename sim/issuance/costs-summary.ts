/**
 * summary.json `costs` (issue 9 item 4): counter staff-days and yen by stage over the run and up to
 * the target date (mean over replications), and the answer to "how many staff-days and yen would
 * the target's cards by its date have needed under the demand that came" — the applications made by
 * then (when fewer than the target, no capacity reaches it: demand is short) and the work content of
 * the target's cards and of all those applications (costs.ts `workContent`).
 * @module
 */
import { parseIsoDate } from "../../engine/calendar.js";
import type { RunCosts } from "../run-format/index.js";
import { meanWork, workContent, yenOfWork } from "./costs.js";
import type { IssuanceRunResult } from "./model.js";
import type { IssuanceParams } from "./params.js";

/** The run's costs, or undefined when the scenario has no `costs:` block. */
export function runCosts(params: IssuanceParams, results: IssuanceRunResult[]): RunCosts | undefined {
  const c = params.costs;
  if (!c || results.length === 0) return undefined;
  const r0 = results[0]!;
  const at = parseIsoDate(params.target.date) - r0.startDay;
  const inRun = at >= 0 && at < r0.days;
  const all = meanWork(results.map((r) => r.work.all));
  const toTarget = meanWork(results.map((r) => r.work.toTarget));
  const mean = (f: (r: IssuanceRunResult) => number): number =>
    results.reduce((a, r) => a + f(r), 0) / results.length;
  const applications = inRun ? mean((r) => r.columns.applications_cumulative[at]!) : null;
  const cards = inRun ? mean((r) => r.columns.cards_issued_cumulative[at]!) : null;
  const target = workContent(params, params.target.cards);
  const made = applications === null ? null : workContent(params, applications);
  return {
    unitCosts: { ...c },
    all: { work: all, yen: yenOfWork(all, c) },
    toTargetDate: inRun ? { work: toTarget, yen: yenOfWork(toTarget, c) } : null,
    target: {
      cards: params.target.cards,
      date: params.target.date,
      applicationsByDate: applications,
      cardsByDate: cards,
      demandShort: applications === null ? null : applications < params.target.cards,
      targetCards: { counterStaffDays: target.counterStaffDays, yen: target.yen! },
      applicationsMade: made ? { counterStaffDays: made.counterStaffDays, yen: made.yen! } : null,
    },
  };
}
