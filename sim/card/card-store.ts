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
import { DEFAULT_SCRYPT, open } from "./sealing.js";
import type { ScryptParams } from "./sealing.js";

/**
 * Serialise `card` to bytes, encrypted under `passphrase`.
 * @param params scrypt cost (default N = 2^14, r = 8, p = 1)
 */
export function saveCard(
  card: MyNumberCard,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(card.seal(passphrase, params)));
}

/**
 * Rebuild a card from {@link saveCard} output, with its counters and lock state.
 * @throws CardPassphraseError when the passphrase is wrong
 * @throws CardFileError when the bytes are not a card file, are of an unsupported version, or
 *   have been altered or truncated
 */
export function loadCard(bytes: Uint8Array, passphrase: string): MyNumberCard {
  let envelope: unknown;
  try {
    envelope = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new CardFileError("card file: not UTF-8 JSON", { cause });
  }
  const plaintext = open(envelope, passphrase);
  try {
    const record = decodeCardRecord(plaintext);
    return MyNumberCard.fromRecord(record);
  } catch (e) {
    if (e instanceof CardInputError)
      throw new CardFileError(`card file: invalid content (${e.message})`, { cause: e });
    throw e;
  } finally {
    plaintext.fill(0);
  }
}
