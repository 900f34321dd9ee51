import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.js";
import { predictServiceLatency } from "./predictor.js";

// Exponential service with mean 1 ms as 4,000 stratified samples.
const samples = Array.from({ length: 4000 }, (_, i) => -Math.log(1 - (i + 0.5) / 4000));

describe("predictServiceLatency", () => {
  it("matches M/M/1: sojourn ~ Exp(μ − λ), so p50 = ln 2/(μ−λ), p99 = ln 100/(μ−λ)", () => {
    const r = predictServiceLatency({
      arrivalRatePerS: 600,
      workers: 1,
      serviceTimeSamplesMs: samples,
      durationS: 400,
      seed: 1,
    });
    const rate = 1 - 0.6; // per ms
    expect(Math.abs(r.p50Ms - Math.LN2 / rate) / (Math.LN2 / rate)).toBeLessThan(0.08);
    expect(Math.abs(r.p99Ms - Math.log(100) / rate) / (Math.log(100) / rate)).toBeLessThan(0.08);
    expect(Math.abs(r.utilisation - 0.6)).toBeLessThan(0.02);
  });

  it("more workers, lower p99; same seed, same answer", () => {
    const a = predictServiceLatency({
      arrivalRatePerS: 1500,
      workers: 2,
      serviceTimeSamplesMs: samples,
      durationS: 60,
      seed: 4,
    });
    const b = predictServiceLatency({
      arrivalRatePerS: 1500,
      workers: 4,
      serviceTimeSamplesMs: samples,
      durationS: 60,
      seed: 4,
    });
    expect(b.p99Ms).toBeLessThan(a.p99Ms);
    expect(
      predictServiceLatency({
        arrivalRatePerS: 1500,
        workers: 2,
        serviceTimeSamplesMs: samples,
        durationS: 60,
        seed: 4,
      }),
    ).toEqual(a);
  });

  it("refuses bad input with a typed error", () => {
    const ok = { arrivalRatePerS: 10, workers: 1, serviceTimeSamplesMs: [1], durationS: 1, seed: 1 };
    for (const bad of [
      { ...ok, arrivalRatePerS: 0 },
      { ...ok, workers: 0 },
      { ...ok, workers: 1.5 },
      { ...ok, durationS: Number.NaN },
      { ...ok, serviceTimeSamplesMs: [] },
      { ...ok, serviceTimeSamplesMs: [-1] },
    ])
      expect(() => predictServiceLatency(bad)).toThrow(InputError);
  });
});
