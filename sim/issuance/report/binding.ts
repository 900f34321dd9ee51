/**
 * The report's "what binds" section (issue 9, DESIGN.md §7): what +10 % of each lever would buy —
 * the change in cards on the target date and in the date the target is reached, from paired runs
 * with common random numbers — and the binding stage by period, with the method stated.
 * @module
 */
import type { LeverEffect } from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { LEVER_LABELS } from "../levers.js";
import { DASH, days, grouped, int, signedCount, STAGE_NAMES } from "./format.js";
import type { ReportInput } from "./input.js";

const signedPct = (v: number | null): string => (v === null ? DASH : `${v > 0 ? "+" : ""}${grouped(v, 2)} %`);
const stepText = (m: number): string => `${m >= 1 ? "+" : ""}${grouped((m - 1) * 100, 0)} %`;

function cardsCell(e: LeverEffect, reps: number): string {
  const d = e.cardsOnTargetDateDelta;
  const ci =
    reps > 1 && d.lower !== d.upper ? ` (95 % CI ${signedCount(d.lower)} – ${signedCount(d.upper)})` : "";
  return `${signedCount(d.mean)} cards${ci}`;
}

function reachCell(e: LeverEffect, reps: number): string {
  const r = e.reachDateDeltaDays;
  if (r === null) return DASH;
  const word = r.mean < 0 ? "earlier" : r.mean > 0 ? "later" : "";
  const ci = reps > 1 && r.lower !== r.upper ? ` (95 % CI ${days(r.lower)} – ${days(r.upper)})` : "";
  return word ? `${days(Math.abs(r.mean))} days ${word}${ci}` : `unchanged${ci}`;
}

/** The marginal-effect table, its notes and the binding stage by period. */
export function bindingSection(input: ReportInput): Block[] {
  const bc = input.summary.bindingConstraint;
  const reps = input.summary.replications;
  if (bc.effects.length === 0) return [];
  const step = stepText(bc.effects[0]!.multiplier);
  const name = (lever: string): string => STAGE_NAMES[lever as keyof typeof STAGE_NAMES] ?? lever;
  const blocks: Block[] = [
    { kind: "h", level: 2, text: `What ${step} of each would buy` },
    p(
      `Method: ${bc.method}. Each lever is scaled by itself in a run paired with the baseline (same seed, same random stream per replication), and the runs are compared on ${bc.comparedOn}. The binding stage is the capacity whose ${step} moves cards on that date the most; demand when none moves them by ${grouped(bc.thresholdPercent, 1)} % or more. Binding here: `,
      { b: name(bc.stage) },
      ".",
    ),
    {
      kind: "table",
      caption: `What ${step} of each lever would buy (cards on ${bc.comparedOn}, and the date ${int(input.summary.target.cards)} cards are reached)`,
      head: ["lever", `Δ cards on ${bc.comparedOn}`, "Δ %", "Δ reach date"],
      align: ["l", "r", "r", "r"],
      rows: bc.effects.map((e) => [
        `${step} ${name(e.lever)}`,
        cardsCell(e, reps),
        signedPct(e.cardsOnTargetDateDeltaPercent),
        reachCell(e, reps),
      ]),
    },
  ];
  const notes = bc.effects.filter((e) => e.reachNote !== null);
  if (notes.length)
    blocks.push({
      kind: "list",
      items: notes.map((e) => [`${step} ${name(e.lever)}: ${e.reachNote!}.`]),
    });
  if (bc.byPeriod.length) {
    const levers = bc.byPeriod[0]!.effects.map((e) => e.lever);
    blocks.push({
      kind: "table",
      caption: `Binding stage by date: Δ cumulative cards by that date from ${step} of each lever (the same paired runs)`,
      head: ["by", "binding", ...levers.map((l) => `${step} ${LEVER_LABELS[l]}`)],
      align: ["l", "l", ...levers.map(() => "r" as const)],
      rows: bc.byPeriod.map((b) => [
        b.until,
        name(b.stage),
        ...b.effects.map((e) => `${signedCount(e.cardsDelta)} (${signedPct(e.cardsDeltaPercent)})`),
      ]),
    });
  }
  return blocks;
}
