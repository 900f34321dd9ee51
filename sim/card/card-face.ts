/**
 * What the card face gives the 券面 APs (FACTS.md §2.3): the values of the card-face keys — 照合番号A
 * (the 12-digit My Number), 照合番号B (birth date as Japanese-era YYMMDD + expiry year YYYY + the
 * 4-digit security code printed on the card, 14 digits) and the 券面事項確認AP's birth-date key
 * (era YYMMDD) — and the contents of the EFs this model adds to the 券面事項入力補助AP and the
 * 券面事項確認AP.
 *
 * Layouts follow soltia48/myna-card (`src/ap/surface.rs`, `src/ap/text.rs`) where it documents them
 * — tags `FF10`/`DF11` (age record), `FF20`/`DF21`… (card face), `FF30`/`DF34` (AP information,
 * municipality code), `FF40`/`DF41` (My Number as printed) — with two stated departures (docs/jpki.md):
 * text stands where the real card holds images (name, address, My Number; no photograph), and the
 * records carry no J-LIS signature, public key or card-verifiable certificate, because the
 * twin's personalisation has no J-LIS card-face key to make them with (nothing is faked instead).
 * The 券面事項入力補助AP integrity record (EF 0003) holds the two SHA-256 digests myna-card
 * describes — of EF 0001's physical content and of EF 0002's value after the DF21 offset table —
 * under tags `DF31`/`DF32` of this model's choosing, without the signature.
 * @module
 */
import { createHash } from "node:crypto";
import { CardInputError } from "./errors.js";

/** Card-face data beyond the 4 basic facts. */
export interface CardFaceData {
  /** Card expiry date printed on the face, Gregorian `YYYYMMDD`. */
  readonly expiry: string;
  /** The 4-digit security code printed on the card face. */
  readonly securityCode: string;
  /** 全国地方公共団体コード of the issuing municipality (5 digits), if known. */
  readonly municipalityCode?: string;
}

/** Era start dates (Gregorian `YYYYMMDD`) and the year offset of each, newest first. */
const ERAS: readonly { readonly from: string; readonly offset: number }[] = [
  { from: "20190501", offset: 2018 }, // 令和
  { from: "19890108", offset: 1988 }, // 平成
  { from: "19261225", offset: 1925 }, // 昭和
  { from: "19120730", offset: 1911 }, // 大正
  { from: "18730101", offset: 1867 }, // 明治 (from the adoption of the Gregorian calendar)
];

/**
 * A Gregorian `YYYYMMDD` as Japanese-era `YYMMDD` (the era itself is not encoded, as on the card).
 * @throws CardInputError for a malformed date or one before 1873-01-01
 */
export function eraDate(yyyymmdd: string): string {
  if (!/^[0-9]{8}$/.test(yyyymmdd)) throw new CardInputError(`date: expected YYYYMMDD, got "${yyyymmdd}"`);
  const era = ERAS.find((e) => yyyymmdd >= e.from);
  if (!era)
    throw new CardInputError(`date ${yyyymmdd}: before 1873-01-01, no Japanese-era form in this model`);
  const year = Number(yyyymmdd.slice(0, 4)) - era.offset;
  return String(year).padStart(2, "0") + yyyymmdd.slice(4);
}

/** 照合番号B: era birth date YYMMDD ‖ expiry year YYYY ‖ security code (14 digits). */
export function codeB(birthDate: string, face: CardFaceData): string {
  return eraDate(birthDate) + face.expiry.slice(0, 4) + face.securityCode;
}

/**
 * Checks card-face data.
 * @throws CardInputError naming the field and what was expected
 */
export function checkCardFace(face: CardFaceData): CardFaceData {
  if (typeof face !== "object" || face === null) throw new CardInputError("cardFace must be an object");
  if (
    typeof face.expiry !== "string" ||
    !/^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$/.test(face.expiry)
  )
    throw new CardInputError(`cardFace.expiry: expected YYYYMMDD, got ${JSON.stringify(face.expiry)}`);
  if (typeof face.securityCode !== "string" || !/^[0-9]{4}$/.test(face.securityCode))
    throw new CardInputError(
      `cardFace.securityCode: expected 4 digits, got ${JSON.stringify(face.securityCode)}`,
    );
  if (face.municipalityCode !== undefined && !/^[0-9]{5}$/.test(face.municipalityCode))
    throw new CardInputError(
      `cardFace.municipalityCode: expected 5 digits, got ${JSON.stringify(face.municipalityCode)}`,
    );
  return { ...face };
}

