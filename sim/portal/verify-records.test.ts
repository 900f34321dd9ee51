/**
 * The page's verifier (verify-records.ts over merkle-verify.ts and tree-head.ts, through wire.ts —
 * the code the Myna Portal page runs in the browser) against node-side proofs (sim/network
 * record-log.ts, merkle-log.ts, signed-tree-head.ts: node:crypto) on random trees, fixed seed:
 * every honest record and every honest consistency proof passes, after a JSON round trip as the
 * routes send them; every mutation (a record byte, a proof hash, the index, the head's signature or
 * root, another key, a rewritten or shrunk history, a removed record's leaf hash) fails, with a
 * reason and without an exception. Then the decoder is fed mutated documents: it either decodes or
 * throws its own WireError, nothing else.
 */
import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import type { ProvisionRecord } from "../network/provision-record.js";
import { RecordLog } from "../network/record-log.js";
import { TreeHeadSigner } from "../network/signed-tree-head.js";
import { checkHead, checkRecord } from "./verify-records.js";
import {
  WireError,
  consistencyFromJson,
  headFromJson,
  headToJson,
  recordFromJson,
  recordToJson,
  recordsFromJson,
  toBase64,
  fromBase64,
} from "./wire.js";

const TREES = 12;
const rnd = mulberry32(20261202);
const hex64 = () => Array.from({ length: 64 }, () => "0123456789abcdef"[randomInt(rnd, 16)]).join("");

function randomRecord(i: number): ProvisionRecord {
  const at = 1_700_000_000_000 + randomInt(rnd, 1e9);
  return {
    exchangeId: `x-${i}-${randomInt(rnd, 1e6)}`,
    side: randomInt(rnd, 2) === 0 ? "requester" : "provider",
    requester: `inst-${randomInt(rnd, 50)}`,
    provider: `inst-${randomInt(rnd, 50)}`,
    personCode: hex64(),
    procedure: `procedure ${randomInt(rnd, 300)}`,
    dataItems: Array.from({ length: 1 + randomInt(rnd, 4) }, (_, k) => `item-${k}-${randomInt(rnd, 99)}`),
    requestedAt: at,
    providedAt: randomInt(rnd, 5) === 0 ? null : at + randomInt(rnd, 5000),
  };
}

const flip = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  c[randomInt(rnd, c.length)]! ^= 1 << randomInt(rnd, 8);
  return c;
};
/** Through JSON, as the routes send a record and the page reads it. */
const wire = (r: Parameters<typeof recordToJson>[0]) =>
  recordFromJson(JSON.parse(JSON.stringify(recordToJson(r))), "record");

