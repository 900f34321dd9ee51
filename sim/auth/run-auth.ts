/**
 * The authentication model of a scenario run (issue 10 items 1–3, 7), called once by
 * sim/issuance/run-scenario.ts after the issuance replications with the run's mean cards in
 * circulation by day: the load by day and class, lockouts and counter visits, the busiest day of the
 * peak year request by request, the whole year as the hourly fluid model (validated on the
 * request-level days), peak-hour latency as cards grow to the target and beyond, and the servers
 * needed to keep p99 under the goal (a deterministic search on common random numbers).
 *
 * Determinism: everything below the service times is a function of (scenario, seed, cards), whatever
 * --threads is; the service times are measured here at the start (or pinned by the scenario) and
 * recorded in summary.json, so a run can be repeated exactly by pinning them.
 * @module
 */
import { formatIsoDate, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import {
  AUTH_DAILY_COLUMNS,
  AUTH_FILES,
  AUTH_HOURLY_COLUMNS,
  type AuthDay,
  type AuthLatencyPoint,
  type AuthSummary,
} from "../run-format/auth.js";
import { baseSample, fluidHours, type BaseSample } from "./fluid.js";
import {
  AUTH_CLASSES,
  CLASS_COUNT,
  dailyVolumes,
  hourlyVolumes,
  pinReaderAuthentications,
} from "./load-model.js";
import { lockoutFlow, lockoutProbability } from "./lockouts.js";
import { HOUR_MS, simulatePath, type PathConfig } from "./network.js";
import type { AuthParams } from "./params.js";
import { resolveServiceTimes, sampleQuantile, type MeasuredServiceTimes } from "./service-times.js";

export interface AuthRunInput {
  params: AuthParams;
  /** Epoch day of `cards[0]`. */
  startDay: number;
  /** Cards in circulation at the end of each simulated day (mean over replications). */
  cards: ArrayLike<number>;
  seed: number;
  /** The cards line of the chart (the scenario's target). */
  targetCards: number;
  /** Whether the issuance run's counters spent staff time on the lockout visits (sim/issuance/pin-resets.ts). */
  visitsLoadCounters?: boolean;
}

export interface AuthRunOutput {
  summary: AuthSummary;
  files: Record<string, string>;
}

/** The path's configuration from the parameters and the service times. */
export function pathConfig(p: AuthParams, t: MeasuredServiceTimes): PathConfig {
  return {
    ...p.network,
    platformService: (u) => sampleQuantile(t.platformMs, u),
    localCheckService: (u) => sampleQuantile(t.crlLookupMs, u),
    jlisService: (u) => sampleQuantile(t.jlisMs, u),
  };
}

const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));
const r3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

function runDay(
  day: number,
  cards: number,
  p: AuthParams,
  cfg: PathConfig,
  base: BaseSample,
  seed: number,
): AuthDay {
  const hourly = hourlyVolumes(day, cards, p);
  const r = simulatePath({ expectedPerHour: hourly, config: cfg, seed, stream: day });
  const fluid = fluidHours(hourly, cfg, base);
  const h = r.latencyUs;
  const q = (x: number): number | null => (h.totalCount === 0 ? null : h.valueAtPercentile(x) / 1000);
  let maxErr: number | null = null;
  const hours = r.hours.map((x, i) => {
    const f = fluid[i]!;
    if (x.p99Ms !== null && x.arrivals >= 1000) {
      const e = (Math.abs(f.p99Ms - x.p99Ms) / x.p99Ms) * 100;
      maxErr = Math.max(maxErr ?? 0, e);
    }
    return {
      hour: i,
      arrivals: x.arrivals,
      requestP50Ms: r3(x.p50Ms),
      requestP99Ms: r3(x.p99Ms),
      fluidP50Ms: r3(f.p50Ms)!,
      fluidP99Ms: r3(f.p99Ms)!,
    };
  });
  return {
    date: formatIsoDate(day),
    cards: Math.round(cards),
    requests: r.arrivals,
    completed: r.completed,
    failed: r.failed,
    retries: r.retries,
    p50Ms: r3(q(50)),
    p90Ms: r3(q(90)),
    p99Ms: r3(q(99)),
    maxMs: h.totalCount === 0 ? null : r3(h.max / 1000),
    platformUtilisation: round(r.platformUtilisation),
    jlisUtilisation: round(r.jlisUtilisation),
    eventsProcessed: r.eventsProcessed,
    hours,
    maxAbsP99ErrorPercent: maxErr === null ? null : round(maxErr, 3),
  };
}

