import { describe, expect, it } from "vitest";
import { holdCallback, holdProcess, holdSchedule, mm1 } from "./des-models.js";

describe("DES benchmark models", () => {
  it("hold model with processes creates exactly `total` timeouts and stops", () => {
    const r = holdProcess(10, 1000, 42);
    expect(r.count).toBe(1000);
    // every timeout is processed, plus each process's start and end events
    expect(r.events).toBeGreaterThanOrEqual(1000);
  });

  it("hold model with timeout callbacks builds exactly `total` timeouts after the first ones", () => {
    const r = holdCallback(10, 1000, 42);
    expect(r.count).toBe(1000);
    expect(r.events).toBe(1010);
  });

  it("hold model on the bare-callback path schedules exactly `total` callbacks after the first ones", () => {
    const r = holdSchedule(10, 1000, 42);
    expect(r.count).toBe(1000);
    expect(r.events).toBe(1010);
  });

  it("M/M/1 serves every customer, deterministically for a seed", () => {
    const a = mm1(500, 7);
    expect(a.count).toBe(500);
    expect(mm1(500, 7)).toEqual(a);
  });
});
