/**
 * Counters as staff × opening minutes ÷ minutes per hand-over (counter-capacity.ts, issue 9 item 2):
 * the weekday capacity, the weekend factor, the minimum staff of the smallest municipality, the model
 * never handing over more than that in a municipality, and bad `counters:` values as one message.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dayOfWeek, parseIsoDate } from "../../engine/calendar.js";
import { InputError } from "../../engine/errors.js";
import { loadScenario } from "../../scenarios/load-scenario.js";
import { CounterCapacity } from "./counter-capacity.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PLAN = join(ROOT, "scenarios", "plan-87m.yaml");
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

describe("counters: plumbing errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "myna-counters-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const child = (name: string, lines: string[]): string => {
    const file = join(dir, name);
    writeFileSync(file, [`extends: ${PLAN}`, ...lines, ""].join("\n"));
    return file;
  };
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error("expected an InputError");
  };

  it("minutes per hand-over below 1: file:line:column and the field", () => {
    const file = child("minutes.yaml", ["counters:", "  minutesPerHandover: 0.5"]);
    expect(messageOf(() => loadScenario(file))).toMatch(
      new RegExp(`^${file}:3:23: counters\\.minutesPerHandover: `),
    );
  });

  it("a negative staffing value and a staffing schedule out of order", () => {
    const neg = child("neg.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2016-01-01, value: -1 }",
    ]);
    expect(messageOf(() => loadScenario(neg))).toMatch(
      new RegExp(`^${neg}:4:.*counters\\.staffPerHundredThousand\\[0\\]\\.value: `),
    );
    const order = child("order.yaml", [
      "counters:",
      "  staffPerHundredThousand:",
      "    - { from: 2017-01-01, value: 3 }",
      "    - { from: 2016-01-01, value: 4 }",
    ]);
    expect(messageOf(() => loadScenario(order))).toMatch(
      /counters\.staffPerHundredThousand\[1\]\.from: schedule dates must increase/,
    );
  });

  it("the old per-10,000 rate is an unknown key now", () => {
    const file = child("old.yaml", [
      "counters:",
      "  perTenThousandPerDay:",
      "    - { from: 2016-01-01, value: 8.5 }",
    ]);
    expect(messageOf(() => loadScenario(file))).toMatch(new RegExp(`^${file}:3:.*perTenThousandPerDay`));
  });
});
