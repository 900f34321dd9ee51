/**
 * The information provision network as a queueing model on engine/des (issue 12 item 1, FACTS §5.5):
 * requester → (network) → core (code mapping, whitelist, signing; a server pool) → (network) →
 * provider's intermediate server (副本 look-up; a pool) → back. The year's exchanges are spread by
 * month and working day onto the busiest hour; that hour is simulated exchange by exchange (Poisson
 * arrivals) at the scenario's load and at the design load (≈640 M a year), giving throughput,
 * latency quantiles (HDR histogram) and server utilisation, plus the capacity headroom against the
 * design peak, the observed years against the design, and the cost per exchange at the run's use, at the
 * Board of Audit's 5 % of plan (2021) and at design use.
 * @module
 */
import { Environment, Resource, type ProcessGenerator } from "../../engine/des/index.js";
import { RandomStreams } from "../../engine/random/random-streams.js";
import type { Random } from "../../engine/random/random.js";
import { HdrHistogram } from "../../engine/stats/hdr-histogram.js";
import type { NetworkParams } from "./params.js";

/** Results of one load level. */
export interface LoadResult {
  /** Offered rate at the busiest hour, exchanges per second. */
  readonly offeredPerSecond: number;
  /** Completed exchanges per second over the simulated window. */
  readonly throughputPerSecond: number;
  readonly completed: number;
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Time-average busy share of the core and the intermediate-server pools. */
  readonly coreUtilisation: number;
  readonly intermediateUtilisation: number;
}

/** One observed year against the design. */
export interface ObservedUseResult {
  readonly year: string;
  readonly scope: "all-users" | "local-government";
  readonly exchanges: number;
  readonly shareOfPlan: number;
  /** Busiest-hour rate that year's total gives, exchanges per second. */
  readonly peakPerSecond: number;
  /** Yearly cost over that year's exchanges; null for local governments' inquiries (a part of the use). */
  readonly costPerExchangeYen: number | null;
}

/** What the network model answers. */
export interface NetworkModelResult {
  readonly annualExchanges: number;
  readonly designAnnualExchanges: number;
  /** The run's use over design use (FY2022 ≈0.30; ≈0.05 in the Board of Audit's 2021 finding). */
  readonly shareOfPlan: number;
  /** Exchanges per month, April → March, at the scenario's load. */
  readonly monthly: readonly number[];
  /** Busiest-hour rate of each month at the scenario's load, exchanges per second, April → March. */
  readonly monthlyPeakPerSecond: readonly number[];
  /** Exchanges per year by procedure family. */
  readonly byProcedure: Readonly<Record<string, number>>;
  /** The observed years (FACTS §5.5) against the design. */
  readonly observed: readonly ObservedUseResult[];
  readonly actual: LoadResult;
  readonly design: LoadResult;
  /** Core pool capacity (exchanges/s) over the design peak rate. */
  readonly coreHeadroomAtDesign: number;
  /** Use at the Board of Audit's finding (5 % of plan, 2021). */
  readonly auditShareOfPlan: number;
  /** Build and operation cost a year, yen. */
  readonly annualCostYen: number;
  readonly costPerExchangeYen: {
    readonly actual: number;
    readonly design: number;
    readonly atAuditShare: number;
  };
  readonly eventsProcessed: number;
}

/** Busiest-hour rate, per second, for a yearly total. */
export function peakRatePerSecond(annual: number, p: NetworkParams): number {
  const peakMonth = Math.max(...p.monthShares);
  return monthPeakRate(annual, peakMonth, p);
}

function monthPeakRate(annual: number, monthShare: number, p: NetworkParams): number {
  return (annual * monthShare * p.peakHourShare) / p.workingDaysPerMonth / 3600;
}

