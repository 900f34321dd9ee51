/**
 * The report's "Staff and money" section (issue 9 item 4), from summary.json `costs` and
 * `requiredCapacity.cheapestMix`: the work each stage did and its yen (card production, J-LIS,
 * counter staff, postage) up to the target date and over the run; the answer to "how many counter
 * staff-days and yen would the target's cards by its date have needed under the demand that came" —
 * stated honestly when demand was short; and the cheapest capacity mix the search found.
 * @module
 */
import type { RunCosts } from "../../run-format/index.js";
import { p, type Block } from "./blocks.js";
import { grouped, int } from "./format.js";
import type { ReportInput } from "./input.js";

type Yen = RunCosts["all"]["yen"];
type Work = RunCosts["all"]["work"];

/** Yen in billions with one decimal (¥12.3 bn), or millions below ¥1 bn. */
export function yen(v: number): string {
  return v >= 1e9 ? `¥${grouped(v / 1e9, 1)} bn` : `¥${grouped(v / 1e6, 1)} M`;
}

function stageRows(work: Work, y: Yen): string[][] {
  return [
    ["card production", `${int(work.cardsMade)} cards made`, yen(y.cardProduction)],
    ["J-LIS", `${int(work.jlisTransactions)} hand-overs and renewals`, yen(y.jlis)],
    ["counter staff", `${int(work.counterStaffDays)} staff-days on duty`, yen(y.counterStaff)],
    ["postage", `${int(work.postcards)} notification postcards`, yen(y.postage)],
    ["total", "", yen(y.total)],
  ];
}

/** "Staff and money". */
export function costsSection(input: ReportInput): Block[] {
  const c = input.summary.costs;
  if (!c) return [];
  const u = c.unitCosts;
  const out: Block[] = [
    { kind: "h", level: 2, text: "Staff and money", id: "costs" },
    p(
      `Unit costs (each labelled in "Parameters by label"): card production ¥${grouped(u.cardProductionYenPerCard)} a card, J-LIS ¥${grouped(u.jlisYenPerTransaction)} a transaction, counter staff ¥${grouped(u.counterStaffYenPerDay)} a staff-day, postage ¥${grouped(u.postageYenPerCard)} a card. Counter staff-days are the staffing on duty (counters.staffPerHundredThousand × residents, weekend factor), whether or not residents came.`,
    ),
  ];
  if (c.toTargetDate)
    out.push({
      kind: "table",
      caption: `Work and yen by stage up to the target date ${c.target.date} (mean over replications)`,
      head: ["stage", "work", "yen"],
      align: ["l", "r", "r"],
      rows: stageRows(c.toTargetDate.work, c.toTargetDate.yen),
    });
  out.push({
    kind: "table",
    caption: `Work and yen by stage over the whole run, ${input.summary.period.start} → ${input.summary.period.end}`,
    head: ["stage", "work", "yen"],
    align: ["l", "r", "r"],
    rows: stageRows(c.all.work, c.all.yen),
  });
  const t = c.target;
  const need = `${int(t.targetCards.counterStaffDays)} counter staff-days and ${yen(t.targetCards.yen.total)}`;
  const q = `How many counter staff-days and yen would ${int(t.cards)} cards by ${t.date} have needed under the demand that came?`;
  if (t.applicationsByDate === null || t.applicationsMade === null) {
    out.push(
      p(
        { b: q },
        ` The target date is outside the run. The work content of ${int(t.cards)} cards alone (staff fully busy): ${need}.`,
      ),
    );
  } else if (t.demandShort) {
    out.push(
      p(
        { b: q },
        ` None would have been enough: residents made only ${int(t.applicationsByDate)} applications by ${t.date}, fewer than the ${int(t.cards)} cards, so demand, not capacity, falls short (${int(t.cardsByDate)} cards were handed over by then in this run). Handing over every one of those ${int(t.applicationsByDate)} applications needs at least ${int(t.applicationsMade.counterStaffDays)} counter staff-days (staff fully busy) and ${yen(t.applicationsMade.yen.total)} (cards ${yen(t.applicationsMade.yen.cardProduction)}, J-LIS ${yen(t.applicationsMade.yen.jlis)}, staff ${yen(t.applicationsMade.yen.counterStaff)}, postage ${yen(t.applicationsMade.yen.postage)}); had the demand for ${int(t.cards)} cards come, the work content would be ${need}. This run's staffing put ${c.toTargetDate ? int(c.toTargetDate.work.counterStaffDays) : "–"} staff-days on duty by then (${c.toTargetDate ? yen(c.toTargetDate.yen.counterStaff) : "–"}).`,
      ),
    );
  } else {
    out.push(
      p(
        { b: q },
        ` Residents made ${int(t.applicationsByDate)} applications by ${t.date}, enough for the target. Its work content (staff fully busy): ${need}; this run's staffing put ${c.toTargetDate ? int(c.toTargetDate.work.counterStaffDays) : "–"} staff-days on duty by then (${c.toTargetDate ? yen(c.toTargetDate.yen.total) : "–"} in all).`,
      ),
    );
  }
  const mix = input.summary.requiredCapacity?.cheapestMix;
  const rc = input.summary.requiredCapacity;
  if (rc && mix) {
    const m = mix.multipliers;
    out.push(
      { kind: "h", level: 3, text: "Cheapest capacity mix" },
      p(
        `The uniform answer scales every stage by ×${grouped(rc.multiplier, 3)}. Intake, factory and J-LIS cost per card, not per unit of capacity, so the cheapest mix holds them at ×${grouped(m.intake, 3)} and searches the least counter staffing that still meets the target${rc.maxLeadTimeP90Days ? ` and the p90 lead-time bound of ${rc.maxLeadTimeP90Days} days` : ""}: counters ×${grouped(m.counters, 3)}, ${int(mix.counterStaffDaysToTarget)} staff-days by ${t.date} (${mix.yenToTarget ? yen(mix.yenToTarget.total) : "–"}) against ${int(mix.uniformCounterStaffDaysToTarget)} (${mix.uniformYenToTarget ? yen(mix.uniformYenToTarget.total) : "–"}) for the uniform answer; ${int(mix.cardsOnTargetDate)} cards on ${t.date}, p90 lead time ${mix.leadTimeP90Days ?? "–"} days. Both searches judge replication 0 only (the same random streams at every multiplier).`,
      ),
    );
  }
  return out;
}
