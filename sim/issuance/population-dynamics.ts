/**
 * Births, deaths, ageing and moves of the residents the issuance model serves (FACTS §3.3, issue 9
 * item 8), and the cards in circulation per municipality.
 *
 * - Births (727,288 in 2023, FACTS §3.3) join the youngest band without a card, per municipality in
 *   proportion to its residents (assumed). Minors' cards are 5-year cards (renewal.ts).
 * - Deaths (1,576,016 in 2023) fall on the oldest band (20+; child mortality is negligible beside it):
 *   residents without card or application die at the band's rate, holders at that rate × their adult
 *   share × `holderMortalityRatio` (assumed 1, range 0.7–1.3); a dead holder's card leaves
 *   circulation (and both certificates are revoked, FACTS §3.2). People waiting in the pipeline are
 *   not thinned (≤ 1.5 % a year of a backlog that clears in months).
 * - Ageing moves residents without a card from one band to the next at 1/width of the band a year.
 * - Moves between municipalities (4.88 M Japanese in 2016, FACTS §3.3; March–April peak, April 2021
 *   709,863 in a month) are balanced per municipality (origin and destination in proportion to
 *   residents: assumed), so they do not change residents; a moving holder visits the new municipality's
 *   counter to update the card, and the signature certificate, revoked by the move, is reissued there
 *   (FACTS §1.3) — counter work like a certificate renewal.
 *
 * Every flow is the expected value with the fraction carried per municipality: no random draws, so
 * the demand stream (and common random numbers across paired runs) is unchanged, and a holder-side
 * flow never feeds back into the pool of residents without a card.
 * @module
 */
import { InputError } from "../../engine/errors.js";
import type { Population } from "./population.js";

const YEAR = 365;
const MS_PER_DAY = 86_400_000;

/** The scenario's `populationDynamics` block (scenarios/schema.ts). */
export interface PopulationDynamicsParams {
  /** Births a year (FACTS §3.3: 727,288 in 2023). */
  birthsPerYear: number;
  /** Deaths a year (FACTS §3.3: 1,576,016 in 2023). */
  deathsPerYear: number;
  /** Moves between municipalities a year (FACTS §3.3: 4.88 M Japanese in 2016). */
  movesPerYear: number;
  /** Moves by calendar month (January first), relative to the yearly mean: 12 values with mean 1. */
  moveSeasonality: number[];
  /** Holders' death rate relative to adults without a card (assumed 1, range 0.7–1.3). */
  holderMortalityRatio: number;
  source: string;
}

/** Today's national totals of the population flows. */
export interface PopulationFlows {
  births: number;
  deaths: number;
  holderDeaths: number;
}

/** Band width in years from a name like "15-19"; the open last band ("20+") does not age out. */
function bandWidth(name: string, last: boolean): number {
  if (last) return Infinity;
  const m = /^(\d+)-(\d+)$/.exec(name);
  if (!m) throw new InputError(`age band "${name}": expected a name like 15-19`, "E_DATA");
  return Number(m[2]) - Number(m[1]) + 1;
}

/** The population flows of one run; owns the holders per municipality (cards in circulation). */
export class PopulationDynamics {
  /** Cards in circulation per municipality (handed over, not expired, holder alive). */
  readonly holders: Float64Array;
  /** Holders' deaths per holder per day (0 without population dynamics); renewal.ts uses it for survival. */
  readonly holderDeathRate: number;
  readonly #on: boolean;
  readonly #m: number;
  readonly #bands: number;
  readonly #pool: Float64Array;
  readonly #residents: Float64Array;
  readonly #birthShare: Float64Array;
  readonly #birthsPerDay: number;
  readonly #adultDeathRate: number;
  readonly #ageRate: Float64Array;
  readonly #movesRate: number;
  readonly #season: number[];
  readonly #carryBirth: Float64Array;
  readonly #carryDeath: Float64Array;
  readonly #carryHolder: Float64Array;
  readonly #carryAge: Float64Array;
  readonly #carryMove: Float64Array;
  readonly #moved: Float64Array;
  readonly #flows: PopulationFlows = { births: 0, deaths: 0, holderDeaths: 0 };
  #circulation = 0;
  #residentsTotal: number;

