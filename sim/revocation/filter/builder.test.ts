// Tests of the revocation filter builder and query (builder.ts, filter.ts): exact on the universe,
// size against the bound, deltas and chains, and the build's typed errors.
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import {
  FilterChain,
  FilterError,
  RevocationFilter,
  boundBits,
  buildDeltaFilter,
  buildFilter,
  certificateKey,
  optimalFingerprintBits,
  universeOf,
} from "./index.js";

/** n distinct random keys with k of them revoked (fixed seed). */
function makeUniverse(n: number, k: number, seed: number): { keys: Uint32Array; revoked: Uint8Array } {
  const rnd = mulberry32(seed);
  const keys = new Uint32Array(2 * n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    let hi: number;
    let lo: number;
    do {
      hi = randomInt(rnd, 2 ** 32);
      lo = randomInt(rnd, 2 ** 32);
    } while (seen.has(`${hi}:${lo}`));
    seen.add(`${hi}:${lo}`);
    keys[2 * i] = hi;
    keys[2 * i + 1] = lo;
  }
  const revoked = new Uint8Array(n);
  let placed = 0;
  while (placed < k) {
    const i = randomInt(rnd, n);
    if (!revoked[i]) {
      revoked[i] = 1;
      placed++;
    }
  }
  return { keys, revoked };
}

function answers(f: { has(hi: number, lo: number): boolean }, keys: Uint32Array): Uint8Array {
  const out = new Uint8Array(keys.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = f.has(keys[2 * i]!, keys[2 * i + 1]!) ? 1 : 0;
  return out;
}

describe("buildFilter", () => {
  it("answers every universe key exactly (no false positive or negative) at several revocation rates", () => {
    for (const [n, k] of [
      [20_000, 2_000],
      [20_000, 20],
      [5_000, 4_000],
      [3_000, 0],
      [1, 1],
    ] as const) {
      const u = makeUniverse(n, k, n + k);
      const built = buildFilter(universeOf(u.keys, u.revoked, 777), { verify: false });
      expect(answers(built.filter, u.keys)).toEqual(u.revoked);
      expect(built.stats.universe).toBe(n);
      expect(built.stats.targets).toBe(k);
      // a fresh parse of the bytes answers the same
      expect(answers(RevocationFilter.parse(built.bytes), u.keys)).toEqual(u.revoked);
    }
  });

  it("stays within 1.5× (goal 1.2×) of log2 C(N, R) at 10 % revoked", () => {
    const u = makeUniverse(200_000, 20_000, 7);
    const s = buildFilter(universeOf(u.keys, u.revoked)).stats;
    expect(s.fingerprintBits).toBe(3);
    expect(s.ratio).toBeGreaterThan(1);
    expect(s.ratio).toBeLessThan(1.2);
    expect(s.bytes * 8).toBeGreaterThanOrEqual(s.boundBits);
  });

  it("chooses the level-1 width that minimises r·R + R + (N − R)·2^−r", () => {
    expect(optimalFingerprintBits(1000, 900)).toBe(0);
    expect(optimalFingerprintBits(2e8, 2e7)).toBe(3);
    expect(optimalFingerprintBits(2e8, 1e4)).toBeGreaterThanOrEqual(13);
  });

  it("computes the bound log2 C(n, k) exactly for small n", () => {
    expect(boundBits(4, 2)).toBeCloseTo(Math.log2(6), 9);
    expect(boundBits(52, 5)).toBeCloseTo(Math.log2(2_598_960), 6);
    expect(boundBits(10, 0)).toBe(0);
  });

  it("is deterministic: the same universe and options give the same bytes and ETag", () => {
    const u = makeUniverse(5_000, 500, 3);
    const a = buildFilter(universeOf(u.keys, u.revoked), { sequence: 9 });
    const b = buildFilter(universeOf(u.keys, u.revoked, 100), { sequence: 9 });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.etag).toBe(b.etag);
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(a.filter.header).toMatchObject({ kind: "full", sequence: 9, universe: 5_000, targets: 500 });
  });

  it("rejects a key listed both as revoked and valid with E_FILTER_BUILD", () => {
    const u = makeUniverse(1_000, 100, 4);
    const keys = new Uint32Array(u.keys.length + 2);
    keys.set(u.keys);
    const revoked = new Uint8Array(u.revoked.length + 1);
    revoked.set(u.revoked);
    const dupOf = u.revoked.indexOf(1);
    keys[keys.length - 2] = u.keys[2 * dupOf]!;
    keys[keys.length - 1] = u.keys[2 * dupOf + 1]!;
    revoked[revoked.length - 1] = 0;
    expect(() => buildFilter(universeOf(keys, revoked))).toThrow(
      expect.objectContaining({ code: "E_FILTER_BUILD" }),
    );
  });

  it("rejects an empty universe and a universe that changes between passes", () => {
    expect(() => buildFilter(universeOf(new Uint32Array(0), new Uint8Array(0)))).toThrow(FilterError);
    let calls = 0;
    const shrinking = {
      forEachChunk(sink: (k: Uint32Array, r: Uint8Array, c: number) => void) {
        const c = calls++ === 0 ? 3 : 2;
        sink(new Uint32Array([1, 2, 3, 4, 5, 6]), new Uint8Array([1, 0, 0]), c);
      },
    };
    expect(() => buildFilter(shrinking)).toThrow(/first pass and 2 in the second/);
  });
});

