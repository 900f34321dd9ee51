/**
 * The report's "What if …" section (issue 9 item 3): each counterfactual the scenario declares, run
 * paired with this run on common random numbers, and what it changes — cumulative cards on the key
 * dates, the date the target is reached, lead times and resident-days waited — stated as
 * counterfactual − this run, from summary.json's `counterfactuals`.
 * @module
 */
import type { CounterfactualEffect, Interval } from "../../run-format/index.js";
import { RESIDENT_DAYS_DEFINITION } from "../../run-format/index.js";
import { p, type Block, type Inline } from "./blocks.js";
import { DASH, days, grouped, int, signed, signedCount } from "./format.js";
import type { ReportInput } from "./input.js";

const ciText = (d: Interval, reps: number, f: (v: number) => string): string =>
  reps > 1 && d.lower !== d.upper ? ` (95 % CI ${f(d.lower)} – ${f(d.upper)})` : "";
const setText = (set: Record<string, unknown>): string =>
  Object.entries(set)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");

function reachText(e: CounterfactualEffect, reps: number): string {
  const r = e.reachDateDeltaDays;
  if (r === null) return e.reachNote ?? DASH;
  const word = r.mean < 0 ? "earlier" : r.mean > 0 ? "later" : "";
  const base = word ? `${days(Math.abs(r.mean))} days ${word}` : "unchanged";
  return `${base}${ciText(r, reps, days)}${e.reachedOn ? ` (on ${e.reachedOn})` : ""}${e.reachNote ? `; ${e.reachNote}` : ""}`;
}

function oneCounterfactual(e: CounterfactualEffect, input: ReportInput): Block[] {
  const reps = input.summary.replications;
  const target = input.summary.target;
  const lead = e.leadTimeDaysDelta;
  const leadText = (v: number | null): string => (v === null ? DASH : `${signed(v, 1)} days`);
  const sentence: Inline[] = [{ b: `What if: ${e.name}.` }, ` ${e.description} (set ${setText(e.set)}.)`];
  const dated = e.cardsOnDates.map((d) => [
    d.date,
    d.reasons.join(", "),
    int(d.baseline),
    int(d.counterfactual),
    `${signedCount(d.delta.mean)}${ciText(d.delta, reps, signedCount)}`,
  ]);
  const w = e.residentDaysWaited;
  return [
    p(...sentence),
    p(
      `Against this run, ${e.name} changes cards on the target date ${target.date} by `,
      {
        b:
          e.cardsOnTargetDateDelta === null
            ? `${DASH} (the date is outside the run)`
            : `${signedCount(e.cardsOnTargetDateDelta.mean)} cards${e.cardsOnTargetDateDeltaPercent === null ? "" : ` (${signed(e.cardsOnTargetDateDeltaPercent, 2)} %)`}`,
      },
      `; the date ${int(target.cards)} cards are reached: ${reachText(e, reps)}; lead time p50 ${leadText(lead.p50)}, p90 ${leadText(lead.p90)}; resident-days waited ${signedCount(w.delta.mean)} (${grouped(w.baseline, 0)} → ${grouped(w.counterfactual, 0)}).`,
    ),
    {
      kind: "table",
      caption: `Cumulative cards, this run and "${e.name}" (paired: same seed and random streams)`,
      head: ["date", "why", "this run", e.name, "difference"],
      align: ["l", "l", "r", "r", "r"],
      rows: dated,
    },
  ];
}

/** The section, or nothing when the scenario declares no counterfactual. */
export function counterfactualsSection(input: ReportInput): Block[] {
  const cfs = input.summary.counterfactuals ?? [];
  if (cfs.length === 0) return [];
  return [
    { kind: "h", level: 2, text: "What if …" },
    p(
      "Each counterfactual below is this scenario with the listed fields changed, run with the same seed and the same random stream per replication (common random numbers), so every difference is the change's doing. Differences are counterfactual − this run. Resident-days waited: ",
      RESIDENT_DAYS_DEFINITION,
      ".",
    ),
    ...cfs.flatMap((e) => oneCounterfactual(e, input)),
  ];
}
