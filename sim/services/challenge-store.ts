/**
 * One-time authentication challenges (DESIGN.md §5 contract: "a challenge is good for one verify,
 * successful or not"): 32 random bytes (node:crypto) under a random 128-bit id, valid for `ttlMs`.
 * Taking a challenge marks it used until it would have expired, so a replay is told
 * `challenge_used` rather than `unknown_challenge`; after that the id is forgotten and is unknown.
 * The store is bounded: at most `maxOutstanding` ids (open and used) exist at once; beyond that a
 * new challenge is refused with 429 like any other overload.
 *
 * Layout: the id → slot map is the only object per challenge; the bytes, expiry and used flag of a
 * slot live in typed arrays (grown by doubling up to `maxOutstanding`, slots of swept ids reused).
 * A store of 10^5 open challenges is then 10^5 strings for the full GC to mark, not 4 × 10^5
 * objects (entry, Uint8Array, ArrayBuffer, id) — mark-compact pauses of the service's main thread
 * grow with what it must mark.
 * @module
 */
import { randomBytes, randomFillSync } from "node:crypto";
import { ServiceError } from "./errors.js";

/** Bytes of a challenge (contract: 32). */
export const CHALLENGE_BYTES = 32;

/** Options of {@link ChallengeStore}. */
export interface ChallengeStoreOptions {
  readonly ttlMs: number;
  readonly maxOutstanding: number;
  /** Clock (epoch ms); tests pass their own. */
  readonly now?: () => number;
}

/** An issued challenge. */
export interface IssuedChallenge {
  readonly challengeId: string;
  readonly challenge: Uint8Array;
  readonly expiresAt: number;
}

/** Slots a store starts with (it grows by doubling). */
const INITIAL_SLOTS = 1024;

export class ChallengeStore {
  /** id → slot, in issue order (one TTL: expiry order). */
  readonly #slotOf = new Map<string, number>();
  #bytes = new Uint8Array(0);
  #expiresAt = new Float64Array(0);
  #used = new Uint8Array(0);
  /** Slots freed by sweeps, reused first. */
  #free = new Int32Array(0);
  #freeCount = 0;
  /** Slots handed out so far (the rest of the arrays is untouched). */
  #fresh = 0;
  readonly #now: () => number;
  #issued = 0;

  constructor(readonly options: ChallengeStoreOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Ids held now (open and used, not yet swept). */
  get size(): number {
    return this.#slotOf.size;
  }

  get issued(): number {
    return this.#issued;
  }

  /** Drops every id past its expiry (Map order is insertion order, so expiry order for one TTL). */
  sweep(): void {
    const now = this.#now();
    for (const [id, slot] of this.#slotOf) {
      if (this.#expiresAt[slot]! > now) break;
      this.#slotOf.delete(id);
      this.#free[this.#freeCount++] = slot;
    }
  }

  /** A fresh challenge. @throws ServiceError overloaded when the store is full */
  issue(): IssuedChallenge {
    this.sweep();
    if (this.#slotOf.size >= this.options.maxOutstanding)
      throw new ServiceError(
        "overloaded",
        `too many outstanding challenges (${this.options.maxOutstanding}); retry after 1 s`,
        { headers: { "retry-after": "1" } },
      );
    const slot = this.#freeCount > 0 ? this.#free[--this.#freeCount]! : this.#freshSlot();
    const at = slot * CHALLENGE_BYTES;
    randomFillSync(this.#bytes, at, CHALLENGE_BYTES);
    const expiresAt = this.#now() + this.options.ttlMs;
    this.#expiresAt[slot] = expiresAt;
    this.#used[slot] = 0;
    const challengeId = randomBytes(16).toString("base64url");
    this.#slotOf.set(challengeId, slot);
    this.#issued++;
    return { challengeId, challenge: this.#bytes.slice(at, at + CHALLENGE_BYTES), expiresAt };
  }

  /** A never-used slot, growing the arrays when they are full. */
  #freshSlot(): number {
    const cap = this.#expiresAt.length;
    if (this.#fresh === cap) {
      const next = Math.min(Math.max(INITIAL_SLOTS, 2 * cap), this.options.maxOutstanding);
      const bytes = new Uint8Array(next * CHALLENGE_BYTES);
      const expiresAt = new Float64Array(next);
      const used = new Uint8Array(next);
      const free = new Int32Array(next);
      bytes.set(this.#bytes);
      expiresAt.set(this.#expiresAt);
      used.set(this.#used);
      free.set(this.#free);
      [this.#bytes, this.#expiresAt, this.#used, this.#free] = [bytes, expiresAt, used, free];
    }
    return this.#fresh++;
  }

  /**
   * The challenge bytes of `id` (a copy), marked used from now on.
   * @throws ServiceError unknown_challenge (never issued, forgotten or expired) or challenge_used
   */
  take(id: string): Uint8Array {
    const slot = this.#slotOf.get(id);
    const shown = JSON.stringify(id.slice(0, 40));
    if (slot === undefined)
      throw new ServiceError(
        "unknown_challenge",
        `challengeId ${shown} was not issued here or has been forgotten`,
      );
    const expiresAt = this.#expiresAt[slot]!;
    if (expiresAt <= this.#now())
      throw new ServiceError(
        "unknown_challenge",
        `challengeId ${shown} expired at ${new Date(expiresAt).toISOString()}; ask for a new challenge`,
      );
    if (this.#used[slot] === 1)
      throw new ServiceError("challenge_used", `challengeId ${shown} has already been used once`);
    this.#used[slot] = 1;
    const at = slot * CHALLENGE_BYTES;
    return this.#bytes.slice(at, at + CHALLENGE_BYTES);
  }
}
