/**
 * The log's tree-head signer (node side): Ed25519 with node:crypto over the encoding in
 * sim/portal/tree-head.ts, which the portal page verifies with @noble/curves. The private key stays in
 * the signer; {@link TreeHeadSigner.publicKeyRaw} is what the portal pins.
 * @module
 */
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { encodeTreeHead, type SignedTreeHead, type TreeHead } from "../portal/tree-head.js";
import { NetworkSetupError } from "./network-errors.js";
import type { MerkleLog } from "./merkle-log.js";

/** Signs tree heads with one Ed25519 key. */
export class TreeHeadSigner {
  readonly #privateKey: KeyObject;
  /** The 32-byte raw Ed25519 public key (RFC 8032 encoding). */
  readonly publicKeyRaw: Uint8Array;

  /** @param privateKey an Ed25519 private KeyObject; a fresh one when omitted. */
  constructor(privateKey?: KeyObject) {
    const key = privateKey ?? generateKeyPairSync("ed25519").privateKey;
    if (key.type !== "private" || key.asymmetricKeyType !== "ed25519") {
      throw new NetworkSetupError("tree-head key: expected an Ed25519 private key");
    }
    this.#privateKey = key;
    const jwk = createPublicKey(key).export({ format: "jwk" });
    this.publicKeyRaw = new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
  }

  /** Signs one head. */
  sign(head: TreeHead): SignedTreeHead {
    const signature = new Uint8Array(sign(null, encodeTreeHead(head), this.#privateKey));
    return { size: head.size, timestamp: head.timestamp, rootHash: head.rootHash.slice(), signature };
  }

  /** Signs the head of `log` at its current size. */
  signLog(log: MerkleLog, timestamp: number): SignedTreeHead {
    return this.sign({ size: log.size, timestamp, rootHash: log.root() });
  }
}
