/**
 * The hub's Ed25519 work on the service's worker pool (hub-routes.ts with `VerifyPool.ed25519`,
 * one thread): a burst of lawful exchanges each gets its own provider-signed answer that verifies
 * and two records; wrongly signed requests in the same burst are refused 401 and change nothing.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import type { TestPki } from "../../services/demo-pki.js";
import { makeTestPki } from "../../services/demo-pki.js";
import { VerifyPool } from "../../services/verify-pool.js";
import { call, startTestHub, type TestHub } from "./_test-hub.js";
import { checkProviderAnswer, signExchangeRequest, type ExchangeResponse } from "./client.js";

let pki: TestPki;
let pool: VerifyPool;
let t: TestHub;

beforeAll(async () => {
  pki = await makeTestPki(1);
  pool = new VerifyPool(new Uint8Array(readFileSync(join(pki.dir, "auth-root.der"))), 1);
  t = await startTestHub({ pool });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await pool?.destroy();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

describe("hub on the worker pool", () => {
  it("a seeded burst of 48 exchanges, a third wrongly signed: good ones answered and recorded, bad ones 401 with no record", async () => {
    const rnd = mulberry32(2026);
    const own = t.hub.files.institutions.get("municipality-0001")!.privateKey;
    const other = t.hub.files.institutions.get("municipality-0002")!.privateKey;
    const before = t.hub.store.size;
    const sent = Array.from({ length: 48 }, (_, i) => {
      const fields = t.request(`pool-${i}`);
      const bad = randomInt(rnd, 3) === 0;
      const body = signExchangeRequest(bad ? other : own, fields);
      if (bad && i % 2 === 0) {
        // or a flipped bit in the requester's own signature
        const sig = Buffer.from(signExchangeRequest(own, fields).signature, "base64");
        sig[randomInt(rnd, 64)]! ^= 1 << randomInt(rnd, 8);
        return { fields, bad, body: { ...body, signature: sig.toString("base64") } };
      }
      return { fields, bad, body };
    });
    const replies = await Promise.all(
      sent.map((s) => call(t.url, "POST", "/v1/network/exchange", JSON.stringify(s.body))),
    );
    let good = 0;
    replies.forEach((r, i) => {
      const { fields, bad, body } = sent[i]!;
      if (bad) {
        expect(r.status, r.text).toBe(401);
        expect(r.json().error).toBe("bad_signature");
        expect(t.hub.store.has(fields.requester, fields.exchangeId)).toBe(false);
        return;
      }
      good++;
      expect(r.status, r.text).toBe(200);
      const j = r.json() as unknown as ExchangeResponse;
      expect(j.exchangeId).toBe(fields.exchangeId);
      const provider = t.hub.files.institutions.get(fields.provider)!;
      expect(checkProviderAnswer(j, body, provider.publicKeyRaw).ok).toBe(true);
      expect(t.hub.store.has(fields.requester, fields.exchangeId)).toBe(true);
    });
    expect(good).toBeGreaterThan(0);
    expect(good).toBeLessThan(48);
    expect(t.hub.store.size).toBe(before + 2 * good);
    expect(pool.utilization).toBeGreaterThan(0);
  });
});
