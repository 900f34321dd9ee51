/**
 * The report's "PIN resets at the counters" section (issue 10 item 1), from summary.json
 * `pinResets`: authentication-PIN lockouts (FACTS §1.5) from the cards in circulation, the counter
 * visits they cause and the staff hours the resets took, by year, and what the visits cost — cards
 * and lead time — against the paired run without them (counterfactual `no-pin-reset-visits`).
 * @module
 */
import type { PinResetSummary } from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { DASH, days, grouped, int, signedCount } from "./format.js";
import type { ReportInput } from "./input.js";

const daysText = (x: number | null): string => (x === null ? DASH : `${x >= 0 ? "+" : ""}${days(x)} d`);

function effectText(e: NonNullable<PinResetSummary["effect"]>, target: string): string {
  const onTarget =
    e.cardsLostOnTargetDate === null
      ? ""
      : `${signedCount(-e.cardsLostOnTargetDate)} cards on the target date ${target}, `;
  return `Against the paired run without them (same seed and demand draws): ${onTarget}${signedCount(-e.cardsLostAtEnd)} cards by ${e.endDate}; lead time p50 ${daysText(e.leadTimeDaysAdded.p50)}, p90 ${daysText(e.leadTimeDaysAdded.p90)}, p99 ${daysText(e.leadTimeDaysAdded.p99)}; resident-days waited ${signedCount(e.residentDaysAdded)}. A few cards can come out ahead where a lost hand-over slot went to a certificate renewal instead, or the J-LIS day's share moved between municipalities.`;
}

/** "PIN resets at the counters", or nothing when the scenario leaves them out. */
export function pinResetsSection(input: ReportInput): Block[] {
  const s = input.summary.pinResets;
  if (!s) return [];
  return [
    { kind: "h", level: 2, text: "PIN resets at the counters", id: "pin-resets" },
    p(
      `Holders locked out of their authentication PIN (3 wrong entries in a row, FACTS §1.5) can only reset it at their municipality's counter. PIN entries on card readers come from the authentication load model for each date (sim/auth), lockouts from the ${s.lockoutRatesFrom} (${grouped(s.lockoutProbabilityPerPinEntry * 100, 4)} % of PIN entries, assumed rates), per municipality from its cards in circulation in this run. Each reset takes ${grouped(s.minutesPerReset)} staff minutes (assumed, "Parameters by label") before the day's hand-overs.`,
    ),
    p(
      `${int(s.lockouts)} lockouts, ${int(s.counterVisits)} counter visits, ${int(s.resets)} resets, ${int(s.staffHours)} staff hours over the run; busiest day ${s.peakDailyVisits.date} with ${int(s.peakDailyVisits.count)} visits.`,
    ),
    {
      kind: "table",
      head: ["year", "lockouts", "counter visits", "resets", "staff hours"],
      align: ["l", "r", "r", "r", "r"],
      rows: s.byYear.map((y) => [
        String(y.year),
        int(y.lockouts),
        int(y.counterVisits),
        int(y.resets),
        int(y.staffHours),
      ]),
    },
    p(
      s.effect
        ? effectText(s.effect, input.params.target.date)
        : "What the visits cost is measured only when they take counter time (counters.minutesPerPinReset > 0).",
    ),
  ];
}
