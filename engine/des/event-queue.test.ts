import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../random/small-prng.js";
import { EventQueue, NORMAL, URGENT } from "./event-queue.js";

describe("EventQueue", () => {
  it("pops in (time, priority, insertion) order", () => {
    const q = new EventQueue<string>(2);
    q.push(2, NORMAL, "c");
    q.push(1, NORMAL, "a");
    q.push(2, URGENT, "b");
    q.push(1, NORMAL, "a2");
    q.push(2, NORMAL, "d");
    q.push(0.5, 5, "z");
    const out: [string, number][] = [];
    while (q.size > 0) {
      const item = q.pop();
      out.push([item, q.poppedTime]);
    }
    expect(out).toEqual([
      ["z", 0.5],
      ["a", 1],
      ["a2", 1],
      ["b", 2],
      ["c", 2],
      ["d", 2],
    ]);
  });

  it("resolves equal keys by insertion order (seq), across growth", () => {
    const q = new EventQueue<number>(1);
    for (let i = 0; i < 1000; i++) q.push(7, NORMAL, i);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop());
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("keeps the heap property under many random pushes and pops, and sorts like a stable sort", () => {
    checkAgainstReference(mulberry32(12345), false);
  });

  it("orders DES-style traffic (many entries due now, URGENT and later priorities) like a stable sort", () => {
    checkAgainstReference(mulberry32(777), true);
  });

  it("reports peek time and item, Infinity when empty", () => {
    const q = new EventQueue<string>();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.peekItem()).toBeUndefined();
    q.push(3, NORMAL, "x");
    q.push(1, NORMAL, "y");
    expect(q.peekTime()).toBe(1);
    expect(q.peekItem()).toBe("y");
    q.pop();
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(3);
    expect(q.peekItem()).toBe("x");
    expect(q.pushed).toBe(2);
    // Entries due now (the last popped time) go to a lane but still order by key.
    q.push(1, NORMAL, "now");
    q.push(1, URGENT, "urgent-now");
    expect(q.peekTime()).toBe(1);
    expect(q.peekItem()).toBe("urgent-now");
    expect([q.pop(), q.pop(), q.pop()]).toEqual(["urgent-now", "now", "x"]);
  });

  it("gives an entry pushed without an argument none, even in a slot that held one", () => {
    // Free slots keep no argument (push skips the store for undefined), so a reused slot must not
    // hand an earlier entry's argument to the next one.
    const q = new EventQueue<string>(1);
    q.push(2, 5, "with", { n: 1 });
    expect(q.pop()).toBe("with");
    expect(q.poppedArg).toEqual({ n: 1 });
    for (let i = 0; i < 3; i++) q.push(3 + i, 5, `plain${i}`);
    q.push(9, 5, "last", 0);
    for (let i = 0; i < 3; i++) {
      expect(q.pop()).toBe(`plain${i}`);
      expect(q.poppedArg).toBeUndefined();
    }
    expect(q.pop()).toBe("last");
    expect(q.poppedArg).toBe(0);
  });

  it("rejects a bad initial capacity", () => {
    expect(() => new EventQueue(0)).toThrow(/initialCapacity must be a positive integer, got 0/);
  });
});

