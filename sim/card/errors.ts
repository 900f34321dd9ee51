/**
 * Typed errors of sim/card, extending engine/errors.ts. APDUs never raise these — a bad APDU is a
 * status word (FACTS.md §2) — they are for the host-side API: personalisation records, counter
 * procedures and card files (DESIGN.md §9: clear message, nothing changed).
 * @module
 */
import { InputError } from "../../engine/errors.js";

/** A personalisation record or a counter procedure (`unlockAtCounter`, `resetPinAtCounter`) got bad input. Code `E_CARD_INPUT`. */
export class CardInputError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CARD_INPUT", options);
  }
}

/** A saved card file is unreadable: not a card file, an unsupported version, or corrupted. Code `E_CARD_FILE`. */
export class CardFileError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CARD_FILE", options);
  }
}

/** A saved card file was opened with the wrong passphrase. Code `E_CARD_PASSPHRASE`. */
export class CardPassphraseError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CARD_PASSPHRASE", options);
  }
}
