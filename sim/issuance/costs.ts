/**
 * Staff and money (issue 9 item 4): the yen each stage costs from the work it did — cards made at
 * the factory, J-LIS transactions (hand-overs and certificate renewals), counter staff-days on duty
 * (the staffing of counter-capacity.ts, whether or not residents came) and notification postcards —
 * at the unit costs of the scenario's `costs:` block (each labelled in the parameter table). Also
 * the work content of handing over N cards: N × minutes per hand-over ÷ opening minutes staff-days
 * (staff fully busy: a lower bound) and N × the per-card costs — the answer to "what would N cards
 * by that date have needed".
 * @module
 */
import type { StageWork } from "./model.js";
import type { CostParams, IssuanceParams } from "./params.js";
import { openMinutes } from "./capacity-search.js";

/** Yen by stage and in total. */
export interface StageYen {
  cardProduction: number;
  jlis: number;
  counterStaff: number;
  postage: number;
  total: number;
}

/** The yen of the work done. */
export function yenOfWork(w: StageWork, c: CostParams): StageYen {
  const cardProduction = w.cardsMade * c.cardProductionYenPerCard;
  const jlis = w.jlisTransactions * c.jlisYenPerTransaction;
  const counterStaff = w.counterStaffDays * c.counterStaffYenPerDay;
  const postage = w.postcards * c.postageYenPerCard;
  return {
    cardProduction,
    jlis,
    counterStaff,
    postage,
    total: cardProduction + jlis + counterStaff + postage,
  };
}

/** Mean work over replications (replication order fixed, so the sums are deterministic). */
export function meanWork(works: StageWork[]): StageWork {
  const n = Math.max(1, works.length);
  const sum = (k: keyof StageWork): number => works.reduce((a, w) => a + w[k], 0) / n;
  return {
    cardsMade: sum("cardsMade"),
    jlisTransactions: sum("jlisTransactions"),
    counterStaffDays: sum("counterStaffDays"),
    postcards: sum("postcards"),
    terminalBoundDays: sum("terminalBoundDays"),
  };
}

/**
 * The least work and yen that handing over `cards` new cards takes: each card made, posted and
 * handed over once (one J-LIS transaction), and counter staff fully busy.
 */
export function workContent(
  params: IssuanceParams,
  cards: number,
): { counterStaffDays: number; yen: StageYen | null } {
  const counterStaffDays = (cards * params.counters.minutesPerHandover) / Math.max(1, openMinutes(params));
  const yen = params.costs
    ? yenOfWork(
        {
          cardsMade: cards,
          jlisTransactions: cards,
          counterStaffDays,
          postcards: cards,
          terminalBoundDays: 0,
        },
        params.costs,
      )
    : null;
  return { counterStaffDays, yen };
}
