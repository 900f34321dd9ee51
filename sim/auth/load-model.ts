/**
 * The authentication load that cards in circulation create (issue 10 item 1; FACTS.md §5): relying-
 * party classes with their daily, weekly and seasonal profiles and channel mix. Each class's official
 * volume is turned into a rate per card in circulation on that date (official cards, FACTS §4.1), so
 * a run with more or fewer cards than history (a plan) scales the load. Profiles are normalised over
 * the period the official figure covers (month, fiscal year, week, filing season), so they integrate
 * back to it exactly. Labels: [S] sourced (FACTS section), [A] assumed (declared guess).
 * @module
 */
import { dayOfWeek, formatIsoDate, parseIsoDate } from "../../engine/calendar.js";

export const AUTH_CLASSES = [
  "hospital",
  "clinic",
  "dental",
  "pharmacy",
  "convenience",
  "portal",
  "etax",
  "private",
] as const;
export type AuthClass = (typeof AUTH_CLASSES)[number];
export const CLASS_COUNT = AUTH_CLASSES.length;

/** Channels through which a holder authenticates (FACTS §1.5, §1.7). */
export const CHANNELS = ["pinReader", "faceReader", "smartphone"] as const;
export type Channel = (typeof CHANNELS)[number];

const d = (iso: string): number => parseIsoDate(iso);

/** [S] FACTS §4.1: cards issued (to 2023-05) then cards held (保有, from 2023-06). */
const OFFICIAL_CARDS: readonly [number, number][] = [
  [d("2016-03-27"), 2.04e6],
  [d("2016-05-29"), 4.65e6],
  [d("2017-03-08"), 10_717_919],
  [d("2018-07-01"), 14_672_462],
  [d("2019-04-01"), 16_566_976],
  [d("2020-04-01"), 20_332_415],
  [d("2020-07-01"), 22_254_189],
  [d("2021-01-01"), 30_765_617],
  [d("2021-07-01"), 43_438_155],
  [d("2022-01-01"), 51_871_720],
  [d("2022-07-31"), 58_151_191],
  [d("2022-12-31"), 71_905_789],
  [d("2023-03-31"), 84_399_025],
  [d("2023-06-30"), 88_155_973],
  [d("2023-07-31"), 89_040_000],
  [d("2024-03-31"), 92_155_778],
  [d("2024-06-30"), 92_784_654],
  [d("2025-09-30"), 99_080_000],
  [d("2025-12-03"), 100_029_804],
];

/** [S] FACTS §0: 100,029,804 cards = 80.3 % of the population on 2025-12-03. */
export const POPULATION = 100_029_804 / 0.803;

function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  if (x <= points[0]![0]) return points[0]![1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const [x0, y0] = points[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1]![1];
}

/** Official cards in circulation on an epoch day (linear between FACTS §4.1 points, flat outside). */
export function officialCards(day: number): number {
  return interpolate(OFFICIAL_CARDS, day);
}

/** [S] FACTS §5.3: online qualification checks made with the card, per month (month start, count). */
const QUALIFICATION_BY_CARD: readonly [string, number][] = [
  // Oct 2021 → Jan 2023: 6.16 M cumulative over 16 months, spread evenly.
  ["2021-10", 6.16e6 / 16],
  ["2023-01", 6.16e6 / 16],
  ["2023-11", 7.27e6],
  ["2024-01", 7.53e6],
  ["2024-03", 10.1e6],
  ["2024-07", 22_807_316],
  ["2025-05", 67.85e6],
  ["2025-10", 101.99e6],
];
/** [S] FACTS §5.3: the online qualification check by card starts in October 2021. */
export const QUALIFICATION_START = d("2021-10-01");

/** [S] FACTS §5.3, July 2024 by site type, card checks (M). */
const SITE_SPLIT: Record<"hospital" | "clinic" | "dental" | "pharmacy", number> = {
  hospital: 2.52,
  clinic: 7.9,
  dental: 2.26,
  pharmacy: 10.13,
};
const SITE_TOTAL = SITE_SPLIT.hospital + SITE_SPLIT.clinic + SITE_SPLIT.dental + SITE_SPLIT.pharmacy;

/** [S] FACTS §5.2: convenience-store certificates per fiscal year (FY start year, count). */
const CONVENIENCE_FY: readonly [number, number][] = [
  [2016, 1.55e6],
  [2022, 21.1e6],
  [2023, 31.89e6],
];

