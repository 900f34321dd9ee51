/**
 * Typed errors of sim/card, extending engine/errors.ts. APDUs never raise these — a bad APDU is a
 * status word (FACTS.md §2) — they are for the host-side API: personalisation records, counter
 * procedures and card files (DESIGN.md §9: clear message, nothing changed).
 * @module
 */
import { InputError, TwinError } from "../../engine/errors.js";

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

/**
 * A card file is in use: another live session holds its lock (card-lock.ts). A card sits in one
 * reader at a time. Code `E_CARD_BUSY`.
 */
export class CardBusyError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CARD_BUSY", options);
  }
}

/**
 * A card file is older than a version of the same card already seen (its write generation is lower
 * than the generation record's): an old copy put back to refill PIN tries. Code `E_CARD_ROLLBACK`.
 */
export class CardRollbackError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CARD_ROLLBACK", options);
  }
}

/**
 * The card's state could not be written durably (disk full, permissions, a vanished directory). The
 * command that caused the change gets no answer. Code `E_CARD_STORE`; not the user's input, so not an
 * InputError.
 */
export class CardStoreError extends TwinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_CARD_STORE", message, options);
  }
}