describe("EventQueue ladder store (fixed seeds)", () => {
  /** Time generators that stress the ladder: spreads, bursts, ties, huge and negative values. */
  const shapes: Record<string, (rnd: () => number, now: number) => number> = {
    exponential: (rnd, now) => now - Math.log(1 - rnd()),
    "bimodal far future": (rnd, now) => (rnd() < 0.9 ? now + rnd() * 1e-3 : now + 1e6 * rnd()),
    "equal delays": (_rnd, now) => now + 1,
    "integer days": (rnd, now) => Math.floor(now) + Math.floor(rnd() * 3),
    "huge magnitudes": (rnd, now) => (rnd() < 0.5 ? now + rnd() * 1e300 : now + rnd() * 1e-300),
    "negative start": (rnd, now) => now + rnd() * 10,
  };
  for (const [name, next] of Object.entries(shapes)) {
    it(`pops in exact (time, key) order: ${name}`, () => {
      const rnd = mulberry32(0x1adde7 + name.length);
      const start = name === "negative start" ? -1e9 : 0;
      const q = new EventQueue<number>(8, start);
      // Reference: a sorted array (ascending) of live entries.
      const live: { t: number; p: number; seq: number }[] = [];
      const cmp = (a: { t: number; p: number; seq: number }, b: { t: number; p: number; seq: number }) =>
        a.t - b.t || a.p - b.p || a.seq - b.seq;
      let seq = 0;
      const bad: string[] = [];
      // Grow to 3,000 entries, churn (hold model), then drain.
      for (let step = 0; step < 30000 && bad.length === 0; step++) {
        const phase = step < 3000 ? "grow" : step < 24000 ? "hold" : "drain";
        if (phase !== "grow" && live.length > 0) {
          const want = live.shift()!;
          const got = q.pop();
          if (got !== want.seq || q.poppedTime !== want.t) {
            bad.push(`step ${step}: got ${got}@${q.poppedTime}, want ${want.seq}@${want.t}`);
          }
        }
        if (phase !== "drain") {
          const t = next(rnd, q.poppedTime);
          const p = rnd() < 0.1 ? 2 + randomInt(rnd, 3) : NORMAL;
          q.push(t, p, seq);
          const e = { t, p, seq: seq++ };
          let lo = 0;
          let hi = live.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cmp(live[mid]!, e) < 0) lo = mid + 1;
            else hi = mid;
          }
          live.splice(lo, 0, e);
        }
        if (step % 997 === 0 && !q.checkInvariant()) bad.push(`invariant broken at step ${step}`);
        if (q.size !== live.length) bad.push(`size ${q.size} != ${live.length} at step ${step}`);
      }
      expect(bad).toEqual([]);
      expect(q.size).toBe(0);
      expect(seq).toBe(24000);
    });
  }
});

/**
 * Random pushes and pops checked against a brute-force reference. `des` keeps times monotone
 * (never before the last pop) and schedules half the entries at exactly the current time.
 */
function checkAgainstReference(rnd: () => number, des: boolean): void {
  const q = new EventQueue<number>(4);
  // Reference: list of live entries; pops must return the minimum by (time, priority, seq).
  const live: { t: number; p: number; seq: number }[] = [];
  let seq = 0;
  let pops = 0;
  const mismatches: string[] = [];
  for (let step = 0; step < 12000; step++) {
    if (live.length === 0 || rnd() < 0.55) {
      // Coarse times force many ties.
      const now = q.poppedTime;
      const t = des ? (rnd() < 0.5 ? now : now + Math.floor(rnd() * 5)) : Math.floor(rnd() * 50);
      const u = rnd();
      const p = u < 0.2 ? URGENT : u < 0.9 ? NORMAL : 1 + Math.ceil(rnd() * 3);
      q.push(t, p, seq, `arg${seq}`);
      live.push({ t, p, seq });
      seq++;
    } else {
      let best = 0;
      for (let i = 1; i < live.length; i++) {
        const a = live[i]!;
        const b = live[best]!;
        if (a.t < b.t || (a.t === b.t && (a.p < b.p || (a.p === b.p && a.seq < b.seq)))) best = i;
      }
      const want = live.splice(best, 1)[0]!;
      const got = q.pop();
      if (got !== want.seq || q.poppedTime !== want.t || q.poppedArg !== `arg${want.seq}`) {
        mismatches.push(`step ${step}: got ${got}@${q.poppedTime}, want ${want.seq}@${want.t}`);
      }
      pops++;
    }
    if (step % 97 === 0 && !q.checkInvariant()) mismatches.push(`heap property broken at step ${step}`);
    if (q.size !== live.length) mismatches.push(`size ${q.size} != ${live.length} at step ${step}`);
  }
  expect(mismatches).toEqual([]);
  expect(pops).toBeGreaterThan(3000);
  expect(q.checkInvariant()).toBe(true);
}