/** Official volumes the load model was calibrated on (FACTS §5.2, §5.3), compared in summary.json. */
const FIDELITY: readonly {
  what: string;
  from: string;
  to: string;
  official: number;
  classes: readonly (typeof AUTH_CLASSES)[number][];
  source: string;
}[] = [
  {
    what: "online qualification checks by card",
    from: "2024-07-01",
    to: "2024-07-31",
    official: 22_807_316,
    classes: ["hospital", "clinic", "dental", "pharmacy"],
    source: "FACTS §5.3 (Jul 2024)",
  },
  {
    what: "online qualification checks by card",
    from: "2025-10-01",
    to: "2025-10-31",
    official: 101_990_000,
    classes: ["hospital", "clinic", "dental", "pharmacy"],
    source: "FACTS §5.3 (Oct 2025)",
  },
  {
    what: "convenience-store certificates",
    from: "2023-04-01",
    to: "2024-03-31",
    official: 31_890_000,
    classes: ["convenience"],
    source: "FACTS §5.2 (FY2023)",
  },
];

/** Peak-hour window length for the card sweep and the server search (steady state at the peak rate). */
const WINDOW_MS = 15 * 60_000;
const SEARCH_WINDOW_MS = 5 * 60_000;

function windowP99(perHour: number, cfg: PathConfig, seed: number, windowMs: number) {
  const r = simulatePath({
    expectedPerHour: [(perHour * windowMs) / HOUR_MS],
    slotMs: windowMs,
    config: cfg,
    seed,
    stream: 1_000_000,
  });
  const h = r.latencyUs;
  return {
    p50: h.totalCount === 0 ? null : h.valueAtPercentile(50) / 1000,
    p99: h.totalCount === 0 ? null : h.valueAtPercentile(99) / 1000,
    failed: r.failed,
  };
}

/** Least servers in [1, 4096] meeting `ok`, assuming more servers never hurt (doubling, then bisection). */
function leastServers(ok: (servers: number) => boolean): number | null {
  let hi = 1;
  while (!ok(hi)) {
    if (hi >= 4096) return null;
    hi *= 2;
  }
  let lo = Math.floor(hi / 2); // fails (or 0)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function csvNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4).replace(/\.?0+$/, "");
}

