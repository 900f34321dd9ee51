import { describe, expect, it } from "vitest";
import { AUTH_PIN_TRIES, lockoutFlow, lockoutProbability } from "./lockouts.js";

const p = { firstErrorRate: 0.02, repeatErrorRate: 0.25, counterVisitShare: 0.8, meanDaysToVisit: 7 };

describe("PIN lockouts and counter visits", () => {
  it("locks after three wrong entries in a row (FACTS §1.5)", () => {
    expect(AUTH_PIN_TRIES).toBe(3);
    expect(lockoutProbability(p)).toBeCloseTo(0.02 * 0.25 * 0.25, 15);
  });

  it("every locked-out holder who goes to the counter arrives there, later", () => {
    const pin = new Float64Array(400);
    pin.fill(1_000_000, 0, 30);
    const f = lockoutFlow(pin, p);
    const lockouts = f.lockouts.reduce((a, b) => a + b, 0);
    const visits = f.counterVisits.reduce((a, b) => a + b, 0);
    expect(lockouts).toBeCloseTo(30 * 1_000_000 * lockoutProbability(p), 6);
    expect(visits / (lockouts * p.counterVisitShare)).toBeCloseTo(1, 6);
    expect(f.counterVisits[0]).toBe(0); // nobody visits on the day of the lockout
    expect(f.counterVisits[35]!).toBeGreaterThan(0); // after the PIN days end, visits go on
  });

  it("no PIN entries, no lockouts", () => {
    const f = lockoutFlow(new Float64Array(10), p);
    expect(f.lockouts.every((x) => x === 0) && f.counterVisits.every((x) => x === 0)).toBe(true);
  });
});
