/**
 * The capacity search of plan scenarios (`target.solveCapacity`): the least multiplier on every
 * capacity schedule (levers.ts `scaleCapacities`) with which replication 0 has the target's cards by
 * the target date — and, when the scenario bounds waiting (`target.maxLeadTimeP90Days`, issue 9),
 * keeps the p90 application-to-hand-over lead time of the cards handed over by that date within the
 * bound. The answer says which bound kept the grid point below it from qualifying (`boundBy`). Multipliers live on a fixed grid k = 2^(j/70) (neighbours ≈1 % apart, reported to
 * 3 decimals) from 1/64 to 64, and the answer is the grid point that reaches the target while the one
 * below does not.
 *
 * Every probe is a run to the target date with the baseline's seed and replication 0 (common random
 * numbers: the same applications at every multiplier), so cards on the target date grow with k. The
 * probes of a round are chosen from earlier results only — never from the thread count — and their
 * results come back in probe order, so the answer is the same whatever `--threads` is (issue 9: the
 * earlier k-section probed `threads` points per round and its answer changed with them). Until the
 * answer is bracketed each round probes one point; then each round probes the pair (g − 1, g)
 * around the grid point g where cards are predicted to cross the target (along the line through the
 * two highest points that fall short, with bisection when that stalls); the pair runs in parallel
 * and often ends the search at once.
 *
 * The cheapest mix (issue 9 item 4, `cheapestMix`): of the four stages only counter capacity has a
 * price per unit of capacity in the scenario's `costs:` (staff-days); intake, factory and J-LIS are
 * priced per card, so a mix that holds them costs the same. The mix therefore holds intake, factory
 * and J-LIS as built (×1, or at the uniform answer k* when that is above 1) and searches, the same way
 * on the same grid, the least counter staffing that meets the same bounds: the fewest staff-days.
 * Like the uniform search it judges replication 0 (the report says so).
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { runTasks } from "../../engine/pool/task-pool.js";
import type { TaskRunner } from "../../engine/queue/task-kinds.js";
import type { CapacitySolution, CheapestMix } from "../run-format/index.js";
import { yenOfWork } from "./costs.js";
import { scaleCapacities, scaleCounters, scaleLever } from "./levers.js";
import { demandKey, type StageWork } from "./model.js";
import type { IssuanceParams, ScheduleEntry } from "./params.js";
import { REPLICATION_WORKER, runReplication, type ReplicationTask } from "./replication.js";
import { histogramStats } from "./summary.js";

/** Grid points per doubling of the multiplier: k = 2^(j / GRID_PER_DOUBLING). */
export const GRID_PER_DOUBLING = 70;
/** The search range: 1/64 … 64. */
const MAX_J = 6 * GRID_PER_DOUBLING;

/** The multiplier of grid point j. */
export const gridMultiplier = (j: number): number => 2 ** (j / GRID_PER_DOUBLING);

export interface CapacitySearchOptions {
  /** Runs the probes (default: the local pool; engine/queue's coordinator for --queue). */
  runTasks?: TaskRunner;
  seed: number;
  threads: number;
  dataDir: string;
  /** Replication 0's cards on the target date at k = 1, when the baseline run covers that date. */
  cardsAtOne?: number;
  /**
   * Replication 0's p90 lead time of the cards handed over by the target date at k = 1; needed with
   * `cardsAtOne` when the target bounds lead time (`target.maxLeadTimeP90Days`), else ×1 is probed.
   */
  leadTimeP90AtOne?: number;
  /** Replication 0's work up to the target date at k = 1 (counter staff-days for the mix). */
  workAtOne?: StageWork;
  /** Search the cheapest mix after the uniform answer (default true). */
  cheapestMix?: boolean;
  /**
   * Replication 0's recorded demand draws at k = 1 (model.ts `demandDraws`), its `demandKey` and its
   * last day: a probe with the same key that ends by that day replays them instead of drawing (the
   * same numbers, without the binomial draws).
   */
  demandDraws?: { key: string; lastDay: number; draws: Uint32Array };
  /** Called with the grid points of each round before they run (for tests and logs). */
  onRound?: (multipliers: number[]) => void;
}

const valueOn = (s: ScheduleEntry[], day: number): number => {
  let v = s[0]?.value ?? 0;
  for (const e of [...s].sort((a, b) => a.from.localeCompare(b.from)))
    if (parseIsoDate(e.from) <= day) v = e.value;
  return v;
};

/** The counters' opening minutes a day (jlis.businessHours). */
export function openMinutes(params: IssuanceParams): number {
  const m = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return m(params.jlis.businessHours.close) - m(params.jlis.businessHours.open);
}

/**
 * Searches the least capacity multiplier that reaches the target by its date. Null when even 64×
 * does not: then demand, not capacity, is short.
 */
export async function searchCapacity(
  params: IssuanceParams,
  opts: CapacitySearchOptions,
): Promise<CapacitySolution | null> {
  const uniform = await searchGrid(params, opts, scaleCapacities);
  if (uniform === null) return null;
  const answer = describe(params, uniform);
  if (opts.cheapestMix !== false) answer.cheapestMix = await cheapestMix(params, opts, uniform);
  return answer;
}