/** Runs the authentication model on an issuance run's cards in circulation. */
export function runAuthModel(input: AuthRunInput): AuthRunOutput {
  const p = input.params;
  const days = input.cards.length;
  const first = input.startDay;
  const last = first + days - 1;
  const peakYear = p.peakYear ?? Number(formatIsoDate(last).slice(0, 4));
  const yStart = Math.max(first, parseIsoDate(`${peakYear}-01-01`));
  const yEnd = Math.min(last, parseIsoDate(`${peakYear}-12-31`));
  if (yStart > yEnd)
    throw new InputError(
      `auth.peakYear: ${peakYear} is outside the run (${formatIsoDate(first)} … ${formatIsoDate(last)})`,
      "E_SCENARIO",
    );
  const cardsOn = (day: number): number => input.cards[day - first]!;
  const times = resolveServiceTimes(p.serviceTimes, p.measureSamples);
  const cfg = pathConfig(p, times);
  const base = baseSample(cfg, input.seed);

  // Daily load, lockouts and counter visits over the whole run.
  const daily = new Float64Array(days * CLASS_COUNT);
  const pin = new Float64Array(days);
  const v = new Float64Array(CLASS_COUNT);
  for (let i = 0; i < days; i++) {
    dailyVolumes(first + i, input.cards[i]!, p, v);
    daily.set(v, i * CLASS_COUNT);
    pin[i] = pinReaderAuthentications(first + i, input.cards[i]!, p);
  }
  const flow = lockoutFlow(pin, p.lockout);
  const dailyRows: string[] = [["date", ...AUTH_DAILY_COLUMNS].join(",")];
  for (let i = 0; i < days; i++) {
    const row = daily.subarray(i * CLASS_COUNT, (i + 1) * CLASS_COUNT);
    const total = row.reduce((a, b) => a + b, 0);
    dailyRows.push(
      [
        formatIsoDate(first + i),
        Math.round(input.cards[i]!),
        ...[total, ...row, pin[i]!, flow.lockouts[i]!, flow.counterVisits[i]!].map((x) =>
          csvNumber(round(x, 8)),
        ),
      ].join(","),
    );
  }

  // The peak year: its busiest day, its hourly fluid model.
  const byClass = new Float64Array(CLASS_COUNT);
  let busiest = yStart;
  let busiestTotal = -1;
  let yearTotal = 0;
  const yearHours: number[] = [];
  for (let d = yStart; d <= yEnd; d++) {
    const row = daily.subarray((d - first) * CLASS_COUNT, (d - first + 1) * CLASS_COUNT);
    let t = 0;
    for (let c = 0; c < CLASS_COUNT; c++) {
      byClass[c]! += row[c]!;
      t += row[c]!;
    }
    yearTotal += t;
    if (t > busiestTotal) {
      busiestTotal = t;
      busiest = d;
    }
    for (const x of hourlyVolumes(d, cardsOn(d), p)) yearHours.push(x);
  }
  const fluidYear = fluidHours(yearHours, cfg, base);
  const hourlyRows: string[] = [["hour", ...AUTH_HOURLY_COLUMNS].join(",")];
  let peakIdx = 0;
  fluidYear.forEach((f, i) => {
    if (f.arrivals > fluidYear[peakIdx]!.arrivals) peakIdx = i;
    const day = yStart + Math.floor(i / 24);
    hourlyRows.push(
      [
        `${formatIsoDate(day)}T${String(i % 24).padStart(2, "0")}`,
        csvNumber(round(f.arrivals, 8)),
        csvNumber(round(f.p50Ms, 6)),
        csvNumber(round(f.p99Ms, 6)),
        csvNumber(round(f.platformUtilisation, 6)),
        csvNumber(round(f.jlisUtilisation, 6)),
      ].join(","),
    );
  });

  // Request by request: the busiest day and the validation days.
  const peakDay = runDay(busiest, cardsOn(busiest), p, cfg, base, input.seed);
  const validationDays = (p.validationDays ?? []).map((iso, k) => {
    const d = parseIsoDate(iso);
    if (d < first || d > last)
      throw new InputError(`auth.validationDays[${k}]: ${iso} is outside the run`, "E_SCENARIO");
    return runDay(d, cardsOn(d), p, cfg, base, input.seed);
  });

  // Peak-hour latency as cards grow: the busiest hour's rate per card, scaled.
  const peakHourly = hourlyVolumes(busiest, cardsOn(busiest), p);
  const peakHourArrivals = Math.max(...peakHourly);
  const perCard = peakHourArrivals / Math.max(1, cardsOn(busiest));
  const sweep = [...new Set([...p.cardsSweep, input.targetCards])].sort((a, b) => a - b);
  const latencyByCards: AuthLatencyPoint[] = sweep.map((c) => {
    const perHour = perCard * c;
    const w = windowP99(perHour, cfg, input.seed, WINDOW_MS);
    return {
      cards: c,
      arrivalsPerS: round(perHour / 3600),
      p50Ms: r3(w.p50),
      p99Ms: r3(w.p99),
      fluidP99Ms: r3(fluidHours([perHour], cfg, base)[0]!.p99Ms)!,
      failed: w.failed,
    };
  });

  // Servers needed at the largest card count: platform first (J-LIS unconstrained), then J-LIS.
  const top = sweep[sweep.length - 1]!;
  const goal = p.p99GoalMs;
  const meets = (ps: number, js: number): boolean => {
    const c: PathConfig = {
      ...cfg,
      platform: { ...cfg.platform, servers: ps },
      jlis: { ...cfg.jlis, servers: js },
    };
    const w = windowP99(perCard * top, c, input.seed, SEARCH_WINDOW_MS);
    return w.p99 !== null && w.p99 <= goal && w.failed === 0;
  };
  const platformServers = leastServers((s) => meets(s, 4096));
  const jlisServers = platformServers === null ? null : leastServers((s) => meets(platformServers, s));
  const atAnswer =
    platformServers !== null && jlisServers !== null
      ? windowP99(
          perCard * top,
          {
            ...cfg,
            platform: { ...cfg.platform, servers: platformServers },
            jlis: { ...cfg.jlis, servers: jlisServers },
          },
          input.seed,
          SEARCH_WINDOW_MS,
        ).p99
      : null;
  const note =
    platformServers === null
      ? `no server count up to 4096 keeps p99 ≤ ${goal} ms: network hops and service alone exceed the goal`
      : "least servers (cores running the measured crypto) keeping the peak-hour p99 under the goal; the service times cover the cryptography only";

  let peakVisits = 0;
  flow.counterVisits.forEach((x, i) => {
    if (x > flow.counterVisits[peakVisits]!) peakVisits = i;
  });
  const peakHourDay = yStart + Math.floor(peakIdx / 24);
  const fidelity = FIDELITY.flatMap((f) => {
    const from = parseIsoDate(f.from);
    const to = parseIsoDate(f.to);
    if (from < first || to > last) return [];
    let modelled = 0;
    for (let x = from; x <= to; x++)
      for (const c of f.classes) modelled += daily[(x - first) * CLASS_COUNT + AUTH_CLASSES.indexOf(c)]!;
    return [
      {
        what: f.what,
        from: f.from,
        to: f.to,
        official: f.official,
        modelled: Math.round(modelled),
        source: f.source,
      },
    ];
  });
  const summary: AuthSummary = {
    fidelity,
    serviceTimes: {
      source: times.source,
      samples: times.samples,
      crlEntries: times.crlEntries,
      platformMs: times.platformMs.map((x) => round(x, 6)),
      crlLookupMs: times.crlLookupMs.map((x) => round(x, 6)),
      jlisMs: times.jlisMs.map((x) => round(x, 6)),
    },
    year: {
      year: peakYear,
      authentications: Math.round(yearTotal),
      byClass: Object.fromEntries(AUTH_CLASSES.map((c, i) => [c, Math.round(byClass[i]!)])),
      busiestDay: { date: formatIsoDate(busiest), authentications: Math.round(busiestTotal) },
      peakHour: {
        hour: `${formatIsoDate(peakHourDay)}T${String(peakIdx % 24).padStart(2, "0")}`,
        arrivalsPerS: round(fluidYear[peakIdx]!.arrivals / 3600),
        fluidP99Ms: r3(fluidYear[peakIdx]!.p99Ms)!,
      },
    },
    peakDay,
    validationDays,
    latencyByCards,
    targetCards: input.targetCards,
    serversNeeded: {
      goalP99Ms: goal,
      cards: top,
      platformServers,
      jlisServers,
      p99Ms: r3(atAnswer),
      note,
    },
    lockouts: {
      probabilityPerPinAuthentication: round(lockoutProbability(p.lockout), 6),
      lockouts: Math.round(flow.lockouts.reduce((a, b) => a + b, 0)),
      counterVisits: Math.round(flow.counterVisits.reduce((a, b) => a + b, 0)),
      peakDailyCounterVisits: {
        date: formatIsoDate(first + peakVisits),
        count: Math.round(flow.counterVisits[peakVisits]!),
      },
      fedIntoIssuanceCounters: input.visitsLoadCounters ?? false,
    },
  };
  return {
    summary,
    files: {
      [AUTH_FILES.daily]: `${dailyRows.join("\n")}\n`,
      [AUTH_FILES.hourly]: `${hourlyRows.join("\n")}\n`,
    },
  };
}

