/**
 * Portal sessions (session-store.ts): 32 random bytes per token, only the token's hash kept, expiry
 * after the TTL, a bounded store that refuses (429) rather than evicts, and malformed or unknown
 * Authorization headers refused as `unauthorized` without touching any session.
 */
import { describe, expect, it } from "vitest";
import { ServiceError } from "../services/errors.js";
import { SESSION_TOKEN_CHARS, SessionStore } from "./session-store.js";

const CODE = "a".repeat(64);

function refusal(f: () => unknown): ServiceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return e as ServiceError;
  }
  throw new Error("expected a refusal");
}

describe("portal session store", () => {
  it("opens sessions with distinct 32-byte tokens and finds them by Bearer header", () => {
    const s = new SessionStore({ ttlMs: 1000, maxSessions: 10, now: () => 0 });
    const a = s.open(CODE, "0A");
    const b = s.open("b".repeat(64), "0B");
    expect(a.token).toHaveLength(SESSION_TOKEN_CHARS);
    expect(Buffer.from(a.token, "base64url")).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(s.authenticate(`Bearer ${a.token}`)).toMatchObject({
      portalCode: CODE,
      serial: "0A",
      expiresAt: 1000,
    });
    expect(s.authenticate(`Bearer ${b.token}`).portalCode).toBe("b".repeat(64));
    // the tag names a session in logs and is not the token
    expect(a.token).not.toContain(s.authenticate(`Bearer ${a.token}`).tag);
  });

  it("refuses missing, malformed, unknown and expired tokens as unauthorized", () => {
    let now = 0;
    const s = new SessionStore({ ttlMs: 1000, maxSessions: 10, now: () => now });
    const { token } = s.open(CODE, "0A");
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    for (const h of [
      undefined,
      "",
      token,
      `bearer ${token}`,
      `Bearer ${token} x`,
      `Bearer ${token}=`,
      `Bearer ${flipped}`,
      `Bearer ${token.slice(1)}`,
    ]) {
      const e = refusal(() => s.authenticate(h));
      expect(e.errorCode, String(h)).toBe("unauthorized");
      expect(e.status).toBe(401);
      expect(e.headers["www-authenticate"]).toMatch(/^Bearer realm="myna-portal"/);
    }
    now = 999;
    expect(s.authenticate(`Bearer ${token}`).serial).toBe("0A");
    now = 1000;
    expect(refusal(() => s.authenticate(`Bearer ${token}`)).message).toMatch(/expired/);
  });

  it("holds at most maxSessions live sessions: refuses the next with 429, frees expired ones", () => {
    let now = 0;
    const s = new SessionStore({ ttlMs: 100, maxSessions: 3, now: () => now });
    const tokens = [0, 1, 2].map(() => s.open(CODE, "0A").token);
    const e = refusal(() => s.open(CODE, "0A"));
    expect(e.errorCode).toBe("overloaded");
    expect(e.headers["retry-after"]).toBe("1");
    // nobody was evicted
    for (const t of tokens) expect(s.authenticate(`Bearer ${t}`).portalCode).toBe(CODE);
    now = 100;
    expect(s.open(CODE, "0A").token).toHaveLength(SESSION_TOKEN_CHARS);
    expect(s.size).toBe(1);
  });

  it("refuses nonsensical options", () => {
    expect(() => new SessionStore({ ttlMs: 0, maxSessions: 1 })).toThrow(RangeError);
    expect(() => new SessionStore({ ttlMs: 1, maxSessions: 0.5 })).toThrow(RangeError);
  });
});
