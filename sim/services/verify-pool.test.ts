/**
 * The verification pool (verify-pool.ts): jobs that wait for a busy thread leave as one batch
 * (verify-batch.ts), and every job still gets its own answer — the same answer the in-thread check
 * gives — whatever its place in the batch.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { TestPki } from "./demo-pki.js";
import { makeTestPki } from "./demo-pki.js";
import { packBatch, runBatch } from "./verify-batch.js";
import type { VerifyJob } from "./verify-batch.js";
import { checkAuthAnswer, trustAnchorOf } from "./auth-check.js";
import { VerifyPool } from "./verify-pool.js";

let pki: TestPki;
let rootDer: Uint8Array;

beforeAll(async () => {
  pki = await makeTestPki(2);
  rootDer = new Uint8Array(readFileSync(join(pki.dir, "auth-root.der")));
}, 60_000);

afterAll(() => {
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

/** Good, tampered, foreign, expired and garbage answers, in a seeded order. */
function jobs(n: number, seed: number): VerifyJob[] {
  const rnd = mulberry32(seed);
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const challenge = Uint8Array.from({ length: 32 }, () => randomInt(rnd, 256));
    const kind = randomInt(rnd, 5);
    const card = kind === 2 ? pki.foreign : kind === 3 ? pki.expired : pki.good[i % 2]!;
    const a = card.answer(challenge);
    const signature = Uint8Array.from(a.signature);
    if (kind === 1) signature[randomInt(rnd, signature.length)]! ^= 1 << randomInt(rnd, 8);
    const certificate = kind === 4 ? a.certificate.subarray(0, randomInt(rnd, 64)) : a.certificate;
    return { certificate, challenge, signature, at: now };
  });
}

describe("verify batches", () => {
  it("packing and running a batch gives each job the in-thread check's answer", () => {
    const anchor = trustAnchorOf(rootDer);
    const js = jobs(40, 3);
    const r = runBatch(packBatch(js), (c, h, s, at) => checkAuthAnswer(anchor, c, h, s, at));
    let from = 0;
    js.forEach((j, i) => {
      const want = checkAuthAnswer(anchor, j.certificate, j.challenge, j.signature, j.at);
      expect([r.outcome[i], r.details[i]]).toEqual([
        ["ok", "untrusted_certificate", "expired", "bad_signature"].indexOf(want.outcome),
        want.detail,
      ]);
      expect(Buffer.from(r.serials.subarray(from, r.serialEnds[i]))).toEqual(Buffer.from(want.serial));
      from = r.serialEnds[i]!;
      expect(r.times[2 * i + 1]!).toBeGreaterThanOrEqual(r.times[2 * i]!);
    });
    expect(new Set(js.map((_, i) => r.outcome[i])).size).toBe(4);
  });

  it("a burst on one thread leaves in batches, each job with its own answer", async () => {
    const pool = new VerifyPool(rootDer, 1);
    const inThread = new VerifyPool(rootDer, 0);
    try {
      const js = jobs(120, 9);
      const got = await Promise.all(js.map((j) => pool.check(j)));
      expect(pool.jobs).toBe(120);
      // The first job finds the thread free; the rest wait and go together.
      expect(pool.batches).toBeLessThan(20);
      expect(got[0]!.threadWasFree).toBe(true);
      expect(got.slice(1).every((g) => !g.threadWasFree)).toBe(true);
      for (let i = 0; i < js.length; i++) {
        const want = await inThread.check(js[i]!);
        expect([got[i]!.outcome, got[i]!.detail, Buffer.from(got[i]!.serial).toString("hex")]).toEqual([
          want.outcome,
          want.detail,
          Buffer.from(want.serial).toString("hex"),
        ]);
        const g = got[i]!;
        expect(g.roundTripMs).toBeGreaterThanOrEqual(g.workerMs);
        // Queue, the batch's hop there, its own check and the batch's hop back, all within the round trip.
        expect(Math.min(g.queueMs, g.toWorkerMs, g.backMs)).toBeGreaterThanOrEqual(0);
        expect(g.queueMs + g.toWorkerMs + g.workerMs + g.backMs).toBeLessThanOrEqual(g.roundTripMs + 1e-6);
      }
      // Jobs of one batch share its hops: fewer distinct hops than jobs.
      expect(new Set(got.map((g) => g.toWorkerMs)).size).toBe(pool.batches);
      // One at a time, each job finds the thread free.
      const one = await pool.check(js[0]!);
      expect([one.outcome, one.threadWasFree]).toEqual([got[0]!.outcome, true]);
    } finally {
      await pool.destroy();
      await inThread.destroy();
    }
  }, 60_000);
});