/** [S] FACTS §5.4: ≈230 k Myna Portal log-ins in one month, mid-2020. */
const PORTAL_MONTHLY_2020 = 230_000;
const PORTAL_REFERENCE_DAY = d("2020-07-01");
/** [S] FACTS §5.1: 22,188,704 income-tax returns (2018). */
const ETAX_RETURNS_PER_YEAR = 22_188_704;
/** [S] FACTS §5.1 / §3.1: 569 private JPKI businesses on 2024-07-08, 626 on 2024-11-19; [A] 0 on 2019-01-01. */
const PRIVATE_BUSINESSES: readonly [number, number][] = [
  [d("2019-01-01"), 0],
  [d("2024-07-08"), 569],
  [d("2024-11-19"), 626],
];
/** [A] Share of the year's card e-Tax log-ins made in the filing season (Feb 16 – Mar 15). */
const ETAX_SEASON_SHARE = 0.7;

const YEAR_END = (day: number): boolean => {
  const md = formatIsoDate(day).slice(5);
  return md >= "12-29" || md <= "01-03";
};

/** [A] Weekly weights, Sunday first. */
const WEEKLY: Record<AuthClass, readonly number[]> = {
  hospital: [0.05, 1.1, 1, 1, 0.9, 1, 0.3],
  clinic: [0.05, 1.1, 1, 1, 0.7, 1, 0.6],
  dental: [0.05, 1, 1, 1, 0.8, 1, 0.7],
  pharmacy: [0.1, 1.1, 1, 1, 0.8, 1, 0.6],
  convenience: [0.7, 1, 1, 1, 1, 1, 0.7],
  portal: [0.8, 1, 1, 1, 1, 1, 0.8],
  etax: [1, 1, 1, 1, 1, 1, 1],
  private: [0.5, 1, 1, 1, 1, 1, 0.5],
};

/** [A] Hourly weights (local time, hour 0 first), normalised in {@link hourShares}. */
const HOURLY_RAW: Record<AuthClass, readonly number[]> = {
  // prettier-ignore
  hospital: [0,0,0,0,0,0,0,0.2,1,1.2,1,0.7,0.3,0.3,0.3,0.2,0.1,0,0,0,0,0,0,0],
  // prettier-ignore
  clinic: [0,0,0,0,0,0,0,0,0.3,1,1,0.9,0.4,0.2,0.5,0.8,0.8,0.7,0.4,0.1,0,0,0,0],
  // prettier-ignore
  dental: [0,0,0,0,0,0,0,0,0,0.8,1,1,0.5,0.3,0.8,1,1,1,0.8,0.3,0,0,0,0],
  // prettier-ignore
  pharmacy: [0,0,0,0,0,0,0,0,0,0.6,1,1,0.8,0.5,0.4,0.6,0.9,0.9,0.7,0.3,0,0,0,0],
  // [S] FACTS §5.2: open 06:30–23:00 (hour 6 is half open).
  // prettier-ignore
  convenience: [0,0,0,0,0,0,0.25,0.5,0.8,1,1,1,1.1,1,0.9,0.9,0.9,1,1,0.9,0.7,0.5,0.3,0],
  // prettier-ignore
  portal: [0.3,0.15,0.1,0.05,0.05,0.1,0.2,0.4,0.6,0.9,1,1,1,1,1,1,1,1,1,1.2,1.3,1.2,0.9,0.5],
  // prettier-ignore
  etax: [0.3,0.15,0.1,0.05,0.05,0.1,0.2,0.4,0.6,0.9,1,1,1,1,1,1,1,1,1,1.2,1.3,1.2,0.9,0.5],
  // prettier-ignore
  private: [0.2,0.1,0.05,0.05,0.05,0.1,0.3,0.6,0.9,1,1,1,1,1,1,1,1,1,1,1,0.9,0.7,0.5,0.3],
};

const HOURLY: Record<AuthClass, Float64Array> = Object.fromEntries(
  AUTH_CLASSES.map((c) => {
    const raw = HOURLY_RAW[c];
    const sum = raw.reduce((a, b) => a + b, 0);
    return [c, Float64Array.from(raw, (v) => v / sum)];
  }),
) as Record<AuthClass, Float64Array>;

