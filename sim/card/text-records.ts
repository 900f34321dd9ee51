/**
 * Contents of the 券面事項入力補助AP EFs, FACTS.md §2.3 (layout from soltia48/myna-card
 * `ap/text.rs`): EF 0001 holds the My Number as BER-TLV `FF10`, 15 bytes followed by two `FF`
 * filler bytes (17 physical bytes); EF 0002 holds the 4 basic facts as
 *
 * ```text
 * FF 20 <len>
 *   DF 21 08   offsets of DF22, DF23, DF24, DF25 from the start of the file (2 bytes each)
 *   DF 22 <n>  name, UTF-8
 *   DF 23 <n>  address, UTF-8
 *   DF 24 08   birth date YYYYMMDD
 *   DF 25 01   sex "1" / "2" / "9"
 * ```
 * @module
 */
import { InputError } from "../../engine/errors.js";

/** The 4 basic facts (基本4情報) printed on the card. */
export interface BasicFacts {
  /** 氏名 (family and given name separated by U+3000 on real cards). */
  readonly name: string;
  /** 住所. */
  readonly address: string;
  /** 生年月日, Gregorian `YYYYMMDD`. */
  readonly birthDate: string;
  /** 性別: `"1"` male, `"2"` female, `"9"` not applicable. */
  readonly sex: "1" | "2" | "9";
}

/** BER-TLV tag of EF 0001. */
export const TAG_MY_NUMBER = 0xff10;
/** BER-TLV tags of EF 0002. */
export const TAG_BASIC_FACTS = {
  ALL: 0xff20,
  OFFSETS: 0xdf21,
  NAME: 0xdf22,
  ADDRESS: 0xdf23,
  BIRTH: 0xdf24,
  SEX: 0xdf25,
} as const;

function berLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, value: Uint8Array): number[] {
  return [tag >> 8, tag & 0xff, ...berLength(value.length), ...value];
}

/** EF 0001 content: `FF 10 0C <12 ASCII digits> FF FF` (17 bytes). */
export function encodeMyNumberEf(myNumber: string): Uint8Array {
  return Uint8Array.from([...tlv(TAG_MY_NUMBER, new TextEncoder().encode(myNumber)), 0xff, 0xff]);
}

/** EF 0002 content for the given facts. */
export function encodeBasicFactsEf(facts: BasicFacts): Uint8Array {
  const enc = new TextEncoder();
  const fields = [
    tlv(TAG_BASIC_FACTS.NAME, enc.encode(facts.name)),
    tlv(TAG_BASIC_FACTS.ADDRESS, enc.encode(facts.address)),
    tlv(TAG_BASIC_FACTS.BIRTH, enc.encode(facts.birthDate)),
    tlv(TAG_BASIC_FACTS.SEX, enc.encode(facts.sex)),
  ];
  const offsetsTlvLength = 3 + 8;
  const innerLength = offsetsTlvLength + fields.reduce((s, f) => s + f.length, 0);
  const outerHeader = 2 + berLength(innerLength).length;
  const offsets: number[] = [];
  let pos = outerHeader + offsetsTlvLength;
  for (const f of fields) {
    offsets.push(pos >> 8, pos & 0xff);
    pos += f.length;
  }
  const inner = [...tlv(TAG_BASIC_FACTS.OFFSETS, Uint8Array.from(offsets)), ...fields.flat()];
  return Uint8Array.from(tlv(TAG_BASIC_FACTS.ALL, Uint8Array.from(inner)));
}

interface Tlv {
  tag: number;
  value: Uint8Array;
  end: number;
}

function readTlv(bytes: Uint8Array, at: number): Tlv {
  const bad = (what: string) => new InputError(`card data: ${what} at offset ${at}`, "E_CARD_DATA");
  if (at + 3 > bytes.length) throw bad("truncated TLV header");
  const tag = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  let p = at + 2;
  let len = bytes[p++] as number;
  if (len === 0x81) len = bytes[p++] ?? -1;
  else if (len === 0x82) {
    len = ((bytes[p] ?? 0) << 8) | (bytes[p + 1] ?? 0);
    p += 2;
  } else if (len > 0x80) throw bad("unsupported BER length");
  if (len < 0 || p + len > bytes.length) throw bad("TLV value runs past the end");
  return { tag, value: bytes.subarray(p, p + len), end: p + len };
}

/**
 * Decode EF 0001 (terminal side).
 * @throws InputError (`E_CARD_DATA`) when the bytes are not an `FF10` record of 12 digits
 */
export function decodeMyNumberEf(bytes: Uint8Array): string {
  const t = readTlv(bytes, 0);
  const text = new TextDecoder().decode(t.value);
  if (t.tag !== TAG_MY_NUMBER || !/^[0-9]{12}$/.test(text)) {
    throw new InputError("card data: EF 0001 is not an FF10 record of 12 digits", "E_CARD_DATA");
  }
  return text;
}

/**
 * Decode EF 0002 (terminal side), checking the DF21 offset table against the fields.
 * @throws InputError (`E_CARD_DATA`) on a malformed record
 */
export function decodeBasicFactsEf(bytes: Uint8Array): BasicFacts {
  const outer = readTlv(bytes, 0);
  if (outer.tag !== TAG_BASIC_FACTS.ALL)
    throw new InputError("card data: EF 0002 is not an FF20 record", "E_CARD_DATA");
  const found = new Map<number, { value: Uint8Array; at: number }>();
  let p = outer.end - outer.value.length;
  while (p < outer.end) {
    const t = readTlv(bytes, p);
    found.set(t.tag, { value: t.value, at: p });
    p = t.end;
  }
  const dec = new TextDecoder();
  const get = (tag: number): { value: Uint8Array; at: number } => {
    const f = found.get(tag);
    if (!f)
      throw new InputError(`card data: EF 0002 lacks tag ${tag.toString(16).toUpperCase()}`, "E_CARD_DATA");
    return f;
  };
  const offsets = get(TAG_BASIC_FACTS.OFFSETS).value;
  const order = [TAG_BASIC_FACTS.NAME, TAG_BASIC_FACTS.ADDRESS, TAG_BASIC_FACTS.BIRTH, TAG_BASIC_FACTS.SEX];
  order.forEach((tag, i) => {
    const declared = ((offsets[2 * i] ?? 0) << 8) | (offsets[2 * i + 1] ?? 0);
    if (declared !== get(tag).at)
      throw new InputError("card data: EF 0002 offset table disagrees", "E_CARD_DATA");
  });
  const sex = dec.decode(get(TAG_BASIC_FACTS.SEX).value);
  if (sex !== "1" && sex !== "2" && sex !== "9")
    throw new InputError(`card data: bad sex code "${sex}"`, "E_CARD_DATA");
  return {
    name: dec.decode(get(TAG_BASIC_FACTS.NAME).value),
    address: dec.decode(get(TAG_BASIC_FACTS.ADDRESS).value),
    birthDate: dec.decode(get(TAG_BASIC_FACTS.BIRTH).value),
    sex,
  };
}
