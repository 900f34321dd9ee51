/**
 * Parameters of the revocation model (issue 11): the volume drivers of FACTS.md §3.3, the J-LIS root
 * generations of FACTS §1.2, the relying-party classes, the distribution strategies' knobs and the
 * mass-revocation incident. Each value is sourced (FACTS.md / data/, cited beside it) or assumed (a
 * declared guess with its range). A scenario's `revocation:` block (scenarios/revocation-schema.ts)
 * overrides a subset; {@link resolveRevocationParams} fills the rest from {@link REVOCATION_DEFAULTS}.
 * @module
 */

/** The two JPKI certificate types (FACTS §1.3). */
export type CertType = "auth" | "sign";
export const CERT_TYPES: readonly CertType[] = ["auth", "sign"];

/** Revocation reasons the flow tracks, with the RFC 5280 CRLReason each is published with (FACTS §3.2). */
export const REASONS = [
  "move",
  "death",
  "nameChange",
  "loss",
  "returned",
  "renewal",
  "massSuspension",
] as const;
export type Reason = (typeof REASONS)[number];

/** CRLReason per flow reason (RFC 5280 §5.3.1 values; J-LIS usage in FACTS §3.2). */
export const REASON_CODE: Record<Reason, number> = {
  move: 3, // affiliationChanged: the certificate's content changed
  death: 5, // cessationOfOperation
  nameChange: 3, // affiliationChanged
  loss: 1, // keyCompromise: "the user's key was compromised" (loss or leak of the card)
  returned: 5, // cessationOfOperation: the user no longer needs it
  renewal: 4, // superseded
  massSuspension: 6, // certificateHold
};

/** A relying-party class: who verifies, how many of them, how often, which certificates. */
export interface RelyingPartyClass {
  readonly name: string;
  readonly verifiers: number;
  /** Verifications per day by the whole class (an average day) at {@link RevocationParams.referenceCards}. */
  readonly checksPerDay: number;
  /** Share of the day's checks in the busiest hour. */
  readonly peakHourShare: number;
  readonly certTypes: readonly CertType[];
  readonly source: string;
}

/** One J-LIS root generation: it issues from `from` until the next generation's `from`. */
export interface RootGeneration {
  readonly generation: number;
  readonly from: string;
  readonly source: string;
}

/** The key-generation-flaw incident of scenario mass-revocation (ANCHORS §3.1, ROCA/Estonia 2017). */
export interface MassRevocationParams {
  /** Day the flaw is announced; the affected certificates are suspended that night. */
  readonly date: string;
  /** Affected cards (each with its valid certificates). */
  readonly cards: number;
  /** Share of affected cards whose holders re-key at all (the rest are revoked at the deadline). */
  readonly rekeyShare: number;
  /** Mean days from the announcement to a holder's re-key request (exponential arrivals). */
  readonly arrivalMeanDays: number;
  /** Share of re-keys attempted remotely (card applet update) rather than at a counter. */
  readonly remoteShare: number;
  readonly remoteCapacityPerDay: number;
  /** Remote attempts that fail and fall back to a counter (Estonia expected ≈10 %, ANCHORS §3.1). */
  readonly remoteFailureRate: number;
  readonly counterCapacityPerDay: number;
  /** Days after `date` when every certificate still suspended is revoked (keyCompromise). */
  readonly deadlineDays: number;
}

/** Knobs of the distribution strategies (issue 11 item 2). */
export interface StrategyParams {
  /** (c) number of serial partitions, each named in the certificate's CRL DP. */
  readonly partitions: number;
  /** (b) the daily deltas' base is a full CRL every this many days (the hourly deltas have a daily base). */
  readonly deltaBaseDays: number;
  /** Verifiers fetch within this many minutes after publication (uniformly). */
  readonly fetchWindowMinutes: number;
  /** J-LIS's CRL update time: 5–10 minutes (FACTS §3.1, PocketSign Verify). */
  readonly publicationLagMinutes: number;
  /** (d) delay from revocation to the validity service knowing it. */
  readonly onlinePropagationMinutes: number;
  /** (d) request bytes of one status query (OCSP request with one CertID over HTTP). */
  readonly onlineRequestBytes: number;
  /** Hour of day (JST) the daily CRL is published. */
  readonly publishHour: number;
}

