/**
 * Demo residents for the JPKI glue: a deterministic, obviously fictitious holder of a My Number
 * card — 12-digit individual number with the official check digit, and the 4 basic facts (基本4情報:
 * name, address, date of birth, sex; FACTS.md §1.3) — drawn from one named seeded stream
 * (`RandomStreams(seed).stream("jpki.demo-resident", index)`, DESIGN.md §4 "Randomness"). The same
 * seed and index always give the same resident. Check digit: 行政手続における特定の個人を識別するための
 * 番号の利用等に関する法律施行令 art. 8 (weights 2–7, mod 11).
 * @module
 */
import { isCalendarDate } from "../../engine/calendar.js";
import { PREFECTURES } from "../run-format/prefectures.js";
import { RandomStreams } from "../../engine/random/index.js";
import { myNumberCheckDigit } from "../numbers/my-number.js";

/** Sex as the card's text AP codes it: `1` male, `2` female, `9` not applicable (FACTS.md §2.3). */
export type ResidentSex = "1" | "2" | "9";

/** One card holder. */
export interface DemoResident {
  /** 12-digit individual number (11 digits + check digit). */
  readonly myNumber: string;
  /** 氏名, family and given name separated by U+3000. */
  readonly name: string;
  /** 住所 from the prefecture down. */
  readonly address: string;
  /** Date of birth, `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Sex code. */
  readonly sex: ResidentSex;
  /** Romanised prefecture, for the signature certificate's subject locality. */
  readonly prefecture: string;
  /** Romanised municipality, for the signature certificate's subject locality. */
  readonly municipality: string;
}

const SURNAMES = [
  "佐藤",
  "鈴木",
  "高橋",
  "田中",
  "伊藤",
  "渡辺",
  "山本",
  "中村",
  "小林",
  "加藤",
  "吉田",
  "山田",
];
const GIVEN_MALE = ["太郎", "翔太", "大輔", "健一", "拓也", "蓮", "湊", "誠", "浩二", "悠真"];
const GIVEN_FEMALE = ["花子", "陽菜", "結衣", "美咲", "葵", "さくら", "愛子", "優子", "真由美", "凛"];

/** [prefecture ja, municipality ja, town ja, prefecture romaji, municipality romaji]. */
const PLACES: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ["東京都", "千代田区", "霞が関", "Tokyo", "Chiyoda-ku"],
  ["東京都", "清瀬市", "中清戸", "Tokyo", "Kiyose-shi"],
  ["北海道", "札幌市中央区", "北一条西", "Hokkaido", "Sapporo-shi Chuo-ku"],
  ["宮城県", "仙台市青葉区", "本町", "Miyagi", "Sendai-shi Aoba-ku"],
  ["神奈川県", "横浜市中区", "日本大通", "Kanagawa", "Yokohama-shi Naka-ku"],
  ["愛知県", "名古屋市中区", "三の丸", "Aichi", "Nagoya-shi Naka-ku"],
  ["大阪府", "大阪市中央区", "大手前", "Osaka", "Osaka-shi Chuo-ku"],
  ["広島県", "広島市中区", "基町", "Hiroshima", "Hiroshima-shi Naka-ku"],
  ["福岡県", "福岡市博多区", "東公園", "Fukuoka", "Fukuoka-shi Hakata-ku"],
  ["沖縄県", "那覇市", "泉崎", "Okinawa", "Naha-shi"],
];

const FULLWIDTH_DIGITS = "０１２３４５６７８９";
const fullwidth = (n: number): string => [...String(n)].map((d) => FULLWIDTH_DIGITS[Number(d)]).join("");

const DAY_MS = 86_400_000;
/** Birth dates are drawn from 1940-01-01 … 2004-12-31: every demo resident is an adult (≥15, FACTS.md §1.3). */
const BIRTH_FROM = Date.UTC(1940, 0, 1) / DAY_MS;
const BIRTH_TO = Date.UTC(2004, 11, 31) / DAY_MS;

/**
 * The demo resident `index` of `seed`. Deterministic: the same (seed, index) gives the same person.
 * @param seed integer in [0, 2^53)
 * @param index resident number, integer in [0, 2^53)
 */
export function demoResident(seed: number, index = 0): DemoResident {
  const r = new RandomStreams(seed).stream("jpki.demo-resident", index);
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  let first11 = "";
  for (let i = 0; i < 11; i++) first11 += String(r.int(10));
  const sex: ResidentSex = r.bernoulli(0.5) ? "1" : "2";
  const name = `${pick(SURNAMES)}\u3000${pick(sex === "1" ? GIVEN_MALE : GIVEN_FEMALE)}`;
  const [prefJa, muniJa, town, pref, muni] = pick(PLACES);
  const address = `${prefJa}${muniJa}${town}${fullwidth(r.intBetween(1, 5))}丁目${fullwidth(r.intBetween(1, 30))}番${fullwidth(r.intBetween(1, 20))}号`;
  const day = r.intBetween(BIRTH_FROM, BIRTH_TO);
  const birthDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  return {
    myNumber: first11 + String(myNumberCheckDigit(first11)),
    name,
    address,
    birthDate,
    sex,
    prefecture: pref,
    municipality: muni,
  };
}

/** Earliest birth date a demo card accepts. */
export const EARLIEST_BIRTH_DATE = "1900-01-01";

/**
 * Why `value` is not a usable birth date for a card issued at `at` (epoch ms), or `undefined` when it
 * is: it must be `YYYY-MM-DD`, a real calendar date (no 1990-02-30, no 2023-02-29), not before
 * {@link EARLIEST_BIRTH_DATE} and not after the issuance day (JST calendar date).
 */
export function birthDateProblem(value: string, at: number): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return "expected YYYY-MM-DD";
  if (!isCalendarDate(value)) return "not a calendar date";
  if (value < EARLIEST_BIRTH_DATE) return `before ${EARLIEST_BIRTH_DATE}`;
  const today = new Date(at + 9 * 3_600_000).toISOString().slice(0, 10);
  if (value > today) return `after the issuance date ${today} (JST)`;
  return undefined;
}

/** Romanised prefecture of an address that starts with a prefecture name, or `undefined`. */
export function prefectureOf(address: string): string | undefined {
  return PREFECTURES.find(([ja]) => address.startsWith(ja))?.[1];
}
