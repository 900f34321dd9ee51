/**
 * Romanised names of Japan's 47 prefectures (Hepburn, without macrons, as MIC's English pages write
 * them), keyed by the kanji name the run-output format uses (data/issuance-by-prefecture.csv), in the
 * official order (JIS X 0401 codes 01–47). The dashboard and reports show the romanised name beside the
 * kanji so a reader without Japanese, or a browser without a CJK font, still knows which prefecture a
 * row is; the demo card's address uses it too. Pure data (the project's one copy), the JIS codes, and
 * the one ranking of lagging prefectures the report and the dashboard share.
 * @module
 */

import type { PrefectureRow } from "./summary.js";

/** [kanji, romanised] in JIS X 0401 order. */
export const PREFECTURES: readonly (readonly [string, string])[] = [
  ["北海道", "Hokkaido"],
  ["青森県", "Aomori"],
  ["岩手県", "Iwate"],
  ["宮城県", "Miyagi"],
  ["秋田県", "Akita"],
  ["山形県", "Yamagata"],
  ["福島県", "Fukushima"],
  ["茨城県", "Ibaraki"],
  ["栃木県", "Tochigi"],
  ["群馬県", "Gunma"],
  ["埼玉県", "Saitama"],
  ["千葉県", "Chiba"],
  ["東京都", "Tokyo"],
  ["神奈川県", "Kanagawa"],
  ["新潟県", "Niigata"],
  ["富山県", "Toyama"],
  ["石川県", "Ishikawa"],
  ["福井県", "Fukui"],
  ["山梨県", "Yamanashi"],
  ["長野県", "Nagano"],
  ["岐阜県", "Gifu"],
  ["静岡県", "Shizuoka"],
  ["愛知県", "Aichi"],
  ["三重県", "Mie"],
  ["滋賀県", "Shiga"],
  ["京都府", "Kyoto"],
  ["大阪府", "Osaka"],
  ["兵庫県", "Hyogo"],
  ["奈良県", "Nara"],
  ["和歌山県", "Wakayama"],
  ["鳥取県", "Tottori"],
  ["島根県", "Shimane"],
  ["岡山県", "Okayama"],
  ["広島県", "Hiroshima"],
  ["山口県", "Yamaguchi"],
  ["徳島県", "Tokushima"],
  ["香川県", "Kagawa"],
  ["愛媛県", "Ehime"],
  ["高知県", "Kochi"],
  ["福岡県", "Fukuoka"],
  ["佐賀県", "Saga"],
  ["長崎県", "Nagasaki"],
  ["熊本県", "Kumamoto"],
  ["大分県", "Oita"],
  ["宮崎県", "Miyazaki"],
  ["鹿児島県", "Kagoshima"],
  ["沖縄県", "Okinawa"],
];

const BY_KANJI = new Map(PREFECTURES);

/** The romanised name of a prefecture, or null for a name not in the table. */
export function romanisedPrefecture(kanji: string): string | null {
  return BY_KANJI.get(kanji.trim()) ?? null;
}

/** "Tokyo 東京都" — romanised first (it renders everywhere), then the kanji; unknown names as given. */
export function prefectureLabel(kanji: string): string {
  const r = romanisedPrefecture(kanji);
  return r === null ? kanji : `${r} ${kanji}`;
}

const CODE_OF = new Map(PREFECTURES.map(([kanji], i) => [kanji, String(i + 1).padStart(2, "0")]));

/** The JIS X 0401 code of a prefecture ("01" Hokkaido … "47" Okinawa), or null for an unknown name. */
export function prefectureCode(kanji: string): string | null {
  return CODE_OF.get(kanji.trim()) ?? null;
}

/** How many lagging prefectures the report and the dashboard rank. */
export const LAGGING_PREFECTURES = 10;

/**
 * The lagging prefectures: the `n` with the lowest official coverage on the comparison date (ties by
 * name), each with the simulation's coverage beside it; rows without an official figure are left out.
 */
export function laggingPrefectures(rows: readonly PrefectureRow[], n = LAGGING_PREFECTURES): PrefectureRow[] {
  return rows
    .filter((r) => Number.isFinite(r.officialCoverage))
    .sort((a, b) => a.officialCoverage - b.officialCoverage || (a.prefecture < b.prefecture ? -1 : 1))
    .slice(0, n);
}