/** The whole resolved parameter set. */
export interface RevocationParams {
  /** Last day of the horizon (the issuance run is extended to it, see {@link extendAfterRun}). */
  readonly through: string;
  readonly population: number;
  /** Share of new cards that receive a signature certificate (holders aged ≥ 15). */
  readonly signShare: number;
  readonly interMunicipalMovesPerYear: number;
  readonly intraMunicipalMovesPerYear: number;
  /** Relative volume of moves by calendar month (Jan … Dec); normalised by the model. */
  readonly moveSeason: readonly number[];
  readonly deathsPerYear: number;
  readonly marriagesPerYear: number;
  readonly divorcesPerYear: number;
  readonly divorceNameChangeShare: number;
  readonly lossRatePerYear: number;
  readonly returnRatePerYear: number;
  /** Share of revoked holders who get a new certificate (same day, fluid approximation). */
  readonly reissueShare: { readonly move: number; readonly nameChange: number; readonly loss: number };
  /** Share of expiring certificates renewed (default: the issuance scenario's renewal share). */
  readonly renewalShare: number;
  /** Renewals happen this many days before expiry on average (the window is 3 months, FACTS §1.4). */
  readonly renewalLeadDays: number;
  /** First-time cards per year after the issuance run ends (steady state: every newborn). */
  readonly newCardsPerYearAfterRun: number;
  readonly rootGenerations: Readonly<Record<CertType, readonly RootGeneration[]>>;
  /** Bytes of one CRL entry's serial (positive, high bit clear: no sign octet). */
  readonly serialBytes: number;
  readonly relyingParties: readonly RelyingPartyClass[];
  /** Cards in circulation the relying parties' `checksPerDay` were calibrated on (scaled by the run's). */
  readonly referenceCards: number;
  readonly strategies: StrategyParams;
  /** Real artefacts are built on these days with this share of the entries (the rest counted). */
  readonly sample: { readonly days: readonly string[]; readonly entryRate: number };
  readonly massRevocation: MassRevocationParams | null;
}

