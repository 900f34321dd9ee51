/**
 * The national card-issuance model: the 8-step path of DESIGN.md §2 for every municipality, as exact
 * cohorts on the DES kernel. One daily tick moves cohorts through
 *   application (by channel) → J-LIS intake → factory → shipping → notification postcard →
 *   resident's pickup delay → counter hand-over (face-to-face check, unlock, PIN setting),
 * each national stage a capacity-limited FIFO of per-municipality count vectors, each municipal
 * stage a list of (application day, count) cohorts, so every card is counted exactly and the
 * application-to-hand-over lead time of every card is known to the day. J-LIS outages are timed
 * kernel events that stop hand-overs for the business hours they cover. Adults' certificates expire
 * at the 5th birthday after issuance and come back to the counter for renewal; minors' cards (5
 * years) and adults' cards (10 years) expire and come back as new applications (renewal.ts).
 * Residents are born, die, age and move (population-dynamics.ts): a dead holder's card leaves
 * circulation, a moving holder visits the new municipality's counter.
 * @module
 */
import { parseIsoDate, parseIsoDateTime } from "../../engine/calendar.js";
import { apportion, CohortLists, VectorFifo } from "../../engine/cohorts/index.js";
import { Environment } from "../../engine/des/environment.js";
import type { ProcessGenerator } from "../../engine/des/process.js";
import { InputError, TwinError } from "../../engine/errors.js";
import { CounterCapacity } from "./counter-capacity.js";
import { JlisAvailability } from "./jlis-availability.js";
import { JlisThroughput } from "./jlis-throughput.js";
import { STAGES } from "../run-format/summary.js";
import type { Stage } from "../run-format/summary.js";
import { POPULATION_COLUMNS, TIMESERIES_COLUMNS } from "../run-format/timeseries.js";
import type { PopulationColumn, TimeseriesColumn } from "../run-format/timeseries.js";
import { PopulationDynamics } from "./population-dynamics.js";
import { ExpiryWindows, renewalRules, type ExpiryDue } from "./renewal.js";
import type { IssuanceParams } from "./params.js";
import type { Population } from "./population.js";
import { Schedule, ShockProfile } from "./schedule.js";
import { CampaignProfile } from "./campaigns.js";
import { PinResetLoad, type PinResetSeries } from "./pin-resets.js";

/** The random draws the model needs (a seeded stream from engine/random). */
export interface IssuanceRandom {
  binomial(n: number, p: number): number;
}

/** Columns of timeseries.csv, one value per simulated day: the run-output format's list. */
export { TIMESERIES_COLUMNS };
export type { TimeseriesColumn };

/** Stages whose capacity can bind: the run-output format's list. */
export { STAGES };
export type { Stage };

export interface StageStats {
  /** Days on which the stage worked at capacity with work left over. */
  saturatedDays: number;
  /** Saturated days up to the target date. */
  saturatedDaysToTarget: number;
}

/** Everything one replication produces; plain data with typed arrays (transferable). */
export interface IssuanceRunResult {
  startDay: number;
  days: number;
  /** The daily columns; the population columns (cards in circulation, renewals …) from issue 9 item 8 on. */
  columns: Record<TimeseriesColumn, Float64Array> & Partial<Record<PopulationColumn, Float64Array>>;
  /** Cumulative cards issued per prefecture on each snapshot day (row-major: snapshot × prefecture). */
  prefectureSnapshots: { days: number[]; issued: Float64Array };
  /**
   * Cumulative applications and cards issued per prefecture at the end of every simulated day
   * (row-major: day × prefecture, prefectures in `Population.prefectures` order); for prefectures.csv.
   */
  prefectureDaily: { applications: Float64Array; issued: Float64Array };
  /** Application-to-hand-over lead time of every card handed over: count per whole day. */
  leadTimeHistogram: Float64Array;
  /** Lead-time histogram of cards handed over by the target date. */
  leadTimeHistogramToTarget: Float64Array;
  stages: Record<Stage, StageStats>;
  /** The work each stage did (for costs.ts), over the run and up to the target date. */
  work: { all: StageWork; toTarget: StageWork };
  eventsProcessed: number;
  cohortOperations: number;
  outageMinutesInBusinessHours: number;
  /** Every demand draw in order, when the run was asked to record them. */
  demandDraws?: Uint32Array;
  /** PIN lockouts and the counter visits and resets they cause (when `counters.minutesPerPinReset` is set). */
  pinResets?: PinResetSeries;
}

/**
 * What a run's demand draws depend on besides the seed, replication and data folder: two runs
 * with the same key draw the same applications from the same stream, whatever their capacities,
 * for as many days as both run.
 */
export function demandKey(params: IssuanceParams): string {
  return JSON.stringify([params.start, params.demand, params.populationDynamics ?? null]);
}

