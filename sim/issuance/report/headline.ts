/**
 * The report's opening: the answer (was the target reached, when, or how far short), the binding
 * constraint (by marginal effect; the table is in binding.ts), lead times, the capacity search, key
 * figures and, as a descriptive figure only, the days each stage was saturated.
 * @module
 */
import { STAGES } from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { days, finite, grouped, int, millions, ratioPct, STAGE_NAMES, times } from "./format.js";
import type { Frame } from "./frame.js";
import type { ReportInput } from "./input.js";

/** The headline paragraph, binding constraint, lead times, capacity search and key-figure tables. */
export function headline(input: ReportInput, f: Frame): Block[] {
  const { summary, params } = input;
  const t = summary.target;
  const reps = summary.replications;
  const range =
    reps > 1 && t.reachedOnRange && t.reachedOnRange.earliest !== t.reachedOnRange.latest
      ? ` (mean over ${int(reps)} replications; earliest ${t.reachedOnRange.earliest}, latest ${t.reachedOnRange.latest})`
      : "";
  const finalCards = input.columns.cards_issued_cumulative[f.n - 1];
  let text: string;
  if (t.reached && t.reachedOn) {
    const when = t.reachedOn < t.date ? "before" : "on";
    text = `${int(t.cards)} cards were reached on ${t.reachedOn}${range}, ${when} the target date ${t.date}.`;
  } else {
    const parts: string[] = [];
    if (t.cardsOnTargetDate) {
      const ci =
        reps > 1 && t.cardsOnTargetDate.lower !== t.cardsOnTargetDate.upper
          ? `, 95 % CI ${millions(t.cardsOnTargetDate.lower)} – ${millions(t.cardsOnTargetDate.upper)}`
          : "";
      parts.push(
        `Not reached by ${t.date}: ${millions(t.cardsOnTargetDate.mean)} cards${ci} (shortfall ${millions(t.shortfallOnTargetDate)} of the ${int(t.cards)} target)`,
      );
    } else {
      parts.push(
        `The target of ${int(t.cards)} cards by ${t.date} cannot be judged: the target date lies outside the run (${summary.period.start} – ${summary.period.end})`,
      );
    }
    parts.push(
      t.reachedOn
        ? `; ${int(t.cards)} cards reached on ${t.reachedOn}${range}.`
        : `; not reached within the run (${millions(finalCards)} cards on ${f.last}).`,
    );
    text = parts.join("");
    if (reps > 1 && t.reachedShare > 0 && t.reachedShare < 1)
      text += ` ${ratioPct(t.reachedShare, 0)} of the ${int(reps)} replications reached it by the target date.`;
  }
  const lt = summary.leadTimeDays;
  const bc = summary.bindingConstraint;
  const blocks: Block[] = [
    { kind: "p", className: "headline", content: [{ b: text }] },
    p("Binding constraint (by marginal effect): ", { b: STAGE_NAMES[bc.stage] }, `. ${bc.explanation}`),
    p(
      "Application-to-hand-over lead time of all cards handed over in the run: ",
      { b: `p50 ${days(lt.all.p50)} days, p90 ${days(lt.all.p90)} days, p99 ${days(lt.all.p99)} days` },
      ` (mean ${days(lt.all.mean)} days).`,
      ...(lt.toTargetDate
        ? [
            ` Cards handed over by ${params.target.date}: p50 ${days(lt.toTargetDate.p50)}, p90 ${days(lt.toTargetDate.p90)}, p99 ${days(lt.toTargetDate.p99)} days.`,
          ]
        : []),
    ),
  ];
  const rc = summary.requiredCapacity;
  const leadBound = params.target.maxLeadTimeP90Days;
  if (rc === null) {
    blocks.push(
      leadBound === undefined
        ? p(
            "Capacity search: no capacity multiplier within the search range reaches the target by ",
            t.date,
            ": demand, not capacity, is short.",
          )
        : p(
            "Capacity search: no capacity multiplier up to ×64 reaches the target by ",
            t.date,
            ` with a p90 lead time of at most ${int(leadBound)} days: demand is short, or waits that long come from delays capacity does not shorten (shipping, postcards, the residents' own pickup delay).`,
          ),
    );
  } else if (rc !== undefined && finite(rc.multiplier)) {
    const bounded =
      leadBound === undefined
        ? ""
        : ` with a p90 lead time of at most ${int(leadBound)} days (${rc.leadTimeP90Days === null || rc.leadTimeP90Days === undefined ? "—" : days(rc.leadTimeP90Days)} days at this multiplier)`;
    const which =
      rc.boundBy === "leadTime"
        ? ` The lead-time bound is what binds: at the multiplier one grid step lower (≈1 %) the cards are reached but p90 exceeds ${int(leadBound ?? 0)} days.`
        : rc.boundBy === "cardsAndLeadTime"
          ? " Both bounds bind: one grid step lower (≈1 %) misses the cards and the lead-time bound."
          : leadBound === undefined
            ? ""
            : " The cards bound is what binds: one grid step lower (≈1 %) misses the cards.";
    blocks.push(
      p(
        "Capacity needed to reach the target by ",
        t.date,
        bounded,
        ": ",
        { b: `every capacity schedule ${times(rc.multiplier)}` },
        ` (factory ${int(rc.factoryPerDayOnTargetDate)} cards/day and counters ${grouped(rc.countersPerTenThousandOnTargetDate, 2)} hand-overs per 10,000 residents per business day on the target date).${which}`,
      ),
    );
  }
  blocks.push({
    kind: "table",
    caption: "Key figures",
    head: ["figure", "value"],
    align: ["l", "l"],
    rows: [
      ["run period", `${summary.period.start} – ${summary.period.end}`],
      ["target", `${int(t.cards)} cards by ${t.date}`],
      ["applications (cumulative, end of run)", int(summary.totals.applications)],
      ["cards issued (cumulative, end of run)", int(summary.totals.cardsIssued)],
      ["certificate renewals", int(summary.totals.certificateRenewals)],
      ...(summary.totals.cardsInCirculation === undefined
        ? []
        : [
            [
              "cards in circulation (end of run)",
              `${int(summary.totals.cardsInCirculation)} (${int(summary.totals.cardExpiries ?? 0)} expired, ${int(summary.totals.holderDeaths ?? 0)} holders died)`,
            ],
          ]),
      [
        "peak daily applications",
        `${int(summary.peakDailyApplications.count)} on ${summary.peakDailyApplications.date}`,
      ],
      ["peak daily issuance", `${int(summary.peakDailyIssuance.count)} on ${summary.peakDailyIssuance.date}`],
      ["J-LIS outage minutes in business hours", grouped(summary.outageMinutesInBusinessHours, 1)],
      ["replications × seed", `${int(summary.replications)} × seed ${summary.seed}`],
    ],
  });
  blocks.push({
    kind: "table",
    caption: `Days each stage worked at capacity with work left over, up to ${t.date} (descriptive: where queues formed, not what binds — see "What +10 % of each would buy")`,
    head: ["stage", "saturated days"],
    align: ["l", "r"],
    rows: STAGES.map((s) => [
      STAGE_NAMES[s] ?? s,
      days(Math.round(summary.saturatedDaysToTarget[s] * 10) / 10),
    ]),
  });
  return blocks;
}