/** The grid point a search ended on, with what its run gave up to the target date. */
interface GridAnswer {
  j: number;
  cards: number;
  p90: number;
  work: StageWork | undefined;
  boundBy: "cards" | "leadTime" | "cardsAndLeadTime";
}

/**
 * The cheapest mix: intake, factory and J-LIS held as built (or at the uniform answer when above 1),
 * the least counter staffing that meets the same bounds searched on the same grid.
 */
async function cheapestMix(
  params: IssuanceParams,
  opts: CapacitySearchOptions,
  uniform: GridAnswer,
): Promise<CheapestMix | null> {
  const held = Math.max(1, gridMultiplier(uniform.j));
  const base = (["intake", "factory", "jlis"] as const).reduce((q, s) => scaleLever(q, s, held), params);
  const counters = await searchGrid(
    base,
    held === 1 ? opts : { ...opts, cardsAtOne: undefined, leadTimeP90AtOne: undefined, workAtOne: undefined },
    scaleCounters,
    // Counters alone at the uniform answer, the others at least as high, most likely reach.
    held === 1 ? uniform.j : 0,
  );
  if (counters === null) return null;
  const costs = params.costs;
  const m = Number(held.toFixed(3));
  return {
    multipliers: { intake: m, factory: m, jlis: m, counters: Number(gridMultiplier(counters.j).toFixed(3)) },
    verified: true,
    cardsOnTargetDate: counters.cards,
    leadTimeP90Days: Number.isFinite(counters.p90) ? counters.p90 : null,
    counterStaffDaysToTarget: counters.work?.counterStaffDays ?? 0,
    yenToTarget: costs && counters.work ? yenOfWork(counters.work, costs) : null,
    uniformCounterStaffDaysToTarget: uniform.work?.counterStaffDays ?? 0,
    uniformYenToTarget: costs && uniform.work ? yenOfWork(uniform.work, costs) : null,
    method:
      "intake, factory and J-LIS are priced per card, not per unit of capacity, so they are held as built (or at the uniform multiplier when above 1) and the least counter staffing meeting the same bounds is searched on the same grid, replication 0",
  };
}

