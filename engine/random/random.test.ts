import { describe, expect, it } from "vitest";
import { RandomError } from "./errors.js";
import { Random } from "./random.js";
import { chiSquare, moments } from "./_test-support.js";

const N = 200_000;

/** Asserts the sample mean within 5 standard errors and the variance within `varTol` (relative). */
function expectMoments(draw: () => number, mean: number, variance: number, varTol = 0.03, n = N): void {
  const m = moments(draw, n);
  expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(5 * Math.sqrt(variance / n));
  expect(Math.abs(m.variance - variance)).toBeLessThanOrEqual(varTol * variance);
}

function expectRandomError(f: () => unknown, fragment: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RandomError);
  expect((caught as RandomError).code).toBe("E_RANDOM");
  expect((caught as RandomError).message).toContain(fragment);
}

describe("xoshiro128** core", () => {
  it("matches the reference implementation from state {1, 2, 3, 4}", () => {
    const r = Random.fromState({ s: [1, 2, 3, 4], spare: null });
    const out = Array.from({ length: 6 }, () => r.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it("next() combines two 32-bit outputs into 53 bits (inlined generator matches nextUint32)", () => {
    const a = new Random(99);
    const b = a.clone();
    for (let i = 0; i < 1000; i++) {
      const expected = ((b.nextUint32() >>> 5) * 67108864 + (b.nextUint32() >>> 6)) / 2 ** 53;
      if (a.next() !== expected) throw new Error(`mismatch at draw ${i}`);
    }
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("next() is in [0, 1) on the 2^-53 grid", () => {
    const r = new Random(1);
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 53))) bad++;
    }
    expect(bad).toBe(0);
  });

  it("is deterministic for a seed, and different seeds differ", () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(sa);
    expect(new Random(7n).next()).toBe(new Random(7).next());
  });

  it("getState / fromState / clone resume exactly, including the cached normal", () => {
    const a = new Random(9);
    a.standardNormal(); // leaves a spare
    const state = structuredClone(a.getState());
    expect(state.spare).not.toBeNull();
    const b = Random.fromState(state);
    const c = a.clone();
    const seq = Array.from({ length: 50 }, () => a.normal());
    expect(Array.from({ length: 50 }, () => b.normal())).toEqual(seq);
    expect(Array.from({ length: 50 }, () => c.normal())).toEqual(seq);
    expect(JSON.parse(JSON.stringify(a.getState()))).toEqual(a.getState());
  });

  it("rejects bad seeds and states", () => {
    for (const s of [-1, 1.5, 2 ** 53, NaN, Infinity, -1n, 2n ** 64n])
      expectRandomError(() => new Random(s), "seed");
    expectRandomError(() => Random.fromState({ s: [0, 0, 0, 0], spare: null }), "not all zero");
    expectRandomError(() => Random.fromState({ s: [1, 2, 3, 2 ** 32], spare: null }), "state.s");
    expectRandomError(
      () => Random.fromState({ s: [1, 2, 3] as unknown as [number, number, number, number], spare: null }),
      "state.s",
    );
    expectRandomError(() => Random.fromState({ s: [1, 2, 3, 4], spare: NaN }), "state.spare");
  });
});

describe("integers", () => {
  it("int(n) is uniform (χ²) and in range", () => {
    const r = new Random(11);
    const counts = new Float64Array(10);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]!++;
    const { stat, critical } = chiSquare(counts, new Float64Array(10).fill(0.1));
    expect(stat).toBeLessThan(critical);
  });

  it("int(n) works above 2^32 and at 2^53", () => {
    const r = new Random(12);
    const n = 3 * 2 ** 40 + 7;
    expectMoments(() => r.int(n), (n - 1) / 2, (n * n - 1) / 12, 0.03, 50_000);
    let bad = 0;
    for (let i = 0; i < 1000; i++) {
      const k = r.int(2 ** 53);
      if (!(Number.isSafeInteger(k) && k >= 0)) bad++;
    }
    expect(bad).toBe(0);
    expect(r.int(1)).toBe(0);
  });

  it("intBetween includes both ends", () => {
    const r = new Random(13);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.intBetween(-2, 2));
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2]);
  });

  it("validates integer arguments", () => {
    const r = new Random(1);
    for (const n of [0, -3, 2.5, NaN, 2 ** 53 + 2]) expectRandomError(() => r.int(n), "int: n must be");
    expectRandomError(() => r.intBetween(3, 1), "intBetween");
    expectRandomError(() => r.pick([]), "pick: array must be non-empty");
  });

  it("shuffle permutes and pick chooses", () => {
    const r = new Random(14);
    const a = Array.from({ length: 50 }, (_, i) => i);
    const s = r.shuffle([...a]);
    expect(s).not.toEqual(a);
    expect([...s].sort((x, y) => x - y)).toEqual(a);
    expect(a).toContain(r.pick(a));
  });
});