describe("the page's verifier against node-side proofs on random trees", () => {
  it("passes every honest record and consistency proof and fails every mutation", () => {
    const signer = new TreeHeadSigner();
    const other = new TreeHeadSigner();
    const key = signer.publicKeyRaw;
    let honest = 0;
    let mutated = 0;
    for (let t = 0; t < TREES; t++) {
      const log = new RecordLog(signer);
      const n = 1 + randomInt(rnd, t < 5 ? 4 : 300);
      const heads = [];
      for (let i = 0; i < n; i++) {
        log.append(randomRecord(i));
        if (randomInt(rnd, 8) === 0 || i === n - 1) heads.push(log.signHead(1_800_000_000_000 + i));
      }
      const head = heads.at(-1)!;
      // head signatures checked once each, as the page does
      const memo = new Map<string, boolean>();
      for (let k = 0; k < 4; k++) {
        const index = randomInt(rnd, n);
        const rp = log.withProof(index, head);
        const ok = checkRecord(wire(rp), key, memo);
        expect(ok, ok.reason).toMatchObject({ ok: true, index });
        expect(ok.record).toEqual(rp.record);
        honest++;
        const at = randomInt(rnd, Math.max(1, rp.proof.length));
        const bad = [
          { ...rp, bytes: flip(rp.bytes!) },
          ...(rp.proof.length > 0
            ? [
                {
                  ...rp,
                  proof: rp.proof.map((p, j) => (j === at ? flip(p) : p)),
                },
              ]
            : []),
          ...(rp.proof.length > 0 ? [{ ...rp, proof: rp.proof.slice(1) }] : []),
          ...(n > 1 ? [{ ...rp, index: (index + 1 + randomInt(rnd, n - 1)) % n }] : []),
          { ...rp, head: { ...rp.head, signature: flip(rp.head.signature) } },
          { ...rp, head: { ...rp.head, rootHash: flip(rp.head.rootHash) } },
          { ...rp, head: other.sign(rp.head) },
          { ...rp, bytes: null, leafHash: flip(rp.leafHash) },
        ];
        for (const b of bad) {
          const c = checkRecord(wire(b), key, memo);
          expect(c.ok).toBe(false);
          expect(c.reason.length).toBeGreaterThan(0);
          mutated++;
        }
        // a record removed by retention: its leaf hash is still proved
        const removed = checkRecord(wire({ ...rp, bytes: null }), key, memo);
        expect(removed).toMatchObject({ ok: true, removed: true, record: null });
      }
      // up to 4 older heads per tree (noble's Ed25519 costs milliseconds a check)
      for (const older of heads
        .filter((_, h) => h >= heads.length - 4 || randomInt(rnd, heads.length) < 2)
        .slice(-4)) {
        const proof = log.consistency(older, head).map(toBase64);
        const c = consistencyFromJson(JSON.parse(JSON.stringify({ from: older.size, to: head.size, proof })));
        const cur = headFromJson(JSON.parse(JSON.stringify(headToJson(head))));
        expect(checkHead(cur, key, { size: older.size, rootHash: older.rootHash }, c.proof)).toEqual({
          ok: true,
        });
        honest++;
        if (older.size < head.size) {
          expect(checkHead(cur, key, { size: older.size, rootHash: flip(older.rootHash) }, c.proof).ok).toBe(
            false,
          );
          expect(checkHead(cur, key, { size: head.size + 1, rootHash: head.rootHash }, c.proof).ok).toBe(
            false,
          );
          mutated += 2;
        }
        expect(checkHead(cur, other.publicKeyRaw, null, null).ok).toBe(false);
        mutated++;
      }
    }
    expect(honest).toBeGreaterThan(TREES * 4);
    expect(mutated).toBeGreaterThan(TREES * 4 * 6);
  });

  it("decodes mutated documents or refuses them with a WireError, never anything else (2,000 inputs)", () => {
    const signer = new TreeHeadSigner();
    const log = new RecordLog(signer);
    for (let i = 0; i < 9; i++) log.append(randomRecord(i));
    const head = log.signHead(1_800_000_000_000);
    const doc = {
      head: headToJson(head),
      publicKey: toBase64(signer.publicKeyRaw),
      total: 3,
      offset: 0,
      records: [0, 4, 8].map((i) => recordToJson(log.withProof(i, head))),
      next: null,
    };
    const text = JSON.stringify(doc);
    expect(recordsFromJson(JSON.parse(text)).records).toHaveLength(3);
    const alphabet = '{}[]":,0123456789-+=/AZaz nul';
    let decoded = 0;
    let refused = 0;
    for (let k = 0; k < 2000; k++) {
      const chars = [...text];
      for (let m = 1 + randomInt(rnd, 4); m > 0; m--)
        chars[randomInt(rnd, chars.length)] = alphabet[randomInt(rnd, alphabet.length)]!;
      let v: unknown;
      try {
        v = JSON.parse(chars.join(""));
      } catch {
        continue;
      }
      try {
        const got = recordsFromJson(v);
        // the checks never throw either (Ed25519 in JS is slow: the first 100 decoded documents)
        if (decoded < 100) for (const r of got.records) checkRecord(r, got.publicKey);
        decoded++;
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
        refused++;
      }
    }
    expect(decoded + refused).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(100);
    expect(() => fromBase64("AAA", "x", 3)).toThrow(WireError);
    expect([...fromBase64(toBase64(Uint8Array.of(1, 2, 3, 4)), "x", 4)]).toEqual([1, 2, 3, 4]);
  });
});