/** What {@link authFromIssuance} needs of an issuance replication. */
export interface IssuanceCards {
  startDay: number;
  days: number;
  columns: { cards_issued_cumulative: Float64Array; cards_in_circulation?: Float64Array };
}

/**
 * The auth model of a scenario run, or null when the scenario has no `auth:` block. Cards in
 * circulation: the replications' mean `cards_in_circulation` (population dynamics on), else their
 * mean cumulative cards issued.
 */
export function authFromIssuance(
  params: { auth?: AuthParams; target: { cards: number }; counters?: { minutesPerPinReset?: number } },
  results: readonly IssuanceCards[],
  seed: number,
): AuthRunOutput | null {
  if (!params.auth || results.length === 0) return null;
  const r0 = results[0]!;
  const held = results.every((r) => r.columns.cards_in_circulation !== undefined);
  const cards = new Float64Array(r0.days);
  for (const r of results) {
    const col = held ? r.columns.cards_in_circulation! : r.columns.cards_issued_cumulative;
    for (let i = 0; i < r0.days; i++) cards[i]! += col[i]! / results.length;
  }
  return runAuthModel({
    params: params.auth,
    startDay: r0.startDay,
    cards,
    seed,
    targetCards: params.target.cards,
    visitsLoadCounters: (params.counters?.minutesPerPinReset ?? 0) > 0,
  });
}
