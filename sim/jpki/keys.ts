/**
 * Key pairs for the JPKI glue, generated with node:crypto's asynchronous `generateKeyPair`, which
 * runs on libuv's thread pool: RSA-2048 with e = 65537 for the current card (FACTS.md §1.1, ≈160 ms
 * per key here), ECDSA P-384 for the next-generation card (FACTS.md §1.6). Many keys requested at once
 * are generated in parallel (DESIGN.md §6: keygen is the expensive part of a crypto sample).
 * @module
 */
import { generateKeyPair } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** `rsa2048` = current card, `p384` = next-generation card. */
export type KeyProfile = "rsa2048" | "p384";

/** A generated key pair. */
export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Generate one key pair off the main thread. */
export function generateKeyPairAsync(profile: KeyProfile): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err) reject(err);
      else resolve({ publicKey, privateKey });
    };
    if (profile === "rsa2048") generateKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 }, done);
    else generateKeyPair("ec", { namedCurve: "secp384r1" }, done);
  });
}

/** Generate `count` key pairs in parallel (libuv pool, 4 threads by default). */
export function generateKeyPairs(profile: KeyProfile, count: number): Promise<KeyPair[]> {
  return Promise.all(Array.from({ length: count }, () => generateKeyPairAsync(profile)));
}

/** SubjectPublicKeyInfo DER of a key pair. */
export function spkiOf(pair: KeyPair): Uint8Array {
  return new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" }));
}