  /**
   * @param pool residents with neither card nor application, municipality-major × band (changed in place)
   * @param residents residents per municipality (changed in place)
   * @param minorShare share of holders under 18
   */
  constructor(
    params: PopulationDynamicsParams | undefined,
    population: Population,
    pool: Float64Array,
    residents: Float64Array,
    minorShare: number,
  ) {
    const m = population.municipalities.length;
    const bands = population.ageBands;
    this.#on = params !== undefined;
    this.#m = m;
    this.#bands = bands.length;
    this.#pool = pool;
    this.#residents = residents;
    this.holders = new Float64Array(m);
    this.#residentsTotal = residents.reduce((a, b) => a + b, 0);
    this.#birthShare = Float64Array.from(population.municipalities, (mu) => mu.population / population.total);
    // Band widths are read only when the population moves (a fixed population needs no band names).
    this.#ageRate = params
      ? Float64Array.from(bands, (b, j) => 1 / (bandWidth(b.name, j === bands.length - 1) * YEAR))
      : new Float64Array(bands.length);
    const adultShare = bands[bands.length - 1]!.populationShare;
    this.#birthsPerDay = (params?.birthsPerYear ?? 0) / YEAR;
    this.#adultDeathRate = (params?.deathsPerYear ?? 0) / (population.total * adultShare) / YEAR;
    this.holderDeathRate = this.#adultDeathRate * (1 - minorShare) * (params?.holderMortalityRatio ?? 1);
    this.#movesRate = (params?.movesPerYear ?? 0) / population.total / YEAR;
    this.#season = params?.moveSeasonality ?? new Array<number>(12).fill(1);
    this.#carryBirth = new Float64Array(m);
    this.#carryDeath = new Float64Array(m);
    this.#carryHolder = new Float64Array(m);
    this.#carryAge = new Float64Array(m * bands.length);
    this.#carryMove = new Float64Array(m);
    this.#moved = new Float64Array(m);
  }

  /** Residents nationally. */
  get residents(): number {
    return this.#residentsTotal;
  }

  /** Cards in circulation nationally. */
  get circulation(): number {
    return this.#circulation;
  }

  /** Births, ageing and deaths of day `t` (before the day's applications). */
  step(): PopulationFlows {
    const f = this.#flows;
    f.births = 0;
    f.deaths = 0;
    f.holderDeaths = 0;
    if (!this.#on) return f;
    const m = this.#m;
    const nb = this.#bands;
    const last = nb - 1;
    // Locals for the hot loop (1,741 municipalities every simulated day).
    const pool = this.#pool;
    const ageRate = this.#ageRate;
    const carryAge = this.#carryAge;
    const carryBirth = this.#carryBirth;
    const carryDeath = this.#carryDeath;
    const carryHolder = this.#carryHolder;
    const birthShare = this.#birthShare;
    const holders = this.holders;
    const residents = this.#residents;
    const birthsPerDay = this.#birthsPerDay;
    const deathRate = this.#adultDeathRate;
    const holderRate = this.holderDeathRate;
    let births = 0;
    let deaths = 0;
    let holderDeaths = 0;
    for (let k = 0; k < m; k++) {
      const row = k * nb;
      // Ageing out of every band but the last, on the start-of-day counts (rates < 1 a day, so the
      // floor never exceeds the band).
      for (let j = last - 1; j >= 0; j--) {
        const at = row + j;
        const x = pool[at]! * ageRate[j]! + carryAge[at]!;
        const n = Math.floor(x);
        carryAge[at] = x - n;
        pool[at] = pool[at]! - n;
        pool[at + 1] = pool[at + 1]! + n;
      }
      const b = birthsPerDay * birthShare[k]! + carryBirth[k]!;
      const born = Math.floor(b);
      carryBirth[k] = b - born;
      pool[row] = pool[row]! + born;
      const adults = pool[row + last]!;
      const d = adults * deathRate + carryDeath[k]!;
      const died = Math.floor(d);
      carryDeath[k] = d - died;
      pool[row + last] = adults - died;
      const held = holders[k]!;
      const h = held * holderRate + carryHolder[k]!;
      const heldDied = Math.floor(h);
      carryHolder[k] = h - heldDied;
      holders[k] = held - heldDied;
      residents[k] = residents[k]! + born - died - heldDied;
      births += born;
      deaths += died + heldDied;
      holderDeaths += heldDied;
    }
    f.births = births;
    f.deaths = deaths;
    f.holderDeaths = holderDeaths;
    this.#residentsTotal += births - deaths;
    const circulationLost = holderDeaths;
    this.#circulation -= circulationLost;
    return f;
  }

  /**
   * Holders who moved into each municipality on day `t` and come to its counter (a fresh vector
   * owned by this object, valid until the next call); zeros without population dynamics.
   */
  movedHolders(t: number): Float64Array {
    const out = this.#moved;
    if (!this.#on) return out;
    const month = new Date(t * MS_PER_DAY).getUTCMonth();
    const rate = this.#movesRate * this.#season[month]!;
    for (let k = 0; k < this.#m; k++) {
      const x = this.holders[k]! * rate + this.#carryMove[k]!;
      const n = Math.floor(x);
      this.#carryMove[k] = x - n;
      out[k] = n;
    }
    return out;
  }

  /**
   * Books the day's hand-overs (new and renewed cards) and the cards reaching expiry.
   * @param ring the hand-over ring (renewal.ts) and `row`, the offset of today's row in it
   * @returns the cards that left circulation by expiry (never more than a municipality's holders)
   */
  book(ring: Int32Array, row: number, expiring: Float64Array): number {
    let delta = 0;
    let expired = 0;
    for (let k = 0; k < this.#m; k++) {
      const gone = Math.min(expiring[k]!, this.holders[k]!);
      const x = ring[row + k]! - gone;
      this.holders[k] = this.holders[k]! + x;
      delta += x;
      expired += gone;
    }
    this.#circulation += delta;
    return expired;
  }
}
