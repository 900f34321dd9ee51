/**
 * Status words (SW1-SW2) the simulated My Number card answers with.
 *
 * Values follow ISO/IEC 7816-4 §5.1.3 (interindustry status bytes) and JICSAP 1.1 as observed on
 * real cards (FACTS.md §1.5 "Card-level status words", §2 general notes and §2.4). Every answer the
 * card gives ends in exactly one of these two-byte codes; nothing in sim/card throws on a bad APDU.
 * @module
 */

/** Status words, as 16-bit numbers (`SW1 << 8 | SW2`). */
export const SW = {
  /** 9000 — normal processing. */
  OK: 0x9000,
  /** 6282 — end of file reached before reading Ne bytes (ISO warning; not used, see READ BINARY). */
  END_OF_FILE: 0x6282,
  /** 63C0 — verification failed and the counter is now exhausted; also the tries-left answer of a blocked PIN. */
  VERIFY_FAILED_BASE: 0x63c0,
  /** 6700 — wrong length (Lc/Le absent, present or out of range where it must not be). */
  WRONG_LENGTH: 0x6700,
  /** 6882 — secure messaging not supported (what the card answers SELECT FILE under CLA 08/0C). */
  SM_NOT_SUPPORTED: 0x6882,
  /** 6981 — command incompatible with the file structure (e.g. READ BINARY of a key EF). */
  INCOMPATIBLE_FILE: 0x6981,
  /** 6982 — security status not satisfied (PIN not verified). */
  SECURITY_NOT_SATISFIED: 0x6982,
  /** 6984 — reference data not usable: the PIN is blocked (every attempt after the one that answered 63C0). */
  BLOCKED: 0x6984,
  /** 6985 — conditions of use not satisfied (no EF selected, card still issuance-locked, …). */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** 69FC — the card's answer to a secure-messaging class byte (CLA 08 / 0C) on READ BINARY, VERIFY, … */
  SM_REFUSED: 0x69fc,
  /** 6A80 — incorrect parameters in the data field (e.g. a new PIN that breaks the format). */
  WRONG_DATA: 0x6a80,
  /** 6A82 — file or application not found. */
  FILE_NOT_FOUND: 0x6a82,
  /** 6A86 — incorrect parameters P1-P2. */
  WRONG_P1P2: 0x6a86,
  /** 6B00 — wrong parameters: READ BINARY offset at or beyond the end of the EF. */
  WRONG_OFFSET: 0x6b00,
  /** 6C00 — wrong Le; SW2 carries the exact length (00 = 256). Base value, OR the length in. */
  WRONG_LE_BASE: 0x6c00,
  /** 6D00 — instruction not supported. */
  INS_NOT_SUPPORTED: 0x6d00,
  /** 6E00 — class not supported. */
  CLA_NOT_SUPPORTED: 0x6e00,
  /** 6F00 — no precise diagnosis (only ever the last-resort guard in `transmit`). */
  NO_DIAGNOSIS: 0x6f00,
} as const;

/** `63Cx`: verification failed (or tries-left query), `x` tries remain (0–15). */
export function swTriesLeft(remaining: number): number {
  return SW.VERIFY_FAILED_BASE | (Math.max(0, Math.min(15, remaining)) & 0x0f);
}

/** `6Cxx`: wrong Le, `xx` is the exact length available (256 → `00`). */
export function swWrongLe(available: number): number {
  return SW.WRONG_LE_BASE | (available & 0xff);
}

/** If `sw` is a `63Cx` status, the number of tries it reports; otherwise `undefined`. */
export function triesLeftOf(sw: number): number | undefined {
  return (sw & 0xfff0) === SW.VERIFY_FAILED_BASE ? sw & 0x0f : undefined;
}

/** Four upper-case hex digits, e.g. `"6A82"`. */
export function swToString(sw: number): string {
  return (sw & 0xffff).toString(16).toUpperCase().padStart(4, "0");
}
