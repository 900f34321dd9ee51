/**
 * Save and load cards. A saved card is the UTF-8 JSON of a {@link SealedEnvelope}: the whole card
 * record — personalisation, private keys (PKCS#8), PIN values, PIN counters, issuance lock — is
 * encrypted with scrypt + AES-256-GCM (sealing.ts), and its header is authenticated, so a file
 * cannot be edited to refill a PIN counter. Loading fails with a typed error and builds nothing:
 * {@link CardPassphraseError} for a wrong passphrase, {@link CardFileError} for anything else.
 * @module
 */
import { MyNumberCard } from "./card.js";
import { decodeCardRecord } from "./card-record.js";
import { CardFileError, CardInputError } from "./errors.js";
import { DEFAULT_SCRYPT, openWithKey } from "./sealing.js";
import type { ScryptParams, SealingKey } from "./sealing.js";

/**
 * Serialise `card` to bytes, encrypted under `passphrase`.
 * @param passphrase the passphrase, or a key already derived from it
 * @param params scrypt cost (default N = 2^14, r = 8, p = 1)
 * @param generation the write generation recorded in the file (card-file.ts)
 */
export function saveCard(
  card: MyNumberCard,
  passphrase: string | SealingKey,
  params: ScryptParams = DEFAULT_SCRYPT,
  generation = 0,
): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(card.seal(passphrase, params, generation)));
}

/**
 * Rebuild a card from {@link saveCard} output, with its counters and lock state.
 * @throws CardPassphraseError when the passphrase is wrong
 * @throws CardFileError when the bytes are not a card file, are of an unsupported version, or
 *   have been altered or truncated
 */
export function loadCard(bytes: Uint8Array, passphrase: string): MyNumberCard {
  return readCard(bytes, passphrase).card;
}

/** What {@link readCard} returns. */
export interface ReadCard {
  /** The card, with its counters and lock state. */
  readonly card: MyNumberCard;
  /** The file's write generation (card-record.ts; 0 for a version-1 record). */
  readonly generation: number;
  /** The key derived from the passphrase, to seal later generations without scrypt. */
  readonly key: SealingKey;
}

/**
 * {@link loadCard} with the file's write generation and derived key (card-file.ts uses both).
 * @param reuse a key derived earlier; used, without scrypt, when the file has its salt and cost
 * @throws CardPassphraseError / CardFileError as {@link loadCard}
 */
export function readCard(bytes: Uint8Array, passphrase: string, reuse?: SealingKey): ReadCard {
  let envelope: unknown;
  try {
    envelope = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new CardFileError("card file: not UTF-8 JSON", { cause });
  }
  const { plaintext, key } = openWithKey(envelope, passphrase, reuse);
  try {
    const record = decodeCardRecord(plaintext);
    return { card: MyNumberCard.fromRecord(record), generation: record.generation, key };
  } catch (e) {
    if (e instanceof CardInputError)
      throw new CardFileError(`card file: invalid content (${e.message})`, { cause: e });
    throw e;
  } finally {
    plaintext.fill(0);
  }
}
