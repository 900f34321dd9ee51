/**
 * The differences B − A between two issuance runs (issue 9 item 3: `myna-twin compare`), from what
 * each run wrote — summary.json, timeseries.csv and manifest.json, already parsed with the run-format
 * schemas — and compare.md. Also the pieces the built-in counterfactuals share with it: the key dates
 * cards are compared on and resident-days waited ({@link RESIDENT_DAYS_DEFINITION}). Pure functions:
 * no file system, no clock. Cost is not compared: runs carry no cost figures yet (a note says so).
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import {
  BACKLOG_LABELS,
  DASH,
  grouped,
  int,
  RESIDENT_DAYS_COLUMNS,
  RESIDENT_DAYS_DEFINITION,
  RUN_FORMAT_VERSION,
  signed,
  type CompareDocument,
  type KeyDateReason,
  type Pair,
  type RunManifest,
  type RunSummary,
  type TimeseriesTable,
} from "../run-format/index.js";
import { round } from "./rounding.js";

/** A run as read from its directory. */
export interface LoadedRun {
  dir: string;
  manifest: RunManifest;
  summary: RunSummary;
  series: TimeseriesTable;
}

const REASON_ORDER: KeyDateReason[] = ["target date", "year-end", "official date", "declared", "last day"];

/** A date to compare cumulative cards on, and why it is one. */
export interface KeyDate {
  day: number;
  reasons: KeyDateReason[];
}

/**
 * The dates cards are compared on within `first..last` (epoch days, inclusive): the target date(s),
 * every 31 December, the official dates, the declared ones, and the last day; sorted, each once.
 */
export function keyDates(
  first: number,
  last: number,
  dates: { target?: string[]; official?: string[]; declared?: string[] },
): KeyDate[] {
  const byDay = new Map<number, Set<KeyDateReason>>();
  const add = (day: number, reason: KeyDateReason): void => {
    if (day < first || day > last) return;
    const s = byDay.get(day) ?? new Set<KeyDateReason>();
    s.add(reason);
    byDay.set(day, s);
  };
  for (const d of dates.target ?? []) add(parseIsoDate(d), "target date");
  const y0 = Number(formatIsoDate(first).slice(0, 4));
  const y1 = Number(formatIsoDate(last).slice(0, 4));
  for (let y = y0; y <= y1; y++) add(parseIsoDate(`${y}-12-31`), "year-end");
  for (const d of dates.official ?? []) add(parseIsoDate(d), "official date");
  for (const d of dates.declared ?? []) add(parseIsoDate(d), "declared");
  add(last, "last day");
  return [...byDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, reasons]) => ({ day, reasons: REASON_ORDER.filter((r) => reasons.has(r)) }));
}

/**
 * Resident-days waited over rows `from..to` (indexes, inclusive) of the daily backlog columns:
 * {@link RESIDENT_DAYS_DEFINITION}.
 */
export function residentDaysWaited(
  column: (name: (typeof RESIDENT_DAYS_COLUMNS)[number]) => ArrayLike<number>,
  from: number,
  to: number,
): number {
  let sum = 0;
  for (const c of RESIDENT_DAYS_COLUMNS) {
    const col = column(c);
    for (let i = from; i <= to; i++) sum += col[i]!;
  }
  return sum;
}

const pair = (a: number | null, b: number | null, digits = 2): Pair => ({
  a,
  b,
  delta: a === null || b === null ? null : round(b - a, digits),
});

function columnOf(run: LoadedRun, name: string): Float64Array {
  const c = run.series.columns.get(name);
  if (!c) throw new InputError(`${run.dir}: timeseries.csv has no column ${name}`);
  return c;
}

/** First day (epoch) the mean cumulative cards of the series reach `cards`, or null. */
function seriesReachDay(run: LoadedRun, cards: number): number | null {
  const c = columnOf(run, "cards_issued_cumulative");
  for (let i = 0; i < run.series.n; i++) if (c[i]! >= cards) return run.series.startDay + i;
  return null;
}

/**
 * compare.json: B − A. Means and sums are over the days both runs cover; cards on the key dates are
 * the mean cumulative cards of timeseries.csv; the reach date and lead times come from summary.json.
 * @throws InputError when the runs share no day
 */
