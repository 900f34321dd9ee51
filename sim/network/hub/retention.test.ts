/**
 * Retention (FACTS §5.5: provision records kept 7 years) with an injected clock: record bytes older
 * than 7 years are deleted, younger ones kept; leaf hashes stay, so the root, the signed head and
 * every inclusion proof still verify, and the portal sees the record as removed (`record: null`).
 * The retention cursor survives reopening.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyInclusion } from "../../portal/merkle-verify.js";
import { verifyTreeHead } from "../../portal/tree-head.js";
import { PERSON_A, T0, startTestHub, type TestHub } from "./_test-hub.js";
import { openHub } from "./hub.js";
import { retentionCutoff, runRetention } from "./retention.js";

const YEAR = 365 * 86_400_000;
let clock = T0;
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ now: () => clock });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("retentionCutoff", () => {
  it("is the same UTC calendar moment 7 years earlier", () => {
    expect(retentionCutoff(Date.UTC(2033, 3, 1, 9, 30))).toBe(Date.UTC(2026, 3, 1, 9, 30));
    expect(retentionCutoff(Date.UTC(2031, 11, 31, 23, 59, 59, 999))).toBe(
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
    );
    expect(() => retentionCutoff(-1)).toThrow(RangeError);
  });
});

describe("retention of provision records", () => {
  it("deletes bytes older than 7 years, keeps leaf hashes, proofs and the root; the cursor persists", async () => {
    // 3 exchanges at T0, 2 a year later
    for (let i = 0; i < 3; i++) expect((await t.send(t.request(`old-${i}`))).status).toBe(200);
    clock = T0 + YEAR;
    for (let i = 0; i < 2; i++)
      expect((await t.send(t.request(`new-${i}`, { requestedAt: clock - 1000 }))).status).toBe(200);
    const store = t.hub.store;
    expect(store.size).toBe(10);
    const rootBefore = Buffer.from(store.head().rootHash);

    // 7 years after T0 to the millisecond: the old records are exactly at the cutoff, kept
    const atBoundary = await runRetention(store, Date.UTC(2033, 3, 1, 9));
    expect(atBoundary.cutoff).toBe(T0);
    expect(atBoundary.deleted).toBe(0);

    // one day later: the 6 records of T0 go, the 4 of T0 + 1 year stay
    const later = Date.UTC(2033, 3, 2, 9);
    const r = await runRetention(store, later);
    expect(r.deleted).toBe(6);
    expect(r.retainedBefore).toBe(6);
    expect(Buffer.compare(store.head().rootHash, rootBefore)).toBe(0);
    const head = store.head();
    expect(verifyTreeHead(head, t.hub.files.treeHeadPublicKey)).toBe(true);
    for (let i = 0; i < 10; i++) {
      const w = store.recordWithProof(i);
      if (i < 6) {
        expect(w.record).toBeNull();
        expect(w.bytes).toBeNull();
      } else expect(w.record!.exchangeId).toMatch(/^new-/);
      expect(verifyInclusion(w.leafHash, i, head.size, w.proof, head.rootHash).ok).toBe(true);
    }
    // the person still sees every index (removed ones as removed)
    expect(store.indicesFor(t.hub.core.portalCodeOf(PERSON_A))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // a second pass removes nothing more
    expect((await runRetention(store, later)).deleted).toBe(0);
    // a removed exchange id stays recorded: it cannot be replayed
    const replay = await t.send(t.request("old-0"));
    expect(replay.status).toBe(409);
  });

  it("the cursor and the deletions survive reopening the hub", async () => {
    await t.host.drain();
    await t.hub.close();
    const again = openHub(t.dir, { now: () => Date.UTC(2033, 3, 2, 9) });
    try {
      expect(again.store.retainedBefore).toBe(6);
      expect(again.store.size).toBe(10);
      expect(again.store.recordWithProof(0).record).toBeNull();
      expect(again.store.recordWithProof(6).record).not.toBeNull();
      // ten years on, everything goes
      expect((await runRetention(again.store, Date.UTC(2036, 0, 1))).deleted).toBe(4);
      expect(again.store.recordWithProof(9).record).toBeNull();
    } finally {
      await again.close();
    }
  });
});

describe("the retention interval of a running hub", () => {
  it("removes expired record bytes by itself (polled a bounded number of times)", async () => {
    let now = T0;
    const h = await startTestHub({ now: () => now, retentionIntervalMs: 10 });
    try {
      expect((await h.send(h.request("interval-0"))).status).toBe(200);
      expect(h.hub.store.retainedBefore).toBe(0);
      now = T0 + 8 * YEAR;
      for (let i = 0; i < 500 && h.hub.store.retainedBefore === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(h.hub.store.retainedBefore).toBe(2);
      expect(h.hub.store.recordWithProof(0).record).toBeNull();
      expect(h.lines.some((l) => /records removed by retention/.test(l))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
