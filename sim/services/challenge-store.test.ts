import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { CHALLENGE_BYTES, ChallengeStore } from "./challenge-store.js";
import { ServiceError } from "./errors.js";

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof ServiceError ? e.errorCode : "not a ServiceError";
  }
  return undefined;
};

describe("ChallengeStore", () => {
  it("a challenge is taken once: its bytes, then challenge_used; unknown ids are unknown_challenge", () => {
    const s = new ChallengeStore({ ttlMs: 1000, maxOutstanding: 10, now: () => 0 });
    const c = s.issue();
    expect(c.challenge).toHaveLength(CHALLENGE_BYTES);
    expect(c.expiresAt).toBe(1000);
    expect(s.take(c.challengeId)).toEqual(c.challenge);
    expect(codeOf(() => s.take(c.challengeId))).toBe("challenge_used");
    expect(codeOf(() => s.take("never-issued"))).toBe("unknown_challenge");
  });

  it("the bytes handed out are copies: changing them changes nothing in the store", () => {
    const s = new ChallengeStore({ ttlMs: 1000, maxOutstanding: 10, now: () => 0 });
    const c = s.issue();
    const kept = Uint8Array.from(c.challenge);
    c.challenge.fill(0);
    const taken = s.take(c.challengeId);
    expect(taken).toEqual(kept);
    taken.fill(1);
    expect(codeOf(() => s.take(c.challengeId))).toBe("challenge_used");
  });

  it("expires after ttlMs; a sweep forgets expired ids and their slots serve new challenges", () => {
    let now = 0;
    const s = new ChallengeStore({ ttlMs: 100, maxOutstanding: 3, now: () => now });
    const old = [s.issue(), s.issue(), s.issue()];
    expect(codeOf(() => s.issue())).toBe("overloaded");
    now = 100;
    expect(codeOf(() => s.take(old[0]!.challengeId))).toBe("unknown_challenge");
    const fresh = [s.issue(), s.issue(), s.issue()]; // the issue sweeps the three expired ids first
    expect(s.size).toBe(3);
    for (const o of old) expect(codeOf(() => s.take(o.challengeId))).toBe("unknown_challenge");
    for (const f of fresh) expect(s.take(f.challengeId)).toEqual(f.challenge);
    expect(s.issued).toBe(6);
  });

  it("grows past its first slots and keeps every challenge's bytes (property, mulberry32 seed 7)", () => {
    const rnd = mulberry32(7);
    let now = 0;
    const s = new ChallengeStore({ ttlMs: 50, maxOutstanding: 5000, now: () => now });
    const open = new Map<string, Uint8Array>();
    const issuedAt = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      now += randomInt(rnd, 3) === 0 ? 1 : 0;
      const op = randomInt(rnd, 3);
      if (op < 2 && s.size < 5000) {
        const c = s.issue();
        open.set(c.challengeId, Uint8Array.from(c.challenge));
        issuedAt.set(c.challengeId, now);
      } else if (open.size > 0) {
        const skip = randomInt(rnd, Math.min(open.size, 64));
        let id = "";
        let k = 0;
        for (const key of open.keys())
          if (k++ === skip) {
            id = key;
            break;
          }
        if (now < issuedAt.get(id)! + 50) expect(s.take(id)).toEqual(open.get(id));
        else expect(codeOf(() => s.take(id))).toBe("unknown_challenge");
        open.delete(id);
      }
    }
    expect(s.issued).toBeGreaterThan(1024);
  });
});
