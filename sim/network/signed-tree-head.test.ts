import { describe, expect, it } from "vitest";
import { mulberry32, randomInt } from "../../engine/random/small-prng.js";
import { verifyConsistency, verifyInclusion } from "../portal/merkle-verify.js";
import { encodeTreeHead, TREE_HEAD_BYTES, verifyTreeHead } from "../portal/tree-head.js";
import { MerkleLog } from "./merkle-log.js";
import { TreeHeadSigner } from "./signed-tree-head.js";
import { generateKeyPairSync } from "node:crypto";

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe("signed tree heads", () => {
  it("node:crypto Ed25519 heads verify with @noble/curves, and every tampered field is refused", () => {
    const signer = new TreeHeadSigner();
    const log = new MerkleLog();
    for (let i = 0; i < 10; i++) log.append(Uint8Array.of(i));
    const sth = signer.signLog(log, T0);
    expect(encodeTreeHead(sth).length).toBe(TREE_HEAD_BYTES);
    expect(verifyTreeHead(sth, signer.publicKeyRaw)).toBe(true);
    expect(verifyTreeHead({ ...sth, size: 11 }, signer.publicKeyRaw)).toBe(false);
    expect(verifyTreeHead({ ...sth, timestamp: T0 + 1 }, signer.publicKeyRaw)).toBe(false);
    const root = sth.rootHash.slice();
    root[0]! ^= 1;
    expect(verifyTreeHead({ ...sth, rootHash: root }, signer.publicKeyRaw)).toBe(false);
    const sig = sth.signature.slice();
    sig[10]! ^= 0x80;
    expect(verifyTreeHead({ ...sth, signature: sig }, signer.publicKeyRaw)).toBe(false);
    expect(verifyTreeHead(sth, new TreeHeadSigner().publicKeyRaw)).toBe(false);
    expect(verifyTreeHead({ ...sth, size: -1 }, signer.publicKeyRaw)).toBe(false);
    expect(verifyTreeHead({ ...sth, signature: new Uint8Array(3) }, signer.publicKeyRaw)).toBe(false);
    expect(verifyTreeHead(sth, new Uint8Array(31))).toBe(false);
  });

  it("a person checks a record against two signed heads: inclusion in the old, consistency to the new", () => {
    const rnd = mulberry32(21);
    const signer = new TreeHeadSigner();
    const log = new MerkleLog();
    for (let i = 0; i < 300; i++) log.append(Uint8Array.of(randomInt(rnd, 256), i % 256));
    const old = signer.signLog(log, T0);
    for (let i = 0; i < 1234; i++) log.append(Uint8Array.of(i % 256, randomInt(rnd, 256)));
    const now = signer.signLog(log, T0 + 3_600_000);
    for (const sth of [old, now]) expect(verifyTreeHead(sth, signer.publicKeyRaw)).toBe(true);
    expect(
      verifyInclusion(log.leafHash(123), 123, old.size, log.inclusionProof(123, old.size), old.rootHash).ok,
    ).toBe(true);
    expect(
      verifyConsistency(
        old.size,
        now.size,
        log.consistencyProof(old.size, now.size),
        old.rootHash,
        now.rootHash,
      ).ok,
    ).toBe(true);
  });

  it("refuses keys that are not Ed25519 private keys, and heads it cannot encode", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => new TreeHeadSigner(privateKey)).toThrowError(
      expect.objectContaining({ code: "E_NETWORK_SETUP" }),
    );
    expect(() => new TreeHeadSigner(publicKey)).toThrowError(/Ed25519 private key/);
    const signer = new TreeHeadSigner();
    expect(() => signer.sign({ size: 2 ** 53, timestamp: T0, rootHash: new Uint8Array(32) })).toThrowError(
      RangeError,
    );
    expect(() => signer.sign({ size: 1, timestamp: T0, rootHash: new Uint8Array(31) })).toThrowError(
      /32 bytes/,
    );
  });
});
