/**
 * A card that lives in a file, the way a real card's state lives in its EEPROM (DESIGN.md §9;
 * FACTS.md §1.5 — the retry counter is decremented before the card answers). Every command that
 * changes the card's non-volatile state — a PIN counter, a PIN value, the issuance lock
 * (`MyNumberCard.stateVersion` moved) — is written to the file durably (durable-file.ts: temp file,
 * fsync, rename, fsync of the directory) **before** {@link CardFile.transmit} returns the answer.
 * A session killed at any point (Ctrl-C, SIGTERM, kill -9) therefore leaves every spent try spent.
 *
 * Concurrency: {@link CardFile.open} takes the card's exclusive lock (card-lock.ts) for the whole
 * session — a card sits in one reader at a time — so a second session on the same card (or on a
 * copy of it with the same state directory) is refused with `CardBusyError` while the first runs.
 *
 * Rollback: the sealed record carries a write generation, raised by one on every write, and the
 * state directory keeps, per card id, the highest generation seen (generation-record.ts). A file
 * older than that record — an old copy put back — is refused with `CardRollbackError`. The card file
 * is written first and the record second, so a crash between the two leaves a file newer than its
 * record, never the reverse.
 *
 * The state directory defaults to `.myna-card-state/` beside the card file (mode 0700).
 * @module
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { MyNumberCard } from "./card.js";
import { CardLock } from "./card-lock.js";
import { readCard, saveCard } from "./card-store.js";
import { writeFileDurably } from "./durable-file.js";
import { CardFileError, CardRollbackError, CardStoreError } from "./errors.js";
import { readGeneration, writeGeneration } from "./generation-record.js";
import { DEFAULT_SCRYPT, SealingKey } from "./sealing.js";
import type { ScryptParams } from "./sealing.js";

/** Name of the default state directory, created beside the card file. */
export const STATE_DIR_NAME = ".myna-card-state";

/** Options of {@link CardFile.open} and {@link CardFile.create}. */
export interface CardFileOptions {
  /** Where locks and generation records live (default `.myna-card-state/` beside the card file). */
  readonly stateDir?: string;
  /** scrypt cost of a new file (default N = 2^14, r = 8, p = 1). */
  readonly params?: ScryptParams;
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

/** Create the state directory: the default one beside the card only if the card's directory exists. */
function ensureStateDir(dir: string, explicit: boolean): void {
  try {
    mkdirSync(dir, { recursive: explicit, mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new CardStoreError(`card state directory ${dir}: cannot create it (${errno(e)})`, { cause: e });
  }
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CardFileError(`cannot read it (${errno(e)})`, { cause: e });
  }
}

/** An open file-backed card session (see the module doc). Close it with {@link CardFile.close}. */
export class CardFile {
  /** The card file. */
  readonly file: string;
  /** The state directory (locks, generation records). */
  readonly stateDir: string;
  /** The card. Use {@link CardFile.transmit}, not `card.transmit`, so that changes are written. */
  readonly card: MyNumberCard;
  readonly #key: SealingKey;
  readonly #lock: CardLock;
  #generation: number;

  private constructor(
    file: string,
    stateDir: string,
    card: MyNumberCard,
    key: SealingKey,
    lock: CardLock,
    generation: number,
  ) {
    this.file = file;
    this.stateDir = stateDir;
    this.card = card;
    this.#key = key;
    this.#lock = lock;
    this.#generation = generation;
  }

  /** The generation of the file as last written or read. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Open a saved card: decrypt it, take its lock, check it is not older than the generation record.
   * @throws CardFileError (unreadable, not a card file, altered), CardPassphraseError,
   *   CardBusyError (another live session holds it), CardRollbackError (an old copy)
   */
  static open(file: string, passphrase: string, options: CardFileOptions = {}): CardFile {
    const stateDir = options.stateDir ?? join(dirname(file), STATE_DIR_NAME);
    const first = readBytes(file);
    let read = readCard(first, passphrase);
    ensureStateDir(stateDir, options.stateDir !== undefined);
    const id = read.card.cardId;
    const lock = CardLock.acquire(join(stateDir, `${id}.lock`));
    try {
      // The file may have been written by a session that held the lock a moment ago.
      const now = readBytes(file);
      if (Buffer.compare(now, first) !== 0) read = readCard(now, passphrase, read.key);
      if (read.card.cardId !== id)
        throw new CardFileError("the file was replaced by another card while it was being opened; try again");
      const seen = readGeneration(stateDir, id);
      if (read.generation < seen)
        throw new CardRollbackError(
          `this file is an old copy of card ${id}: its generation is ${read.generation}, but generation ${seen} was already seen (${join(stateDir, `${id}.gen`)}). A card's PIN tries cannot be restored by putting back an old file, as on a real card`,
        );
      if (read.generation > seen) writeGeneration(stateDir, id, read.generation);
      return new CardFile(file, stateDir, read.card, read.key, lock, read.generation);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Write a new card to `file` (which must not exist: `EEXIST` is not overwritten) as generation 1,
   * take its lock and record the generation.
   * @throws CardStoreError when the file or the state directory cannot be written (the message
   *   names the errno, e.g. `EEXIST`, `ENOENT`)
   */
  static create(
    file: string,
    card: MyNumberCard,
    passphrase: string,
    options: CardFileOptions = {},
  ): CardFile {
    const stateDir = options.stateDir ?? join(dirname(file), STATE_DIR_NAME);
    const key = SealingKey.derive(passphrase, options.params ?? DEFAULT_SCRYPT);
    ensureStateDir(stateDir, options.stateDir !== undefined);
    const lock = CardLock.acquire(join(stateDir, `${card.cardId}.lock`));
    try {
      const bytes = saveCard(card, key, key.params, 1);
      try {
        writeFileDurably(file, bytes, { exclusive: true });
      } catch (e) {
        throw new CardStoreError(`${file}: cannot create it (${errno(e)})`, { cause: e });
      }
      const out = new CardFile(file, stateDir, card, key, lock, 1);
      out.#recordGeneration();
      return out;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Send one command APDU. When it changed the card's non-volatile state, the new state is written
   * durably before the answer is returned.
   * @throws CardStoreError when that write fails: the answer is withheld (the session must end)
   */
  transmit(apdu: Uint8Array): Uint8Array {
    if (!this.#lock.held) throw new CardStoreError(`${this.file}: the card session is closed`);
    const before = this.card.stateVersion;
    const response = this.card.transmit(apdu);
    if (this.card.stateVersion !== before) this.commit();
    return response;
  }

  /**
   * Write the card's current state as the next generation, durably, then raise the generation
   * record. Done by {@link CardFile.transmit}; call it after host-side changes (`unlockAtCounter`).
   * @throws CardStoreError when the file cannot be written
   */
  commit(): void {
    const next = this.#generation + 1;
    const bytes = saveCard(this.card, this.#key, this.#key.params, next);
    try {
      writeFileDurably(this.file, bytes);
    } catch (e) {
      throw new CardStoreError(`${this.file}: cannot write the card's new state (${errno(e)})`, { cause: e });
    }
    this.#generation = next;
    this.#recordGeneration();
  }

  #recordGeneration(): void {
    try {
      writeGeneration(this.stateDir, this.card.cardId, this.#generation);
    } catch (e) {
      throw new CardStoreError(
        `card state directory ${this.stateDir}: cannot write the generation record (${errno(e)})`,
        {
          cause: e,
        },
      );
    }
  }

  /** End the session: release the card's lock (idempotent). */
  close(): void {
    this.#lock.release();
  }
}
