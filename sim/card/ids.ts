/**
 * Application identifiers and elementary-file identifiers of the My Number card, FACTS.md §2.1
 * (AIDs), §2.2 (JPKI AP EFs) and §2.3 (券面事項入力補助AP and 券面事項確認AP EFs; the per-EF keys
 * from soltia48/myna-card `src/ap/text.rs`, `src/ap/surface.rs`).
 * @module
 */

/** 公的個人認証AP (JPKI AP): `D3 92 F0 00 26 01 00 00 00 01`. */
export const JPKI_AID: Uint8Array = Uint8Array.of(0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01);

/** 券面事項入力補助AP (card-input support, "text" AP): `D3 92 10 00 31 00 01 01 04 08`. */
export const TEXT_AID: Uint8Array = Uint8Array.of(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08);

/** 券面事項確認AP (card-face confirmation, "surface" AP): `D3 92 10 00 31 00 01 01 04 02`. */
export const SURFACE_AID: Uint8Array = Uint8Array.of(
  0xd3,
  0x92,
  0x10,
  0x00,
  0x31,
  0x00,
  0x01,
  0x01,
  0x04,
  0x02,
);

/** EF identifiers of the JPKI AP (FACTS.md §2.2). */
export const JPKI_EF = {
  /** 署名用電子証明書 — readable after the signature password is verified. */
  SIGN_CERT: 0x0001,
  /** 署名用CA証明書 — free. */
  SIGN_CA_CERT: 0x0002,
  /** 160-byte PKCS#11 CK_TOKEN_INFO, label `JPKIAPICCTOKEN2` — free. */
  TOKEN_INFO: 0x0006,
  /** Certificate availability: `8F 8F 00` both, `00 8F 00` no signature certificate — free. */
  CERT_AVAILABILITY: 0x0008,
  /** 利用者証明用電子証明書 — free. */
  AUTH_CERT: 0x000a,
  /** 利用者証明用CA証明書 — free. */
  AUTH_CA_CERT: 0x000b,
  /** 利用者証明用秘密鍵 — signs after the auth PIN. */
  AUTH_KEY: 0x0017,
  /** 利用者証明用暗証番号 key reference: 4 digits, 3 tries. */
  AUTH_PIN: 0x0018,
  /** 署名用秘密鍵 — signs after the signature password. */
  SIGN_KEY: 0x001a,
  /** 署名用パスワード key reference: 6–16 of A–Z 0–9, 5 tries. */
  SIGN_PIN: 0x001b,
} as const;

/** EF identifiers of the 券面事項入力補助AP (FACTS.md §2.3). */
export const TEXT_EF = {
  /** マイナンバー: `FF 10 0C <12 ASCII digits>` plus 2 filler bytes, 17 in all — PIN or 照合番号A. */
  MY_NUMBER: 0x0001,
  /** 4 basic facts: `FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth date, DF25 sex }` — PIN or 照合番号B. */
  BASIC_FACTS: 0x0002,
  /** Integrity record: SHA-256 digests of 0001 and 0002 — PIN or either 照合番号. */
  INTEGRITY: 0x0003,
  /** AP basic information — free. */
  AP_INFO: 0x0005,
  /** Unidentified, sixteen `FF` bytes on real cards — free. */
  UNKNOWN_0008: 0x0008,
  /** 券面事項入力補助用暗証番号 key reference: 4 digits, 3 tries. */
  PIN: 0x0011,
  /** A key reference blocked at issuance: tries-left query `63C0`, VERIFY `6984`. */
  BLOCKED: 0x0012,
  /** 照合番号A key reference: the 12-digit My Number. */
  CODE_A: 0x0014,
  /** 照合番号B key reference: birth date (era YYMMDD) + expiry year + security code, 14 digits. */
  CODE_B: 0x0015,
} as const;

/** EF identifiers of the 券面事項確認AP (FACTS.md §2.3). */
export const SURFACE_EF = {
  /** Age record: birth date — after the birth-date key 0011. */
  AGE: 0x0001,
  /** Card face: birth date, sex, name, address, expiry — 照合番号A or B. */
  FACE: 0x0002,
  /** AP basic information — free. */
  AP_INFO: 0x0003,
  /** The My Number as printed — 照合番号A only. */
  MY_NUMBER: 0x0005,
  /** Unidentified, sixteen `FF` bytes on real cards — 照合番号A or B. */
  UNKNOWN_0006: 0x0006,
  /** Birth-date key reference: Japanese-era YYMMDD, 6 digits. */
  BIRTH_DATE_KEY: 0x0011,
  /** 照合番号B key reference (14 digits). */
  CODE_B: 0x0012,
  /** 照合番号A key reference (12 digits). */
  CODE_A: 0x0013,
} as const;

/** True when `a` and `b` hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `prefix` is a (non-strict) prefix of `whole`. */
export function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > whole.length) return false;
  for (let i = 0; i < prefix.length; i++) if (whole[i] !== prefix[i]) return false;
  return true;
}