describe("continuous distributions: moments", () => {
  const r = new Random(2024);
  it("uniform(a, b)", () => expectMoments(() => r.uniform(-2, 6), 2, 64 / 12));
  it("exponential(mean) and exponentialRate(rate)", () => {
    expectMoments(() => r.exponential(90), 90, 8100, 0.05);
    expectMoments(() => r.exponentialRate(4), 0.25, 1 / 16, 0.05);
  });
  it("normal(mean, sd) and standardNormal", () => {
    expectMoments(() => r.normal(10, 3), 10, 9);
    expectMoments(() => r.standardNormal(), 0, 1);
    expect(r.normal(5, 0)).toBe(5);
  });
  it("lognormal(mu, sigma)", () => {
    const mu = 1;
    const s = 0.5;
    const mean = Math.exp(mu + (s * s) / 2);
    expectMoments(() => r.lognormal(mu, s), mean, (Math.exp(s * s) - 1) * mean * mean, 0.06);
  });
  it("lognormalMeanSd(mean, sd)", () => expectMoments(() => r.lognormalMeanSd(6, 2), 6, 4, 0.06));
  it("gamma(shape, scale), shape ≥ 1 and < 1", () => {
    expectMoments(() => r.gamma(2.5, 2), 5, 10, 0.05);
    expectMoments(() => r.gamma(0.4, 3), 1.2, 3.6, 0.08);
    expectMoments(() => r.gamma(1), 1, 1, 0.05);
  });
  it("weibull(shape, scale)", () => {
    // k = 2, λ = 1: mean Γ(1.5) = √π/2, variance 1 − π/4
    expectMoments(() => r.weibull(2, 1), Math.sqrt(Math.PI) / 2, 1 - Math.PI / 4);
  });
  it("triangular(min, mode, max)", () => {
    const [a, c, b] = [1, 2, 6];
    expectMoments(
      () => r.triangular(a, c, b),
      (a + b + c) / 3,
      (a * a + b * b + c * c - a * b - a * c - b * c) / 18,
    );
    expect(r.triangular(0, 0, 1)).toBeGreaterThanOrEqual(0);
  });
});

describe("discrete distributions: moments", () => {
  const r = new Random(77);
  it("geometric(p) counts trials to the first success", () => {
    expectMoments(() => r.geometric(0.2), 5, 0.8 / 0.04, 0.05);
    expectMoments(() => r.geometric(1e-6), 1e6, (1 - 1e-6) / 1e-12, 0.05);
    expect(r.geometric(1)).toBe(1);
  });
  it("geometric matches its pmf (χ²)", () => {
    const p = 0.3;
    const counts = new Float64Array(40);
    for (let i = 0; i < 50_000; i++) counts[Math.min(39, r.geometric(p) - 1)]!++;
    const probs = Array.from({ length: 39 }, (_, k) => p * (1 - p) ** k);
    const { stat, critical } = chiSquare(counts, probs);
    expect(stat).toBeLessThan(critical);
  });
  it("bernoulli(p)", () => {
    expectMoments(() => (r.bernoulli(0.3) ? 1 : 0), 0.3, 0.21);
    expect(r.bernoulli(0)).toBe(false);
    expect(r.bernoulli(1)).toBe(true);
  });
});

describe("parameter validation", () => {
  const r = new Random(5);
  it.each([
    ["uniform", () => r.uniform(NaN, 1), "uniform: a must be a finite number"],
    ["uniform", () => r.uniform(2, 1), "uniform: b must be ≥ a"],
    ["exponential", () => r.exponential(0), "exponential: mean must be a finite number > 0"],
    ["exponential", () => r.exponential(NaN), "exponential: mean"],
    ["exponentialRate", () => r.exponentialRate(-1), "exponentialRate: rate"],
    ["normal", () => r.normal(0, -1), "normal: sd must be a finite number ≥ 0"],
    ["normal", () => r.normal(Infinity, 1), "normal: mean"],
    ["lognormal", () => r.lognormal(0, NaN), "lognormal: sigma"],
    ["lognormalMeanSd", () => r.lognormalMeanSd(-1, 1), "lognormalMeanSd: mean"],
    ["lognormalMeanSd", () => r.lognormalMeanSd(1, -1), "lognormalMeanSd: sd"],
    ["gamma", () => r.gamma(0), "gamma: shape"],
    ["gamma", () => r.gamma(1, -2), "gamma: scale"],
    ["weibull", () => r.weibull(1, 0), "weibull: scale"],
    ["triangular", () => r.triangular(0, 2, 1), "triangular"],
    ["geometric", () => r.geometric(0), "geometric: p must be a probability in (0, 1]"],
    ["geometric", () => r.geometric(1.5), "geometric: p"],
    ["bernoulli", () => r.bernoulli(NaN), "bernoulli: p must be a probability in [0, 1]"],
  ])("%s rejects bad parameters", (_name, f, fragment) => expectRandomError(f, fragment));
});
