import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { leafHash, verifyConsistency, verifyInclusion } from "../portal/merkle-verify.js";
import { verifyTreeHead } from "../portal/tree-head.js";
import { encodeRecord, type ProvisionRecord } from "./provision-record.js";
import { RecordLog } from "./record-log.js";
import { TreeHeadSigner } from "./signed-tree-head.js";

const T = Date.UTC(2025, 3, 1, 9);

function record(rnd: () => number, i: number): ProvisionRecord {
  return {
    exchangeId: `ex-${i}`,
    side: i % 2 === 0 ? "requester" : "provider",
    requester: `municipality-${String(1 + randomInt(rnd, 1741)).padStart(4, "0")}`,
    provider: "japan-pension-service",
    personCode: Array.from({ length: 64 }, () => "0123456789abcdef"[randomInt(rnd, 16)]).join(""),
    procedure: "nhi/premium-assessment",
    dataItems: ["pension/benefit-amount"],
    requestedAt: T + i * 1000,
    providedAt: T + i * 1000 + 400,
  };
}

/** What the portal page does with one record: signature, then inclusion of the stored bytes. */
function portalChecks(
  bytes: Uint8Array,
  index: number,
  proof: Uint8Array[],
  head: ReturnType<RecordLog["signHead"]>,
  key: Uint8Array,
): boolean {
  return (
    verifyTreeHead(head, key) && verifyInclusion(leafHash(bytes), index, head.size, proof, head.rootHash).ok
  );
}

describe("record log (tamper-evident provision records)", () => {
  it("every record checks against the signed head; an altered stored record is caught", () => {
    const rnd = mulberry32(6962);
    const signer = new TreeHeadSigner();
    const log = new RecordLog(signer);
    for (let i = 0; i < 500; i++) log.append(record(rnd, i));
    const head = log.signHead(T + 86_400_000);
    for (let i = 0; i < 500; i += 7) {
      const w = log.withProof(i, head);
      expect(portalChecks(w.bytes!, i, w.proof, head, signer.publicKeyRaw)).toBe(true);
    }
    // the store is altered: record 123 now says another data item was provided
    const original = log.withProof(123, head).record!;
    log.tamperForTest(123, encodeRecord({ ...original, dataItems: ["local-tax/taxable-income"] }));
    const w = log.withProof(123, head);
    expect(w.record!.dataItems).toEqual(["local-tax/taxable-income"]);
    expect(portalChecks(w.bytes!, 123, w.proof, head, signer.publicKeyRaw)).toBe(false);
    // moving the record to another index does not help either
    const swapped = log.withProof(124, head);
    expect(portalChecks(log.storedBytes(125), 124, swapped.proof, head, signer.publicKeyRaw)).toBe(false);
  });

  it("heads signed as the log grows are consistent, and a forked history is not", () => {
    const rnd = mulberry32(9162);
    const signer = new TreeHeadSigner();
    const log = new RecordLog(signer);
    const heads = [];
    for (let day = 0; day < 10; day++) {
      for (let i = 0; i < 1 + randomInt(rnd, 60); i++) log.append(record(rnd, log.size));
      heads.push(log.signHead(T + day * 86_400_000));
    }
    for (let a = 0; a < heads.length; a++) {
      for (let b = a; b < heads.length; b++) {
        const [ha, hb] = [heads[a]!, heads[b]!];
        expect(
          verifyConsistency(ha.size, hb.size, log.consistency(ha, hb), ha.rootHash, hb.rootHash).ok,
        ).toBe(true);
      }
    }
    // a fork: the first day's records with one rewritten — a signed head of that history is not
    // consistent with the later heads of the real log
    const fork = new RecordLog(signer);
    for (let i = 0; i < heads[0]!.size; i++) {
      const r = log.withProof(i, heads[9]!).record!;
      fork.append(i === 3 ? { ...r, dataItems: ["local-tax/taxable-income"] } : r);
    }
    const forkHead = fork.signHead(T);
    expect(verifyTreeHead(forkHead, signer.publicKeyRaw)).toBe(true);
    const proof = log.consistency(heads[0]!, heads[9]!);
    expect(
      verifyConsistency(forkHead.size, heads[9]!.size, proof, forkHead.rootHash, heads[9]!.rootHash).ok,
    ).toBe(false);
    expect(
      verifyConsistency(heads[0]!.size, heads[9]!.size, proof, heads[0]!.rootHash, heads[9]!.rootHash).ok,
    ).toBe(true);
  });

  it("refuses out-of-range indices with a typed error", () => {
    const log = new RecordLog(new TreeHeadSigner());
    log.append(record(mulberry32(1), 0));
    const head = log.signHead(T);
    expect(() => log.withProof(1, head)).toThrowError(expect.objectContaining({ code: "E_PROOF_REQUEST" }));
    expect(() => log.withProof(-1, head)).toThrowError(/record index/);
  });
});