export function compareRuns(a: LoadedRun, b: LoadedRun): CompareDocument {
  const lastOf = (r: LoadedRun): number => r.series.startDay + r.series.n - 1;
  const first = Math.max(a.series.startDay, b.series.startDay);
  const last = Math.min(lastOf(a), lastOf(b));
  if (last < first)
    throw new InputError(
      `compare: the runs share no day (${a.dir}: ${a.series.dates[0]} … ${a.series.dates.at(-1)}; ${b.dir}: ${b.series.dates[0]} … ${b.series.dates.at(-1)})`,
    );
  const notes: string[] = [
    "cost: neither run carries cost figures (summary.json has none), so no cost is compared",
  ];
  const targets = [...new Set([a.summary.target.date, b.summary.target.date])];
  const official = [...a.summary.fidelity.national, ...b.summary.fidelity.national].map((r) => r.date);
  const cardsA = columnOf(a, "cards_issued_cumulative");
  const cardsB = columnOf(b, "cards_issued_cumulative");
  const cardsOnDates = keyDates(first, last, { target: targets, official }).map(({ day, reasons }) => {
    const va = cardsA[day - a.series.startDay]!;
    const vb = cardsB[day - b.series.startDay]!;
    return {
      date: formatIsoDate(day),
      reasons,
      a: va,
      b: vb,
      delta: round(vb - va, 2),
      deltaPercent: va > 0 ? round(((vb - va) / va) * 100, 3) : null,
    };
  });

  const cards = a.summary.target.cards;
  let reachA: number | null;
  let reachB: number | null;
  if (b.summary.target.cards === cards) {
    reachA = a.summary.target.reachedOn === null ? null : parseIsoDate(a.summary.target.reachedOn);
    reachB = b.summary.target.reachedOn === null ? null : parseIsoDate(b.summary.target.reachedOn);
  } else {
    reachA = seriesReachDay(a, cards);
    reachB = seriesReachDay(b, cards);
    notes.push(
      `the runs' targets differ (${int(cards)} and ${int(b.summary.target.cards)} cards): the reach date is the first day the mean cumulative cards of each timeseries.csv reach ${int(cards)}`,
    );
  }
  const lt = (r: LoadedRun) => r.summary.leadTimeDays.all;
  const meanOver = (run: LoadedRun, name: string): { mean: number; peak: number } => {
    const c = columnOf(run, name);
    let sum = 0;
    let peak = -Infinity;
    for (let d = first; d <= last; d++) {
      const v = c[d - run.series.startDay]!;
      sum += v;
      if (v > peak) peak = v;
    }
    return { mean: round(sum / (last - first + 1), 2), peak };
  };
  const backlogs = BACKLOG_LABELS.map(([column, label]) => {
    const x = meanOver(a, column);
    const y = meanOver(b, column);
    return { column, label, mean: pair(x.mean, y.mean), peak: pair(x.peak, y.peak) };
  });
  const rdw = (r: LoadedRun): number =>
    residentDaysWaited((c) => columnOf(r, c), first - r.series.startDay, last - r.series.startDay);
  const wa = round(rdw(a), 2);
  const wb = round(rdw(b), 2);

  const period = (r: LoadedRun) => ({ start: r.series.dates[0]!, end: r.series.dates.at(-1)! });
  if (a.series.startDay !== b.series.startDay || a.series.n !== b.series.n)
    notes.push(
      `the runs cover different periods; means, peaks and sums are over the ${last - first + 1} days both cover`,
    );
  if (a.summary.seed !== b.summary.seed)
    notes.push(
      `different seeds (${a.summary.seed}, ${b.summary.seed}): the differences include sampling noise, not only the scenarios' difference`,
    );
  const side = (r: LoadedRun) => ({
    dir: r.dir,
    runId: r.manifest.runId,
    scenario: r.summary.scenario,
    seed: r.summary.seed,
    replications: r.summary.replications,
    period: period(r),
  });
  return {
    formatVersion: RUN_FORMAT_VERSION,
    kind: "compare",
    a: side(a),
    b: side(b),
    overlap: { start: formatIsoDate(first), end: formatIsoDate(last), days: last - first + 1 },
    cardsOnDates,
    reach: {
      cards,
      a: reachA === null ? null : formatIsoDate(reachA),
      b: reachB === null ? null : formatIsoDate(reachB),
      deltaDays: reachA === null || reachB === null ? null : reachB - reachA,
    },
    leadTimeDays: {
      p50: pair(lt(a).p50, lt(b).p50),
      p90: pair(lt(a).p90, lt(b).p90),
      p99: pair(lt(a).p99, lt(b).p99),
      mean: pair(lt(a).mean, lt(b).mean),
    },
    backlogs,
    residentDaysWaited: { definition: RESIDENT_DAYS_DEFINITION, a: wa, b: wb, delta: round(wb - wa, 2) },
    notes,
  };
}