/** Units of work done by the stages: cards made, J-LIS transactions, counter staff-days, postcards. */
export interface StageWork {
  cardsMade: number;
  jlisTransactions: number;
  counterStaffDays: number;
  postcards: number;
  /** Days on which some municipality's J-LIS terminals (not its staff) bounded its hand-overs. */
  terminalBoundDays: number;
}

export interface IssuanceRunOptions {
  /** Days on which to record cumulative cards per prefecture. */
  snapshotDays?: number[];
  /**
   * Relative propensity to apply per municipality (sim/issuance/uptake.ts), multiplying the hazard;
   * absent: 1 everywhere (demand proportional to population).
   */
  propensity?: Float64Array;
  /** Called every `progressEveryDays` simulated days with the day just finished. */
  onProgress?: (day: number, eventsProcessed: number) => void;
  progressEveryDays?: number;
  /** Keep every demand draw in `IssuanceRunResult.demandDraws` (for replay in capacity runs). */
  recordDemandDraws?: boolean;
  /**
   * The demand draws of an earlier run with the same demand, population dynamics, start, seed,
   * replication and data (see `demandKey`): used instead of drawing. Exact because the draws depend
   * on nothing else — applicants leave the pool only by these draws, and capacity never feeds back
   * into it — so a run that differs only in capacity draws the same numbers in the same order.
   */
  demandDraws?: Uint32Array;
}

const YEAR = 365;

/** Runs one replication of the issuance model. */
export function runIssuance(
  params: IssuanceParams,
  population: Population,
  random: IssuanceRandom,
  options: IssuanceRunOptions = {},
): IssuanceRunResult {
  return new IssuanceModel(params, population, random, options).run();
}

class IssuanceModel {
  readonly #p: IssuanceParams;
  readonly #pop: Population;
  readonly #rng: IssuanceRandom;
  readonly #opts: IssuanceRunOptions;
  readonly #m: number;
  readonly #start: number;
  readonly #days: number;
  readonly #targetDay: number;

  // Schedules.
  readonly #base: Schedule;
  readonly #shocks: ShockProfile;
  readonly #campaigns: CampaignProfile;
  readonly #intakeCap: Schedule;
  readonly #factoryCap: Schedule;
  #counterMech!: CounterCapacity;
  #jlisMech!: JlisThroughput;

  // Demand state: residents who have neither a card nor an application, per municipality × age band.
  readonly #pool: Float64Array;
  readonly #bandHazard: Float64Array;
  readonly #propensity: Float64Array;
  readonly #channelShare: Float64Array;
  readonly #channelDelay: Int32Array;

  // National stages.
  readonly #inPost = new Map<number, { key: number; counts: Float64Array; total: number }[]>();
  #inPostTotal = 0;
  readonly #intake: VectorFifo;
  readonly #factory: VectorFifo;
  readonly #shipping = new Map<number, { key: number; counts: Float64Array; total: number }[]>();
  #shippingTotal = 0;

  // Municipal stages: planned visits by day (vector cohorts), then a counter queue per municipality
  // that only holds residents the counter could not serve on the day they came.
  readonly #pickupCdf: Float64Array;
  readonly #pickupDelay: Int32Array;
  readonly #visits = new Map<number, { key: number; counts: Float64Array; total: number }[]>();
  // The sum of each day's planned visits per municipality, accumulated as they are planned (counts
  // are integers, so the sum is exact in any order).
  readonly #visitArrivals = new Map<number, Float64Array>();
  readonly #vectors: Float64Array[] = [];
  readonly #queues: CohortLists;
  #awaitingVisit = 0;
  #counterQueue = 0;
  readonly #renewalsWaiting: Float64Array;
  #renewalsTotal = 0;

  // Expiry (renewal.ts): hand-overs per day over the last 10 years; population flows and cards in
  // circulation (population-dynamics.ts).
  readonly #ringDays: number;
  readonly #cardRing: Int32Array;
  readonly #minorShare: number;
  #expiry!: ExpiryWindows;
  #dynamics!: PopulationDynamics;
  #due: ExpiryDue | null = null;
  readonly #popColumns: Record<PopulationColumn, Float64Array>;

  readonly #jlis: JlisAvailability;
  // PIN-reset visits taking counter minutes (pin-resets.ts); null when the scenario leaves them out.
  readonly #pinResets: PinResetLoad | null;
  readonly #residents: Float64Array;
  readonly #counterCap: Float64Array;
  readonly #want: Float64Array;
  readonly #shortList: Int32Array;

