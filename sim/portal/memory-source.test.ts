/**
 * The in-memory portal source (memory-source.ts) honours the hub's `PortalRecordSource` contract:
 * each exchange gives both sides' records indexed under the person's portal code (ascending), each
 * side's record carries that institution's own code (never the My Number), records come with
 * inclusion proofs the page accepts against a signed head, consistency proofs link old heads to new,
 * and out-of-range requests are typed errors that change nothing.
 */
import { describe, expect, it } from "vitest";
import { isInputError } from "../../engine/errors.js";
import { TreeHeadSigner } from "../network/signed-tree-head.js";
import { MemoryPortalSource } from "./memory-source.js";
import { checkHead, checkRecord } from "./verify-records.js";

const A = "123456789018";
const B = "234567890121";
const INSTS = ["city", "pension", "tax"];

function exchange(id: string, requester: string, provider: string, at: number) {
  return {
    exchangeId: id,
    requester,
    provider,
    procedure: "p",
    dataItems: ["income"],
    requestedAt: at,
    providedAt: at + 1,
  };
}

describe("in-memory portal source", () => {
  it("indexes both sides' records under the person's portal code, with their own institution codes", () => {
    const signer = new TreeHeadSigner();
    const src = new MemoryPortalSource(signer, INSTS, () => 1_800_000_000_000);
    expect(src.record(A, exchange("x1", "city", "pension", 1000))).toEqual({ requester: 0, provider: 1 });
    src.record(B, exchange("x2", "tax", "city", 2000));
    src.record(A, exchange("x3", "tax", "pension", 3000));
    const codeA = src.portalCodeOf(A);
    expect(codeA).toMatch(/^[0-9a-f]{64}$/);
    expect(src.portalCodeOf(A)).toBe(codeA);
    expect(src.portalCodeOf(B)).not.toBe(codeA);
    expect(src.indicesFor(codeA)).toEqual([0, 1, 4, 5]);
    expect(src.indicesFor(src.portalCodeOf(B))).toEqual([2, 3]);
    expect(src.indicesFor("f".repeat(64))).toEqual([]);
    const r0 = src.recordWithProof(0).record!;
    const r1 = src.recordWithProof(1).record!;
    expect([r0.side, r1.side]).toEqual(["requester", "provider"]);
    expect(r0.personCode).not.toBe(r1.personCode);
    for (const c of [r0.personCode, r1.personCode, codeA]) expect(c).not.toContain(A);
  });

  it("proves every record against a signed head and links heads by consistency proofs", () => {
    const signer = new TreeHeadSigner();
    const src = new MemoryPortalSource(signer, INSTS, () => 1_800_000_000_000);
    src.record(A, exchange("x1", "city", "pension", 1000));
    const old = src.head();
    for (let i = 2; i < 8; i++) src.record(i % 2 ? A : B, exchange(`x${i}`, "city", "tax", 1000 * i));
    const head = src.head();
    expect(head.size).toBe(14);
    expect(src.head()).toBe(head); // signed once per size
    for (let i = 0; i < head.size; i++) {
      const r = src.recordWithProof(i);
      expect(checkRecord(r, signer.publicKeyRaw).ok).toBe(true);
    }
    const proof = src.consistency(old.size, head.size);
    expect(checkHead(head, signer.publicKeyRaw, { size: old.size, rootHash: old.rootHash }, proof)).toEqual({
      ok: true,
    });
  });

  it("refuses out-of-range indices and sizes with a typed error and stays as it was", () => {
    const src = new MemoryPortalSource(new TreeHeadSigner(), INSTS);
    src.record(A, exchange("x1", "city", "pension", 1000));
    for (const f of [
      () => src.recordWithProof(2),
      () => src.recordWithProof(-1),
      () => src.recordWithProof(0.5),
      () => src.consistency(1, 3),
      () => src.consistency(2, 1),
    ]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(isInputError(err)).toBe(true);
    }
    expect(src.head().size).toBe(2);
  });
});