/** Share of a class's daily volume in each hour (24 numbers summing to 1). */
export function hourShares(cls: AuthClass): Float64Array {
  return HOURLY[cls];
}

/** Weight of a day within its normalising period, before normalisation. */
function dayWeight(cls: AuthClass, day: number): number {
  if (cls === "convenience") return YEAR_END(day) ? 0 : WEEKLY.convenience[dayOfWeek(day)]!;
  if (cls === "hospital" || cls === "clinic" || cls === "dental" || cls === "pharmacy")
    return WEEKLY[cls][dayOfWeek(day)]! * (YEAR_END(day) ? 0.1 : 1);
  return WEEKLY[cls][dayOfWeek(day)]!;
}

function monthStart(day: number): number {
  const iso = formatIsoDate(day);
  return d(`${iso.slice(0, 7)}-01`);
}
function nextMonth(start: number): number {
  const iso = formatIsoDate(start + 31);
  return d(`${iso.slice(0, 7)}-01`);
}

const weightCache = new Map<string, number>();
/** Sum of `dayWeight` over [from, to). */
function periodWeight(cls: AuthClass, from: number, to: number): number {
  const key = `${cls}:${from}:${to}`;
  let w = weightCache.get(key);
  if (w === undefined) {
    w = 0;
    for (let x = from; x < to; x++) w += dayWeight(cls, x);
    if (weightCache.size > 10_000) weightCache.clear();
    weightCache.set(key, w);
  }
  return w;
}

const QUAL_POINTS: readonly [number, number][] = QUALIFICATION_BY_CARD.map(([m, v]) => {
  const start = d(`${m}-01`);
  const mid = start + 14;
  return [start, v / officialCards(mid)];
});

/** Card qualification checks per card in circulation in the month starting `start` ([S] FACTS §5.3). */
function qualificationPerCardMonth(start: number): number {
  if (start < QUALIFICATION_START) return 0;
  return interpolate(QUAL_POINTS, start);
}

const CONV_POINTS: readonly [number, number][] = CONVENIENCE_FY.map(([fy, v]) => [
  fy,
  v / officialCards(d(`${fy}-10-01`)),
]);
function fiscalYearOf(day: number): number {
  const iso = formatIsoDate(day);
  const y = Number(iso.slice(0, 4));
  return iso.slice(5) >= "04-01" ? y : y - 1;
}

/** The e-Tax filing season of a year: [A] Feb 16 – Mar 15 inclusive. */
function eTaxSeason(year: number): [number, number] {
  return [d(`${year}-02-16`), d(`${year}-03-15`) + 1];
}

function yearOf(day: number): number {
  return Number(formatIsoDate(day).slice(0, 4));
}

/** Options of the load model that scenarios set (sim/auth/params.ts). */
export interface LoadOptions {
  privatePerBusinessPerDay: number;
  eTaxCardShareAtFullCoverage: number;
}

/**
 * Expected authentications of `cls` on epoch day `day` per card in circulation on that day.
 * Summing `perCard × cards` over the class's normalising period with constant cards gives the official
 * volume scaled by cards / official cards.
 */
export function perCardDaily(cls: AuthClass, day: number, o: LoadOptions): number {
  const w = dayWeight(cls, day);
  if (w === 0) return 0;
  switch (cls) {
    case "hospital":
    case "clinic":
    case "dental":
    case "pharmacy": {
      const m = monthStart(day);
      const perMonth = qualificationPerCardMonth(m) * (SITE_SPLIT[cls] / SITE_TOTAL);
      return (perMonth * w) / periodWeight(cls, m, nextMonth(m));
    }
    case "convenience": {
      const fy = fiscalYearOf(day);
      const perYear = interpolate(CONV_POINTS, fy);
      return (perYear * w) / periodWeight(cls, d(`${fy}-04-01`), d(`${fy + 1}-04-01`));
    }
    case "portal": {
      const perMonth = PORTAL_MONTHLY_2020 / officialCards(PORTAL_REFERENCE_DAY);
      const weekMean = WEEKLY.portal.reduce((a, b) => a + b, 0) / 7;
      return ((perMonth * 12) / 365) * (w / weekMean);
    }
    case "etax": {
      // Card log-ins per year when everyone holds a card, spread per resident with a card.
      const perCardYear = (ETAX_RETURNS_PER_YEAR * o.eTaxCardShareAtFullCoverage) / POPULATION;
      const y = yearOf(day);
      const [s, e] = eTaxSeason(y);
      const yearDays = d(`${y + 1}-01-01`) - d(`${y}-01-01`);
      if (day >= s && day < e) {
        // [A] a rush towards the deadline: weight 1 → 3 across the season.
        const len = e - s;
        let total = 0;
        for (let i = 0; i < len; i++) total += 1 + (2 * i) / (len - 1);
        return (perCardYear * ETAX_SEASON_SHARE * (1 + (2 * (day - s)) / (len - 1))) / total;
      }
      return (perCardYear * (1 - ETAX_SEASON_SHARE)) / (yearDays - (e - s));
    }
    case "private": {
      const businesses = interpolate(PRIVATE_BUSINESSES, day);
      const weekMean = WEEKLY.private.reduce((a, b) => a + b, 0) / 7;
      return ((businesses * o.privatePerBusinessPerDay) / officialCards(day)) * (w / weekMean);
    }
  }
}

