import { describe, expect, it } from "vitest";
import { RandomError } from "./errors.js";
import { add64, fnv1a64, fromBigInt, mix64, mul64, splitmix64, toBigInt, xor64 } from "./_hash64.js";
import { Random } from "./random.js";
import { RandomStreams, STREAM_DERIVATION } from "./random-streams.js";

const M64 = (1n << 64n) - 1n;

function refMix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** The stream derivation written out in BigInt arithmetic, as documented in random-streams.ts. */
function refWords(seed: bigint, name: string, index: bigint): number[] {
  const G = 0x9e3779b97f4a7c15n;
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < name.length; i++) h = ((h ^ BigInt(name.charCodeAt(i))) * 0x100000001b3n) & M64;
  const key = refMix64((seed + G) & M64);
  let k = refMix64(key ^ h);
  k = refMix64((k + (index + 1n) * G) & M64);
  const a = refMix64((k + G) & M64);
  const b = refMix64((k + 2n * G) & M64);
  return [a >> 32n, a & 0xffffffffn, b >> 32n, b & 0xffffffffn].map(Number);
}

function take(r: Random, n = 64): number[] {
  return Array.from({ length: n }, () => r.nextUint32());
}

function correlation(a: Random, b: Random, n = 100_000): number {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = a.next();
    const y = b.next();
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const cov = sxy / n - (sx / n) * (sy / n);
  return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
}

describe("64-bit hashing on 32-bit halves", () => {
  it("agrees with BigInt arithmetic", () => {
    const r = new Random(3);
    for (let i = 0; i < 2000; i++) {
      const a = fromBigInt((BigInt(r.nextUint32()) << 32n) | BigInt(r.nextUint32()));
      const b = fromBigInt((BigInt(r.nextUint32()) << 32n) | BigInt(r.nextUint32()));
      const A = toBigInt(a);
      const B = toBigInt(b);
      expect(toBigInt(mul64(a, b))).toBe((A * B) & M64);
      expect(toBigInt(add64(a, b))).toBe((A + B) & M64);
      expect(toBigInt(xor64(a, b))).toBe(A ^ B);
      expect(toBigInt(mix64(a))).toBe(refMix64(A));
    }
  });

  it("reproduces published SplitMix64 and FNV-1a 64 vectors", () => {
    expect(toBigInt(splitmix64([0, 0]))).toBe(0xe220a8397b1dcdafn);
    expect(toBigInt(fnv1a64(""))).toBe(0xcbf29ce484222325n);
    expect(toBigInt(fnv1a64("a"))).toBe(0xaf63dc4c8601ec8cn);
    expect(toBigInt(fnv1a64("foobar"))).toBe(0x85944171f73967e8n);
  });
});

describe("RandomStreams", () => {
  it("same (seed, name, index) gives the same sequence; anything else differs", () => {
    const s = new RandomStreams(42);
    const base = take(s.stream("issuance.demand", 3));
    expect(take(new RandomStreams(42).stream("issuance.demand", 3))).toEqual(base);
    expect(take(s.stream("issuance.demand", 3))).toEqual(base);
    expect(take(s.stream("issuance.demand", 4))).not.toEqual(base);
    expect(take(s.stream("issuance.demand2", 3))).not.toEqual(base);
    expect(take(s.stream("issuance.Demand", 3))).not.toEqual(base);
    expect(take(new RandomStreams(43).stream("issuance.demand", 3))).not.toEqual(base);
    expect(take(new RandomStreams(42n).stream("issuance.demand", 3))).toEqual(base);
  });

  it("a stream does not depend on which other streams exist or were used first", () => {
    const s1 = new RandomStreams(7);
    const a1 = s1.stream("a");
    take(a1, 1000);
    const b1 = take(s1.stream("b"));
    const s2 = new RandomStreams(7);
    const b2 = take(s2.stream("b"));
    expect(b2).toEqual(b1);
  });

  it("is pinned: the derivation of a known stream never changes silently", () => {
    expect(STREAM_DERIVATION).toBe("xoshiro128**/splitmix64+fnv1a64 v1");
    const s = new RandomStreams(20160101);
    expect(s.words("issuance.demand", 0)).toEqual(refWords(20160101n, "issuance.demand", 0n));
    expect(s.words("x", 2 ** 40)).toEqual(refWords(20160101n, "x", 2n ** 40n));
    expect(new RandomStreams(2n ** 64n - 1n).words("é☃", 9)).toEqual(refWords(2n ** 64n - 1n, "é☃", 9n));
    expect(take(s.stream("issuance.demand", 0), 4)).toMatchInlineSnapshot(`
      [
        4069720893,
        996798504,
        3036332862,
        716262613,
      ]
    `);
  });

  it("streams are uncorrelated across names, indices and adjacent seeds", () => {
    const lim = 5 / Math.sqrt(100_000);
    const s = new RandomStreams(1);
    expect(Math.abs(correlation(s.stream("x", 0), s.stream("x", 1)))).toBeLessThan(lim);
    expect(Math.abs(correlation(s.stream("x", 0), s.stream("y", 0)))).toBeLessThan(lim);
    expect(Math.abs(correlation(s.stream("x"), new RandomStreams(2).stream("x")))).toBeLessThan(lim);
  });

  it("many streams start at distinct states", () => {
    const s = new RandomStreams(0);
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(s.words("m", i).join(","));
    for (let i = 0; i < 1000; i++) seen.add(s.words(`m${i}`).join(","));
    expect(seen.size).toBe(21_000);
  });

  it("a stream survives structured cloning of its state (worker hand-off)", () => {
    const r = new RandomStreams(5).stream("pool");
    take(r, 10);
    const copy = Random.fromState(structuredClone(r.getState()));
    expect(take(copy)).toEqual(take(r));
  });

  it("validates seed, name and index", () => {
    expect(() => new RandomStreams(-1)).toThrow(RandomError);
    expect(() => new RandomStreams(0.5)).toThrow(
      "RandomStreams: seed must be an integer in [0, 2^53), got 0.5",
    );
    const s = new RandomStreams(1);
    expect(() => s.stream("")).toThrow(/stream: name must be a non-empty string/);
    expect(() => s.stream("a", -1)).toThrow(/stream: index must be an integer/);
    expect(() => s.stream("a", 1.5)).toThrow(RandomError);
  });
});
