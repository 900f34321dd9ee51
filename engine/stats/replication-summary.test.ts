import { describe, expect, it } from "vitest";
import { Random } from "../random/random.js";
import { StatsError } from "./errors.js";
import { ReplicationSummary } from "./replication-summary.js";
import { studentTQuantile } from "./student-t.js";

describe("ReplicationSummary", () => {
  it("computes mean, sd and the Student-t half-width", () => {
    const s = new ReplicationSummary([1, 2, 3, 4, 5]);
    expect(s.count).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(s.standardError).toBeCloseTo(Math.sqrt(0.5), 14);
    const ci = s.confidenceInterval(0.95);
    expect(ci.halfWidth).toBeCloseTo(2.77644510519779 * Math.sqrt(0.5), 12);
    expect(ci.lower).toBeCloseTo(3 - ci.halfWidth, 14);
    expect(ci.upper).toBeCloseTo(3 + ci.halfWidth, 14);
    expect(s.halfWidth(0.99)).toBeCloseTo(4.60409487134999 * Math.sqrt(0.5), 11);
    expect(s.relativeHalfWidth()).toBeCloseTo(ci.halfWidth / 3, 14);
  });

  it("is NaN below two replications", () => {
    const s = new ReplicationSummary([4]);
    expect(s.halfWidth()).toBeNaN();
    expect(s.confidenceInterval().lower).toBeNaN();
    expect(new ReplicationSummary().mean).toBeNaN();
  });

  it("95 % intervals cover the true mean about 95 % of the time", () => {
    const r = new Random(61);
    const trials = 4000;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const s = new ReplicationSummary();
      for (let i = 0; i < 5; i++) s.add(r.normal(10, 2));
      const ci = s.confidenceInterval(0.95);
      if (ci.lower <= 10 && 10 <= ci.upper) covered++;
    }
    const rate = covered / trials;
    expect(Math.abs(rate - 0.95)).toBeLessThan(5 * Math.sqrt((0.95 * 0.05) / trials));
  });

  it("estimates replications needed for a relative precision (Law §9.4.1)", () => {
    const s = new ReplicationSummary([98, 103, 101, 95, 104, 99, 100, 102, 97, 101]);
    const n = s.replicationsNeeded(0.005);
    const target = (0.005 / 1.005) * s.mean;
    const hw = (i: number): number => studentTQuantile(0.975, i - 1) * Math.sqrt((s.sd * s.sd) / i);
    expect(n).toBeGreaterThan(10);
    expect(hw(n)).toBeLessThanOrEqual(target); // the criterion holds at n …
    expect(hw(n - 1)).toBeGreaterThan(target); // … and not one replication earlier
    expect(s.replicationsNeeded(0.5)).toBe(10);
    expect(new ReplicationSummary([-1, 1]).replicationsNeeded(0.1)).toBe(Infinity);
  });

  it("merges and round-trips through its plain-data form", () => {
    const a = new ReplicationSummary([1, 2, 3]);
    const b = new ReplicationSummary([4, 5]);
    a.merge(b);
    expect(a.mean).toBe(3);
    expect(a.count).toBe(5);
    const back = ReplicationSummary.fromJSON(structuredClone(a.toJSON()));
    expect(back.halfWidth()).toBe(a.halfWidth());
  });

  it("validates its arguments", () => {
    const s = new ReplicationSummary([1, 2]);
    expect(() => s.add(NaN)).toThrow("ReplicationSummary.add: x must be a finite number, got NaN");
    expect(() => s.halfWidth(1)).toThrow("ReplicationSummary.halfWidth: level must be in (0, 1), got 1");
    expect(() => s.confidenceInterval(0)).toThrow(StatsError);
    expect(() => s.replicationsNeeded(0)).toThrow(/relativeError must be in \(0, 1\)/);
    expect(() => new ReplicationSummary([1]).replicationsNeeded(0.1)).toThrow(
      /needs at least 2 replications, got 1/,
    );
    expect(() => new ReplicationSummary([1, Infinity])).toThrow(StatsError);
  });
});