/**
 * Card-face data for a personalisation that gives none: the expiry is the authentication
 * certificate's notAfter date and the security code 4 digits from SHA-256 of that certificate —
 * deterministic per card, like the random code printed on a real one.
 */
export function defaultCardFace(authCert: Uint8Array, notAfter: Date): CardFaceData {
  const d = createHash("sha256").update("myna-twin security code").update(authCert).digest();
  const code = String(d.readUInt32BE(0) % 10000).padStart(4, "0");
  if (Number.isNaN(notAfter.getTime()))
    throw new CardInputError("card personalisation: the auth certificate's notAfter date cannot be read");
  const iso = notAfter.toISOString();
  return { expiry: iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10), securityCode: code };
}

function berLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, value: Uint8Array | readonly number[]): number[] {
  return [tag >> 8, tag & 0xff, ...berLength(value.length), ...value];
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Sixteen `FF` bytes: what real cards hold in the unidentified EFs (text 0008, surface 0006). */
export const UNIDENTIFIED_EF: Uint8Array = new Uint8Array(16).fill(0xff);

/** 券面事項確認AP EF 0001: `FF10 { DF11 birth date YYYYMMDD }`. */
export function encodeAgeRecord(birthDate: string): Uint8Array {
  return Uint8Array.from(tlv(0xff10, tlv(0xdf11, text(birthDate))));
}

/**
 * 券面事項確認AP EF 0002: `FF20 { DF21 offsets, DF22 birth date, DF23 sex, DF25 name, DF26 address,
 * DF29 expiry }`; DF21 holds the offset of each following field from the start of the file.
 */
export function encodeCardFaceRecord(f: {
  readonly name: string;
  readonly address: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly expiry: string;
}): Uint8Array {
  const fields = [
    tlv(0xdf22, text(f.birthDate)),
    tlv(0xdf23, text(f.sex)),
    tlv(0xdf25, text(f.name)),
    tlv(0xdf26, text(f.address)),
    tlv(0xdf29, text(f.expiry)),
  ];
  const offsetsTlv = 3 + 2 * fields.length;
  const inner = offsetsTlv + fields.reduce((s, x) => s + x.length, 0);
  let pos = 2 + berLength(inner).length + offsetsTlv;
  const offsets: number[] = [];
  for (const x of fields) {
    offsets.push(pos >> 8, pos & 0xff);
    pos += x.length;
  }
  return Uint8Array.from(tlv(0xff20, [...tlv(0xdf21, offsets), ...fields.flat()]));
}

/** AP basic information (券面事項確認AP 0003, 券面事項入力補助AP 0005): `FF30 { DF34 municipality code }`. */
export function encodeApInfo(municipalityCode: string | undefined): Uint8Array {
  return Uint8Array.from(tlv(0xff30, municipalityCode ? tlv(0xdf34, text(municipalityCode)) : []));
}

/** 券面事項確認AP EF 0005: `FF40 { DF41 the 12 digits }` (an image on the real card). */
export function encodeMyNumberFace(myNumber: string): Uint8Array {
  return Uint8Array.from(tlv(0xff40, tlv(0xdf41, text(myNumber))));
}

/**
 * 券面事項入力補助AP EF 0003: `FF30 { DF31 SHA-256 of EF 0001 (physical, filler included),
 * DF32 SHA-256 of EF 0002's value after the DF21 offset table }`.
 */
export function encodeIntegrityRecord(myNumberEf: Uint8Array, basicFactsEf: Uint8Array): Uint8Array {
  // EF 0002 is FF 20 <len> DF 21 08 <8 bytes> …: skip the outer header and the offset table.
  const outerHeader = 2 + (basicFactsEf[2]! < 0x80 ? 1 : basicFactsEf[2] === 0x81 ? 2 : 3);
  const afterOffsets = basicFactsEf.subarray(outerHeader + 3 + 8);
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();
  return Uint8Array.from(tlv(0xff30, [...tlv(0xdf31, sha(myNumberEf)), ...tlv(0xdf32, sha(afterOffsets))]));
}