describe("delta filters and chains", () => {
  it("a daily delta makes the chain exact for new revocations and newly issued certificates", () => {
    const n = 30_000;
    const u = makeUniverse(n + 500, 3_000, 21);
    const oldKeys = u.keys.subarray(0, 2 * n);
    const oldRevoked = u.revoked.slice(0, n);
    const full = buildFilter(universeOf(oldKeys, oldRevoked), { sequence: 100 });
    // day 101: 500 new certificates (some revoked already) and 200 more revocations of old ones
    const today = u.revoked.slice();
    const rnd = mulberry32(5);
    for (let c = 0; c < 200; c++) today[randomInt(rnd, n)] = 1;
    const delta = buildDeltaFilter(full.filter, universeOf(u.keys, today), { sequence: 101 });
    const chain = new FilterChain(full.filter, [delta.filter]);
    expect(answers(chain, u.keys)).toEqual(today);
    expect(delta.filter.header).toMatchObject({ kind: "delta", baseSequence: 100, sequence: 101 });
    // the delta is sized by the changes, not by the universe
    expect(delta.stats.targets).toBeLessThan(1_000);
    expect(delta.bytes.length).toBeLessThan(full.bytes.length / 3);
    expect(delta.stats.ratio).toBeLessThan(2); // 80 bytes of header and trailer weigh in at this size
  });

  it("refuses a delta whose base is missing, and a chain that starts with a delta (E_FILTER_CHAIN)", () => {
    const u = makeUniverse(2_000, 100, 8);
    const full = buildFilter(universeOf(u.keys, u.revoked), { sequence: 1 });
    const d2 = buildDeltaFilter(full.filter, universeOf(u.keys, u.revoked), { sequence: 2 });
    const chain2 = new FilterChain(full.filter, [d2.filter]);
    const d3 = buildDeltaFilter(chain2, universeOf(u.keys, u.revoked), { sequence: 3 });
    expect(() => new FilterChain(full.filter, [d3.filter])).toThrow(
      expect.objectContaining({ code: "E_FILTER_CHAIN", message: expect.stringMatching(/base is missing/) }),
    );
    expect(() => new FilterChain(d2.filter)).toThrow(expect.objectContaining({ code: "E_FILTER_CHAIN" }));
    expect(new FilterChain(full.filter, [d2.filter, d3.filter]).sequence).toBe(3);
  });
});

describe("certificateKey", () => {
  it("ignores leading zero octets of the serial and separates issuers", () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    const issuer = new Uint8Array([1, 2, 3]);
    certificateKey(issuer, new Uint8Array([0, 0x81, 7]), a);
    certificateKey(issuer, new Uint8Array([0x81, 7]), b);
    expect(a).toEqual(b);
    certificateKey(new Uint8Array([1, 2, 4]), new Uint8Array([0x81, 7]), b);
    expect(a).not.toEqual(b);
  });
});
