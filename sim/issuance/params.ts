/**
 * The parameters of one national card-issuance run, as the scenario loader hands them to the model:
 * plain, serialisable data (they travel to worker threads), dates as ISO strings. Every field is
 * documented in scenarios/README.md; the YAML schema in scenarios/schema.ts produces this type.
 * @module
 */

import type { AuthParams } from "../auth/params.js";
import type { NetworkParams } from "../network/params.js";
import type { Campaign, CampaignResponse } from "./campaigns.js";
import type { CalibrateBlock, UncertaintyBlock } from "./calibration/blocks.js";
import type { PopulationDynamicsParams } from "./population-dynamics.js";

/** A value that changes on given dates: the entry with the latest `from` ≤ today applies. */
export interface ScheduleEntry {
  from: string;
  value: number;
}

/** A documented demand shock: the application hazard is multiplied while it is active. */
export interface DemandShock {
  name: string;
  start: string;
  end: string;
  /** Hazard multiplier over the whole window (1 = no effect). */
  multiplier: number;
  /** Optional rush before a deadline: the multiplier rises to `peakMultiplier` on `deadline`. */
  rush?: { deadline: string; peakMultiplier: number; tauDays: number };
  /** Optional launch effect: the multiplier starts at `peakMultiplier` on `start` and decays to 1. */
  decay?: { peakMultiplier: number; tauDays: number };
  source: string;
}

/** An application channel: its share of applications and the days until J-LIS receives them. */
export interface ApplicationChannel {
  name: string;
  share: number;
  delayDays: number;
}

/** A J-LIS system outage window (local time), during which hand-overs stop. */
export interface Outage {
  start: string;
  end: string;
  source: string;
}

/** A period of slow J-LIS responses (FACTS §4.4: tens of seconds through March–May 2016). */
export interface JlisSlowdown {
  /** First and last day, inclusive. */
  start: string;
  end: string;
  /** Mean transaction time over the business day while it lasts, seconds. */
  transactionSeconds: number;
  source: string;
}

/** Yen per unit of work, by stage (issue 9 item 4); each labelled in the scenario's parameter table. */
export interface CostParams {
  /** Manufacture and personalisation of one card at the factory (incl. shipping to the municipality). */
  cardProductionYenPerCard: number;
  /** J-LIS's card management system per hand-over or certificate renewal. */
  jlisYenPerTransaction: number;
  /** One counter staff member on duty for one day. */
  counterStaffYenPerDay: number;
  /** Postage of the notification postcard sent when a card reaches its municipality. */
  postageYenPerCard: number;
}

/** How one parameter's value was obtained (issue 9 item 2). */
export type ParameterLabel = "sourced" | "assumed" | "fitted";

/** A parameter's label with its source (sourced), its range (assumed) or its bounds (fitted). */
export interface ParameterLabelSpec {
  label: ParameterLabel;
  source?: string;
  range?: [number, number];
}

/**
 * Municipal uptake (sim/issuance/uptake.ts): each municipality's relative propensity fitted to the
 * official per-municipality series on the latest date on or before `fitDate`, shrunk toward 1.
 */
export interface MunicipalPropensityParams {
  /** Official data after this date is not read (it stays out of sample). */
  fitDate: string;
  /** 0 keeps the observed differences between municipalities, 1 removes them. */
  shrinkage: number;
  source: string;
}

/**
 * A "what if" run the scenario declares (issue 9): the same scenario with `set` applied (the same
 * key paths as `--set`), run on the baseline's seed and random streams (sim/issuance/counterfactuals.ts).
 */
export interface CounterfactualSpec {
  /** Lower-case name, e.g. no-2016-jlis-failure. */
  name: string;
  description: string;
  /** Key path (as for --set) → value. */
  set: Record<string, unknown>;
  /** Further dates to compare cumulative cards on, besides the target date and year-ends. */
  dates?: string[];
}

/** Real cryptography on a sample of the cards the factory makes (DESIGN.md §6). */
export interface CryptoSampleParams {
  /** Cards personalised with real keys and certificates and authenticated once. */
  cards: number;
  /** `current`: RSA-2048 / SHA-256; `nextGen`: ECDSA P-384 / SHA-384 (FACTS §1.6). */
  profile: "current" | "nextGen";
}