  // Outputs.
  readonly #columns: Record<TimeseriesColumn, Float64Array>;
  readonly #leadToday: Float64Array;
  readonly #leadAll: Float64Array;
  readonly #leadToTarget: Float64Array;
  #leadMin = Infinity;
  #leadMax = -1;
  #today = 0;
  #applicationsCumulative = 0;
  #issuedCumulative = 0;
  readonly #issuedByPrefecture: Float64Array;
  readonly #appliedByPrefecture: Float64Array;
  readonly #prefApplications: Float64Array;
  readonly #prefIssued: Float64Array;
  readonly #snapshotDays: number[];
  readonly #snapshots: Float64Array;
  readonly #stages: Record<Stage, StageStats>;
  #cohortOps = 0;
  // Demand draws recorded (recordDemandDraws) or replayed (demandDraws), and how many so far.
  readonly #drawLog: Uint32Array | null;
  readonly #replay: Uint32Array | null;
  #drawCount = 0;
  readonly #work = { all: emptyWork(), toTarget: emptyWork() };

  constructor(
    params: IssuanceParams,
    population: Population,
    random: IssuanceRandom,
    opts: IssuanceRunOptions,
  ) {
    this.#p = params;
    this.#pop = population;
    this.#rng = random;
    this.#opts = opts;
    const m = population.municipalities.length;
    this.#m = m;
    this.#start = parseIsoDate(params.start, "start");
    const end = parseIsoDate(params.end, "end");
    if (end < this.#start) throw new InputError("end: must not be before start");
    this.#days = end - this.#start + 1;
    this.#targetDay = parseIsoDate(params.target.date, "target.date");

    this.#base = new Schedule(params.demand.baseAnnualPropensity, "demand.baseAnnualPropensity");
    this.#shocks = new ShockProfile(params.demand.shocks);
    this.#campaigns = new CampaignProfile(params.demand.campaigns, params.demand.response);
    this.#intakeCap = new Schedule(params.intake.capacityPerDay, "intake.capacityPerDay");
    this.#factoryCap = new Schedule(params.factory.capacityPerDay, "factory.capacityPerDay");

    const bands = population.ageBands;
    const useAge = params.demand.ageProfile;
    this.#bandHazard = Float64Array.from(bands, (b) => (useAge ? b.relativeHazard : 1));
    this.#pool = new Float64Array(m * bands.length);
    const propensity = opts.propensity;
    if (propensity && propensity.length !== m)
      throw new InputError(`municipal propensity: expected ${m} values, got ${propensity.length}`, "E_DATA");
    this.#propensity = propensity ? Float64Array.from(propensity) : new Float64Array(m).fill(1);
    population.municipalities.forEach((mu, i) => {
      // Integer residents per band by cumulative rounding, so bands sum to the municipality exactly.
      let prev = 0;
      let cum = 0;
      bands.forEach((b, j) => {
        cum += b.populationShare;
        const next = j === bands.length - 1 ? mu.population : Math.round(mu.population * cum);
        this.#pool[i * bands.length + j] = next - prev;
        prev = next;
      });
    });
    // Share of card holders under 18, weighting bands by their uptake.
    const w = bands.map((b, j) => b.populationShare * this.#bandHazard[j]!);
    this.#minorShare = bands.reduce((s, b, j) => s + w[j]! * b.minorShare, 0) / w.reduce((a, b) => a + b, 0);

    this.#channelShare = Float64Array.from(params.demand.channels, (c) => c.share);
    this.#channelDelay = Int32Array.from(params.demand.channels, (c) => c.delayDays);
    this.#intake = new VectorFifo(m);
    this.#factory = new VectorFifo(m);

    const delays = params.pickup.delayDays;
    const shareSum = delays.reduce((s, d) => s + d.share, 0);
    let cum = 0;
    this.#pickupCdf = Float64Array.from(delays, (d) => (cum += d.share / shareSum));
    this.#pickupDelay = Int32Array.from(delays, (d) => d.days);
    this.#queues = new CohortLists(m);
    this.#renewalsWaiting = new Float64Array(m);

    this.#popColumns = Object.fromEntries(
      POPULATION_COLUMNS.map((c) => [c, new Float64Array(this.#days)]),
    ) as Record<PopulationColumn, Float64Array>;

    const dayFraction = (hhmm: string, what: string): number =>
      parseIsoDateTime(`1970-01-01T${hhmm}`, `jlis.businessHours.${what}`);
    this.#jlis = new JlisAvailability(
      dayFraction(params.jlis.businessHours.open, "open"),
      dayFraction(params.jlis.businessHours.close, "close"),
    );
    // Capacity mechanisms: counters as staff × opening hours, J-LIS as design load and terminals.
    const openFraction =
      dayFraction(params.jlis.businessHours.close, "close") -
      dayFraction(params.jlis.businessHours.open, "open");
    this.#counterMech = new CounterCapacity(params.counters, openFraction);
    this.#jlisMech = new JlisThroughput(params.jlis, openFraction);
    this.#residents = Float64Array.from(population.municipalities, (mu) => mu.population);
    this.#dynamics = new PopulationDynamics(
      params.populationDynamics,
      population,
      this.#pool,
      this.#residents,
      this.#minorShare,
    );
    this.#expiry = new ExpiryWindows(
      m,
      this.#start,
      renewalRules(params.renewal),
      this.#minorShare,
      this.#dynamics.holderDeathRate,
    );
    this.#ringDays = this.#expiry.ringDays;
    this.#cardRing = this.#expiry.ring;
    const resetMinutes = params.counters.minutesPerPinReset;
    this.#pinResets =
      resetMinutes === undefined ? null : new PinResetLoad(m, this.#days, resetMinutes, params.auth);
    this.#counterCap = new Float64Array(m);
    this.#want = new Float64Array(m);
    this.#shortList = new Int32Array(m);

    this.#columns = Object.fromEntries(
      TIMESERIES_COLUMNS.map((c) => [c, new Float64Array(this.#days)]),
    ) as Record<TimeseriesColumn, Float64Array>;
    const maxLead = this.#days + 400;
    this.#leadToday = new Float64Array(maxLead);
    this.#leadAll = new Float64Array(maxLead);
    this.#leadToTarget = new Float64Array(maxLead);
    this.#issuedByPrefecture = new Float64Array(population.prefectures.length);
    this.#appliedByPrefecture = new Float64Array(population.prefectures.length);
    this.#prefApplications = new Float64Array(this.#days * population.prefectures.length);
    this.#prefIssued = new Float64Array(this.#days * population.prefectures.length);
    this.#snapshotDays = (opts.snapshotDays ?? []).filter(
      (d) => d >= this.#start && d < this.#start + this.#days,
    );
    this.#snapshots = new Float64Array(this.#snapshotDays.length * population.prefectures.length);
    this.#stages = Object.fromEntries(
      STAGES.map((s) => [s, { saturatedDays: 0, saturatedDaysToTarget: 0 }]),
    ) as Record<Stage, StageStats>;
    this.#replay = opts.demandDraws ?? null;
    this.#drawLog =
      opts.recordDemandDraws && !this.#replay ? new Uint32Array(this.#days * this.#pool.length) : null;
  }

  run(): IssuanceRunResult {
    const env = new Environment(this.#start);
    this.#seedInitialBacklog();
    const every = this.#opts.progressEveryDays ?? 30;
    const onProgress = this.#opts.onProgress;
    const step = (i: number): void => this.#step(this.#start + i, i);
    const days = this.#days;
    // The daily tick: at the end of each day (time d + 1) the day d is settled.
    env.process(function* dailyTick(): ProcessGenerator<void> {
      for (let i = 0; i < days; i++) {
        yield env.timeout(1);
        step(i);
        if (onProgress && (i % every === every - 1 || i === days - 1)) {
          onProgress(env.now - 1, env.eventsProcessed);
        }
      }
    });
    const jlis = this.#jlis;
    for (const [i, o] of this.#p.jlis.outages.entries()) {
      const from = parseIsoDateTime(o.start, `jlis.outages[${i}].start`);
      const to = parseIsoDateTime(o.end, `jlis.outages[${i}].end`);
      if (to <= from) throw new InputError(`jlis.outages[${i}]: end must be after start`);
      if (from < this.#start) continue;
      env.process(function* outage(): ProcessGenerator<void> {
        yield env.timeout(from - env.now);
        jlis.down(env.now);
        yield env.timeout(to - from);
        jlis.up(env.now);
      });
    }
    // The last tick fires at start + days; run past it (run(until) stops before events at `until`).
    env.run(this.#start + this.#days + 0.5);
    return {
      startDay: this.#start,
      days: this.#days,
      columns: { ...this.#columns, ...this.#popColumns },
      prefectureSnapshots: { days: this.#snapshotDays, issued: this.#snapshots },
      prefectureDaily: { applications: this.#prefApplications, issued: this.#prefIssued },
      leadTimeHistogram: trimHistogram(this.#leadAll),
      leadTimeHistogramToTarget: trimHistogram(this.#leadToTarget),
      stages: this.#stages,
      work: this.#work,
      eventsProcessed: env.eventsProcessed,
      cohortOperations: this.#cohortOps,
      outageMinutesInBusinessHours: this.#jlis.downMinutesTotal,
      ...(this.#drawLog ? { demandDraws: this.#drawLog.slice(0, this.#drawCount) } : {}),
      ...(this.#pinResets ? { pinResets: this.#pinResets.series } : {}),
    };
  }

  /** Applications already made before the start wait at J-LIS intake, spread over their dates. */
  #seedInitialBacklog(): void {
    const b = this.#p.demand.initialBacklog;
    if (b.applications <= 0) return;
    const from = parseIsoDate(b.from, "demand.initialBacklog.from");
    const to = parseIsoDate(b.to, "demand.initialBacklog.to");
    const nDays = to - from + 1;
    const bands = this.#pop.ageBands.length;
    const residents = new Float64Array(this.#m);
    // Applicants come from each municipality in proportion to residents × relative propensity.
    let weight = 0;
    for (let i = 0; i < this.#m; i++) {
      residents[i] = Math.round(this.#pop.municipalities[i]!.population * this.#propensity[i]!);
      weight += residents[i]!;
    }
    const perMunicipality = new Float64Array(this.#m);
    apportion(residents, weight, b.applications, perMunicipality);
    for (let i = 0; i < this.#m; i++) {
      const pref = this.#pop.prefectureOf[i]!;
      this.#appliedByPrefecture[pref] = this.#appliedByPrefecture[pref]! + perMunicipality[i]!;
    }
    // Remove the applicants from the demand pools, across bands in proportion to their hazard.
    for (let i = 0; i < this.#m; i++) {
      let left = perMunicipality[i]!;
      for (let j = bands - 1; j >= 0 && left > 0; j--) {
        const take = Math.min(left, this.#pool[i * bands + j]!);
        this.#pool[i * bands + j] = this.#pool[i * bands + j]! - take;
        left -= take;
      }
    }
    let done = 0;
    for (let d = 0; d < nDays; d++) {
      const part = Math.round(((d + 1) * b.applications) / nDays) - done;
      const counts = new Float64Array(this.#m);
      const got = apportion(perMunicipality, b.applications - done, part, counts);
      for (let i = 0; i < this.#m; i++) perMunicipality[i] = perMunicipality[i]! - counts[i]!;
      done += got;
      this.#intake.push(from + d, this.#start, counts, got);
    }
    this.#applicationsCumulative = b.applications;
  }

  #step(t: number, i: number): void {
    this.#today = t;
    const m = this.#m;
    const cols = this.#columns;

    // 1. Population flows; expiry of certificates (5 years) and cards (5 years for minors, 10 for
    // adults) from past hand-overs (birthdays spread evenly); moved holders come to the counter.
    const minorApplications = this.#expire(t, i);

    // 2. Demand: residents without card or application apply with today's hazard.
    const bands = this.#pop.ageBands.length;
    const h = (this.#base.at(t) / YEAR) * this.#shocks.at(t) * this.#campaigns.at(t);
    const apps = minorApplications;
    let appsTotal = 0;
    // Locals for the hot loop (1,741 municipalities × age bands every simulated day).
    const pool = this.#pool;
    const bandHazard = this.#bandHazard;
    const propensity = this.#propensity;
    const rng = this.#rng;
    const prefectureOf = this.#pop.prefectureOf;
    const applied = this.#appliedByPrefecture;
    const replay = this.#replay;
    const log = this.#drawLog;
    let c = this.#drawCount;
    for (let k = 0; k < m; k++) {
      let a = apps[k]!;
      const hk = h * propensity[k]!;
      const row = k * bands;
      for (let j = 0; j < bands; j++) {
        const idx = row + j;
        const n = pool[idx]!;
        if (n <= 0) continue;
        let x: number;
        if (replay) {
          if (c >= replay.length)
            throw new TwinError("E_INTERNAL", "demand replay: the recorded draws ran out");
          x = replay[c++]!;
          if (x > n) throw new TwinError("E_INTERNAL", "demand replay: a recorded draw exceeds its pool");
        } else {
          x = rng.binomial(n, Math.min(1, hk * bandHazard[j]!));
          if (log) log[c++] = x;
        }
        pool[idx] = n - x;
        a += x;
      }
      apps[k] = a;
      appsTotal += a;
      const pref = prefectureOf[k]!;
      applied[pref] = applied[pref]! + a;
    }
    this.#drawCount = c;
    this.#applicationsCumulative += appsTotal;
    cols.applications_daily[i] = appsTotal;
    cols.applications_cumulative[i] = this.#applicationsCumulative;
    this.#sendByChannel(t, apps, appsTotal);

    // 3. J-LIS receives today's post, then intake and the factory work through their queues.
    const arriving = this.#inPost.get(t);
    if (arriving) {
      this.#inPost.delete(t);
      for (const c of arriving) {
        this.#intake.push(c.key, t, c.counts, c.total);
        this.#inPostTotal -= c.total;
      }
    }
    const intakeCap = Math.floor(this.#intakeCap.at(t));
    const intakeServed = this.#intake.serve(t, intakeCap, (key, counts, total) => {
      this.#factory.push(key, t + 1, counts, total);
      this.#cohortOps++;
    });
    this.#saturation("intake", t, intakeServed >= intakeCap && this.#intake.total > 0);
    const factoryCap = Math.floor(this.#factoryCap.at(t));
    const arrive = t + this.#p.shipping.days + this.#p.notification.days;
    const factoryServed = this.#factory.serve(t, factoryCap, (key, counts, total) => {
      let list = this.#shipping.get(arrive);
      if (!list) this.#shipping.set(arrive, (list = []));
      list.push({ key, counts, total });
      this.#shippingTotal += total;
      this.#cohortOps++;
    });
    this.#saturation("factory", t, factoryServed >= factoryCap && this.#factory.total > 0);
    this.#addWork(t, "cardsMade", factoryServed);
    cols.intake_utilisation[i] = intakeCap > 0 ? intakeServed / intakeCap : 0;
    cols.factory_utilisation[i] = factoryCap > 0 ? factoryServed / factoryCap : 0;

    // 4. Postcards reach residents; each plans a visit after their pickup delay.
    const notified = this.#shipping.get(t);
    if (notified) {
      this.#shipping.delete(t);
      for (const c of notified) this.#planVisits(t, c.key, c.counts, c.total);
    }

    // 5. Counters: today's visitors join the queue; locked-out holders' PIN resets take their staff
    // minutes first; hand-over within the counter and J-LIS capacity left. Today's lockouts come
    // from the cards in circulation at the end of the day.
    this.#pinResets?.open(i);
    this.#counters(t, i);
    this.#bookHolders(t, i);
    this.#pinResets?.close(t, i, this.#dynamics.holders);

    cols.backlog_in_post[i] = this.#inPostTotal;
    cols.backlog_jlis_intake[i] = this.#intake.total;
    cols.backlog_factory[i] = this.#factory.total;
    cols.backlog_shipping[i] = this.#shippingTotal;
    cols.backlog_awaiting_visit[i] = this.#awaitingVisit;
    cols.backlog_counter_queue[i] = this.#counterQueue;
    cols.backlog_renewals[i] = this.#renewalsTotal;

    const np = this.#issuedByPrefecture.length;
    this.#prefApplications.set(this.#appliedByPrefecture, i * np);
    this.#prefIssued.set(this.#issuedByPrefecture, i * np);
    const snap = this.#snapshotDays.indexOf(t);
    if (snap >= 0) this.#snapshots.set(this.#issuedByPrefecture, snap * this.#issuedByPrefecture.length);
  }

  /** Splits applications over the channels (exactly) and posts each part to arrive after its delay. */
  #sendByChannel(t: number, apps: Float64Array, total: number): void {
    if (total <= 0) return;
    let left = total;
    const remaining = apps;
    for (let c = 0; c < this.#channelShare.length; c++) {
      const last = c === this.#channelShare.length - 1;
      const want = last ? left : Math.round(total * this.#channelShare[c]!);
      const counts = last ? remaining : this.#vector();
      const got = last ? left : apportion(remaining, left, want, counts);
      if (!last) for (let k = 0; k < this.#m; k++) remaining[k] = remaining[k]! - counts[k]!;
      left -= got;
      if (got <= 0) continue;
      const ready = t + this.#channelDelay[c]!;
      if (ready <= t) {
        this.#intake.push(t, t, counts, got);
      } else {
        let list = this.#inPost.get(ready);
        if (!list) this.#inPost.set(ready, (list = []));
        list.push({ key: t, counts, total: got });
        this.#inPostTotal += got;
      }
    }
  }

  /**
   * Splits a notified cohort over the pickup-delay distribution, per municipality by cumulative
   * rounding (exact), into vector cohorts on the days the residents will come.
   */
  #planVisits(t: number, key: number, counts: Float64Array, total: number): void {
    this.#addWork(t, "postcards", total);
    this.#shippingTotal -= total;
    this.#awaitingVisit += total;
    const m = this.#m;
    const cdf = this.#pickupCdf;
    const prev = this.#vector();
    prev.fill(0);
    for (let b = 0; b < cdf.length; b++) {
      const f = cdf[b]!;
      const last = b === cdf.length - 1;
      const day = t + this.#pickupDelay[b]!;
      let sum = this.#visitArrivals.get(day);
      if (!sum) {
        sum = this.#vector();
        sum.fill(0);
        this.#visitArrivals.set(day, sum);
      }
      const part = this.#vector();
      let partTotal = 0;
      for (let k = 0; k < m; k++) {
        const n = counts[k]!;
        const u = last ? n : Math.floor(n * f + 0.5);
        const x = u - prev[k]!;
        prev[k] = u;
        part[k] = x;
        sum[k] = sum[k]! + x;
        partTotal += x;
      }
      if (partTotal <= 0) {
        this.#release(part);
        continue;
      }
      let list = this.#visits.get(day);
      if (!list) this.#visits.set(day, (list = []));
      const same = list.find((c) => c.key === key);
      if (same) {
        for (let k = 0; k < m; k++) same.counts[k] = same.counts[k]! + part[k]!;
        same.total += partTotal;
        this.#release(part);
      } else {
        list.push({ key, counts: part, total: partTotal });
      }
      this.#cohortOps++;
    }
    this.#release(prev);
    this.#release(counts);
  }

  /** A scratch per-municipality vector from the free pool (contents undefined). */
  #vector(): Float64Array {
    return this.#vectors.pop() ?? new Float64Array(this.#m);
  }

  #release(v: Float64Array): void {
    if (v.length === this.#m && this.#vectors.length < 1024) this.#vectors.push(v);
  }

  readonly #recordLead = (key: number, count: number): void => {
    const lead = this.#today - key;
    this.#leadToday[lead] = this.#leadToday[lead]! + count;
    if (lead < this.#leadMin) this.#leadMin = lead;
    if (lead > this.#leadMax) this.#leadMax = lead;
  };

  #counters(t: number, i: number): void {
    const m = this.#m;
    const available = 1 - this.#jlis.lostFraction(t);
    const counterMech = this.#counterMech;
    const perStaff = counterMech.handoversPerStaffDay;
    const resets = this.#pinResets;
    const terminalCap = Math.floor(this.#jlisMech.terminalCapacity(t, available));
    const jlisCap = Math.floor(this.#jlisMech.nationalCapacity(t, available));
    let staffDays = 0;
    let terminalBound = false;

    // Today's visitors, oldest applications first; `arrivals[k]` sums them per municipality.
    const visitors = (this.#visits.get(t) ?? []).sort((a, b) => a.key - b.key);
    this.#visits.delete(t);
    let arrivals = this.#visitArrivals.get(t);
    if (arrivals) this.#visitArrivals.delete(t);
    else {
      arrivals = this.#vector();
      arrivals.fill(0);
    }
    for (const v of visitors) {
      this.#awaitingVisit -= v.total;
      this.#counterQueue += v.total;
    }

    let wantTotal = 0;
    let capTotal = 0;
    let demandTotal = 0;
    for (let k = 0; k < m; k++) {
      const staff = counterMech.staff(t, this.#residents[k]!);
      staffDays += staff;
      let staffCap = Math.floor(staff * perStaff * available);
      if (resets) {
        const used = resets.take(k, counterMech.staffMinutes(staff, available));
        if (used > 0) staffCap = counterMech.handoversAfter(staff, available, used);
      }
      const cap = Math.min(staffCap, terminalCap);
      if (staffCap > terminalCap) terminalBound = true;
      this.#counterCap[k] = cap;
      capTotal += cap;
      const demand = this.#queues.total(k) + arrivals[k]! + this.#renewalsWaiting[k]!;
      demandTotal += demand;
      const want = Math.min(demand, cap);
      this.#want[k] = want;
      wantTotal += want;
    }
    const jlisBound = wantTotal > jlisCap;
    if (jlisBound) wantTotal = apportion(this.#want, wantTotal, jlisCap, this.#want);
    this.#saturation("jlis", t, jlisBound || (terminalBound && demandTotal > wantTotal));
    this.#addWork(t, "counterStaffDays", staffDays);
    if (terminalBound && demandTotal > wantTotal) this.#addWork(t, "terminalBoundDays", 1);
    this.#saturation("counters", t, !jlisBound && demandTotal - wantTotal > 0.05 * Math.max(1, wantTotal));

    // Split each municipality's service between card hand-overs and certificate renewals, then
    // serve the queue first. `fresh[k]` is how many of today's visitors are served today.
    let issued = 0;
    let renewed = 0;
    this.#leadMin = Infinity;
    this.#leadMax = -1;
    const ringRow = (t % this.#ringDays) * m;
    // Municipalities that could not serve all of today's visitors: only there do the oldest
    // applications go first and the rest join the queue.
    const fresh = this.#vector();
    const short = this.#shortList;
    let shortCount = 0;
    for (let k = 0; k < m; k++) {
      const s = this.#want[k]!;
      const queued = this.#queues.total(k);
      const newcomers = arrivals[k]!;
      const waiting = this.#renewalsWaiting[k]!;
      if (s <= 0 && queued + newcomers + waiting <= 0) {
        this.#cardRing[ringRow + k] = 0;
        continue;
      }
      const cards = queued + newcomers;
      let ren = s > 0 && waiting > 0 ? Math.min(waiting, Math.floor((s * waiting) / (cards + waiting))) : 0;
      const handed = Math.min(cards, s - ren);
      ren = Math.min(waiting, s - handed);
      const fromQueue = Math.min(queued, handed);
      if (fromQueue > 0) this.#queues.take(k, fromQueue, this.#recordLead);
      const served = handed - fromQueue;
      if (served !== newcomers) {
        fresh[k] = served;
        short[shortCount++] = k;
      }
      this.#renewalsWaiting[k] = waiting - ren;
      this.#cardRing[ringRow + k] = handed;
      issued += handed;
      renewed += ren;
      const pref = this.#pop.prefectureOf[k]!;
      this.#issuedByPrefecture[pref] = this.#issuedByPrefecture[pref]! + handed;
    }
    for (const v of visitors) {
      const c = v.counts;
      let served = v.total;
      for (let j = 0; j < shortCount; j++) {
        const k = short[j]!;
        const x = c[k]!;
        if (x === 0) continue;
        const f = fresh[k]!;
        const take = f < x ? f : x;
        fresh[k] = f - take;
        served -= x - take;
        if (take < x) this.#queues.push(k, v.key, x - take);
      }
      if (served > 0) this.#recordLead(v.key, served);
    }
    for (const v of visitors) this.#release(v.counts);
    this.#release(arrivals);
    this.#release(fresh);
    this.#counterQueue -= issued;
    this.#renewalsTotal -= renewed;
    this.#issuedCumulative += issued;
    this.#addWork(t, "jlisTransactions", issued + renewed);

    const cols = this.#columns;
    cols.cards_issued_daily[i] = issued;
    cols.cards_issued_cumulative[i] = this.#issuedCumulative;
    cols.certificate_renewals_daily[i] = renewed;
    cols.counter_utilisation[i] = capTotal > 0 ? (issued + renewed) / capTotal : 0;
    cols.jlis_availability[i] = available;
    this.#leadPercentiles(i, t <= this.#targetDay);
  }

  /** Today's lead-time percentiles; today's cards join the run's histograms. */
  #leadPercentiles(i: number, beforeTarget: boolean): void {
    const cols = this.#columns;
    const lo = this.#leadMin;
    const hi = this.#leadMax;
    const today = this.#leadToday;
    let total = 0;
    for (let d = lo; d <= hi; d++) {
      const c = today[d]!;
      total += c;
      this.#leadAll[d] = this.#leadAll[d]! + c;
      if (beforeTarget) this.#leadToTarget[d] = this.#leadToTarget[d]! + c;
    }
    const out = [Number.NaN, Number.NaN, Number.NaN];
    const targets = [0.5, 0.9, 0.99];
    let cum = 0;
    let q = 0;
    for (let d = lo; d <= hi; d++) {
      cum += today[d]!;
      today[d] = 0;
      while (q < 3 && cum >= targets[q]! * total) out[q++] = d;
    }
    cols.lead_time_p50_days[i] = out[0]!;
    cols.lead_time_p90_days[i] = out[1]!;
    cols.lead_time_p99_days[i] = out[2]!;
  }

  /**
   * Today's population flows (population-dynamics.ts) and what falls due (renewal.ts): adults'
   * certificate renewals and moved holders join the counter's renewal queue, expired cards come back
   * as applications.
   * @returns a fresh per-municipality vector of today's re-applications
   */
  #expire(t: number, i: number): Float64Array {
    const m = this.#m;
    const out = this.#vector();
    const flows = this.#dynamics.step();
    const due = this.#expiry.due(t);
    const moved = this.#dynamics.movedHolders(t);
    this.#due = due;
    let renewals = 0;
    let reapply = 0;
    let movedTotal = 0;
    for (let k = 0; k < m; k++) {
      const renew = due.certificateRenewals[k]!;
      const mv = moved[k]!;
      this.#renewalsWaiting[k] = this.#renewalsWaiting[k]! + renew + mv;
      renewals += renew;
      movedTotal += mv;
      const x = due.cardReapplications[k]!;
      out[k] = x;
      reapply += x;
    }
    this.#renewalsTotal += renewals + movedTotal;
    const c = this.#popColumns;
    c.births_daily[i] = flows.births;
    c.deaths_daily[i] = flows.deaths;
    c.holder_deaths_daily[i] = flows.holderDeaths;
    c.moved_holder_visits_daily[i] = movedTotal;
    c.certificate_renewals_due_daily[i] = renewals;
    c.card_renewal_applications_daily[i] = reapply;
    return out;
  }

  /** Books today's hand-overs and expiries into the cards in circulation. */
  #bookHolders(t: number, i: number): void {
    const due = this.#due!;
    const c = this.#popColumns;
    const row = (t % this.#ringDays) * this.#m;
    c.card_expiries_daily[i] = this.#dynamics.book(this.#cardRing, row, due.cardsExpiring);
    c.cards_in_circulation[i] = this.#dynamics.circulation;
    c.residents[i] = this.#dynamics.residents;
  }

  #addWork(t: number, what: keyof StageWork, n: number): void {
    this.#work.all[what] += n;
    if (t <= this.#targetDay) this.#work.toTarget[what] += n;
  }

  #saturation(stage: Stage, t: number, saturated: boolean): void {
    if (!saturated) return;
    const s = this.#stages[stage];
    s.saturatedDays++;
    if (t <= this.#targetDay) s.saturatedDaysToTarget++;
  }
}

function emptyWork(): StageWork {
  return { cardsMade: 0, jlisTransactions: 0, counterStaffDays: 0, postcards: 0, terminalBoundDays: 0 };
}

/** Drops the empty tail of a histogram. */
function trimHistogram(h: Float64Array): Float64Array {
  let n = h.length;
  while (n > 0 && h[n - 1] === 0) n--;
  return h.slice(0, n);
}
