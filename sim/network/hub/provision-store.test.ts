import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../../engine/random/small-prng.js";
import { leafHash, verifyConsistency, verifyInclusion } from "../../portal/merkle-verify.js";
import { verifyTreeHead } from "../../portal/tree-head.js";
import { encodeRecord, type ProvisionRecord } from "../provision-record.js";
import { TreeHeadSigner } from "../signed-tree-head.js";
import { openHubEnv, type HubEnv } from "./hub-env.js";
import { MIN_MAP_BYTES, ProvisionStore, StoreFullError, type ExchangeToRecord } from "./provision-store.js";

const T = Date.UTC(2025, 3, 1, 9);
const dirs: string[] = [];
const envs: HubEnv[] = [];

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "myna-hub-store-"));
  dirs.push(d);
  return d;
}
function env(dir: string): HubEnv {
  const e = openHubEnv(dir);
  envs.push(e);
  return e;
}
async function closeAll(): Promise<void> {
  for (const e of envs.splice(0)) await e.env.close();
}
afterEach(async () => {
  await closeAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hex = (rnd: () => number) =>
  Array.from({ length: 64 }, () => "0123456789abcdef"[randomInt(rnd, 16)]).join("");

function exchange(rnd: () => number, i: number, portalCode: string, pad = 0): ExchangeToRecord {
  const base: ProvisionRecord = {
    exchangeId: `ex-${i}`,
    side: "requester",
    requester: "municipality-0001",
    provider: "japan-pension-service",
    personCode: hex(rnd),
    procedure: "nhi/premium-assessment",
    dataItems: ["pension/benefit-amount", ...(pad > 0 ? [`pad/${"x".repeat(pad)}`] : [])],
    requestedAt: T + i * 1000,
    providedAt: T + i * 1000 + 400,
  };
  return {
    requester: base.requester,
    exchangeId: base.exchangeId,
    requesterRecord: encodeRecord(base),
    providerRecord: encodeRecord({ ...base, side: "provider", personCode: hex(rnd) }),
    portalCode,
  };
}

describe("lmdb provision store", () => {
  it("keeps both records, leaves, portal index and size; reopens to the same signed root; proofs verify", async () => {
    const dir = scratch();
    const signer = new TreeHeadSigner();
    const rnd = mulberry32(4242);
    const people = [hex(rnd), hex(rnd), hex(rnd)];
    const store = ProvisionStore.open(env(dir), signer, { now: () => T });
    const acks = await Promise.all(
      Array.from({ length: 120 }, (_, i) => store.append(exchange(rnd, i, people[i % 3]!))),
    );
    expect(store.size).toBe(240);
    acks.forEach((a, i) => {
      expect(a.providerIndex).toBe(a.requesterIndex + 1);
      expect(store.recorded("municipality-0001", `ex-${i}`)).toEqual([a.requesterIndex, a.providerIndex]);
    });
    const head = store.head();
    expect(head.size).toBe(240);
    expect(verifyTreeHead(head, signer.publicKeyRaw)).toBe(true);
    const mine = store.indicesFor(people[1]!);
    expect(mine.length).toBe(80);
    expect([...mine]).toEqual([...mine].sort((a, b) => a - b));
    for (const i of mine) {
      const w = store.recordWithProof(i);
      expect(w.record!.exchangeId).toBe(`ex-${Math.floor(i / 2)}`);
      expect(verifyInclusion(leafHash(w.bytes!), i, head.size, w.proof, head.rootHash).ok).toBe(true);
    }
    await store.drain();
    await closeAll();

    const again = ProvisionStore.open(env(dir), signer, { now: () => T + 1 });
    expect(again.size).toBe(240);
    expect(Buffer.compare(again.head().rootHash, head.rootHash)).toBe(0);
    expect(again.indicesFor(people[1]!)).toEqual(mine);
    // the log grows on; the old head is consistent with the new one
    await again.append(exchange(rnd, 500, people[0]!));
    const h2 = again.head();
    expect(
      verifyConsistency(240, h2.size, again.consistency(240, h2.size), head.rootHash, h2.rootHash).ok,
    ).toBe(true);
    await again.drain();
  });

  it("refuses a duplicate exchange id (pending or stored) without a write", async () => {
    const store = ProvisionStore.open(env(scratch()), new TreeHeadSigner(), { now: () => T });
    const rnd = mulberry32(7);
    const x = exchange(rnd, 1, hex(rnd));
    const first = store.append(x);
    await expect(store.append(x)).rejects.toMatchObject({ code: "E_DUPLICATE_EXCHANGE" });
    await first;
    await expect(store.append(x)).rejects.toMatchObject({ code: "E_DUPLICATE_EXCHANGE" });
    expect(store.size).toBe(2);
    await store.drain();
  });

  it("a full store refuses with E_STORE_FULL: every acknowledged exchange survives reopening, nothing half-written", async () => {
    const dir = scratch();
    const signer = new TreeHeadSigner();
    const rnd = mulberry32(99);
    const person = hex(rnd);
    const store = ProvisionStore.open(env(dir), signer, { now: () => T, mapBytes: MIN_MAP_BYTES });
    const acked: number[] = [];
    const refused: number[] = [];
    // bounded: waves of 16 until a wave is refused (at most 400 exchanges of ≈ 1 kB records)
    for (let wave = 0; wave < 25 && refused.length === 0; wave++) {
      const ids = Array.from({ length: 16 }, (_, k) => wave * 16 + k);
      const results = await Promise.allSettled(ids.map((i) => store.append(exchange(rnd, i, person, 100))));
      results.forEach((r, k) => {
        if (r.status === "fulfilled") acked.push(ids[k]!);
        else {
          expect(r.reason).toBeInstanceOf(StoreFullError);
          expect((r.reason as Error).message).toMatch(/--hub-map-mb/);
          refused.push(ids[k]!);
        }
      });
    }
    expect(acked.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(store.size).toBe(2 * acked.length);
    // a single, smaller write may still fit; singles until one is refused too (bounded)
    for (let i = 1000, done = false; i < 1200 && !done; i++) {
      const before = store.size;
      try {
        await store.append(exchange(rnd, i, person, 100));
        acked.push(i);
      } catch (e) {
        expect(e).toBeInstanceOf(StoreFullError);
        expect(store.size).toBe(before);
        refused.push(i);
        done = true;
      }
    }
    expect(refused.at(-1)).toBeGreaterThanOrEqual(1000);
    const sizeAtFull = store.size;
    expect(sizeAtFull).toBe(2 * acked.length);
    expect(store.usedBytes()).toBeLessThanOrEqual(MIN_MAP_BYTES);
    const headAtFull = store.head();
    await store.drain();
    await closeAll();

    const again = ProvisionStore.open(env(dir), signer, { now: () => T + 5 });
    expect(again.size).toBe(sizeAtFull);
    for (const i of acked) expect(again.recorded("municipality-0001", `ex-${i}`)).toBeDefined();
    for (const i of refused) expect(again.recorded("municipality-0001", `ex-${i}`)).toBeUndefined();
    expect(again.indicesFor(person).length).toBe(sizeAtFull);
    expect(Buffer.compare(again.head().rootHash, headAtFull.rootHash)).toBe(0);
    await again.drain();
  });

  it("an altered stored record is caught by its inclusion proof (the stored leaf hash still proves the original)", async () => {
    const signer = new TreeHeadSigner();
    const rnd = mulberry32(62);
    const store = ProvisionStore.open(env(scratch()), signer, { now: () => T });
    for (let i = 0; i < 9; i++) await store.append(exchange(rnd, i, hex(rnd)));
    const before = store.recordWithProof(7);
    const head = store.head();
    expect(verifyInclusion(leafHash(before.bytes!), 7, head.size, before.proof, head.rootHash).ok).toBe(true);
    // someone with write access to the store changes what record 7 says was provided
    envs[0]!.records.putSync(
      7,
      Buffer.from(encodeRecord({ ...before.record!, dataItems: ["local-tax/taxable-income"] })),
    );
    const after = store.recordWithProof(7);
    expect(after.record!.dataItems).toEqual(["local-tax/taxable-income"]);
    expect(verifyInclusion(leafHash(after.bytes!), 7, head.size, after.proof, head.rootHash).ok).toBe(false);
    expect(Buffer.compare(after.leafHash, leafHash(before.bytes!))).toBe(0);
    await store.drain();
  });

  it("refuses to open when a stored leaf no longer matches the last signed head", async () => {
    const dir = scratch();
    const signer = new TreeHeadSigner();
    const rnd = mulberry32(3);
    const store = ProvisionStore.open(env(dir), signer, { now: () => T });
    for (let i = 0; i < 5; i++) await store.append(exchange(rnd, i, hex(rnd)));
    await store.drain();
    const e = envs[0]!;
    e.leaves.putSync(3, Buffer.alloc(32, 7));
    expect(() => ProvisionStore.open(e, signer, { now: () => T })).toThrowError(
      expect.objectContaining({ code: "E_STORE_INTEGRITY" }),
    );
    // another key's head does not verify either
    e.leaves.putSync(3, Buffer.from(leafHash(store.recordWithProof(3).bytes!)));
    expect(() => ProvisionStore.open(e, new TreeHeadSigner(), { now: () => T })).toThrowError(
      /does not verify/,
    );
  });
});
