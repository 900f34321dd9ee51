/**
 * Parameters of the information provision network model (issue 12 item 1) with their defaults, each
 * marked sourced (FACTS §5.5) or assumed. The scenario's `network:` block (scenarios/network-schema.ts)
 * validates into exactly this shape.
 * @module
 */

/** One tier of servers: a pool with a service time. */
export interface TierParams {
  /** Parallel servers (threads/instances). */
  readonly servers: number;
  /** Mean service time per exchange, ms (exponential). */
  readonly serviceMs: number;
}

/** One observed year of use (FACTS §5.5), shown against the design and priced per exchange. */
export interface ObservedUse {
  /** Japanese fiscal year, April → March, written `FY2022`. */
  readonly year: string;
  /** Who is counted: every user of the network, or local governments' own inquiries only. */
  readonly scope: "all-users" | "local-government";
  readonly exchanges: number;
  /** Where the figure comes from (FACTS section). */
  readonly source: string;
}

export interface NetworkParams {
  /** Exchanges a year the model is run at. Default: FY2022 actual ≈190 M (sourced, FACTS §5.5). */
  readonly annualExchanges: number;
  /** Design load, exchanges a year: ≈640 M (sourced, FY2017 design, FACTS §5.5). */
  readonly designAnnualExchanges: number;
  /** Build and operation cost per year, yen: ¥74.9 bn over FY2014–FY2022 = 9 years (sourced total; even spread assumed). */
  readonly annualCostYen: number;
  /** Use as a share of plan found by the Board of Audit in 2021: 5 % (sourced, FACTS §5.5). */
  readonly auditShareOfPlan: number;
  /** Observed years of use (sourced, FACTS §5.5): all users FY2018 and FY2022, local governments FY2017 and FY2022. */
  readonly observedUse: readonly ObservedUse[];
  /**
   * Monthly shares of the year's exchanges, April → March (assumed: peaks in June–August when
   * local-tax assessments, child-allowance status reports and insurance burden ratios are renewed,
   * and in January–March with tax season; no monthly series was found).
   */
  readonly monthShares: readonly number[];
  /** Working days a month (assumed 20). */
  readonly workingDaysPerMonth: number;
  /** Share of a working day's exchanges in its busiest hour (assumed 0.15: office hours 08:30–17:15, morning peak). */
  readonly peakHourShare: number;
  /** Procedure families and their shares of exchanges (assumed; local tax largest, Board of Audit FY2022). */
  readonly procedureShares: Readonly<Record<string, number>>;
  /** One-way network delay between an institution and the core, ms (assumed, LGWAN/government WAN). */
  readonly networkDelayMs: number;
  /** The core (code mapping, whitelist, signatures). Assumed sizing. */
  readonly core: TierParams;
  /** The providers' intermediate servers (副本 look-up), pooled. Assumed sizing. */
  readonly intermediate: TierParams;
  /** Seconds of the busiest hour simulated request by request (≤ 3600). */
  readonly simulatedSeconds: number;
}

export const NETWORK_DEFAULTS: NetworkParams = {
  annualExchanges: 190e6,
  designAnnualExchanges: 640e6,
  annualCostYen: 74.9e9 / 9,
  auditShareOfPlan: 0.05,
  observedUse: [
    {
      year: "FY2017",
      scope: "local-government",
      exchanges: 1.49e6,
      source: "FACTS §5.5: local governments' own inquiries, FY2017 (Board of Audit 2023)",
    },
    {
      year: "FY2018",
      scope: "all-users",
      exchanges: 8.03e6,
      source: "FACTS §5.5: all users, FY2018 actual (Asahi via ANN)",
    },
    {
      year: "FY2022",
      scope: "local-government",
      exchanges: 30.29e6,
      source: "FACTS §5.5: local governments' own inquiries, FY2022 (Board of Audit 2023)",
    },
    {
      year: "FY2022",
      scope: "all-users",
      exchanges: 190e6,
      source: "FACTS §5.5: all users, FY2022 actual ≈190 M (Asahi via ANN)",
    },
  ],
  monthShares: [0.07, 0.07, 0.11, 0.1, 0.1, 0.08, 0.07, 0.07, 0.07, 0.09, 0.08, 0.09],
  workingDaysPerMonth: 20,
  peakHourShare: 0.15,
  procedureShares: {
    "local-tax": 0.3,
    "nhi-and-late-elderly": 0.14,
    "nursing-care": 0.1,
    pensions: 0.12,
    "child-allowances": 0.12,
    "public-assistance": 0.06,
    "disability-welfare": 0.05,
    "employment-insurance": 0.04,
    "health-insurers": 0.04,
    "housing-school-loans": 0.03,
  },
  networkDelayMs: 15,
  core: { servers: 16, serviceMs: 20 },
  intermediate: { servers: 64, serviceMs: 120 },
  simulatedSeconds: 600,
};
