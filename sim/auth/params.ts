/**
 * The parameters of the authentication model (issue 10 items 1–3, 7): the optional `auth:` block of a
 * scenario, as validated by scenarios/auth-schema.ts. Every default is in {@link AUTH_DEFAULTS} with
 * its label — sourced (FACTS.md section) or assumed (a declared guess with a range).
 * @module
 */

/** A network delay, one way, as a log-normal distribution (mean and standard deviation in ms). */
export interface DelayParams {
  meanMs: number;
  sdMs: number;
}

/** A pool of identical servers with a client-side timeout and retries. */
export interface PoolParams {
  /** Servers (cores) working in parallel. */
  servers: number;
  /** The client gives up after this long (queue + service) and retries after `backoffMs`. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  backoffMs: number;
}

/** Service-time quantiles in ms, 21 points: the 0th, 5th, …, 100th percentile (non-decreasing). */
export type QuantileTable = number[];

/** Per-request service times, pinned (for reproducible runs) instead of measured at the start. */
export interface PinnedServiceTimes {
  /** Platform operator per request: certificate parse + chain signature + challenge signature. */
  platformMs: QuantileTable;
  /** A local CRL index lookup (platform side, when not asking J-LIS online). */
  crlLookupMs: QuantileTable;
  /** The J-LIS certificate-validity service per query: CRL index lookup + signing the answer. */
  jlisMs: QuantileTable;
}

/** The verification path: relying party → platform operator → J-LIS online or a local CRL check. */
export interface AuthNetworkParams {
  rpToPlatform: DelayParams;
  platformToJlis: DelayParams;
  platform: PoolParams;
  jlis: PoolParams;
  /** Share of checks the platform sends to J-LIS's online validity service (the rest: local CRL). */
  onlineShare: number;
}

/** PIN errors and lockouts (FACTS §1.5: the auth PIN locks after 3 consecutive failures). */
export interface LockoutParams {
  /** Probability that a PIN entry is wrong when the previous one was right (assumed). */
  firstErrorRate: number;
  /** Probability that an entry is wrong after a wrong one (assumed). */
  repeatErrorRate: number;
  /** Share of locked-out holders who go to the municipal counter to reset (assumed). */
  counterVisitShare: number;
  /** Mean days from lockout to the counter visit (geometric; assumed). */
  meanDaysToVisit: number;
}

export interface AuthParams {
  /** Card counts for the latency-against-cards answer (peak hour scaled to each). */
  cardsSweep: number[];
  /** p99 latency goal of the server search, ms. */
  p99GoalMs: number;
  /** Year whose busiest day runs request by request (default: the last year of the run). */
  peakYear?: number;
  /** Extra days to run request by request for the fluid model's validation (ISO dates). */
  validationDays?: string[];
  network: AuthNetworkParams;
  lockout: LockoutParams;
  /** Private JPKI authentications per business per day (assumed; FACTS §5.1 has no volume). */
  privatePerBusinessPerDay: number;
  /** Share of e-Tax returns authenticated with the card when every resident holds one (assumed). */
  eTaxCardShareAtFullCoverage: number;
  /** Pinned service times; absent: measured on this machine at the start of the run. */
  serviceTimes?: PinnedServiceTimes;
  /** Samples per measured operation (default 400). */
  measureSamples?: number;
}

/**
 * Defaults of the `auth:` block. [A] = assumed (a declared guess; range in the comment), [S] = sourced.
 * No source gives JPKI latency or network figures (FACTS §6 "Not found"), so the network is assumed.
 */
export const AUTH_DEFAULTS: AuthParams = {
  // [S] FACTS §4.2 / §0: the 87 M target; 100 M held on 2025-12-03; beyond to the ≈124.6 M population.
  cardsSweep: [20_000_000, 40_000_000, 60_000_000, 87_000_000, 100_000_000, 110_000_000, 120_000_000],
  p99GoalMs: 200, // [A] a relying party's goal, 100–1,000 ms
  network: {
    rpToPlatform: { meanMs: 15, sdMs: 8 }, // [A] one way over the internet, 5–50 ms
    platformToJlis: { meanMs: 5, sdMs: 2 }, // [A] one way on a dedicated line, 1–20 ms
    platform: { servers: 2, timeoutMs: 2000, maxRetries: 2, backoffMs: 200 }, // [A]
    jlis: { servers: 2, timeoutMs: 1000, maxRetries: 2, backoffMs: 100 }, // [A]
    // [A] FACTS §3.1: a daily CRL and an OCSP-like service both exist; the split is unknown (0–1).
    onlineShare: 0.5,
  },
  lockout: {
    firstErrorRate: 0.02, // [A] 0.005–0.05
    repeatErrorRate: 0.25, // [A] 0.1–0.5
    counterVisitShare: 0.8, // [A] 0.5–1
    meanDaysToVisit: 7, // [A] 2–30
  },
  privatePerBusinessPerDay: 500, // [A] 100–5,000; FACTS §5.1 has the 626 businesses, no volume
  eTaxCardShareAtFullCoverage: 0.5, // [A] 0.2–0.8
};
