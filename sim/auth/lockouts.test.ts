import { describe, expect, it } from "vitest";
import { AUTH_PIN_TRIES, LockoutVisits, lockoutFlow, lockoutProbability } from "./lockouts.js";

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

  it("the per-municipality stepper reproduces the national flow exactly, and splits it by cards", () => {
    const pin = Float64Array.from({ length: 120 }, (_, d) => 1_000 * ((d * 37) % 11) + 5_000);
    const f = lockoutFlow(pin, p);
    const one = new LockoutVisits(1, p);
    const two = new LockoutVisits(2, p);
    const out1 = new Float64Array(1);
    const out2 = new Float64Array(2);
    for (let d = 0; d < pin.length; d++) {
      expect(one.visits(out1)).toBe(f.counterVisits[d]);
      expect(one.lockOut([pin[d]!], 1)).toBe(f.lockouts[d]);
      // a quarter of the cards in one municipality, three quarters in the other
      expect(two.visits(out2)).toBeCloseTo(f.counterVisits[d]!, 6);
      expect(out2[1]!).toBeCloseTo(3 * out2[0]!, 6);
      expect(two.lockOut([pin[d]! / 4, (3 * pin[d]!) / 4], 1)).toBeCloseTo(f.lockouts[d]!, 6);
    }
    expect(new LockoutVisits(1, { ...p, firstErrorRate: 0 }).active).toBe(false);
  });
});