/** Expected authentications per class on `day` with `cards` in circulation. */
export function dailyVolumes(
  day: number,
  cards: number,
  o: LoadOptions,
  out = new Float64Array(CLASS_COUNT),
) {
  for (let c = 0; c < CLASS_COUNT; c++) out[c] = perCardDaily(AUTH_CLASSES[c]!, day, o) * cards;
  return out;
}

/** Expected arrivals per hour of `day` (24 values, all classes together). */
export function hourlyVolumes(day: number, cards: number, o: LoadOptions): Float64Array {
  const daily = dailyVolumes(day, cards, o);
  const out = new Float64Array(24);
  for (let c = 0; c < CLASS_COUNT; c++) {
    const shares = HOURLY[AUTH_CLASSES[c]!];
    for (let h = 0; h < 24; h++) out[h]! += daily[c]! * shares[h]!;
  }
  return out;
}

/** [S] FACTS §1.7: smartphone JPKI from 2023-05-11 (Android) and 2025-06-24 (iPhone). */
export const ANDROID_JPKI = d("2023-05-11");
export const IPHONE_JPKI = d("2025-06-24");
/** [S] FACTS §1.5: face-authentication cards without a PIN from 2023-12-15. */
export const FACE_AUTH_CARDS = d("2023-12-15");

/** [A] Adoption ramps: a channel's share grows linearly to `max` over `days` after its start. */
function ramp(day: number, start: number, max: number, days: number): number {
  if (day < start) return 0;
  return max * Math.min(1, (day - start) / days);
}

/**
 * Channel shares of a class's authentications on `day` (pinReader, faceReader, smartphone; sum 1).
 * Qualification checks: [A] 85 % by face match on the face-auth reader, the rest by PIN. Portal,
 * e-Tax, private: smartphone JPKI [A] up to 15 % (Android, a year after 2023-05-11) plus 15 %
 * (iPhone, a year after 2025-06-24). Convenience-store kiosks read the card with its PIN.
 * Face-auth cards (no PIN, from 2023-12-15) are used on face readers only: [A] 1 % of holders by a
 * year after launch; {@link pinReaderAuthentications} leaves them out of the PIN entries.
 */
export function channelShares(cls: AuthClass, day: number): [number, number, number] {
  if (cls === "hospital" || cls === "clinic" || cls === "dental" || cls === "pharmacy")
    return [0.15, 0.85, 0];
  if (cls === "convenience") return [1, 0, 0];
  const phone = ramp(day, ANDROID_JPKI, 0.15, 365) + ramp(day, IPHONE_JPKI, 0.15, 365);
  return [1 - phone, 0, phone];
}

/** [A] Share of cards in circulation that are face-auth cards without PINs. */
export function faceAuthCardShare(day: number): number {
  return ramp(day, FACE_AUTH_CARDS, 0.01, 365);
}

/** Expected PIN entries on a card reader (the ones that can lock a card) on `day`. */
export function pinReaderAuthentications(day: number, cards: number, o: LoadOptions): number {
  const v = dailyVolumes(day, cards, o);
  let pin = 0;
  for (let c = 0; c < CLASS_COUNT; c++) pin += v[c]! * channelShares(AUTH_CLASSES[c]!, day)[0];
  return pin * (1 - faceAuthCardShare(day));
}