/** The least grid multiplier k with which `scale(params, k)` meets the target (and the bound). */
async function searchGrid(
  params: IssuanceParams,
  opts: CapacitySearchOptions,
  scale: (p: IssuanceParams, k: number) => IssuanceParams,
  hint?: number,
): Promise<GridAnswer | null> {
  const target = params.target.cards;
  const targetDay = parseIsoDate(params.target.date);
  const end = formatIsoDate(Math.max(targetDay, parseIsoDate(params.start)));
  const bound = params.target.maxLeadTimeP90Days;
  const cards = new Map<number, number>();
  // p90 lead time (days) of the cards handed over by the target date, per grid point.
  const p90 = new Map<number, number>();
  // Work up to the target date per grid point (staff-days for the cheapest mix).
  const work = new Map<number, StageWork>();
  const probe = async (js: number[]): Promise<void> => {
    const todo = js.filter((j) => !cards.has(j));
    if (todo.length === 0) return;
    opts.onRound?.(todo.map(gridMultiplier));
    const recorded = opts.demandDraws;
    const tasks: ReplicationTask[] = todo.map((j) => {
      const probeParams = { ...scale(params, gridMultiplier(j)), end };
      const replay =
        recorded && parseIsoDate(end) <= recorded.lastDay && demandKey(probeParams) === recorded.key;
      return {
        params: probeParams,
        seed: opts.seed,
        replication: 0,
        dataDir: opts.dataDir,
        snapshotDays: [],
        ...(replay ? { demandDraws: recorded.draws } : {}),
      };
    });
    const results = await (opts.runTasks ?? runTasks)(tasks, {
      threads: opts.threads,
      workerUrl: REPLICATION_WORKER,
      handler: runReplication,
    });
    results.forEach((r, i) => {
      cards.set(todo[i]!, r.columns.cards_issued_cumulative[r.days - 1]!);
      p90.set(todo[i]!, histogramStats(r.leadTimeHistogramToTarget).p90);
      work.set(todo[i]!, r.work.toTarget);
    });
  };
  const cardsShort = (j: number): boolean => cards.get(j)! < target;
  // NaN (no card handed over) never meets the bound.
  const leadTooLong = (j: number): boolean => bound !== undefined && !(p90.get(j)! <= bound);
  // Meets the target: its cards by the target date and, when bounded, its p90 lead time.
  const reached = (j: number): boolean => !cardsShort(j) && !leadTooLong(j);

  if (opts.cardsAtOne !== undefined && (bound === undefined || opts.leadTimeP90AtOne !== undefined)) {
    cards.set(0, opts.cardsAtOne);
    p90.set(0, opts.leadTimeP90AtOne ?? Number.NaN);
    if (opts.workAtOne) work.set(0, opts.workAtOne);
  } else await probe([0]);
  let lo: number | null = null; // largest grid point known not to reach (below hi)
  let hi: number | null = null; // smallest grid point known to reach
  if (reached(0)) hi = 0;
  else lo = 0;
  // A hint (the cheapest mix starts from the uniform answer): probe the pair (g − 1, g) first and
  // keep what it brackets; the search below ends at once when g reaches and g − 1 does not.
  if (hint !== undefined && hint !== 0) {
    await probe([hint - 1, hint]);
    for (const x of [hint - 1, hint]) {
      if (reached(x)) hi = hi === null ? x : Math.min(hi, x);
      else lo = lo === null ? x : Math.max(lo, x);
    }
    // Cards not monotone in the multiplier around the hint: fall back to ×1 alone.
    if (lo !== null && hi !== null && lo > hi) [lo, hi] = reached(0) ? [null, 0] : [0, null];
  }

  // One probe while bracketing.
  const step = async (g: number): Promise<void> => {
    await probe([g]);
    if (reached(g)) hi = g;
    else lo = g;
  };
  // The pair (g − 1, g) once bracketed: g reaches and g − 1 does not ends the search.
  const pair = async (g: number): Promise<void> => {
    await probe([g - 1, g]);
    if (reached(g - 1)) hi = g - 1;
    else {
      lo = g - 1;
      if (reached(g)) hi = g;
      else lo = g;
    }
  };
  // Where cards would cross the target if they grew in proportion to capacity from grid point j.
  // Cards flatten as capacity grows (demand takes over), so from below this is close when capacity
  // binds and never past the answer; from above it is only an upper bound.
  const proportional = (j: number): number => {
    const c = cards.get(j)!;
    return c > 0 ? j + GRID_PER_DOUBLING * Math.log2(target / c) : j + MAX_J;
  };

  // Bracketing: up in proportion (at least one more doubling each further round), or down to half,
  // a quarter, a sixteenth … of the proportional estimate.
  for (let n = 0; hi === null; n++) {
    const from: number = lo!;
    if (from >= MAX_J) return null;
    const further = n === 0 ? 1 : GRID_PER_DOUBLING * 2 ** (n - 1);
    await step(Math.min(MAX_J, Math.max(Math.ceil(proportional(from)), from + further)));
  }
  for (let n = 0; lo === null; n++) {
    const from: number = hi;
    if (from <= -MAX_J) return answerAt(from);
    const down = GRID_PER_DOUBLING * 2 ** n;
    await step(Math.max(-MAX_J, Math.min(Math.ceil(proportional(from)), from) - down));
  }

  // Bracketed: lo does not reach, hi does. Predict along the line through the two highest points
  // that fall short (in proportion from lo while there is one); bisect when a round did not halve
  // the gap.
  const fromBelow = (l: number): number => {
    if (!cardsShort(l)) {
      // Lead time is what fails at l: the secant of p90 between l and hi.
      const pl = p90.get(l)!;
      const ph = p90.get(hi!)!;
      return ph < pl ? l + ((pl - bound!) / (pl - ph)) * (hi! - l) : (l + hi!) / 2;
    }
    const below = [...cards.keys()].filter((j) => j < l && cardsShort(j));
    if (below.length === 0) return proportional(l);
    const j = Math.max(...below);
    const slope = (cards.get(l)! - cards.get(j)!) / (l - j);
    return slope > 0 ? l + (target - cards.get(l)!) / slope : proportional(l);
  };
  let bisect = false;
  while (hi - lo > 1) {
    const width: number = hi - lo;
    const x = bisect ? (lo + hi) / 2 : fromBelow(lo);
    await pair(Math.min(hi, Math.max(lo + 1, Math.ceil(x))));
    bisect = !bisect && hi - lo > width / 2;
  }
  return answerAt(hi);

  function answerAt(j: number): GridAnswer {
    // Which bound kept the grid point below from being the answer.
    const below = cards.has(j - 1) ? j - 1 : null;
    const boundBy =
      below === null || !leadTooLong(below)
        ? ("cards" as const)
        : cardsShort(below)
          ? ("cardsAndLeadTime" as const)
          : ("leadTime" as const);
    return { j, cards: cards.get(j)!, p90: p90.get(j)!, work: work.get(j), boundBy };
  }
}

/** The uniform answer as summary.json states it. */
function describe(params: IssuanceParams, a: GridAnswer): CapacitySolution {
  const targetDay = parseIsoDate(params.target.date);
  const k = gridMultiplier(a.j);
  const scaled = scaleCapacities(params, k);
  return {
    boundBy: a.boundBy,
    leadTimeP90Days: Number.isFinite(a.p90) ? a.p90 : null,
    maxLeadTimeP90Days: params.target.maxLeadTimeP90Days ?? null,
    multiplier: Number(k.toFixed(3)),
    factoryPerDayOnTargetDate: Math.round(valueOn(scaled.factory.capacityPerDay, targetDay)),
    // Weekday hand-overs per 10,000 residents the scaled staffing gives (counter-capacity.ts).
    countersPerTenThousandOnTargetDate: Number(
      (
        (valueOn(scaled.counters.staffPerHundredThousand, targetDay) / 10) *
        (openMinutes(params) / params.counters.minutesPerHandover)
      ).toFixed(2),
    ),
  };
}
