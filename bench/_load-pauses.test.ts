/**
 * The pause recorder of bench:load (bench/_load-pauses.ts): GC pauses of this thread are recorded
 * with their kind and time inside the span they are taken in, and each take starts a new span.
 */
import { describe, expect, it } from "vitest";
import type { GcPause } from "./_load-pauses.js";
import { startPauseRecorder, summariseGc } from "./_load-pauses.js";

describe("startPauseRecorder", () => {
  it("records the scavenges that allocation causes, inside the span, and starts a new span at each take", async () => {
    const rec = startPauseRecorder(5);
    try {
      const first = rec.take();
      // ≈ 100 MB of short-lived objects (kept in a ring, so they escape): young-generation collections.
      const ring: { i: number; a: number[] }[] = new Array(1024);
      for (let i = 0; i < 1_000_000; i++) ring[i & 1023] = { i, a: [i, i + 1] };
      expect(ring[1023]!.i).toBe(999_423);
      // Node hands GC entries to observers after the collection, from the event loop.
      await new Promise((r) => setTimeout(r, 20));
      const r = rec.take();
      expect(r.fromMs).toBe(first.toMs);
      expect(r.gc.length).toBeGreaterThan(0);
      expect(r.gc.some((g) => g.kind === "minor")).toBe(true);
      for (const g of r.gc) {
        expect(g.ms).toBeGreaterThanOrEqual(0);
        expect(g.atMs).toBeGreaterThanOrEqual(r.fromMs - 1);
        expect(g.atMs).toBeLessThanOrEqual(r.toMs);
      }
      expect(r.loopDelay.resolutionMs).toBe(5);
      // Nothing carried over into the next span.
      expect(rec.take().gc.filter((g) => g.atMs < r.toMs)).toEqual([]);
    } finally {
      rec.stop();
    }
  });
});

describe("summariseGc", () => {
  it("counts, sums and keeps the longest pause by kind", () => {
    const gc: GcPause[] = [
      { atMs: 1, ms: 1, kind: "minor" },
      { atMs: 5, ms: 3, kind: "minor" },
      { atMs: 9, ms: 40, kind: "major" },
    ];
    expect(summariseGc(gc)).toEqual({
      minor: { count: 2, totalMs: 4, maxMs: 3 },
      major: { count: 1, totalMs: 40, maxMs: 40 },
    });
    expect(summariseGc([])).toEqual({});
  });
});
