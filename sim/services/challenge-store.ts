/**
 * One-time authentication challenges (DESIGN.md §5 contract: "a challenge is good for one verify,
 * successful or not"): 32 random bytes (node:crypto) under a random 128-bit id, valid for `ttlMs`.
 * Taking a challenge marks it used until it would have expired, so a replay is told
 * `challenge_used` rather than `unknown_challenge`; after that the id is forgotten and is unknown.
 * The store is bounded: at most `maxOutstanding` ids (open and used) exist at once; beyond that a
 * new challenge is refused with 429 like any other overload.
 * @module
 */
import { randomBytes } from "node:crypto";
import { ServiceError } from "./errors.js";

/** Bytes of a challenge (contract: 32). */
export const CHALLENGE_BYTES = 32;

interface Entry {
  readonly challenge: Uint8Array;
  readonly expiresAt: number;
  used: boolean;
}

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

export class ChallengeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  #issued = 0;

  constructor(readonly options: ChallengeStoreOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Ids held now (open and used, not yet swept). */
  get size(): number {
    return this.#entries.size;
  }

  get issued(): number {
    return this.#issued;
  }

  /** Drops every id past its expiry (Map order is insertion order, so expiry order for one TTL). */
  sweep(): void {
    const now = this.#now();
    for (const [id, e] of this.#entries) {
      if (e.expiresAt > now) break;
      this.#entries.delete(id);
    }
  }

  /** A fresh challenge. @throws ServiceError overloaded when the store is full */
  issue(): IssuedChallenge {
    this.sweep();
    if (this.#entries.size >= this.options.maxOutstanding)
      throw new ServiceError(
        "overloaded",
        `too many outstanding challenges (${this.options.maxOutstanding}); retry after 1 s`,
        { headers: { "retry-after": "1" } },
      );
    const challengeId = randomBytes(16).toString("base64url");
    const challenge = new Uint8Array(randomBytes(CHALLENGE_BYTES));
    const expiresAt = this.#now() + this.options.ttlMs;
    this.#entries.set(challengeId, { challenge, expiresAt, used: false });
    this.#issued++;
    return { challengeId, challenge, expiresAt };
  }

  /**
   * The challenge bytes of `id`, marked used from now on.
   * @throws ServiceError unknown_challenge (never issued, forgotten or expired) or challenge_used
   */
  take(id: string): Uint8Array {
    const e = this.#entries.get(id);
    const shown = JSON.stringify(id.slice(0, 40));
    if (e === undefined)
      throw new ServiceError(
        "unknown_challenge",
        `challengeId ${shown} was not issued here or has been forgotten`,
      );
    if (e.expiresAt <= this.#now())
      throw new ServiceError(
        "unknown_challenge",
        `challengeId ${shown} expired at ${new Date(e.expiresAt).toISOString()}; ask for a new challenge`,
      );
    if (e.used) throw new ServiceError("challenge_used", `challengeId ${shown} has already been used once`);
    e.used = true;
    return e.challenge;
  }
}