export interface IssuanceParams {
  name: string;
  description: string;
  /** First and last simulated days, inclusive. */
  start: string;
  end: string;
  /**
   * The cards to reach by a date; `solveCapacity` also searches the capacity that would have, keeping
   * the p90 lead time of the cards handed over by then within `maxLeadTimeP90Days` when it is set.
   */
  target: { cards: number; date: string; solveCapacity?: boolean; maxLeadTimeP90Days?: number };
  /** Real cards made in the factory stage; absent or 0 for none. */
  cryptoSample?: CryptoSampleParams;
  /** "What if" runs paired with this one on common random numbers; absent or empty for none. */
  counterfactuals?: CounterfactualSpec[];
  /** Compare the run with the official series (historical scenarios). */
  compareWithOfficial?: boolean;
  /** The authentication model (sim/auth/params.ts); absent: no auth section. */
  auth?: AuthParams;
  /** The information provision network model (sim/network/params.ts); absent: no network section. */
  network?: NetworkParams;
  demand: {
    /** Share of residents without a card or application who apply within a year, before shocks. */
    baseAnnualPropensity: ScheduleEntry[];
    /** Weight the national age profile of uptake (data/demographics-2022-12-31.csv) into demand. */
    ageProfile: boolean;
    /** Propensity by municipality; absent: demand proportional to population. */
    municipalPropensity?: MunicipalPropensityParams;
    /** Applications already waiting at `start`, spread evenly over their application dates. */
    initialBacklog: { applications: number; from: string; to: string; source: string };
    channels: ApplicationChannel[];
    shocks: DemandShock[];
    /** Campaigns and events acting through one response function per kind (sim/issuance/campaigns.ts). */
    campaigns?: Campaign[];
    /** The response function of each campaign kind (sim/issuance/campaigns.ts). */
    response?: CampaignResponse;
  };
  /** Free parameters `myna-twin calibrate` fits, with bounds (sim/issuance/calibration/). */
  calibrate?: CalibrateBlock;
  /** Parameter ranges replications sample by Latin hypercube (sim/issuance/calibration/uncertainty.ts). */
  uncertainty?: UncertaintyBlock;
  /** J-LIS application intake (aggregation, checking, photo review), cards per day. */
  intake: { capacityPerDay: ScheduleEntry[] };
  /** Card manufacture and personalisation at the factory, cards per day. */
  factory: { capacityPerDay: ScheduleEntry[] };
  /** Factory → municipality transit, days. */
  shipping: { days: number };
  /** Municipality receipt → notification postcard in the resident's hands, days. */
  notification: { days: number };
  /** Resident's delay between the postcard and the counter visit: an empirical distribution. */
  pickup: { delayDays: { days: number; share: number }[] };
  /**
   * Municipal counters as staff × opening hours ÷ minutes per hand-over (counter-capacity.ts): a
   * municipality's hand-overs per weekday are its staff on duty × the counter's opening minutes
   * (`jlis.businessHours`) ÷ `minutesPerHandover`.
   */
  counters: {
    /** Counter staff on duty on a weekday per 100,000 residents (schedule). */
    staffPerHundredThousand: ScheduleEntry[];
    /** Staff minutes one hand-over takes (identity check, explanation, PIN setting, J-LIS step). */
    minutesPerHandover: number;
    /** Staff on duty on Saturdays and Sundays relative to a weekday (some counters open at weekends). */
    weekendFactor: number;
    /** Staff on duty on a weekday in the smallest municipality (fractions: part-time desks). */
    minimumStaff: number;
    /**
     * Staff minutes one PIN reset takes (a locked-out holder's visit, FACTS §1.5; pin-resets.ts).
     * Absent: PIN lockouts do not load the counters (0: counted, but they take no staff time).
     */
    minutesPerPinReset?: number;
  };
  /**
   * The card management system (jlis-throughput.ts): its national hand-over capacity is the design
   * load at the normal transaction time, cut in proportion when transactions slow down; each
   * municipality's terminals (simultaneous connections) bound its hand-overs at that transaction time.
   */
  jlis: {
    /** Hand-overs a day the system serves at `transactionSeconds` (schedule; 115 k/day in 2016). */
    designLoadPerDay: ScheduleEntry[];
    /** Normal J-LIS response time of one hand-over's transaction, seconds. */
    transactionSeconds: number;
    /** Simultaneous terminals (connections) one municipality may hold (schedule; 30 → 42 in 2016). */
    terminalsPerMunicipality: ScheduleEntry[];
    /** Periods of slow responses: the mean transaction time over their business days, seconds. */
    slowdowns: JlisSlowdown[];
    /** Counter hours (local time): the counters' opening minutes, and what outage minutes are counted against. */
    businessHours: { open: string; close: string };
    outages: Outage[];
  };
  /** Yen per unit of each stage's work (costs.ts); absent: the run states no costs. */
  costs?: CostParams;
  /**
   * Labels of parameters whose label differs from the default of their field
   * (parameter-labels.ts), by key path as for `--set`.
   */
  parameterLabels?: Record<string, ParameterLabelSpec>;
  renewal: {
    /** Certificates expire at the 5th birthday after issuance (FACTS §1.4). */
    certificateYears: number;
    /** Share of expiring certificates whose holder renews at the counter. */
    certificateRenewalShare: number;
    /** Cards of holders under 18 (20 before 2022-04-01) expire at the 5th birthday; they reapply. */
    minorCardYears: number;
    /** Share of expiring minors' cards that are renewed (a new application). */
    minorCardRenewalShare: number;
    /** Adults' cards expire at the 10th birthday after issuance (FACTS §1.4); absent: 10. */
    cardYears?: number;
    /** Share of expiring adults' cards that are renewed (a new application); absent: as certificates. */
    cardRenewalShare?: number;
    /** Days before expiry that holders renew (renewal opens 3 months before, FACTS §1.4); absent: 0. */
    leadDays?: number;
  };
  /** Births, deaths and moves (sim/issuance/population-dynamics.ts); absent: a fixed population. */
  populationDynamics?: PopulationDynamicsParams;
}