/** Defaults with their sources. */
export const REVOCATION_DEFAULTS: RevocationParams = {
  through: "2030-12-31",
  // data/demographics-2022-12-31.csv, 全体 row: population 125,927,902 (2022-01-01).
  population: 125_927_902,
  // data/demographics-2022-12-31.csv: ages 0–14 hold 2.7 + 3.7 + 3.8 = 10.2 % of cards; FACTS §1.3:
  // signature certificates go to holders aged ≥ 15 only.
  signShare: 0.898,
  // FACTS §3.3: 4,880,967 Japanese inter-municipal movers (2016).
  interMunicipalMovesPerYear: 4_880_967,
  // Assumed (range 2–6 M): FACTS §7 "intra-municipal moves unknown — perhaps a similar order".
  intraMunicipalMovesPerYear: 4_000_000,
  // Assumed shape, anchored on FACTS §3.3: April 2021 had 709,863 of ≈5.3 M movers (≈1.6× a mean
  // month); March is the larger peak of the school and fiscal year.
  moveSeason: [0.8, 0.8, 1.9, 1.6, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.8, 0.75],
  // FACTS §3.3: 1,576,016 deaths (2023).
  deathsPerYear: 1_576_016,
  // FACTS §3.3: 474,717 marriages, 183,808 divorces (2023); one spouse always takes the other's name
  // (Civil Code art. 750).
  marriagesPerYear: 474_717,
  divorcesPerYear: 183_808,
  // Assumed (range 0.3–0.8): the spouse who changed name reverts unless they file to keep it.
  divorceNameChangeShare: 0.6,
  // Assumed (range 0.1–1 %/yr): lost or stolen cards; FACTS §3.3 has only the cumulative 4.92 M abolished.
  lossRatePerYear: 0.003,
  // Assumed (range 0.01–0.2 %/yr): cards returned voluntarily.
  returnRatePerYear: 0.0005,
  // Assumed (ranges 0.3–0.9, 0.3–0.9, 0.7–1): a lost card is reissued; a moved holder re-applies
  // for the signature certificate at the counter.
  reissueShare: { move: 0.6, nameChange: 0.6, loss: 0.9 },
  renewalShare: 0.8,
  // Assumed (range 0–90): middle of the 3-month renewal window (FACTS §1.4).
  renewalLeadDays: 45,
  // FACTS §3.3: 727,288 births (2023); after the run every newborn is assumed to get a card.
  newCardsPerYearAfterRun: 727_288,
  rootGenerations: {
    auth: [
      { generation: 1, from: "2015-10-20", source: "FACTS §1.2" },
      { generation: 2, from: "2019-09-14", source: "FACTS §1.2" },
      { generation: 3, from: "2023-07-16", source: "FACTS §1.2" },
      { generation: 4, from: "2027-07-16", source: "assumed: the same ≈4-year cadence" },
    ],
    sign: [
      { generation: 1, from: "2015-10-20", source: "FACTS §1.2" },
      { generation: 2, from: "2019-09-14", source: "FACTS §1.2" },
      { generation: 3, from: "2023-07-16", source: "FACTS §1.2" },
      { generation: 4, from: "2027-07-16", source: "assumed: the same ≈4-year cadence" },
    ],
  },
  // The twin's end-entity profile writes 16-byte serials (sim/pki/jpki-profiles.ts).
  serialBytes: 16,
  relyingParties: [
    {
      name: "private businesses",
      verifiers: 626,
      // Assumed (range 0.1–1 M/day): e-KYC, securities and bank account opening, e-contracts.
      checksPerDay: 300_000,
      peakHourShare: 0.12,
      certTypes: ["auth", "sign"],
      source:
        "626 businesses (2024-11-19), FACTS §3.1 / §5.1, https://digital.go.jp/policies/mynumber/private-business/jpki-introduction",
    },
    {
      name: "medical institutions and pharmacies",
      // 213,878 hospitals, clinics, dental clinics and pharmacies obliged to run online qualification
      // checks (MHLW, 2023-03-26: https://cbnews.jp/news/entry/20230404142329); all facilities 229,717
      // (2023-02-19: https://wic-net.com/material/document/7870/9).
      verifiers: 213_878,
      // FACTS §5.3: 101.99 M card checks in Oct 2025 ≈ 3.3 M/day.
      checksPerDay: 3_300_000,
      peakHourShare: 0.16,
      certTypes: ["auth"],
      source:
        "213,878 obliged facilities, MHLW via https://cbnews.jp/news/entry/20230404142329; checks FACTS §5.3 (Oct 2025)",
    },
    {
      name: "convenience-store terminals",
      // FACTS §5.2: > 55,000 locations.
      verifiers: 55_000,
      // FACTS §5.2: 31.89 M certificates in FY2023 ≈ 87,000/day.
      checksPerDay: 87_000,
      peakHourShare: 0.1,
      certTypes: ["auth"],
      source: "FACTS §5.2: > 55,000 locations, 31.89 M certificates FY2023",
    },
  ],
  // FACTS §0: 100,029,804 cards held on 2025-12-03 (the checks above are late-2025 volumes).
  referenceCards: 100_029_804,
  strategies: {
    // Assumed: 64 partitions (Let's Encrypt shards by serial, ANCHORS §2.1).
    partitions: 64,
    deltaBaseDays: 7,
    fetchWindowMinutes: 60,
    publicationLagMinutes: 10,
    onlinePropagationMinutes: 5,
    onlineRequestBytes: 400,
    publishHour: 0,
  },
  sample: { days: [], entryRate: 0.001 },
  massRevocation: null,
};

/** A scenario's `revocation:` block as validated (every field optional except where the schema says). */
export interface RevocationBlock {
  readonly through?: string;
  readonly rates?: Partial<
    Pick<
      RevocationParams,
      | "intraMunicipalMovesPerYear"
      | "lossRatePerYear"
      | "returnRatePerYear"
      | "divorceNameChangeShare"
      | "renewalLeadDays"
      | "newCardsPerYearAfterRun"
      | "signShare"
    >
  >;
  readonly strategies?: Partial<StrategyParams>;
  readonly sample?: { readonly days?: readonly string[]; readonly entryRate?: number };
  readonly massRevocation?: MassRevocationParams;
}

/** Fill a scenario block with the defaults; `renewalShare` comes from the issuance scenario. */
export function resolveRevocationParams(block: RevocationBlock, renewalShare: number): RevocationParams {
  const d = REVOCATION_DEFAULTS;
  return {
    ...d,
    ...(block.rates ?? {}),
    through: block.through ?? d.through,
    renewalShare,
    strategies: { ...d.strategies, ...(block.strategies ?? {}) },
    sample: {
      days: block.sample?.days ?? d.sample.days,
      entryRate: block.sample?.entryRate ?? d.sample.entryRate,
    },
    massRevocation: block.massRevocation ?? null,
  };
}
