/**
 * Myna Portal sessions (issue 12 item 6): after a JPKI log-in the portal hands the person a bearer
 * token — 32 random bytes (node:crypto), base64url — good for `ttlMs`. The store keeps only the
 * token's SHA-256 (a leaked store does not hand out sessions), looks a presented token up by that
 * hash and compares the stored hash with `timingSafeEqual`, so no comparison leaks how much of a
 * guessed token was right. Bounded: at most `maxSessions` live sessions; beyond that a log-in is
 * refused with 429 like any other overload, never by evicting someone else's session.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { InstitutionCode } from "../network/institution-codes.js";
import { ServiceError } from "../services/errors.js";

/** Random bytes in a session token. */
export const SESSION_TOKEN_BYTES = 32;
/** Characters of a token as handed out (base64url of 32 bytes, no padding). */
export const SESSION_TOKEN_CHARS = 43;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface Entry {
  readonly hash: Buffer;
  readonly portalCode: InstitutionCode;
  readonly serial: string;
  readonly expiresAt: number;
}

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  readonly ttlMs: number;
  readonly maxSessions: number;
  /** Clock (epoch ms); tests pass their own. */
  readonly now?: () => number;
}

/** A live session as the routes see it. */
export interface PortalSession {
  /** The person's code at the portal institution (never the My Number). */
  readonly portalCode: InstitutionCode;
  /** Serial (hex) of the authentication certificate the person logged in with. */
  readonly serial: string;
  readonly expiresAt: number;
  /** First 8 hex digits of the token's hash: names the session in log lines without revealing it. */
  readonly tag: string;
}

const sha = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

export class SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(readonly options: SessionStoreOptions) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs < 1)
      throw new RangeError(`session ttlMs: expected a positive integer, got ${options.ttlMs}`);
    if (!Number.isSafeInteger(options.maxSessions) || options.maxSessions < 1)
      throw new RangeError(`session maxSessions: expected a positive integer, got ${options.maxSessions}`);
    this.#now = options.now ?? Date.now;
  }

  /** Live sessions held (expired ones go on the next sweep). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops expired sessions (insertion order is expiry order for one TTL). */
  sweep(): void {
    const now = this.#now();
    for (const [key, e] of this.#entries) {
      if (e.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }

  /**
   * Opens a session for the person named by `portalCode`.
   * @throws ServiceError overloaded when {@link SessionStoreOptions.maxSessions} are live
   */
  open(portalCode: InstitutionCode, serial: string): { token: string; expiresAt: number } {
    this.sweep();
    if (this.#entries.size >= this.options.maxSessions)
      throw new ServiceError(
        "overloaded",
        `too many portal sessions (${this.options.maxSessions}); retry after 1 s`,
        { headers: { "retry-after": "1" } },
      );
    const token = randomBytes(SESSION_TOKEN_BYTES).toString("base64url");
    const hash = sha(token);
    const expiresAt = this.#now() + this.options.ttlMs;
    this.#entries.set(hash.toString("hex"), { hash, portalCode, serial, expiresAt });
    return { token, expiresAt };
  }

  /**
   * The session of an `Authorization` header value (`Bearer TOKEN`).
   * @throws ServiceError unauthorized for a missing, malformed, unknown or expired token
   */
  authenticate(header: string | undefined): PortalSession {
    if (header === undefined || header === "")
      throw new ServiceError(
        "unauthorized",
        "Authorization: expected Bearer TOKEN (log in with myna-twin portal login)",
        { headers: { "www-authenticate": 'Bearer realm="myna-portal"' } },
      );
    const m = /^Bearer ([^\s]+)$/.exec(header);
    if (!m || !TOKEN.test(m[1]!))
      throw new ServiceError(
        "unauthorized",
        `Authorization: expected Bearer and a ${SESSION_TOKEN_CHARS}-character base64url token`,
        { headers: { "www-authenticate": 'Bearer realm="myna-portal", error="invalid_token"' } },
      );
    const hash = sha(m[1]!);
    const e = this.#entries.get(hash.toString("hex"));
    if (e === undefined || !timingSafeEqual(e.hash, hash) || e.expiresAt <= this.#now())
      throw new ServiceError("unauthorized", "session unknown or expired; log in again", {
        headers: { "www-authenticate": 'Bearer realm="myna-portal", error="invalid_token"' },
      });
    return {
      portalCode: e.portalCode,
      serial: e.serial,
      expiresAt: e.expiresAt,
      tag: hash.toString("hex").slice(0, 8),
    };
  }
}