const num = (v: number | null, digits = 0): string => (v === null ? DASH : grouped(v, digits));
const sgn = (v: number | null, digits = 0): string => (v === null ? DASH : signed(v, digits));
const cell = (s: string): string => s.replace(/\|/g, "\\|");
const row = (cells: string[]): string => `| ${cells.map(cell).join(" | ")} |`;

/** compare.md: the same numbers as compare.json, as tables. */
export function compareMarkdown(doc: CompareDocument): string {
  const { a, b } = doc;
  const lines: string[] = [
    `# Compare: ${b.scenario} (B) − ${a.scenario} (A)`,
    "",
    `- A: \`${a.dir}\` — run ${a.runId}, seed ${a.seed}, ${a.replications} replication(s), ${a.period.start} … ${a.period.end}`,
    `- B: \`${b.dir}\` — run ${b.runId}, seed ${b.seed}, ${b.replications} replication(s), ${b.period.start} … ${b.period.end}`,
    `- Compared over ${doc.overlap.start} … ${doc.overlap.end} (${int(doc.overlap.days)} days). Every difference is B − A.`,
    "",
    "## Cards issued on key dates",
    "",
    row(["date", "why", "A", "B", "B − A", "B − A %"]),
    "|---|---|--:|--:|--:|--:|",
    ...doc.cardsOnDates.map((r) =>
      row([
        r.date,
        r.reasons.join(", "),
        int(r.a),
        int(r.b),
        sgn(Math.round(r.delta)),
        r.deltaPercent === null ? DASH : `${signed(r.deltaPercent, 2)} %`,
      ]),
    ),
    "",
    "## Reach date",
    "",
    `${int(doc.reach.cards)} cards: A ${doc.reach.a ?? "not reached"}, B ${doc.reach.b ?? "not reached"}` +
      (doc.reach.deltaDays === null
        ? "."
        : `; B − A = ${sgn(doc.reach.deltaDays)} days${doc.reach.deltaDays < 0 ? " (B earlier)" : doc.reach.deltaDays > 0 ? " (B later)" : ""}.`),
    "",
    "## Lead time, application → hand-over (days, all cards)",
    "",
    row(["", "A", "B", "B − A"]),
    "|---|--:|--:|--:|",
    ...(["p50", "p90", "p99", "mean"] as const).map((k) => {
      const v = doc.leadTimeDays[k];
      return row([k, num(v.a, 1), num(v.b, 1), sgn(v.delta, 1)]);
    }),
    "",
    "## Backlogs (cards)",
    "",
    row(["backlog", "mean A", "mean B", "mean B − A", "peak A", "peak B", "peak B − A"]),
    "|---|--:|--:|--:|--:|--:|--:|",
    ...doc.backlogs.map((x) =>
      row([
        x.label,
        num(x.mean.a),
        num(x.mean.b),
        sgn(x.mean.delta),
        num(x.peak.a),
        num(x.peak.b),
        sgn(x.peak.delta),
      ]),
    ),
    "",
    "## Resident-days waited",
    "",
    `A ${int(doc.residentDaysWaited.a)}, B ${int(doc.residentDaysWaited.b)}, B − A ${sgn(Math.round(doc.residentDaysWaited.delta))} resident-days: ${doc.residentDaysWaited.definition}.`,
    "",
    "## Notes",
    "",
    ...doc.notes.map((n) => `- ${n}`),
    "",
  ];
  return lines.join("\n");
}