function simulateLoad(rate: number, p: NetworkParams, rnd: Random): LoadResult & { events: number } {
  const env = new Environment();
  const core = new Resource(env, p.core.servers);
  const inter = new Resource(env, p.intermediate.servers);
  const hist = new HdrHistogram({ lowestDiscernibleValue: 0.01, significantDigits: 3 });
  const horizon = p.simulatedSeconds * 1000; // ms
  let completed = 0;
  let coreBusy = 0;
  let interBusy = 0;
  let last = 0;
  env.onStep((now) => {
    const t = Math.min(now, horizon);
    if (t > last) {
      coreBusy += core.count * (t - last);
      interBusy += inter.count * (t - last);
      last = t;
    }
  });
  const hop = () => p.networkDelayMs * (0.5 + rnd.next());
  function* exchange(): ProcessGenerator {
    const start = env.now;
    yield env.timeout(hop());
    const c1 = core.request();
    yield c1;
    yield env.timeout(rnd.exponential(p.core.serviceMs));
    core.release(c1);
    yield env.timeout(hop());
    const i = inter.request();
    yield i;
    yield env.timeout(rnd.exponential(p.intermediate.serviceMs));
    inter.release(i);
    yield env.timeout(hop());
    const c2 = core.request(); // the answer is signed and relayed by the core
    yield c2;
    yield env.timeout(rnd.exponential(p.core.serviceMs / 2));
    core.release(c2);
    yield env.timeout(hop());
    if (start < horizon) hist.record(env.now - start); // every exchange started in the window, however late it ends
    if (env.now <= horizon) completed++; // throughput: exchanges finished within the window
  }
  const meanGap = 1000 / rate;
  env.process(
    (function* source(): ProcessGenerator {
      for (;;) {
        yield env.timeout(rnd.exponential(meanGap));
        if (env.now >= horizon) return;
        env.process(exchange());
      }
    })(),
  );
  env.run();
  const [p50, p99] = hist.totalCount > 0 ? hist.valuesAtPercentiles([50, 99]) : [0, 0];
  return {
    offeredPerSecond: rate,
    throughputPerSecond: completed / p.simulatedSeconds,
    completed,
    latencyMs: {
      mean: hist.totalCount > 0 ? hist.mean : 0,
      p50: p50 ?? 0,
      p99: p99 ?? 0,
      max: hist.totalCount > 0 ? hist.max : 0,
    },
    coreUtilisation: coreBusy / horizon / p.core.servers,
    intermediateUtilisation: interBusy / horizon / p.intermediate.servers,
    events: env.eventsProcessed,
  };
}

/** Runs the model; deterministic for a seed. */
export function runNetworkModel(p: NetworkParams, seed: number): NetworkModelResult {
  const streams = new RandomStreams(seed);
  const actual = simulateLoad(peakRatePerSecond(p.annualExchanges, p), p, streams.stream("network.actual"));
  const design = simulateLoad(
    peakRatePerSecond(p.designAnnualExchanges, p),
    p,
    streams.stream("network.design"),
  );
  const totalShare = Object.values(p.procedureShares).reduce((a, b) => a + b, 0);
  const byProcedure = Object.fromEntries(
    Object.entries(p.procedureShares).map(([k, s]) => [k, (p.annualExchanges * s) / totalShare]),
  );
  const monthSum = p.monthShares.reduce((a, b) => a + b, 0);
  const coreCapacity = (p.core.servers * 1000) / (p.core.serviceMs * 1.5);
  const { events: e1, ...a } = actual;
  const { events: e2, ...d } = design;
  return {
    annualExchanges: p.annualExchanges,
    designAnnualExchanges: p.designAnnualExchanges,
    shareOfPlan: p.annualExchanges / p.designAnnualExchanges,
    monthly: p.monthShares.map((s) => (p.annualExchanges * s) / monthSum),
    monthlyPeakPerSecond: p.monthShares.map((s) => monthPeakRate(p.annualExchanges, s / monthSum, p)),
    byProcedure,
    observed: p.observedUse.map((o) => ({
      year: o.year,
      scope: o.scope,
      exchanges: o.exchanges,
      shareOfPlan: o.exchanges / p.designAnnualExchanges,
      peakPerSecond: peakRatePerSecond(o.exchanges, p),
      costPerExchangeYen: o.scope === "all-users" && o.exchanges > 0 ? p.annualCostYen / o.exchanges : null,
    })),
    actual: a,
    design: d,
    coreHeadroomAtDesign: coreCapacity / design.offeredPerSecond,
    auditShareOfPlan: p.auditShareOfPlan,
    annualCostYen: p.annualCostYen,
    costPerExchangeYen: {
      actual: p.annualCostYen / p.annualExchanges,
      design: p.annualCostYen / p.designAnnualExchanges,
      atAuditShare: p.annualCostYen / (p.auditShareOfPlan * p.designAnnualExchanges),
    },
    eventsProcessed: e1 + e2,
  };
}
