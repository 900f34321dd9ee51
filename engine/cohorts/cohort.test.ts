/**
 * Property-style tests of the exact-cohort containers (DESIGN.md §4 "Cohorts"): apportion never
 * loses, invents or over-takes a card; VectorFifo serves oldest first and pro rata; CohortLists
 * behaves like a set of FIFO arrays. Random cases come from a tiny seeded PRNG (mulberry32).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random/small-prng.js";
import { apportion, CohortLists, VectorFifo } from "./index.js";

/** Test cases from the project's small seeded PRNG. */
function prng(seed: number): { next(): number; int(lo: number, hi: number): number } {
  const next = mulberry32(seed);
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
};

/** A random vector of non-negative integer counts, with some zeros and some big entries. */
function randomCounts(r: ReturnType<typeof prng>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    out[i] = u < 0.25 ? 0 : u < 0.5 ? r.int(1, 3) : u < 0.9 ? r.int(1, 5000) : r.int(1, 50_000_000);
  }
  return out;
}

describe("apportion", () => {
  it("shares are integers, sum to exactly part and never exceed what an entry holds", () => {
    const r = prng(1);
    for (let trial = 0; trial < 2000; trial++) {
      const counts = randomCounts(r, r.int(1, 60));
      const total = sum(counts);
      const part = r.int(0, total);
      const out = new Float64Array(counts.length);
      const got = apportion(counts, total, part, out);
      expect(got).toBe(part);
      expect(sum(out)).toBe(part);
      const bad = Array.from(out).findIndex((x, i) => !Number.isInteger(x) || x < 0 || x > counts[i]!);
      expect(bad).toBe(-1);
    }
  });

  it("is close to pro rata: every share within 1 of counts[i] · part / total", () => {
    const r = prng(2);
    for (let trial = 0; trial < 500; trial++) {
      const counts = randomCounts(r, r.int(1, 40));
      const total = sum(counts);
      const part = r.int(0, total);
      const out = new Float64Array(counts.length);
      apportion(counts, total, part, out);
      let worst = 0;
      for (let i = 0; i < counts.length; i++) {
        if (total > 0) worst = Math.max(worst, Math.abs(out[i]! - (counts[i]! * part) / total));
      }
      expect(worst).toBeLessThan(1 + 1e-6);
    }
  });

  it("is deterministic: the same input gives the same shares", () => {
    const r = prng(3);
    for (let trial = 0; trial < 200; trial++) {
      const counts = randomCounts(r, r.int(1, 30));
      const total = sum(counts);
      const part = r.int(0, total);
      const a = new Float64Array(counts.length);
      const b = new Float64Array(counts.length);
      apportion(counts, total, part, a);
      apportion(Float64Array.from(counts), total, part, b);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it("part 0 gives all zeros", () => {
    const counts = Float64Array.of(5, 0, 7, 1);
    const out = new Float64Array(4).fill(99);
    expect(apportion(counts, 13, 0, out)).toBe(0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it("part = total takes everything", () => {
    const counts = Float64Array.of(5, 0, 7, 1);
    const out = new Float64Array(4).fill(99);
    expect(apportion(counts, 13, 13, out)).toBe(13);
    expect(Array.from(out)).toEqual([5, 0, 7, 1]);
  });

  it("all zeros (total 0) gives zeros", () => {
    const counts = new Float64Array(5);
    const out = new Float64Array(5).fill(99);
    expect(apportion(counts, 0, 0, out)).toBe(0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0]);
  });

  it("zero entries never receive a share; the empty vector gives 0", () => {
    const counts = Float64Array.of(0, 3, 0, 0, 4, 0);
    const out = new Float64Array(6);
    expect(apportion(counts, 7, 4, out)).toBe(4);
    expect(out[0]).toBe(0);
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(0);
    expect(out[5]).toBe(0);
    expect(out[1]! + out[4]!).toBe(4);
    expect(apportion(new Float64Array(0), 0, 0, new Float64Array(0))).toBe(0);
  });

  it("a single entry takes exactly part", () => {
    const out = new Float64Array(1);
    expect(apportion(Float64Array.of(10), 10, 3, out)).toBe(3);
    expect(out[0]).toBe(3);
  });

  it("exact with national-scale counts (tens of millions of cards)", () => {
    const r = prng(4);
    for (let trial = 0; trial < 200; trial++) {
      const n = r.int(100, 1741);
      const counts = new Float64Array(n);
      for (let i = 0; i < n; i++) counts[i] = r.int(0, 3_800_000);
      const total = sum(counts);
      const part = r.int(1, total - 1);
      const out = new Float64Array(n);
      expect(apportion(counts, total, part, out)).toBe(part);
      expect(sum(out)).toBe(part);
      expect(Array.from(out).findIndex((x, i) => x < 0 || x > counts[i]!)).toBe(-1);
    }
  });
});

describe("VectorFifo", () => {
  it("serves whole cohorts in FIFO order and keeps the total", () => {
    const q = new VectorFifo(2);
    q.push(1, 0, Float64Array.of(1, 2), 3);
    q.push(2, 0, Float64Array.of(4, 0), 4);
    q.push(3, 0, Float64Array.of(0, 5), 5);
    expect(q.total).toBe(12);
    expect(q.length).toBe(3);
    const keys: number[] = [];
    expect(q.serve(0, 7, (k) => keys.push(k))).toBe(7);
    expect(keys).toEqual([1, 2]);
    expect(q.total).toBe(5);
    expect(q.length).toBe(1);
  });

  it("drops empty cohorts on push", () => {
    const q = new VectorFifo(3);
    q.push(1, 0, new Float64Array(3), 0);
    expect(q.length).toBe(0);
    expect(q.total).toBe(0);
    expect(q.serve(0, 10, () => expect.unreachable())).toBe(0);
  });

  it("splits the last cohort pro rata and keeps its key and the rest in place", () => {
    const q = new VectorFifo(3);
    q.push(7, 0, Float64Array.of(10, 20, 30), 60);
    const parts: { key: number; counts: number[]; total: number }[] = [];
    expect(
      q.serve(0, 30, (key, counts, total) => parts.push({ key, counts: Array.from(counts), total })),
    ).toBe(30);
    expect(parts).toEqual([{ key: 7, counts: [5, 10, 15], total: 30 }]);
    expect(q.total).toBe(30);
    expect(Array.from(q.segmentTotals())).toEqual([5, 10, 15]);
    const rest: number[][] = [];
    q.serve(1, 100, (key, counts) => {
      expect(key).toBe(7);
      rest.push(Array.from(counts));
    });
    expect(rest).toEqual([[5, 10, 15]]);
    expect(q.total).toBe(0);
  });

  it("floors a fractional capacity", () => {
    const q = new VectorFifo(1);
    q.push(0, 0, Float64Array.of(10), 10);
    expect(q.serve(0, 3.9, () => {})).toBe(3);
    expect(q.total).toBe(7);
  });

  it("does not serve a cohort before its ready time, and it blocks the cohorts behind it", () => {
    const q = new VectorFifo(1);
    q.push(1, 5, Float64Array.of(4), 4);
    q.push(2, 0, Float64Array.of(6), 6);
    expect(q.serve(4, 100, () => expect.unreachable())).toBe(0);
    expect(q.total).toBe(10);
    const keys: number[] = [];
    expect(q.serve(5, 100, (k) => keys.push(k))).toBe(10);
    expect(keys).toEqual([1, 2]);
  });

  it("random pushes and serves: exact totals per segment, FIFO keys, never over capacity", () => {
    const r = prng(6);
    const width = 7;
    const q = new VectorFifo(width);
    const pushed = new Float64Array(width);
    const served = new Float64Array(width);
    let nextKey = 0;
    let lastServedKey = -1;
    for (let step = 0; step < 3000; step++) {
      const pushes = r.int(0, 3);
      for (let p = 0; p < pushes; p++) {
        const counts = randomCounts(r, width).map((x) => x % 1000);
        const total = sum(counts);
        for (let i = 0; i < width; i++) pushed[i] = pushed[i]! + counts[i]!;
        q.push(nextKey++, step, counts, total);
      }
      const cap = r.int(0, 4000);
      let emitted = 0;
      const got = q.serve(step, cap, (key, counts, total) => {
        if (key < lastServedKey) expect.fail(`key ${key} served after ${lastServedKey}`);
        lastServedKey = key;
        if (sum(counts) !== total) expect.fail("emitted total does not match its counts");
        emitted += total;
        for (let i = 0; i < width; i++) {
          if (!Number.isInteger(counts[i]) || counts[i]! < 0) expect.fail(`bad share ${counts[i]}`);
          served[i] = served[i]! + counts[i]!;
        }
      });
      expect(got).toBe(emitted);
      expect(got).toBeLessThanOrEqual(cap);
      const waiting = q.segmentTotals(new Float64Array(width));
      expect(sum(waiting)).toBe(q.total);
      for (let i = 0; i < width; i++) {
        if (served[i]! + waiting[i]! !== pushed[i]) expect.fail(`segment ${i} lost or gained items`);
      }
      // Work left over means the server used its whole capacity.
      if (q.total > 0) expect(got).toBe(cap);
    }
    // Enough cohorts went through to exercise the internal compaction (head > 1024).
    expect(nextKey).toBeGreaterThan(2048);
  });

  it("forEach visits waiting cohorts oldest first", () => {
    const q = new VectorFifo(1);
    for (let k = 0; k < 5; k++) q.push(k, 0, Float64Array.of(k + 1), k + 1);
    q.serve(0, 3, () => {});
    const seen: [number, number][] = [];
    q.forEach((c) => seen.push([c.key, c.total]));
    expect(seen).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });
});

/** A reference model of CohortLists: plain arrays of [key, count]. */
class ReferenceLists {
  lists: [number, number][][];
  constructor(n: number) {
    this.lists = Array.from({ length: n }, () => []);
  }
  push(l: number, key: number, count: number): void {
    if (count <= 0) return;
    const list = this.lists[l]!;
    const t = list[list.length - 1];
    if (t && t[0] === key) t[1] += count;
    else list.push([key, count]);
  }
  take(l: number, n: number): [number, number][] {
    const out: [number, number][] = [];
    const list = this.lists[l]!;
    let left = n;
    while (left > 0 && list.length > 0) {
      const h = list[0]!;
      if (h[1] <= left) {
        out.push([h[0], h[1]]);
        left -= h[1];
        list.shift();
      } else {
        out.push([h[0], left]);
        h[1] -= left;
        left = 0;
      }
    }
    return out;
  }
  total(l: number): number {
    return this.lists[l]!.reduce((a, [, c]) => a + c, 0);
  }
}

const entriesOf = (c: CohortLists, l: number): [number, number][] => {
  const out: [number, number][] = [];
  c.forEach(l, (k, n) => out.push([k, n]));
  return out;
};

describe("CohortLists", () => {
  it("push merges with the tail only when the key matches; zero counts are ignored", () => {
    const c = new CohortLists(2);
    c.push(0, 1, 5);
    c.push(0, 1, 3);
    c.push(0, 2, 1);
    c.push(0, 1, 2);
    c.push(0, 9, 0);
    expect(entriesOf(c, 0)).toEqual([
      [1, 8],
      [2, 1],
      [1, 2],
    ]);
    expect(c.total(0)).toBe(11);
    expect(c.entries(0)).toBe(3);
    expect(c.total(1)).toBe(0);
    expect(c.entries(1)).toBe(0);
    expect(c.listCount).toBe(2);
  });

  it("take serves oldest first, splits the head and returns how many were taken", () => {
    const c = new CohortLists(1);
    c.push(0, 10, 3);
    c.push(0, 11, 4);
    const got: [number, number][] = [];
    expect(c.take(0, 5, (k, n) => got.push([k, n]))).toBe(5);
    expect(got).toEqual([
      [10, 3],
      [11, 2],
    ]);
    expect(entriesOf(c, 0)).toEqual([[11, 2]]);
    expect(c.total(0)).toBe(2);
    expect(c.take(0, 100, () => {})).toBe(2);
    expect(c.total(0)).toBe(0);
    expect(c.entries(0)).toBe(0);
    expect(c.take(0, 1, () => expect.unreachable())).toBe(0);
    expect(c.take(0, 0, () => expect.unreachable())).toBe(0);
    // The emptied queue works again, and a key equal to a taken one is a new entry.
    c.push(0, 11, 1);
    expect(entriesOf(c, 0)).toEqual([[11, 1]]);
  });

  it("lists are independent", () => {
    const c = new CohortLists(3);
    c.push(0, 1, 1);
    c.push(1, 1, 10);
    c.push(2, 2, 100);
    c.take(1, 4, () => {});
    expect(entriesOf(c, 0)).toEqual([[1, 1]]);
    expect(entriesOf(c, 1)).toEqual([[1, 6]]);
    expect(entriesOf(c, 2)).toEqual([[2, 100]]);
    expect([c.total(0), c.total(1), c.total(2)]).toEqual([1, 6, 100]);
  });

  it("grows past its initial capacity without losing or reordering entries", () => {
    const c = new CohortLists(3);
    for (let i = 0; i < 1000; i++) c.push(i % 3, i, i + 1);
    for (let l = 0; l < 3; l++) {
      const e = entriesOf(c, l);
      expect(c.entries(l)).toBe(l === 0 ? 334 : 333);
      expect(e.length).toBe(c.entries(l));
      e.forEach(([k, n], j) => {
        if (k !== 3 * j + l || n !== k + 1) expect.fail(`list ${l} entry ${j} is [${k}, ${n}]`);
      });
    }
    expect(c.total(0) + c.total(1) + c.total(2)).toBe((1000 * 1001) / 2);
  });

  it("reuses its slots when the queue wraps around, and grows correctly while wrapped", () => {
    const c = new CohortLists(1);
    let nextKey = 0;
    let nextOut = 0;
    // Keep 5 entries in flight for many rounds: head and tail wrap around the ring many times.
    for (let i = 0; i < 5; i++) c.push(0, nextKey++, 1);
    for (let round = 0; round < 200; round++) {
      c.push(0, nextKey++, 1);
      c.take(0, 1, (k) => {
        if (k !== nextOut) expect.fail(`took key ${k}, expected ${nextOut}`);
        nextOut++;
      });
      expect(c.entries(0)).toBe(5);
    }
    // Now grow while the head is somewhere inside the ring.
    for (let i = 0; i < 50; i++) c.push(0, nextKey++, 1);
    const keys: number[] = [];
    c.forEach(0, (k) => keys.push(k));
    expect(keys).toEqual(Array.from({ length: nextKey - nextOut }, (_, i) => nextOut + i));
    const taken: number[] = [];
    expect(c.take(0, 1000, (k) => taken.push(k))).toBe(55);
    expect(taken).toEqual(keys);
  });

  it("random operations match a reference model of plain arrays", () => {
    const r = prng(7);
    const n = 6;
    const c = new CohortLists(n);
    const ref = new ReferenceLists(n);
    for (let step = 0; step < 20_000; step++) {
      const l = r.int(0, n - 1);
      if (r.next() < 0.55) {
        const key = r.int(0, 5) + Math.floor(step / 50);
        const count = r.int(0, 20);
        c.push(l, key, count);
        ref.push(l, key, count);
      } else {
        const want = r.int(0, 60);
        const got: [number, number][] = [];
        const taken = c.take(l, want, (k, x) => got.push([k, x]));
        const expected = ref.take(l, want);
        expect(got).toEqual(expected);
        expect(taken).toBe(expected.reduce((a, [, x]) => a + x, 0));
      }
      if (step % 97 === 0 || step > 19_900) {
        for (let k = 0; k < n; k++) {
          expect(entriesOf(c, k)).toEqual(ref.lists[k]);
          expect(c.total(k)).toBe(ref.total(k));
          expect(c.entries(k)).toBe(ref.lists[k]!.length);
        }
      }
    }
  });
});
